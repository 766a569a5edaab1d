// The per-(AccessKeyId, Action) limiter on jest fake timers: burst, pacing, the 1-second window guarantee (anchored
// at dispatch + arrival bound, or earlier at the response), FIFO order, removal of waiters that give up, and the
// process-wide registry. Most tests use arrivalBoundMs 0, i.e. a request counts from its dispatch.
import { RateLimiter, rateLimitKey, sharedRateLimiter, type RateLimitSettings } from "./rate-limiter";

const settings = (over: Partial<RateLimitSettings> = {}): RateLimitSettings => ({
  budget: 10,
  burst: 3,
  windowMs: 1000,
  windowMarginMs: 0,
  arrivalBoundMs: 0,
  ...over,
});

beforeEach(() => {
  jest.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  jest.useRealTimers();
});

/** Starts `n` acquires at the current (fake) time and records when and in which order each is granted. */
function launch(limiter: RateLimiter, key: string, s: RateLimitSettings, n: number, signal?: AbortSignal) {
  const t0 = performance.now();
  const granted: { id: number; at: number }[] = [];
  const promises = Array.from({ length: n }, (_, id) =>
    limiter.acquire(key, s, { signal }).then(() => {
      granted.push({ id, at: performance.now() - t0 });
    }),
  );
  return { granted, promises, t0 };
}

describe("burst and pacing", () => {
  it("grants `burst` at once, then paces at (window + margin) / budget", async () => {
    const limiter = new RateLimiter();
    const s = settings({ budget: 10, burst: 3, windowMarginMs: 0 });
    const { granted } = launch(limiter, "k", s, 6);
    await jest.advanceTimersByTimeAsync(0);
    expect(granted.map((g) => g.at)).toEqual([0, 0, 0]);
    await jest.advanceTimersByTimeAsync(99);
    expect(granted).toHaveLength(3);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted).toHaveLength(4);
    await jest.advanceTimersByTimeAsync(200);
    expect(granted.map((g) => g.at)).toEqual([0, 0, 0, 100, 200, 300]);
  });

  it("an idle key accumulates tokens again, up to the burst", async () => {
    const limiter = new RateLimiter();
    const s = settings({ budget: 10, burst: 2 });
    await Promise.all(launch(limiter, "k", s, 2).promises);
    await jest.advanceTimersByTimeAsync(5000);
    const { granted } = launch(limiter, "k", s, 3);
    await jest.advanceTimersByTimeAsync(0);
    expect(granted.map((g) => g.at)).toEqual([0, 0]);
    await jest.advanceTimersByTimeAsync(100);
    expect(granted.map((g) => g.at)).toEqual([0, 0, 100]);
  });

  it("resolves with the time waited", async () => {
    const limiter = new RateLimiter();
    const s = settings({ budget: 2, burst: 1 });
    expect((await limiter.acquire("k", s)).waitedMs).toBe(0);
    const p = limiter.acquire("k", s);
    await jest.advanceTimersByTimeAsync(500);
    await expect(p).resolves.toMatchObject({ waitedMs: 500 });
  });
});

