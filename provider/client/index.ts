/** The LiveMessage API client and everything it is built from. */
export * from "./errors";
export * from "./defaults";
export * from "./credentials";
export * from "./retry-policy";
export * from "./rate-limiter";
export { redactSecrets } from "./redact";
export * from "./live-client";
