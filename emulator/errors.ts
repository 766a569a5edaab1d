/**
 * Error responses of the emulated service and gateway: one table of the codes the emulator answers — each with its
 * real HTTP status and whether it is transient (spec §11.1, §11.2, §11.3) — and one factory per code with its real
 * message. Both the HTTP layer (gateway errors: signatures, throttling, unknown actions) and the service layer
 * (LiveMessage errors) throw `EmulatorError`; the HTTP layer renders the envelope
 * `{ RequestId, HostId, Code, Message, Recommend }`.
 */
export class EmulatorError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
    /** Extra response headers, e.g. `x-acs-retry-after` on throttling. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "EmulatorError";
  }
}

export interface ErrorRow {
  readonly status: number;
  /** Who answers it: the LiveMessage service (§11.1), the POP gateway (§11.2), or the emulator's admin API. */
  readonly source: "service" | "gateway" | "admin";
  /** §11.3: worth retrying (throttling and transient server trouble); everything else fails at once. */
  readonly transient: boolean;
}

/** Every code the emulator answers (injected faults may add others). Values marked [U] are documented defaults. */
export const ERROR_TABLE = {
  // §11.1 LiveMessage service errors
  InputInvalid: { status: 400, source: "service", transient: false },
  ErrorTooManyGroups: { status: 400, source: "service", transient: false },
  ErrorTooManyMsgTypes: { status: 400, source: "service", transient: false }, // [U] status (§13.1)
  ErrorTooManyApps: { status: 400, source: "service", transient: false }, // [U] code (§13.2), named like the others
  NoAuth: { status: 403, source: "service", transient: false },
  ResourceNotExist: { status: 404, source: "service", transient: false },
  ServerError: { status: 500, source: "service", transient: true },
  // §11.2 gateway errors
  SignatureDoesNotMatch: { status: 400, source: "gateway", transient: false },
  IncompleteSignature: { status: 400, source: "gateway", transient: false },
  SignatureNonceUsed: { status: 400, source: "gateway", transient: false },
  "InvalidTimeStamp.Expired": { status: 400, source: "gateway", transient: false },
  "InvalidTimeStamp.Format": { status: 400, source: "gateway", transient: false }, // [U]
  "InvalidAccessKeyId.NotFound": { status: 404, source: "gateway", transient: false },
  "InvalidSecurityToken.MismatchWithAccessKey": { status: 400, source: "gateway", transient: false }, // [U]
  MissingParameter: { status: 400, source: "gateway", transient: false },
  "InvalidAction.NotFound": { status: 404, source: "gateway", transient: false }, // [U] status
  InvalidVersion: { status: 400, source: "gateway", transient: false }, // [U]
  UnsupportedHTTPMethod: { status: 400, source: "gateway", transient: false }, // [U]
  "Throttling.User": { status: 400, source: "gateway", transient: true },
  ServiceUnavailable: { status: 503, source: "gateway", transient: true },
  InternalError: { status: 500, source: "gateway", transient: true }, // [U] status
  RequestEntityTooLarge: { status: 413, source: "gateway", transient: false }, // [U] code
  // Emulator admin endpoints (`/_emulator/…`): not part of the real API.
  InvalidAdminRequest: { status: 400, source: "admin", transient: false },
  AdminTokenRequired: { status: 401, source: "admin", transient: false },
  AdminForbidden: { status: 403, source: "admin", transient: false },
  AdminEndpointNotFound: { status: 404, source: "admin", transient: false },
  AdminUnsupportedMediaType: { status: 415, source: "admin", transient: false },
  AdminNotImplemented: { status: 501, source: "admin", transient: false },
} as const satisfies Record<string, ErrorRow>;

export type ErrorCode = keyof typeof ERROR_TABLE;

function make(code: ErrorCode, message: string, headers?: Record<string, string>): EmulatorError {
  return new EmulatorError(code, ERROR_TABLE[code].status, message, headers);
}

