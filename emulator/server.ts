/**
 * The emulator's HTTP layer: the POP gateway in front of the LiveMessage service (`./service`). Per API request:
 * route → parse (query + form body) → action/version → authenticate (signature, timestamp, nonce) → throttle →
 * fault injection → execute → make durable → respond in JSON or XML. Admin endpoints live under `/_emulator/`.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { randomInt, timingSafeEqual } from "node:crypto";
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import { ADMIN_PREFIX, handleAdmin, type AdminTarget, type Overview } from "./admin";
import { Authenticator, toAccounts, type Account, type AuthRequest, type EmulatorCredential } from "./auth";
import { Compactor } from "./compaction-worker";
import { applyCommand, readDataDir, removeTempSnapshots, repairDataDir, retireLegacy, type RepairReport } from "./datadir";
import { EmulatorError, Errors, isEmulatorError } from "./errors";
import { ChangeFeed, type ChangeCounters } from "./events";
import { FaultInjector, faultError, parseFaultRules, type FaultRule, type FaultRuleState } from "./faults";
import { DEFAULT_REQUEST_LOG_SIZE, Metrics, OTHER_ACTION, UNKNOWN_ACCOUNT, type RequestEntry, type RequestQuery } from "./metrics";
import { mulberry32, nextSeed } from "./random";
import { createService } from "./service";
import type { Command, LiveMessageService, MembershipChange, ServiceOptions } from "./service/types";
import type { GroupListView, GroupQuery, MessageListView, ServiceViews } from "./service/views";
import { API_VERSION, qpsOf } from "./spec/limits";
import { Throttle } from "./throttle";
import { uiAsset } from "./ui-assets";
import { EmulatorStartError, lockDataDir, WriteAheadLog } from "./wal";
import {
  formatOf,
  JSON_CONTENT_TYPE,
  newRequestId,
  parseUrlEncoded,
  renderError,
  renderSuccess,
  serviceParams,
  type RenderedResponse,
  type ResponseFormat,
} from "./wire";

/** The documented default test key pair — fake by design, accepted when no `credentials` are configured. */
export const DEFAULT_CREDENTIALS: Readonly<Required<Pick<EmulatorCredential, "accessKeyId" | "accessKeySecret">>> = Object.freeze({
  accessKeyId: "emulator-access-key-id",
  accessKeySecret: "emulator-access-key-secret",
});

export const DEFAULT_HOST = "127.0.0.1";
/** Largest request body accepted (a LiveMessage request carries at most ~50 KB of parameters). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** An oversized body is read and discarded up to this much (so the client gets its 413), then the connection closes. */
const MAX_DISCARD_BYTES = 256 * 1024 * 1024;
/** … and for at most this long. */
const MAX_DISCARD_MS = 10_000;
/** Environment variable read by the CLI for `--admin-token`. */
export const ADMIN_TOKEN_ENV = "LIVEMESSAGE_EMULATOR_ADMIN_TOKEN";
/** How long `stop()` lets in-flight requests finish before closing their connections. */
const STOP_GRACE_MS = 2000;

export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Interface to bind (default 127.0.0.1). */
  readonly host?: string;
  /** Persist to this directory (write-ahead log + snapshots); omitted = memory only. */
  readonly dataDir?: string;
  /** Accepted key pairs, each its own account (default: `DEFAULT_CREDENTIALS`). */
  readonly credentials?: readonly EmulatorCredential[];
  /** Per (account, Action) QPS limits like the gateway (default true): keys of one account share a budget. */
  readonly throttle?: boolean;
  /** Signature, timestamp and nonce checks (default true). */
  readonly verifySignatures?: boolean;
  /** Seed of every random draw (generated IDs, fault decisions); default: random, reported as `emulator.seed`. */
  readonly seed?: number;
  /** Milliseconds since the epoch; drives timestamps checks, nonce expiry, throttle windows and the service's `now`. */
  readonly clock?: () => number;
  /** Log entries between automatic snapshots (dataDir mode). */
  readonly compactEvery?: number;
  readonly maxBodyBytes?: number;
  /** Diagnostics sink (unexpected errors, recovery notes); never receives secrets. Default: silent. */
  readonly log?: (line: string) => void;
  /**
   * When set, every admin call (`/_emulator/…`) must carry it (`Authorization: Bearer <token>` or
   * `x-emulator-admin-token: <token>`), else 401. Default: none (admin calls are still refused cross-origin).
   */
  readonly adminToken?: string;
  /** A damaged data directory is repaired (damaged files moved aside, longest verified prefix kept) before starting. */
  readonly repair?: boolean;
  /** How many recent API calls `/_emulator/requests` keeps (default 1000). */
  readonly requestLogSize?: number;
  /** Advanced/testing: the service implementation (default: `createService` of `./service`). */
  readonly createService?: (options: ServiceOptions) => LiveMessageService;
}

