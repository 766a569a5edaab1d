/**
 * The LiveMessage API client: signing (spec §10), wire format (§2.1, §2.2), error envelopes (§2.3), retries
 * (§11.3), process-wide rate limiting (§1, DESIGN rule 3) and credential lookup (§12).
 *
 *     const client = new LiveClient({ endpoint: "http://127.0.0.1:8080" });
 *     const body = await client.call("DescribeLiveMessageGroup", { AppId: "a", GroupId: "g" });
 *
 * Secrets (AccessKeySecret, security token, computed signatures) never leave this module except on the wire:
 * they live in `#private` fields, and every text we did not write is scrubbed before it becomes an error message.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { Agent, request, type Dispatcher } from "undici";
import { API_VERSION, DEFAULT_ENDPOINT, qpsFor } from "../limits";
import { getOperation, validateResponse, type ActionCaller, type ApiParams, type CallOptions } from "../operations";
import { RATE_LIMIT_DEFAULTS, RETRY_DEFAULTS, TIMEOUT_DEFAULTS } from "./defaults";
import { resolveCredentials, type CredentialLookupOptions, type CredentialSource, type Credentials, type ResolvedCredentials } from "./credentials";
import {
  LiveAbortError,
  LiveApiError,
  LiveConfigError,
  LiveError,
  LiveNetworkError,
  LiveResponseError,
  LiveTimeoutError,
  LiveValidationError,
} from "./errors";
import { sharedRateLimiter, rateLimitKey, type RateLimitSettings, type RateLimitSlot, type SharedRateLimiter } from "./rate-limiter";
import { redactSecrets } from "./redact";
import { backoffDelay, classifyApiError, classifyNetworkCode, classifyRetry, mayHaveBeenProcessed, parseRetryAfterMs } from "./retry-policy";
import { EMPTY_PAYLOAD_SHA256, canonicalQueryString, isoTimestamp, signV1, signV3 } from "./signature";

export type SignatureVersion = "v3" | "v1";

export interface ClientTimeouts {
  /** Connect timeout of a new pooled connection (our own Agent only). */
  connectMs?: number;
  /** One attempt, from dispatch to the last byte of the body. */
  responseMs?: number;
  /** The whole call (limiter waits, attempts, backoff); `CallOptions.deadlineMs` overrides it per call. */
  deadlineMs?: number;
}

export interface ClientRetryOptions {
  /** Attempts per call including the first. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface ClientRateLimitOptions {
  /** Budget per second per (AccessKeyId, Action); default `qpsFor(action)` (spec §1). */
  qps?: number | ((action: string) => number);
  burst?: number;
  windowMarginMs?: number;
  /** How long a request without a response keeps counting as "maybe not yet arrived" (see RATE_LIMIT_DEFAULTS). */
  arrivalBoundMs?: number;
}

/** Structured events for the optional logger. They never carry secrets, signatures or parameter values. */
export type ClientLogEvent =
  | {
      type: "attempt";
      action: string;
      attempt: number;
      maxAttempts: number;
      method: "GET" | "POST";
      endpoint: string;
      signatureVersion: SignatureVersion;
    }
  | {
      type: "response";
      action: string;
      attempt: number;
      httpStatus: number;
      requestId: string | undefined;
      /** The service's error `Code`, when the response is an error envelope. */
      code: string | undefined;
      durationMs: number;
    }
  | {
      type: "retry";
      action: string;
      /** The attempt that failed. */
      attempt: number;
      delayMs: number;
      /** Error code of the failure (`Throttling.User`, `LIVEMSG_NETWORK_ERROR`, …). */
      reason: string;
      kind: string | undefined;
      /** Set when the delay came from the server's `x-acs-retry-after`. */
      retryAfterMs: number | undefined;
      /** Whether the server may have acted on the failed attempt (see `mayHaveBeenProcessed`). */
      mayHaveSucceeded: boolean;
    }
  | { type: "throttled-wait"; action: string; attempt: number; waitedMs: number };

