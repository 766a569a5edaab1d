// Adaptive pacing on jest fake timers: a throttling rejection leaves the window log and lowers the pace to β × the
// rate sent; the pace grows back along the CUBIC curve to the budget; one decrease per cooldown; retries wait ahead
// of first attempts; the per-key stats and the once-per-process report claim.
import { ADAPTIVE_DEFAULTS } from "./defaults";
import { RateLimiter, type RateLimitSettings, type RateLimitSlot } from "./rate-limiter";

const adaptive = { beta: 0.7, scale: 0.4, minRate: 0.5, cooldownMs: 1000 };
const settings = (over: Partial<RateLimitSettings> = {}): RateLimitSettings => ({
  budget: 50,
  burst: 5,
  windowMs: 1000,
  windowMarginMs: 0,
  arrivalBoundMs: 0,
  adaptive,
  ...over,
});

beforeEach(() => {
  jest.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  jest.useRealTimers();
});

/** Acquires a slot, advancing the fake clock a millisecond at a time until it is granted. */
async function take(limiter: RateLimiter, key: string, s: RateLimitSettings): Promise<RateLimitSlot> {
  let slot: RateLimitSlot | undefined;
  void limiter.acquire(key, s).then((x) => (slot = x));
  await jest.advanceTimersByTimeAsync(0);
  while (!slot) await jest.advanceTimersByTimeAsync(1);
  return slot;
}

/** Sends `n` requests on `key` as fast as the limiter allows, each answered at once; returns the slots. */
async function sendAnswered(limiter: RateLimiter, key: string, s: RateLimitSettings, n: number): Promise<RateLimitSlot[]> {
  const slots: RateLimitSlot[] = [];
  const all = Array.from({ length: n }, () =>
    limiter.acquire(key, s).then((slot) => {
      slot.release(true);
      slots.push(slot);
    }),
  );
  while (slots.length < n) await jest.advanceTimersByTimeAsync(10);
  await Promise.all(all);
  return slots;
}

describe("a throttling rejection", () => {
  it("leaves the window log: the gateway did not count it, so it does not hold a place in our window either", async () => {
    const limiter = new RateLimiter();
    const s = settings({ budget: 3, burst: 3, adaptive: undefined });
    const slots = await Promise.all([1, 2, 3].map(() => limiter.acquire("k", s)));
    for (const slot of slots.slice(0, 2)) slot.release(true);
    slots[2]!.throttled();
    // Two of three places are used within the window: a fourth request may go once a token is back (1/3 s),
    // not only when the first request ages out (1 s).
    let granted = false;
    void limiter.acquire("k", s).then(() => (granted = true));
    await jest.advanceTimersByTimeAsync(340);
    expect(granted).toBe(true);
    expect(limiter.stats("k")).toMatchObject({ dispatched: 4, answered: 2, throttled: 1, decreases: 0 });
  });

  it("without adaptive settings the pace stays at the budget", async () => {
    const limiter = new RateLimiter();
    const s = settings({ adaptive: undefined });
    const [slot] = await Promise.all([limiter.acquire("k", s)]);
    slot!.throttled();
    expect(limiter.stats("k")).toMatchObject({ rate: 50, throttled: 1, decreases: 0 });
  });

  it("lowers the pace to β × the rate sent, then it grows back along the cubic curve to the budget", async () => {
    const limiter = new RateLimiter();
    const s = settings();
    // One second at the full pace (≈ 50/s sent), then a throttled answer.
    await sendAnswered(limiter, "k", s, 50);
    const sent = limiter.stats("k")!;
    expect(sent.rate).toBe(50);
    const throttledSlot = await take(limiter, "k", s);
    throttledSlot.throttled();
    const after = limiter.stats("k")!;
    expect(after.decreases).toBe(1);
    // β × the measured rate (the last second's dispatches, ≈ 50/s).
    expect(after.rate).toBeGreaterThan(0.7 * 44);
    expect(after.rate).toBeLessThanOrEqual(0.7 * 51);
    const start = after.rate;
    // K = cbrt(W_max (1 − β) / C): about 3.4 s for W_max ≈ 50. Concave: most of the way back within K/2.
    const wMax = start / 0.7;
    const k = Math.cbrt((wMax * 0.3) / 0.4);
    await jest.advanceTimersByTimeAsync((k / 2) * 1000);
    const half = limiter.stats("k")!.rate;
    expect(half).toBeGreaterThan(start + 0.8 * (wMax - start));
    expect(half).toBeLessThan(wMax);
    await jest.advanceTimersByTimeAsync((k / 2) * 1000);
    expect(limiter.stats("k")!.rate).toBeCloseTo(Math.min(50, wMax), 0);
    // Then convex probing above W_max, capped at the budget.
    await jest.advanceTimersByTimeAsync(5000);
    expect(limiter.stats("k")!.rate).toBe(50);
    expect(limiter.stats("k")!.lowestRate).toBeCloseTo(start, 5);
  });

  it("paces at the lowered rate", async () => {
    const limiter = new RateLimiter();
    const s = settings({ adaptive: { ...adaptive, scale: 1e-6 } }); // practically no regrowth during the test
    await sendAnswered(limiter, "k", s, 20);
    (await take(limiter, "k", s)).throttled();
    const rate = limiter.stats("k")!.rate;
    const t0 = performance.now();
    const slots = await sendAnswered(limiter, "k", s, 30);
    const elapsed = performance.now() - t0;
    expect(slots).toHaveLength(30);
    // 30 requests at `rate`/s take about 30 / rate seconds (minus the burst allowed at that rate).
    expect(elapsed).toBeGreaterThan(((30 - 5) / rate) * 1000 * 0.9);
    expect(elapsed).toBeLessThan((30 / rate) * 1000 * 1.1 + 20);
  });

  it("decreases once per cooldown: the rejections that follow answer requests sent at the old pace", async () => {
    const limiter = new RateLimiter();
    const s = settings();
    await sendAnswered(limiter, "k", s, 50);
    const slots: RateLimitSlot[] = [];
    for (let i = 0; i < 4; i++) slots.push(await take(limiter, "k", s));
    for (const slot of slots) slot.throttled();
    expect(limiter.stats("k")).toMatchObject({ throttled: 4, decreases: 1 });
    await jest.advanceTimersByTimeAsync(1001);
    (await take(limiter, "k", s)).throttled();
    expect(limiter.stats("k")!.decreases).toBe(2);
  });

  it("never drops below minRate", async () => {
    const limiter = new RateLimiter();
    const s = settings({ adaptive: { ...adaptive, scale: 1e-6 } });
    for (let i = 0; i < 30; i++) {
      (await take(limiter, "k", s)).throttled();
      await jest.advanceTimersByTimeAsync(1001);
    }
    expect(limiter.stats("k")!.rate).toBeGreaterThanOrEqual(0.5);
    expect(limiter.stats("k")!.lowestRate).toBeCloseTo(0.5, 5);
  });

  it("is idempotent, and a release after it changes nothing", async () => {
    const limiter = new RateLimiter();
    const slot = await limiter.acquire("k", settings());
    slot.release(true);
    slot.throttled();
    slot.throttled();
    slot.release(true);
    expect(limiter.stats("k")).toMatchObject({ dispatched: 1, answered: 0, throttled: 1, pending: 0 });
  });
});

