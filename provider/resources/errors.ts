/**
 * Errors raised by the resource handlers.
 *
 * `ResourceInitError` is the dynamic provider's "partial failure": the remote object exists but a follow-up call
 * failed. Pulumi's dynamic-provider host reads `id`, `properties` and `reasons` from the thrown error and records
 * the resource in state (instead of orphaning it); the next `pulumi up` runs an update that finishes the job.
 */
import { LiveError } from "../client/errors";

export class ResourceInitError extends LiveError {
  static override readonly kindName = "ResourceInitError";
  readonly id: string;
  /** Outputs of what exists remotely (the adapter adds `__provider` before it reaches Pulumi). */
  properties: Record<string, unknown>;
  readonly reasons: string[];

  constructor(id: string, properties: Record<string, unknown>, message: string, cause?: unknown) {
    super("LIVEMSG_RESOURCE_INIT_FAILED", message, { cause });
    this.name = "ResourceInitError";
    this.id = id;
    this.properties = properties;
    this.reasons = [message];
  }
}

/** A user-facing failure of a lifecycle step (bad state, not a bug): message says what happened and what to do. */
export class ResourceError extends LiveError {
  static override readonly kindName: string = "ResourceError";
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { cause });
    this.name = "ResourceError";
  }
}

/** Stable codes of `ResourceError`s. */
export const ResourceErrorCodes = {
  groupExists: "LIVEMSG_GROUP_ALREADY_EXISTS",
  groupDeleted: "LIVEMSG_GROUP_ID_DELETED",
  groupMismatch: "LIVEMSG_ADOPTED_GROUP_MISMATCH",
  groupUnconfirmed: "LIVEMSG_GROUP_CREATE_UNCONFIRMED",
  appAmbiguousCreate: "LIVEMSG_APP_CREATE_UNCONFIRMED",
  appCandidates: "LIVEMSG_APP_CREATE_AMBIGUOUS",
  badId: "LIVEMSG_BAD_RESOURCE_ID",
  groupInactive: "LIVEMSG_GROUP_INACTIVE",
  msgTidCollision: "LIVEMSG_MSGTID_COLLISION",
  sendUnconfirmed: "LIVEMSG_SEND_UNCONFIRMED",
  quota: "LIVEMSG_QUOTA_EXCEEDED",
  notFound: "LIVEMSG_NOT_FOUND",
  badArgument: "LIVEMSG_BAD_ARGUMENT",
} as const;

/** Short description of any error for a message (never contains secrets: our errors carry none). */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
