/**
 * Error types of the LiveMessage client. One base class with a stable `code`; a `Symbol.for` brand so that
 * `instanceof` works across two loaded copies of this package (e.g. the SDK's copy and the provider process's).
 *
 * None of these ever carries an AccessKeySecret, a signature or a security token: messages are built from the
 * server's error text and our own words only, and `toJSON` lists exactly the public fields.
 */

/** The brand: the list of error kinds an instance belongs to, under a process-wide symbol. */
const KIND = Symbol.for("pulumi-alicloud-livemessage.error.kind");

/** Stable codes of the errors this package raises itself (API errors carry the service's own code). */
export const ErrorCodes = {
  network: "LIVEMSG_NETWORK_ERROR",
  timeout: "LIVEMSG_TIMEOUT",
  aborted: "LIVEMSG_ABORTED",
  badResponse: "LIVEMSG_BAD_RESPONSE",
  validation: "LIVEMSG_INVALID_PARAMETERS",
  credentials: "LIVEMSG_NO_CREDENTIALS",
  config: "LIVEMSG_INVALID_CONFIG",
  providerBug: "LIVEMSG_PROVIDER_BUG",
} as const;

/** The npm package name, as bug reports should name it. */
export const PACKAGE_NAME = "pulumi-alicloud-livemessage";

function hasKind(value: unknown, kind: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  const kinds = (value as { [KIND]?: readonly string[] })[KIND];
  return Array.isArray(kinds) && kinds.includes(kind);
}

/** Base class of every error this package throws. */
export class LiveError extends Error {
  /** Stable, machine-readable code. */
  readonly code: string;
  /** Whether repeating the same request may succeed. */
  readonly retryable: boolean;

  constructor(code: string, message: string, options?: { retryable?: boolean; cause?: unknown }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = "LiveError";
    this.code = code;
    this.retryable = options?.retryable ?? false;
    Object.defineProperty(this, KIND, { value: kindsOf(new.target), enumerable: false });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    const kind = (this as unknown as { kindName?: string }).kindName ?? "LiveError";
    return hasKind(value, kind);
  }

  static readonly kindName: string = "LiveError";

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, retryable: this.retryable };
  }
}

function kindsOf(ctor: unknown): string[] {
  const kinds: string[] = [];
  let c: unknown = ctor;
  while (typeof c === "function") {
    const name = (c as { kindName?: unknown }).kindName;
    if (Object.prototype.hasOwnProperty.call(c, "kindName") && typeof name === "string") kinds.push(name);
    c = Object.getPrototypeOf(c);
  }
  return kinds;
}

/** The service (or its gateway) answered with an error envelope (spec §2.3). `code` is the service's `Code`. */
export class LiveApiError extends LiveError {
  static override readonly kindName = "LiveApiError";
  readonly httpStatus: number;
  readonly requestId: string | undefined;
  readonly action: string;
  readonly hostId: string | undefined;
  readonly recommend: string | undefined;
  /** Server hint (`x-acs-retry-after`, ms) when present. */
  readonly retryAfterMs: number | undefined;
  /** The server's own `Message` (secrets scrubbed); `message` adds the action, code and status around it. */
  readonly serverMessage: string | undefined;

  constructor(fields: {
    code: string;
    message: string;
    serverMessage?: string;
    httpStatus: number;
    action: string;
    requestId?: string;
    hostId?: string;
    recommend?: string;
    retryable: boolean;
    retryAfterMs?: number;
  }) {
    super(fields.code, fields.message, { retryable: fields.retryable });
    this.name = "LiveApiError";
    this.httpStatus = fields.httpStatus;
    this.action = fields.action;
    this.requestId = fields.requestId;
    this.hostId = fields.hostId;
    this.recommend = fields.recommend;
    this.retryAfterMs = fields.retryAfterMs;
    this.serverMessage = fields.serverMessage;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      httpStatus: this.httpStatus,
      action: this.action,
      requestId: this.requestId,
      hostId: this.hostId,
      recommend: this.recommend,
      serverMessage: this.serverMessage,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

/** The request never got an answer: connection refused or reset, DNS failure, socket closed. */
export class LiveNetworkError extends LiveError {
  static override readonly kindName = "LiveNetworkError";
  readonly action: string;
  constructor(action: string, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(ErrorCodes.network, message, { retryable: options?.retryable ?? true, cause: options?.cause });
    this.name = "LiveNetworkError";
    this.action = action;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), action: this.action };
  }
}

