// The real Pulumi CLI in tests: the bin folder from `make pulumi-cli`, and a stack of a program run with it — a
// local file backend in a temp folder, a passphrase, no update check, no network but 127.0.0.1 — against an emulator.
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { LiveClient } from "../../provider";
import { prepareWorkspace, writeProgramFile } from "../engine/harness/workspace";
import { REPO_ROOT, ensureBuilt } from "../engine/support";

export const PASSPHRASE = "livemessage-test-passphrase";
let binDir: string | undefined;

/**
 * The folder holding `pulumi` and its language hosts: $LIVEMESSAGE_PULUMI_BIN (set by `make test`), else the last
 * line of `scripts/pulumi-cli.sh` — which finds a recent CLI on PATH or builds the pinned one once (minutes, the
 * first time only). Never skipped: without a CLI the real-engine tests fail, saying why.
 */
export function pulumiBin(): string {
  if (binDir) return binDir;
  const fromEnv = process.env.LIVEMESSAGE_PULUMI_BIN;
  if (fromEnv && fs.existsSync(path.join(fromEnv, "pulumi"))) return (binDir = fromEnv);
  const out = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "pulumi-cli.sh")], { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const last = out.trim().split("\n").pop() ?? "";
  if (!fs.existsSync(path.join(last, "pulumi"))) throw new Error(`scripts/pulumi-cli.sh did not print a bin folder with pulumi in it (got ${JSON.stringify(last)})`);
  return (binDir = last);
}

/** PATH for a CLI run: the CLI's bin folder, this node, and the system folders (no other pulumi). */
export function cliPath(bin = pulumiBin()): string {
  return [bin, path.dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(path.delimiter);
}

/**
 * The environment every CLI run gets. HTTP(S)_PROXY points at a closed port, so anything that tried to leave the
 * machine (plugin downloads, the update check, telemetry) would fail instead of silently reaching the internet;
 * 127.0.0.1 (the emulator) is exempt.
 */
export function cliEnv(stateDir: string, homeDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    HOME: homeDir,
    PATH: cliPath(),
    LANG: "C.UTF-8",
    TMPDIR: os.tmpdir(),
    PULUMI_HOME: path.join(homeDir, ".pulumi"),
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    HTTP_PROXY: "http://127.0.0.1:9",
    HTTPS_PROXY: "http://127.0.0.1:9",
    NO_PROXY: "127.0.0.1,localhost",
    ...extra,
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for messages. */
  output: string;
}

/** Runs a command to completion, collecting its output (never throws for a non-zero exit). */
export function runCommand(cmd: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 240_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, output: `${stdout}\n${stderr}` });
    });
  });
}

/** One step of `pulumi preview --json` (the fields the tests read). */
export interface PreviewStep {
  op: string;
  urn: string;
  diffReasons?: string[];
  replaceReasons?: string[];
  newState?: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  oldState?: { type: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
}
export interface PreviewJson {
  steps: PreviewStep[];
  changeSummary: Record<string, number>;
  diagnostics?: { message: string; severity: string; urn?: string }[];
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface CliStackOptions {
  /** The program (an example folder); copied, with the package installed by copy as npm would. */
  programDir: string;
  stack?: string;
  emulator: Emulator;
  /** Extra stack config (plain). */
  config?: Record<string, string>;
  files?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
}

/** The logical name at the end of a URN. */
export const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);
/** The type in a URN (`urn:pulumi:<stack>::<project>::<[parent$]type>::<name>`). */
export const typeOf = (urn: string): string => {
  const parts = urn.split("::");
  const t = parts[parts.length - 2] ?? "";
  return t.slice(t.lastIndexOf("$") + 1);
};

/** `{ name: op }` of a preview's resource steps (the stack itself left out). */
export function opsOf(preview: PreviewJson, type?: string): Record<string, string> {
  return Object.fromEntries(
    preview.steps
      .filter((s) => typeOf(s.urn) !== "pulumi:pulumi:Stack" && (!type || typeOf(s.urn) === type))
      .map((s) => [nameOf(s.urn), s.op]),
  );
}

/** A stack of a copied program, driven with the real CLI. */
export class CliStack {
  private constructor(
    readonly workDir: string,
    readonly stateDir: string,
    readonly homeDir: string,
    readonly stack: string,
    private readonly extraEnv: NodeJS.ProcessEnv,
  ) {}

