/**
 * Compaction off the request path: a worker thread rebuilds the snapshot of record `upTo` from the files alone
 * (previous snapshot + closed log segments, every record verified — see `buildSnapshot`) and writes it to a temp
 * file; the main thread only renames files. The event loop that answers requests never serializes the state, so a
 * compaction costs it no pause (measured by bench/emulator). A fresh worker per compaction: its copy of the state
 * is freed when it exits, so the steady-state memory holds one copy.
 *
 * Run from the TypeScript sources (tests, `node -r register-ts.js`), the worker compiles them with swc the way
 * `emulator/test-support/register-ts.js` does; from `dist/` it loads the compiled JavaScript.
 */
import * as path from "node:path";
import { parentPort, Worker, workerData } from "node:worker_threads";
import { buildSnapshot, DataDirDamagedError, writeTempSnapshot } from "./datadir";
import { mulberry32 } from "./random";
import { createService } from "./service";

interface Job {
  readonly livemessageCompaction: true;
  readonly dir: string;
  readonly upTo: number;
}

export type CompactionResult =
  | { readonly ok: true; readonly tmp: string; readonly bytes: number }
  | { readonly ok: false; readonly message: string; readonly damaged?: { file: string; offset: number; recordIndex: number; reason: string } };

/** Does the work (in whichever thread calls it). */
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

const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
if (workerData.entry.endsWith(".ts")) {
  const fs = require("node:fs");
  const swc = require("@swc/core");
  const options = { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } };
  require.extensions[".ts"] = (module, filename) =>
    module._compile(swc.transformSync(fs.readFileSync(filename, "utf8"), { ...options, filename }).code, filename);
}
require(workerData.entry);
`;

/** Runs `compactFiles` in a new worker thread. */
export function compactInWorker(dir: string, upTo: number): Promise<CompactionResult> {
  const entry = path.join(__dirname, `compaction-worker${path.extname(__filename)}`);
  return new Promise((resolve) => {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { livemessageCompaction: true, dir, upTo, entry } satisfies Job & { entry: string } });
    let settled = false;
    const done = (r: CompactionResult): void => {
      if (settled) return;
      settled = true;
      resolve(r);
      void worker.terminate();
    };
    worker.once("message", (r: CompactionResult) => done(r));
    worker.once("error", (e) => done({ ok: false, message: `the compaction worker failed: ${e.message}` }));
    worker.once("exit", (code) => done({ ok: false, message: `the compaction worker exited (code ${code}) without a result` }));
  });
}

// In the worker: do the job and report.
const job = workerData as (Job & { entry: string }) | null;
if (parentPort && job && job.livemessageCompaction) parentPort.postMessage(compactFiles(job.dir, job.upTo));
