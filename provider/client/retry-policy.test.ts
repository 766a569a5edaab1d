// Retry classification table (spec §11.1, §11.2, §11.3) and the backoff arithmetic.
import { RETRY_DEFAULTS } from "./defaults";
import {
  LiveAbortError,
  LiveApiError,
  LiveConfigError,
  LiveCredentialsError,
  LiveNetworkError,
  LiveProviderBugError,
  LiveResponseError,
  LiveTimeoutError,
  LiveValidationError,
} from "./errors";
import { backoffDelay, classifyApiError, classifyNetworkCode, classifyRetry, mayHaveBeenProcessed, parseRetryAfterMs } from "./retry-policy";

function apiError(code: string, httpStatus: number): LiveApiError {
  return new LiveApiError({ code, message: code, httpStatus, action: "X", retryable: false });
}

describe("API error codes (spec §11.1 service errors + §11.2 gateway errors)", () => {
  // [code, HTTP status from the spec tables, retried?, kind]
  const table: [string, number, boolean, string | undefined][] = [
    // §11.1
    ["InputInvalid", 400, false, undefined],
    ["ErrorTooManyGroups", 400, false, undefined],
    ["ErrorTooManyMsgTypes", 400, false, undefined],
    ["NoAuth", 403, false, undefined],
    ["ResourceNotExist", 404, false, undefined],
    ["ServerError", 500, true, "server"],
    // §11.2
    ["SignatureDoesNotMatch", 400, false, undefined],
    ["IncompleteSignature", 400, false, undefined],
    ["SignatureNonceUsed", 400, false, undefined],
    ["InvalidTimeStamp.Expired", 400, false, undefined],
    ["InvalidTimeStamp.Format", 400, false, undefined],
    ["InvalidAccessKeyId.NotFound", 404, false, undefined],
    ["InvalidAccessKeyId.Inactive", 400, false, undefined],
    ["InvalidSecurityToken.Expired", 403, false, undefined],
    ["Forbidden.RAM", 403, false, undefined],
    ["MissingParameter", 400, false, undefined],
    ["InvalidParameter", 400, false, undefined],
    ["InvalidAction.NotFound", 404, false, undefined],
    ["Throttling.User", 400, true, "throttling"],
    ["Throttling.Api", 400, true, "throttling"],
    ["Throttling", 400, true, "throttling"],
    ["ServiceUnavailable", 503, true, "server"],
    ["InternalError", 500, true, "server"],
    // §11.3 variants: any code containing Throttling; the transient codes whatever the status; any other 5xx.
    ["Rejected.Throttling", 400, true, "throttling"],
    ["ServiceUnavailable", 500, true, "server"],
    ["InternalError", 400, true, "server"],
    ["ServerError.Busy", 500, true, "server"],
    ["HttpError502", 502, true, "server"],
    ["HttpError504", 504, true, "server"],
    ["SomethingNew", 500, true, "server"],
    ["HttpError429", 429, true, "throttling"],
    // Every other 4xx fails after one attempt.
    ["HttpError400", 400, false, undefined],
    ["HttpError404", 404, false, undefined],
    ["HttpError302", 302, false, undefined],
    ["SomethingNew", 409, false, undefined],
    ["ServerErrorish", 400, false, undefined],
  ];

  it.each(table)("%s (HTTP %d) → retry=%s", (code, status, retry, kind) => {
    expect(classifyApiError(code, status)).toEqual({ retry, kind });
    expect(classifyRetry(apiError(code, status))).toEqual({ retry, kind });
  });
});

describe("network error kinds", () => {
  const table: [string, boolean, string | undefined][] = [
    ["ECONNRESET", true, "network"],
    ["ECONNREFUSED", true, "network"],
    ["ECONNABORTED", true, "network"],
    ["EPIPE", true, "network"],
    ["EHOSTUNREACH", true, "network"],
    ["ENETUNREACH", true, "network"],
    ["EAI_AGAIN", true, "network"],
    ["UND_ERR_SOCKET", true, "network"],
    ["ETIMEDOUT", true, "timeout"],
    ["UND_ERR_CONNECT_TIMEOUT", true, "timeout"],
    ["UND_ERR_HEADERS_TIMEOUT", true, "timeout"],
    ["UND_ERR_BODY_TIMEOUT", true, "timeout"],
    // Configuration problems, not transient.
    ["ENOTFOUND", false, undefined],
    ["CERT_HAS_EXPIRED", false, undefined],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", false, undefined],
    ["UND_ERR_INVALID_ARG", false, undefined],
    ["UND_ERR_CLOSED", false, undefined],
    ["UND_MOCK_ERR_MOCK_NOT_MATCHED", false, undefined],
  ];

  it.each(table)("raw %s → retry=%s", (code, retry, kind) => {
    expect(classifyNetworkCode(code)).toEqual({ retry, kind });
    expect(classifyRetry(Object.assign(new Error(code), { code }))).toEqual({ retry, kind });
  });

  it("an error without a code, or a non-error, is not retried", () => {
    expect(classifyRetry(new Error("boom"))).toEqual({ retry: false, kind: undefined });
    expect(classifyRetry("boom")).toEqual({ retry: false, kind: undefined });
    expect(classifyRetry(undefined)).toEqual({ retry: false, kind: undefined });
  });
});

