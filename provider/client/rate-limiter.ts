/**
 * Process-wide client-side rate limiting per (AccessKeyId, Action) (spec §1: QPS per account and action; DESIGN
 * rule 3).
 *
 * Guarantee: for one key, the server never sees more than `budget` requests inside any window of `windowMs`
 * (1 s). A token bucket alone cannot promise that (it allows rate + burst per second), and counting our own
 * dispatch times is not enough either: the server counts *arrivals*, and a request sent early can arrive late
 * (a cold connection, a stalled event loop, a retransmit) while a later one arrives at once. So two rules combine:
 *   1. pacing — a token bucket refilled at `budget` per (window + margin) with a small `burst`, which spreads
 *      dispatches out instead of firing the whole budget at once;
 *   2. a sliding log of the last `budget` requests, each anchored at the latest moment the server can have
 *      counted it: when its response came back (the server counted it before answering), or — while no response
 *      has come, or none ever will (timeout, abort, reset) — `arrivalBoundMs` after dispatch. A new request is
 *      dispatched only when fewer than `budget` logged requests have an anchor within the last window + margin.
 *      Since a request cannot arrive before it is dispatched, this carries the hard guarantee whatever the jitter.
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
  /** At most this many requests in any window (the documented QPS). Integer ≥ 1. */
  budget: number;
  /** Dispatches allowed back to back; clamped to [1, budget]. */
  burst: number;
  /** The server's counting window; 1000 ms. */
  windowMs: number;
  /** Extra spacing for clock granularity between our clock and the server's; ≥ 0. */
  windowMarginMs: number;
  /** Latest a dispatched request is assumed to reach the server when no response tells us it did; ≥ 0. */
  arrivalBoundMs: number;
}

export interface AcquireOptions {
  /** Aborting removes the waiter from the queue and rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** A granted dispatch slot. */
export interface RateLimitSlot {
  /** Milliseconds spent waiting for the slot. */
  waitedMs: number;
  /**
   * Reports the end of the request. `responded: true` means a response (any status) came back, so the server has
   * counted the request by now; otherwise the slot keeps its `arrivalBoundMs` anchor. Idempotent.
   */
  release(responded: boolean): void;
}

/**
 * The contract stored on `globalThis`, shared by every copy of this package loaded in the process. Keep it
 * stable: a newer copy must be able to use a limiter created by an older one (a change needs a new registry key).
 */
export interface SharedRateLimiter {
  acquire(key: string, settings: RateLimitSettings, options?: AcquireOptions): Promise<RateLimitSlot>;
}

interface Waiter {
  enqueuedAt: number;
  resolve(slot: RateLimitSlot): void;
  reject(reason: unknown): void;
  detach(): void;
}

interface LogEntry {
  dispatchedAt: number;
  respondedAt: number | undefined;
}

/** Floating-point slack for token arithmetic only; the sliding-log rule is compared exactly. */
const TOKEN_EPSILON = 1e-9;

class KeyLimiter {
  private settings: RateLimitSettings;
  /** Requests whose anchor may still lie inside the window (at most `budget` of them). */
  private log: LogEntry[] = [];
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
    const merged = normalize({
      budget: Math.min(cur.budget, next.budget),
      burst: Math.min(cur.burst, next.burst),
      windowMs: Math.max(cur.windowMs, next.windowMs),
      windowMarginMs: Math.max(cur.windowMarginMs, next.windowMarginMs),
      arrivalBoundMs: Math.max(cur.arrivalBoundMs, next.arrivalBoundMs),
    });
    const same = (Object.keys(merged) as (keyof RateLimitSettings)[]).every((k) => merged[k] === cur[k]);
    if (same) return;
    this.refill(this.clock.now());
    this.settings = merged;
    this.tokens = Math.min(this.tokens, merged.burst);
  }

  acquire(options: AcquireOptions | undefined): Promise<RateLimitSlot> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = this.clock.now();
    if (this.queue.length === 0 && this.readyAt(now) <= now) return Promise.resolve(this.grant(now, now));
    return new Promise<RateLimitSlot>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal?.reason);
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

  private get spanMs(): number {
    return this.settings.windowMs + this.settings.windowMarginMs;
  }

  private get spacingMs(): number {
    return this.spanMs / this.settings.budget;
  }

  /** When a logged request stops counting against the window. */
  private expiry(e: LogEntry): number {
    const anchor = Math.min(e.respondedAt ?? Number.POSITIVE_INFINITY, e.dispatchedAt + this.settings.arrivalBoundMs);
    return anchor + this.spanMs;
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
    this.log = this.log.filter((e) => this.expiry(e) > now);
    let window = now;
    if (this.log.length >= this.settings.budget) {
      // The (length − budget + 1)-th earliest expiry brings the count below the budget.
      const expiries = this.log.map((e) => this.expiry(e)).sort((a, b) => a - b);
      window = expiries[this.log.length - this.settings.budget]!;
    }
    return Math.max(pacing, window);
  }

  private grant(now: number, enqueuedAt: number): RateLimitSlot {
    this.tokens = Math.max(0, this.tokens - 1);
    const entry: LogEntry = { dispatchedAt: now, respondedAt: undefined };
    this.log.push(entry);
    let released = false;
    return {
      waitedMs: now - enqueuedAt,
      release: (responded) => {
        if (released) return;
        released = true;
        if (responded) {
          entry.respondedAt = this.clock.now();
          // An earlier anchor may free a slot sooner than the timer planned.
          if (this.queue.length > 0) this.pump();
        }
      },
    };
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
      waiter.resolve(this.grant(now, waiter.enqueuedAt));
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
    arrivalBoundMs: Math.max(0, s.arrivalBoundMs),
  };
}

/** A set of per-key limiters. The process normally uses exactly one: `sharedRateLimiter()`. */
export class RateLimiter implements SharedRateLimiter {
  private readonly keys = new Map<string, KeyLimiter>();

  constructor(private readonly clock: LimiterClock = systemClock) {}

  acquire(key: string, settings: RateLimitSettings, options?: AcquireOptions): Promise<RateLimitSlot> {
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
