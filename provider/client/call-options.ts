/**
 * The contract between a caller and the client: what one call may carry besides its parameters. The operation
 * modules (`../operations`) fill these in from their own declarations (HTTP method, retry safety); the client knows
 * nothing about individual operations.
 */

/** Wire parameter values before serialization: arrays are comma-joined, numbers/booleans decimal strings. */
export type ParamValue = string | number | boolean | readonly (string | number)[] | null | undefined;
export type ApiParams = Readonly<Record<string, ParamValue>>;

/**
 * May a failed attempt be sent again? (spec §11.3, DESIGN.md rule 3)
 * - `"idempotent"`: repeating the call cannot act twice — a read, a write that sets a value, or a call that carries
 *   its idempotency key (`GroupId`, `MsgTid`). Every retryable failure is retried.
 * - `"at-most-once"`: a write without an idempotency key (CreateLiveMessageApp; a send without `MsgTid`). Retried only
 *   when the service certainly did not act (throttling, connect failures); never re-sent once it may have reached
 *   the service (a lost or late response, a 5xx). The failure is thrown instead, so the caller can look the result up.
 */
export type RetrySafety = "idempotent" | "at-most-once";

/** What a call assumes when it does not say: never risk acting twice. */
export const DEFAULT_RETRY_SAFETY: RetrySafety = "at-most-once";

export interface CallOptions {
  /** Aborts the call (all attempts and waits). */
  signal?: AbortSignal;
  /** Overall deadline for this call in ms (all attempts, limiter waits and backoff included). */
  deadlineMs?: number;
  /** HTTP method (spec §2.1); default POST. */
  method?: "GET" | "POST";
  /** Default `DEFAULT_RETRY_SAFETY`; every operation module declares its own (see `RetrySafety`). */
  retrySafety?: RetrySafety;
  /** Told about every failed attempt that is about to be retried (e.g. to know a create may already have happened). */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** 1-based number of the attempt that failed. */
  readonly attempt: number;
  /** Stable code of the failure (API code or LIVEMSG_*). */
  readonly code: string;
  /** True when the server may have processed the failed attempt (response lost, timed out, or 5xx). */
  readonly mayHaveSucceeded: boolean;
  /** Backoff before the next attempt, ms. */
  readonly delayMs: number;
}

/**
 * Remembers whether any retried attempt of a call may have reached the service. A call's final error speaks only of
 * its last attempt: an earlier attempt whose answer was lost may have acted even when the last one was throttled.
 *
 *     const sent = maybeProcessedTracker();
 *     await op.invoke(client, params, { onRetry: sent.onRetry }).catch((e) => { if (sent.any || mayHaveBeenProcessed(e)) … });
 */
export function maybeProcessedTracker(): { readonly onRetry: (info: RetryInfo) => void; readonly any: boolean } {
  let any = false;
  return {
    onRetry: (info) => {
      any ||= info.mayHaveSucceeded;
    },
    get any() {
      return any;
    },
  };
}

/** What an operation needs from a client: `LiveClient` satisfies it. */
export interface ActionCaller {
  call(action: string, params: ApiParams, options?: CallOptions): Promise<unknown>;
}
