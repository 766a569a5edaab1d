// The CI driver: stands up this run's environment, runs the test suite with the environment in its variables, and
// tears the environment down whatever happened — `npm run ci -- [options] -- <test command...>`.
//
//   npm run ci -- --emulator -- npm test                      # hermetic: an in-process emulator, a new app per run
//   npm run ci -- --shared-app "$LIVEMESSAGE_APP_ID" -- npm test   # Alibaba Cloud: groups in one long-lived app
//
// Needs the `pulumi` CLI (the Automation API drives it). The state goes to $PULUMI_BACKEND_URL, or a temporary local
// backend when unset.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";

export interface OutputValue {
  value: unknown;
  secret?: boolean;
}

/** What the driver needs of a stack; `automationStack` implements it with the Automation API. */
export interface EnvironmentStack {
  readonly name: string;
  setConfig(key: string, value: string, secret?: boolean): Promise<void>;
  up(): Promise<Record<string, OutputValue>>;
  destroy(): Promise<void>;
  /** Forgets the (destroyed) stack, so stale stacks do not pile up in the backend. */
  remove(): Promise<void>;
}

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
}

export type Target =
  /** Hermetic: the emulator at `url`, or (no url) one started in this process for the run. */
  | { kind: "emulator"; url?: string; credentials?: Credentials }
  /** Alibaba Cloud: credentials from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET, from the CI's secrets). */
  | { kind: "alibaba-cloud" };

export interface RunOptions {
  /** Identifies the CI run; the stack is `ci-<runId>`. */
  runId: string;
  /** The test suite: a program and its arguments. */
  command: readonly string[];
  target: Target;
  /** Shared-app mode: create this run's groups in this existing app (config `appId`). */
  sharedAppId?: string;
  dataCenter?: "cn-shanghai" | "ap-southeast-1";
  /** Leave the environment up afterwards (debugging a failed run); destroy it later with `pulumi destroy`. */
  keep?: boolean;
  openStack(stackName: string): Promise<EnvironmentStack>;
  /** Base environment of the test command (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Working directory of the test command (default: this process's). */
  cwd?: string;
  /** Progress lines (never secrets). Default: stderr. */
  log?(line: string): void;
}

/** `ci-<run id>`, with anything a stack name cannot hold (letters, digits, '-', '_', '.') replaced by '-'. */
export function stackNameFor(runId: string): string {
  const id = runId.replace(/[^A-Za-z0-9_.-]/g, "-").replace(/^-+|-+$/g, "");
  if (!id) throw new Error(`run id ${JSON.stringify(runId)} has no letters or digits`);
  return `ci-${id}`;
}

/**
 * The variables the test suite reads: LIVEMESSAGE_ENDPOINT, _APP_ID, _DATA_CENTER, _GROUP_IDS (JSON, by key),
 * _GROUP_ID_<KEY> (one per group), and the secrets _APP_KEY and _APP_SIGN.
 */
export function suiteEnvironment(outputs: Record<string, OutputValue>): Record<string, string> {
  const str = (name: string): string => {
    const v = outputs[name]?.value;
    if (typeof v !== "string") throw new Error(`stack output ${name} is missing`);
    return v;
  };
  const groupIds = (outputs.groupIds?.value ?? {}) as Record<string, string>;
  const env: Record<string, string> = {
    LIVEMESSAGE_ENDPOINT: str("endpoint"),
    LIVEMESSAGE_APP_ID: str("appId"),
    LIVEMESSAGE_DATA_CENTER: str("dataCenter"),
    LIVEMESSAGE_GROUP_IDS: JSON.stringify(groupIds),
    LIVEMESSAGE_APP_KEY: str("appKey"),
    LIVEMESSAGE_APP_SIGN: str("appSign"),
  };
  for (const [key, id] of Object.entries(groupIds)) env[`LIVEMESSAGE_GROUP_ID_${key.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`] = id;
  return env;
}

/** Runs the test command; resolves with its exit code (128 + n for a signal, like a shell). */
export function runCommand(command: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<number> {
  if (command.length === 0) return Promise.reject(new Error("no test command given (put it after --)"));
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: "inherit", env, ...(cwd ? { cwd } : {}) });
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0)));
  });
}

/**
 * Up → test command → destroy (always, unless `keep`) → remove the stack. Resolves with the test command's exit
 * code; rejects when the environment could not be created or torn down (a leak must fail the job).
 */