describe("the 1-second window guarantee", () => {
  it("never lets budget+1 dispatches into any window of windowMs + margin, even with burst = budget", async () => {
    const limiter = new RateLimiter();
    const s = settings({ budget: 5, burst: 5, windowMarginMs: 50 });
    const { granted } = launch(limiter, "k", s, 23);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(granted).toHaveLength(23);
    const times = granted.map((g) => g.at);
    for (let i = 5; i < times.length; i++) expect(times[i]! - times[i - 5]!).toBeGreaterThanOrEqual(1050);
    // Not slower than needed either: five per 1050 ms.
    expect(times.slice(0, 11)).toEqual([0, 0, 0, 0, 0, 1050, 1050, 1050, 1050, 1050, 2100]);
  });

  it("pacing and the sliding log combine: a token bucket alone would allow budget + burst in one second", async () => {
    const limiter = new RateLimiter();
    const s = settings({ budget: 10, burst: 5, windowMarginMs: 0 });
    const { granted } = launch(limiter, "k", s, 40);
    await jest.advanceTimersByTimeAsync(10_000);
    const times = granted.map((g) => g.at);
    for (let i = 10; i < times.length; i++) expect(times[i]! - times[i - 10]!).toBeGreaterThanOrEqual(1000);
    for (let start = 0; start <= 4000; start += 10) {
      expect(times.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(10);
    }
  });

  it("keys are independent", async () => {
    const limiter = new RateLimiter();
    const s = settings({ budget: 2, burst: 2 });
    const a = launch(limiter, rateLimitKey("AK1", "Send"), s, 2);
    const b = launch(limiter, rateLimitKey("AK1", "Describe"), s, 2);
    const c = launch(limiter, rateLimitKey("AK2", "Send"), s, 2);
    await jest.advanceTimersByTimeAsync(0);
    expect([a.granted.length, b.granted.length, c.granted.length]).toEqual([2, 2, 2]);
  });

  it("when clients ask for different budgets on one key, the strictest applies", async () => {
    const limiter = new RateLimiter();
    await limiter.acquire("k", settings({ budget: 50, burst: 5 }));
    const { granted } = launch(limiter, "k", settings({ budget: 2, burst: 1 }), 4);
    await jest.advanceTimersByTimeAsync(5000);
    const times = granted.map((g) => g.at);
    // One dispatch already happened at t=0 under the old settings: one more fits the budget of 2 at once (burst 1),
    // the third waits for the window, then pacing at 500 ms.
    expect(times).toEqual([0, 1000, 1500, 2000]);
  });
});

describe("anchoring at the response or the arrival bound", () => {
  const bounded = settings({ budget: 2, burst: 2, windowMarginMs: 10, arrivalBoundMs: 700 });

  it("a request without a response counts until dispatch + arrivalBound + window + margin", async () => {
    const limiter = new RateLimiter();
    await limiter.acquire("k", bounded);
    await limiter.acquire("k", bounded);
    const { granted } = launch(limiter, "k", bounded, 1);
    await jest.advanceTimersByTimeAsync(1709);
    expect(granted).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted.map((g) => g.at)).toEqual([1710]);
  });

  it("a response anchors the request earlier and frees its place at response + window + margin", async () => {
    const limiter = new RateLimiter();
    const a = await limiter.acquire("k", bounded);
    const b = await limiter.acquire("k", bounded);
    const { granted } = launch(limiter, "k", bounded, 2);
    await jest.advanceTimersByTimeAsync(40);
    a.release(true); // responded at t=40
    await jest.advanceTimersByTimeAsync(1009);
    expect(granted).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted.map((g) => g.at)).toEqual([1050]);
    // b never responded: the next place frees at 0 + 700 + 1010.
    b.release(false);
    await jest.advanceTimersByTimeAsync(659);
    expect(granted).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted.map((g) => g.at)).toEqual([1050, 1710]);
  });

  it("a late response never extends the bound, and release is idempotent", async () => {
    const limiter = new RateLimiter();
    const a = await limiter.acquire("k", settings({ budget: 1, burst: 1, arrivalBoundMs: 100 }));
    const { granted } = launch(limiter, "k", settings({ budget: 1, burst: 1, arrivalBoundMs: 100 }), 1);
    await jest.advanceTimersByTimeAsync(500);
    a.release(true);
    a.release(true);
    await jest.advanceTimersByTimeAsync(600);
    expect(granted.map((g) => g.at)).toEqual([1100]);
  });
});

