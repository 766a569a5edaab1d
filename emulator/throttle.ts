/**
 * Gateway flow control (spec §1, §11.2): at most `qpsOf(action)` ACCEPTED requests per (account, Action) in any
 * one-second window — "50 times per second per account": every AccessKey of one account draws on the same budget. A sliding log of the last `budget` accepted times per key — a ring buffer, O(1) per request —
 * guarantees it: a request is accepted only if the budget-th most recent acceptance is at least 1 s old. Rejected
 * requests consume nothing.
 */
import { qpsOf } from "./spec/limits";

export const THROTTLE_WINDOW_MS = 1000;

interface Ring {
  readonly times: number[];
  /** Index of the oldest accepted time once the ring is full; next slot to overwrite. */
  next: number;
}

export type ThrottleDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

export class Throttle {
  private readonly rings = new Map<string, Ring>();

  constructor(
    private readonly clock: () => number,
    private readonly budgetFor: (action: string) => number = qpsOf,
  ) {}

  /** Accepts (and records) the request, or says how many ms until a slot frees. */
  take(accountId: string, action: string): ThrottleDecision {
    const key = `${accountId}\n${action}`;
    let ring = this.rings.get(key);
    if (!ring) {
      ring = { times: [], next: 0 };
      this.rings.set(key, ring);
    }
    const now = this.clock();
    const budget = this.budgetFor(action);
    if (ring.times.length < budget) {
      ring.times.push(now);
      return { ok: true };
    }
    const oldest = ring.times[ring.next]!;
    // `oldest + window > now` ⇔ the last `budget` acceptances all lie in (now - window, now].
    if (oldest + THROTTLE_WINDOW_MS > now) return { ok: false, retryAfterMs: Math.max(1, oldest + THROTTLE_WINDOW_MS - now) };
    ring.times[ring.next] = now;
    ring.next = (ring.next + 1) % budget;
    return { ok: true };
  }

  reset(): void {
    this.rings.clear();
  }
}
