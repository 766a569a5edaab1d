/**
 * Compaction off the request path: a short-lived child process rebuilds the snapshot of record `upTo` from the
 * files alone (previous snapshot + closed log segments, every record verified — see `buildSnapshot`) and writes it
 * to a temp file; the emulator only renames files. The event loop that answers requests never serializes the
 * state, so a compaction costs it no pause (bench/emulator measures it), and the rebuilt copy of the state lives
 * in the child — its memory is returned to the system when it exits, instead of staying in the emulator's
 * resident set as a worker thread's would (measured: +140 MB RSS kept after each worker-thread compaction).
 *
 * Run from the TypeScript sources (tests, `node -r register-ts.js`), the child compiles them with swc through
 * `test-support/register-ts.js`; from `dist/` it runs the compiled JavaScript.
 */
import { fork } from "node:child_process";
import * as path from "node:path";
import { buildSnapshot, DataDirDamagedError, writeTempSnapshot } from "./datadir";
import { mulberry32 } from "./random";
import { createService } from "./service";

export type CompactionResult =
  | { readonly ok: true; readonly tmp: string; readonly bytes: number }
  | { readonly ok: false; readonly message: string; readonly damaged?: { file: string; offset: number; recordIndex: number; reason: string } };

/** Does the work (in whichever process calls it). */
export function compactFiles(dir: string, upTo: number): CompactionResult {
  try {
    const bytes = buildSnapshot(dir, upTo, () => createService(), mulberry32);
    return { ok: true, tmp: writeTempSnapshot(dir, bytes), bytes: bytes.length };
  } catch (e) {
    if (e instanceof DataDirDamagedError) {
      return { ok: false, message: e.message, damaged: { file: e.file, offset: e.offset, recordIndex: e.recordIndex, reason: e.reason } };
    }
    return { ok: false, message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

/** Marks the child so that loading this module there runs the job. */
const CHILD_FLAG = "LIVEMESSAGE_EMULATOR_COMPACTION_CHILD";

/** Runs `compactFiles` in a new child process. */
export function compactInWorker(dir: string, upTo: number): Promise<CompactionResult> {
  const entry = path.join(__dirname, `compaction-worker${path.extname(__filename)}`);
  const execArgv = entry.endsWith(".ts") ? ["-r", path.join(__dirname, "test-support", "register-ts.js")] : [];
  return new Promise((resolve) => {
    const child = fork(entry, [dir, String(upTo)], {
      execArgv,
      env: { ...process.env, [CHILD_FLAG]: "1" },
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    let settled = false;
    const done = (r: CompactionResult): void => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    child.once("message", (r: CompactionResult) => done(r));
    child.once("error", (e) => done({ ok: false, message: `the compaction process failed to start: ${e.message}` }));
    child.once("exit", (code, signal) => done({ ok: false, message: `the compaction process exited (${signal ?? `code ${code}`}) without a result${stderr ? `: ${stderr.trim()}` : ""}` }));
  });
}

// In the child: do the job, report, and never outlive the emulator (its IPC channel closes when it dies).
if (process.env[CHILD_FLAG] === "1" && process.send && require.main === module) {
  process.on("disconnect", () => process.exit(1));
  const [dir, upTo] = process.argv.slice(2) as [string, string];
  const result = compactFiles(dir, Number(upTo));
  process.send(result, () => process.exit(0));
}