export interface LiveClientOptions {
  /** Default `DEFAULT_ENDPOINT` (https://live.aliyuncs.com). A bare host means https. */
  endpoint?: string;
  credentials?: Credentials;
  /** Default "v3" (ACS3-HMAC-SHA256); "v1" is the RPC HMAC-SHA1 signature. */
  signatureVersion?: SignatureVersion;
  timeouts?: ClientTimeouts;
  /** `false` disables retries (one attempt per call). */
  retry?: ClientRetryOptions | false;
  /** `false` disables client-side rate limiting for this client. */
  rateLimit?: ClientRateLimitOptions | false;
  /** Transport, e.g. a MockAgent in tests; default: this client's own keep-alive Agent. Not closed by `close()`. */
  dispatcher?: Dispatcher;
  /** Appended to the client's own User-Agent. */
  userAgent?: string;
  logger?: (event: ClientLogEvent) => void;
  /** Environment and home directory for credential lookup; defaults `process.env`, `os.homedir()`. */
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
}

/** pop-core's success set: a body whose `Code` is anything else is an error even with HTTP 200 (spec §2.3). */
const OK_CODES: ReadonlySet<string> = new Set(["200", "OK", "Success", "success"]);

/** Query parameters the client sets itself (V1 common parameters, spec §2.1); callers may not pass them. */
const RESERVED_PARAMS: ReadonlySet<string> = new Set([
  "Action",
  "Version",
  "Format",
  "AccessKeyId",
  "SignatureMethod",
  "SignatureVersion",
  "SignatureNonce",
  "SignatureType",
  "Timestamp",
  "Signature",
  "SecurityToken",
]);

/** setTimeout's ceiling (2^31−1 ms); longer delays would fire at once, so timers are clamped to it. */
const MAX_TIMER_MS = 2_147_483_647;

const USER_AGENT = `pulumi-alicloud-livemessage (node ${process.version}; ${process.platform})`;
/** How much of a non-JSON error body (proxy HTML, …) is quoted in the error message. */
const BODY_SNIPPET_CHARS = 200;

/**
 * Wire form of business parameters (spec §2.1/§2.2): arrays comma-joined ("simple" style), numbers and booleans
 * as decimal strings / `true` / `false`, `undefined`/`null` omitted, empty strings kept.
 */
export function serializeParams(action: string, params: ApiParams | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const issues: { path: string; message: string }[] = [];
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value === undefined || value === null) continue;
    if (RESERVED_PARAMS.has(name)) {
      issues.push({ path: name, message: "is a protocol parameter set by the client itself" });
      continue;
    }
    if (typeof value === "string") out[name] = value;
    else if (typeof value === "number" || typeof value === "boolean") {
      const s = scalarToWire(value);
      if (s === undefined) issues.push({ path: name, message: "must be a finite number" });
      else out[name] = s;
    } else if (Array.isArray(value)) {
      const items: string[] = [];
      (value as readonly unknown[]).forEach((item, i) => {
        const s = typeof item === "string" ? item : typeof item === "number" ? scalarToWire(item) : undefined;
        if (s === undefined) issues.push({ path: `${name}[${i}]`, message: "must be a string or a finite number" });
        else if (s.includes(",")) issues.push({ path: `${name}[${i}]`, message: "cannot contain ',' (arrays are sent comma-joined)" });
        else items.push(s);
      });
      out[name] = items.join(",");
    } else {
      issues.push({ path: name, message: `unsupported value type ${typeof value}` });
    }
  }
  if (issues.length > 0) throw new LiveValidationError(action, issues);
  return out;
}

function scalarToWire(value: number | boolean): string | undefined {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (!Number.isFinite(value)) return undefined;
  // BigInt avoids exponent notation for large integers (1e21 → "1000000000000000000000").
  return Number.isInteger(value) ? BigInt(value).toString() : String(value);
}

function parseEndpoint(raw: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new LiveConfigError(`Invalid endpoint "${raw}": expected a URL such as ${DEFAULT_ENDPOINT} or http://127.0.0.1:8080.`);
  }
  if (url.username || url.password) throw new LiveConfigError("Invalid endpoint: it must not contain user credentials.");
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new LiveConfigError(`Invalid endpoint "${raw}": only http:// and https:// are supported.`);
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    throw new LiveConfigError(`Invalid endpoint "${raw}": the LiveMessage API is served at the root path; give only scheme, host and port.`);
  }
  return url;
}

function positive(name: string, value: number | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new LiveConfigError(`Invalid client option ${name}: ${String(value)} (expected a ${allowZero ? "non-negative" : "positive"} number).`);
  }
  return value;
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  if (typeof value === "string" && value.length > 0) return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

