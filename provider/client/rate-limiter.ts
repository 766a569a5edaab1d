/**
 * Process-wide client-side rate limiting per (account, Action) (spec §1: QPS per account and action; DESIGN rule 3).
 *
 * Guarantee: for one key, the server never sees more than `budget` requests *from this process* inside any window of
 * `windowMs` (1 s). A token bucket alone cannot promise that (it allows rate + burst per second), and counting our own
 * dispatch times is not enough either: the server counts *arrivals*, and a request sent early can arrive late
 * (a cold connection, a stalled event loop, a retransmit) while a later one arrives at once. So two rules combine:
 *   1. pacing — a token bucket with a small `burst`, which spreads dispatches out instead of firing the whole budget
 *      at once;
 *   2. a sliding log of the last `budget` requests, each anchored at the latest moment the server can have
 *      counted it: when its response came back (the server counted it before answering), or — while no response
 *      has come, or none ever will (timeout, abort, reset) — `arrivalBoundMs` after dispatch. A new request is
 *      dispatched only when fewer than `budget` logged requests have an anchor within the last window + margin.
 *      Since a request cannot arrive before it is dispatched, this carries the hard guarantee whatever the jitter.
 *      A request the server refused as throttled leaves the log: the gateway does not count what it rejects.
 *
 * The budget is shared with every other client of the account — other stacks, other machines — which this process
 * cannot see. With `adaptive` settings the bucket's fill rate adapts like the AWS SDKs' adaptive retry mode
 * (smithy-typescript `DefaultRateLimiter`: CUBIC congestion control, RFC 9438): a throttled response lowers the rate
 * to β × the rate actually sent, and the rate then grows back along a cubic curve — quickly at first, flat near the
 * rate where throttling began, then probing above it — up to the documented budget. Unlike the SDK, one decrease
 * per `cooldownMs`: the throttled responses that follow within a window answer requests sent at the old rate, and
 * reacting to each would collapse the rate to the minimum. Independent processes that follow this rule converge to
 * sharing the budget without a coordinator (the same reason TCP flows share a link).
 *
 * Waiters are served first-in first-out, retries ahead of first attempts; a waiter whose signal aborts (caller abort,
 * call deadline) leaves the queue at once.
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

/** How the pace reacts to throttling (see the module comment). Rates are requests per second. */
export interface AdaptiveSettings {
  /** Multiplicative decrease: after throttling, the rate restarts at β × the rate sent. In (0, 1). */
  beta: number;
  /** CUBIC's constant C (requests/s per s³): how fast the rate grows back. > 0. */
  scale: number;
  /** The rate never drops below this. > 0. */
  minRate: number;
  /** Throttled responses within this long after a decrease do not decrease again. ≥ 0. */
  cooldownMs: number;
}

export interface RateLimitSettings {
  /** At most this many requests in any window (the documented QPS). Integer ≥ 1. */
  budget: number;
  /** Dispatches allowed back to back at the full rate; clamped to [1, budget] (scaled down with an adapted rate). */
  burst: number;
  /** The server's counting window; 1000 ms. */
  windowMs: number;
  /** Extra spacing for clock granularity between our clock and the server's; ≥ 0. */
  windowMarginMs: number;
  /** Latest a dispatched request is assumed to reach the server when no response tells us it did; ≥ 0. */
  arrivalBoundMs: number;
  /** Adapt the pace to throttling; without it the pace is fixed at the budget. */
  adaptive?: AdaptiveSettings;
}

export interface AcquireOptions {
  /** Aborting removes the waiter from the queue and rejects with `signal.reason`. */
  signal?: AbortSignal;
  /**
   * A retry: queued ahead of first attempts (first-in first-out among retries). A call waits its turn once; a
   * throttled retry that went to the back again would wait the whole queue once per throttle, and under heavy
   * sharing run out of its deadline.
   */
  retry?: boolean;
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
  /**
   * The response was a throttling rejection: the server did not count the request (it leaves the log), and an
   * adaptive key lowers its pace. Implies `release(true)`. Idempotent.
   */
  throttled(): void;
}

