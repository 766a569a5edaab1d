import { alibabaV1Signature, alibabaV3Signature, Authenticator, deriveAccountId, diagnostics, NonceCache, parseTimestamp, toAccounts, type AuthRequest } from "./auth";
import { EmulatorError } from "./errors";

const T0 = Date.UTC(2024, 0, 1, 0, 0, 0);
const key = { accessKeyId: "testid", accessKeySecret: "testsecret" };

/** Spec §10.1 vector V1-d. */
function v1dParams(): Record<string, string> {
  return {
    AccessKeyId: "testid",
    Action: "CreateLiveMessageGroup",
    Administrators: "uid1,uid2",
    AppId: "demo",
    DataCenter: "cn-shanghai",
    Format: "JSON",
    GroupId: "grouptest",
    SignatureMethod: "HMAC-SHA1",
    SignatureNonce: "c5a1b2d3-0000-4000-8000-000000000001",
    SignatureVersion: "1.0",
    Timestamp: "2024-01-01T00:00:00Z",
    Version: "2016-11-01",
    Signature: "lgnvseL/yRN4Ax8wvYLvpFgFyjo=",
  };
}

function v1Request(params: Record<string, string>, method = "POST"): AuthRequest {
  return { method, path: "/", query: {}, params, body: Buffer.alloc(0), headers: {}, v3: false };
}

/** Spec §10.2 vector V3-d. */
function v3dRequest(overrides: Record<string, string[]> = {}): AuthRequest {
  return {
    method: "POST",
    path: "/",
    query: { Administrators: "uid1,uid2", AppId: "demo", DataCenter: "cn-shanghai", GroupId: "grouptest" },
    params: { Administrators: "uid1,uid2", AppId: "demo", DataCenter: "cn-shanghai", GroupId: "grouptest" },
    body: Buffer.alloc(0),
    headers: {
      host: ["live.aliyuncs.com"],
      "x-acs-action": ["CreateLiveMessageGroup"],
      "x-acs-version": ["2016-11-01"],
      "x-acs-date": ["2024-01-01T00:00:00Z"],
      "x-acs-signature-nonce": ["3156853299f313e23d1673dc12e1703d"],
      "x-acs-content-sha256": ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
      authorization: [
        "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version," +
          "Signature=0b87007f64e4042bceca65f8c1d1cf7df3ef12a2740f65769aef86cdb652189e",
      ],
      ...overrides,
    },
    v3: true,
  };
}

function auth(now = T0, verify = true, credentials = [key]) {
  return new Authenticator({ accounts: toAccounts(credentials), verify, clock: () => now });
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EmulatorError);
    return (e as EmulatorError).code;
  }
  throw new Error("expected a rejection");
}

