// Property: independent clients ("stacks", each with its own limiter — separate processes, no coordinator) sharing
// one account's budget on a gateway-like server converge: nothing fails (throttled calls are retried until their
// deadline), the whole fleet finishes close to the floor the budget allows, and few attempts are throttled.
// On jest fake timers through the real retry loop and limiter (test-support/fleet-sim.ts); a minute of traffic
// takes well under a second.
import fc from "fast-check";
import { simulateFleet } from "./test-support/fleet-sim";

jest.setTimeout(120_000);
beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

describe("a fleet of adaptive clients on one account", () => {
  it("finishes within 1.3× the floor with 0 failures and ≤ 12 % of attempts throttled (1–4 stacks)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 300, max: 600 }),
        fc.integer({ min: 16, max: 64 }),
        fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 30 })),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        async (stacks, callsPerStack, concurrency, [lo, spread], staggerMs, seed) => {
          const r = await simulateFleet(
            { stacks, callsPerStack, concurrency, latencyMs: [lo, lo + spread], staggerMs: Math.floor(staggerMs / stacks), seed },
            (ms) => jest.advanceTimersByTimeAsync(ms),
          );
          const figures = JSON.stringify({ stacks, callsPerStack, concurrency, ratio: r.ratio, share: r.throttledShare, failed: r.failed });
          expect([figures, r.failed]).toEqual([figures, 0]);
          expect([figures, r.ratio <= 1.3 + (staggerMs / r.floorMs)]).toEqual([figures, true]);
          expect([figures, r.throttledShare <= 0.12]).toEqual([figures, true]);
        },
      ),
      { numRuns: 12, seed: 1101 },
    );
  });

  it("8 stacks × 300 at 64-way: 0 failed, within 1.3× the floor", async () => {
    const r = await simulateFleet({ stacks: 8, callsPerStack: 300, concurrency: 64 }, (ms) => jest.advanceTimersByTimeAsync(ms));
    expect(r.failed).toBe(0);
    expect(r.ratio).toBeLessThan(1.3);
  });

  it("issue 11 regression: a fixed pace with 5 counted attempts lost creates at 4 stacks; adaptive pacing loses none", async () => {
    const options = { stacks: 4, callsPerStack: 300, concurrency: 64 };
    const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);
    const before = await simulateFleet({ ...options, adaptive: false, throttling: "counted" }, advance);
    expect(before.failed).toBeGreaterThan(0);
    expect(before.throttledShare).toBeGreaterThan(0.4);
    const after = await simulateFleet(options, advance);
    expect(after.failed).toBe(0);
    expect(after.throttledShare).toBeLessThan(0.12);
  });
});