export interface EmulatorAccountInfo {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly accountId: string;
  readonly securityToken?: string;
}

export interface Emulator {
  /** `http://host:port` — the endpoint to give the provider or an SDK client. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The key pairs this emulator accepts and their account ids (the first is the default account). */
  readonly credentials: readonly EmulatorAccountInfo[];
  readonly seed: number;
  readonly dataDir: string | undefined;
  /** The service behind the gateway (for in-process inspection). */
  readonly service: LiveMessageService;
  /** Writes a snapshot and starts a new log now (dataDir mode; no-op in memory). */
  compact(): Promise<void>;
  /** What `repair` did at start (undefined when not asked for). */
  readonly repairReport?: RepairReport;
  /** Stops listening, lets in-flight requests finish briefly, flushes the log, releases the data directory. */
  stop(): Promise<void>;
}

type HeaderMap = Record<string, string[] | undefined>;

/** Lowercased name → every value, straight from rawHeaders (cheaper than node's headers + headersDistinct). */
function headerMap(raw: readonly string[]): HeaderMap {
  const out = Object.create(null) as HeaderMap;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const list = out[name];
    if (list) list.push(raw[i + 1]!);
    else out[name] = [raw[i + 1]!];
  }
  return out;
}

/**
 * Reads and throws away the rest of an oversized body, so that a client still sending can finish and read the 413
 * answer (closing at once makes it see a reset instead); past MAX_DISCARD_BYTES or MAX_DISCARD_MS the connection
 * is closed.
 */
function discardBody(req: http.IncomingMessage): void {
  let discarded = 0;
  const timer = setTimeout(() => req.socket.destroy(), MAX_DISCARD_MS);
  timer.unref();
  req.removeAllListeners("data");
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARD_BYTES) req.socket.destroy();
  });
  req.once("end", () => clearTimeout(timer));
  req.once("close", () => clearTimeout(timer));
  req.resume();
}

function readBody(req: http.IncomingMessage, headers: HeaderMap, limit: number): Promise<Buffer> {
  const declared = headers["content-length"]?.[0];
  if (declared !== undefined && Number(declared) > limit) {
    discardBody(req);
    return Promise.reject(Errors.requestEntityTooLarge(limit));
  }
  if ((declared === undefined || declared === "0") && headers["transfer-encoding"] === undefined) {
    req.resume();
    return Promise.resolve(Buffer.alloc(0));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        discardBody(req);
        reject(Errors.requestEntityTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on("error", () => reject(new ClientGone()));
    req.on("close", () => {
      if (!req.complete) reject(new ClientGone());
    });
  });
}

/** The client went away before its request was complete: nothing to answer, nothing to log. */
class ClientGone extends Error {}

function isFormBody(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK_HOSTS.has(h) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h.endsWith(".localhost");
}

/** `host[:port]` → host (IPv6 literals keep their brackets). */
function hostOnly(hostHeader: string): string {
  if (hostHeader.startsWith("[")) return hostHeader.slice(0, hostHeader.indexOf("]") + 1);
  const colon = hostHeader.lastIndexOf(":");
  return colon === -1 ? hostHeader : hostHeader.slice(0, colon);
}

/**
 * Whether `GET /_emulator/apps/{appId}/credentials` (the dashboard's "reveal") answers: to an authorized caller,
 * except on an emulator that other machines can reach and that has no admin token — there anyone on the network
 * could read the secrets. (`/_emulator/state` keeps its documented behaviour.)
 */
export function appSecretsRevealable(boundHost: string, tokenRequired: boolean): boolean {
  return tokenRequired || isLoopback(hostOnly(boundHost.includes(":") && !boundHost.startsWith("[") ? `[${boundHost}]` : boundHost));
}

function sameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The emulator behind the HTTP server: gateway checks, execution, durability, admin. */
class EmulatorCore implements AdminTarget {
  readonly accounts: readonly Account[];
  private readonly auth: Authenticator;
  private readonly throttle: Throttle | undefined;
  private readonly faults: FaultInjector;
  private readonly clock: () => number;
  private readonly maxBody: number;
  private readonly log: (line: string) => void;
  readonly metricsStore: Metrics;
  private callRandom: () => number;
  private draws = 0;
  wal: WriteAheadLog | undefined;
  private readonly startedAt = Date.now();
  /** The interface the server is bound to: admin calls must name a loopback host when it is one (DNS rebinding). */
  boundHost = DEFAULT_HOST;
  inFlight = 0;
  stopped = false;
  /** How late the event loop ran (a pause on the request path shows here): health's `eventLoopDelayMs`. */
  readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  /** The change feed's counters (events.ts): state changes, recorded API calls, fault-rule changes. */
  private revision = 0;
  private recorded = 0;
  private faultsRevision = 0;
  readonly feed = new ChangeFeed(() => this.changeCounters());