describe("V1 verification (spec §10.1)", () => {
  it("accepts the spec vector V1-d and picks the key's account", () => {
    const account = auth().authenticate(v1Request(v1dParams()));
    expect(account.accessKeyId).toBe("testid");
    expect(account.accountId).toBe(deriveAccountId("testid"));
  });

  it("rejects a changed parameter with SignatureDoesNotMatch echoing the server string to sign", () => {
    const p = { ...v1dParams(), GroupId: "other" };
    try {
      auth().authenticate(v1Request(p));
      throw new Error("accepted");
    } catch (e) {
      const err = e as EmulatorError;
      expect(err.code).toBe("SignatureDoesNotMatch");
      expect(err.httpStatus).toBe(400);
      expect(err.message).toContain("server string to sign is:POST&%2F&AccessKeyId%3Dtestid%26Action%3DCreateLiveMessageGroup");
      expect(err.message).toContain("GroupId%3Dother");
    }
  });

  it("the method is part of the signature", () => {
    expect(codeOf(() => auth().authenticate(v1Request(v1dParams(), "GET")))).toBe("SignatureDoesNotMatch");
  });

  it("unknown key → InvalidAccessKeyId.NotFound (404); missing pieces → MissingParameter", () => {
    try {
      auth().authenticate(v1Request({ ...v1dParams(), AccessKeyId: "nobody" }));
      throw new Error("accepted");
    } catch (e) {
      expect((e as EmulatorError).code).toBe("InvalidAccessKeyId.NotFound");
      expect((e as EmulatorError).httpStatus).toBe(404);
    }
    for (const name of ["AccessKeyId", "Signature", "SignatureNonce", "Timestamp", "SignatureMethod"]) {
      const p = v1dParams();
      delete p[name];
      expect(codeOf(() => auth().authenticate(v1Request(p)))).toBe("MissingParameter");
    }
    expect(codeOf(() => auth().authenticate(v1Request({ ...v1dParams(), SignatureMethod: "HMAC-SHA256" })))).toBe("IncompleteSignature");
  });

  it("timestamp window is ±15 minutes of the injected clock; malformed → InvalidTimeStamp.Format", () => {
    const fifteen = 15 * 60 * 1000;
    expect(() => auth(T0 + fifteen).authenticate(v1Request(v1dParams()))).not.toThrow();
    expect(() => auth(T0 - fifteen).authenticate(v1Request(v1dParams()))).not.toThrow();
    expect(codeOf(() => auth(T0 + fifteen + 1000).authenticate(v1Request(v1dParams())))).toBe("InvalidTimeStamp.Expired");
    expect(codeOf(() => auth(T0 - fifteen - 1000).authenticate(v1Request(v1dParams())))).toBe("InvalidTimeStamp.Expired");
    expect(codeOf(() => auth().authenticate(v1Request({ ...v1dParams(), Timestamp: "2024-01-01 00:00:00" })))).toBe("InvalidTimeStamp.Format");
  });

  it("a nonce is accepted once per key", () => {
    const a = auth();
    a.authenticate(v1Request(v1dParams()));
    expect(codeOf(() => a.authenticate(v1Request(v1dParams())))).toBe("SignatureNonceUsed");
  });

  it("a failed signature does not burn the nonce", () => {
    const a = auth();
    expect(codeOf(() => a.authenticate(v1Request({ ...v1dParams(), GroupId: "x" })))).toBe("SignatureDoesNotMatch");
    expect(() => a.authenticate(v1Request(v1dParams()))).not.toThrow();
  });

  it("STS: a key with a configured token requires it; the token never appears in the message", () => {
    const sts = { ...key, securityToken: "sts-token-secret-value" };
    const a = auth(T0, true, [sts]);
    expect(codeOf(() => a.authenticate(v1Request(v1dParams())))).toBe("InvalidSecurityToken.MismatchWithAccessKey");
    const withToken: Record<string, string> = { ...v1dParams(), SecurityToken: "sts-token-secret-value", SignatureNonce: "n2" };
    withToken.Signature = alibabaV1Signature("POST", withToken, "testsecret");
    expect(a.authenticate(v1Request(withToken)).accessKeyId).toBe("testid");
    const wrongToken: Record<string, string> = { ...withToken, SecurityToken: "other", SignatureNonce: "n3" };
    wrongToken.Signature = alibabaV1Signature("POST", wrongToken, "testsecret");
    expect(codeOf(() => a.authenticate(v1Request(wrongToken)))).toBe("InvalidSecurityToken.MismatchWithAccessKey");
    try {
      a.authenticate(v1Request({ ...v1dParams(), SecurityToken: "sts-token-secret-value" }));
      throw new Error("accepted");
    } catch (e) {
      // The vector was signed without the token, so the signature no longer matches; the echo must be redacted.
      expect((e as EmulatorError).code).toBe("SignatureDoesNotMatch");
      expect((e as EmulatorError).message).not.toContain("sts-token-secret-value");
      expect((e as EmulatorError).message).toContain("SecurityToken%3D%3Credacted%3E");
    }
  });

  it("--no-verify: no checks, the key (or the first account) selects the account", () => {
    const two = [key, { accessKeyId: "other", accessKeySecret: "s2" }];
    const a = auth(T0 + 86_400_000, false, two);
    expect(a.authenticate(v1Request({ AccessKeyId: "other" })).accessKeyId).toBe("other");
    expect(a.authenticate(v1Request({})).accessKeyId).toBe("testid");
    expect(a.authenticate(v1Request({ AccessKeyId: "unknown" })).accessKeyId).toBe("testid");
    expect(a.authenticate(v1Request({ ...v1dParams(), Signature: "garbage" })).accessKeyId).toBe("testid");
  });
});