interface Envelope {
  code: string | undefined;
  message: string | undefined;
  requestId: string | undefined;
  hostId: string | undefined;
  recommend: string | undefined;
}

/** Reads an error envelope; darabonba accepts both `Code` and `code` spellings (spec §2.3). */
function jsonEnvelope(body: Record<string, unknown>): Envelope {
  return {
    code: str(body.Code) ?? str(body.code),
    message: str(body.Message) ?? str(body.message),
    requestId: str(body.RequestId) ?? str(body.requestId),
    hostId: str(body.HostId) ?? str(body.hostId),
    recommend: str(body.Recommend) ?? str(body.recommend),
  };
}

const XML_ENTITIES: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** `<Error><Code>…</Code>…</Error>` (the Format=XML envelope); undefined when there is no `<Code>`. */
function xmlEnvelope(text: string): Envelope | undefined {
  const tag = (name: string): string | undefined => {
    const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text);
    return m ? m[1]!.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => XML_ENTITIES[e]!).trim() || undefined : undefined;
  };
  const code = tag("Code");
  if (!code) return undefined;
  return { code, message: tag("Message"), requestId: tag("RequestId"), hostId: tag("HostId"), recommend: tag("Recommend") };
}

function snippet(text: string): string {
  const plain = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return plain.length > BODY_SNIPPET_CHARS ? `${plain.slice(0, BODY_SNIPPET_CHARS)}…` : plain;
}

/**
 * A copy of a transport error fit to travel as `cause`: name, code, message and stack with secrets scrubbed.
 * The original may carry anything its library put there; `util.inspect` would print all of it.
 */