describe("this package's error classes", () => {
  it.each([
    ["LiveNetworkError (retryable)", new LiveNetworkError("X", "reset", { retryable: true }), true],
    ["LiveNetworkError (not retryable)", new LiveNetworkError("X", "dns", { retryable: false }), false],
    ["LiveTimeoutError connect", new LiveTimeoutError("X", "connect", "t"), true],
    ["LiveTimeoutError response", new LiveTimeoutError("X", "response", "t"), true],
    ["LiveTimeoutError deadline", new LiveTimeoutError("X", "deadline", "t"), false],
    ["LiveAbortError", new LiveAbortError("X"), false],
    ["LiveResponseError", new LiveResponseError("X", "bad"), false],
    ["LiveValidationError", new LiveValidationError("X", [{ path: "A", message: "m" }]), false],
    ["LiveCredentialsError", new LiveCredentialsError("none"), false],
    ["LiveConfigError", new LiveConfigError("bad"), false],
  ] as const)("%s → retry=%s", (_name, error, retry) => {
    expect(classifyRetry(error).retry).toBe(retry);
  });
});

describe("mayHaveBeenProcessed (whether repeating a non-idempotent call could act twice)", () => {
  const net = (code: string): LiveNetworkError => new LiveNetworkError("X", code, { cause: Object.assign(new Error(code), { code }) });
  it.each([
    ["Throttling.User 400", apiError("Throttling.User", 400), false],
    ["HttpError429", apiError("HttpError429", 429), false],
    ["InputInvalid 400", apiError("InputInvalid", 400), false],
    ["ServerError 500", apiError("ServerError", 500), true],
    ["ServiceUnavailable 503", apiError("ServiceUnavailable", 503), true],
    ["HttpError502", apiError("HttpError502", 502), true],
    ["connect timeout", new LiveTimeoutError("X", "connect", "t"), false],
    ["response timeout", new LiveTimeoutError("X", "response", "t"), true],
    ["ECONNREFUSED", net("ECONNREFUSED"), false],
    ["ENOTFOUND", net("ENOTFOUND"), false],
    ["EAI_AGAIN", net("EAI_AGAIN"), false],
    ["UND_ERR_CONNECT_TIMEOUT (raw)", Object.assign(new Error("t"), { code: "UND_ERR_CONNECT_TIMEOUT" }), false],
    ["ECONNRESET", net("ECONNRESET"), true],
    ["UND_ERR_SOCKET", net("UND_ERR_SOCKET"), true],
    ["network error without a cause", new LiveNetworkError("X", "?"), true],
    ["bad 2xx body", new LiveResponseError("X", "bad"), true],
    ["validation error", new LiveValidationError("X", []), false],
    // A bug of ours says nothing about the service: never "the create may have happened" (issue 9, case 6).
    ["provider bug", new LiveProviderBugError("X", new TypeError("x is undefined")), false],
    ["a raw TypeError", new TypeError("x is undefined"), false],
    ["a raw ECONNRESET", Object.assign(new Error("reset"), { code: "ECONNRESET" }), true],
  ] as const)("%s → %s", (_name, error, expected) => {
    expect(mayHaveBeenProcessed(error)).toBe(expected);
  });
});

describe("backoffDelay (full jitter)", () => {
  const policy = { baseDelayMs: 200, maxDelayMs: 10_000 };

  it("grows as base·2^n and is capped", () => {
    const top = (n: number): number => backoffDelay(n, policy, () => 0.999999);
    expect(top(0)).toBe(199);
    expect(top(1)).toBe(399);
    expect(top(2)).toBe(799);
    expect(top(5)).toBe(6399);
    expect(top(6)).toBe(9999);
    expect(top(30)).toBe(9999);
  });

  it("draws uniformly from [0, ceiling): zero is possible, the ceiling is not", () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(800);
    for (let i = 0; i < 1000; i++) {
      const d = backoffDelay(i % 8, policy);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (i % 8)));
    }
  });

  it("defaults are written out in one place", () => {
    expect(RETRY_DEFAULTS).toEqual({ maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 10_000 });
    expect(Object.isFrozen(RETRY_DEFAULTS)).toBe(true);
  });
});

describe("parseRetryAfterMs (x-acs-retry-after, ms)", () => {
  it.each([
    ["1500", 1500],
    [" 20 ", 20],
    ["2.5", 3],
    [["300", "400"], 300],
    ["0", undefined],
    ["-5", undefined],
    ["soon", undefined],
    ["", undefined],
    [undefined, undefined],
  ] as const)("%j → %j", (raw, expected) => {
    expect(parseRetryAfterMs(raw as string | string[] | undefined)).toBe(expected);
  });
});
