/**
 * Durability for `dataDir`: a command write-ahead log with group commit, plus snapshots (spec: emulator brief,
 * DESIGN.md "Emulator": acknowledged writes survive `kill -9`).
 *
 * Files in the data directory:
 * - `emulator.lock` — `{"pid":…}` of the emulator that owns the directory.
 * - `snapshot.json` — `{ format, seq, draws, state }`: the service state after log entry `seq`; replaced atomically
 *   (write temp file, fsync, rename, fsync directory).
 * - `wal.log` — one JSON line per command `{ s: seq, d: draws, c: Command }`, appended and fsynced before the
 *   response. A line with `s <= snapshot.seq` is already in the snapshot and skipped on replay (a crash between the
 *   snapshot rename and the log truncation must not apply a command twice). Lines that do not parse — a torn tail
 *   after a crash — are ignored.
 *
 * Group commit: appends are buffered; one write + fdatasync covers every command that arrived while the previous
 * fsync ran. Compaction snapshots the in-memory state, which already includes every appended command, so it also
 * makes the commands still waiting in the buffer durable.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { Command } from "./service/types";

const write = promisify(fs.write) as (fd: number, data: Buffer) => Promise<{ bytesWritten: number }>;
const fdatasync = promisify(fs.fdatasync);
const fsync = promisify(fs.fsync);
const ftruncate = promisify(fs.ftruncate);
const close = promisify(fs.close);
const open = promisify(fs.open);

export const LOCK_FILE = "emulator.lock";
export const SNAPSHOT_FILE = "snapshot.json";
export const LOG_FILE = "wal.log";
export const SNAPSHOT_FORMAT = 1;
/** Log entries between automatic compactions. */
export const DEFAULT_COMPACT_EVERY = 50_000;

export interface LogRecord {
  /** Position in the command sequence (1, 2, …; never reused for one data directory). */
  readonly s: number;
  /** The emulator's per-call seed draws after this command (so a restart continues the seed stream). */
  readonly d: number;
  readonly c: Command;
}

export interface SnapshotFile {
  readonly format: number;
  readonly seq: number;
  readonly draws: number;
  readonly state: unknown;
}

export interface Recovery {
  readonly snapshot: SnapshotFile | undefined;
  /** Commands after the snapshot, in order. */
  readonly records: readonly LogRecord[];
  /** Lines that did not parse (a torn tail after a crash), ignored. */
  readonly tornLines: number;
}

/** What the log needs from its owner to write a snapshot. */
export interface SnapshotSource {
  /** Serialized service state plus the seed draws, taken synchronously (the state must not change meanwhile). */
  capture(): { readonly state: string; readonly draws: number };
}

