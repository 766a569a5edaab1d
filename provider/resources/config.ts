/**
 * Provider configuration and the per-process client cache (DESIGN.md rules 2 and 3).
 *
 * Configuration comes from stack config through the dynamic provider's `configure()` — keys
 * `livemessage:endpoint`, `livemessage:region`, `livemessage:accessKeyId`, `livemessage:accessKeySecret` (secret),
 * `livemessage:securityToken`, `livemessage:signatureVersion` — else from the client's credential chain
 * (environment, Aliyun CLI profile). Nothing here is ever written to inputs, outputs or logs.
 * `livemessage:quotaChecks` (default true) turns the live quota look-ups of `check` off (see ./quota).
 * `livemessage:responseTimeoutMs` bounds one attempt (default TIMEOUT_DEFAULTS.responseMs): how long a request may go
 * unanswered before it counts as a lost response.
 */
import { createHash } from "node:crypto";
import { LiveClient } from "../client/live-client";
import { LiveConfigError } from "../client/errors";
import { DATA_CENTERS, DEFAULT_DATA_CENTER, DEFAULT_ENDPOINT, type DataCenter } from "../limits";

export const CONFIG_NAMESPACE = "livemessage";

export interface ProviderConfig {
  readonly endpoint?: string;
  /** Default `dataCenter` for resources that do not set one. */
  readonly region?: DataCenter;
  readonly accessKeyId?: string;
  readonly accessKeySecret?: string;
  readonly securityToken?: string;
  readonly signatureVersion?: "v3" | "v1";
  /**
   * `livemessage:quotaChecks`: false skips the quota checks that read live counts in `check` (5,000 groups per app,
   * 300 apps per account, 30 message types per group), e.g. when the credentials may not list apps. Default true.
   */
  readonly quotaChecks?: boolean;
  /** `livemessage:responseTimeoutMs`: one attempt's time limit, in ms (default 30,000). */
  readonly responseTimeoutMs?: number;
}

/** Environment fallbacks for settings that are not credentials (credentials have their own chain). */
export const ENDPOINT_ENV = "LIVEMESSAGE_ENDPOINT";
export const REGION_ENV = "LIVEMESSAGE_REGION";

/**
 * Reads the provider configuration through a `get(key)` function (the dynamic provider's `ConfigureRequest.config`
 * or `pulumi.Config`). Invalid values throw `LiveConfigError` naming the key and what is allowed.
 */
export function readProviderConfig(
  get: (key: string) => string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ProviderConfig {
  const val = (k: string) => {
    const v = get(`${CONFIG_NAMESPACE}:${k}`);
    return v === undefined || v === "" ? undefined : String(v);
  };
  const endpoint = val("endpoint") ?? (env[ENDPOINT_ENV] || undefined);
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
      throw new LiveConfigError(
        `livemessage:endpoint must be an http(s) URL such as ${DEFAULT_ENDPOINT} or http://127.0.0.1:8787 (the emulator); got ${JSON.stringify(endpoint)}.`,
      );
    }
  }
  const region = val("region") ?? (env[REGION_ENV] || undefined);
  if (region !== undefined && !(DATA_CENTERS as readonly string[]).includes(region)) {
    throw new LiveConfigError(
      `livemessage:region must be one of ${DATA_CENTERS.join(", ")} (the LiveMessage data centers); got ${JSON.stringify(region)}.`,
    );
  }
  const signatureVersion = val("signatureVersion");
  if (signatureVersion !== undefined && signatureVersion !== "v3" && signatureVersion !== "v1") {
    throw new LiveConfigError(`livemessage:signatureVersion must be "v3" (default) or "v1"; got ${JSON.stringify(signatureVersion)}.`);
  }
  const quotaChecks = val("quotaChecks");
  if (quotaChecks !== undefined && !/^(true|false)$/i.test(quotaChecks)) {
    throw new LiveConfigError(`livemessage:quotaChecks must be true (default) or false; got ${JSON.stringify(quotaChecks)}.`);
  }
  const responseTimeout = val("responseTimeoutMs");
  if (responseTimeout !== undefined && !(/^\d+$/.test(responseTimeout) && Number(responseTimeout) > 0)) {
    throw new LiveConfigError(`livemessage:responseTimeoutMs must be a positive whole number of milliseconds (default 30000); got ${JSON.stringify(responseTimeout)}.`);
  }
  const accessKeyId = val("accessKeyId");
  const accessKeySecret = val("accessKeySecret");
  if ((accessKeyId === undefined) !== (accessKeySecret === undefined)) {
    throw new LiveConfigError(
      "livemessage:accessKeyId and livemessage:accessKeySecret must be set together " +
        "(`pulumi config set livemessage:accessKeyId …` and `pulumi config set --secret livemessage:accessKeySecret …`), " +
        "or both left unset to use ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET or the Aliyun CLI profile.",
    );
  }
  return {
    endpoint,
    region: region as DataCenter | undefined,
    accessKeyId,
    accessKeySecret,
    securityToken: val("securityToken"),
    signatureVersion: signatureVersion as "v3" | "v1" | undefined,
    ...(quotaChecks !== undefined ? { quotaChecks: quotaChecks.toLowerCase() === "true" } : {}),
    ...(responseTimeout !== undefined ? { responseTimeoutMs: Number(responseTimeout) } : {}),
  };
}

