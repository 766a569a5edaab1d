// The retry loop on its own, with attempts that are plain functions: what is repeated for each retry safety, what a
// bug becomes, and the hooks (waitTurn, refuse, onRetry). Transport details are live-client.test.ts's business.
import { LiveApiError, LiveConfigError, LiveNetworkError, LiveProviderBugError, LiveTimeoutError } from "./errors";
import { runWithRetries } from "./retry-loop";
import type { RetrySafety } from "./call-options";

const policy = { maxAttempts: 4, baseDelayMs: 0, maxDelayMs: 0 };
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
});
