// Differential test: our signers against Alibaba's official one (`@alicloud/openapi-util`, the darabonba core
// used by every current TypeScript SDK): `getRPCSignature` for V1, `getAuthorization` for V3 (spec §10).
//
// Parameter *names* are drawn from the characters RFC 3986 leaves unencoded ([A-Za-z0-9._~-]): real API parameter
// names are alphanumeric, and for other characters the two implementations order names differently by design
// (the official signer sorts raw names and, in V3, does not encode them; ours sorts encoded names, spec §10.1
// step 3). Values are unrestricted: unicode, emoji, spaces, `*`, `~`, `'`, empty strings, commas, `+`, `/`, `%`.
import OpenApiUtil from "@alicloud/openapi-util";
import * as $tea from "@alicloud/tea-typescript";
import fc from "fast-check";
import { EMPTY_PAYLOAD_SHA256, sha256Hex, signV1, signV3 } from "./signature";

const RUNS = 1000;

const NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-".split("");
const paramName = fc
  .array(fc.constantFrom(...NAME_CHARS), { minLength: 1, maxLength: 12 })
  .map((cs) => cs.join(""))
  .filter((n) => n !== "Signature");

const SPECIALS = [" ", "*", "~", "'", ",", "+", "/", "%", "%20", "&", "=", "!", "(", ")", "😀", "中文", "\u00e9", ":", "?", "#"];
const value = fc.oneof(
  fc.constant(""),
  fc.string({ unit: "grapheme", maxLength: 16 }),
  fc.array(fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ unit: "grapheme-ascii", maxLength: 4 })), { maxLength: 8 }).map((p) => p.join("")),
);
const params = fc.dictionary(paramName, value, { maxKeys: 12, noNullPrototype: true });
const secret = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 });
const method = fc.constantFrom("GET", "POST");

describe("V1 (HMAC-SHA1) against getRPCSignature", () => {
  it(`agrees on ${RUNS} random parameter sets`, () => {
    let checked = 0;
    fc.assert(
      fc.property(method, params, secret, (m, p, s) => {
        const ours = signV1(m, p, s).signature;
        const theirs = OpenApiUtil.getRPCSignature(p, m, s);
        expect(ours).toBe(theirs);
        checked++;
      }),
      { numRuns: RUNS, seed: 20161101 },
    );
    expect(checked).toBeGreaterThanOrEqual(RUNS);
  });

  it("agrees on a LiveMessage-shaped request with every common parameter", () => {
    const p = {
      AccessKeyId: "testid",
      Action: "CreateLiveMessageGroup",
      Administrators: "uid1,uid2",
      AppId: "demo",
      Format: "JSON",
      GroupInfo: "{\"k\":\"v w*~'\"}",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "c5a1b2d3-0000-4000-8000-000000000001",
      SignatureVersion: "1.0",
      Timestamp: "2024-01-01T00:00:00Z",
      Version: "2016-11-01",
    };
    expect(signV1("POST", p, "testsecret").signature).toBe(OpenApiUtil.getRPCSignature(p, "POST", "testsecret"));
  });
});

describe("V3 (ACS3-HMAC-SHA256) against getAuthorization", () => {
  const headerName = fc
    .array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-".split("")), { minLength: 1, maxLength: 10 })
    .map((cs) => `x-acs-${cs.join("")}`);
  // Header values are what HTTP allows: visible ASCII and inner spaces, possibly padded (both signers trim).
  const headerValue = fc
    .tuple(fc.constantFrom("", " ", "  "), fc.string({ unit: "grapheme-ascii", maxLength: 20 }), fc.constantFrom("", " "))
    .map(([a, b, c]) => `${a}${b.replace(/[\r\n\t]/g, "")}${c}`);
  const extraHeaders = fc.dictionary(headerName, headerValue, { maxKeys: 5, noNullPrototype: true });

  it(`agrees on ${RUNS} random requests`, () => {
    let checked = 0;
    fc.assert(
      fc.property(
        method,
        params,
        extraHeaders,
        fc.option(fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 30 }), { nil: undefined }),
        fc.string({ unit: "grapheme", maxLength: 30 }),
        paramName,
        secret,
        fc.boolean(),
        (m, query, extra, token, body, ak, s, withContentType) => {
          const payloadHash = body === "" ? EMPTY_PAYLOAD_SHA256 : sha256Hex(body);
          const headers: Record<string, string> = {
            host: "live.aliyuncs.com",
            "x-acs-action": "CreateLiveMessageGroup",
            "x-acs-version": "2016-11-01",
            "x-acs-date": "2024-01-01T00:00:00Z",
            "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
            "x-acs-content-sha256": payloadHash,
            accept: "application/json",
            "user-agent": "differential-test",
            ...extra,
            ...(token ? { "x-acs-security-token": token } : {}),
            ...(withContentType ? { "content-type": "application/x-www-form-urlencoded" } : {}),
          };
          const ours = signV3({ method: m, pathname: "/", query, headers, payloadHash }, ak, s).authorization;
          const request = new $tea.Request();
          request.method = m;
          request.pathname = "/";
          request.query = query;
          request.headers = headers;
          const theirs = OpenApiUtil.getAuthorization(request, "ACS3-HMAC-SHA256", payloadHash, ak, s);
          expect(ours).toBe(theirs);
          checked++;
        },
      ),
      { numRuns: RUNS, seed: 20240101 },
    );
    expect(checked).toBeGreaterThanOrEqual(RUNS);
  });

  it("agrees when one header name occurs twice with different case (values merged and sorted)", () => {
    const headers = { "x-acs-test": "http", "x-acs-TEST": "https", host: "live.aliyuncs.com" };
    const request = new $tea.Request();
    request.method = "GET";
    request.pathname = "/";
    request.query = { test: "ok", empty: "" };
    request.headers = headers;
    const payload = sha256Hex("x");
    expect(signV3({ method: "GET", pathname: "/", query: request.query, headers, payloadHash: payload }, "ak", "secret").authorization).toBe(
      OpenApiUtil.getAuthorization(request, "ACS3-HMAC-SHA256", payload, "ak", "secret"),
    );
  });
});
