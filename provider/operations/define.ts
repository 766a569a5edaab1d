/**
 * The shape every API operation module has. One module per LiveMessage action (spec §1), named exactly after it,
 * each exporting `defineOperation({...})` under the action's own name, e.g.
 *
 *     export const CreateLiveMessageGroup = defineOperation({ action: "CreateLiveMessageGroup", ... });
 *     await CreateLiveMessageGroup.invoke(client, { AppId: "a", GroupId: "g" });
 *
 * Request and response schemas keep the API's PascalCase names and casing quirks (spec §2.4); lowerCamelCase
 * mapping happens only above this layer (resources). Each operation declares how it may be retried; `invoke` hands
 * that, and its HTTP method, to the client, and validates the response.
 */
import type { z } from "zod";
import type { ActionCaller, ApiParams, CallOptions, RetrySafety } from "../client/call-options";
import { LiveProviderBugError, LiveResponseError, LiveValidationError } from "../client/errors";
import { sanitizedCause } from "../client/redact";

/**
 * How a failed call of an operation may be repeated (spec §11.3), declared by every operation:
 * - `"read"`: it changes nothing;
 * - `"idempotent"`: repeating it has no further effect (it sets a value, or deletes/recovers a named object);
 * - `{ idempotencyKey }`: repeating it is safe only when the caller sets that parameter — the service then takes a
 *   repeat for the same call (`MsgTid` of the Send operations; `GroupId`, which CreateLiveMessageGroup requires);
 * - `"unsafe"`: no idempotency key exists (CreateLiveMessageApp): never re-sent once it may have reached the service.
 */
export type RetryDeclaration = "read" | "idempotent" | "unsafe" | { readonly idempotencyKey: string };

/** Per-call options of `invoke`: the retry safety and method come from the operation itself. */
export type InvokeOptions = Omit<CallOptions, "method" | "retrySafety">;

export interface OperationSpec<Req extends z.ZodType, Res extends z.ZodType> {
  action: string;
  /** HTTP method (spec §2.1): POST, except GET for ListLiveMessageGroupByPage. */
  method: "GET" | "POST";
  /** Documented QPS per account (spec §1). */
  qps: number;
  /** Whether the call changes remote state. */
  mutates: boolean;
  /** How a failed call may be repeated (see `RetryDeclaration`). */
  retry: RetryDeclaration;
  request: Req;
  response: Res;
}

export interface Operation<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType>
  extends OperationSpec<Req, Res> {
  /** Validates `params` with `request` (throws `LiveValidationError` naming the field), calls, returns the validated response. */
  invoke(client: ActionCaller, params: z.input<Req>, options?: InvokeOptions): Promise<z.output<Res>>;
}

/** Turns a zod issue path into `A.B[0]` form. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`))
    .join("");
}

/** What the client is told about repeating one call of `op` with `params`. */
export function retrySafetyOf(op: Pick<OperationSpec<z.ZodType, z.ZodType>, "retry">, params: ApiParams): RetrySafety {
  const r = op.retry;
  if (r === "read" || r === "idempotent") return "idempotent";
  if (r === "unsafe") return "at-most-once";
  const key = params[r.idempotencyKey];
  return key !== undefined && key !== null && key !== "" ? "idempotent" : "at-most-once";
}

/**
 * Validates a success body against the operation's response schema. Throws `LiveResponseError` naming the action
 * and the first offending field.
 */
export function parseResponse<Res extends z.ZodType>(op: Pick<OperationSpec<z.ZodType, Res>, "action" | "response">, body: unknown): z.output<Res> {
  let parsed: ReturnType<Res["safeParse"]>;
  try {
    parsed = op.response.safeParse(body) as ReturnType<Res["safeParse"]>;
  } catch (e) {
    // A schema that throws (rather than reporting an issue) is our bug, not the service's answer.
    throw new LiveProviderBugError(`${op.action} response check`, sanitizedCause(e, []));
  }
  if (parsed.success) return parsed.data as z.output<Res>;
  const requestId =
    body && typeof body === "object" && typeof (body as { RequestId?: unknown }).RequestId === "string"
      ? (body as { RequestId: string }).RequestId
      : undefined;
  const first = parsed.error.issues[0]!;
  const field = issuePath(first.path);
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : "";
  throw new LiveResponseError(
    op.action,
    `${op.action} returned an unexpected response: field "${field || "(body)"}": ${first.message}${more}` +
      `${requestId ? ` (RequestId ${requestId})` : ""}. This is a bug in the service or in this provider's model of it; please report it.`,
    { requestId, field },
  );
}

/** Declares an operation; `invoke` validates the request locally, calls through the client, validates the response. */
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
      const wire = parsed.data as ApiParams;
      const body = await client.call(spec.action, wire, { ...options, method: spec.method, retrySafety: retrySafetyOf(spec, wire) });
      return parseResponse(spec, body);
    },
  };
}