describe("V3 verification (spec §10.2)", () => {
  it("accepts the spec vector V3-d", () => {
    expect(auth().authenticate(v3dRequest()).accessKeyId).toBe("testid");
  });

  it("rejects a changed signed header with the string to sign and canonical request in the message", () => {
    try {
      auth().authenticate(v3dRequest({ "x-acs-action": ["DeleteLiveMessageGroup"] }));
      throw new Error("accepted");
    } catch (e) {
      const err = e as EmulatorError;
      expect(err.code).toBe("SignatureDoesNotMatch");
      expect(err.message).toMatch(/server string to sign is:ACS3-HMAC-SHA256\n[0-9a-f]{64}/);
      expect(err.message).toContain("x-acs-action:DeleteLiveMessageGroup");
    }
  });

  it("rejects a changed query parameter", () => {
    const req = v3dRequest();
    expect(codeOf(() => auth().authenticate({ ...req, query: { ...req.query, GroupId: "other" } }))).toBe("SignatureDoesNotMatch");
  });

  it("checks x-acs-content-sha256 against the body", () => {
    const req = v3dRequest();
    try {
      auth().authenticate({ ...req, body: Buffer.from("AppId=x") });
      throw new Error("accepted");
    } catch (e) {
      expect((e as EmulatorError).code).toBe("SignatureDoesNotMatch");
      expect((e as EmulatorError).message).toContain("x-acs-content-sha256");
    }
  });

  it("malformed Authorization → IncompleteSignature; unsigned x-acs headers → IncompleteSignature", () => {
    expect(codeOf(() => auth().authenticate(v3dRequest({ authorization: ["ACS3-HMAC-SHA256 nonsense"] })))).toBe("IncompleteSignature");
    const partial = v3dRequest({
      authorization: ["ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action,Signature=00"],
    });
    expect(codeOf(() => auth().authenticate(partial))).toBe("IncompleteSignature");
  });

  it("unknown key, missing date, expired date, reused nonce", () => {
    expect(
      codeOf(() =>
        auth().authenticate(
          v3dRequest({ authorization: ["ACS3-HMAC-SHA256 Credential=nobody,SignedHeaders=host,Signature=00"] }),
        ),
      ),
    ).toBe("InvalidAccessKeyId.NotFound");
    const req = v3dRequest();
    const { "x-acs-date": _omit, ...noDate } = req.headers;
    expect(codeOf(() => auth().authenticate({ ...req, headers: noDate }))).toBe("MissingParameter");
    expect(codeOf(() => auth(T0 + 16 * 60 * 1000).authenticate(v3dRequest()))).toBe("InvalidTimeStamp.Expired");
    const a = auth();
    a.authenticate(v3dRequest());
    expect(codeOf(() => a.authenticate(v3dRequest()))).toBe("SignatureNonceUsed");
  });
});

describe("NonceCache", () => {
  it("forgets nonces after the TTL and keeps its size bounded", () => {
    const cache = new NonceCache(1000, 3);
    expect(cache.use("k", "a", 0)).toBe(true);
    expect(cache.use("k", "a", 999)).toBe(false);
    expect(cache.use("other", "a", 999)).toBe(true);
    expect(cache.use("k", "a", 1000)).toBe(true);
    for (let i = 0; i < 10; i++) cache.use("k", `n${i}`, 1500);
    expect(cache.size).toBeLessThanOrEqual(3);
  });

  it("still refuses a replay of a nonce it had to forget early (requests signed at or before the horizon)", () => {
    const cache = new NonceCache(60_000, 2);
    expect(cache.use("k", "a", 1000, 1000)).toBe(true);
    expect(cache.use("k", "b", 2000, 2000)).toBe(true);
    expect(cache.use("k", "c", 3000, 3000)).toBe(true); // "a" forgotten early: horizon = 1000
    expect(cache.use("k", "a", 3500, 1000)).toBe(false); // the replay of "a" carries its old timestamp
    expect(cache.use("k", "d", 4000, 4000)).toBe(true); // fresh requests are unaffected
  });

  it("grows its ring and keeps arrival order across wrap-around", () => {
    const cache = new NonceCache(10, 5000);
    for (let t = 0; t < 20_000; t++) expect(cache.use("k", `n${t}`, t)).toBe(true);
    expect(cache.size).toBe(10); // only the last TTL's worth is remembered
    expect(cache.use("k", "n19999", 20_000)).toBe(false);
    expect(cache.use("k", "n19989", 20_000)).toBe(true); // expired
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.use("k", "n19999", 20_001)).toBe(true);
  });
});

