/**
 * The client's options and their validation: every number checked, every default from `./defaults`. A bad option
 * fails the constructor with `LiveConfigError` naming it, never a later call.
 */
import { DEFAULT_ENDPOINT } from "../limits";
import { RATE_LIMIT_DEFAULTS, RETRY_DEFAULTS, TIMEOUT_DEFAULTS } from "./defaults";
import { LiveConfigError } from "./errors";
import type { RetryLoopPolicy } from "./retry-loop";

export type SignatureVersion = "v3" | "v1";

export interface ClientTimeouts {
  /** Connect timeout of a new pooled connection (our own Agent only). */
  connectMs?: number;
  /** One attempt, from dispatch to the last byte of the body. */
  responseMs?: number;
  /** The whole call (limiter waits, attempts, backoff); `CallOptions.deadlineMs` overrides it per call. */
  deadlineMs?: number;
}

export interface ClientRetryOptions {
  /** Attempts per call including the first. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface ClientRateLimitOptions {
  /** Budget per second per (AccessKeyId, Action); default `qpsFor(action)` (spec §1). */
  qps?: number | ((action: string) => number);
  burst?: number;
  windowMarginMs?: number;
  /** How long a request without a response keeps counting as "maybe not yet arrived" (see RATE_LIMIT_DEFAULTS). */
  arrivalBoundMs?: number;
}

export interface NormalizedRateLimit {
  qps: number | ((action: string) => number) | undefined;
  burst: number;
  windowMarginMs: number;
  arrivalBoundMs: number;
}

/** `value` when it is a valid positive (or, with `allowZero`, non-negative) number; `fallback` when undefined. */
export function positive(name: string, value: number | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new LiveConfigError(`Invalid client option ${name}: ${String(value)} (expected a ${allowZero ? "non-negative" : "positive"} number).`);
  }
  return value;
}

/** The endpoint as a URL: a bare host means https; only scheme, host and port are allowed. */
export function parseEndpoint(raw: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new LiveConfigError(`Invalid endpoint "${raw}": expected a URL such as ${DEFAULT_ENDPOINT} or http://127.0.0.1:8080.`);
  }
  if (url.username || url.password) throw new LiveConfigError("Invalid endpoint: it must not contain user credentials.");
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new LiveConfigError(`Invalid endpoint "${raw}": only http:// and https:// are supported.`);
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    throw new LiveConfigError(`Invalid endpoint "${raw}": the LiveMessage API is served at the root path; give only scheme, host and port.`);
  }
  return url;
}

export function signatureVersionOf(version: unknown): SignatureVersion {
  const v = version ?? "v3";
  if (v !== "v3" && v !== "v1") throw new LiveConfigError(`Invalid signatureVersion "${String(v)}": expected "v3" or "v1".`);
  return v;
}

export function timeoutsOf(t: ClientTimeouts = {}): Required<ClientTimeouts> {
  return {
    connectMs: positive("timeouts.connectMs", t.connectMs, TIMEOUT_DEFAULTS.connectMs),
    responseMs: positive("timeouts.responseMs", t.responseMs, TIMEOUT_DEFAULTS.responseMs),
    deadlineMs: positive("timeouts.deadlineMs", t.deadlineMs, TIMEOUT_DEFAULTS.deadlineMs),
  };
}

/** `false` means one attempt per call. */
export function retryPolicyOf(retry: ClientRetryOptions | false | undefined): RetryLoopPolicy {
  const r = retry === false ? { maxAttempts: 1 } : (retry ?? {});
  return {
    maxAttempts: Math.max(1, Math.floor(positive("retry.maxAttempts", r.maxAttempts, RETRY_DEFAULTS.maxAttempts))),
    baseDelayMs: positive("retry.baseDelayMs", r.baseDelayMs, RETRY_DEFAULTS.baseDelayMs, true),
    maxDelayMs: positive("retry.maxDelayMs", r.maxDelayMs, RETRY_DEFAULTS.maxDelayMs, true),
  };
}

/** `false` turns client-side rate limiting off. */
export function rateLimitOf(rateLimit: ClientRateLimitOptions | false | undefined): NormalizedRateLimit | false {
  if (rateLimit === false) return false;
  const rl = rateLimit ?? {};
  if (typeof rl.qps === "number") positive("rateLimit.qps", rl.qps, 1);
  else if (rl.qps !== undefined && typeof rl.qps !== "function") throw new LiveConfigError("Invalid client option rateLimit.qps: expected a number or a function.");
  return {
    qps: rl.qps,
    burst: positive("rateLimit.burst", rl.burst, RATE_LIMIT_DEFAULTS.burst),
    windowMarginMs: positive("rateLimit.windowMarginMs", rl.windowMarginMs, RATE_LIMIT_DEFAULTS.windowMarginMs, true),
    arrivalBoundMs: positive("rateLimit.arrivalBoundMs", rl.arrivalBoundMs, RATE_LIMIT_DEFAULTS.arrivalBoundMs, true),
  };
}

/** A single-line suffix for the User-Agent header. */
export function userAgentSuffixOf(userAgent: unknown): string | undefined {
  if (userAgent !== undefined && (typeof userAgent !== "string" || /[\r\n\0]/.test(userAgent))) {
    throw new LiveConfigError("Invalid client option userAgent: expected a single-line string.");
  }
  return userAgent || undefined;
}
