/**
 * Durability for `dataDir`: the data directory's lock, and the live write-ahead log with group commit, log
 * rotation and background compaction. The file format and its verification are in ./datadir.ts.
 *
 * Group commit: appends are buffered; one write + fdatasync covers every command that arrived while the previous
 * fsync ran; a command's promise resolves only once its record is on disk.
 *
 * Compaction: at a batch boundary `wal.log` is renamed to `wal-<lastSeq>.log` and a new `wal.log` takes the
 * following appends; then a snapshot of `lastSeq` is built — by a worker thread from the files (default), or from
 * the live state (`inline`, used at stop and for custom services) — and installed. Appends never wait for it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  encodeLogRecord,
  encodeSnapshot,
  fsyncDir,
  fsyncDirAsync,
  installSnapshot,
  LOCK_FILE,
  LOG_FILE,
  removeTempSnapshots,
  segmentName,
  writeTempSnapshot,
  type LogRecord,
} from "./datadir";
import type { CompactionResult } from "./compaction-worker";
import type { Command } from "./service/types";

const write = promisify(fs.write) as (fd: number, data: Buffer) => Promise<{ bytesWritten: number }>;
const fdatasync = promisify(fs.fdatasync);
const close = promisify(fs.close);
const open = promisify(fs.open);

/** Log entries between automatic compactions. */
export const DEFAULT_COMPACT_EVERY = 50_000;

