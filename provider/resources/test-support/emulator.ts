/**
 * Handler tests run against an in-process emulator on port 0 (testing layer 2 of DESIGN.md), with the provider
 * configured the way `configure()` would configure it.
 */
import { admin as adminRequest } from "../../../emulator/test-support/client";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator, type EmulatorOptions } from "../../../emulator";
import { setProviderConfig } from "../config";
import { setLogger, type Logger } from "../log";

/** API calls the emulator counted per action (its health's `requests.byAccountAction`, all accounts summed). */
export type CallCounts = Record<string, { requests: number; throttled: number; errors: number }>;

export async function emulatorCallCounts(url: string): Promise<CallCounts> {
  const res = await adminRequest(url, "GET", "/health");
  const rows = ((res.json as { requests?: { byAccountAction?: { action: string; requests: number; throttled: number; errors: number }[] } }).requests?.byAccountAction ?? []);
  const out: CallCounts = {};
  for (const r of rows) {
    const c = (out[r.action] ??= { requests: 0, throttled: 0, errors: 0 });
    c.requests += r.requests;
    c.throttled += r.throttled;
    c.errors += r.errors;
  }
  return out;
}

/** The difference of two counts: the calls made in between. */
export function callsBetween(before: CallCounts, after: CallCounts): CallCounts {
  const out: CallCounts = {};
  for (const [action, a] of Object.entries(after)) {
    const b = before[action] ?? { requests: 0, throttled: 0, errors: 0 };
    const d = { requests: a.requests - b.requests, throttled: a.throttled - b.throttled, errors: a.errors - b.errors };
    if (d.requests > 0) out[action] = d;
  }
  return out;
}

export interface HandlerEnv {
  emu: Emulator;
  logs: { level: "info" | "warn" | "debug"; message: string }[];
  /** Admin: a user joins a group. */
  join(appId: string, groupId: string, userId: string): Promise<void>;
  /** Admin: a user leaves a group. */
  leave(appId: string, groupId: string, userId: string): Promise<void>;
  /** Admin: fault rules. */
  faults(rules: unknown[]): Promise<void>;
  state(): Promise<Record<string, unknown>>;
  /** API calls so far, per action. */
  calls(): Promise<CallCounts>;
  stop(): Promise<void>;
}

export async function startHandlerEnv(options: Partial<EmulatorOptions> = {}): Promise<HandlerEnv> {
  const emu = await startEmulator({ port: 0, throttle: false, seed: 7, ...options });
  setProviderConfig({
    endpoint: emu.url,
    accessKeyId: DEFAULT_CREDENTIALS.accessKeyId,
    accessKeySecret: DEFAULT_CREDENTIALS.accessKeySecret,
  });
  const logs: HandlerEnv["logs"] = [];
  const logger: Logger = {
    info: (message) => logs.push({ level: "info", message }),
    warn: (message) => logs.push({ level: "warn", message }),
    debug: (message) => logs.push({ level: "debug", message }),
  };
  setLogger(logger);
  const admin = async (method: "POST" | "DELETE" | "GET", path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await adminRequest(emu.url, method, `/${path}`, body);
    if (res.status >= 300) throw new Error(`admin ${method} ${path}: ${res.status} ${res.text}`);
    return res.json as Record<string, unknown>;
  };
  return {
    emu,
    logs,
    join: async (appId, groupId, userId) => {
      await admin("POST", `apps/${appId}/groups/${groupId}/members`, { userId });
    },
    leave: async (appId, groupId, userId) => {
      await admin("DELETE", `apps/${appId}/groups/${groupId}/members/${userId}`);
    },
    faults: async (rules) => {
      await admin("POST", "faults", { rules });
    },
    state: () => admin("GET", "state"),
    calls: () => emulatorCallCounts(emu.url),
    stop: async () => {
      setLogger(undefined);
      setProviderConfig({});
      await emu.stop();
    },
  };
}
