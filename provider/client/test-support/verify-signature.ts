/**
 * Test helper: verifies a request's V1 or V3 signature the way a server does, using signature.ts. Shared by the
 * MockAgent tests and the loopback server test.
 */
import {
  parseV3Authorization,
  signV1,
  v3CanonicalRequest,
  v3Signature,
  v3StringToSign,
} from "../signature";

export interface ReceivedRequest {
  method: string;
  /** Path with query string, as sent. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export type Verification =
  | { ok: true; version: "v1" | "v3"; accessKeyId: string; nonce: string; action: string; params: Record<string, string>; securityToken?: string }
  | { ok: false; reason: string };

function lowerHeaders(headers: ReceivedRequest["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
  return out;
}

/** Decodes a query string into a map; the client never uses `+` for spaces (it sends `%20`). */
export function decodeQuery(path: string): Record<string, string> {
  const q = path.includes("?") ? path.slice(path.indexOf("?") + 1) : "";
  const out: Record<string, string> = {};
  for (const part of q.split("&").filter(Boolean)) {
    const eq = part.indexOf("=");
    const k = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    out[k] = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1));
  }
  return out;
}

export function verifyRequest(req: ReceivedRequest, secrets: Readonly<Record<string, string>>): Verification {
  const headers = lowerHeaders(req.headers);
  const query = decodeQuery(req.path);
  const pathname = req.path.split("?")[0]!;
  if (headers.authorization) {
    const auth = parseV3Authorization(headers.authorization);
    if (!auth) return { ok: false, reason: "malformed Authorization" };
    const secret = secrets[auth.accessKeyId];
    if (secret === undefined) return { ok: false, reason: `unknown key ${auth.accessKeyId}` };
    for (const required of ["host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"]) {
      if (!auth.signedHeaders.includes(required)) return { ok: false, reason: `${required} not signed` };
    }
    const { canonicalRequest } = v3CanonicalRequest(
      { method: req.method, pathname, query, headers, payloadHash: headers["x-acs-content-sha256"] ?? "" },
      auth.signedHeaders,
    );
    const expected = v3Signature(v3StringToSign(canonicalRequest), secret);
    if (expected !== auth.signature) return { ok: false, reason: "SignatureDoesNotMatch" };
    return {
      ok: true,
      version: "v3",
      accessKeyId: auth.accessKeyId,
      nonce: headers["x-acs-signature-nonce"]!,
      action: headers["x-acs-action"]!,
      params: query,
      securityToken: headers["x-acs-security-token"],
    };
  }
  const { Signature, ...rest } = query;
  if (!Signature) return { ok: false, reason: "no signature" };
  const secret = secrets[rest.AccessKeyId ?? ""];
  if (secret === undefined) return { ok: false, reason: `unknown key ${rest.AccessKeyId}` };
  if (signV1(req.method, rest, secret).signature !== Signature) return { ok: false, reason: "SignatureDoesNotMatch" };
  const { Action, Version, Format, AccessKeyId, SignatureMethod, SignatureVersion, SignatureNonce, Timestamp, SecurityToken, ...params } = rest;
  if (Version !== "2016-11-01" || Format !== "JSON" || SignatureMethod !== "HMAC-SHA1" || SignatureVersion !== "1.0" || !Timestamp) {
    return { ok: false, reason: "bad common parameters" };
  }
  return { ok: true, version: "v1", accessKeyId: AccessKeyId!, nonce: SignatureNonce!, action: Action!, params, securityToken: SecurityToken };
}