describe("FIFO fairness", () => {
  it("serves waiters strictly in arrival order", async () => {
    const limiter = new RateLimiter();
    const s = settings({ budget: 5, burst: 1 });
    const order: string[] = [];
    const all: Promise<void>[] = [];
    for (let i = 0; i < 12; i++) {
      all.push(limiter.acquire("k", s).then(() => void order.push(`a${i}`)));
      if (i % 3 === 0) await jest.advanceTimersByTimeAsync(37);
    }
    await jest.advanceTimersByTimeAsync(10_000);
    await Promise.all(all);
    expect(order).toEqual(Array.from({ length: 12 }, (_, i) => `a${i}`));
  });

  it("a newcomer does not overtake the queue even when a token is available at that instant", async () => {
    const limiter = new RateLimiter();
    const s = settings({ budget: 1, burst: 1, windowMs: 1000 });
    const order: string[] = [];
    void limiter.acquire("k", s).then(() => order.push("first"));
    void limiter.acquire("k", s).then(() => order.push("second"));
    await jest.advanceTimersByTimeAsync(1000);
    void limiter.acquire("k", s).then(() => order.push("third"));
    await jest.advanceTimersByTimeAsync(0);
    expect(order).toEqual(["first", "second"]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(order).toEqual(["first", "second", "third"]);
  });
});

describe("waiters that give up", () => {
  it("an aborted waiter leaves the queue, rejects with the signal's reason, and the next one takes its turn", async () => {
    const limiter = new RateLimiter();
    const s = settings({ budget: 10, burst: 1 });
    const order: string[] = [];
    await limiter.acquire("k", s);
    const controller = new AbortController();
    const a = limiter.acquire("k", s).then(() => void order.push("a"));
    const b = limiter.acquire("k", s, { signal: controller.signal }).then(
      () => void order.push("b"),
      (e: unknown) => void order.push(`b rejected: ${(e as Error).message}`),
    );
    const c = limiter.acquire("k", s).then(() => void order.push("c"));
    await jest.advanceTimersByTimeAsync(50);
    controller.abort(new Error("caller gave up"));
    await b;
    expect(order).toEqual(["b rejected: caller gave up"]);
    await jest.advanceTimersByTimeAsync(50);
    expect(order).toEqual(["b rejected: caller gave up", "a"]);
    await jest.advanceTimersByTimeAsync(100);
    await Promise.all([a, c]);
    // c got the slot b would have had (t = 200 ms).
    expect(order).toEqual(["b rejected: caller gave up", "a", "c"]);
  });

  it("a deadline (timer-driven abort) removes the waiter before its turn", async () => {
    const limiter = new RateLimiter();
    const s = settings({ budget: 1, burst: 1 });
    await limiter.acquire("k", s);
    const deadline = new AbortController();
    setTimeout(() => deadline.abort(new Error("deadline")), 300);
    const p = limiter.acquire("k", s, { signal: deadline.signal });
    const settled = jest.fn();
    p.then(settled, settled);
    await jest.advanceTimersByTimeAsync(299);
    expect(settled).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    await expect(p).rejects.toThrow("deadline");
    // The slot it would have taken at t=1000 is still free for the next caller.
    const next = launch(limiter, "k", s, 1);
    await jest.advanceTimersByTimeAsync(700);
    expect(next.granted.map((g) => Math.round(g.at))).toEqual([700]);
  });

  it("an already-aborted signal rejects at once without consuming a slot", async () => {
    const limiter = new RateLimiter();
    const s = settings({ budget: 1, burst: 1 });
    await expect(limiter.acquire("k", s, { signal: AbortSignal.abort(new Error("no")) })).rejects.toThrow("no");
    await expect(limiter.acquire("k", s)).resolves.toMatchObject({ waitedMs: 0 });
  });
});

describe("process-wide registry", () => {
  it("is one instance on globalThis under a Symbol.for key, shared by a second loaded copy of the module", () => {
    const first = sharedRateLimiter();
    expect(sharedRateLimiter()).toBe(first);
    expect((globalThis as Record<symbol, unknown>)[Symbol.for("pulumi-alicloud-livemessage.rate-limiter.v2")]).toBe(first);
    let second: unknown;
    jest.isolateModules(() => {
      const copy = require("./rate-limiter") as typeof import("./rate-limiter");
      expect(copy.RateLimiter).not.toBe(RateLimiter);
      second = copy.sharedRateLimiter();
    });
    expect(second).toBe(first);
  });
});
