/**
 * Registry of the 29 LiveMessage operations (spec §1): one module per action, named exactly after it.
 * The client looks operations up here for their HTTP method and to validate responses.
 */
import { LiveResponseError } from "../client/errors";
import { issuePath, type Operation } from "./define";

export * from "./define";

// One import per operation module; add each new module to `ALL` below.
const ALL: readonly Operation[] = [];

export const OPERATIONS: Readonly<Record<string, Operation>> = Object.freeze(
  Object.fromEntries(ALL.map((op) => [op.action, op])),
);

export function getOperation(action: string): Operation | undefined {
  return Object.prototype.hasOwnProperty.call(OPERATIONS, action) ? OPERATIONS[action] : undefined;
}

/**
 * Validates a success body against the action's response schema. Unknown actions pass through unchanged.
 * Throws `LiveResponseError` naming the action and the first offending field.
 */
export function validateResponse(action: string, body: unknown): unknown {
  const op = getOperation(action);
  if (!op) return body;
  const parsed = op.response.safeParse(body);
  if (parsed.success) return parsed.data;
  const requestId =
    body && typeof body === "object" && typeof (body as { RequestId?: unknown }).RequestId === "string"
      ? (body as { RequestId: string }).RequestId
      : undefined;
  const first = parsed.error.issues[0]!;
  const field = issuePath(first.path);
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : "";
  throw new LiveResponseError(
    action,
    `${action} returned an unexpected response: field "${field || "(body)"}": ${first.message}${more}` +
      `${requestId ? ` (RequestId ${requestId})` : ""}. This is a bug in the service or in this provider's model of it; please report it.`,
    { requestId, field },
  );
}
