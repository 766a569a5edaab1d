/**
 * Alibaba Cloud POP request signatures (spec §10), shared by the client (signing) and the emulator
 * (verification) so both sides compute the very same canonical strings.
 *
 * - V1: RPC signature, HMAC-SHA1, `SignatureVersion=1.0` (newer SDKs call it "v2").
 * - V3: `ACS3-HMAC-SHA256` over a canonical request.
 *
 * Both are checked against the spec's test vectors and, differentially, against Alibaba's own signer
 * (`@alicloud/openapi-util`) in `signature.test.ts` / `signature.differential.test.ts`.
 */
import { createHash, createHmac } from "node:crypto";

export const V3_ALGORITHM = "ACS3-HMAC-SHA256";
/** Hex SHA-256 of the empty string: the payload hash of every LiveMessage request (no body). */
export const EMPTY_PAYLOAD_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/**
 * RFC 3986 percent-encoding of UTF-8 (spec §10.1 step 2): keep `A–Z a–z 0–9 - _ . ~`, everything else `%XX`
 * with uppercase hex; space is `%20`, `*` is `%2A`.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Byte-order comparison of two strings (what "sorted by name" means on the gateway, not locale order). */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** `name=value` pairs, both percent-encoded, sorted by encoded name, joined by `&`. */
export function canonicalQueryString(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort((a, b) => byteOrder(a[0], b[0]) || byteOrder(a[1], b[1]))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

// ---------------------------------------------------------------------------------------------------------------
// V1 (RPC, HMAC-SHA1)
// ---------------------------------------------------------------------------------------------------------------

/** StringToSign of a V1 request. `params` are all request parameters (query + form body) except `Signature`. */
export function v1StringToSign(method: string, params: Readonly<Record<string, string>>): string {
  const rest: Record<string, string> = { ...params };
  delete rest.Signature;
  return `${method}&${percentEncode("/")}&${percentEncode(canonicalQueryString(rest))}`;
}

/** Base64 HMAC-SHA1 of the V1 StringToSign with key `secret + "&"`. */
export function v1Signature(stringToSign: string, accessKeySecret: string): string {
  return createHmac("sha1", `${accessKeySecret}&`).update(stringToSign, "utf8").digest("base64");
}

export function signV1(
  method: string,
  params: Readonly<Record<string, string>>,
  accessKeySecret: string,
): { stringToSign: string; signature: string } {
  const stringToSign = v1StringToSign(method, params);
  return { stringToSign, signature: v1Signature(stringToSign, accessKeySecret) };
}

// ---------------------------------------------------------------------------------------------------------------
// V3 (ACS3-HMAC-SHA256)
// ---------------------------------------------------------------------------------------------------------------

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

export interface V3RequestParts {
  method: string;
  /** Canonical URI; `/` for RPC. */
  pathname: string;
  query: Readonly<Record<string, string>>;
  /** Header names in any case. Repeated names (different case) are merged like the official signer does. */
  headers: Readonly<Record<string, string | readonly string[]>>;
  /** Hex SHA-256 of the body (`x-acs-content-sha256`). */
  payloadHash: string;
}

/** Headers that are signed: `host`, `content-type` and every `x-acs-*` header (spec §10.2). */
export function isSignedHeader(lowerName: string): boolean {
  return lowerName === "host" || lowerName === "content-type" || lowerName.startsWith("x-acs-");
}

/**
 * Lowercased, trimmed header values grouped by name. Values of a name that occurs more than once are sorted and
 * joined with `,` (the official signer's behaviour for `x-acs-test` / `x-acs-TEST`).
 */
function canonicalHeaderMap(headers: V3RequestParts["headers"]): Map<string, string> {
  const grouped = new Map<string, string[]>();
  for (const [name, raw] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const values = (Array.isArray(raw) ? raw : [raw as string]).map((v) => String(v).trim());
    grouped.set(lower, [...(grouped.get(lower) ?? []), ...values]);
  }
  const out = new Map<string, string>();
  for (const [k, vs] of grouped) out.set(k, vs.length > 1 ? [...vs].sort().join(",") : vs[0]!);
  return out;
}

/**
 * The V3 canonical request. With `signedHeaderNames` (the verifier's case: the list from the Authorization
 * header) exactly those headers are used; otherwise every signable header present.
 */
export function v3CanonicalRequest(
  req: V3RequestParts,
  signedHeaderNames?: readonly string[],
): { canonicalRequest: string; signedHeaders: string } {
  const all = canonicalHeaderMap(req.headers);
  const names = (signedHeaderNames ? signedHeaderNames.map((n) => n.toLowerCase()) : [...all.keys()].filter(isSignedHeader))
    .filter((n, i, a) => a.indexOf(n) === i)
    .sort(byteOrder);
  const canonicalHeaders = names.map((n) => `${n}:${all.get(n) ?? ""}\n`).join("");
  const signedHeaders = names.join(";");
  const canonicalRequest = [
    req.method,
    req.pathname,
    canonicalQueryString(req.query),
    canonicalHeaders,
    signedHeaders,
    req.payloadHash,
  ].join("\n");
  return { canonicalRequest, signedHeaders };
}

export function v3StringToSign(canonicalRequest: string): string {
  return `${V3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

export function v3Signature(stringToSign: string, accessKeySecret: string): string {
  return createHmac("sha256", accessKeySecret).update(stringToSign, "utf8").digest("hex");
}

export interface V3Signed {
  canonicalRequest: string;
  stringToSign: string;
  signedHeaders: string;
  signature: string;
  authorization: string;
}

export function signV3(req: V3RequestParts, accessKeyId: string, accessKeySecret: string): V3Signed {
  const { canonicalRequest, signedHeaders } = v3CanonicalRequest(req);
  const stringToSign = v3StringToSign(canonicalRequest);
  const signature = v3Signature(stringToSign, accessKeySecret);
  const authorization = `${V3_ALGORITHM} Credential=${accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
  return { canonicalRequest, stringToSign, signedHeaders, signature, authorization };
}

/** Parses `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`; undefined when malformed. */
export function parseV3Authorization(
  header: string,
): { accessKeyId: string; signedHeaders: string[]; signature: string } | undefined {
  const m = /^ACS3-HMAC-SHA256\s+(.*)$/.exec(header.trim());
  if (!m) return undefined;
  const fields = new Map<string, string>();
  for (const part of m[1]!.split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!accessKeyId || signedHeaders === undefined || !signature) return undefined;
  return { accessKeyId, signedHeaders: signedHeaders.split(";").filter(Boolean), signature };
}

/** `yyyy-MM-ddTHH:mm:ssZ` in UTC, no milliseconds (the format both signature versions require). */
export function isoTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
