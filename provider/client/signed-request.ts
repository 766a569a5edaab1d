/**
 * The signed request of one attempt (spec §2.1, §10): a fresh nonce and timestamp every time, so a retry is never
 * refused as a replay. V3 (ACS3-HMAC-SHA256) signs headers; V1 (HMAC-SHA1) signs the query.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { API_VERSION } from "../limits";
import type { Credentials } from "./credentials";
import type { SignatureVersion } from "./options";
import { EMPTY_PAYLOAD_SHA256, canonicalQueryString, isoTimestamp, signV1, signV3 } from "./signature";

export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
  /** Everything that must never appear in an error message for this attempt. */
  secrets: string[];
}

export interface RequestTarget {
  /** The origin, e.g. `https://live.aliyuncs.com`. */
  endpoint: string;
  /** The `host` header value (port included when not the default). */
  host: string;
  userAgent: string;
  signatureVersion: SignatureVersion;
}

export function signRequest(
  target: RequestTarget,
  action: string,
  method: "GET" | "POST",
  query: Record<string, string>,
  creds: Credentials,
): SignedRequest {
  const timestamp = isoTimestamp(new Date());
  const token = creds.securityToken;
  if (target.signatureVersion === "v1") {
    const params: Record<string, string> = {
      ...query,
      Action: action,
      Version: API_VERSION,
      Format: "JSON",
      AccessKeyId: creds.accessKeyId,
      SignatureMethod: "HMAC-SHA1",
      SignatureVersion: "1.0",
      SignatureNonce: randomUUID(),
      Timestamp: timestamp,
      ...(token ? { SecurityToken: token } : {}),
    };
    const { signature } = signV1(method, params, creds.accessKeySecret);
    return {
      url: `${target.endpoint}/?${canonicalQueryString({ ...params, Signature: signature })}`,
      headers: { host: target.host, accept: "application/json", "user-agent": target.userAgent },
      secrets: [creds.accessKeySecret, signature, ...(token ? [token] : [])],
    };
  }
  const headers: Record<string, string> = {
    host: target.host,
    "x-acs-action": action,
    "x-acs-version": API_VERSION,
    "x-acs-date": timestamp,
    "x-acs-signature-nonce": randomBytes(16).toString("hex"),
    "x-acs-content-sha256": EMPTY_PAYLOAD_SHA256,
    ...(token ? { "x-acs-security-token": token } : {}),
  };
  const signed = signV3({ method, pathname: "/", query, headers, payloadHash: EMPTY_PAYLOAD_SHA256 }, creds.accessKeyId, creds.accessKeySecret);
  const qs = canonicalQueryString(query);
  return {
    url: `${target.endpoint}/${qs ? `?${qs}` : ""}`,
    headers: { ...headers, accept: "application/json", "user-agent": target.userAgent, authorization: signed.authorization },
    secrets: [creds.accessKeySecret, signed.signature, ...(token ? [token] : [])],
  };
}