/** What one key has seen in this process (for the throttling report and benchmarks). Times on the limiter's clock. */
export interface RateLimitStats {
  /** The documented budget (requests per window). */
  budget: number;
  /** The pace allowed right now, requests/s (the budget's rate unless throttling lowered it). */
  rate: number;
  /** Slots granted. */
  dispatched: number;
  /** Responses that were not throttling rejections. */
  answered: number;
  /** Throttling rejections. */
  throttled: number;
  /** How often the pace was lowered. */
  decreases: number;
  /** The lowest pace so far, requests/s. */
  lowestRate: number;
  firstThrottledAt: number | undefined;
  /** Answered responses since the first throttling rejection, and when the last one came. */
  answeredSinceThrottled: number;
  lastAnsweredAt: number | undefined;
  /** Waiters queued plus slots granted and not yet released. */
  pending: number;
}

/**
 * The contract stored on `globalThis`, shared by every copy of this package loaded in the process. Keep it
 * stable: a newer copy must be able to use a limiter created by an older one (a change needs a new registry key).
 */
export interface SharedRateLimiter {
  acquire(key: string, settings: RateLimitSettings, options?: AcquireOptions): Promise<RateLimitSlot>;
  /** Undefined for a key never used. */
  stats(key: string): RateLimitStats | undefined;
  /** True exactly once per key: whoever gets true reports the key's throttling (once per process). */
  claimReport(key: string): boolean;
}

interface Waiter {
  enqueuedAt: number;
  retry: boolean;
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

/** The CUBIC state after the last decrease (RFC 9438 §4.2, in requests/s and seconds). */
interface Cubic {
  /** When the rate was lowered. */
  at: number;
  /** The rate the curve flattens at (W_max), after fast convergence. */
  wMax: number;
  /** Seconds from `at` until the curve reaches `wMax`. */
  k: number;
}

class KeyLimiter {
  private settings: RateLimitSettings;
  /** Requests whose anchor may still lie inside the window (at most `budget` of them). */
  private log: LogEntry[] = [];
  private tokens: number;
  private tokensAt: number;
  private readonly queue: Waiter[] = [];
  private timer: unknown = undefined;
  /** Dispatch times within the last window: the rate actually sent, for a decrease. */
  private readonly sent: number[] = [];
  private cubic: Cubic | undefined;
  /** W_max before the last decrease, for CUBIC's fast convergence. */
  private lastWMax: number | undefined;
  private inFlight = 0;
  reported = false;
  readonly counts = { dispatched: 0, answered: 0, throttled: 0, decreases: 0, answeredSinceThrottled: 0 };
  firstThrottledAt: number | undefined;
  lastAnsweredAt: number | undefined;
  lowestRate: number;

  constructor(
    private readonly clock: LimiterClock,
    settings: RateLimitSettings,
  ) {
    this.settings = normalize(settings);
    this.tokens = this.settings.burst;
    this.tokensAt = clock.now();
    this.lowestRate = this.ceilingRate;
  }

  /**
   * Several clients may use one key with different settings; the strictest wins so that the guarantee holds for
   * the smallest budget anyone asked for. Adaptive pacing applies when any of them asks for it.
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
      adaptive: cur.adaptive ?? next.adaptive,
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
    const ahead = options?.retry ? this.queue.some((w) => w.retry) : this.queue.length > 0;
    if (!ahead && this.readyAt(now) <= now) return Promise.resolve(this.grant(now, now));
    return new Promise<RateLimitSlot>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal?.reason);
        this.pump();
      };
      const waiter: Waiter = {
        enqueuedAt: now,
        retry: options?.retry === true,
        resolve,
        reject,
        detach: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      if (waiter.retry) {
        const firstNew = this.queue.findIndex((w) => !w.retry);
        this.queue.splice(firstNew < 0 ? this.queue.length : firstNew, 0, waiter);
      } else this.queue.push(waiter);
      this.pump();
    });
  }

  stats(): RateLimitStats {
    return {
      budget: this.settings.budget,
      rate: this.rate(this.clock.now()),
      ...this.counts,
      lowestRate: this.lowestRate,
      firstThrottledAt: this.firstThrottledAt,
      lastAnsweredAt: this.lastAnsweredAt,
      pending: this.queue.length + this.inFlight,
    };
  }

  private get spanMs(): number {
    return this.settings.windowMs + this.settings.windowMarginMs;
  }

  /** The budget as a rate (requests/s), the window margin included. */
  private get ceilingRate(): number {
    return (this.settings.budget * 1000) / this.spanMs;
  }