  constructor(
    readonly service: LiveMessageService,
    readonly options: EmulatorOptions,
    readonly seed: number,
    accounts: readonly Account[],
  ) {
    this.accounts = accounts;
    this.clock = options.clock ?? Date.now;
    this.auth = new Authenticator({ accounts: this.accounts, verify: options.verifySignatures !== false, clock: this.clock });
    this.throttle = options.throttle === false ? undefined : new Throttle(this.clock);
    this.faults = new FaultInjector(seed);
    this.maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.log = options.log ?? (() => undefined);
    this.metricsStore = new Metrics(options.requestLogSize ?? DEFAULT_REQUEST_LOG_SIZE);
    this.callRandom = mulberry32(seed);
    this.loopDelay.enable();
  }

  /** Per-call seed: the next draw of the seeded stream, so a run is reproducible from `seed`. */
  private nextCallSeed(): number {
    this.draws++;
    return nextSeed(this.callRandom);
  }

  /** Continues the seed stream where the persisted run left it (restart on a data directory). */
  fastForward(draws: number): void {
    this.callRandom = mulberry32(this.seed);
    for (let i = 0; i < draws; i++) this.callRandom();
    this.draws = draws;
  }

  get drawCount(): number {
    return this.draws;
  }

  /** Re-applies a logged command (replay reports errors: the command succeeded when it was logged). */
  replay(command: Command): void {
    applyCommand(this.service, command, (m) => this.log(`livemessage-emulator: ${m}`), mulberry32);
  }

