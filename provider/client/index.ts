/** The LiveMessage API client and everything it is built from. */
export * from "./errors";
export * from "./defaults";
export * from "./credentials";
export * from "./call-options";
export * from "./retry-policy";
export { runWithRetries, type RetryEvent, type RetryLoopCall, type RetryLoopPolicy } from "./retry-loop";
export * from "./rate-limiter";
export { redactSecrets } from "./redact";
export * from "./live-client";
