// LiveClient against undici's MockAgent: wire format, V1/V3 signatures (verified with signature.ts), the error
// envelope and every error class, the retry policy (exact attempt counts, x-acs-retry-after), deadlines, aborts.
import { MockAgent, type Dispatcher } from "undici";
import type { ActionCaller } from "./call-options";
import { API_VERSION } from "../limits";
import {
  LiveAbortError,
  LiveApiError,
  LiveConfigError,
  LiveNetworkError,
  LiveProviderBugError,
  LiveResponseError,
  LiveTimeoutError,
  LiveValidationError,
  isLiveError,
} from "./errors";
import { LiveClient, type ClientLogEvent, type LiveClientOptions } from "./live-client";
import { ListLiveMessageGroupByPage } from "../operations";
import { mayHaveBeenProcessed } from "./retry-policy";
import * as signature from "./signature";

// Pass-through, so that a test can make signing throw once: a stand-in for any exception of our own code.
jest.mock("./signature", () => {
  const actual = jest.requireActual<typeof import("./signature")>("./signature");
  return { ...actual, signV3: jest.fn(actual.signV3) };
});
import { EMPTY_PAYLOAD_SHA256 } from "./signature";
import { decodeQuery, verifyRequest } from "./test-support/verify-signature";

const ORIGIN = "https://live.aliyuncs.com";
const SECRET = "mock-secret";
let akCounter = 0;

interface Captured {
  method: string;
  path: string;
  headers: Record<string, string>;
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | { error: Error } | { delay: number; status: number; body?: unknown };

/** A MockAgent whose origin answers with `replies` in order (one intercept each) and records every request. */
function setup(replies: Reply[], options: Partial<LiveClientOptions> = {}, origin = ORIGIN) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(origin);
  const requests: Captured[] = [];
  for (const r of replies) {
    const scope = pool.intercept({ path: () => true, method: () => true });
    if ("error" in r) {
      scope.replyWithError(r.error);
      continue;
    }
    const replied = scope.reply((opts) => {
      requests.push({
        method: opts.method,
        path: opts.path,
        headers: Object.fromEntries(Object.entries(opts.headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), String(v)])),
      });
      const data = r.body === undefined ? "" : typeof r.body === "string" ? r.body : JSON.stringify(r.body);
      return { statusCode: r.status, data, responseOptions: { headers: { "content-type": "application/json", ...("headers" in r ? r.headers : {}) } } };
    });
    if ("delay" in r) replied.delay(r.delay);
  }
  const accessKeyId = `AKMOCK${++akCounter}`;
  const events: ClientLogEvent[] = [];
  const client = new LiveClient({
    endpoint: origin,
    credentials: { accessKeyId, accessKeySecret: SECRET },
    dispatcher: agent,
    retry: { baseDelayMs: 1, maxDelayMs: 4 },
    rateLimit: false,
    logger: (e) => events.push(e),
    ...options,
  });
  return { agent, client, requests, events, accessKeyId };
}

/** Calls that may be repeated after any retryable failure (reads, keyed writes): what the operation modules declare. */
const IDEMPOTENT = { retrySafety: "idempotent" } as const;

const ok = (extra: Record<string, unknown> = {}): Reply => ({ status: 200, body: { RequestId: "R-OK", ...extra } });
const apiErr = (status: number, code: string, headers?: Record<string, string>): Reply => ({
  status,
  body: { RequestId: `R-${code}`, HostId: "live.aliyuncs.com", Code: code, Message: `message of ${code}`, Recommend: `https://api.aliyun.com/troubleshoot?q=${code}` },
  headers,
});
const sysError = (code: string): Reply => ({ error: Object.assign(new Error(`simulated ${code}`), { code }) });

function verify(req: Captured, secrets: Record<string, string>) {
  const v = verifyRequest(req, secrets);
  if (!v.ok) throw new Error(`signature check failed: ${v.reason}`);
  return v;
}

