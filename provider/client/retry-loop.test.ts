// The retry loop on its own, with attempts that are plain functions: what is repeated for each retry safety, what a
// bug becomes, and the hooks (waitTurn, refuse, onRetry). Transport details are live-client.test.ts's business.
import { LiveApiError, LiveConfigError, LiveNetworkError, LiveProviderBugError, LiveTimeoutError } from "./errors";
import { runWithRetries } from "./retry-loop";
import type { RetrySafety } from "./call-options";

const policy = { maxAttempts: 4, baseDelayMs: 0, maxDelayMs: 0, throttling: "until-deadline" as const };
const api = (code: string, httpStatus: number) =>
  new LiveApiError({ code, message: code, httpStatus, action: "X", retryable: httpStatus >= 500 || /Throttling/.test(code) });
const lost = () => new LiveNetworkError("X", "reset", { cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }) });
const refused = () => new LiveNetworkError("X", "refused", { cause: Object.assign(new Error("refused"), { code: "ECONNREFUSED" }) });

/** Runs a call whose attempts fail with `failures` in turn, then succeed; returns how many attempts were made. */
async function attemptsFor(retrySafety: RetrySafety, failures: Error[]): Promise<{ attempts: number; result: unknown }> {
  let attempts = 0;
  const result = await runWithRetries({
    action: "X",
    policy,
    retrySafety,
    deadlineMs: 5000,
    attempt: async () => {
      const f = failures[attempts++];
      if (f) throw f;
      return "ok";
    },
  }).catch((e: unknown) => e);
  return { attempts, result };
}

describe("runWithRetries", () => {
  it.each([
    ["a 5xx", 2, 1, () => api("ServiceUnavailable", 503)],
    ["a lost response", 2, 1, lost],
    ["a response timeout", 2, 1, () => new LiveTimeoutError("X", "response", "t")],
    ["throttling", 2, 2, () => api("Throttling.User", 400)],
    ["a refused connection", 2, 2, refused],
  ] as const)("after %s: idempotent → %i attempts; at-most-once → %i", async (_what, idempotent, atMostOnce, failure) => {
    expect((await attemptsFor("idempotent", [failure()])).attempts).toBe(idempotent);
    expect((await attemptsFor("at-most-once", [failure()])).attempts).toBe(atMostOnce);
  });

  it("a non-retryable error ends the call at once, whatever the safety", async () => {
    expect(await attemptsFor("idempotent", [api("InputInvalid", 400)])).toMatchObject({ attempts: 1, result: expect.objectContaining({ code: "InputInvalid" }) });
  });

  it("gives up after maxAttempts with the last error", async () => {
    const r = await attemptsFor("idempotent", [lost(), lost(), lost(), api("ServiceUnavailable", 503)]);
    expect(r.attempts).toBe(4);
    expect(r.result).toMatchObject({ code: "ServiceUnavailable" });
  });

  it("anything that is not a LiveError is our bug: LiveProviderBugError, one attempt, secrets scrubbed", async () => {
    let attempts = 0;
    const err = await runWithRetries({
      action: "X",
      policy,
      retrySafety: "idempotent",
      deadlineMs: 5000,
      secrets: ["s3cr3t"],
      attempt: async () => {
        attempts++;
        throw new TypeError("x.y is undefined (s3cr3t)");
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveProviderBugError);
    expect((err as Error).message).not.toContain("s3cr3t");
    expect(attempts).toBe(1);
  });

  it("onRetry hears whether the failed attempt may have acted; waitTurn runs before every attempt; refuse stops the loop", async () => {
    const infos: boolean[] = [];
    const turns: number[] = [];
    let attempts = 0;
    await runWithRetries({
      action: "X",
      policy,
      retrySafety: "idempotent",
      deadlineMs: 5000,
      onRetry: (i) => infos.push(i.mayHaveSucceeded),
      waitTurn: async (n) => void turns.push(n),
      attempt: async () => {
        attempts++;
        if (attempts === 1) throw lost();
        if (attempts === 2) throw api("Throttling.User", 400);
        return "ok";
      },
    });
    expect(infos).toEqual([true, false]);
    expect(turns).toEqual([1, 2, 3]);
    let refuse = false;
    const err = await runWithRetries({
      action: "X",
      policy,
      retrySafety: "idempotent",
      deadlineMs: 5000,
      refuse: () => (refuse ? new LiveConfigError("closed") : undefined),
      attempt: async () => {
        refuse = true;
        throw lost();
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveNetworkError); // the last real error, not the refusal
  });

  it("throttling is repeated until the deadline, not counted against maxAttempts; other failures still are", async () => {
    const throttled = () => api("Throttling.User", 400);
    // 10 throttles then success: far beyond maxAttempts 4.
    expect(await attemptsFor("idempotent", Array.from({ length: 10 }, throttled))).toMatchObject({ attempts: 11, result: "ok" });
    // Mixed: throttles do not use up the 4 attempts for other failures.
    const mixed = [throttled(), lost(), throttled(), throttled(), lost(), lost(), throttled(), api("ServiceUnavailable", 503)];
    expect(await attemptsFor("idempotent", mixed)).toMatchObject({ attempts: 8, result: expect.objectContaining({ code: "ServiceUnavailable" }) });
    // "counted": throttling is a failure like any other.
    let attempts = 0;
    const err = await runWithRetries({
      action: "X",
      policy: { ...policy, throttling: "counted" },
      retrySafety: "idempotent",
      deadlineMs: 5000,
      attempt: async () => {
        attempts++;
        throw throttled();
      },
    }).catch((e: unknown) => e);
    expect(attempts).toBe(4);
    expect(err).toMatchObject({ code: "Throttling.User" });
  });

  it("a call throttled on every attempt ends at its deadline with the throttling error", async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      let attempts = 0;
      const done = runWithRetries({
        action: "X",
        policy,
        retrySafety: "idempotent",
        deadlineMs: 10_000,
        attempt: async () => {
          attempts++;
          throw new LiveApiError({ code: "Throttling.User", message: "t", httpStatus: 400, action: "X", retryable: true, retryAfterMs: 400 });
        },
      }).catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(10_000);
      const err = await done;
      expect(err).toMatchObject({ code: "Throttling.User" });
      // Each wait is 400–800 ms (retry-after plus jitter): between 10 s / 800 and 10 s / 400 attempts.
      expect(attempts).toBeGreaterThanOrEqual(12);
      expect(attempts).toBeLessThanOrEqual(26);
    } finally {
      jest.useRealTimers();
    }
  });

  it("waits at least the server's retry-after, with jitter of up to as much again (at most 1 s)", async () => {
    const delays: number[] = [];
    let attempts = 0;
    await runWithRetries({
      action: "X",
      policy,
      retrySafety: "idempotent",
      deadlineMs: 60_000,
      onRetry: (i) => delays.push(i.delayMs),
      attempt: async () => {
        if (attempts++ < 30) throw new LiveApiError({ code: "Throttling.User", message: "t", httpStatus: 400, action: "X", retryable: true, retryAfterMs: 3 });
        return "ok";
      },
    });
    expect(delays).toHaveLength(30);
    for (const d of delays) expect(d >= 3 && d < 6).toBe(true);
    expect(new Set(delays).size).toBeGreaterThan(1); // jittered, not all equal
  });
});