export class DataDirLockedError extends Error {
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

/** Takes the directory's lock file; a lock left by a dead process (e.g. after `kill -9`) is taken over. */
export function lockDataDir(dir: string): () => void {
  const resolved = path.resolve(dir);
  fs.mkdirSync(resolved, { recursive: true });
  const lockPath = path.join(resolved, LOCK_FILE);
  const content = `${JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() })}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lockPath, content, { flag: "wx" });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) {
        if ((e as NodeJS.ErrnoException).code === "EEXIST") throw new DataDirLockedError(resolved, ownerPid(lockPath) ?? -1);
        throw e;
      }
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

function isRecord(v: unknown): v is LogRecord {
  if (!v || typeof v !== "object") return false;
  const r = v as { s?: unknown; d?: unknown; c?: unknown };
  return (
    typeof r.s === "number" &&
    typeof r.d === "number" &&
    !!r.c &&
    typeof r.c === "object" &&
    typeof (r.c as { kind?: unknown }).kind === "string"
  );
}

/** Reads snapshot and log without changing anything. */
export function readDataDir(dir: string): Recovery {
  let snapshot: SnapshotFile | undefined;
  const snapPath = path.join(dir, SNAPSHOT_FILE);
  if (fs.existsSync(snapPath)) {
    // The snapshot is only ever replaced by rename, so it is whole; anything else is real corruption.
    try {
      snapshot = JSON.parse(fs.readFileSync(snapPath, "utf8")) as SnapshotFile;
    } catch (e) {
      throw new Error(`The emulator snapshot ${snapPath} is corrupt and cannot be loaded: ${(e as Error).message}`);
    }
    if (snapshot.format !== SNAPSHOT_FORMAT) throw new Error(`Unsupported emulator snapshot format ${String(snapshot.format)} in ${snapPath}`);
  }
  const records: LogRecord[] = [];
  let tornLines = 0;
  const logPath = path.join(dir, LOG_FILE);
  if (fs.existsSync(logPath)) {
    const text = fs.readFileSync(logPath, "utf8");
    const after = snapshot?.seq ?? 0;
    let last = after;
    for (const line of text.split("\n")) {
      if (line.length === 0) continue;
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch {
        tornLines++;
        continue;
      }
      if (!isRecord(rec)) {
        tornLines++;
        continue;
      }
      if (rec.s <= last) continue;
      last = rec.s;
      records.push(rec);
    }
  }
  return { snapshot, records, tornLines };
}

interface Waiter {
  readonly seq: number;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

export interface WriteAheadLogOptions {
  /** Log entries after which a compaction runs automatically. */
  readonly compactEvery?: number;
  readonly source: SnapshotSource;
  /** Diagnostics (never carries secrets). */
  readonly log?: (line: string) => void;
}

export class WriteAheadLog {
  private pending: string[] = [];
  private pendingLastSeq = 0;
  private seq: number;
  private durableSeq: number;
  private readonly waiters: Waiter[] = [];
  private flushing: Promise<void> | undefined;
  private compacting: Promise<void> | undefined;
  private paused = false;
  private failed: Error | undefined;
  private sinceCompaction = 0;
  private closed = false;
  private readonly compactEvery: number;
  /** Counters for tests, the admin health endpoint and the benchmark. */
  readonly stats = { appended: 0, flushes: 0, compactions: 0 };

  private constructor(
    private readonly dir: string,
    private fd: number,
    lastSeq: number,
    private readonly options: WriteAheadLogOptions,
  ) {
    this.seq = lastSeq;
    this.durableSeq = lastSeq;
    this.compactEvery = options.compactEvery ?? DEFAULT_COMPACT_EVERY;
  }

  /** Opens (creating) the log for appending; `lastSeq` is the highest sequence number already used. */
  static async open(dir: string, lastSeq: number, options: WriteAheadLogOptions): Promise<WriteAheadLog> {
    const fd = await open(path.join(dir, LOG_FILE), "a");
    await fsyncDir(dir);
    return new WriteAheadLog(dir, fd, lastSeq, options);
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Enqueues a command (in call order) and resolves once it is on disk. */
  append(command: Command, draws: number): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.closed) return Promise.reject(new Error("the emulator's write-ahead log is closed"));
    const seq = ++this.seq;
    this.pending.push(`${JSON.stringify({ s: seq, d: draws, c: command } satisfies LogRecord)}\n`);
    this.pendingLastSeq = seq;
    this.stats.appended++;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
    this.kick();
    return done;
  }

  /** Resolves once everything appended so far is durable (cheap when nothing is pending). */
  barrier(): Promise<void> | undefined {
    if (this.durableSeq >= this.seq) return undefined;
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<void>((resolve, reject) => this.waiters.push({ seq: this.seq, resolve, reject }));
  }

  private kick(): void {
    if (this.flushing || this.paused || this.pending.length === 0) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = undefined;
      if (this.paused || this.failed) return;
      // Appends that arrived after the loop's last check are picked up here (or by the compaction's kick).
      if (this.sinceCompaction >= this.compactEvery) void this.compact().catch(() => undefined);
      else this.kick();
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0 && !this.paused && !this.failed) {
      const batch = Buffer.from(this.pending.join(""), "utf8");
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
   * Writes a snapshot of the current state and empties the log. Appends that arrive meanwhile wait in the buffer
   * and go to the emptied log afterwards.
   */
  compact(): Promise<void> {
    if (this.compacting) return this.compacting;
    if (this.failed) return Promise.reject(this.failed);
    this.paused = true;
    this.compacting = this.doCompact().finally(() => {
      this.compacting = undefined;
      this.paused = false;
      this.kick();
    });
    return this.compacting;
  }

  private async doCompact(): Promise<void> {
    if (this.flushing) await this.flushing;
    if (this.failed) throw this.failed;
    // Synchronous: the captured state includes exactly the commands 1..seqAtSnapshot.
    const seqAtSnapshot = this.seq;
    // Buffered commands up to seqAtSnapshot are part of the captured state; anything appended later stays queued.
    this.pending = [];
    const { state, draws } = this.options.source.capture();
    const text = `{"format":${SNAPSHOT_FORMAT},"seq":${seqAtSnapshot},"draws":${draws},"state":${state}}\n`;
    try {
      const tmp = path.join(this.dir, `${SNAPSHOT_FILE}.tmp`);
      const fd = await open(tmp, "w");
      try {
        await write(fd, Buffer.from(text, "utf8"));
        await fsync(fd);
      } finally {
        await close(fd);
      }
      await fs.promises.rename(tmp, path.join(this.dir, SNAPSHOT_FILE));
      await fsyncDir(this.dir);
      await ftruncate(this.fd, 0);
      await fsync(this.fd);
    } catch (e) {
      this.fail(e as Error);
      throw this.failed;
    }
    this.sinceCompaction = 0;
    this.stats.compactions++;
    this.settle(seqAtSnapshot);
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

async function fsyncDir(dir: string): Promise<void> {
  const fd = await open(dir, "r");
  try {
    await fsync(fd);
  } finally {
    await close(fd);
  }
}
