/**
 * Spawns the emulator CLI from its TypeScript source (no build needed) and waits for it to print its URL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
const REGISTER = path.join(REPO_ROOT, "emulator", "test-support", "register-ts.js");
const CLI = path.join(REPO_ROOT, "emulator", "cli.ts");
/** The built CLI (`npm run build`), i.e. what the package's `bin` runs. */
export const DIST_CLI = path.join(REPO_ROOT, "dist", "emulator", "cli.js");

export interface SpawnedCli {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
}

/** `dist: true` runs the built `dist/emulator/cli.js` instead of the TypeScript source. */
export function spawnCli(args: readonly string[], options: { dist?: boolean } = {}): SpawnedCli {
  const argv = options.dist ? [DIST_CLI, ...args] : ["-r", REGISTER, CLI, ...args];
  const child = spawn(process.execPath, argv, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits until the CLI prints `listening on <url>`; rejects if it exits first or takes longer than `timeoutMs`. */
export function waitForUrl(cli: SpawnedCli, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`emulator CLI did not start in ${timeoutMs} ms; stderr: ${cli.stderr()}`));
    }, timeoutMs);
    const check = (): void => {
      const m = /listening on (http:\/\/\S+)/.exec(cli.stdout());
      if (m) {
        cleanup();
        resolve(m[1]!);
      }
    };
    const onExit = (): void => {
      cleanup();
      reject(new Error(`emulator CLI exited before listening; stderr: ${cli.stderr()}`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      cli.child.stdout!.off("data", check);
      cli.child.off("exit", onExit);
    };
    cli.child.stdout!.on("data", check);
    cli.child.on("exit", onExit);
    check();
  });
}
