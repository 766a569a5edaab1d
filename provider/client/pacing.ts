/**
 * The rate limiter as the retry loop sees it: one `waitTurn` hook that takes a slot before each attempt, and the
 * attempt's outcome fed back into that slot — a response, no response, or a throttling rejection (which the gateway
 * did not count, and which slows an adaptive key down). Also the throttling report: one line per key and process
 * with the rate the pace settled at.
 */
import { LiveApiError, LiveResponseError } from "./errors";
import type { RateLimitSettings, RateLimitSlot, RateLimitStats, SharedRateLimiter } from "./rate-limiter";
import { classifyRetry } from "./retry-policy";

/** Whether a failed attempt got a response from the server (which has then counted it). */
function responded(error: unknown): boolean {
  return error instanceof LiveApiError || error instanceof LiveResponseError;
}

/** Feeds an attempt's outcome back into its slot: `error` undefined = success. Safe to call more than once. */
export function settleSlot(slot: RateLimitSlot | undefined, error?: unknown): void {
  if (!slot) return;
  if (error === undefined) slot.release(true);
  else if (classifyRetry(error).kind === "throttling") slot.throttled();
  else slot.release(responded(error));
}

export interface PacedTurns {
  /** The retry loop's `waitTurn`. */
  waitTurn(attempt: number, signal: AbortSignal): Promise<void>;
  /** The slot of the attempt in progress. */
  readonly slot: RateLimitSlot | undefined;
  /** Wraps one attempt so that its outcome settles its slot. */
  run<T>(attempt: () => Promise<T>): Promise<T>;
}

/** One call's turns on `key`; `onWait` hears every wait of 1 ms or more. */
export function pacedTurns(
  limiter: SharedRateLimiter,
  key: string,
  settings: RateLimitSettings,
  onWait?: (attempt: number, waitedMs: number) => void,
): PacedTurns {
  let slot: RateLimitSlot | undefined;
  return {
    async waitTurn(attempt, signal) {
      slot = await limiter.acquire(key, settings, { signal, retry: attempt > 1 });
      if (slot.waitedMs >= 1) onWait?.(attempt, slot.waitedMs);
    },
    get slot() {
      return slot;
    },
    async run(attempt) {
      const mine = slot;
      try {
        const result = await attempt();
        settleSlot(mine);
        return result;
      } catch (err) {
        settleSlot(mine, err);
        throw err;
      }
    },
  };
}

/** The throttling report of one key. */
export interface ThrottleSummary {
  action: string;
  /** Throttling rejections and all attempts of this key in this process. */
  throttled: number;
  attempts: number;
  /** Requests/s the key was answered at since it was first throttled: the share of the budget it settled at. */
  settledRate: number;
  /** The pace allowed now and the lowest it went, requests/s. */
  rate: number;
  lowestRate: number;
  budget: number;
  message: string;
}

/** Shortest stretch over which an answered-per-second rate means something; below it, the current pace is named. */
const MIN_SETTLE_SPAN_MS = 2000;

function perSecond(n: number): string {
  return n >= 10 ? n.toFixed(0) : n.toFixed(1);
}

function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** The report's figures and its one-line message (no secrets: an action name and numbers). */
export function throttleSummary(action: string, stats: RateLimitStats): ThrottleSummary {
  const span = stats.firstThrottledAt !== undefined && stats.lastAnsweredAt !== undefined ? stats.lastAnsweredAt - stats.firstThrottledAt : 0;
  const settledRate = span >= MIN_SETTLE_SPAN_MS ? (stats.answeredSinceThrottled * 1000) / span : stats.rate;
  const share = stats.dispatched > 0 ? (100 * stats.throttled) / stats.dispatched : 0;
  const message =
    `${action}: the service throttled ${count(stats.throttled)} of ${count(stats.dispatched)} requests (${share.toFixed(1)} %) — ` +
    `other clients (other stacks, machines or tools) are using this account's budget of ${stats.budget} requests/s. ` +
    `This stack slowed down to share it and settled at about ${perSecond(settledRate)} requests/s ` +
    `(lowest pace ${perSecond(stats.lowestRate)}/s); throttled requests are retried until their deadline.`;
  return {
    action,
    throttled: stats.throttled,
    attempts: stats.dispatched,
    settledRate,
    rate: stats.rate,
    lowestRate: stats.lowestRate,
    budget: stats.budget,
    message,
  };
}

/**
 * Whether a throttled key's report is due: once it has been throttled for `afterMs`, or when the client has nothing
 * else in flight (the end of a deployment — the process may be stopped right after its last answer).
 */
export function throttleReportDue(stats: RateLimitStats, now: number, afterMs: number, clientIdle: boolean): boolean {
  if (stats.throttled === 0 || stats.firstThrottledAt === undefined) return false;
  return clientIdle || now - stats.firstThrottledAt >= afterMs;
}