/** A connect/response timeout, or the call's overall deadline passed. */
export class LiveTimeoutError extends LiveError {
  static override readonly kindName = "LiveTimeoutError";
  readonly action: string;
  /** `connect`, `response` (one attempt timed out; retryable) or `deadline` (the whole call; final). */
  readonly phase: "connect" | "response" | "deadline";
  constructor(action: string, phase: "connect" | "response" | "deadline", message: string, options?: { cause?: unknown }) {
    super(ErrorCodes.timeout, message, { retryable: phase !== "deadline", cause: options?.cause });
    this.name = "LiveTimeoutError";
    this.action = action;
    this.phase = phase;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), action: this.action, phase: this.phase };
  }
}

/** The caller aborted the call through its AbortSignal. */
export class LiveAbortError extends LiveError {
  static override readonly kindName = "LiveAbortError";
  readonly action: string;
  constructor(action: string, options?: { cause?: unknown }) {
    super(ErrorCodes.aborted, `${action} was aborted by the caller.`, { cause: options?.cause });
    this.name = "LiveAbortError";
    this.action = action;
  }
}

/** A 2xx response whose body is not what the operation documents (names the action and the field). */
export class LiveResponseError extends LiveError {
  static override readonly kindName = "LiveResponseError";
  readonly action: string;
  readonly requestId: string | undefined;
  readonly field: string | undefined;
  constructor(action: string, message: string, fields?: { requestId?: string; field?: string; cause?: unknown }) {
    super(ErrorCodes.badResponse, message, { cause: fields?.cause });
    this.name = "LiveResponseError";
    this.action = action;
    this.requestId = fields?.requestId;
    this.field = fields?.field;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), action: this.action, requestId: this.requestId, field: this.field };
  }
}

/** Parameters rejected locally before any request was sent. `issues` carry the parameter path. */
export class LiveValidationError extends LiveError {
  static override readonly kindName = "LiveValidationError";
  readonly action: string;
  readonly issues: readonly { path: string; message: string }[];
  constructor(action: string, issues: readonly { path: string; message: string }[]) {
    super(
      ErrorCodes.validation,
      `${action}: invalid parameters: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`,
    );
    this.name = "LiveValidationError";
    this.action = action;
    this.issues = issues;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), action: this.action, issues: this.issues };
  }
}

/** No credentials were found, or they are incomplete. Names every place that was looked at. */
export class LiveCredentialsError extends LiveError {
  static override readonly kindName = "LiveCredentialsError";
  readonly searched: readonly string[];
  constructor(message: string, searched: readonly string[] = []) {
    super(ErrorCodes.credentials, message);
    this.name = "LiveCredentialsError";
    this.searched = searched;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), searched: this.searched };
  }
}

/** Invalid client options (endpoint URL, signature version, …). */
export class LiveConfigError extends LiveError {
  static override readonly kindName = "LiveConfigError";
  constructor(message: string) {
    super(ErrorCodes.config, message);
    this.name = "LiveConfigError";
  }
}

/**
 * An exception our own code should never throw (a TypeError, a broken invariant). It is reported as what it is —
 * never as a network failure, never retried, and never taken for a call that may have reached the service.
 */
export class LiveProviderBugError extends LiveError {
  static override readonly kindName = "LiveProviderBugError";
  /** What was going on (`SendLiveMessageGroup`, `Group create`, …). */
  readonly during: string;
  constructor(during: string, cause: Error & { code?: string }) {
    super(
      ErrorCodes.providerBug,
      `${during}: ${cause.name}: ${cause.message} — this is a bug in ${PACKAGE_NAME}; please report it with this message, ` +
        `the package version and the program or steps that led to it.`,
      { cause },
    );
    this.name = "LiveProviderBugError";
    this.during = during;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), during: this.during };
  }
}

/** The service says the object (app, group, message) does not exist: `ResourceNotExist` (spec §2.4, §11.1). */
export function isNotFound(e: unknown): e is LiveApiError {
  return e instanceof LiveApiError && e.code === "ResourceNotExist";
}

/** True for any error of this package, whichever loaded copy created it. */
export function isLiveError(value: unknown): value is LiveError {
  return hasKind(value, "LiveError");
}
