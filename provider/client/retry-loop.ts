/**
 * The retry loop of one call (spec §11.3): attempts, backoff, the call's deadline and the caller's abort signal.
 *
 * It decides *whether* to repeat a failed attempt — `retry-policy.ts` classifies the failure, and the call's
 * `RetrySafety` says whether a failure that may have reached the service may be repeated at all — and *when* (the
 * server's `x-acs-retry-after`, else full-jitter backoff). Pacing is not its business: the rate limiter is a
 * separate unit, plugged in through `waitTurn`; sending is the caller's `attempt`.
 */
import type { RetryInfo, RetrySafety } from "./call-options";
import { LiveAbortError, LiveApiError, LiveError, LiveProviderBugError, LiveTimeoutError } from "./errors";
import { sanitizedCause } from "./redact";
import { backoffDelay, classifyRetry, mayHaveBeenProcessed, type BackoffPolicy, type RetryKind } from "./retry-policy";

/** setTimeout's ceiling (2^31−1 ms); longer delays would fire at once, so timers are clamped to it. */
export const MAX_TIMER_MS = 2_147_483_647;

export interface RetryLoopPolicy extends BackoffPolicy {
  /** Attempts per call, the first one included. */
  maxAttempts: number;
}

/** Emitted before each backoff; the client turns it into its `retry` log event. */
export interface RetryEvent {
  action: string;
  /** The attempt that failed. */
  attempt: number;
  delayMs: number;
  /** Error code of the failure (`Throttling.User`, `LIVEMSG_NETWORK_ERROR`, …). */
  reason: string;
  kind: RetryKind | undefined;
  /** Set when the delay came from the server's `x-acs-retry-after`. */
  retryAfterMs: number | undefined;
  /** Whether the server may have acted on the failed attempt (see `mayHaveBeenProcessed`). */
  mayHaveSucceeded: boolean;
}

export interface RetryLoopCall<T> {
  action: string;
  policy: RetryLoopPolicy;
  retrySafety: RetrySafety;
  deadlineMs: number;
  /** The caller's signal. */
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
  onRetryEvent?: (event: RetryEvent) => void;
  /** Before each attempt: may wait for permission to send (the rate limiter). `signal` ends the wait. */
  waitTurn?: (attempt: number, signal: AbortSignal) => Promise<void>;
  /** One attempt. `signal` aborts when the caller aborts or the deadline passes. */
  attempt: (attempt: number, signal: AbortSignal) => Promise<T>;
  /** Checked before each attempt: an error here ends the call (e.g. the client was closed). */
  refuse?: () => LiveError | undefined;
  /** Scrubbed from the message of a `LiveProviderBugError`. */
  secrets?: readonly string[];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** One call's abort scope: the caller's signal and the call deadline combined. */
class CallScope {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly deadlineAt: number;
  reason: "caller" | "deadline" | undefined;

  constructor(
    private readonly callerSignal: AbortSignal | undefined,
    readonly deadlineMs: number,
  ) {
    this.deadlineAt = performance.now() + deadlineMs;
    this.timer = setTimeout(() => this.abort("deadline", undefined), Math.min(deadlineMs, MAX_TIMER_MS));
    if (callerSignal?.aborted) this.abort("caller", callerSignal.reason);
    else callerSignal?.addEventListener("abort", this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  remainingMs(): number {
    return this.deadlineAt - performance.now();
  }

  private readonly onCallerAbort = (): void => this.abort("caller", this.callerSignal?.reason);

  private abort(reason: "caller" | "deadline", cause: unknown): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort(reason === "caller" ? cause : new Error("deadline exceeded"));
  }

  /**
   * The error that ends a call whose scope aborted. During backoff the deadline yields the last real error;
   * anywhere else a deadline is a `LiveTimeoutError` with phase "deadline".
   */
  failure(action: string, attempt: number, lastError: LiveError | undefined, during: "wait" | "attempt" | "backoff"): LiveError {
    if (this.reason === "caller") return new LiveAbortError(action, { cause: this.callerSignal?.reason });
    if (during === "backoff" && lastError) return lastError;
    const where = during === "wait" ? "while waiting for a rate-limit slot" : `during attempt ${attempt}`;
    const last = lastError ? `; the previous attempt failed with ${lastError.code}` : "";
    return new LiveTimeoutError(action, "deadline", `${action} did not complete within its ${this.deadlineMs} ms deadline (expired ${where}${last}).`, {
      cause: lastError,
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener("abort", this.onCallerAbort);
  }
}

/** Runs `call.attempt` until it succeeds, a failure is final, the attempts are used up, or the deadline passes. */
export async function runWithRetries<T>(call: RetryLoopCall<T>): Promise<T> {
  const { action, policy } = call;
  const scope = new CallScope(call.signal, call.deadlineMs);
  let lastError: LiveError | undefined;
  try {
    for (let attempt = 1; ; attempt++) {
      const refused = call.refuse?.();
      if (refused) throw lastError ?? refused;
      if (call.waitTurn) {
        try {
          await call.waitTurn(attempt, scope.signal);
        } catch {
          throw scope.failure(action, attempt, lastError, "wait");
        }
      }
      let error: LiveError;
      try {
        return await call.attempt(attempt, scope.signal);
      } catch (err) {
        if (scope.reason) throw scope.failure(action, attempt, lastError, "attempt");
        // Every transport failure arrives as a LiveError; anything else is a bug of ours, reported as one.
        error = err instanceof LiveError ? err : new LiveProviderBugError(action, sanitizedCause(err, call.secrets ?? []));
      }
      lastError = error;
      const decision = classifyRetry(error);
      if (!decision.retry || attempt >= policy.maxAttempts) throw decision.retry ? gaveUp(error, attempt) : error;
      // An at-most-once call is repeated only when the server certainly did not act on the failed attempt.
      const mayHaveSucceeded = mayHaveBeenProcessed(error);
      if (mayHaveSucceeded && call.retrySafety === "at-most-once") throw error;
      const retryAfterMs = error instanceof LiveApiError ? error.retryAfterMs : undefined;
      const delayMs = retryAfterMs ?? backoffDelay(attempt - 1, policy);
      // Sleeping past the deadline cannot help: give the caller the real error now (spec §11.3).
      if (delayMs >= scope.remainingMs()) throw gaveUp(error, attempt);
      call.onRetryEvent?.({ action, attempt, delayMs, reason: error.code, kind: decision.kind, retryAfterMs, mayHaveSucceeded });
      try {
        call.onRetry?.({ attempt, code: error.code, mayHaveSucceeded, delayMs });
      } catch {
        // The caller's hook must not change the retry policy.
      }
      try {
        await sleep(delayMs, scope.signal);
      } catch {
        throw scope.failure(action, attempt, lastError, "backoff");
      }
    }
  } finally {
    scope.dispose();
  }
}

/** A retryable failure that ends the call says how often the call was tried (issue 13). */
function gaveUp(error: LiveError, attempts: number): LiveError {
  error.message += ` — gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}`;
  return error;
}
