// Property: for random arrival patterns, budgets, bursts, margins, give-ups, response latencies and network jitter,
// the *server* never sees more than the budget for one key in any window of 1 s (plus the margin): a request
// reaches the server at any moment between its dispatch and its response (or, without a response, the arrival
// bound). Our dispatches are likewise spaced; waiters are served in arrival order; every waiter that did not give
// up is served. Runs the limiter on a simulated clock (discrete events, no real time).
import fc from "fast-check";
import { RateLimiter, type LimiterClock } from "./rate-limiter";

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

class SimClock implements LimiterClock {
  t = 0;
  private seq = 0;
  private timers: Timer[] = [];
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { at: this.t + Math.max(0, ms), seq: ++this.seq, fn };
    this.timers.push(timer);
    return timer;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t !== handle);
  }
  nextTimer(): Timer | undefined {
    return this.timers.reduce<Timer | undefined>((a, b) => (!a || b.at < a.at || (b.at === a.at && b.seq < a.seq) ? b : a), undefined);
  }
  take(timer: Timer): void {
    this.timers = this.timers.filter((t) => t !== timer);
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Arrival {
  at: number;
  /** Gives up this long after arriving (abort), if set. */
  giveUpAfter: number | undefined;
  /** Once dispatched: time until the response (or the failure) comes back. */
  latency: number;
  /** Whether a response comes back (false: timeout/reset — the request may still arrive, up to the bound). */
  responds: boolean;
  /** Where in its possible interval the request reaches the server, 0..1. */
  jitter: number;
  /** The server rejected it as throttled (only with a response): it counted nothing. */
  throttled?: boolean;
}

const ARRIVAL_BOUND_MS = 300;

async function simulate(
  arrivals: Arrival[],
  budget: number,
  burst: number,
  windowMarginMs: number,
  adaptive = false,
): Promise<{ served: { id: number; at: number }[]; gaveUp: Set<number>; serverSaw: number[] }> {
  const clock = new SimClock();
  const limiter = new RateLimiter(clock);
  const settings = {
    budget,
    burst,
    windowMs: 1000,
    windowMarginMs,
    arrivalBoundMs: ARRIVAL_BOUND_MS,
    ...(adaptive ? { adaptive: { beta: 0.7, scale: 0.4, minRate: 0.5, cooldownMs: 1000 } } : {}),
  };
  const served: { id: number; at: number }[] = [];
  const serverSaw: number[] = [];
  const gaveUp = new Set<number>();
  type Ev = { at: number; order: number; run: () => void };
  const pending: Ev[] = [];
  let order = 0;
  arrivals.forEach((a, id) => {
    pending.push({
      at: a.at,
      order: order++,
      run: () => {
        const controller = new AbortController();
        limiter.acquire("AK/Action", settings, { signal: controller.signal }).then(
          (slot) => {
            const at = clock.now();
            served.push({ id, at });
            // The server counts the request somewhere between dispatch and response (bounded when none comes).
            const latest = a.responds ? Math.min(a.latency, ARRIVAL_BOUND_MS) : ARRIVAL_BOUND_MS;
            const rejected = adaptive && a.responds && a.throttled === true;
            // A throttling rejection is not counted by the server.
            if (!rejected) serverSaw.push(at + a.jitter * latest);
            pending.push({ at: at + a.latency, order: order++, run: () => (rejected ? slot.throttled() : slot.release(a.responds)) });
          },
          () => void gaveUp.add(id),
        );
        if (a.giveUpAfter !== undefined) pending.push({ at: a.at + a.giveUpAfter, order: order++, run: () => controller.abort(new Error("gave up")) });
      },
    });
  });
  for (let guard = 0; guard < 100_000; guard++) {
    pending.sort((x, y) => x.at - y.at || x.order - y.order);
    const timer = clock.nextTimer();
    const ev = pending[0];
    if (!ev && !timer) break;
    if (ev && (!timer || ev.at <= timer.at)) {
      pending.shift();
      clock.t = Math.max(clock.t, ev.at);
      ev.run();
    } else if (timer) {
      clock.take(timer);
      clock.t = Math.max(clock.t, timer.at);
      timer.fn();
    }
    await flush();
  }
  return { served, gaveUp, serverSaw: serverSaw.sort((x, y) => x - y) };
}

const arrivalPattern = fc.array(
  fc.record({
    at: fc.oneof(fc.integer({ min: 0, max: 6000 }), fc.constantFrom(0, 999, 1000, 1001, 2000)),
    giveUpAfter: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined, freq: 5 }),
    latency: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 1500 })),
    responds: fc.boolean(),
    jitter: fc.double({ min: 0, max: 1, noNaN: true }),
    throttled: fc.boolean(),
  }),
  { minLength: 1, maxLength: 160 },
);