export async function runTestEnvironment(opts: RunOptions): Promise<number> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`[test-environment] ${line}\n`));
  let emulator: { url: string; credentials: Credentials; stop?: () => Promise<void> } | undefined;
  if (opts.target.kind === "emulator") {
    if (opts.target.url) {
      emulator = { url: opts.target.url, credentials: opts.target.credentials ?? (await defaultEmulatorCredentials()) };
    } else {
      const { startEmulator, DEFAULT_CREDENTIALS } = await import("pulumi-alicloud-livemessage/emulator");
      const emu = await startEmulator({ port: 0 });
      emulator = { url: emu.url, credentials: opts.target.credentials ?? DEFAULT_CREDENTIALS, stop: () => emu.stop() };
      log(`emulator started on ${emu.url}`);
    }
  }

  let stack: EnvironmentStack;
  try {
    stack = await opts.openStack(stackNameFor(opts.runId));
  } catch (e) {
    await emulator?.stop?.();
    throw e;
  }
  let outcome: { ok: true; code: number } | { ok: false; error: unknown };
  try {
    if (emulator) {
      await stack.setConfig("livemessage:endpoint", emulator.url);
      await stack.setConfig("livemessage:accessKeyId", emulator.credentials.accessKeyId);
      await stack.setConfig("livemessage:accessKeySecret", emulator.credentials.accessKeySecret, true);
    }
    if (opts.sharedAppId) await stack.setConfig("appId", opts.sharedAppId);
    if (opts.dataCenter) await stack.setConfig("dataCenter", opts.dataCenter);

    log(`creating ${stack.name} (${opts.sharedAppId ? `groups in the shared app ${opts.sharedAppId}` : "a new app"})`);
    const outputs = await stack.up();
    const suiteEnv = suiteEnvironment(outputs);
    log(`ready: app ${suiteEnv.LIVEMESSAGE_APP_ID}, groups ${suiteEnv.LIVEMESSAGE_GROUP_IDS}; running ${opts.command.join(" ")}`);
    const credentials = emulator
      ? { ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret }
      : {};
    const code = await runCommand(opts.command, { ...(opts.env ?? process.env), ...credentials, ...suiteEnv }, opts.cwd);
    log(`test command exited with ${code}`);
    outcome = { ok: true, code };
  } catch (error) {
    outcome = { ok: false, error };
  }

  // Tear down whatever exists, also after a failed up (a partial environment) or a failed suite.
  let cleanupError: unknown;
  try {
    if (opts.keep) {
      log(`keeping ${stack.name}; remove it later with: pulumi destroy --stack ${stack.name} && pulumi stack rm ${stack.name}`);
      if (emulator?.stop) log("note: the emulator started by this driver stops now, taking the kept environment with it (use --emulator-url to keep one)");
    } else {
      log(`destroying ${stack.name}`);
      await stack.destroy();
      await stack.remove();
    }
  } catch (e) {
    cleanupError = e ?? new Error("cleanup failed");
  }
  await emulator?.stop?.();

  if (!outcome.ok) {
    // Do not hide the first failure behind the cleanup's.
    if (cleanupError !== undefined) log(`could not destroy ${stack.name} either: ${cleanupError instanceof Error ? cleanupError.message : String(cleanupError)}`);
    throw outcome.error;
  }
  // A leaked environment must fail the job, even when the tests passed.
  if (cleanupError !== undefined) throw cleanupError;
  return outcome.code;
}

async function defaultEmulatorCredentials(): Promise<Credentials> {
  const { DEFAULT_CREDENTIALS } = await import("pulumi-alicloud-livemessage/emulator");
  return DEFAULT_CREDENTIALS;
}

/** A stack of this program in `workDir` through the Automation API (needs the `pulumi` CLI). */
export async function automationStack(stackName: string, workDir: string, envVars: Record<string, string>): Promise<EnvironmentStack> {
  // Loaded on first use (not for the driver's other paths). A require: under "module": "node16" an import() would
  // resolve as ES modules do, and @pulumi/pulumi has no "exports" entry for its automation folder.
  const { LocalWorkspace } = require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
  const stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir }, { envVars });
  const onOutput = (out: string) => process.stderr.write(out);
  return {
    name: stackName,
    setConfig: (key, value, secret = false) => stack.setConfig(key, { value, secret }),
    up: async () => (await stack.up({ onOutput })).outputs,
    destroy: async () => {
      await stack.destroy({ onOutput });
    },
    remove: () => stack.workspace.removeStack(stackName),
  };
}

