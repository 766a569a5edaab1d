/**
 * Every default of the LiveMessage client in one place: retry policy, timeouts and rate limiting.
 * Change a default here and nowhere else; the client, its tests and the docs read these values.
 */

/**
 * Retry policy (spec §11.3). Full-jitter exponential backoff: the n-th retry waits
 * `random(0, min(maxDelayMs, baseDelayMs · 2^n))`, or the server's `x-acs-retry-after` plus up to as much again
 * (at most 1 s) when present.
 */
export const RETRY_DEFAULTS = Object.freeze({
  /** Attempts per call, the first one included — throttled attempts not counted (see `throttling`). */
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  /** A throttled attempt is repeated until the call's deadline: the budget is shared, waiting is the remedy. */
  throttling: "until-deadline" as "until-deadline" | "counted",
});

/** Per-attempt and per-call time limits. */
export const TIMEOUT_DEFAULTS = Object.freeze({
  /** TCP/TLS connect of a new pooled connection (undici connect timeout). */
  connectMs: 10_000,
  /** One attempt, from dispatch to the last byte of the response body. */
  responseMs: 30_000,
  /** The whole call: rate-limiter waits, every attempt and every backoff. */
  deadlineMs: 120_000,
});

/**
 * Client-side rate limiting per (AccessKeyId, Action). The budget comes from `qpsFor(action)` (limits.ts, spec §1).
 * Each request holds its place in the 1-second window until its response comes back (the server counted it by
 * then), or for `arrivalBoundMs` after dispatch when no response does — see rate-limiter.ts. [U] the gateway's
 * exact window algorithm is unknown (spec §11.2); this is the strictest reading: a sliding window by arrival.
 */
export const RATE_LIMIT_DEFAULTS = Object.freeze({
  /** Dispatches allowed back to back before pacing applies. */
  burst: 5,
  /** The window the server counts in (spec §1: "QPS per account"). */
  windowMs: 1000,
  /** Slack for the server's clock granularity (whole milliseconds) and clock-rate drift. */
  windowMarginMs: 10,
  /** A request that got no response (timeout, reset, abort) is assumed to have reached the server by then. */
  arrivalBoundMs: 1000,
});

/**
 * Adaptive pacing (rate-limiter.ts): how a key's rate reacts when the service throttles — i.e. when other clients
 * (stacks, machines) use the same account's budget. CUBIC's constants as the AWS SDKs use them (smithy-typescript
 * `DefaultRateLimiter`: β 0.7, C 0.4); from 50/s, a decrease to 35/s grows back to 50/s in about 3.4 s.
 */
export const ADAPTIVE_DEFAULTS = Object.freeze({
  /** After throttling, the pace restarts at β × the rate sent. */
  beta: 0.7,
  /** How fast the pace grows back (requests/s per s³). */
  scale: 0.4,
  /** The pace never drops below this (requests/s). */
  minRate: 0.25,
  /** One decrease per window: throttled answers within it were sent before the last decrease. */
  cooldownMs: 1000,
});

/**
 * The throttling report (one Pulumi log line per action per provider process): written when the process has been
 * throttled for this long, or earlier when it falls idle (the deployment's last call) — so that it names the rate
 * the pace settled at, not the first reaction.
 */
export const THROTTLE_REPORT_DEFAULTS = Object.freeze({
  afterMs: 20_000,
});

/** Everything together, for documentation and for callers that want to print the effective configuration. */
export const CLIENT_DEFAULTS = Object.freeze({
  retry: RETRY_DEFAULTS,
  timeouts: TIMEOUT_DEFAULTS,
  rateLimit: RATE_LIMIT_DEFAULTS,
  adaptive: ADAPTIVE_DEFAULTS,
  throttleReport: THROTTLE_REPORT_DEFAULTS,
});
