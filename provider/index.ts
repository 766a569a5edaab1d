/**
 * `pulumi-alicloud-livemessage/provider`: the engine-agnostic core — the LiveMessage API client, one module per
 * API operation, and the resource handlers the SDK's dynamic providers call.
 */
export * from "./client";
export * as signature from "./client/signature";
export * as limits from "./limits";
// The dynamic providers the SDK's serialized `__provider` functions call (DESIGN.md rule 1).
export { providers } from "./resources/adapter";
