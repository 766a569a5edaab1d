// Shared set-up of the engine-protocol suites for our own resources: the package built and installed by name in
// the program's workspace, a local emulator, and a TestStack with the provider configured for it.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { admin } from "../../emulator/test-support/client";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { LiveClient } from "../../provider";
import { TestStack, type OperationResult, type TestStackOptions } from "./harness";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const PROGRAM = path.join(__dirname, "programs", "livemessage");
export const APP_TYPE = "pulumi-nodejs:dynamic/livemessage:App";
export const GROUP_TYPE = "pulumi-nodejs:dynamic/livemessage:Group";
export const SEED_TYPE = "pulumi-nodejs:dynamic/livemessage:SeedMessage";

/** Newest modification time of the sources the build compiles. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * The provider process loads the INSTALLED package (dist/), like a user's. `make test` builds first; when a
 * developer runs jest alone after editing sources, rebuild so the suites never test stale code.
 */
export function ensureBuilt(): void {
  const stamp = path.join(REPO_ROOT, "dist", "provider", "index.js");
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  const sources = Math.max(...["provider", "sdk", "emulator", "plugin"].map((d) => newestSource(path.join(REPO_ROOT, d))));
  if (built >= sources) return;
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(REPO_ROOT, "tsconfig.build.json")], {
    cwd: REPO_ROOT,
    stdio: "inherit",
  });
  // tsc leaves untouched outputs alone; mark the build as current.
  const now = new Date();
  fs.utimesSync(stamp, now, now);
}

/** The emulator's admin API (`/_emulator/…`): a JSON request, the JSON answer; a non-2xx answer throws. */
export function emulatorAdmin(url: string) {
  return async (method: "GET" | "POST" | "DELETE", p: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await admin(url, method, `/${p}`, body);
    if (res.status >= 300) throw new Error(`admin ${method} ${p}: ${res.status} ${res.text}`);
    return res.json as Record<string, unknown>;
  };
}

export interface LiveStack {
  emu: Emulator;
  stack: TestStack;
  /** A client for out-of-band changes, as another user would make them. */
  client: LiveClient;
  setSpec(spec: Record<string, unknown>): void;
  admin(method: "GET" | "POST" | "DELETE", p: string, body?: unknown): Promise<Record<string, unknown>>;
  /** Every API call the emulator received since the last `resetCalls()` (action names). */
  dispose(): Promise<void>;
}

export async function startLiveStack(options: { emulator?: Partial<EmulatorOptions>; stack?: Partial<TestStackOptions> } = {}): Promise<LiveStack> {
  ensureBuilt();
  const emu = await startEmulator({ port: 0, ...options.emulator });
  const stack = await TestStack.create({
    programDir: PROGRAM,
    stack: "dev",
    config: { "livemessage:endpoint": emu.url, "livemessage:accessKeyId": DEFAULT_CREDENTIALS.accessKeyId },
    secretConfig: { "livemessage:accessKeySecret": DEFAULT_CREDENTIALS.accessKeySecret },
    packages: { "pulumi-alicloud-livemessage": REPO_ROOT },
    ...options.stack,
  });
  const client = new LiveClient({ endpoint: emu.url, credentials: { ...DEFAULT_CREDENTIALS } });
  const admin = emulatorAdmin(emu.url);
  return {
    emu,
    stack,
    client,
    setSpec: (spec) => stack.setProgramEnv({ LM_SPEC: JSON.stringify(spec) }),
    admin,
    dispose: async () => {
      await stack.dispose();
      await client.close();
      await emu.stop();
    },
  };
}

/** Fails with the operation's error and its logs, so a broken step explains itself. */
export function expectOk(r: OperationResult): OperationResult {
  if (r.error) {
    throw new Error(`operation failed: ${r.error}\n${r.logs.map((l) => `${l.source}: ${l.message}`).join("\n")}`);
  }
  return r;
}

/** `{ logicalName: op }` for the steps of one resource type. */
export function opsOf(r: OperationResult, type?: string): Record<string, string> {
  return Object.fromEntries(r.steps.filter((s) => !type || s.type === type).map((s) => [s.name, s.op]));
}
