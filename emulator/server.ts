/**
 * The emulator's HTTP layer: the POP gateway in front of the LiveMessage service (`./service`). Per API request:
 * route → parse (query + form body) → action/version → authenticate (signature, timestamp, nonce) → throttle →
 * fault injection → execute → make durable → respond in JSON or XML. Admin endpoints live under `/_emulator/`.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { randomInt } from "node:crypto";
import { ADMIN_PREFIX, handleAdmin, type AdminTarget } from "./admin";
import { Authenticator, toAccounts, type Account, type AuthRequest, type EmulatorCredential } from "./auth";
import { EmulatorError, Errors, isEmulatorError } from "./errors";
import { FaultInjector, faultError, parseFaultRules, type FaultRule, type FaultRuleState } from "./faults";
import { mulberry32, nextSeed } from "./random";
import { createService } from "./service";
import type { CallContext, Command, LiveMessageService, MembershipChange, ServiceOptions } from "./service/types";
import { API_VERSION, qpsOf } from "./spec/limits";
import { Throttle } from "./throttle";
import { lockDataDir, readDataDir, WriteAheadLog } from "./wal";
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
  /** Writes a snapshot and empties the log now (dataDir mode; no-op in memory). */
  compact(): Promise<void>;
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

function readBody(req: http.IncomingMessage, headers: HeaderMap, limit: number): Promise<Buffer> {
  const declared = headers["content-length"]?.[0];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(Errors.requestEntityTooLarge(limit));
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
        req.removeAllListeners("data");
        req.resume();
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

/** The emulator behind the HTTP server: gateway checks, execution, durability, admin. */
class EmulatorCore implements AdminTarget {
  readonly accounts: readonly Account[];
  private readonly auth: Authenticator;
  private readonly throttle: Throttle | undefined;
  private readonly faults: FaultInjector;
  private readonly clock: () => number;
  private readonly maxBody: number;
  private readonly log: (line: string) => void;
  private callRandom: () => number;
  private draws = 0;
  wal: WriteAheadLog | undefined;
  private readonly startedAt = Date.now();
  inFlight = 0;
  stopped = false;

  constructor(
    readonly service: LiveMessageService,
    readonly options: EmulatorOptions,
    readonly seed: number,
  ) {
    this.accounts = toAccounts(options.credentials && options.credentials.length > 0 ? options.credentials : [DEFAULT_CREDENTIALS]);
    this.clock = options.clock ?? Date.now;
    this.auth = new Authenticator({ accounts: this.accounts, verify: options.verifySignatures !== false, clock: this.clock });
    this.throttle = options.throttle === false ? undefined : new Throttle(this.clock);
    this.faults = new FaultInjector(seed);
    this.maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.log = options.log ?? (() => undefined);
    this.callRandom = mulberry32(seed);
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

  /** Re-applies a logged command (replay ignores errors: the command succeeded when it was logged). */
  replay(command: Command): void {
    try {
      switch (command.kind) {
        case "call":
          this.service.execute(command.action, command.params, {
            accountId: command.accountId,
            accessKeyId: command.accessKeyId,
            now: command.now,
            seed: command.seed,
            random: mulberry32(command.seed),
          });
          break;
        case "join":
          this.service.join(command.change, command.now);
          break;
        case "leave":
          this.service.leave(command.change, command.now);
          break;
        case "reset":
          this.service.reset();
          break;
      }
    } catch (e) {
      this.log(`livemessage-emulator: replaying a logged ${command.kind === "call" ? command.action : command.kind} failed: ${(e as Error).message}`);
    }
  }

  // --------------------------------------------------------------------------------------------------------------
  // HTTP
  // --------------------------------------------------------------------------------------------------------------

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.inFlight++;
    const requestId = newRequestId();
    let format: ResponseFormat = "json";
    try {
      const url = req.url ?? "/";
      const q = url.indexOf("?");
      const pathname = q === -1 ? url : url.slice(0, q);
      const method = req.method ?? "GET";
      const headers = headerMap(req.rawHeaders);
      if (pathname === ADMIN_PREFIX || pathname.startsWith(`${ADMIN_PREFIX}/`)) {
        const body = await readBody(req, headers, this.maxBody);
        const result = await handleAdmin(this, method, pathname, body);
        this.send(res, { status: result.status, headers: { "content-type": JSON_CONTENT_TYPE, "x-acs-request-id": requestId }, body: JSON.stringify(result.body) });
        return;
      }
      if (pathname !== "/" && pathname !== "") throw Errors.invalidAction(pathname);
      if (method !== "GET" && method !== "POST") throw Errors.unsupportedHttpMethod(method);
      const body = await readBody(req, headers, this.maxBody);
      const query = parseUrlEncoded(q === -1 ? "" : url.slice(q + 1));
      const form = body.length > 0 && isFormBody(headers["content-type"]?.[0]) ? parseUrlEncoded(body.toString("utf8")) : undefined;
      const params = form ? { ...query, ...form } : query;
      const authorization = headers.authorization?.[0];
      const v3 = authorization !== undefined && /^\s*ACS3-/i.test(authorization);
      format = v3 ? "json" : formatOf(params.Format);
      const action = v3 ? (headers["x-acs-action"]?.[0] ?? params.Action) : params.Action;
      const version = v3 ? (headers["x-acs-version"]?.[0] ?? params.Version) : params.Version;
      if (!action) throw Errors.missingParameter(v3 ? "x-acs-action" : "Action");
      if (!this.service.actions.has(action)) throw Errors.invalidAction(action);
      if (!version) throw Errors.missingParameter(v3 ? "x-acs-version" : "Version");
      if (version !== API_VERSION) throw Errors.invalidVersion(version);
      const authRequest: AuthRequest = { method, path: pathname || "/", query, params, body, headers, v3 };
      const account = this.auth.authenticate(authRequest);
      if (this.throttle) {
        const decision = this.throttle.take(account.accountId, action);
        if (!decision.ok) throw this.throttled(action, decision.retryAfterMs);
      }
      const fault = this.faults.active ? this.faults.decide(action) : undefined;
      if (fault) return await this.withFault(fault, action, res, requestId, format, () => this.execute(action, params, account));
      const result = await this.execute(action, params, account);
      this.send(res, renderSuccess(action, requestId, result, format));
    } catch (e) {
      await this.sendError(res, e, requestId, format);
    } finally {
      this.inFlight--;
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
    const ctx: CallContext = { accountId: account.accountId, accessKeyId: account.accessKeyId, now, seed, random: mulberry32(seed) };
    const result = this.service.execute(action, params, ctx);
    if (this.wal && this.service.isMutating(action)) {
      await this.wal.append(
        { kind: "call", accountId: account.accountId, accessKeyId: account.accessKeyId, action, params, now, seed },
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

  private async sendError(res: http.ServerResponse, e: unknown, requestId: string, format: ResponseFormat): Promise<void> {
    if (e instanceof ClientGone) return;
    let err: EmulatorError;
    if (isEmulatorError(e)) {
      err = e;
    } else {
      this.log(`livemessage-emulator: unexpected error (RequestId ${requestId}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      err = Errors.internalError();
    }
    const rendered = renderError(err, requestId, format);
    if (err.httpStatus === 413) rendered.headers.connection = "close";
    this.send(res, rendered);
  }

  // --------------------------------------------------------------------------------------------------------------
  // Admin (see admin.ts)
  // --------------------------------------------------------------------------------------------------------------

  health(): Record<string, unknown> {
    const mem = process.memoryUsage();
    return {
      status: "ok",
      service: "livemessage-emulator",
      apiVersion: API_VERSION,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      dataDir: this.options.dataDir ?? null,
      durable: this.wal !== undefined,
      throttle: this.throttle !== undefined,
      verifySignatures: this.options.verifySignatures !== false,
      seed: this.seed,
      accounts: this.accounts.map((a) => ({ accessKeyId: a.accessKeyId, accountId: a.accountId })),
      faults: this.faults.list().length,
      log: this.wal ? { seq: this.wal.lastSeq, ...this.wal.stats } : null,
      memory: { rss: mem.rss, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal, external: mem.external },
      cpuMicros: (({ user, system }) => ({ user, system }))(process.cpuUsage()),
    };
  }

  async reset(): Promise<void> {
    if (this.stopped) throw Errors.serviceUnavailable();
    this.service.reset();
    this.throttle?.reset();
    await this.wal?.append({ kind: "reset", now: this.clock() }, this.draws);
  }

  state(): unknown {
    return this.service.snapshot();
  }

  async compact(): Promise<Record<string, unknown>> {
    if (!this.wal) return { compacted: false, reason: "memory mode (no dataDir)" };
    await this.wal.compact();
    return { compacted: true, seq: this.wal.lastSeq };
  }

  async join(change: MembershipChange): Promise<void> {
    if (this.stopped) throw Errors.serviceUnavailable();
    const now = this.clock();
    this.service.join(change, now);
    await this.wal?.append({ kind: "join", change, now }, this.draws);
  }

  async leave(change: MembershipChange): Promise<void> {
    if (this.stopped) throw Errors.serviceUnavailable();
    const now = this.clock();
    this.service.leave(change, now);
    await this.wal?.append({ kind: "leave", change, now }, this.draws);
  }

  listFaults(): FaultRuleState[] {
    return this.faults.list();
  }

  setFaults(body: unknown): FaultRuleState[] {
    this.faults.set(parseFaultRules(body, this.service.actions));
    return this.faults.list();
  }

  clearFaults(): void {
    this.faults.clear();
  }
}

/** Starts an emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const seed = options.seed !== undefined ? options.seed >>> 0 : randomInt(0, 2 ** 32);
  const host = options.host ?? DEFAULT_HOST;
  const accounts = toAccounts(options.credentials && options.credentials.length > 0 ? options.credentials : [DEFAULT_CREDENTIALS]);
  const service = (options.createService ?? createService)({ accounts: [...new Set(accounts.map((a) => a.accountId))] });
  const core = new EmulatorCore(service, options, seed);

  let releaseLock: (() => void) | undefined;
  try {
    if (options.dataDir !== undefined) {
      releaseLock = lockDataDir(options.dataDir);
      const recovery = readDataDir(options.dataDir);
      if (recovery.snapshot) service.restore(recovery.snapshot.state);
      let draws = recovery.snapshot?.draws ?? 0;
      let lastSeq = recovery.snapshot?.seq ?? 0;
      for (const rec of recovery.records) {
        core.replay(rec.c);
        draws = Math.max(draws, rec.d);
        lastSeq = rec.s;
      }
      core.fastForward(draws);
      if (recovery.tornLines > 0) {
        core.options.log?.(`livemessage-emulator: ignored ${recovery.tornLines} unreadable log line(s) (an interrupted write) in ${options.dataDir}`);
      }
      core.wal = await WriteAheadLog.open(options.dataDir, lastSeq, {
        compactEvery: options.compactEvery,
        log: options.log,
        source: { capture: () => ({ state: JSON.stringify(service.snapshot()), draws: core.drawCount }) },
      });
      // Start from a clean snapshot + empty log (this also drops a torn tail before anything is appended to it).
      if (recovery.records.length > 0 || recovery.tornLines > 0) await core.wal.compact();
    }

    const server = http.createServer((req, res) => void core.handle(req, res));
    server.keepAliveTimeout = 30_000;
    server.headersTimeout = 35_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", reject);
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
      credentials: core.accounts.map((a) => ({
        accessKeyId: a.accessKeyId,
        accessKeySecret: a.accessKeySecret,
        accountId: a.accountId,
        ...(a.securityToken ? { securityToken: a.securityToken } : {}),
      })),
      seed,
      dataDir: options.dataDir,
      service,
      compact: async () => {
        await core.wal?.compact();
      },
      stop: () => {
        stopping ??= (async () => {
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          const deadline = Date.now() + STOP_GRACE_MS;
          while (core.inFlight > 0 && Date.now() < deadline) await sleep(10);
          server.closeAllConnections();
          core.stopped = true;
          await closed;
          if (core.wal) {
            await core.wal.compact().catch(() => undefined);
            await core.wal.close();
          }
          releaseLock?.();
        })();
        return stopping;
      },
    };
  } catch (e) {
    await core.wal?.close().catch(() => undefined);
    releaseLock?.();
    throw e;
  }
}