describe("rate limiter on a simulated clock", () => {
  it("never exceeds the budget in any window, serves FIFO, and serves everyone who waits", async () => {
    await fc.assert(
      fc.asyncProperty(
        arrivalPattern,
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 150 }),
        async (arrivalsRaw, budget, burstRaw, margin) => {
          const arrivals = [...arrivalsRaw].sort((a, b) => a.at - b.at);
          const { served, gaveUp, serverSaw } = await simulate(arrivals, budget, burstRaw, margin);

          // Every waiter either got a slot or gave up — and only those with a give-up time gave up.
          expect(served.length + gaveUp.size).toBe(arrivals.length);
          for (const id of gaveUp) expect(arrivals[id]!.giveUpAfter).toBeDefined();

          // The hard guarantee, as the server sees it: arrival i and arrival i−budget are at least window + margin
          // apart, i.e. no window of 1000 ms (nor of 1000 + margin) holds budget + 1 arrivals.
          for (let i = budget; i < serverSaw.length; i++) expect(serverSaw[i]! - serverSaw[i - budget]!).toBeGreaterThanOrEqual(1000 + margin);
          // The same holds for our own dispatch times.
          const times = served.map((s) => s.at);
          for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
          for (let i = budget; i < times.length; i++) expect(times[i]! - times[i - budget]!).toBeGreaterThanOrEqual(1000 + margin);

          // FIFO: the served ones come out in arrival order.
          const ids = served.map((s) => s.id);
          expect(ids).toEqual([...ids].sort((a, b) => a - b));

          // Nobody is served before arriving, and nobody who gave up was served after giving up.
          for (const s of served) {
            const a = arrivals[s.id]!;
            expect(s.at).toBeGreaterThanOrEqual(a.at);
            if (a.giveUpAfter !== undefined) expect(s.at).toBeLessThanOrEqual(a.at + a.giveUpAfter);
          }
        },
      ),
      { numRuns: 150, seed: 4242 },
    );
  });

  it("adaptive, with throttling rejections: the server still never counts more than the budget in any window; FIFO; everyone served", async () => {
    await fc.assert(
      fc.asyncProperty(arrivalPattern, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 150 }), async (arrivalsRaw, budget, burst, margin) => {
        const arrivals = [...arrivalsRaw].sort((a, b) => a.at - b.at);
        const { served, gaveUp, serverSaw } = await simulate(arrivals, budget, burst, margin, true);
        expect(served.length + gaveUp.size).toBe(arrivals.length);
        for (let i = budget; i < serverSaw.length; i++) expect(serverSaw[i]! - serverSaw[i - budget]!).toBeGreaterThanOrEqual(1000 + margin);
        const ids = served.map((s) => s.id);
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
      }),
      { numRuns: 100, seed: 1111 },
    );
  });

  it("is not slower than necessary: a lone waiter on an idle key is served at once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 100_000 }), async (budget, at) => {
        const { served } = await simulate([{ at, giveUpAfter: undefined, latency: 5, responds: true, jitter: 0.5 }], budget, 1, 100);
        expect(served).toEqual([{ id: 0, at }]);
      }),
      { numRuns: 50, seed: 7 },
    );
  });
});
