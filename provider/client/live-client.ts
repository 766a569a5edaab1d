/**
 * The LiveMessage API client: one signed HTTP exchange per attempt (spec §2.1, §10), composed from separate units —
 * parameter serialization (`serialize.ts`), request signing (`signed-request.ts`), response and error parsing
 * (`response.ts`), the retry loop (`retry-loop.ts`, policy in `retry-policy.ts`) and the process-wide rate limiter
 * (`rate-limiter.ts`, DESIGN rule 3) — plus credential lookup (§12).
 *
 *     const client = new LiveClient({ endpoint: "http://127.0.0.1:8080" });
 *     const body = await client.call("DescribeLiveMessageGroup", { AppId: "a", GroupId: "g" }, { retrySafety: "idempotent" });
 *
 * The client knows no individual operation: the operation modules (`../operations`) pass each call's HTTP method and
 * retry safety and validate its response. Secrets (AccessKeySecret, security token, computed signatures) never leave
 * this module except on the wire: they live in `#private` fields, and every text we did not write is scrubbed before
 * it becomes an error message.
 */
import { Agent, request, type Dispatcher } from "undici";
import { DEFAULT_ENDPOINT, qpsFor } from "../limits";
import { DEFAULT_RETRY_SAFETY, type ActionCaller, type ApiParams, type CallOptions } from "./call-options";
import { RATE_LIMIT_DEFAULTS } from "./defaults";
import { resolveCredentials, type CredentialLookupOptions, type CredentialSource, type Credentials, type ResolvedCredentials } from "./credentials";
import { LiveAbortError, LiveApiError, LiveConfigError, LiveError, LiveNetworkError, LiveTimeoutError, LiveValidationError } from "./errors";
import {
  parseEndpoint,
  positive,
  rateLimitOf,
  retryPolicyOf,
  signatureVersionOf,
  timeoutsOf,
  userAgentSuffixOf,
  type ClientRateLimitOptions,
  type ClientRetryOptions,
  type ClientTimeouts,
  type NormalizedRateLimit,
  type SignatureVersion,
} from "./options";
import { sharedRateLimiter, rateLimitKey, type RateLimitSettings, type RateLimitSlot, type SharedRateLimiter } from "./rate-limiter";
import { sanitizedCause } from "./redact";
import { interpretResponse, responseRequestId, type ResponseHeaders } from "./response";
import { classifyNetworkCode } from "./retry-policy";
import { MAX_TIMER_MS, runWithRetries, type RetryEvent, type RetryLoopPolicy } from "./retry-loop";
import { serializeParams } from "./serialize";
import { signRequest, type RequestTarget } from "./signed-request";

export type { ClientRateLimitOptions, ClientRetryOptions, ClientTimeouts, SignatureVersion } from "./options";
export { serializeParams } from "./serialize";

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
  | ({ type: "retry" } & RetryEvent)
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

const USER_AGENT = `pulumi-alicloud-livemessage (node ${process.version}; ${process.platform})`;

export class LiveClient implements ActionCaller {
  /** The normalized origin requests go to, e.g. `https://live.aliyuncs.com` or `http://127.0.0.1:8080`. */
  readonly endpoint: string;
  readonly signatureVersion: SignatureVersion;

  readonly #target: RequestTarget;
  readonly #timeouts: Required<ClientTimeouts>;
  readonly #retry: RetryLoopPolicy;
  readonly #rateLimit: NormalizedRateLimit | false;
  readonly #limiter: SharedRateLimiter;
  readonly #userDispatcher: Dispatcher | undefined;
  #ownAgent: Agent | undefined;
  readonly #lookup: CredentialLookupOptions;
  #credentials: Promise<ResolvedCredentials> | undefined;
  readonly #logger: ((event: ClientLogEvent) => void) | undefined;
  #closed = false;