function sanitizedCause(err: unknown, secrets: readonly string[]): Error & { code?: string } {
  const source = err instanceof Error ? err : new Error(String(err));
  const copy: Error & { code?: string } = new Error(redactSecrets(source.message, secrets));
  copy.name = source.name;
  copy.stack = redactSecrets(source.stack ?? `${source.name}: ${source.message}`, secrets);
  const code = (source as { code?: unknown }).code;
  if (typeof code === "string") copy.code = code;
  return copy;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** One call's abort scope: the caller's signal and the call deadline combined. */
class CallScope {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly deadlineAt: number;
  reason: "caller" | "deadline" | undefined;

  constructor(
    private readonly callerSignal: AbortSignal | undefined,
    readonly deadlineMs: number,
  ) {
    this.deadlineAt = performance.now() + deadlineMs;
    this.timer = setTimeout(() => this.abort("deadline", undefined), Math.min(deadlineMs, MAX_TIMER_MS));
    if (callerSignal?.aborted) this.abort("caller", callerSignal.reason);
    else callerSignal?.addEventListener("abort", this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  remainingMs(): number {
    return this.deadlineAt - performance.now();
  }

  private readonly onCallerAbort = (): void => this.abort("caller", this.callerSignal?.reason);

  private abort(reason: "caller" | "deadline", cause: unknown): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort(reason === "caller" ? cause : new Error("deadline exceeded"));
  }

  /**
   * The error that ends a call whose scope aborted. During backoff the deadline yields the last real error;
   * anywhere else a deadline is a `LiveTimeoutError` with phase "deadline".
   */
  failure(action: string, attempt: number, lastError: LiveError | undefined, during: "wait" | "attempt" | "backoff"): LiveError {
    if (this.reason === "caller") return new LiveAbortError(action, { cause: this.callerSignal?.reason });
    if (during === "backoff" && lastError) return lastError;
    const where = during === "wait" ? "while waiting for a rate-limit slot" : `during attempt ${attempt}`;
    const last = lastError ? `; the previous attempt failed with ${lastError.code}` : "";
    return new LiveTimeoutError(action, "deadline", `${action} did not complete within its ${this.deadlineMs} ms deadline (expired ${where}${last}).`, {
      cause: lastError,
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener("abort", this.onCallerAbort);
  }
}

interface PreparedRequest {
  url: string;
  headers: Record<string, string>;
  /** Everything that must never appear in an error message for this attempt. */
  secrets: string[];
}

export class LiveClient implements ActionCaller {
  /** The normalized origin requests go to, e.g. `https://live.aliyuncs.com` or `http://127.0.0.1:8080`. */
  readonly endpoint: string;
  readonly signatureVersion: SignatureVersion;

  readonly #host: string;
  readonly #timeouts: Required<ClientTimeouts>;
  readonly #retry: Required<ClientRetryOptions>;
  readonly #rateLimit:
    | { qps: number | ((action: string) => number) | undefined; burst: number; windowMarginMs: number; arrivalBoundMs: number }
    | false;
  readonly #limiter: SharedRateLimiter;
  readonly #userDispatcher: Dispatcher | undefined;
  #ownAgent: Agent | undefined;
  readonly #lookup: CredentialLookupOptions;
  #credentials: Promise<ResolvedCredentials> | undefined;
  readonly #logger: ((event: ClientLogEvent) => void) | undefined;
  readonly #userAgent: string;
  #closed = false;

  constructor(options: LiveClientOptions = {}) {
    const url = parseEndpoint(options.endpoint ?? DEFAULT_ENDPOINT);
    this.endpoint = url.origin;
    this.#host = url.host;
    const version = options.signatureVersion ?? "v3";
    if (version !== "v3" && version !== "v1") {
      throw new LiveConfigError(`Invalid signatureVersion "${String(version)}": expected "v3" or "v1".`);
    }
    this.signatureVersion = version;
    const t = options.timeouts ?? {};
    this.#timeouts = {
      connectMs: positive("timeouts.connectMs", t.connectMs, TIMEOUT_DEFAULTS.connectMs),
      responseMs: positive("timeouts.responseMs", t.responseMs, TIMEOUT_DEFAULTS.responseMs),
      deadlineMs: positive("timeouts.deadlineMs", t.deadlineMs, TIMEOUT_DEFAULTS.deadlineMs),
    };
    const r = options.retry === false ? { maxAttempts: 1 } : (options.retry ?? {});
    this.#retry = {
      maxAttempts: Math.max(1, Math.floor(positive("retry.maxAttempts", r.maxAttempts, RETRY_DEFAULTS.maxAttempts))),
      baseDelayMs: positive("retry.baseDelayMs", r.baseDelayMs, RETRY_DEFAULTS.baseDelayMs, true),
      maxDelayMs: positive("retry.maxDelayMs", r.maxDelayMs, RETRY_DEFAULTS.maxDelayMs, true),
    };
    if (options.rateLimit === false) this.#rateLimit = false;
    else {
      const rl = options.rateLimit ?? {};
      if (typeof rl.qps === "number") positive("rateLimit.qps", rl.qps, 1);
      else if (rl.qps !== undefined && typeof rl.qps !== "function") throw new LiveConfigError("Invalid client option rateLimit.qps: expected a number or a function.");
      this.#rateLimit = {
        qps: rl.qps,
        burst: positive("rateLimit.burst", rl.burst, RATE_LIMIT_DEFAULTS.burst),
        windowMarginMs: positive("rateLimit.windowMarginMs", rl.windowMarginMs, RATE_LIMIT_DEFAULTS.windowMarginMs, true),
        arrivalBoundMs: positive("rateLimit.arrivalBoundMs", rl.arrivalBoundMs, RATE_LIMIT_DEFAULTS.arrivalBoundMs, true),
      };
    }
    this.#limiter = sharedRateLimiter();
    this.#userDispatcher = options.dispatcher;
    this.#lookup = { credentials: options.credentials, env: options.env, homeDir: options.homeDir };
    this.#logger = options.logger;
    if (options.userAgent !== undefined && (typeof options.userAgent !== "string" || /[\r\n\0]/.test(options.userAgent))) {
      throw new LiveConfigError("Invalid client option userAgent: expected a single-line string.");
    }
    this.#userAgent = options.userAgent ? `${USER_AGENT} ${options.userAgent}` : USER_AGENT;
  }

  /** Which credentials this client uses, without the secret. Resolves (and caches) them on first use. */
  async resolveCredentials(): Promise<{ accessKeyId: string; source: CredentialSource; detail: string }> {
    const c = await this.#getCredentials();
    return { accessKeyId: c.accessKeyId, source: c.source, detail: c.detail };
  }

  /** Calls `action` with `params`; resolves with the validated JSON body or throws a `LiveError`. */
  async call(action: string, params: ApiParams, options: CallOptions = {}): Promise<unknown> {
    if (this.#closed) throw new LiveConfigError("This LiveClient has been closed; create a new one.");
    if (typeof action !== "string" || !/^[A-Za-z][A-Za-z0-9]*$/.test(action)) {
      throw new LiveValidationError(String(action), [{ path: "Action", message: "must be an API operation name (letters and digits)" }]);
    }
    const query = serializeParams(action, params);
    const method = getOperation(action)?.method ?? "POST";
    const deadlineMs = positive("deadlineMs", options.deadlineMs, this.#timeouts.deadlineMs);
    if (options.signal?.aborted) throw new LiveAbortError(action, { cause: options.signal.reason });
    const credentials = await this.#getCredentials();

    const limit = this.#limitSettings(action);
    const key = rateLimitKey(credentials.accessKeyId, action);
    const scope = new CallScope(options.signal, deadlineMs);
    let lastError: LiveError | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        // A retry after close() would silently open a new pool that nobody closes.
        if (this.#closed) throw lastError ?? new LiveConfigError("This LiveClient has been closed; create a new one.");
        let slot: RateLimitSlot | undefined;
        if (limit) {
          try {
            slot = await this.#limiter.acquire(key, limit, { signal: scope.signal });
          } catch {
            throw scope.failure(action, attempt, lastError, "wait");
          }
          if (slot.waitedMs >= 1) this.#log({ type: "throttled-wait", action, attempt, waitedMs: Math.round(slot.waitedMs) });
        }
        this.#log({
          type: "attempt",
          action,
          attempt,
          maxAttempts: this.#retry.maxAttempts,
          method,
          endpoint: this.endpoint,
          signatureVersion: this.signatureVersion,
        });
        let error: LiveError;
        try {
          const body = await this.#attempt(action, method, query, credentials, scope, attempt, slot);
          return validateResponse(action, body);
        } catch (err) {
          // No response: the request may still reach the server, so its slot keeps the arrival-bound anchor.
          slot?.release(false);
          if (scope.reason) throw scope.failure(action, attempt, lastError, "attempt");
          if (err instanceof LiveError) error = err;
          else {
            const cause = sanitizedCause(err, [credentials.accessKeySecret, credentials.securityToken ?? ""]);
            error = new LiveNetworkError(action, `${action}: unexpected failure: ${cause.message}`, { cause, retryable: false });
          }
        }
        lastError = error;
        const decision = classifyRetry(error);
        if (!decision.retry || attempt >= this.#retry.maxAttempts) throw decision.retry ? gaveUp(error, attempt) : error;
        // A non-idempotent call is repeated only when the server certainly did not act on the failed attempt.
        const mayHaveSucceeded = mayHaveBeenProcessed(error);
        if (mayHaveSucceeded && options.idempotent === false) throw error;
        const retryAfterMs = error instanceof LiveApiError ? error.retryAfterMs : undefined;
        const delayMs = retryAfterMs ?? backoffDelay(attempt - 1, this.#retry);
        // Sleeping past the deadline cannot help: give the caller the real error now (spec §11.3).
        if (delayMs >= scope.remainingMs()) throw gaveUp(error, attempt);
        this.#log({ type: "retry", action, attempt, delayMs, reason: error.code, kind: decision.kind, retryAfterMs, mayHaveSucceeded });
        try {
          options.onRetry?.({ attempt, code: error.code, mayHaveSucceeded, delayMs });
        } catch {
          // The caller's hook must not change the retry policy.
        }
        try {
          await sleep(delayMs, scope.signal);
        } catch {
          throw scope.failure(action, attempt, lastError, "backoff");
        }
      }
    } finally {
      scope.dispose();
    }
  }

  /** Closes this client's own connection pool (an injected dispatcher is left alone). Further calls fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const agent = this.#ownAgent;
    this.#ownAgent = undefined;
    if (agent) await agent.close();
  }

  #getCredentials(): Promise<ResolvedCredentials> {
    if (!this.#credentials) {
      const pending = resolveCredentials(this.#lookup);
      this.#credentials = pending;
      // A failed lookup is not cached: the user may fix the environment and try again.
      pending.catch(() => {
        if (this.#credentials === pending) this.#credentials = undefined;
      });
    }
    return this.#credentials;
  }

  #limitSettings(action: string): RateLimitSettings | undefined {
    const rl = this.#rateLimit;
    if (!rl) return undefined;
    const qps = typeof rl.qps === "function" ? rl.qps(action) : (rl.qps ?? qpsFor(action));
    if (typeof qps !== "number" || !Number.isFinite(qps) || qps <= 0) {
      throw new LiveConfigError(`Invalid rateLimit.qps for ${action}: ${String(qps)} (expected a positive number).`);
    }
    return {
      budget: Math.max(1, Math.floor(qps)),
      burst: rl.burst,
      windowMs: RATE_LIMIT_DEFAULTS.windowMs,
      windowMarginMs: rl.windowMarginMs,
      arrivalBoundMs: rl.arrivalBoundMs,
    };
  }

  #dispatcher(): Dispatcher {
    if (this.#userDispatcher) return this.#userDispatcher;
    this.#ownAgent ??= new Agent({
      connect: { timeout: this.#timeouts.connectMs },
      headersTimeout: this.#timeouts.responseMs,
      bodyTimeout: this.#timeouts.responseMs,
    });
    return this.#ownAgent;
  }

  #log(event: ClientLogEvent): void {
    if (!this.#logger) return;
    try {
      this.#logger(event);
    } catch {
      // A failing logger must not fail the call.
    }
  }

  /** Builds the signed request for one attempt: fresh nonce and timestamp every time (spec §2.1, §10). */
  #prepare(action: string, method: "GET" | "POST", query: Record<string, string>, creds: Credentials): PreparedRequest {
    const timestamp = isoTimestamp(new Date());
    const token = creds.securityToken;
    if (this.signatureVersion === "v1") {
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
        url: `${this.endpoint}/?${canonicalQueryString({ ...params, Signature: signature })}`,
        headers: { host: this.#host, accept: "application/json", "user-agent": this.#userAgent },
        secrets: [creds.accessKeySecret, signature, ...(token ? [token] : [])],
      };
    }
    const headers: Record<string, string> = {
      host: this.#host,
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
      url: `${this.endpoint}/${qs ? `?${qs}` : ""}`,
      headers: { ...headers, accept: "application/json", "user-agent": this.#userAgent, authorization: signed.authorization },
      secrets: [creds.accessKeySecret, signed.signature, ...(token ? [token] : [])],
    };
  }

  async #attempt(
    action: string,
    method: "GET" | "POST",
    query: Record<string, string>,
    creds: Credentials,
    scope: CallScope,
    attempt: number,
    slot: RateLimitSlot | undefined,
  ): Promise<Record<string, unknown>> {
    const prepared = this.#prepare(action, method, query, creds);
    const responseMs = this.#timeouts.responseMs;
    const controller = new AbortController();
    let timedOut = false;
    const onScopeAbort = (): void => controller.abort(scope.signal.reason);
    scope.signal.addEventListener("abort", onScopeAbort, { once: true });
    // Our own per-attempt timer: undici's header/body timeouts only exist on our Agent, not on an injected dispatcher.
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error("attempt timed out"));
    }, Math.min(responseMs, MAX_TIMER_MS));
    const started = performance.now();
    try {
      let status: number;
      let headers: Record<string, string | string[] | undefined>;
      let text: string;
      try {
        const res = await request(prepared.url, {
          method,
          headers: prepared.headers,
          dispatcher: this.#dispatcher(),
          signal: controller.signal,
        });
        // The server has counted this request by the time it answers: its rate-limit slot can age from now.
        slot?.release(true);
        status = res.statusCode;
        headers = res.headers;
        text = await res.body.text();
      } catch (err) {
        if (scope.reason) throw err;
        if (timedOut) {
          throw new LiveTimeoutError(action, "response", `${action}: no complete response from ${this.endpoint} within ${responseMs} ms (attempt ${attempt}).`);
        }
        throw this.#transportError(action, err, prepared.secrets);
      }
      const result = this.#interpret(action, status, headers, text, prepared.secrets);
      this.#log({
        type: "response",
        action,
        attempt,
        httpStatus: status,
        requestId:
          result instanceof LiveError
            ? (result as { requestId?: string }).requestId
            : (str(result.RequestId) ?? headerValue(headers, "x-acs-request-id")),
        code: result instanceof LiveApiError ? result.code : undefined,
        durationMs: Math.round(performance.now() - started),
      });
      if (result instanceof LiveError) throw result;
      return result;
    } finally {
      clearTimeout(timer);
      scope.signal.removeEventListener("abort", onScopeAbort);
    }
  }

  #transportError(action: string, err: unknown, secrets: readonly string[]): LiveError {
    const code = typeof (err as { code?: unknown })?.code === "string" ? (err as { code: string }).code : undefined;
    const cause = sanitizedCause(err, secrets);
    if (code === "UND_ERR_CONNECT_TIMEOUT") {
      return new LiveTimeoutError(action, "connect", `${action}: connecting to ${this.endpoint} timed out after ${this.#timeouts.connectMs} ms.`, { cause });
    }
    if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
      return new LiveTimeoutError(action, "response", `${action}: ${this.endpoint} did not answer within ${this.#timeouts.responseMs} ms (${code}).`, { cause });
    }
    return new LiveNetworkError(action, `${action}: network error talking to ${this.endpoint}: ${cause.message}${code ? ` (${code})` : ""}`, {
      cause,
      retryable: classifyNetworkCode(code).retry,
    });
  }

  /** A success body, or the error a response stands for (returned, not thrown, so the caller can log it first). */
  #interpret(
    action: string,
    status: number,
    headers: Record<string, string | string[] | undefined>,
    text: string,
    secrets: readonly string[],
  ): Record<string, unknown> | LiveError {
    const ok = status >= 200 && status < 300;
    let json: unknown;
    let isJson = false;
    if (text.trim().length > 0) {
      try {
        json = JSON.parse(text);
        isJson = true;
      } catch {
        isJson = false;
      }
    }
    const headerRequestId = headerValue(headers, "x-acs-request-id");
    if (isJson && isPlainObject(json)) {
      // Success bodies never carry `Code`; pop-core treats any `Code` outside its OK set as failure (spec §2.3).
      const code = str(json.Code);
      if (ok && (code === undefined || OK_CODES.has(code))) return json;
      return this.#apiError(action, status, headers, jsonEnvelope(json), headerRequestId, secrets);
    }
    if (!ok) {
      const xml = xmlEnvelope(text);
      if (xml) return this.#apiError(action, status, headers, xml, headerRequestId, secrets);
      const quoted = snippet(text);
      return this.#apiError(
        action,
        status,
        headers,
        {
          code: `HttpError${status}`,
          message: `HTTP ${status} from ${this.endpoint} without an API error body${quoted ? `: ${quoted}` : ""}`,
          requestId: undefined,
          hostId: undefined,
          recommend: undefined,
        },
        headerRequestId,
        secrets,
      );
    }
    const what = text.trim().length === 0 ? "an empty body" : isJson ? "JSON that is not an object" : "a body that is not JSON";
    return new LiveResponseError(action, `${action}: HTTP ${status} from ${this.endpoint} with ${what}; expected a JSON object.`, {
      requestId: headerRequestId,
    });
  }

  #apiError(
    action: string,
    status: number,
    headers: Record<string, string | string[] | undefined>,
    env: Envelope,
    headerRequestId: string | undefined,
    secrets: readonly string[],
  ): LiveApiError {
    const code = env.code ?? `HttpError${status}`;
    const serverMessage = env.message !== undefined ? redactSecrets(env.message, secrets) : undefined;
    const requestId = env.requestId ?? headerRequestId;
    const decision = classifyApiError(code, status);
    return new LiveApiError({
      code,
      message: `${action} failed: ${code}${serverMessage ? `: ${serverMessage}` : ""} (HTTP ${status}${requestId ? `, RequestId ${requestId}` : ""})${CODE_HINTS[code] ?? ""}`,
      serverMessage,
      httpStatus: status,
      action,
      requestId,
      hostId: env.hostId,
      recommend: env.recommend !== undefined ? redactSecrets(env.recommend, secrets) : undefined,
      retryable: decision.retry,
      retryAfterMs: parseRetryAfterMs(headers["x-acs-retry-after"]),
    });
  }
}

/** A retryable failure that ends the call says how often the call was tried (issue 13). */
function gaveUp(error: LiveError, attempts: number): LiveError {
  error.message += ` — gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}`;
  return error;
}

/** What to check, for API errors whose usual cause is on our side of the wire. */
const CODE_HINTS: Readonly<Record<string, string>> = {
  SignatureDoesNotMatch:
    ". Check the AccessKey secret (livemessage:accessKeySecret or ALIBABA_CLOUD_ACCESS_KEY_SECRET): it does not belong to this AccessKey ID, or has a stray space or newline",
};
