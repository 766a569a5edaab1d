/**
 * Authentication as the POP gateway does it (spec §10): pick the account from the access key, verify the V1
 * (HMAC-SHA1) or V3 (ACS3-HMAC-SHA256) signature with the stored secret, and check the timestamp window and
 * nonce reuse. Signing code is shared with the client (`provider/client/signature.ts`) so both sides compute the
 * very same canonical strings.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { NONCE_TTL_SECONDS, TIMESTAMP_SKEW_SECONDS } from "../provider/limits";
import {
  EMPTY_PAYLOAD_SHA256,
  parseV3Authorization,
  percentEncode,
  v1Signature,
  v1StringToSign,
  v3CanonicalRequest,
  v3Signature,
  v3StringToSign,
} from "../provider/client/signature";
import { EmulatorError, Errors } from "./errors";

/** One configured key pair; each is its own account unless two share an `accountId`. */
export interface EmulatorCredential {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /**
   * STS: when set, requests with this key must carry exactly this token (`SecurityToken` V1 /
   * `x-acs-security-token` V3), else `InvalidSecurityToken.MismatchWithAccessKey`. When unset, any token is accepted.
   */
  readonly securityToken?: string;
  /** Account the key belongs to; default: a stable 16-digit id derived from the AccessKeyId. */
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
 * Most nonces remembered at once (~35 MB). Under sustained load beyond it the oldest nonces are forgotten before
 * their 15 minutes are up — a bounded-memory trade-off acceptable for an emulator.
 */
export const MAX_REMEMBERED_NONCES = 200_000;

/** Nonces seen within the last `NONCE_TTL_SECONDS`, per access key (spec §10.1). */
/** Expired nonces are swept at most this often (a sweep per request showed up in profiles). */
const PRUNE_INTERVAL_MS = 1000;

export class NonceCache {
  private readonly expiries = new Map<string, number>();
  private nextPrune = -Infinity;

  constructor(
    private readonly ttlMs = NONCE_TTL_SECONDS * 1000,
    private readonly max = MAX_REMEMBERED_NONCES,
  ) {}

  /** Records the nonce; false when it was already used within the TTL. */
  use(accessKeyId: string, nonce: string, now: number): boolean {
    if (now >= this.nextPrune || this.expiries.size >= this.max) {
      this.prune(now);
      this.nextPrune = now + PRUNE_INTERVAL_MS;
    }
    const key = `${accessKeyId}\n${nonce}`;
    const expiry = this.expiries.get(key);
    if (expiry !== undefined && expiry > now) return false;
    this.expiries.delete(key);
    this.expiries.set(key, now + this.ttlMs);
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }

  clear(): void {
    this.expiries.clear();
  }

  /** Insertion order is time order, so expired entries sit at the front. */
  private prune(now: number): void {
    for (const [key, expiry] of this.expiries) {
      if (expiry > now && this.expiries.size < this.max) break;
      this.expiries.delete(key);
    }
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

/** Headers a V3 signature must cover, or a replay could change them freely. */
const V3_REQUIRED_SIGNED = ["x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"];

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

  /** `--no-verify`: the presented key picks the account; a missing or unknown key means the first account. */
  private unverifiedAccount(req: AuthRequest): Account {
    let keyId: string | undefined;
    if (req.v3) keyId = parseV3Authorization(header(req, "authorization") ?? "")?.accessKeyId ?? header(req, "x-acs-accesskey-id");
    else keyId = req.params.AccessKeyId;
    return (keyId !== undefined ? this.byKey.get(keyId) : undefined) ?? this.options.accounts[0]!;
  }

  private account(accessKeyId: string | undefined, missingName: string): Account {
    if (accessKeyId === undefined || accessKeyId === "") throw Errors.missingParameter(missingName);
    const account = this.byKey.get(accessKeyId);
    if (!account) throw Errors.accessKeyNotFound();
    return account;
  }

  private lastTimestamp = { text: "", ms: 0 };

  private checkTimestamp(value: string | undefined, name: string): void {
    if (value === undefined || value === "") throw Errors.missingParameter(name);
    // Clients send second-resolution timestamps, so consecutive requests mostly repeat the previous one.
    let ms = this.lastTimestamp.text === value ? this.lastTimestamp.ms : undefined;
    if (ms === undefined) {
      ms = parseTimestamp(value);
      if (ms === undefined) throw Errors.timestampFormat(value);
      this.lastTimestamp = { text: value, ms };
    }
    if (Math.abs(this.options.clock() - ms) > TIMESTAMP_SKEW_SECONDS * 1000) throw Errors.timestampExpired(value);
  }

  private checkToken(account: Account, presented: string | undefined): void {
    if (account.securityToken !== undefined && (presented === undefined || !safeEqual(presented, account.securityToken))) {
      throw Errors.securityTokenMismatch();
    }
  }

  private useNonce(account: Account, nonce: string): void {
    if (!this.nonces.use(account.accessKeyId, nonce, this.options.clock())) throw Errors.signatureNonceUsed();
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
    this.checkTimestamp(p.Timestamp, "Timestamp");
    const stringToSign = v1StringToSign(req.method, p);
    if (!safeEqual(v1Signature(stringToSign, account.accessKeySecret), p.Signature)) {
      throw Errors.signatureDoesNotMatch(redactV1(stringToSign, p.SecurityToken));
    }
    this.checkToken(account, p.SecurityToken);
    this.useNonce(account, p.SignatureNonce);
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
    this.checkTimestamp(header(req, "x-acs-date"), "x-acs-date");
    const payloadHash = header(req, "x-acs-content-sha256")!;
    const bodyHash = req.body.length === 0 ? EMPTY_PAYLOAD_SHA256 : createHash("sha256").update(req.body).digest("hex");
    if (bodyHash !== payloadHash.toLowerCase()) throw Errors.payloadHashMismatch();
    const signedValues: Record<string, readonly string[]> = {};
    for (const name of signed) signedValues[name] = req.headers[name] ?? [];
    const { canonicalRequest } = v3CanonicalRequest(
      { method: req.method, pathname: req.path, query: req.query, headers: signedValues, payloadHash },
      auth.signedHeaders,
    );
    const stringToSign = v3StringToSign(canonicalRequest);
    if (!safeEqual(v3Signature(stringToSign, account.accessKeySecret), auth.signature.toLowerCase())) {
      const base = Errors.signatureDoesNotMatch(stringToSign);
      throw new EmulatorError(
        base.code,
        base.httpStatus,
        `${base.message}\nserver canonical request is:\n${token === undefined ? canonicalRequest : canonicalRequest.split(token).join("<redacted>")}`,
      );
    }
    this.checkToken(account, token);
    this.useNonce(account, header(req, "x-acs-signature-nonce")!);
    return account;
  }
}

/** The V1 StringToSign with the security token (double-encoded in it) replaced: tokens never reach messages. */
function redactV1(stringToSign: string, token: string | undefined): string {
  if (!token) return stringToSign;
  return stringToSign.split(percentEncode(percentEncode(token))).join("%3Credacted%3E");
}