describe("wire format and signatures", () => {
  it("V3 (default): POST /, business params in the query, signed x-acs-* headers, verifiable signature", async () => {
    const { client, requests, accessKeyId } = setup([ok({ Value: 1 })]);
    const body = await client.call("ClientTestAction", {
      AppId: "demo",
      Administrators: ["uid1", "uid2"],
      Count: 30,
      Big: 1e21,
      Flag: true,
      Off: false,
      Empty: "",
      Missing: undefined,
      Nothing: null,
      Text: "a b*~'+/%😀",
    });
    expect(body).toEqual({ RequestId: "R-OK", Value: 1 });
    expect(requests).toHaveLength(1);
    const req = requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.path.startsWith("/?")).toBe(true);
    expect(req.path).toContain("Administrators=uid1%2Cuid2");
    expect(decodeQuery(req.path)).toEqual({
      AppId: "demo",
      Administrators: "uid1,uid2",
      Count: "30",
      Big: "1000000000000000000000",
      Flag: "true",
      Off: "false",
      Empty: "",
      Text: "a b*~'+/%😀",
    });
    expect(req.headers).toMatchObject({
      host: "live.aliyuncs.com",
      "x-acs-action": "ClientTestAction",
      "x-acs-version": API_VERSION,
      "x-acs-content-sha256": EMPTY_PAYLOAD_SHA256,
      accept: "application/json",
    });
    expect(req.headers["x-acs-date"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(req.headers.authorization).toMatch(
      new RegExp(`^ACS3-HMAC-SHA256 Credential=${accessKeyId},SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=[0-9a-f]{64}$`),
    );
    expect(verify(req, { [accessKeyId]: SECRET })).toMatchObject({ version: "v3", action: "ClientTestAction" });
    // A wrong secret does not verify: the check above is a real one.
    expect(verifyRequest(req, { [accessKeyId]: "other" }).ok).toBe(false);
  });

  it("V1: every common parameter plus the business ones in the query, Signature verifiable, no Authorization", async () => {
    const { client, requests, accessKeyId } = setup([ok()], { signatureVersion: "v1" });
    await client.call("ClientTestAction", { AppId: "demo", UserIds: ["u1", "u2", 3] });
    const req = requests[0]!;
    expect(req.headers.authorization).toBeUndefined();
    const q = decodeQuery(req.path);
    expect(q).toMatchObject({
      Action: "ClientTestAction",
      Version: "2016-11-01",
      Format: "JSON",
      AccessKeyId: accessKeyId,
      SignatureMethod: "HMAC-SHA1",
      SignatureVersion: "1.0",
      AppId: "demo",
      UserIds: "u1,u2,3",
    });
    expect(q.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(q.SignatureNonce).toMatch(/^[0-9a-f-]{36}$/);
    expect(q.SecurityToken).toBeUndefined();
    expect(verify(req, { [accessKeyId]: SECRET })).toMatchObject({ version: "v1", params: { AppId: "demo", UserIds: "u1,u2,3" } });
  });

  it.each(["v3", "v1"] as const)("%s: STS token travels signed (x-acs-security-token / SecurityToken)", async (signatureVersion) => {
    const { client, requests, accessKeyId } = setup([ok()], {
      signatureVersion,
      credentials: { accessKeyId: "AKSTS", accessKeySecret: SECRET, securityToken: "sts-token-value" },
    });
    void accessKeyId;
    await client.call("ClientTestAction", { AppId: "a" });
    const v = verify(requests[0]!, { AKSTS: SECRET });
    expect(v.securityToken).toBe("sts-token-value");
    if (signatureVersion === "v3") expect(requests[0]!.headers.authorization).toContain("x-acs-security-token");
  });

  it("signs the host header it sends, port included", async () => {
    const origin = "http://127.0.0.1:8080";
    const { client, requests, accessKeyId } = setup([ok()], { endpoint: `${origin}/` }, origin);
    expect(client.endpoint).toBe(origin);
    await client.call("ClientTestAction", {});
    expect(requests[0]!.headers.host).toBe("127.0.0.1:8080");
    expect(requests[0]!.path).toBe("/");
    verify(requests[0]!, { [accessKeyId]: SECRET });
  });

  it("sends the method the call names (default POST); the operation modules name theirs and validate the response", async () => {
    const good = { RequestId: "R1", TotalCount: 0, GroupList: [] };
    const { client, requests, accessKeyId } = setup([{ status: 200, body: good }, { status: 200, body: good }, { status: 200, body: { RequestId: 42 } }]);
    await expect(client.call("ClientTestAction", {}, { method: "GET" })).resolves.toEqual(good);
    expect(requests[0]!.method).toBe("GET");
    verify(requests[0]!, { [accessKeyId]: SECRET });
    await expect(ListLiveMessageGroupByPage.invoke(client, { AppId: "a", SortType: 1 })).resolves.toMatchObject({ RequestId: "R1", TotalCount: 0 });
    expect(requests[1]!.method).toBe("GET");
    const err = await ListLiveMessageGroupByPage.invoke(client, { AppId: "a", SortType: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveResponseError);
    expect(requests).toHaveLength(3);
  });

  it.each(["v3", "v1"] as const)("%s: a fresh nonce (and a new signature) on every attempt", async (signatureVersion) => {
    const { client, requests, accessKeyId } = setup([apiErr(503, "ServiceUnavailable"), apiErr(400, "Throttling.User"), ok()], { signatureVersion });
    await client.call("ClientTestAction", { AppId: "a" }, IDEMPOTENT);
    expect(requests).toHaveLength(3);
    const checks = requests.map((r) => verify(r, { [accessKeyId]: SECRET }));
    expect(new Set(checks.map((c) => c.nonce)).size).toBe(3);
  });

  it("rejects bad parameters locally, before any request", async () => {
    const { client, requests } = setup([]);
    for (const params of [{ Action: "x" }, { Signature: "x" }, { N: Number.NaN }, { L: ["a,b"] }, { O: { a: 1 } as unknown as string }]) {
      await expect(client.call("ClientTestAction", params)).rejects.toBeInstanceOf(LiveValidationError);
    }
    await expect(client.call("Bad Action!", {})).rejects.toBeInstanceOf(LiveValidationError);
    expect(requests).toHaveLength(0);
  });
});

describe("error envelope and error classes", () => {
  it("maps a JSON error envelope to LiveApiError with every field (one attempt for a 4xx)", async () => {
    const { client, requests } = setup([apiErr(400, "InputInvalid")]);
    const err = (await client.call("ClientTestAction", { AppId: "a" }).catch((e: unknown) => e)) as LiveApiError;
    expect(err).toBeInstanceOf(LiveApiError);
    expect(isLiveError(err)).toBe(true);
    expect(err).toMatchObject({
      code: "InputInvalid",
      httpStatus: 400,
      requestId: "R-InputInvalid",
      hostId: "live.aliyuncs.com",
      recommend: "https://api.aliyun.com/troubleshoot?q=InputInvalid",
      serverMessage: "message of InputInvalid",
      retryable: false,
      action: "ClientTestAction",
      retryAfterMs: undefined,
    });
    expect(err.message).toContain("message of InputInvalid");
    expect(err.message).toContain("InputInvalid");
    expect(requests).toHaveLength(1);
  });

  it("treats a 2xx body carrying a Code outside the OK set as an error (pop-core semantics)", async () => {
    const { client } = setup([
      { status: 200, body: { RequestId: "R", Code: "NoAuth", Message: "denied" } },
      { status: 200, body: { RequestId: "R", Code: "OK" } },
    ]);
    await expect(client.call("ClientTestAction", {})).rejects.toMatchObject({ name: "LiveApiError", code: "NoAuth", httpStatus: 200 });
    await expect(client.call("ClientTestAction", {})).resolves.toEqual({ RequestId: "R", Code: "OK" });
  });

  it("reads lower-case envelope keys and XML envelopes", async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>X1</RequestId><HostId>live.aliyuncs.com</HostId><Code>Forbidden.RAM</Code><Message>no &amp; no</Message></Error>`;
    const { client } = setup([
      { status: 403, body: { requestId: "L1", code: "NoAuth", message: "lower" } },
      { status: 403, body: xml, headers: { "content-type": "text/xml;charset=utf-8" } },
    ]);
    await expect(client.call("ClientTestAction", {})).rejects.toMatchObject({ code: "NoAuth", requestId: "L1", serverMessage: "lower" });
    await expect(client.call("ClientTestAction", {})).rejects.toMatchObject({ code: "Forbidden.RAM", requestId: "X1", serverMessage: "no & no", httpStatus: 403 });
  });

  it("turns a non-JSON error page into LiveApiError HttpError<status>, retried only when 5xx", async () => {
    const html = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>";
    const { client, requests } = setup([
      { status: 502, body: html, headers: { "content-type": "text/html" } },
      { status: 502, body: html, headers: { "content-type": "text/html" } },
      { status: 403, body: "<html>denied by proxy</html>", headers: { "content-type": "text/html" } },
    ], { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const err = (await client.call("ClientTestAction", {}, IDEMPOTENT).catch((e: unknown) => e)) as LiveApiError;
    expect(err).toBeInstanceOf(LiveApiError);
    expect(err).toMatchObject({ code: "HttpError502", httpStatus: 502, retryable: true });
    expect(err.message).toContain("Bad Gateway");
    expect(requests).toHaveLength(2);
    await expect(client.call("ClientTestAction", {}, IDEMPOTENT)).rejects.toMatchObject({ code: "HttpError403", retryable: false });
    expect(requests).toHaveLength(3);
  });

  it.each([
    ["a body that is not JSON", "<html>ok</html>"],
    ["an empty body", ""],
    ["a JSON array", "[1,2]"],
  ])("a 2xx with %s is a LiveResponseError", async (_what, body) => {
    const { client } = setup([{ status: 200, body }]);
    await expect(client.call("ClientTestAction", {})).rejects.toBeInstanceOf(LiveResponseError);
  });

  it("network reset: retried, and LiveNetworkError after exactly maxAttempts", async () => {
    const first = setup([sysError("ECONNRESET"), sysError("UND_ERR_SOCKET"), ok()]);
    await expect(first.client.call("ClientTestAction", {}, IDEMPOTENT)).resolves.toEqual({ RequestId: "R-OK" });
    expect(first.requests).toHaveLength(1);
    expect(first.events.filter((e) => e.type === "attempt")).toHaveLength(3);

    const all = setup([sysError("ECONNRESET"), sysError("ECONNRESET"), sysError("ECONNRESET"), ok()], { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
    const err = await all.client.call("ClientTestAction", {}, IDEMPOTENT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveNetworkError);
    expect(err).toMatchObject({ code: "LIVEMSG_NETWORK_ERROR", retryable: true, action: "ClientTestAction" });
    expect(all.events.filter((e) => e.type === "attempt")).toHaveLength(3);
    expect(all.requests).toHaveLength(0);
  });

  it("connect errors: refused is retried; DNS not-found is not", async () => {
    const refused = setup([sysError("ECONNREFUSED"), ok()]);
    await expect(refused.client.call("ClientTestAction", {})).resolves.toBeDefined();
    const dns = setup([sysError("ENOTFOUND"), ok()]);
    await expect(dns.client.call("ClientTestAction", {})).rejects.toMatchObject({ name: "LiveNetworkError", retryable: false });
    expect(dns.events.filter((e) => e.type === "attempt")).toHaveLength(1);
  });

  it("a connect timeout from undici is a LiveTimeoutError phase connect", async () => {
    const { client } = setup([sysError("UND_ERR_CONNECT_TIMEOUT")], { retry: false });
    await expect(client.call("ClientTestAction", {})).rejects.toMatchObject({ name: "LiveTimeoutError", phase: "connect", retryable: true });
  });

  it("response timeout per attempt: LiveTimeoutError phase response, retried", async () => {
    const { client, events } = setup(
      [
        { delay: 400, status: 200, body: { RequestId: "slow" } },
        { delay: 400, status: 200, body: { RequestId: "slow" } },
      ],
      { timeouts: { responseMs: 40 }, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } },
    );
    const err = await client.call("ClientTestAction", {}, IDEMPOTENT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveTimeoutError);
    expect(err).toMatchObject({ phase: "response", retryable: true });
    expect(events.filter((e) => e.type === "attempt")).toHaveLength(2);
  });

  it("deadline mid-attempt: LiveTimeoutError phase deadline, no further attempt", async () => {
    const { client, events } = setup([{ delay: 2000, status: 200, body: { RequestId: "slow" } }]);
    const err = await client.call("ClientTestAction", {}, { deadlineMs: 60 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveTimeoutError);
    expect(err).toMatchObject({ phase: "deadline", retryable: false });
    expect(events.filter((e) => e.type === "attempt")).toHaveLength(1);
  });

  it("deadline reached during backoff: the last real error, at once", async () => {
    const { client, events } = setup([apiErr(400, "Throttling.User", { "x-acs-retry-after": "60000" }), ok()]);
    const started = Date.now();
    const err = await client.call("ClientTestAction", {}, { deadlineMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveApiError);
    expect(err).toMatchObject({ code: "Throttling.User", retryAfterMs: 60000 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(events.filter((e) => e.type === "attempt")).toHaveLength(1);
  });

  it("caller abort mid-attempt → LiveAbortError; an already-aborted signal sends nothing", async () => {
    const { client, requests } = setup([{ delay: 2000, status: 200, body: { RequestId: "slow" } }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user cancelled")), 30);
    const err = await client.call("ClientTestAction", {}, { signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveAbortError);
    expect(err).toMatchObject({ code: "LIVEMSG_ABORTED", action: "ClientTestAction" });
    await expect(client.call("ClientTestAction", {}, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(LiveAbortError);
    expect(requests.length).toBeLessThanOrEqual(1);
  });

  it("caller abort during backoff → LiveAbortError", async () => {
    const { client } = setup([apiErr(400, "Throttling.User", { "x-acs-retry-after": "5000" }), ok()]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(client.call("ClientTestAction", {}, { signal: controller.signal })).rejects.toBeInstanceOf(LiveAbortError);
  });
});

describe("retry policy, exactly", () => {
  it.each([
    ["Throttling.User", 400, 5],
    ["Throttling", 400, 5],
    ["ServiceUnavailable", 503, 5],
    ["ServerError", 500, 5],
    ["InternalError", 500, 5],
    ["InputInvalid", 400, 1],
    ["NoAuth", 403, 1],
    ["ResourceNotExist", 404, 1],
    ["ErrorTooManyGroups", 400, 1],
    ["SignatureDoesNotMatch", 400, 1],
    ["InvalidTimeStamp.Expired", 400, 1],
    ["SignatureNonceUsed", 400, 1],
    ["InvalidAccessKeyId.NotFound", 404, 1],
  ] as const)("%s (HTTP %d): %d attempt(s) with the default maxAttempts", async (code, status, attempts) => {
    const { client, requests } = setup(Array.from({ length: 6 }, () => apiErr(status, code)));
    await expect(client.call("ClientTestAction", {}, IDEMPOTENT)).rejects.toMatchObject({ code, httpStatus: status });
    expect(requests).toHaveLength(attempts);
  });

  it("retry: false means one attempt even for throttling", async () => {
    const { client, requests } = setup([apiErr(400, "Throttling.User"), ok()], { retry: false });
    await expect(client.call("ClientTestAction", {})).rejects.toMatchObject({ code: "Throttling.User", retryable: true });
    expect(requests).toHaveLength(1);
  });

  it("logs each retry with its delay and reason, honouring x-acs-retry-after", async () => {
    const { client, events } = setup([apiErr(400, "Throttling.User", { "x-acs-retry-after": "120" }), apiErr(503, "ServiceUnavailable"), ok()]);
    const started = Date.now();
    await client.call("ClientTestAction", {}, IDEMPOTENT);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    const retries = events.filter((e) => e.type === "retry");
    expect(retries).toEqual([
      {
        type: "retry",
        action: "ClientTestAction",
        attempt: 1,
        delayMs: 120,
        reason: "Throttling.User",
        kind: "throttling",
        retryAfterMs: 120,
        mayHaveSucceeded: false,
      },
      expect.objectContaining({ attempt: 2, reason: "ServiceUnavailable", kind: "server", retryAfterMs: undefined, mayHaveSucceeded: true }),
    ]);
    const second = retries[1] as Extract<ClientLogEvent, { type: "retry" }>;
    expect(second.delayMs).toBeGreaterThanOrEqual(0);
    expect(second.delayMs).toBeLessThan(2); // full jitter over [0, base·2^1) with base 1
  });
});

describe("at-most-once calls and onRetry (CallOptions.retrySafety / onRetry)", () => {
  it.each([
    ["a reset after sending (response lost)", sysError("UND_ERR_SOCKET")],
    ["ECONNRESET", sysError("ECONNRESET")],
    ["a 5xx", apiErr(500, "ServerError")],
    ["ServiceUnavailable", apiErr(503, "ServiceUnavailable")],
    ["a response timeout", { delay: 400, status: 200, body: { RequestId: "late" } } as Reply],
  ])("an at-most-once call (the default) is not repeated after %s", async (_what, first) => {
    const { client, events } = setup([first, ok()], { timeouts: { responseMs: 40 } });
    const onRetry = jest.fn();
    await expect(client.call("ClientTestAction", {}, { onRetry })).rejects.toBeDefined();
    expect(events.filter((e) => e.type === "attempt")).toHaveLength(1);
    expect(onRetry).not.toHaveBeenCalled();
  });

  it.each([
    ["throttling", apiErr(400, "Throttling.User")],
    ["connection refused", sysError("ECONNREFUSED")],
    ["a connect timeout", sysError("UND_ERR_CONNECT_TIMEOUT")],
  ])("an at-most-once call (the default) is still retried after %s (the server did nothing)", async (_what, first) => {
    const { client, events } = setup([first, ok()]);
    const onRetry = jest.fn();
    await expect(client.call("ClientTestAction", {}, { onRetry })).resolves.toEqual({ RequestId: "R-OK" });
    expect(events.filter((e) => e.type === "attempt")).toHaveLength(2);
    expect(onRetry).toHaveBeenCalledWith(expect.objectContaining({ attempt: 1, mayHaveSucceeded: false }));
  });

  it("onRetry hears of every retried failure, with whether the server may have acted", async () => {
    const { client } = setup([sysError("UND_ERR_SOCKET"), apiErr(400, "Throttling.User", { "x-acs-retry-after": "3" }), apiErr(502, "HttpError502"), ok()]);
    const infos: unknown[] = [];
    await client.call("ClientTestAction", {}, { ...IDEMPOTENT, onRetry: (i) => infos.push(i) });
    expect(infos).toEqual([
      { attempt: 1, code: "LIVEMSG_NETWORK_ERROR", mayHaveSucceeded: true, delayMs: expect.any(Number) },
      { attempt: 2, code: "Throttling.User", mayHaveSucceeded: false, delayMs: 3 },
      { attempt: 3, code: "HttpError502", mayHaveSucceeded: true, delayMs: expect.any(Number) },
    ]);
  });

  it("a throwing onRetry does not change the policy", async () => {
    const { client } = setup([apiErr(503, "ServiceUnavailable"), ok()]);
    const onRetry = (): void => {
      throw new Error("hook broke");
    };
    await expect(client.call("ClientTestAction", {}, { ...IDEMPOTENT, onRetry })).resolves.toEqual({ RequestId: "R-OK" });
  });
});

// Issue 9, case 6: an exception of our own code used to become LiveNetworkError "unexpected failure" — which resource
// code took for "the create may have happened".
describe("a bug of ours is reported as a bug", () => {
  it("an exception inside an attempt is LiveProviderBugError: not retried, not 'may have been processed', says how to report it", async () => {
    jest.mocked(signature.signV3).mockImplementationOnce(() => {
      throw new TypeError(`Cannot read properties of undefined (reading 'sign') ${SECRET}`);
    });
    const { client, events } = setup([ok(), ok()]);
    const err = await client.call("ClientTestAction", {}, IDEMPOTENT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveProviderBugError);
    expect(err).not.toBeInstanceOf(LiveNetworkError);
    expect(err).toMatchObject({ code: "LIVEMSG_PROVIDER_BUG", retryable: false, during: "ClientTestAction" });
    expect((err as Error).message).toMatch(/TypeError: Cannot read properties of undefined .*this is a bug in pulumi-alicloud-livemessage; please report it/);
    expect((err as Error).message).not.toContain(SECRET);
    expect(mayHaveBeenProcessed(err)).toBe(false);
    expect(events.filter((e) => e.type === "attempt")).toHaveLength(1);
    // The next call is unaffected.
    await expect(client.call("ClientTestAction", {})).resolves.toEqual({ RequestId: "R-OK" });
  });
});

describe("backoff timing on fake timers", () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ["nextTick", "queueMicrotask", "setImmediate"] }));
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it("waits exactly x-acs-retry-after before the next attempt", async () => {
    const { client, requests } = setup([apiErr(400, "Throttling.User", { "x-acs-retry-after": "3000" }), ok()], { retry: {} });
    const done = client.call("ClientTestAction", {});
    await jest.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(2999);
    expect(requests).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    await expect(done).resolves.toEqual({ RequestId: "R-OK" });
  });

  it("full-jitter exponential delays: random·min(cap, base·2^n)", async () => {
    jest.spyOn(Math, "random").mockReturnValue(0.5);
    const { client, requests } = setup([apiErr(500, "ServerError"), apiErr(500, "ServerError"), apiErr(500, "ServerError"), ok()], {
      retry: { baseDelayMs: 200, maxDelayMs: 500, maxAttempts: 4 },
    });
    const done = client.call("ClientTestAction", {}, IDEMPOTENT);
    const counts: number[] = [];
    for (const step of [0, 99, 1, 199, 1, 249, 1]) {
      await jest.advanceTimersByTimeAsync(step);
      counts.push(requests.length);
    }
    // Delays: 0.5·200 = 100, 0.5·400 = 200, 0.5·min(500, 800) = 250.
    expect(counts).toEqual([1, 1, 2, 2, 3, 3, 4]);
    await expect(done).resolves.toBeDefined();
  });

  it.each([
    ["answered with an error", apiErr(503, "ServiceUnavailable"), 1000],
    ["never answered (reset)", sysError("ECONNRESET"), 1300],
  ])("a retry after an attempt %s waits for the window anchored at its response / its arrival bound", async (_what, first, slotFreeAt) => {
    jest.spyOn(Math, "random").mockReturnValue(0);
    const { client, events } = setup([first, ok()], { rateLimit: { qps: 1, burst: 1, windowMarginMs: 0, arrivalBoundMs: 300 } });
    const attempts = (): number => events.filter((e) => e.type === "attempt").length;
    const done = client.call("ClientTestAction", {}, IDEMPOTENT);
    await jest.advanceTimersByTimeAsync(slotFreeAt - 1);
    expect(attempts()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(attempts()).toBe(2);
    await expect(done).resolves.toEqual({ RequestId: "R-OK" });
  });
});

describe("rate limiting inside the client", () => {
  it("every attempt takes a slot; waits are logged as throttled-wait", async () => {
    const { client, events } = setup([apiErr(503, "ServiceUnavailable"), ok(), ok()], {
      rateLimit: { qps: () => 2, burst: 1, windowMarginMs: 0 },
    });
    await client.call("ClientTestAction", {}, IDEMPOTENT);
    await client.call("ClientTestAction", {}, IDEMPOTENT);
    const waits = events.filter((e): e is Extract<ClientLogEvent, { type: "throttled-wait" }> => e.type === "throttled-wait");
    // Attempt 2 of call 1 and attempt 1 of call 2 each waited for pacing (500 ms per slot, minus the backoff).
    expect(waits.length).toBe(2);
    for (const w of waits) expect(w.waitedMs).toBeGreaterThan(200);
  });
});

describe("client lifecycle and configuration", () => {
  it("satisfies ActionCaller, exposes the endpoint, and resolves credentials without the secret", async () => {
    const { client, accessKeyId } = setup([]);
    const caller: ActionCaller = client;
    expect(typeof caller.call).toBe("function");
    expect(client.endpoint).toBe(ORIGIN);
    const who = await client.resolveCredentials();
    expect(who).toEqual({ accessKeyId, source: "options", detail: "explicit options" });
    expect(JSON.stringify(who)).not.toContain(SECRET);
  });

  it("defaults: endpoint live.aliyuncs.com over https, V3", () => {
    const client = new LiveClient({ credentials: { accessKeyId: "a", accessKeySecret: "b" } });
    expect(client.endpoint).toBe("https://live.aliyuncs.com");
    expect(client.signatureVersion).toBe("v3");
    expect(new LiveClient({ endpoint: "live.aliyuncs.com" }).endpoint).toBe("https://live.aliyuncs.com");
  });

  it.each([
    [{ endpoint: "ftp://x" }],
    [{ endpoint: "http://127.0.0.1:1/prefix" }],
    [{ endpoint: "http://user:pw@127.0.0.1:1" }],
    [{ endpoint: "http://" }],
    [{ signatureVersion: "v2" as unknown as "v1" }],
    [{ timeouts: { responseMs: 0 } }],
    [{ retry: { maxAttempts: -1 } }],
    [{ rateLimit: { qps: 0 } }],
    [{ userAgent: "evil\r\nx-injected: 1" }],
  ])("invalid option %j → LiveConfigError", (options) => {
    expect(() => new LiveClient(options)).toThrow(LiveConfigError);
  });

  it("close() ends the client; an injected dispatcher is left open", async () => {
    const { client, agent } = setup([ok(), ok()]);
    await client.call("ClientTestAction", {});
    await client.close();
    await expect(client.call("ClientTestAction", {})).rejects.toBeInstanceOf(LiveConfigError);
    const other = new LiveClient({ endpoint: ORIGIN, credentials: { accessKeyId: "x", accessKeySecret: "y" }, dispatcher: agent as Dispatcher, rateLimit: false });
    await expect(other.call("ClientTestAction", {})).resolves.toBeDefined();
  });

  it("a throwing logger does not break calls", async () => {
    const { client } = setup([ok()], {
      logger: () => {
        throw new Error("logger broke");
      },
    });
    await expect(client.call("ClientTestAction", {})).resolves.toBeDefined();
  });
});