  // --------------------------------------------------------------------------------------------------------------
  // HTTP
  // --------------------------------------------------------------------------------------------------------------

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.inFlight++;
    const started = process.hrtime.bigint();
    const requestId = newRequestId();
    let format: ResponseFormat = "json";
    // What the request log and the metrics record about an API call (filled in as the call is understood).
    const seen: { action: string; account: string; accessKeyId?: string; signature: RequestEntry["signature"]; throttled: boolean } = {
      action: OTHER_ACTION,
      account: UNKNOWN_ACCOUNT,
      signature: "none",
      throttled: false,
    };
    let api = false;
    let status = 500;
    let code: string | undefined;
    try {
      const url = req.url ?? "/";
      const q = url.indexOf("?");
      const pathname = q === -1 ? url : url.slice(0, q);
      const method = req.method ?? "GET";
      const headers = headerMap(req.rawHeaders);
      if (pathname === ADMIN_PREFIX || pathname.startsWith(`${ADMIN_PREFIX}/`)) {
        const asset = uiAsset(pathname, method);
        if (asset) {
          // The dashboard's files hold no data: no token (the page must load to ask for it), any referrer.
          this.guardHost(headers);
          req.resume();
          res.writeHead(asset.status, { ...asset.headers, "content-length": Buffer.byteLength(asset.body) });
          res.end(method === "HEAD" ? undefined : asset.body);
          return;
        }
        const sub = pathname.slice(ADMIN_PREFIX.length);
        if (method === "GET" && sub === "/session") {
          // Answered without the token: the page asks whether it needs one (and whether the one it has is right)
          // without provoking a 401 — which the browser would log as an error.
          this.guardAdmin(method, headers, { tokenOptional: true });
          req.resume();
          this.send(res, { status: 200, headers: { "content-type": JSON_CONTENT_TYPE, "x-acs-request-id": requestId }, body: JSON.stringify(this.session(headers)) });
          return;
        }
        this.guardAdmin(method, headers);
        if (method === "GET" && sub === "/events") {
          req.resume();
          if (!this.feed.accepting) throw Errors.serviceUnavailable();
          this.feed.open(res, requestId);
          return;
        }
        const body = await readBody(req, headers, this.maxBody);
        this.guardAdminBody(method, headers, body);
        const result = await handleAdmin(this, method, pathname, body, q === -1 ? "" : url.slice(q + 1));
        const text = result.contentType ? String(result.body) : JSON.stringify(result.body);
        this.send(res, { status: result.status, headers: { "content-type": result.contentType ?? JSON_CONTENT_TYPE, "x-acs-request-id": requestId }, body: text });
        return;
      }
      api = true;
      if (pathname !== "/" && pathname !== "") throw Errors.invalidAction(pathname);
      if (method !== "GET" && method !== "POST") throw Errors.unsupportedHttpMethod(method);
      const body = await readBody(req, headers, this.maxBody);
      const query = parseUrlEncoded(q === -1 ? "" : url.slice(q + 1));
      const form = body.length > 0 && isFormBody(headers["content-type"]?.[0]) ? parseUrlEncoded(body.toString("utf8")) : undefined;
      const params = form ? { ...query, ...form } : query;
      const authorization = headers.authorization?.[0];
      const v3 = authorization !== undefined && /^\s*ACS3-/i.test(authorization);
      seen.signature = v3 ? "v3" : params.AccessKeyId !== undefined ? "v1" : "none";
      format = v3 ? "json" : formatOf(params.Format);
      const action = v3 ? (headers["x-acs-action"]?.[0] ?? params.Action) : params.Action;
      const version = v3 ? (headers["x-acs-version"]?.[0] ?? params.Version) : params.Version;
      if (action !== undefined && this.service.actions.has(action)) seen.action = action;
      const authRequest: AuthRequest = { method, path: pathname || "/", query, params, body, headers, v3 };
      const presented = this.auth.accountOf(this.auth.presentedKey(authRequest));
      if (presented) {
        seen.account = presented.accountId;
        seen.accessKeyId = presented.accessKeyId;
      }
      if (!action) throw Errors.missingParameter(v3 ? "x-acs-action" : "Action");
      if (!this.service.actions.has(action)) throw Errors.invalidAction(action);
      if (!version) throw Errors.missingParameter(v3 ? "x-acs-version" : "Version");
      if (version !== API_VERSION) throw Errors.invalidVersion(version);
      const account = this.auth.authenticate(authRequest);
      seen.account = account.accountId;
      seen.accessKeyId = account.accessKeyId;
      if (this.throttle) {
        const decision = this.throttle.take(account.accountId, action);
        if (!decision.ok) {
          seen.throttled = true;
          throw this.throttled(action, decision.retryAfterMs);
        }
      }
      const fault = this.faults.active ? this.faults.decide(action) : undefined;
      if (fault) {
        this.faultsChanged();
        status = fault.mode === "error" ? fault.status : 200;
        if (fault.mode === "error") code = fault.code;
        return await this.withFault(fault, action, res, requestId, format, () => this.execute(action, params, account));
      }
      const result = await this.execute(action, params, account);
      status = 200;
      this.send(res, renderSuccess(action, requestId, result, format));
    } catch (e) {
      const err = await this.sendError(res, e, requestId, format);
      if (err) {
        status = err.httpStatus;
        code = err.code;
      }
    } finally {
      this.inFlight--;
      if (api) {
        this.recorded++;
        this.feed.notify();
        this.metricsStore.record({
          time: new Date().toISOString(),
          requestId,
          action: seen.action,
          account: seen.account,
          ...(seen.accessKeyId !== undefined ? { accessKeyId: seen.accessKeyId } : {}),
          status,
          ...(code !== undefined ? { code } : {}),
          latencyMs: Math.round(Number(process.hrtime.bigint() - started) / 1000) / 1000,
          throttled: seen.throttled,
          signature: seen.signature,
        });
      }
    }
  }

  /**
   * Who may use the admin endpoints: with an admin token, only callers presenting it; and never a web page of
   * another origin (a browser on the developer's machine must not be able to wipe the data). When the server is
   * bound to a loopback address the Host must be a loopback name too (DNS rebinding turns a foreign page into a
   * "same-origin" one).
   */
  private guardAdmin(method: string, headers: HeaderMap, { tokenOptional = false } = {}): void {
    if (!tokenOptional && !this.tokenPresented(headers)) throw Errors.adminUnauthorized();
    this.guardHost(headers);
    const hostHeader = headers.host?.[0] ?? "";
    const origin = headers.origin?.[0];
    if (origin !== undefined) {
      let same = false;
      try {
        same = new URL(origin).host === hostHeader;
      } catch {
        same = false;
      }
      if (!same) throw Errors.adminForbidden(`a cross-origin request (Origin ${origin.slice(0, 100)}) may not call the emulator's admin endpoints`);
    }
    if (headers["sec-fetch-site"]?.[0] === "cross-site") throw Errors.adminForbidden("a cross-site request may not call the emulator's admin endpoints");
    void method;
  }

  private get tokenRequired(): boolean {
    return this.options.adminToken !== undefined && this.options.adminToken !== "";
  }

  /** True when no admin token is configured or the request carries it. */
  private tokenPresented(headers: HeaderMap): boolean {
    const token = this.options.adminToken;
    if (token === undefined || token === "") return true;
    const bearer = /^\s*Bearer\s+(.+?)\s*$/i.exec(headers.authorization?.[0] ?? "")?.[1];
    const presented = bearer ?? headers["x-emulator-admin-token"]?.[0];
    return presented !== undefined && sameToken(presented, token);
  }

  /** DNS rebinding: a loopback emulator answers admin (and dashboard) requests only for a loopback Host. */
  private guardHost(headers: HeaderMap): void {
    const hostHeader = headers.host?.[0] ?? "";
    if (isLoopback(hostOnly(this.boundHost)) && hostHeader !== "" && !isLoopback(hostOnly(hostHeader))) {
      throw Errors.adminForbidden(`the Host header names ${hostOnly(hostHeader)}, not this machine (admin calls to a loopback emulator must address it as localhost or 127.0.0.1)`);
    }
  }

  private get secretsRevealable(): boolean {
    return appSecretsRevealable(this.boundHost, this.tokenRequired);
  }

  /** `GET /_emulator/session`: what the dashboard needs to know before its first admin call. */
  private session(headers: HeaderMap): Record<string, unknown> {
    const authorized = this.tokenPresented(headers);
    return { adminTokenRequired: this.tokenRequired, authorized, secretsRevealable: authorized && this.secretsRevealable };
  }

  /** Admin writes take JSON only: a form or text/plain body is what a foreign web page can send without asking. */
  private guardAdminBody(method: string, headers: HeaderMap, body: Buffer): void {
    if (method === "GET" || method === "HEAD") return;
    const type = headers["content-type"]?.[0];
    if (type === undefined && body.length === 0) return;
    if (type === undefined || !/^application\/json\s*(;|$)/i.test(type)) {
      throw Errors.adminUnsupportedMediaType(type);
    }
  }

  private async withFault(
    fault: FaultRule,
    action: string,
    res: http.ServerResponse,
    requestId: string,
    format: ResponseFormat,
    run: () => Promise<Record<string, unknown>>,
  ): Promise<void> {
    if (fault.mode === "error") throw faultError(fault);
    if (fault.mode === "latency") {
      await sleep(fault.latencyMs);
      const result = await run();
      this.send(res, renderSuccess(action, requestId, result, format));
      return;
    }
    // drop-after-commit: the call runs and its mutation is durable, then the client gets no response at all.
    try {
      await run();
    } catch {
      // The outcome is irrelevant: the client sees a dropped connection either way.
    }
    const barrier = this.wal?.barrier();
    if (barrier) await barrier.catch(() => undefined);
    res.socket?.destroy();
  }

  /**
   * `Throttling.User` with `x-acs-retry-after` (current SDKs) and `x-ratelimit-user-api` (older SDKs read `TimeLeft`;
   * [U] `Reset` as epoch ms), spec §11.2.
   */
  private throttled(action: string, retryAfterMs: number): EmulatorError {
    const base = Errors.throttlingUser(retryAfterMs);
    const rateLimit = `Limit:${qpsOf(action)},Remain:0,TimeLeft:${retryAfterMs},Reset:${this.clock() + retryAfterMs}`;
    return new EmulatorError(base.code, base.httpStatus, base.message, { ...base.headers, "x-ratelimit-user-api": rateLimit });
  }

  /** Runs the call with a fresh seed; a successful mutation is appended to the log and durable before returning. */
  private async execute(action: string, rawParams: Readonly<Record<string, string>>, account: Account): Promise<Record<string, unknown>> {
    // A call that outlived stop() (e.g. in a latency fault) must not change state that is no longer logged.
    if (this.stopped) throw Errors.serviceUnavailable();
    const params = serviceParams(rawParams);
    const now = this.clock();
    const seed = this.nextCallSeed();
    const result = this.service.execute(action, params, { accountId: account.accountId, accessKeyId: account.accessKeyId, now, seed, random: mulberry32(seed) });
    if (this.service.isMutating(action)) this.stateChanged();
    if (this.wal && this.service.isMutating(action)) {
      await this.wal.append(
        { kind: "call", accountId: account.accountId, accessKeyId: account.accessKeyId, action, params, now, seed },
        this.seed,
        this.draws,
      );
    }
    return result;
  }

  private send(res: http.ServerResponse, r: RenderedResponse): void {
    if (res.headersSent || res.destroyed) return;
    const barrier = this.wal?.barrier();
    if (barrier) {
      // Never reveal state that is not durable yet: wait for the commands executed before this response.
      barrier.then(
        () => this.write(res, r),
        () => this.write(res, renderError(Errors.internalError(), r.headers["x-acs-request-id"] ?? newRequestId(), "json")),
      );
      return;
    }
    this.write(res, r);
  }

  private write(res: http.ServerResponse, r: RenderedResponse): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(r.status, { ...r.headers, "content-length": Buffer.byteLength(r.body) });
    res.end(r.body);
  }

  /** Answers the error; returns it (undefined when there is nobody to answer). */
  private async sendError(res: http.ServerResponse, e: unknown, requestId: string, format: ResponseFormat): Promise<EmulatorError | undefined> {
    if (e instanceof ClientGone) return undefined;
    let err: EmulatorError;
    if (isEmulatorError(e)) {
      err = e;
    } else {
      this.log(`livemessage-emulator: unexpected error (RequestId ${requestId}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      err = Errors.internalError();
    }
    this.send(res, renderError(err, requestId, format));
    return err;
  }

  // --------------------------------------------------------------------------------------------------------------
  // Admin (see admin.ts)
  // --------------------------------------------------------------------------------------------------------------

  private changeCounters(): ChangeCounters {
    return { revision: this.revision, requests: this.recorded, faults: this.faultsRevision };
  }

  private stateChanged(): void {
    this.revision++;
    this.feed.notify();
  }

  private faultsChanged(): void {
    this.faultsRevision++;
    this.feed.notify();
  }

  private get views(): ServiceViews {
    const v = this.service.views;
    if (!v) throw Errors.adminNotImplemented("the dashboard's views");
    return v;
  }

  overview(): Overview {
    const byAccount = new Map<string, { accountId: string; accessKeyIds: string[]; apps: ReturnType<ServiceViews["apps"]> }>();
    for (const a of this.accounts) {
      const entry = byAccount.get(a.accountId);
      if (entry) entry.accessKeyIds.push(a.accessKeyId);
      else byAccount.set(a.accountId, { accountId: a.accountId, accessKeyIds: [a.accessKeyId], apps: [] });
    }
    for (const app of this.views.apps()) {
      let entry = byAccount.get(app.accountId);
      if (!entry) byAccount.set(app.accountId, (entry = { accountId: app.accountId, accessKeyIds: [], apps: [] }));
      entry.apps.push(app);
    }
    return {
      changes: this.changeCounters(),
      now: this.clock(),
      accounts: [...byAccount.values()],
      actions: [...this.service.actions].sort(),
      emulator: {
        seed: this.seed,
        durable: this.wal !== undefined,
        dataDir: this.options.dataDir ?? null,
        throttle: this.throttle !== undefined,
        verifySignatures: this.options.verifySignatures !== false,
        adminToken: this.tokenRequired,
        requestLogSize: this.metricsStore.requestLogSize,
      },
    };
  }

  groups(appId: string, query: GroupQuery): GroupListView {
    const list = this.views.groups(appId, query);
    if (!list) throw Errors.resourceNotExist(`app ${appId}`);
    return list;
  }

  messages(appId: string, groupId: string, limit: number | undefined): MessageListView {
    const list = this.views.messages(appId, groupId, limit);
    if (!list) throw Errors.resourceNotExist(`group ${groupId} of app ${appId}`);
    return list;
  }

  credentials(appId: string): { readonly appId: string; readonly appKey: string; readonly appSign: string } {
    if (!this.secretsRevealable) {
      throw Errors.adminForbidden(
        `this emulator listens on ${this.boundHost}, which other machines can reach, and has no admin token: app secrets are only revealed there when it is started with --admin-token`,
      );
    }
    const c = this.views.credentials(appId);
    if (!c) throw Errors.resourceNotExist(`app ${appId}`);
    return c;
  }

  health(resetEventLoopDelay = false): Record<string, unknown> {
    const mem = process.memoryUsage();
    const ms = (ns: number): number => Math.round(ns / 1e3) / 1e3;
    const h = this.loopDelay;
    const eventLoopDelayMs = { max: ms(h.max), p99: ms(h.percentile(99)), p999: ms(h.percentile(99.9)), mean: ms(h.mean), samples: h.count };
    if (resetEventLoopDelay) h.reset();
    return {
      status: "ok",
      service: "livemessage-emulator",
      apiVersion: API_VERSION,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      dataDir: this.options.dataDir ?? null,
      durable: this.wal !== undefined,
      throttle: this.throttle !== undefined,
      verifySignatures: this.options.verifySignatures !== false,
      adminToken: this.options.adminToken !== undefined && this.options.adminToken !== "",
      seed: this.seed,
      accounts: this.accounts.map((a) => ({ accessKeyId: a.accessKeyId, accountId: a.accountId })),
      faults: this.faults.list().length,
      log: this.wal ? { seq: this.wal.lastSeq, ...this.wal.stats } : null,
      requests: this.metricsStore.summary(),
      memory: { rss: mem.rss, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal, external: mem.external },
      eventLoopDelayMs,
      cpuMicros: (({ user, system }) => ({ user, system }))(process.cpuUsage()),
    };
  }

  metrics(): string {
    const mem = process.memoryUsage();
    return this.metricsStore.prometheus([
      { name: "livemessage_emulator_log_seq", help: "Sequence number of the last logged command (0 in memory mode).", value: this.wal?.lastSeq ?? 0 },
      { name: "livemessage_emulator_compactions", help: "Compactions (snapshots) written since start.", value: this.wal?.stats.compactions ?? 0 },
      { name: "livemessage_emulator_resident_memory_bytes", help: "Resident set size of the emulator process.", value: mem.rss },
      { name: "livemessage_emulator_nonces_remembered", help: "Signature nonces currently remembered.", value: this.auth.nonces.size },
    ]);
  }

  requests(q: RequestQuery): RequestEntry[] {
    return this.metricsStore.requests(q);
  }

  async reset(): Promise<void> {
    if (this.stopped) throw Errors.serviceUnavailable();
    this.service.reset();
    this.throttle?.reset();
    this.stateChanged();
    await this.wal?.append({ kind: "reset", now: this.clock() }, this.seed, this.draws);
  }

  state(): unknown {
    return this.service.snapshot();
  }

  async compact(): Promise<Record<string, unknown>> {
    if (!this.wal) return { compacted: false, reason: "memory mode (no dataDir)" };
    await this.wal.compact();
    return { compacted: true, seq: this.wal.stats.snapshotSeq };
  }

  async join(change: MembershipChange): Promise<void> {
    if (this.stopped) throw Errors.serviceUnavailable();
    const now = this.clock();
    this.service.join(change, now);
    this.stateChanged();
    await this.wal?.append({ kind: "join", change, now }, this.seed, this.draws);
  }

  async leave(change: MembershipChange): Promise<void> {
    if (this.stopped) throw Errors.serviceUnavailable();
    const now = this.clock();
    this.service.leave(change, now);
    this.stateChanged();
    await this.wal?.append({ kind: "leave", change, now }, this.seed, this.draws);
  }

  listFaults(): FaultRuleState[] {
    return this.faults.list();
  }

  setFaults(body: unknown): FaultRuleState[] {
    this.faults.set(parseFaultRules(body, this.service.actions));
    this.faultsChanged();
    return this.faults.list();
  }

  clearFaults(): void {
    this.faults.clear();
    this.faultsChanged();
  }

  addFaults(body: unknown): FaultRuleState[] {
    for (const rule of parseFaultRules(body, this.service.actions)) this.faults.add(rule);
    this.faultsChanged();
    return this.faults.list();
  }

  removeFault(index: number): boolean {
    const removed = this.faults.remove(index);
    if (removed) this.faultsChanged();
    return removed;
  }
}

/** Opens the data directory: lock, optional repair, verified recovery, migration of the legacy format. */
function openDataDir(dir: string, options: EmulatorOptions, serviceFactory: () => LiveMessageService) {
  const releaseLock = lockDataDir(dir);
  try {
    removeTempSnapshots(dir); // left by a crash during a compaction
    const repairReport = options.repair
      ? repairDataDir(dir, serviceFactory, mulberry32, (m) => options.log?.(`livemessage-emulator: ${m}`))
      : undefined;
    if (repairReport?.repaired) options.log?.(`livemessage-emulator: ${repairReport.message}`);
    const recovery = readDataDir(dir);
    if (recovery.tornTail) {
      const t = recovery.tornTail;
      options.log?.(
        `livemessage-emulator: dropped a torn final record of ${path.join(dir, t.file)} at byte offset ${t.offset} ` +
          `(${t.bytes} bytes: ${t.reason}) — an append interrupted by a crash, never acknowledged`,
      );
      fs.truncateSync(path.join(dir, t.file), t.offset);
    }
    return { releaseLock, recovery, repairReport };
  } catch (e) {
    releaseLock();
    throw e;
  }
}

/**
 * Repairs a damaged data directory (see emulator/README.md "Repair") while no emulator uses it: the damaged files
 * are moved aside, the longest verified prefix is kept. A directory that verifies is left alone.
 */
export function repairEmulatorData(dataDir: string, log?: (line: string) => void): RepairReport {
  const release = lockDataDir(dataDir);
  try {
    return repairDataDir(dataDir, () => createService(), mulberry32, (m) => log?.(`livemessage-emulator: ${m}`));
  } finally {
    release();
  }
}

/** Starts an emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? DEFAULT_HOST;
  const accounts = toAccounts(options.credentials && options.credentials.length > 0 ? options.credentials : [DEFAULT_CREDENTIALS]);
  const serviceFactory = (): LiveMessageService =>
    (options.createService ?? createService)({ accounts: [...new Set(accounts.map((a) => a.accountId))] });
  const service = serviceFactory();

  let releaseLock: (() => void) | undefined;
  let core: EmulatorCore | undefined;
  let compactor: Compactor | undefined;
  try {
    let seed: number;
    let repairReport: RepairReport | undefined;
    if (options.dataDir !== undefined) {
      // Compaction runs off the request path, in a child process forked now, before the state is loaded (a fork
      // copies page tables: cheap while the heap is small). A custom service cannot be rebuilt there: it compacts
      // inline.
      if (!options.createService) {
        compactor = new Compactor();
        compactor.start();
      }
      const opened = openDataDir(options.dataDir, options, serviceFactory);
      releaseLock = opened.releaseLock;
      repairReport = opened.repairReport;
      const { recovery } = opened;
      // The directory's random stream continues unless a different seed is asked for explicitly.
      const stored = recovery.seed;
      seed = options.seed !== undefined ? options.seed >>> 0 : (stored ?? randomInt(0, 2 ** 32));
      if (options.seed !== undefined && stored !== undefined && seed !== stored) {
        options.log?.(`livemessage-emulator: seed ${seed} given; the data directory's stream (seed ${stored}) is not continued`);
      }
      core = new EmulatorCore(service, options, seed, accounts);
      if (recovery.snapshot) service.restore(recovery.snapshot.state);
      for (const rec of recovery.records) core.replay(rec.c);
      if (stored !== undefined && seed === stored) core.fastForward(recovery.draws);
      const c = core;
      const background = compactor;
      core.wal = await WriteAheadLog.open(options.dataDir, recovery.lastSeq, recovery.snapshot?.header.seq ?? 0, {
        compactEvery: options.compactEvery,
        log: options.log,
        source: { capture: () => ({ state: JSON.stringify(service.snapshot()), seed: c.seed, draws: c.drawCount }) },
        ...(background ? { compactFiles: (dir: string, upTo: number) => background.run(dir, upTo) } : {}),
      });
      const legacy = recovery.snapshot?.header.format === 1;
      const fresh = recovery.snapshot === undefined && recovery.records.length === 0;
      // A new directory gets a snapshot at once: it stores the seed. A legacy one is rewritten in the framed format.
      if (fresh || legacy || (stored === undefined && recovery.records.length > 0) || seed !== stored) await core.wal.compact({ inline: true });
      if (legacy) {
        const moved = retireLegacy(options.dataDir);
        options.log?.(`livemessage-emulator: migrated ${options.dataDir} to the checksummed format; the old files are in ${moved}`);
      }
    } else {
      seed = options.seed !== undefined ? options.seed >>> 0 : randomInt(0, 2 ** 32);
      core = new EmulatorCore(service, options, seed, accounts);
    }
    const c = core;

    const server = http.createServer((req, res) => void c.handle(req, res));
    server.keepAliveTimeout = 30_000;
    server.headersTimeout = 35_000;
    // `Expect: 100-continue` with an oversized declared body: answer 413 before the client sends it.
    server.on("checkContinue", (req, res) => {
      const declared = Number(req.headers["content-length"] ?? "0");
      if (declared > (options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)) {
        const err = Errors.requestEntityTooLarge(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
        const r = renderError(err, newRequestId(), "json");
        res.writeHead(413, { ...r.headers, connection: "close", "content-length": Buffer.byteLength(r.body) });
        res.end(r.body);
        return;
      }
      res.writeContinue();
      void c.handle(req, res);
    });
    c.boundHost = host;
    await new Promise<void>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException): void => {
        if (e.code === "EADDRINUSE") {
          reject(new EmulatorStartError("LIVEMESSAGE_EMULATOR_PORT_IN_USE", `port ${options.port ?? 0} is in use — pass --port or stop the process using it`));
        } else if (e.code === "EADDRNOTAVAIL") {
          reject(new EmulatorStartError("LIVEMESSAGE_EMULATOR_PORT_IN_USE", `cannot listen on ${host}: no such local address — pass --host 127.0.0.1 or an address of this machine`));
        } else {
          reject(e);
        }
      };
      server.once("error", onError);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", onError);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const urlHost = host.includes(":") ? `[${host}]` : host;
    let stopping: Promise<void> | undefined;

    return {
      url: `http://${urlHost}:${port}`,
      host,
      port,
      credentials: c.accounts.map((a) => ({
        accessKeyId: a.accessKeyId,
        accessKeySecret: a.accessKeySecret,
        accountId: a.accountId,
        ...(a.securityToken ? { securityToken: a.securityToken } : {}),
      })),
      seed,
      dataDir: options.dataDir,
      service,
      ...(repairReport ? { repairReport } : {}),
      compact: async () => {
        await c.wal?.compact();
      },
      stop: () => {
        stopping ??= (async () => {
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          c.feed.close(); // change streams never end by themselves
          const deadline = Date.now() + STOP_GRACE_MS;
          while (c.inFlight > 0 && Date.now() < deadline) await sleep(10);
          server.closeAllConnections();
          c.stopped = true;
          c.loopDelay.disable();
          await closed;
          if (c.wal) {
            // No request runs any more: the live state is exactly the log, so the final snapshot is taken inline.
            await c.wal.compact({ inline: true }).catch(() => undefined);
            await c.wal.close();
          }
          compactor?.close();
          releaseLock?.();
        })();
        return stopping;
      },
    };
  } catch (e) {
    await core?.wal?.close().catch(() => undefined);
    compactor?.close();
    releaseLock?.();
    throw e;
  }
}