export const Errors = {
  // LiveMessage service errors (spec §11.1)
  inputInvalid: (detail: string) => make("InputInvalid", `The input parameter is invalid: ${detail}.`),
  tooManyGroups: (appId: string, limit: number) => make("ErrorTooManyGroups", `The app ${appId} already has ${limit} groups, which is the maximum.`),
  tooManyMsgTypes: (groupId: string, limit: number) =>
    make("ErrorTooManyMsgTypes", `The group ${groupId} already uses ${limit} message types, which is the maximum.`),
  tooManyApps: (accountId: string, limit: number) => make("ErrorTooManyApps", `The account ${accountId} already has ${limit} apps, which is the maximum.`),
  noAuth: (detail: string) => make("NoAuth", `You are not authorized to perform this operation: ${detail}.`),
  resourceNotExist: (detail: string) => make("ResourceNotExist", `The resource does not exist: ${detail}.`),
  serverError: (detail = "unknown error") => make("ServerError", `Server error: ${detail}.`),

  // Gateway (POP) errors (spec §11.2)
  signatureDoesNotMatch: (stringToSign?: string) =>
    make(
      "SignatureDoesNotMatch",
      stringToSign === undefined
        ? "Specified signature is not matched with our calculation."
        : `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
    ),
  incompleteSignature: (detail: string) => make("IncompleteSignature", `The request signature does not conform to Aliyun standards. ${detail}`),
  signatureNonceUsed: () => make("SignatureNonceUsed", "Specified signature nonce was used already."),
  timestampExpired: (value: string) => make("InvalidTimeStamp.Expired", `Specified time stamp or date value is expired. (${value})`),
  timestampFormat: (value: string) => make("InvalidTimeStamp.Format", `Specified time stamp or date value is not well formatted. (${value})`),
  accessKeyNotFound: () => make("InvalidAccessKeyId.NotFound", "Specified access key is not found."),
  missingParameter: (name: string) =>
    make("MissingParameter", `The input parameter "${name}" that is mandatory for processing this request is not supplied.`),
  invalidAction: (action: string) => make("InvalidAction.NotFound", `Specified api is not found, please check your url and method. (${action.slice(0, 200)})`),
  unsupportedHttpMethod: (method: string) => make("UnsupportedHTTPMethod", `This http method is not supported. (${method})`),
  throttlingUser: (retryAfterMs: number) =>
    make("Throttling.User", "Request was denied due to user flow control.", { "x-acs-retry-after": String(retryAfterMs) }),
  serviceUnavailable: () => make("ServiceUnavailable", "The request has failed due to a temporary failure of the server."),
  internalError: () => make("InternalError", "The request processing has failed due to some unknown error."),
  invalidVersion: (version: string) => make("InvalidVersion", `Specified parameter Version is not valid. (${version.slice(0, 64)})`),
  securityTokenMismatch: () => make("InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey."),
  /** V3: `x-acs-content-sha256` differs from the body actually received (spec §10.2). */
  payloadHashMismatch: () =>
    make(
      "SignatureDoesNotMatch",
      "Specified signature is not matched with our calculation. The x-acs-content-sha256 header does not match the SHA-256 of the request body.",
    ),
  requestEntityTooLarge: (limitBytes: number) => make("RequestEntityTooLarge", `The request body exceeds the limit of ${limitBytes} bytes.`),

  // Emulator admin endpoints
  adminBadRequest: (detail: string) => make("InvalidAdminRequest", detail),
  adminUnauthorized: () =>
    make(
      "AdminTokenRequired",
      "This emulator requires its admin token on every /_emulator call: send `Authorization: Bearer <token>` or `x-emulator-admin-token: <token>`.",
    ),
  adminForbidden: (why: string) => make("AdminForbidden", `Refused: ${why}.`),
  adminUnsupportedMediaType: (type: string | undefined) =>
    make("AdminUnsupportedMediaType", `Admin writes take a JSON body with Content-Type: application/json (got ${type === undefined ? "no Content-Type" : type.slice(0, 100)}).`),
  adminNotImplemented: (what: string) => make("AdminNotImplemented", `This emulator's service does not offer ${what} (a custom createService without views).`),
  adminNotFound: (method: string, path: string) => make("AdminEndpointNotFound", `No emulator admin endpoint ${method} ${path.slice(0, 200)}.`),
  /** A fault-injection rule in `error` mode answered instead of the service. */
  injectedFault: (code: string, status: number) => new EmulatorError(code, status, `Injected fault: ${code} (emulator fault injection).`),
} as const;

export function isEmulatorError(e: unknown): e is EmulatorError {
  return e instanceof EmulatorError;
}
