/**
 * A fleet of independent clients ("stacks", each its own process with its own limiter) sharing one account's budget
 * on a server that throttles like the gateway: at most `budget` accepted requests per key in any 1-second window, a
 * sliding log by arrival, rejected requests counting nothing, `x-acs-retry-after` = until the oldest acceptance ages
 * out (the emulator's rule, emulator/throttle.ts). Each stack runs `callsPerStack` calls, `concurrency` at a time,
 * through the real retry loop (`runWithRetries`) and the real limiter, connected the way LiveClient connects them
 * (`pacedTurns`). Time is whatever `setTimeout`/`performance.now` are: run it under jest fake timers and pass
 * `advance` (e.g. `jest.advanceTimersByTimeAsync`), so a minute of traffic takes a fraction of a second.
 */
import { ADAPTIVE_DEFAULTS, RATE_LIMIT_DEFAULTS, RETRY_DEFAULTS } from "../defaults";
import { LiveApiError } from "../errors";
import { pacedTurns } from "../pacing";
import { RateLimiter, type AdaptiveSettings, type RateLimitSettings } from "../rate-limiter";
import { runWithRetries } from "../retry-loop";

export interface FleetSimOptions {
  stacks: number;
  callsPerStack: number;
  /** Calls in flight per stack (the engine's --parallel). */
  concurrency: number;
  /** The server's budget per window (and the clients' documented QPS). */
  budget?: number;
  /** One-way network delay, ms: uniform in [min, max]. */
  latencyMs?: readonly [number, number];
  /** Adaptive pacing (default `ADAPTIVE_DEFAULTS`), or false for the fixed pace. */
  adaptive?: Partial<AdaptiveSettings> | false;
  /** Throttled attempts: until the deadline (default), or counted within `maxAttempts`. */
  throttling?: "until-deadline" | "counted";
  deadlineMs?: number;
  /** Stack i starts at i × staggerMs. */
  staggerMs?: number;
  seed?: number;
}

export interface FleetSimResult {
  calls: number;
  /** calls / budget seconds: the least time the budget allows. */
  floorMs: number;
  wallMs: number;
  ratio: number;
  failed: number;
  attempts: number;
  throttled: number;
  throttledShare: number;
  /** Most acceptances the server saw in any window (never above the budget: the server enforces it). */
  perStack: { finishedMs: number; failed: number; throttled: number; decreases: number; lowestRate: number }[];
}

/** A small deterministic PRNG (mulberry32), so a run is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The gateway's flow control for one key (emulator/throttle.ts's rule). */
class SlidingWindowServer {
  private readonly accepted: number[] = [];
  private next = 0;
  constructor(private readonly budget: number) {}
  take(now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    if (this.accepted.length < this.budget) {
      this.accepted.push(now);
      return { ok: true };
    }
    const oldest = this.accepted[this.next]!;
    if (oldest + 1000 > now) return { ok: false, retryAfterMs: Math.max(1, Math.ceil(oldest + 1000 - now)) };
    this.accepted[this.next] = now;
    this.next = (this.next + 1) % this.budget;
    return { ok: true };
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function simulateFleet(o: FleetSimOptions, advance: (ms: number) => Promise<void>): Promise<FleetSimResult> {
  const budget = o.budget ?? 50;
  const [minLatency, maxLatency] = o.latencyMs ?? [1, 8];
  const random = prng(o.seed ?? 1);
  const server = new SlidingWindowServer(budget);
  const adaptive = o.adaptive === false ? undefined : { ...ADAPTIVE_DEFAULTS, ...(o.adaptive ?? {}) };
  const settings: RateLimitSettings = {
    budget,
    burst: RATE_LIMIT_DEFAULTS.burst,
    windowMs: RATE_LIMIT_DEFAULTS.windowMs,
    windowMarginMs: RATE_LIMIT_DEFAULTS.windowMarginMs,
    arrivalBoundMs: RATE_LIMIT_DEFAULTS.arrivalBoundMs,
    ...(adaptive ? { adaptive } : {}),
  };
  const policy = { ...RETRY_DEFAULTS, throttling: o.throttling ?? "until-deadline" };
  let attempts = 0;
  let throttled = 0;
  const t0 = performance.now();
  const latency = (): number => minLatency + random() * (maxLatency - minLatency);

  const stack = async (index: number) => {
    if (o.staggerMs) await sleep(index * o.staggerMs);
    const limiter = new RateLimiter();
    const key = "account\u0000CreateLiveMessageGroup";
    let next = 0;
    let failed = 0;
    let mine = 0;
    const worker = async () => {
      while (next < o.callsPerStack) {
        next++;
        const turns = pacedTurns(limiter, key, settings);
        await runWithRetries({
          action: "CreateLiveMessageGroup",
          policy,
          retrySafety: "idempotent",
          deadlineMs: o.deadlineMs ?? 120_000,
          waitTurn: turns.waitTurn,
          attempt: () =>
            turns.run(async () => {
              attempts++;
              await sleep(latency());
              const decision = server.take(performance.now());
              await sleep(latency());
              if (decision.ok) return;
              throttled++;
              mine++;
              throw new LiveApiError({
                code: "Throttling.User",
                message: "Request was denied due to user flow control.",
                httpStatus: 400,
                action: "CreateLiveMessageGroup",
                retryable: true,
                retryAfterMs: decision.retryAfterMs,
              });
            }),
        }).catch(() => void failed++);
      }
    };
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    const stats = limiter.stats(key);
    return { finishedMs: Math.round(performance.now() - t0), failed, throttled: mine, decreases: stats?.decreases ?? 0, lowestRate: stats?.lowestRate ?? budget };
  };

  let done = false;
  const all = Promise.all(Array.from({ length: o.stacks }, (_, i) => stack(i))).finally(() => {
    done = true;
  });
  while (!done) await advance(100);
  const perStack = await all;
  const calls = o.stacks * o.callsPerStack;
  const floorMs = (calls / budget) * 1000;
  const wallMs = Math.max(...perStack.map((s) => s.finishedMs));
  const failed = perStack.reduce((n, s) => n + s.failed, 0);
  return {
    calls,
    floorMs,
    wallMs,
    ratio: wallMs / floorMs,
    failed,
    attempts,
    throttled,
    throttledShare: attempts ? throttled / attempts : 0,
    perStack,
  };
}
