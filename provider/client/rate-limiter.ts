/**
 * Process-wide client-side rate limiting per (AccessKeyId, Action) (spec §1: QPS per account and action; DESIGN
 * rule 3).
 *
 * Guarantee: for one key, no window of `windowMs` (1 s) ever holds more than `budget` dispatches. A token bucket
 * alone cannot promise that (it allows rate + burst per second), so two rules combine:
 *   1. pacing — a token bucket refilled at `budget` per (window + margin) with a small `burst`, which spreads
 *      dispatches out instead of firing the whole budget at once;
 *   2. a sliding log of the last `budget` dispatch times: dispatch n may only happen once dispatch n−budget is
 *      at least `windowMs + windowMarginMs` old. This rule alone carries the hard guarantee.
 * Waiters are served strictly first-in first-out; a waiter whose signal aborts (caller abort, call deadline) leaves
 * the queue at once.
 */

/** Time source and timers; injectable so tests can run the limiter on a simulated clock. */
export interface LimiterClock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The default clock reads the globals at call time, so jest fake timers apply to it as well. */
export const systemClock: LimiterClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface RateLimitSettings {
  /** At most this many dispatches in any window (the documented QPS). Integer ≥ 1. */
  budget: number;
  /** Dispatches allowed back to back; clamped to [1, budget]. */
  burst: number;
  /** The server's counting window; 1000 ms. */
  windowMs: number;
  /** Extra spacing against jitter; ≥ 0. */
  windowMarginMs: number;
}

export interface AcquireOptions {
  /** Aborting removes the waiter from the queue and rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * The contract stored on `globalThis`, shared by every copy of this package loaded in the process. Keep it
 * stable: a newer copy must be able to use a limiter created by an older one.
 */
export interface SharedRateLimiter {
  /** Resolves with the milliseconds waited once a dispatch slot for `key` is granted. */
  acquire(key: string, settings: RateLimitSettings, options?: AcquireOptions): Promise<number>;
}

interface Waiter {
  enqueuedAt: number;
  resolve(waitedMs: number): void;
  reject(reason: unknown): void;
  detach(): void;
}

/** Floating-point slack for token arithmetic only; the sliding-log rule is compared exactly. */
const TOKEN_EPSILON = 1e-9;

class KeyLimiter {
  private settings: RateLimitSettings;
  /** Ring buffer of the last `budget` dispatch times. */
  private log: number[] = [];
  private logStart = 0;
  private tokens: number;
  private tokensAt: number;
  private readonly queue: Waiter[] = [];
  private timer: unknown = undefined;

  constructor(
    private readonly clock: LimiterClock,
    settings: RateLimitSettings,
  ) {
    this.settings = normalize(settings);
    this.tokens = this.settings.burst;
    this.tokensAt = clock.now();
  }

  /**
   * Several clients may use one key with different settings; the strictest wins so that the guarantee holds for
   * the smallest budget anyone asked for.
   */
  merge(requested: RateLimitSettings): void {
    const next = normalize(requested);
    const cur = this.settings;
    const merged: RateLimitSettings = {
      budget: Math.min(cur.budget, next.budget),
      burst: Math.min(cur.burst, next.burst),
      windowMs: Math.max(cur.windowMs, next.windowMs),
      windowMarginMs: Math.max(cur.windowMarginMs, next.windowMarginMs),
    };
    if (
      merged.budget === cur.budget &&
      merged.burst === cur.burst &&
      merged.windowMs === cur.windowMs &&
      merged.windowMarginMs === cur.windowMarginMs
    ) {
      return;
    }
    this.refill(this.clock.now());
    const recent = this.orderedLog().slice(-merged.budget);
    this.settings = normalize(merged);
    this.log = recent;
    this.logStart = 0;
    this.tokens = Math.min(this.tokens, this.settings.burst);
  }

