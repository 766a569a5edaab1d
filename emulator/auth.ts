/**
 * Authentication as the POP gateway does it (spec §10): pick the account from the access key, verify the V1
 * (HMAC-SHA1) or V3 (ACS3-HMAC-SHA256) signature with the stored secret, and check the timestamp window and
 * nonce reuse.
 *
 * The signatures are recomputed with Alibaba's own signer (`@alicloud/openapi-util`: `getRPCSignature` for V1,
 * `getAuthorization` for V3 — what every generated Alibaba SDK signs with), never with our client's signer, so a
 * request the emulator accepts is one Alibaba's code signs identically. The canonical strings echoed in
 * `SignatureDoesNotMatch` messages are rebuilt here for diagnostics only; they never decide anything.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import OpenApiUtil from "@alicloud/openapi-util";
import { EmulatorError, Errors } from "./errors";
import { CLOCK_SKEW_MS, NONCE_WINDOW_MS } from "./spec/limits";

const V3_ALGORITHM = "ACS3-HMAC-SHA256";
const EMPTY_SHA256 = createHash("sha256").digest("hex");

/** One configured key pair. Keys with the same `accountId` are one account: they share its quotas and budgets. */
export interface EmulatorCredential {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /**
   * STS: when set, requests with this key must carry exactly this token (`SecurityToken` V1 /
   * `x-acs-security-token` V3), else `InvalidSecurityToken.MismatchWithAccessKey`. When unset, any token is accepted.
   */
  readonly securityToken?: string;
  /** Account the key belongs to. Default: a stable 16-digit id derived from the AccessKeyId (`deriveAccountId`). */
  readonly accountId?: string;
}

export interface Account {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
  readonly accountId: string;
}

/** Stable, real-looking (16 digits, like an Alibaba Cloud UID) account id for an AccessKeyId. */
export function deriveAccountId(accessKeyId: string): string {
  const digest = createHash("sha256").update(`livemessage-emulator-account:${accessKeyId}`).digest();
  return `1${(digest.readBigUInt64BE(0) % 10n ** 15n).toString().padStart(15, "0")}`;
}

export function toAccounts(credentials: readonly EmulatorCredential[]): Account[] {
  const seen = new Set<string>();
  return credentials.map((c) => {
    if (!c || typeof c.accessKeyId !== "string" || c.accessKeyId.length === 0) throw new TypeError("every credential needs a non-empty accessKeyId");
    if (typeof c.accessKeySecret !== "string" || c.accessKeySecret.length === 0) {
      throw new TypeError(`credential ${c.accessKeyId} needs a non-empty accessKeySecret`);
    }
    if (c.accountId !== undefined && (typeof c.accountId !== "string" || !/^\d{1,32}$/.test(c.accountId))) {
      throw new TypeError(`credential ${c.accessKeyId}: accountId must be a string of digits (like 1234567890123456)`);
    }
    if (seen.has(c.accessKeyId)) throw new TypeError(`credential ${c.accessKeyId} is configured twice`);
    seen.add(c.accessKeyId);
    return {
      accessKeyId: c.accessKeyId,
      accessKeySecret: c.accessKeySecret,
      ...(c.securityToken ? { securityToken: c.securityToken } : {}),
      accountId: c.accountId ?? deriveAccountId(c.accessKeyId),
    };
  });
}

/** What the HTTP layer hands over for one API request. */
export interface AuthRequest {
  readonly method: string;
  /** The request path as received, without the query (the V3 canonical URI). */
  readonly path: string;
  /** Query-string parameters only (V3 signs these; the body is covered by the payload hash). */
  readonly query: Readonly<Record<string, string>>;
  /** Query + form body merged (V1 signs these). */
  readonly params: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** Lowercased header name → every value received. */
  readonly headers: Readonly<Record<string, readonly string[] | undefined>>;
  /** True when `Authorization: ACS3-…` is present. */
  readonly v3: boolean;
}