export class DataDirLockedError extends Error {
  readonly code = "LIVEMESSAGE_EMULATOR_DATA_DIR_LOCKED";
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by another LiveMessage emulator (pid ${pid}). ` +
        `Stop that emulator or choose another --data-dir. (Lock file: ${path.join(dataDir, LOCK_FILE)})`,
    );
    this.name = "DataDirLockedError";
  }
}

/** Startup problems a user can fix, in plain words (port in use, data directory unusable). */
export class EmulatorStartError extends Error {
  constructor(
    readonly code: "LIVEMESSAGE_EMULATOR_PORT_IN_USE" | "LIVEMESSAGE_EMULATOR_DATA_DIR_NOT_WRITABLE" | "LIVEMESSAGE_EMULATOR_DATA_DIR_IS_FILE",
    message: string,
  ) {
    super(message);
    this.name = "EmulatorStartError";
  }
}

/** Data directories locked by emulators of this process (their lock files carry our own pid). */
const lockedHere = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function dataDirError(dir: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "EEXIST" || code === "ENOTDIR") {
    return new EmulatorStartError("LIVEMESSAGE_EMULATOR_DATA_DIR_IS_FILE", `the data directory ${dir} is a file, not a directory — pass a directory to --data-dir (it is created if missing)`);
  }
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return new EmulatorStartError(
      "LIVEMESSAGE_EMULATOR_DATA_DIR_NOT_WRITABLE",
      `the data directory ${dir} is not writable (${code}) — pass a directory you can write to as --data-dir, or fix its permissions`,
    );
  }
  return e as Error;
}

/** Takes the directory's lock file; a lock left by a dead process (e.g. after `kill -9`) is taken over. */
export function lockDataDir(dir: string): () => void {
  const resolved = path.resolve(dir);
  try {
    fs.mkdirSync(resolved, { recursive: true });
    if (!fs.statSync(resolved).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
  } catch (e) {
    throw dataDirError(resolved, e);
  }
  const lockPath = path.join(resolved, LOCK_FILE);
  const content = `${JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() })}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lockPath, content, { flag: "wx" });
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EEXIST") throw dataDirError(resolved, e);
      if (attempt > 0) throw new DataDirLockedError(resolved, ownerPid(lockPath) ?? -1);
      const pid = ownerPid(lockPath);
      const held = pid !== undefined && (pid === process.pid ? lockedHere.has(resolved) : pidAlive(pid));
      if (held) throw new DataDirLockedError(resolved, pid);
      fs.rmSync(lockPath, { force: true });
    }
  }
  lockedHere.add(resolved);
  return () => {
    lockedHere.delete(resolved);
    if (ownerPid(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
  };
}

function ownerPid(lockPath: string): number | undefined {
  try {
    const pid = (JSON.parse(fs.readFileSync(lockPath, "utf8")) as { pid?: unknown }).pid;
    return typeof pid === "number" && Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

interface Waiter {
  readonly seq: number;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

/** How a snapshot of the live state is taken when compaction runs inline (synchronously, on this thread). */
export interface SnapshotSource {
  capture(): { readonly state: string; readonly seed: number; readonly draws: number };
}

export interface WriteAheadLogOptions {
  /** Log entries after which a compaction runs automatically. */
  readonly compactEvery?: number;
  readonly source: SnapshotSource;
  /** Builds the snapshot of record `upTo` from the files, off this thread (default: inline from `source`). */
  readonly compactFiles?: (dir: string, upTo: number) => Promise<CompactionResult>;
  /** Diagnostics (never carries secrets). */
  readonly log?: (line: string) => void;
}

export interface CompactionStats {
  appended: number;
  flushes: number;
  compactions: number;
  /** Sequence number of the current snapshot. */
  snapshotSeq: number;
  lastCompactionMs?: number;
  lastCompactionBytes?: number;
  lastCompactionError?: string;
}

export class WriteAheadLog {
  private pending: Buffer[] = [];
  private pendingLastSeq = 0;
  private seq: number;
  /** Highest sequence number written and fsynced to the log. */
  private durableSeq: number;
  private readonly waiters: Waiter[] = [];
  private flushing: Promise<void> | undefined;
  private compacting: Promise<void> | undefined;
  private paused = false;
  private failed: Error | undefined;
  private sinceCompaction = 0;
  private closed = false;
  private readonly compactEvery: number;
  readonly stats: CompactionStats;

  private constructor(
    private readonly dir: string,
    private fd: number,
    lastSeq: number,
    snapshotSeq: number,
    private readonly options: WriteAheadLogOptions,
  ) {
    this.seq = lastSeq;
    this.durableSeq = lastSeq;
    this.compactEvery = options.compactEvery ?? DEFAULT_COMPACT_EVERY;
    this.sinceCompaction = lastSeq - snapshotSeq;
    this.stats = { appended: 0, flushes: 0, compactions: 0, snapshotSeq };
  }

  /** Opens (creating) `wal.log` for appending; `lastSeq` is the highest sequence number already used. */
  static async open(dir: string, lastSeq: number, snapshotSeq: number, options: WriteAheadLogOptions): Promise<WriteAheadLog> {
    const fd = await open(path.join(dir, LOG_FILE), "a");
    fsyncDir(dir);
    return new WriteAheadLog(dir, fd, lastSeq, snapshotSeq, options);
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Enqueues a command (in call order) and resolves once it is on disk. */
  append(command: Command, streamSeed: number, draws: number): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.closed) return Promise.reject(new Error("the emulator's write-ahead log is closed"));
    const seq = ++this.seq;
    this.pending.push(encodeLogRecord({ s: seq, r: streamSeed, d: draws, c: command } satisfies LogRecord));
    this.pendingLastSeq = seq;
    this.stats.appended++;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
    this.kick();
    return done;
  }

  /** Resolves once everything appended so far is durable (undefined when nothing is pending). */
  barrier(): Promise<void> | undefined {
    if (this.durableSeq >= this.seq) return undefined;
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<void>((resolve, reject) => this.waiters.push({ seq: this.seq, resolve, reject }));
  }

  private kick(): void {
    if (this.flushing || this.paused || this.pending.length === 0 || this.failed) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = undefined;
      if (this.paused || this.failed) return;
      if (this.sinceCompaction >= this.compactEvery && !this.compacting) void this.compact().catch(() => undefined);
      this.kick();
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0 && !this.paused && !this.failed) {
      const batch = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
      const upto = this.pendingLastSeq;
      const count = this.pending.length;
      this.pending = [];
      try {
        let off = 0;
        while (off < batch.length) off += (await write(this.fd, off === 0 ? batch : batch.subarray(off))).bytesWritten;
        await fdatasync(this.fd);
      } catch (e) {
        this.fail(e as Error);
        return;
      }
      this.stats.flushes++;
      this.sinceCompaction += count;
      this.settle(upto);
    }
  }

  private settle(upto: number): void {
    this.durableSeq = Math.max(this.durableSeq, upto);
    while (this.waiters.length > 0 && this.waiters[0]!.seq <= this.durableSeq) this.waiters.shift()!.resolve();
  }

  private fail(e: Error): void {
    this.failed = new Error(`the emulator could not write its log in ${this.dir}: ${e.message}`);
    this.options.log?.(`livemessage-emulator: ${this.failed.message}; further writes are refused`);
    for (const w of this.waiters.splice(0)) w.reject(this.failed);
  }

  /**
   * Snapshots the log and starts a new one. `inline`: from the live state on this thread (when no requests run,
   * e.g. at stop); otherwise off the request path when `compactFiles` is configured. Concurrent calls share one run.
   */
  compact(options: { inline?: boolean } = {}): Promise<void> {
    if (this.compacting) return this.compacting;
    if (this.failed) return Promise.reject(this.failed);
    this.compacting = this.doCompact(options.inline === true || !this.options.compactFiles).finally(() => {
      this.compacting = undefined;
    });
    return this.compacting;
  }

  private async doCompact(inline: boolean): Promise<void> {
    const started = Date.now();
    // 1. Rotate at a batch boundary: every record up to `lastWritten` is in the closed segment.
    this.paused = true;
    try {
      while (this.flushing) await this.flushing;
      if (this.failed) throw this.failed;
      const lastWritten = this.durableSeq;
      if (lastWritten > this.stats.snapshotSeq) {
        const segment = segmentName(lastWritten);
        await close(this.fd);
        await fs.promises.rename(path.join(this.dir, LOG_FILE), path.join(this.dir, segment));
        this.fd = await open(path.join(this.dir, LOG_FILE), "a");
        await fsyncDirAsync(this.dir);
      } else if (!inline) {
        return; // nothing new since the last snapshot
      }
      this.sinceCompaction = this.seq - lastWritten;
      this.paused = false;
      this.kick();

      // 2. Build the snapshot.
      let tmp: string | undefined;
      let seq: number;
      let bytes: number;
      if (inline) {
        // Synchronous: the captured state holds exactly the commands 1..seq (some may still wait to be written
        // to the new wal.log; replay skips records at or below the snapshot's seq).
        seq = this.seq;
        const { state, seed, draws } = this.options.source.capture();
        const data = encodeSnapshot({ seq, seed, draws }, state);
        tmp = writeTempSnapshot(this.dir, data);
        bytes = data.length;
      } else {
        const result = await this.options.compactFiles!(this.dir, lastWritten);
        if (!result.ok) throw new Error(result.message);
        ({ tmp, bytes } = result);
        seq = lastWritten;
      }
      // 3. Install it (renames: cheap).
      await installSnapshot(this.dir, tmp!);
      this.stats.snapshotSeq = seq;
      this.stats.compactions++;
      this.stats.lastCompactionMs = Date.now() - started;
      this.stats.lastCompactionBytes = bytes;
      delete this.stats.lastCompactionError;
    } catch (e) {
      this.stats.lastCompactionError = (e as Error).message;
      removeTempSnapshots(this.dir);
      this.options.log?.(`livemessage-emulator: compaction failed, the log is kept as it is: ${(e as Error).message}`);
      throw e;
    } finally {
      if (this.paused) {
        this.paused = false;
        this.kick();
      }
    }
  }

  /** Flushes what is pending and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.compacting) await this.compacting.catch(() => undefined);
    while (this.flushing) await this.flushing;
    this.kick();
    while (this.flushing) await this.flushing;
    this.closed = true;
    await close(this.fd);
  }
}