  acquire(options: AcquireOptions | undefined): Promise<number> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = this.clock.now();
    if (this.queue.length === 0 && this.readyAt(now) <= now) {
      this.grant(now);
      return Promise.resolve(0);
    }
    return new Promise<number>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal?.reason);
        // The head may have changed; timing does not depend on who waits, but an empty queue needs no timer.
        this.pump();
      };
      const waiter: Waiter = {
        enqueuedAt: now,
        resolve,
        reject,
        detach: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  private get spacingMs(): number {
    return (this.settings.windowMs + this.settings.windowMarginMs) / this.settings.budget;
  }

  private refill(now: number): void {
    if (now > this.tokensAt) {
      this.tokens = Math.min(this.settings.burst, this.tokens + (now - this.tokensAt) / this.spacingMs);
    }
    this.tokensAt = Math.max(this.tokensAt, now);
  }

  /** Earliest time a dispatch is allowed by both rules. */
  private readyAt(now: number): number {
    this.refill(now);
    const pacing = this.tokens >= 1 - TOKEN_EPSILON ? now : now + (1 - this.tokens) * this.spacingMs;
    const window =
      this.log.length < this.settings.budget
        ? now
        : this.log[this.logStart]! + this.settings.windowMs + this.settings.windowMarginMs;
    return Math.max(pacing, window);
  }

  private grant(now: number): void {
    this.tokens = Math.max(0, this.tokens - 1);
    if (this.log.length < this.settings.budget) {
      this.log.push(now);
    } else {
      this.log[this.logStart] = now;
      this.logStart = (this.logStart + 1) % this.settings.budget;
    }
  }

  private orderedLog(): number[] {
    return [...this.log.slice(this.logStart), ...this.log.slice(0, this.logStart)];
  }

  private pump(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.queue.length > 0) {
      const now = this.clock.now();
      const at = this.readyAt(now);
      if (at > now) {
        // Timers may fire a fraction early on a ms-granular clock: never schedule less than 1 ms, re-check on wake.
        this.timer = this.clock.setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, Math.max(1, Math.ceil(at - now)));
        return;
      }
      const waiter = this.queue.shift()!;
      waiter.detach();
      this.grant(now);
      waiter.resolve(now - waiter.enqueuedAt);
    }
  }
}

function normalize(s: RateLimitSettings): RateLimitSettings {
  const budget = Math.max(1, Math.floor(s.budget));
  return {
    budget,
    burst: Math.min(budget, Math.max(1, Math.floor(s.burst))),
    windowMs: Math.max(1, s.windowMs),
    windowMarginMs: Math.max(0, s.windowMarginMs),
  };
}

/** A set of per-key limiters. The process normally uses exactly one: `sharedRateLimiter()`. */
export class RateLimiter implements SharedRateLimiter {
  private readonly keys = new Map<string, KeyLimiter>();

  constructor(private readonly clock: LimiterClock = systemClock) {}

  acquire(key: string, settings: RateLimitSettings, options?: AcquireOptions): Promise<number> {
    let limiter = this.keys.get(key);
    if (limiter) limiter.merge(settings);
    else {
      limiter = new KeyLimiter(this.clock, settings);
      this.keys.set(key, limiter);
    }
    return limiter.acquire(options);
  }
}

/** Versioned so that an incompatible future contract gets its own registry instead of misusing this one. */
const REGISTRY_KEY = Symbol.for("pulumi-alicloud-livemessage.rate-limiter.v1");

/** The one limiter of this process, shared by every LiveClient — even across two loaded copies of the package. */
export function sharedRateLimiter(): SharedRateLimiter {
  const holder = globalThis as unknown as Record<symbol, SharedRateLimiter | undefined>;
  const existing = holder[REGISTRY_KEY];
  if (existing && typeof existing.acquire === "function") return existing;
  const created = new RateLimiter();
  Object.defineProperty(globalThis, REGISTRY_KEY, { value: created, enumerable: false, configurable: false, writable: false });
  return created;
}

/** The limiter key: one budget per account key and action. */
export function rateLimitKey(accessKeyId: string, action: string): string {
  return `${accessKeyId}\u0000${action}`;
}