  constructor(options: LiveClientOptions = {}) {
    const url = parseEndpoint(options.endpoint ?? DEFAULT_ENDPOINT);
    this.endpoint = url.origin;
    this.signatureVersion = signatureVersionOf(options.signatureVersion);
    this.#timeouts = timeoutsOf(options.timeouts);
    this.#retry = retryPolicyOf(options.retry);
    this.#rateLimit = rateLimitOf(options.rateLimit);
    this.#limiter = sharedRateLimiter();
    this.#userDispatcher = options.dispatcher;
    this.#lookup = { credentials: options.credentials, env: options.env, homeDir: options.homeDir };
    this.#logger = options.logger;
    const suffix = userAgentSuffixOf(options.userAgent);
    this.#target = {
      endpoint: this.endpoint,
      host: url.host,
      userAgent: suffix ? `${USER_AGENT} ${suffix}` : USER_AGENT,
      signatureVersion: this.signatureVersion,
    };
  }

  /** Which credentials this client uses, without the secret. Resolves (and caches) them on first use. */
  async resolveCredentials(): Promise<{ accessKeyId: string; source: CredentialSource; detail: string }> {
    const c = await this.#getCredentials();
    return { accessKeyId: c.accessKeyId, source: c.source, detail: c.detail };
  }

  /**
   * Calls `action` with `params`; resolves with the JSON body or throws a `LiveError`. A call that does not declare
   * its `retrySafety` is treated as "at-most-once": the operation modules declare theirs.
   */
  async call(action: string, params: ApiParams, options: CallOptions = {}): Promise<unknown> {
    if (this.#closed) throw closedError();
    if (typeof action !== "string" || !/^[A-Za-z][A-Za-z0-9]*$/.test(action)) {
      throw new LiveValidationError(String(action), [{ path: "Action", message: "must be an API operation name (letters and digits)" }]);
    }
    const query = serializeParams(action, params);
    const method = options.method ?? "POST";
    const deadlineMs = positive("deadlineMs", options.deadlineMs, this.#timeouts.deadlineMs);
    if (options.signal?.aborted) throw new LiveAbortError(action, { cause: options.signal.reason });
    const credentials = await this.#getCredentials();
    const limit = this.#limitSettings(action);
    const key = rateLimitKey(credentials.accessKeyId, action);
    let slot: RateLimitSlot | undefined;

    return runWithRetries({
      action,
      policy: this.#retry,
      retrySafety: options.retrySafety ?? DEFAULT_RETRY_SAFETY,
      deadlineMs,
      signal: options.signal,
      onRetry: options.onRetry,
      onRetryEvent: (event) => this.#log({ type: "retry", ...event }),
      secrets: [credentials.accessKeySecret, credentials.securityToken ?? ""],
      // A retry after close() would silently open a new pool that nobody closes.
      refuse: () => (this.#closed ? closedError() : undefined),
      waitTurn: limit
        ? async (attempt, signal) => {
            slot = await this.#limiter.acquire(key, limit, { signal });
            if (slot.waitedMs >= 1) this.#log({ type: "throttled-wait", action, attempt, waitedMs: Math.round(slot.waitedMs) });
          }
        : undefined,
      attempt: async (attempt, signal) => {
        this.#log({ type: "attempt", action, attempt, maxAttempts: this.#retry.maxAttempts, method, endpoint: this.endpoint, signatureVersion: this.signatureVersion });
        try {
          return await this.#exchange(action, method, query, credentials, signal, attempt, slot);
        } catch (err) {
          // No response: the request may still reach the server, so its slot keeps the arrival-bound anchor.
          slot?.release(false);
          throw err;
        }
      },
    });
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

  /** One attempt: sign, send, read the whole body, interpret it. Transport failures become LiveNetwork/TimeoutError. */
  async #exchange(
    action: string,
    method: "GET" | "POST",
    query: Record<string, string>,
    creds: Credentials,
    callSignal: AbortSignal,
    attempt: number,
    slot: RateLimitSlot | undefined,
  ): Promise<Record<string, unknown>> {
    const signed = signRequest(this.#target, action, method, query, creds);
    const responseMs = this.#timeouts.responseMs;
    const controller = new AbortController();
    let timedOut = false;
    const onCallAbort = (): void => controller.abort(callSignal.reason);
    callSignal.addEventListener("abort", onCallAbort, { once: true });
    // Our own per-attempt timer: undici's header/body timeouts only exist on our Agent, not on an injected dispatcher.
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error("attempt timed out"));
    }, Math.min(responseMs, MAX_TIMER_MS));
    const started = performance.now();
    try {
      let status: number;
      let headers: ResponseHeaders;
      let text: string;
      try {
        const res = await request(signed.url, { method, headers: signed.headers, dispatcher: this.#dispatcher(), signal: controller.signal });
        // The server has counted this request by the time it answers: its rate-limit slot can age from now.
        slot?.release(true);
        status = res.statusCode;
        headers = res.headers;
        text = await res.body.text();
      } catch (err) {
        if (callSignal.aborted) throw err;
        if (timedOut) {
          throw new LiveTimeoutError(action, "response", `${action}: no complete response from ${this.endpoint} within ${responseMs} ms (attempt ${attempt}).`);
        }
        throw this.#transportError(action, err, signed.secrets);
      }
      const result = interpretResponse({ action, endpoint: this.endpoint, secrets: signed.secrets }, status, headers, text);
      this.#log({
        type: "response",
        action,
        attempt,
        httpStatus: status,
        requestId: responseRequestId(result, headers),
        code: result instanceof LiveApiError ? result.code : undefined,
        durationMs: Math.round(performance.now() - started),
      });
      if (result instanceof LiveError) throw result;
      return result;
    } finally {
      clearTimeout(timer);
      callSignal.removeEventListener("abort", onCallAbort);
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
}

function closedError(): LiveConfigError {
  return new LiveConfigError("This LiveClient has been closed; create a new one.");
}
