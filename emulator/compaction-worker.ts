/**
 * Compaction off the request path: a child process rebuilds the snapshot of record `upTo` from the
 * files alone (previous snapshot + closed log segments, every record verified — see `buildSnapshot`) and writes it
 * to a temp file; the emulator only renames files. The event loop that answers requests never serializes the
 * state, so a compaction costs it no pause (bench/emulator measures it), and the rebuilt copy of the state lives
 * in the child — not in the emulator's resident set, as a worker thread's would be (measured: +140 MB RSS kept
 * after each worker-thread compaction).
 *
 * Run from the TypeScript sources (tests, `node -r register-ts.js`), the child compiles them with swc through
 * `test-support/register-ts.js`; from `dist/` it runs the compiled JavaScript.
 */
import { fork, type ChildProcess } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { buildSnapshot, DataDirDamagedError, writeTempSnapshot } from "./datadir";
import { mulberry32 } from "./random";
import { createService } from "./service";

export type CompactionResult =
  | { readonly ok: true; readonly tmp: string; readonly bytes: number }
  | { readonly ok: false; readonly message: string; readonly damaged?: { file: string; offset: number; recordIndex: number; reason: string } };

/** Does the work (in whichever process calls it). `stillWanted` is asked before anything is written. */
export async function compactFiles(dir: string, upTo: number, stillWanted: () => Promise<boolean> = async () => true): Promise<CompactionResult> {
  try {
    const bytes = buildSnapshot(dir, upTo, () => createService(), mulberry32);
    if (!(await stillWanted())) return { ok: false, message: "the emulator went away" };
    return { ok: true, tmp: writeTempSnapshot(dir, bytes), bytes: bytes.length };
  } catch (e) {
    if (e instanceof DataDirDamagedError) {
      return { ok: false, message: e.message, damaged: { file: e.file, offset: e.offset, recordIndex: e.recordIndex, reason: e.reason } };
    }
    return { ok: false, message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

/** Marks the child so that loading this module there serves jobs. */
const CHILD_FLAG = "LIVEMESSAGE_EMULATOR_COMPACTION_CHILD";

/**
 * The compaction process of one emulator. It is forked when the emulator starts — forking copies the parent's page
 * tables, which takes tens of milliseconds once the state is large, so it is done while the heap is small — and
 * then waits for jobs, collecting its garbage after each. It exits with its emulator (`close`, or its IPC channel
 * closing when the emulator dies); if it dies, the next job forks a new one.
 */
export class Compactor {
  private child: ChildProcess | undefined;
  private busy: ((r: CompactionResult) => void) | undefined;
  private stderr = "";

  start(): void {
    if (this.child) return;
    const entry = path.join(__dirname, `compaction-worker${path.extname(__filename)}`);
    const execArgv = ["--expose-gc", ...(entry.endsWith(".ts") ? ["-r", path.join(__dirname, "test-support", "register-ts.js")] : [])];
    const child = fork(entry, [], { execArgv, env: { ...process.env, [CHILD_FLAG]: "1" }, stdio: ["ignore", "ignore", "pipe", "ipc"] });
    // Background work: the emulator answering requests comes first when the CPU is short.
    try {
      if (child.pid !== undefined) os.setPriority(child.pid, os.constants.priority.PRIORITY_LOW);
    } catch {
      // Not permitted here: it runs at normal priority.
    }
    child.stderr?.on("data", (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    child.on("message", (r: CompactionResult) => this.settle(r));
    child.once("error", (e) => this.lost(child, `the compaction process failed: ${e.message}`));
    child.once("exit", (code, signal) => this.lost(child, `the compaction process exited (${signal ?? `code ${code}`})${this.stderr ? `: ${this.stderr.trim()}` : ""}`));
    this.idle(child);
    this.child = child;
  }

  /** Rebuilds the snapshot of record `upTo` in the compaction process. One job at a time. */
  run(dir: string, upTo: number): Promise<CompactionResult> {
    if (this.busy) return Promise.resolve({ ok: false, message: "a compaction is already running" });
    this.start();
    const child = this.child!;
    return new Promise((resolve) => {
      this.busy = resolve;
      child.ref();
      (child.channel as { ref?: () => void } | undefined)?.ref?.();
      child.send({ dir, upTo });
    });
  }

  close(): void {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) child.kill();
  }

  private settle(r: CompactionResult): void {
    const resolve = this.busy;
    this.busy = undefined;
    if (this.child) this.idle(this.child);
    resolve?.(r);
  }

  private lost(child: ChildProcess, message: string): void {
    if (this.child === child) this.child = undefined;
    if (this.busy) this.settle({ ok: false, message });
  }

  /** An idle compaction process keeps nobody alive (a library user's process can exit around it). */
  private idle(child: ChildProcess): void {
    child.unref();
    (child.channel as { unref?: () => void } | undefined)?.unref?.();
  }
}

// In the child: serve jobs, one at a time; never outlive the emulator (the IPC channel closes when it dies).
if (process.env[CHILD_FLAG] === "1" && process.send && require.main === module) {
  process.on("disconnect", () => process.exit(0));
  // After the long synchronous rebuild, one turn of the event loop lets a closed channel (the emulator died during
  // the job) be noticed before a temp file is written into a directory someone else may now own.
  const connected = (): Promise<boolean> => new Promise((resolve) => setImmediate(() => resolve(process.connected)));
  process.on("message", (job: { dir: string; upTo: number }) => {
    void compactFiles(job.dir, job.upTo, connected).then((result) => {
      if (!process.connected) process.exit(0);
      process.send!(result);
      (globalThis as { gc?: () => void }).gc?.(); // give the rebuilt state's memory back before waiting again
    });
  });
}