/**
 * Most nonces remembered at once (~25 MB). Under sustained load beyond it the oldest are forgotten before their
 * 15 minutes are up; the cache then remembers how recent the forgotten ones were (`horizon`) and rejects requests
 * signed at or before it, so a replay is still refused.
 */
export const MAX_REMEMBERED_NONCES = 200_000;

/**
 * Nonces seen within the last NONCE_WINDOW_MS, per access key (spec §10.1). Constant time per request: a FIFO
 * ring of (key, expiry) in arrival order — arrival order is expiry order — beside a Set for membership, so
 * eviction pops from the ring's head instead of walking a Map over deleted entries.
 */
export class NonceCache {
  private readonly seen = new Set<string>();
  private keys: (string | undefined)[];
  private expiries: Float64Array;
  private head = 0;
  private count = 0;
  /** Arrival time of the newest nonce forgotten before its window ended (-Infinity: none). */
  private horizonMs = -Infinity;

  constructor(
    private readonly ttlMs = NONCE_WINDOW_MS,
    private readonly max = MAX_REMEMBERED_NONCES,
  ) {
    const initial = Math.min(max, 1024);
    this.keys = new Array<string | undefined>(initial);
    this.expiries = new Float64Array(initial);
  }

  /**
   * Records the nonce; false when it was already used within the TTL, or when the request's own time
   * (`requestTimeMs`, from its Timestamp) is at or before the horizon of nonces forgotten early.
   */
  use(accessKeyId: string, nonce: string, now: number, requestTimeMs = Infinity): boolean {
    this.expire(now);
    const key = `${accessKeyId}\n${nonce}`;
    if (this.seen.has(key)) return false;
    if (requestTimeMs <= this.horizonMs) return false;
    if (this.count === this.max) {
      this.horizonMs = Math.max(this.horizonMs, this.expiries[this.head]! - this.ttlMs);
      this.shift();
    }
    this.push(key, now + this.ttlMs);
    return true;
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.seen.clear();
    this.keys.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.horizonMs = -Infinity;
  }

  private expire(now: number): void {
    while (this.count > 0 && this.expiries[this.head]! <= now) this.shift();
  }

  private shift(): void {
    this.seen.delete(this.keys[this.head]!);
    this.keys[this.head] = undefined;
    this.head = (this.head + 1) % this.keys.length;
    this.count--;
  }

  private push(key: string, expiry: number): void {
    if (this.count === this.keys.length) this.grow();
    const i = (this.head + this.count) % this.keys.length;
    this.keys[i] = key;
    this.expiries[i] = expiry;
    this.count++;
    this.seen.add(key);
  }

  /** Doubles the ring (amortised O(1)), unrolling it so the head is at 0. */
  private grow(): void {
    const size = Math.min(this.max, this.keys.length * 2);
    const keys = new Array<string | undefined>(size);
    const expiries = new Float64Array(size);
    for (let i = 0; i < this.count; i++) {
      const j = (this.head + i) % this.keys.length;
      keys[i] = this.keys[j];
      expiries[i] = this.expiries[j]!;
    }
    this.keys = keys;
    this.expiries = expiries;
    this.head = 0;
  }
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,3})?Z$/;

/** Parses `yyyy-MM-ddTHH:mm:ssZ` (fractional seconds tolerated); undefined when malformed. */
export function parseTimestamp(value: string): number | undefined {
  const m = TIMESTAMP.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Reject impossible dates such as 2024-02-30 that Date.UTC would roll over.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return undefined;
  }
  return ms;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

function header(req: AuthRequest, name: string): string | undefined {
  const v = req.headers[name];
  return v === undefined || v.length === 0 ? undefined : v.join(",");
}

