/**
 * Handler tests run against an in-process emulator on port 0 (testing layer 2 of DESIGN.md), with the provider
 * configured the way `configure()` would configure it.
 */
import { admin as adminRequest } from "../../../emulator/test-support/client";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator, type EmulatorOptions } from "../../../emulator";
import { setProviderConfig } from "../config";
import { setLogger, type Logger } from "../log";

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
    stop: async () => {
      setLogger(undefined);
      setProviderConfig({});
      await emu.stop();
    },
  };
}