describe("Alibaba's signer decides; the echoed canonical strings agree with it", () => {
  it("V1: the diagnostic string to sign HMACs to the signature getRPCSignature computes", () => {
    const p = v1dParams();
    expect(alibabaV1Signature("POST", p, "testsecret")).toBe(p.Signature);
    expect(diagnostics.hmacV1(diagnostics.v1StringToSign("POST", p), "testsecret")).toBe(p.Signature);
  });

  it("V3: the diagnostic string to sign HMACs to the signature getAuthorization computes (spec vector V3-d)", () => {
    const req = v3dRequest();
    const signed = ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"];
    const hash = req.headers["x-acs-content-sha256"]![0]!;
    const expected = "0b87007f64e4042bceca65f8c1d1cf7df3ef12a2740f65769aef86cdb652189e";
    expect(alibabaV3Signature(req, signed, hash, "testid", "testsecret")).toBe(expected);
    expect(diagnostics.hmacV3(diagnostics.v3StringToSign(req, signed, hash), "testsecret")).toBe(expected);
  });

  it("V3: a header received twice is merged like the signer merges x-acs-test / x-acs-TEST (spec vector V3-b)", () => {
    const req: AuthRequest = {
      method: "GET",
      path: "/",
      query: { test: "ok", empty: "" },
      params: {},
      body: Buffer.alloc(0),
      headers: { "x-acs-test": ["http", "https"] },
      v3: true,
    };
    const hash = "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23";
    expect(alibabaV3Signature(req, ["x-acs-test"], hash, "acesskey", "secret")).toBe("d16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1");
  });

  it("V3: signing a header Alibaba's signer never signs is refused with IncompleteSignature", () => {
    const req = v3dRequest({
      accept: ["application/json"],
      authorization: [
        "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=00",
      ],
    });
    expect(codeOf(() => auth().authenticate(req))).toBe("IncompleteSignature");
  });
});

describe("parseTimestamp", () => {
  it("parses the wire format and rejects impossible dates", () => {
    expect(parseTimestamp("2024-01-01T00:00:00Z")).toBe(T0);
    expect(parseTimestamp("2024-01-01T00:00:00.123Z")).toBe(T0);
    expect(parseTimestamp("2024-02-30T00:00:00Z")).toBeUndefined();
    expect(parseTimestamp("2024-01-01T24:00:00Z")).toBeUndefined();
    expect(parseTimestamp("2024-01-01T00:00:00+08:00")).toBeUndefined();
  });
});

describe("accounts", () => {
  it("derives stable 16-digit account ids; an explicit accountId groups keys", () => {
    expect(deriveAccountId("a")).toMatch(/^1\d{15}$/);
    expect(deriveAccountId("a")).toBe(deriveAccountId("a"));
    expect(deriveAccountId("a")).not.toBe(deriveAccountId("b"));
    const accounts = toAccounts([
      { accessKeyId: "a", accessKeySecret: "x", accountId: "42" },
      { accessKeyId: "b", accessKeySecret: "y", accountId: "42" },
    ]);
    expect(accounts.map((a) => a.accountId)).toEqual(["42", "42"]);
    expect(() => toAccounts([key, key])).toThrow(/twice/);
    expect(() => toAccounts([{ accessKeyId: "a", accessKeySecret: "" }])).toThrow(/accessKeySecret/);
  });
});
