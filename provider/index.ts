/**
 * `pulumi-alicloud-livemessage/provider`: the engine-agnostic core — the LiveMessage API client, one module per
 * API operation (typed `invoke` with zod request/response schemas), and the dynamic providers the SDK's resources use.
 */
export * from "./client";
export * from "./operations";
export * as signature from "./client/signature";
export * as limits from "./limits";
// The dynamic providers by resource kind (also the `pulumi-alicloud-livemessage/dynamic` entry the SDK's serialized
// `__provider` code requires, DESIGN.md rule 1).
export { providers } from "./resources/adapter";