let current: ProviderConfig = {};

/** Called from the dynamic provider's `configure()`; applies to every resource handled by this process. */
export function setProviderConfig(config: ProviderConfig): void {
  current = config;
}

export function getProviderConfig(): ProviderConfig {
  return current;
}

/** The data center a resource uses when it sets none: `livemessage:region`, else the API default. */
export function defaultDataCenter(config: ProviderConfig = current): DataCenter {
  return config.region ?? DEFAULT_DATA_CENTER;
}

// One client per (endpoint, AccessKeyId) per process (rule 3): the client owns the connection pool, and the rate
// limiter is process-wide anyway. Keyed after credential resolution so env/profile credentials share too.
const CLIENTS_KEY = Symbol.for("pulumi-alicloud-livemessage.clients");
type ClientCache = Map<string, LiveClient>;
function cache(): ClientCache {
  const g = globalThis as { [CLIENTS_KEY]?: ClientCache };
  return (g[CLIENTS_KEY] ??= new Map());
}

const byConfig = new WeakMap<ProviderConfig, Promise<LiveClient>>();

/** The process-wide client for this configuration's endpoint and (resolved) AccessKeyId. */
export function getClient(config: ProviderConfig = current): Promise<LiveClient> {
  let pending = byConfig.get(config);
  if (!pending) {
    pending = clientFor(config);
    byConfig.set(config, pending);
    pending.catch(() => byConfig.delete(config)); // e.g. no credentials yet: look again next time
  }
  return pending;
}

async function clientFor(config: ProviderConfig): Promise<LiveClient> {
  const endpoint = config.endpoint ?? DEFAULT_ENDPOINT;
  const candidate = new LiveClient({
    endpoint,
    credentials:
      config.accessKeyId !== undefined && config.accessKeySecret !== undefined
        ? { accessKeyId: config.accessKeyId, accessKeySecret: config.accessKeySecret, securityToken: config.securityToken }
        : undefined,
    signatureVersion: config.signatureVersion,
    ...(config.responseTimeoutMs !== undefined ? { timeouts: { responseMs: config.responseTimeoutMs } } : {}),
  });
  const { accessKeyId } = await candidate.resolveCredentials();
  // Explicit secrets are part of the identity (a rotated secret must not reuse the old client); only a hash is kept.
  const secretHash = createHash("sha256").update(`${config.accessKeySecret ?? ""}\u0000${config.securityToken ?? ""}`).digest("hex");
  const key = `${endpoint}\u0000${accessKeyId}\u0000${config.signatureVersion ?? "v3"}\u0000${config.responseTimeoutMs ?? ""}\u0000${secretHash}`;
  const existing = cache().get(key);
  if (existing) {
    await candidate.close();
    return existing;
  }
  cache().set(key, candidate);
  return candidate;
}
