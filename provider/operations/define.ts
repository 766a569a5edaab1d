/**
 * The shape every API operation module has. One module per LiveMessage action (spec §1), named exactly after it,
 * each exporting `defineOperation({...})` under the action's own name, e.g.
 *
 *     export const CreateLiveMessageGroup = defineOperation({ action: "CreateLiveMessageGroup", ... });
 *     await CreateLiveMessageGroup.invoke(client, { AppId: "a", GroupId: "g" });
 *
 * Request and response schemas keep the API's PascalCase names and casing quirks (spec §2.4); lowerCamelCase
 * mapping happens only above this layer (resources).
 */
import type { z } from "zod";
import { LiveValidationError } from "../client/errors";

/** Wire parameter values before serialization: arrays are comma-joined, numbers/booleans decimal strings. */
export type ParamValue = string | number | boolean | readonly (string | number)[] | null | undefined;
export type ApiParams = Readonly<Record<string, ParamValue>>;

export interface CallOptions {
  /** Aborts the call (all attempts and waits). */
  signal?: AbortSignal;
  /** Overall deadline for this call in ms (all attempts, limiter waits and backoff included). */
  deadlineMs?: number;
  /**
   * False for calls that must not be sent again once the server may have acted on them — a lost response, a
   * response timeout, a 5xx after the request was written — because repeating them would act twice
   * (CreateLiveMessageApp has no idempotency token). Such failures are then thrown to the caller, who can look the
   * result up. Failures where the server certainly did nothing (throttling, connect errors) are still retried.
   * Default true.
   */
  idempotent?: boolean;
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

/** What an operation needs from a client: `LiveClient` satisfies it. */
export interface ActionCaller {
  call(action: string, params: ApiParams, options?: CallOptions): Promise<unknown>;
}

export interface OperationSpec<Req extends z.ZodType, Res extends z.ZodType> {
  action: string;
  /** HTTP method (spec §2.1): POST, except GET for ListLiveMessageGroupByPage. */
  method: "GET" | "POST";
  /** Documented QPS per account (spec §1). */
  qps: number;
  /** Whether the call changes remote state (used by tests and by the provider to reason about retries). */
  mutates: boolean;
  request: Req;
  response: Res;
}

export interface Operation<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType>
  extends OperationSpec<Req, Res> {
  /** Validates `params` with `request` (throws `LiveValidationError` naming the field), calls, returns the validated response. */
  invoke(client: ActionCaller, params: z.input<Req>, options?: CallOptions): Promise<z.output<Res>>;
}

/** Turns a zod issue path into `A.B[0]` form. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`))
    .join("");
}

/** Declares an operation; `invoke` validates the request locally, then calls through the client. */
export function defineOperation<Req extends z.ZodType, Res extends z.ZodType>(
  spec: OperationSpec<Req, Res>,
): Operation<Req, Res> {
  return {
    ...spec,
    async invoke(client, params, options) {
      const parsed = spec.request.safeParse(params);
      if (!parsed.success) {
        throw new LiveValidationError(
          spec.action,
          parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message })),
        );
      }
      // The client validates the response of every registered action (see ./index.ts `validateResponse`).
      return (await client.call(spec.action, parsed.data as ApiParams, options)) as z.output<Res>;
    },
  };
}