  /** The pace allowed at `now`, requests/s: the ceiling, or the CUBIC curve since the last decrease. */
  private rate(now: number): number {
    const c = this.cubic;
    const ceiling = this.ceilingRate;
    if (!c || !this.settings.adaptive) return ceiling;
    const t = Math.max(0, now - c.at) / 1000;
    const w = this.settings.adaptive.scale * (t - c.k) ** 3 + c.wMax;
    if (w >= ceiling && t > c.k) {
      // Fully recovered: back to the fixed pace until the next throttling.
      this.cubic = undefined;
      return ceiling;
    }
    return Math.min(ceiling, Math.max(this.settings.adaptive.minRate, w));
  }

  private spacingMs(now: number): number {
    return 1000 / this.rate(now);
  }

  /** The burst shrinks with the rate: at most about the same share of a window as at the full budget. */
  private burst(now: number): number {
    if (!this.cubic) return this.settings.burst;
    return Math.max(1, Math.floor((this.settings.burst * this.rate(now)) / this.ceilingRate));
  }

  /** When a logged request stops counting against the window. */
  private expiry(e: LogEntry): number {
    const anchor = Math.min(e.respondedAt ?? Number.POSITIVE_INFINITY, e.dispatchedAt + this.settings.arrivalBoundMs);
    return anchor + this.spanMs;
  }

  private refill(now: number): void {
    if (now > this.tokensAt) {
      this.tokens = Math.min(this.burst(now), this.tokens + (now - this.tokensAt) / this.spacingMs(now));
    }
    this.tokensAt = Math.max(this.tokensAt, now);
  }

  /** Earliest time a dispatch is allowed by both rules. */
  private readyAt(now: number): number {
    this.refill(now);
    const pacing = this.tokens >= 1 - TOKEN_EPSILON ? now : now + (1 - this.tokens) * this.spacingMs(now);
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
    this.trimSent(now);
    this.sent.push(now);
    this.counts.dispatched++;
    this.inFlight++;
    let released = false;
    let answered = false;
    let countedSinceThrottled = false;
    let throttled = false;
    const release = (responded: boolean): void => {
      if (released) return;
      released = true;
      this.inFlight--;
      if (responded) {
        const at = this.clock.now();
        entry.respondedAt = at;
        answered = true;
        this.counts.answered++;
        if (this.firstThrottledAt !== undefined) {
          this.counts.answeredSinceThrottled++;
          countedSinceThrottled = true;
        }
        this.lastAnsweredAt = at;
        // An earlier anchor may free a slot sooner than the timer planned.
        if (this.queue.length > 0) this.pump();
      }
    };
    return {
      waitedMs: now - enqueuedAt,
      release,
      throttled: () => {
        if (throttled) return;
        throttled = true;
        if (!released) {
          released = true;
          this.inFlight--;
        } else if (answered) {
          // Counted as an answer when its headers came; the body said it was a rejection.
          this.counts.answered--;
          if (countedSinceThrottled) this.counts.answeredSinceThrottled--;
        }
        const i = this.log.indexOf(entry);
        if (i >= 0) this.log.splice(i, 1);
        this.onThrottled(this.clock.now());
        if (this.queue.length > 0) this.pump();
      },
    };
  }