describe("retries wait ahead of first attempts", () => {
  it("a retry joins the queue after earlier retries and before every first attempt", async () => {
    const limiter = new RateLimiter();
    const s = settings({ budget: 10, burst: 1, adaptive: undefined });
    await limiter.acquire("k", s);
    const order: string[] = [];
    const wait = (name: string, retry: boolean) => limiter.acquire("k", s, { retry }).then(() => void order.push(name));
    const all = [wait("first1", false), wait("first2", false), wait("retry1", true), wait("first3", false), wait("retry2", true)];
    await jest.advanceTimersByTimeAsync(1000);
    await Promise.all(all);
    expect(order).toEqual(["retry1", "retry2", "first1", "first2", "first3"]);
  });
});

describe("stats and the report claim", () => {
  it("counts per key, and claimReport is true exactly once per key", async () => {
    const limiter = new RateLimiter();
    expect(limiter.stats("k")).toBeUndefined();
    expect(limiter.claimReport("k")).toBe(false);
    const a = await limiter.acquire("k", settings());
    expect(limiter.stats("k")!.pending).toBe(1);
    a.throttled();
    const b = await limiter.acquire("k", settings());
    b.release(true);
    expect(limiter.stats("k")).toMatchObject({ dispatched: 2, answered: 1, throttled: 1, answeredSinceThrottled: 1, pending: 0 });
    expect(limiter.stats("k")!.firstThrottledAt).toBeDefined();
    expect(limiter.claimReport("k")).toBe(true);
    expect(limiter.claimReport("k")).toBe(false);
    expect(limiter.stats("other")).toBeUndefined();
  });

  it("the defaults are CUBIC's as the AWS SDKs use them, with one decrease per window", () => {
    expect(ADAPTIVE_DEFAULTS).toEqual({ beta: 0.7, scale: 0.4, minRate: 0.25, cooldownMs: 1000 });
    expect(Object.isFrozen(ADAPTIVE_DEFAULTS)).toBe(true);
  });
});
