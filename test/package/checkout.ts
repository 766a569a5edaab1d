// A fresh "clone" of this repository for the packaging tests: every file git would check out (tracked, plus new files
// not ignored, so uncommitted work is tested too), in a temp folder that is a git repository of its own — nothing
// built, nothing installed.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../engine/support";
import { runCommand, type RunResult } from "../cli/support";

export function freshCheckout(prefix = "checkout-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" })
    .split("\0")
    .filter(Boolean);
  for (const rel of files) {
    const src = path.join(REPO_ROOT, rel);
    if (!fs.existsSync(src) || fs.statSync(src).isDirectory()) continue; // deleted in the work tree / a submodule
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.copyFileSync(src, path.join(dir, rel));
    fs.chmodSync(path.join(dir, rel), fs.statSync(src).mode);
  }
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q");
  git("add", "-A");
  git("-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "checkout");
  return dir;
}

/** Where npm keeps things: a caller's choice that nested npm runs must keep (e.g. a cold cache in CI). */
const KEEP = new Set(["npm_config_cache", "npm_config_registry", "npm_config_userconfig"]);

/** This process's environment without the npm_* variables an `npm exec`/`npx` parent injects. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if ((!/^npm_/i.test(k) || KEEP.has(k.toLowerCase())) && k !== "INIT_CWD") env[k] = v;
  return { ...env, npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false", ...extra };
}

/** `npm <args>` in `cwd`, which must succeed. */
export async function npm(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const r = await runCommand("npm", args, { cwd, env: cleanEnv(env), timeoutMs: 600_000 });
  if (r.code !== 0) throw new Error(`npm ${args.join(" ")} (in ${cwd}) exited with ${r.code}:\n${r.output.slice(-6000)}`);
  return r;
}

export function gitStatus(dir: string): string {
  return execFileSync("git", ["status", "--porcelain"], { cwd: dir, encoding: "utf8" });
}