export interface DriverArgs {
  runId: string;
  command: string[];
  target: Target;
  sharedAppId?: string;
  dataCenter?: "cn-shanghai" | "ap-southeast-1";
  keep: boolean;
}

export const USAGE = `usage: driver.ts [--run-id ID] [--emulator | --emulator-url URL] [--shared-app APP_ID]
                 [--data-center cn-shanghai|ap-southeast-1] [--keep] -- <test command...>

  --run-id        default: $LIVEMESSAGE_RUN_ID, $GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT, $CI_JOB_ID, else local-<time>
  --emulator      start an emulator for this run (hermetic; no cloud account)
  --emulator-url  use a running emulator (default: $LIVEMESSAGE_EMULATOR_URL); credentials: the emulator's defaults
  --shared-app    create this run's groups in an existing app (default: $LIVEMESSAGE_SHARED_APP_ID)
  without --emulator*: Alibaba Cloud, with ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET`;

/** Reads the command line and the CI's environment. Throws with a readable message on bad input. */
export function parseDriverArgs(argv: readonly string[], env: NodeJS.ProcessEnv, now: () => number = Date.now): DriverArgs {
  const dash = argv.indexOf("--");
  const { values } = parseArgs({
    args: [...(dash >= 0 ? argv.slice(0, dash) : argv)],
    strict: true,
    allowPositionals: false,
    options: {
      "run-id": { type: "string" },
      emulator: { type: "boolean" },
      "emulator-url": { type: "string" },
      "shared-app": { type: "string" },
      "data-center": { type: "string" },
      keep: { type: "boolean" },
    },
  });
  const command = dash >= 0 ? argv.slice(dash + 1) : [];
  if (command.length === 0) throw new Error("no test command given (put it after --)");
  const dataCenter = values["data-center"];
  if (dataCenter !== undefined && dataCenter !== "cn-shanghai" && dataCenter !== "ap-southeast-1") {
    throw new Error(`--data-center must be cn-shanghai or ap-southeast-1, got ${JSON.stringify(dataCenter)}`);
  }
  const emulatorUrl = values["emulator-url"] ?? (values.emulator ? undefined : env.LIVEMESSAGE_EMULATOR_URL || undefined);
  const target: Target = values.emulator || emulatorUrl ? { kind: "emulator", ...(emulatorUrl ? { url: emulatorUrl } : {}) } : { kind: "alibaba-cloud" };
  const github = env.GITHUB_RUN_ID ? `${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? "1"}` : undefined;
  const sharedAppId = values["shared-app"] ?? (env.LIVEMESSAGE_SHARED_APP_ID || undefined);
  return {
    runId: values["run-id"] ?? (env.LIVEMESSAGE_RUN_ID || github || env.CI_JOB_ID || `local-${now()}`),
    command: [...command],
    target,
    ...(sharedAppId ? { sharedAppId } : {}),
    ...(dataCenter ? { dataCenter } : {}),
    keep: values.keep === true,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  let args: DriverArgs;
  try {
    args = parseDriverArgs(argv, process.env);
  } catch (e) {
    process.stderr.write(`driver: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  // A temporary local backend unless the CI configured one (e.g. an object-storage bucket or Pulumi Cloud).
  const tempBackend = process.env.PULUMI_BACKEND_URL ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "livemessage-ci-state-"));
  const envVars: Record<string, string> = {
    PULUMI_SKIP_UPDATE_CHECK: "true",
    ...(tempBackend ? { PULUMI_BACKEND_URL: `file://${tempBackend}`, PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "" } : {}),
  };
  try {
    return await runTestEnvironment({
      ...args,
      openStack: (name) => automationStack(name, __dirname, envVars),
      // `npm run ci --prefix examples/test-environment` runs this in the example's directory; the suite belongs where
      // npm was invoked (INIT_CWD).
      cwd: process.env.INIT_CWD ?? process.cwd(),
    });
  } finally {
    if (tempBackend && args.keep) process.stderr.write(`driver: the kept stack's state is in ${tempBackend} (PULUMI_BACKEND_URL=file://${tempBackend})\n`);
    else if (tempBackend) fs.rmSync(tempBackend, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`driver: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
