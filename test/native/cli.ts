// Runs programs that use the native plugin under the real `pulumi` CLI, the way a user does: a copy of the program
// in a temporary directory (its references to this repository made absolute), a local file backend, no update
// checks, an isolated PULUMI_HOME, and the plugin from plugin/bin. Each command's output is kept for the failure
// message. The CLI is `make pulumi-cli`'s (test/cli/support.ts): never skipped.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_CREDENTIALS } from "../../emulator";
import { pulumiBin } from "../cli/support";
import { REPO_ROOT, ensureBuilt } from "../engine/support";

export const PLUGIN_DIR = path.join(REPO_ROOT, "plugin", "bin");

/** Whether the CLI's bin folder has the named language host (the Go and YAML hosts are optional in the build). */
export function hasLanguageHost(language: string): boolean {
  return fs.existsSync(path.join(pulumiBin(), `pulumi-language-${language}`));
}

/**
 * `it` under the real CLI. The CLI itself is never missing (`pulumiBin` builds it or fails, saying why); a test
 * needing a language host that `make pulumi-cli` could not build is reported as skipped, naming the host.
 */
export function itWithCli(name: string, fn: () => Promise<void>, opts: { language?: string; timeoutMs?: number } = {}): void {
  if (opts.language && !hasLanguageHost(opts.language)) it.skip(`${name} (skipped: no pulumi-language-${opts.language} in ${pulumiBin()})`, fn);
  else it(name, fn, opts.timeoutMs);
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliStackOptions {
  /** The program to copy. */
  programDir: string;
  stack?: string;
  /** Files to add or replace in the copy (relative paths). */
  files?: Record<string, string>;
  /** Extra environment (e.g. a virtualenv's PATH). */
  env?: Record<string, string>;
  /** Runs in the program's copy before the stack is created (e.g. makes a virtualenv); returns extra environment. */
  prepare?: (dir: string) => Promise<Record<string, string>>;
  /** Plain and secret stack config. */
  config?: Record<string, string>;
  secretConfig?: Record<string, string>;
}

/** Rewrites the copy's references to this repository (`../../plugin/bin`, `../../sdks/...`) to absolute paths. */
function absolutize(dir: string, programDir: string): void {
  const rel = path.relative(programDir, REPO_ROOT) || ".";
  for (const name of ["Pulumi.yaml", "go.mod", "requirements.txt"]) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, text.split(`${rel}/`).join(`${REPO_ROOT}/`));
  }
}

function copyProgram(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (["node_modules", "venv", "__pycache__", ".pulumi"].includes(entry.name)) continue;
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyProgram(src, dst);
    else fs.copyFileSync(src, dst);
  }
}

export class CliStack {
  readonly log: string[] = [];
  private constructor(
    readonly dir: string,
    readonly root: string,
    readonly stack: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async create(options: CliStackOptions): Promise<CliStack> {
    ensureBuilt();
    const bin = pulumiBin();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "lm-native-"));
    const dir = path.join(root, "program");
    copyProgram(options.programDir, dir);
    absolutize(dir, options.programDir);
    for (const [rel, text] of Object.entries(options.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    fs.mkdirSync(path.join(root, "state"));
    const prepared = (await options.prepare?.(dir)) ?? {};
    const extra = { ...options.env, ...prepared };
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (/^(PULUMI_|ALIBABA_CLOUD_|ALICLOUD_|ALIBABACLOUD_|LIVEMESSAGE_)/.test(k) || k === "NODE_OPTIONS") continue;
      env[k] = v;
    }
    Object.assign(env, {
      PATH: [extra.PATH, bin, process.env.PATH].filter(Boolean).join(path.delimiter),
      PULUMI_BACKEND_URL: `file://${path.join(root, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_HOME: path.join(root, ".pulumi"),
      ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true",
      ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== "PATH")),
    });
    const s = new CliStack(dir, root, options.stack ?? "dev", env);
    await s.ok(["stack", "init", s.stack]);
    for (const [k, v] of Object.entries(options.config ?? {})) await s.ok(["config", "set", k, v]);
    for (const [k, v] of Object.entries(options.secretConfig ?? {})) await s.ok(["config", "set", "--secret", k, v]);
    return s;
  }

  /** Config for the emulator at `url` with its default keys (the secret as a secret). */
  async useEmulator(url: string): Promise<void> {
    await this.ok(["config", "set", "livemessage:endpoint", url]);
    await this.ok(["config", "set", "livemessage:accessKeyId", DEFAULT_CREDENTIALS.accessKeyId]);
    await this.ok(["config", "set", "--secret", "livemessage:accessKeySecret", DEFAULT_CREDENTIALS.accessKeySecret]);
  }

  run(args: string[], timeoutMs = 600_000): Promise<CommandResult> {
    return new Promise((resolve) => {
      execFile(
        "pulumi",
        [...args, "--non-interactive", "--color", "never"],
        { cwd: this.dir, env: this.env, maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
          this.log.push(`$ pulumi ${args.join(" ")} → ${code}\n${stdout}${stderr}`);
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  /** Runs a command that must succeed; a failure shows its output. */
  async ok(args: string[], timeoutMs?: number): Promise<CommandResult> {
    const r = await this.run(args, timeoutMs);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed (${r.code}):\n${tail(r.stdout + r.stderr)}`);
    return r;
  }

  up(extra: string[] = []): Promise<CommandResult> {
    return this.ok(["up", "--yes", "--skip-preview", ...extra]);
  }

  /** `preview --expect-no-changes`: fails unless every resource is unchanged. */
  expectNoChanges(extra: string[] = []): Promise<CommandResult> {
    return this.ok(["preview", "--expect-no-changes", "--diff", ...extra]);
  }

  async outputs(): Promise<Record<string, unknown>> {
    const r = await this.ok(["stack", "output", "--json", "--show-secrets"]);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  /** The stack's state (`pulumi stack export`), secrets encrypted as stored. */
  async exported(): Promise<{ deployment: { resources: { urn: string; type: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] } }> {
    return JSON.parse((await this.ok(["stack", "export"])).stdout) as never;
  }

  async dispose(): Promise<void> {
    await this.run(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

function tail(text: string, lines = 60): string {
  return text.split("\n").slice(-lines).join("\n");
}

/** Runs a command to completion; a failure shows its output. */
export function exec(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, maxBuffer: 64 * 1024 * 1024, timeout: opts.timeoutMs ?? 600_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(" ")} failed: ${err.message}\n${tail(stdout + stderr)}`));
      else resolve(stdout);
    });
  });
}

/**
 * A virtualenv in the program's copy with its requirements installed. It is also put first on PATH: the Python
 * language host built here (sdk/v3 v3.68.0) ignores the `virtualenv` option the newer CLI passes it, and runs the
 * `python3` it finds on PATH.
 */
export async function pythonVirtualenv(dir: string): Promise<Record<string, string>> {
  const venv = path.join(dir, "venv");
  await exec("python3", ["-m", "venv", venv], { cwd: dir });
  await exec(path.join(venv, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", "-r", "requirements.txt"], { cwd: dir });
  return { PATH: path.join(venv, "bin"), VIRTUAL_ENV: venv };
}