/** `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>` → its parts; undefined when malformed. */
export function parseV3Authorization(value: string): { accessKeyId: string; signedHeaders: string[]; signature: string } | undefined {
  const m = /^\s*ACS3-HMAC-SHA256\s+(.*)$/i.exec(value);
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

/** Headers a V3 signature must cover, or a replay could change them freely. */
const V3_REQUIRED_SIGNED = ["x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"];
/** [U] Alibaba's signer only ever signs these headers (`getAuthorizationHeaders`); a request signing others could
 * not have been signed by it, so it is refused with a message that says so. */
function signableHeader(lower: string): boolean {
  return lower === "host" || lower === "content-type" || lower.startsWith("x-acs-");
}

// ---- Diagnostics only: the canonical strings the messages echo (spec §10.1, §10.2) ------------------------------

/** RFC 3986 percent-encoding as §10.1 describes it. */
function pct(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sortedPairs(params: Readonly<Record<string, string>>, skip?: string): string {
  return Object.keys(params)
    .filter((k) => k !== skip)
    .map((k) => [pct(k), pct(params[k]!)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

function v1StringToSign(method: string, params: Readonly<Record<string, string>>): string {
  return `${method}&${pct("/")}&${pct(sortedPairs(params, "Signature"))}`;
}

function v3CanonicalRequest(req: AuthRequest, signed: readonly string[], payloadHash: string): string {
  const names = [...new Set(signed.map((h) => h.toLowerCase()))].sort();
  const headers = names.map((n) => `${n}:${[...(req.headers[n] ?? [])].map((v) => v.trim()).sort().join(",")}\n`).join("");
  return [req.method, req.path, sortedPairs(req.query), headers, names.join(";"), payloadHash].join("\n");
}

function v3StringToSign(canonicalRequest: string): string {
  return `${V3_ALGORITHM}\n${createHash("sha256").update(canonicalRequest).digest("hex")}`;
}

// ---- Verification with Alibaba's signer ------------------------------------------------------------------------

type TeaRequest = Parameters<typeof OpenApiUtil.getAuthorization>[0];

/**
 * Header map for `getAuthorization`: exactly the signed headers. A header received several times is handed over
 * under differently-cased names, which the signer merges (sorted, comma-joined) as it does for its own requests.
 */
function signedHeaderMap(req: AuthRequest, signed: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of new Set(signed.map((h) => h.toLowerCase()))) {
    const values = req.headers[name] ?? [""];
    values.forEach((v, i) => {
      out[i === 0 ? name : caseVariant(name, i)] = v;
    });
  }
  return out;
}

/** The i-th distinct casing of a lowercase header name (i ≥ 1). */
function caseVariant(name: string, i: number): string {
  const chars = [...name];
  let bit = 0;
  for (let j = 0; j < chars.length && bit < 31; j++) {
    if (/[a-z]/.test(chars[j]!)) {
      if (i & (1 << bit)) chars[j] = chars[j]!.toUpperCase();
      bit++;
    }
  }
  return chars.join("");
}

/** The signature Alibaba's V3 signer computes for this request with `secret`. */
export function alibabaV3Signature(req: AuthRequest, signed: readonly string[], payloadHash: string, accessKeyId: string, secret: string): string {
  const tea = { method: req.method, pathname: req.path, query: { ...req.query }, headers: signedHeaderMap(req, signed) } as unknown as TeaRequest;
  const authorization = OpenApiUtil.getAuthorization(tea, V3_ALGORITHM, payloadHash, accessKeyId, secret);
  return /Signature=([0-9a-f]+)$/.exec(authorization)?.[1] ?? "";
}

/** The signature Alibaba's V1 (RPC) signer computes for these parameters with `secret`. */
export function alibabaV1Signature(method: string, params: Readonly<Record<string, string>>, secret: string): string {
  const { Signature: _ignored, ...signedParams } = params;
  return OpenApiUtil.getRPCSignature(signedParams, method, secret);
}

export interface AuthenticatorOptions {
  readonly accounts: readonly Account[];
  /** false: no signature, timestamp or nonce checks (`--no-verify`); the key still selects the account. */
  readonly verify: boolean;
  readonly clock: () => number;
  readonly nonces?: NonceCache;
}

export class Authenticator {
  private readonly byKey: ReadonlyMap<string, Account>;
  readonly nonces: NonceCache;
  private lastTimestamp = { text: "", ms: 0 };

  constructor(private readonly options: AuthenticatorOptions) {
    if (options.accounts.length === 0) throw new TypeError("at least one credential is required");
    this.byKey = new Map(options.accounts.map((a) => [a.accessKeyId, a]));
    this.nonces = options.nonces ?? new NonceCache();
  }

  /** The account a request acts for; throws `EmulatorError` for every gateway rejection. */
  authenticate(req: AuthRequest): Account {
    if (!this.options.verify) return this.unverifiedAccount(req);
    return req.v3 ? this.verifyV3(req) : this.verifyV1(req);
  }

  /** The configured account of an AccessKeyId, if any (for request logs of rejected calls). */
  accountOf(accessKeyId: string | undefined): Account | undefined {
    return accessKeyId === undefined ? undefined : this.byKey.get(accessKeyId);
  }

  /** The AccessKeyId a request presents, whatever its signature version (undefined when none). */
  presentedKey(req: AuthRequest): string | undefined {
    if (req.v3) return parseV3Authorization(header(req, "authorization") ?? "")?.accessKeyId ?? header(req, "x-acs-accesskey-id");
    return req.params.AccessKeyId;
  }

  /** `--no-verify`: the presented key picks the account; a missing or unknown key means the first account. */
  private unverifiedAccount(req: AuthRequest): Account {
    return this.accountOf(this.presentedKey(req)) ?? this.options.accounts[0]!;
  }

  private account(accessKeyId: string | undefined, missingName: string): Account {
    if (accessKeyId === undefined || accessKeyId === "") throw Errors.missingParameter(missingName);
    const account = this.byKey.get(accessKeyId);
    if (!account) throw Errors.accessKeyNotFound();
    return account;
  }

  /** Checks the ±15 min window; returns the request's time in ms. */
  private checkTimestamp(value: string | undefined, name: string): number {
    if (value === undefined || value === "") throw Errors.missingParameter(name);
    // Clients send second-resolution timestamps, so consecutive requests mostly repeat the previous one.
    let ms = this.lastTimestamp.text === value ? this.lastTimestamp.ms : undefined;
    if (ms === undefined) {
      ms = parseTimestamp(value);
      if (ms === undefined) throw Errors.timestampFormat(value);
      this.lastTimestamp = { text: value, ms };
    }
    if (Math.abs(this.options.clock() - ms) > CLOCK_SKEW_MS) throw Errors.timestampExpired(value);
    return ms;
  }

  private checkToken(account: Account, presented: string | undefined): void {
    if (account.securityToken !== undefined && (presented === undefined || !safeEqual(presented, account.securityToken))) {
      throw Errors.securityTokenMismatch();
    }
  }

  private useNonce(account: Account, nonce: string, requestTimeMs: number): void {
    if (!this.nonces.use(account.accessKeyId, nonce, this.options.clock(), requestTimeMs)) throw Errors.signatureNonceUsed();
  }

  private verifyV1(req: AuthRequest): Account {
    const p = req.params;
    const account = this.account(p.AccessKeyId, "AccessKeyId");
    if (p.Signature === undefined || p.Signature === "") throw Errors.missingParameter("Signature");
    if (p.SignatureMethod === undefined) throw Errors.missingParameter("SignatureMethod");
    if (p.SignatureMethod !== "HMAC-SHA1") throw Errors.incompleteSignature(`Unsupported SignatureMethod ${p.SignatureMethod}; use HMAC-SHA1.`);
    if (p.SignatureVersion !== undefined && p.SignatureVersion !== "1.0") {
      throw Errors.incompleteSignature(`Unsupported SignatureVersion ${p.SignatureVersion}; use 1.0.`);
    }
    if (p.SignatureNonce === undefined || p.SignatureNonce === "") throw Errors.missingParameter("SignatureNonce");
    const requestTime = this.checkTimestamp(p.Timestamp, "Timestamp");
    if (!safeEqual(alibabaV1Signature(req.method, p, account.accessKeySecret), p.Signature)) {
      throw Errors.signatureDoesNotMatch(redactV1(v1StringToSign(req.method, p), p.SecurityToken));
    }
    this.checkToken(account, p.SecurityToken);
    this.useNonce(account, p.SignatureNonce, requestTime);
    return account;
  }

  private verifyV3(req: AuthRequest): Account {
    const auth = parseV3Authorization(header(req, "authorization") ?? "");
    if (!auth) {
      throw Errors.incompleteSignature("The Authorization header must be: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<list>,Signature=<hex>.");
    }
    const account = this.account(auth.accessKeyId, "Credential");
    for (const name of ["x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"]) {
      if (header(req, name) === undefined) throw Errors.missingParameter(name);
    }
    const signed = new Set(auth.signedHeaders.map((h) => h.toLowerCase()));
    const token = header(req, "x-acs-security-token");
    const mustSign = token === undefined ? V3_REQUIRED_SIGNED : [...V3_REQUIRED_SIGNED, "x-acs-security-token"];
    const unsigned = mustSign.filter((h) => !signed.has(h));
    if (unsigned.length > 0) throw Errors.incompleteSignature(`SignedHeaders must include ${unsigned.join(", ")}.`);
    const foreign = [...signed].filter((h) => !signableHeader(h));
    if (foreign.length > 0) {
      throw Errors.incompleteSignature(`SignedHeaders may only list host, content-type and x-acs-* headers (got ${foreign.join(", ")}).`);
    }
    const requestTime = this.checkTimestamp(header(req, "x-acs-date"), "x-acs-date");
    const payloadHash = header(req, "x-acs-content-sha256")!;
    const bodyHash = req.body.length === 0 ? EMPTY_SHA256 : createHash("sha256").update(req.body).digest("hex");
    if (bodyHash !== payloadHash.toLowerCase()) throw Errors.payloadHashMismatch();
    const expected = alibabaV3Signature(req, auth.signedHeaders, payloadHash, auth.accessKeyId, account.accessKeySecret);
    if (!safeEqual(expected, auth.signature.toLowerCase())) {
      const canonicalRequest = v3CanonicalRequest(req, auth.signedHeaders, payloadHash);
      const base = Errors.signatureDoesNotMatch(v3StringToSign(canonicalRequest));
      throw new EmulatorError(
        base.code,
        base.httpStatus,
        `${base.message}\nserver canonical request is:\n${token === undefined ? canonicalRequest : canonicalRequest.split(token).join("<redacted>")}`,
      );
    }
    this.checkToken(account, token);
    this.useNonce(account, header(req, "x-acs-signature-nonce")!, requestTime);
    return account;
  }
}

/** The V1 StringToSign with the security token (double-encoded in it) replaced: tokens never reach messages. */
function redactV1(stringToSign: string, token: string | undefined): string {
  if (!token) return stringToSign;
  return stringToSign.split(pct(pct(token))).join("%3Credacted%3E");
}

/** For tests: the diagnostic V3 string to sign must hash-sign to what Alibaba's signer computed. */
export const diagnostics = {
  v1StringToSign,
  v3StringToSign: (req: AuthRequest, signed: readonly string[], payloadHash: string) => v3StringToSign(v3CanonicalRequest(req, signed, payloadHash)),
  hmacV1: (stringToSign: string, secret: string) => createHmac("sha1", `${secret}&`).update(stringToSign).digest("base64"),
  hmacV3: (stringToSign: string, secret: string) => createHmac("sha256", secret).update(stringToSign).digest("hex"),
};
