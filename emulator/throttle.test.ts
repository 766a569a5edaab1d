import fc from "fast-check";
import { Throttle, THROTTLE_WINDOW_MS } from "./throttle";

describe("Throttle (spec §1 QPS per account and action)", () => {
  it("accepts exactly the budget in a window and says when a slot frees", () => {
    let now = 10_000;
    const t = new Throttle(() => now);
    for (let i = 0; i < 50; i++) expect(t.take("k", "DescribeLiveMessageGroup").ok).toBe(true);
    now += 400;
    const denied = t.take("k", "DescribeLiveMessageGroup");
    expect(denied).toEqual({ ok: false, retryAfterMs: 600 });
    // Other actions and other keys have their own budgets.
    expect(t.take("k", "CreateLiveMessageGroup").ok).toBe(true);
    expect(t.take("other", "DescribeLiveMessageGroup").ok).toBe(true);
    now = 10_000 + THROTTLE_WINDOW_MS - 1;
    expect(t.take("k", "DescribeLiveMessageGroup").ok).toBe(false);
    now = 10_000 + THROTTLE_WINDOW_MS;
    for (let i = 0; i < 50; i++) expect(t.take("k", "DescribeLiveMessageGroup").ok).toBe(true);
    expect(t.take("k", "DescribeLiveMessageGroup").ok).toBe(false);
  });

  it("mute operations get 10 per second", () => {
    const t = new Throttle(() => 0);
    const accepted = Array.from({ length: 30 }, () => t.take("k", "BanLiveMessageGroup").ok).filter(Boolean).length;
    expect(accepted).toBe(10);
    expect(Array.from({ length: 60 }, () => t.take("k", "DescribeLiveMessageGroupBand").ok).filter(Boolean).length).toBe(50);
  });

  it("rejected requests consume nothing", () => {
    let now = 0;
    const t = new Throttle(() => now, () => 2);
    expect(t.take("k", "A").ok).toBe(true);
    now = 500;
    expect(t.take("k", "A").ok).toBe(true);
    for (let i = 0; i < 100; i++) expect(t.take("k", "A").ok).toBe(false);
    now = 1000; // the first acceptance left the window; the rejections did not count
    expect(t.take("k", "A").ok).toBe(true);
  });

  it("no one-second window ever accepts more than the budget (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 5 }), (gaps, budget) => {
        let now = 0;
        const t = new Throttle(() => now, () => budget);
        const accepted: number[] = [];
        for (const gap of gaps) {
          now += gap;
          const d = t.take("k", "A");
          if (d.ok) accepted.push(now);
          else expect(d.retryAfterMs).toBeGreaterThan(0);
        }
        for (let i = 0; i + budget < accepted.length; i++) {
          // budget+1 consecutive acceptances must span at least a full window.
          expect(accepted[i + budget]! - accepted[i]!).toBeGreaterThanOrEqual(THROTTLE_WINDOW_MS);
        }
      }),
    );
  });

  it("a retry after retryAfterMs is accepted", () => {
    let now = 123;
    const t = new Throttle(() => now, () => 3);
    for (let i = 0; i < 3; i++) {
      t.take("k", "A");
      now += 7;
    }
    const d = t.take("k", "A");
    if (d.ok) throw new Error("expected throttling");
    now += d.retryAfterMs;
    expect(t.take("k", "A").ok).toBe(true);
  });
});
