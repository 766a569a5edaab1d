/**
 * Error responses of the emulated service and gateway: one factory per real error code, with the real HTTP status
 * and message (spec §2.3, §11). Both the HTTP layer (gateway errors: signatures, throttling, unknown actions) and
 * the service layer (LiveMessage errors) throw `EmulatorError`; the HTTP layer renders the envelope
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

export const Errors = {
  // LiveMessage service errors (spec §11.1)
  inputInvalid: (detail: string) => new EmulatorError("InputInvalid", 400, `The input parameter is invalid: ${detail}.`),
  tooManyGroups: (appId: string, limit: number) =>
    new EmulatorError("ErrorTooManyGroups", 400, `The app ${appId} already has ${limit} groups, which is the maximum.`),
  // [U] status of ErrorTooManyMsgTypes (spec §13.1): 400.
  tooManyMsgTypes: (groupId: string, limit: number) =>
    new EmulatorError("ErrorTooManyMsgTypes", 400, `The group ${groupId} already uses ${limit} message types, which is the maximum.`),
  // [U] spec §13.2: the 300-apps-per-account quota code is undocumented; named like the product's other quota codes.
  tooManyApps: (accountId: string, limit: number) =>
    new EmulatorError("ErrorTooManyApps", 400, `The account ${accountId} already has ${limit} apps, which is the maximum.`),
  noAuth: (detail: string) => new EmulatorError("NoAuth", 403, `You are not authorized to perform this operation: ${detail}.`),
  resourceNotExist: (detail: string) => new EmulatorError("ResourceNotExist", 404, `The resource does not exist: ${detail}.`),
  serverError: (detail = "unknown error") => new EmulatorError("ServerError", 500, `Server error: ${detail}.`),

  // Gateway (POP) errors (spec §11.2)
  signatureDoesNotMatch: (stringToSign?: string) =>
    new EmulatorError(
      "SignatureDoesNotMatch",
      400,
      stringToSign === undefined
        ? "Specified signature is not matched with our calculation."
        : `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
    ),
  incompleteSignature: (detail: string) =>
    new EmulatorError("IncompleteSignature", 400, `The request signature does not conform to Aliyun standards. ${detail}`),
  signatureNonceUsed: () => new EmulatorError("SignatureNonceUsed", 400, "Specified signature nonce was used already."),
  timestampExpired: (value: string) =>
    new EmulatorError("InvalidTimeStamp.Expired", 400, `Specified time stamp or date value is expired. (${value})`),
  timestampFormat: (value: string) =>
    new EmulatorError("InvalidTimeStamp.Format", 400, `Specified time stamp or date value is not well formatted. (${value})`),
  accessKeyNotFound: () => new EmulatorError("InvalidAccessKeyId.NotFound", 404, "Specified access key is not found."),
  missingParameter: (name: string) => new EmulatorError("MissingParameter", 400, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`),
  invalidAction: (action: string) =>
    new EmulatorError("InvalidAction.NotFound", 404, `Specified api is not found, please check your url and method. (${action})`),
  unsupportedHttpMethod: (method: string) =>
    new EmulatorError("UnsupportedHTTPMethod", 400, `This http method is not supported. (${method})`),
  throttlingUser: (retryAfterMs: number) =>
    new EmulatorError("Throttling.User", 400, "Request was denied due to user flow control.", {
      "x-acs-retry-after": String(retryAfterMs),
    }),
  serviceUnavailable: () =>
    new EmulatorError("ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server."),
  internalError: () =>
    new EmulatorError("InternalError", 500, "The request processing has failed due to some unknown error."),
  // [U] code/status for a wrong `Version` (spec §2.1 only fixes the value 2016-11-01): POP's generic answer.
  invalidVersion: (version: string) =>
    new EmulatorError("InvalidVersion", 400, `Specified parameter Version is not valid. (${version})`),
  // [U] STS: a key configured with a security token requires that exact token (spec §11.2 lists the family).
  securityTokenMismatch: () =>
    new EmulatorError("InvalidSecurityToken.MismatchWithAccessKey", 400, "Specified SecurityToken mismatch with the AccessKey."),
  /** V3: `x-acs-content-sha256` differs from the body actually received (spec §10.2). */
  payloadHashMismatch: () =>
    new EmulatorError(
      "SignatureDoesNotMatch",
      400,
      "Specified signature is not matched with our calculation. The x-acs-content-sha256 header does not match the SHA-256 of the request body.",
    ),
  // [U] the gateway's code for an oversized body is not documented; 413 is what HTTP clients expect.
  requestEntityTooLarge: (limitBytes: number) =>
    new EmulatorError("RequestEntityTooLarge", 413, `The request body exceeds the limit of ${limitBytes} bytes.`),

  // Emulator admin endpoints (`/_emulator/…`): not part of the real API.
  adminBadRequest: (detail: string) => new EmulatorError("InvalidAdminRequest", 400, detail),
  adminNotFound: (method: string, path: string) =>
    new EmulatorError("AdminEndpointNotFound", 404, `No emulator admin endpoint ${method} ${path}.`),
  /** A fault-injection rule in `error` mode answered instead of the service. */
  injectedFault: (code: string, status: number) =>
    new EmulatorError(code, status, `Injected fault: ${code} (emulator fault injection).`),
} as const;

export function isEmulatorError(e: unknown): e is EmulatorError {
  return e instanceof EmulatorError;
}
