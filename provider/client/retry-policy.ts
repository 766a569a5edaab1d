/**
 * Which failures are worth repeating, and how long to wait before the next attempt (spec §11.3).
 *
 * Retries are decided from an allow-list by *kind* of failure — throttling, transient server trouble, transport
 * trouble — never by "anything that is not a 4xx". Everything not listed (InputInvalid, NoAuth, ResourceNotExist,
 * ErrorTooMany*, signature/timestamp/nonce/access-key errors, every other 4xx) fails after one attempt.
 */
import { ErrorCodes, LiveApiError, LiveError, LiveNetworkError, LiveTimeoutError } from "./errors";

export type RetryKind = "throttling" | "server" | "network" | "timeout";

export interface RetryDecision {
  retry: boolean;
  /** Why it is (or is not) retried; `undefined` kind means "not retryable". */
  kind: RetryKind | undefined;
}

/** Codes of transient server trouble (spec §11.1/§11.2), matched exactly or as a `Code.` prefix. */
const TRANSIENT_SERVER_CODES = ["ServiceUnavailable", "ServerError", "InternalError"] as const;

/**
 * HTTP 429 is not an Alibaba gateway status (it throttles with 400 `Throttling.*`), but a proxy in front of the
 * endpoint uses it for exactly the same thing, so it is treated as throttling.
 */
const HTTP_TOO_MANY_REQUESTS = 429;

/**
 * Transport error codes (Node system errors and undici's own) that mean "the request may not have reached the
 * server, or its answer was lost": worth another attempt. DNS "not found" and TLS certificate errors are
 * configuration problems and are deliberately absent.
 */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** Classifies an API error envelope by its `Code` and HTTP status. */
export function classifyApiError(code: string, httpStatus: number): RetryDecision {
  // Terraform's NeedRetry: any code *containing* Throttling (Throttling, Throttling.User, Rejected.Throttling…).
  if (/throttling/i.test(code) || httpStatus === HTTP_TOO_MANY_REQUESTS) return { retry: true, kind: "throttling" };
  if (TRANSIENT_SERVER_CODES.some((c) => code === c || code.startsWith(`${c}.`))) return { retry: true, kind: "server" };
  if (httpStatus >= 500 && httpStatus <= 599) return { retry: true, kind: "server" };
  return { retry: false, kind: undefined };
}

/** Classifies a transport error by its `code` (see `RETRYABLE_NETWORK_CODES`). */
export function classifyNetworkCode(code: string | undefined): RetryDecision {
  if (code === undefined || !RETRYABLE_NETWORK_CODES.has(code)) return { retry: false, kind: undefined };
  const timeout = code === "ETIMEDOUT" || code.endsWith("_TIMEOUT");
  return { retry: true, kind: timeout ? "timeout" : "network" };
}

/**
 * Transport codes that mean the request never left this machine or never reached a server (name resolution,
 * routing, connect): the server cannot have acted on it.
 */
export const NOT_SENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Whether the server may have acted on a failed attempt, so that repeating an "at-most-once" call could act twice
 * (CallOptions.retrySafety). Throttling and other gateway rejections, and connect-phase failures, are "certainly
 * not"; a lost or late response, any 5xx and a success body we could not read are "maybe". A bug of ours
 * (`LiveProviderBugError`, or any exception that is no transport error) is "not": it says nothing about the service.
 */
export function mayHaveBeenProcessed(error: unknown): boolean {
  if (error instanceof LiveApiError) {
    return classifyApiError(error.code, error.httpStatus).kind === "server";
  }
  if (error instanceof LiveTimeoutError) return error.phase !== "connect";
  if (error instanceof LiveNetworkError) {
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    return !(typeof code === "string" && NOT_SENT_NETWORK_CODES.has(code));
  }
  if (error instanceof LiveError) return error.code === ErrorCodes.badResponse;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && RETRYABLE_NETWORK_CODES.has(code) && !NOT_SENT_NETWORK_CODES.has(code);
}

/**
 * The retry decision for anything a call can throw: this package's errors (by class and code) and raw
 * transport errors (by their `code` property). Unknown things are not retried.
 */
export function classifyRetry(error: unknown): RetryDecision {
  if (error instanceof LiveApiError) return classifyApiError(error.code, error.httpStatus);
  if (error instanceof LiveTimeoutError) {
    return error.phase === "deadline" ? { retry: false, kind: undefined } : { retry: true, kind: "timeout" };
  }
  if (error instanceof LiveNetworkError) return error.retryable ? { retry: true, kind: "network" } : { retry: false, kind: undefined };
  if (error instanceof LiveError) return { retry: false, kind: undefined };
  if (typeof error === "object" && error !== null) {
    const code = (error as { code?: unknown }).code;
    return classifyNetworkCode(typeof code === "string" ? code : undefined);
  }
  return { retry: false, kind: undefined };
}

export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Full-jitter exponential backoff: `random(0, min(cap, base · 2^retryIndex))`, `retryIndex` 0 for the first retry.
 * `random` returns a number in [0, 1) (injectable for tests).
 */
export function backoffDelay(retryIndex: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryIndex));
  return Math.floor(random() * ceiling);
}

/**
 * Parses `x-acs-retry-after` (milliseconds, spec §11.2). Returns undefined unless it is a positive finite number.
 */
export function parseRetryAfterMs(value: string | readonly string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== "string" || !/^\s*\d+(\.\d+)?\s*$/.test(raw)) return undefined;
  const ms = Math.ceil(Number(raw));
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}