  private trimSent(now: number): void {
    const windowStart = now - this.settings.windowMs;
    while (this.sent.length > 0 && this.sent[0]! <= windowStart) this.sent.shift();
  }

  /** A throttling rejection: count it, and lower the pace unless it was lowered within the cooldown. */
  private onThrottled(now: number): void {
    this.counts.throttled++;
    this.firstThrottledAt ??= now;
    const adaptive = this.settings.adaptive;
    if (!adaptive) return;
    if (this.cubic && now - this.cubic.at < adaptive.cooldownMs) return;
    this.trimSent(now);
    const measured = (this.sent.length * 1000) / this.settings.windowMs;
    const current = this.rate(now);
    // The rate actually sent, when demand kept below the allowed pace (lowering an unused allowance does nothing).
    const sending = Math.max(adaptive.minRate, Math.min(current, measured > 0 ? measured : current));
    this.refill(now);
    const start = Math.max(adaptive.minRate, adaptive.beta * sending);
    // Fast convergence (RFC 9438 §4.7): a flow throttled below its previous maximum gives up more of it.
    const wMax = this.lastWMax !== undefined && sending < this.lastWMax ? (sending * (1 + adaptive.beta)) / 2 : sending;
    this.lastWMax = sending;
    const top = Math.max(wMax, start);
    this.cubic = { at: now, wMax: top, k: Math.cbrt((top - start) / adaptive.scale) };
    this.counts.decreases++;
    this.lowestRate = Math.min(this.lowestRate, start);
    this.tokens = Math.min(this.tokens, this.burst(now));
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
  const a = s.adaptive;
  return {
    budget,
    burst: Math.min(budget, Math.max(1, Math.floor(s.burst))),
    windowMs: Math.max(1, s.windowMs),
    windowMarginMs: Math.max(0, s.windowMarginMs),
    arrivalBoundMs: Math.max(0, s.arrivalBoundMs),
    ...(a
      ? {
          adaptive: {
            beta: Math.min(0.99, Math.max(0.01, a.beta)),
            scale: Math.max(1e-6, a.scale),
            minRate: Math.max(1e-3, a.minRate),
            cooldownMs: Math.max(0, a.cooldownMs),
          },
        }
      : {}),
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

  stats(key: string): RateLimitStats | undefined {
    return this.keys.get(key)?.stats();
  }

  claimReport(key: string): boolean {
    const limiter = this.keys.get(key);
    if (!limiter || limiter.reported) return false;
    limiter.reported = true;
    return true;
  }
}

/**
 * Versioned so that an incompatible future contract gets its own registry instead of misusing this one. v2: slots
 * report throttling, keys adapt, `stats` and `claimReport`.
 */
const REGISTRY_KEY = Symbol.for("pulumi-alicloud-livemessage.rate-limiter.v2");

/** The one limiter of this process, shared by every LiveClient — even across two loaded copies of the package. */
export function sharedRateLimiter(): SharedRateLimiter {
  const holder = globalThis as unknown as Record<symbol, SharedRateLimiter | undefined>;
  const existing = holder[REGISTRY_KEY];
  if (existing && typeof existing.acquire === "function") return existing;
  const created = new RateLimiter();
  Object.defineProperty(globalThis, REGISTRY_KEY, { value: created, enumerable: false, configurable: false, writable: false });
  return created;
}

/**
 * The limiter key: one budget per account and action (spec §1: the QPS limit is per account). `scope` is the
 * account when it is known (`accountScope`), else the AccessKeyId (`accessKeyScope`) — two keys of one account then
 * pace separately, and the adaptation makes up for it as it does for other processes.
 */
export function rateLimitKey(scope: string, action: string): string {
  return `${scope}\u0000${action}`;
}

export function accountScope(accountId: string): string {
  return `account:${accountId}`;
}

export function accessKeyScope(accessKeyId: string): string {
  return `accessKey:${accessKeyId}`;
}