  static async create(opts: CliStackOptions): Promise<CliStack> {
    ensureBuilt();
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-state-"));
    const homeDir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-home-"));
    const workDir = prepareWorkspace({
      programDir: opts.programDir,
      files: opts.files,
      packages: { "pulumi-alicloud-livemessage": REPO_ROOT },
      nodeModules: path.join(REPO_ROOT, "node_modules"),
    });
    const s = new CliStack(workDir, stateDir, homeDir, opts.stack ?? "dev", opts.env ?? {});
    await s.ok(["stack", "init", s.stack]);
    await s.ok(["config", "set", "livemessage:endpoint", opts.emulator.url]);
    await s.ok(["config", "set", "livemessage:accessKeyId", DEFAULT_CREDENTIALS.accessKeyId]);
    await s.ok(["config", "set", "--secret", "livemessage:accessKeySecret", DEFAULT_CREDENTIALS.accessKeySecret]);
    for (const [k, v] of Object.entries(opts.config ?? {})) await s.ok(["config", "set", k, v]);
    return s;
  }

  get env(): NodeJS.ProcessEnv {
    return cliEnv(this.stateDir, this.homeDir, this.extraEnv);
  }

  /** `pulumi <args>`; never throws for a non-zero exit. */
  run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    return runCommand(path.join(pulumiBin(), "pulumi"), [...args, "--color", "never"], {
      cwd: this.workDir,
      env: { ...this.env, ...env },
    });
  }

  /** `pulumi <args>`, which must succeed. */
  async ok(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    const r = await this.run(args, env);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited with ${r.code}:\n${r.output}`);
    return r;
  }

  /** `pulumi preview --json` (must succeed). */
  async preview(args: readonly string[] = []): Promise<PreviewJson> {
    const r = await this.ok(["preview", "--json", ...args]);
    return JSON.parse(r.stdout) as PreviewJson;
  }

  async up(args: readonly string[] = []): Promise<RunResult> {
    return this.ok(["up", "--yes", "--skip-preview", ...args]);
  }

  /** Stack outputs, secrets in plain text (the test's own view). */
  async outputs(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.ok(["stack", "output", "--json", "--show-secrets"])).stdout) as Record<string, unknown>;
  }

  /** `pulumi stack export` as the backend stores it (secrets encrypted), as text and parsed. */
  async exportState(): Promise<{ text: string; resources: StateResource[] }> {
    const text = (await this.ok(["stack", "export"])).stdout;
    const parsed = JSON.parse(text) as { deployment: { resources?: StateResource[] } };
    return { text, resources: parsed.deployment.resources ?? [] };
  }

  /** The state's resource with this logical name. */
  async resource(name: string): Promise<StateResource | undefined> {
    return (await this.exportState()).resources.find((r) => nameOf(r.urn) === name);
  }

  writeFile(rel: string, content: string): void {
    writeProgramFile(this.workDir, rel, content);
  }

  readFile(rel: string): string {
    return fs.readFileSync(path.join(this.workDir, rel), "utf8");
  }

  /** Replaces `from` (which must occur) in a program file. */
  edit(rel: string, from: string, to: string): void {
    const text = this.readFile(rel);
    if (!text.includes(from)) throw new Error(`${rel} does not contain ${JSON.stringify(from)}`);
    this.writeFile(rel, text.replace(from, to));
  }

  async dispose(): Promise<void> {
    for (const d of [this.workDir, this.stateDir, this.homeDir]) fs.rmSync(d, { recursive: true, force: true });
  }
}

export interface CliSuite {
  emu: Emulator;
  /** An API client for changes made outside the stack. */
  client: LiveClient;
  stack: CliStack;
}

/**
 * A suite's beforeAll/afterAll: a fresh emulator, an API client on it, and a CLI stack of the program that `options`
 * describes (it may prepare the emulator first, e.g. create an app the stack uses). Fields are set in beforeAll.
 */
export function cliSuite(options: (emu: Emulator, client: LiveClient) => Omit<CliStackOptions, "emulator"> | Promise<Omit<CliStackOptions, "emulator">>): CliSuite {
  const suite = {} as CliSuite;
  beforeAll(async () => {
    suite.emu = await startEmulator({ port: 0 });
    suite.client = new LiveClient({ endpoint: suite.emu.url, credentials: { ...DEFAULT_CREDENTIALS } });
    suite.stack = await CliStack.create({ ...(await options(suite.emu, suite.client)), emulator: suite.emu });
  });
  afterAll(async () => {
    await suite.stack?.dispose();
    await suite.client?.close();
    await suite.emu?.stop();
  });
  return suite;
}
