/**
 * The on-disk format of a data directory (`dataDir`) and the code that reads, verifies and repairs it. The format
 * is documented in emulator/README.md ("On-disk format"); in short:
 *
 * - Every file is a sequence of **records**, one per line: `LM1 <length> <crc32> <payload>\n` — `length` is the
 *   payload's size in bytes (decimal), `crc32` the CRC-32 (IEEE 802.3, node:zlib) of the payload as 8 hex digits,
 *   `payload` one line of JSON. A record verifies when all four parts are present, the length matches and the
 *   checksum matches.
 * - `wal.log` — the active write-ahead log: `{ s, r, d, c }` = sequence number (1, 2, …, consecutive), stream seed
 *   and draw count after the command, the command. `wal-<lastSeq>.log` — closed log segments (renamed from
 *   wal.log when a compaction starts).
 * - `snapshot.dat` — two records: a header `{ format, kind: "snapshot", seq, seed, draws, createdAt, stateBytes }`
 *   and the service state after command `seq`. `snapshot.prev.dat` — the previous snapshot, kept with the log
 *   segments after it so that a damaged snapshot can be rebuilt without loss (`repair`).
 * - `emulator.lock` — `{ pid, startedAt }` of the emulator that owns the directory.
 *
 * Rules: only a torn **final** record of `wal.log` (cut short — no newline — or zero-filled, as a crash during an
 * append leaves it) is dropped, with a warning. Every other problem — a record that fails its checksum anywhere, a
 * gap in the sequence, a damaged snapshot — refuses to start with `DataDirDamagedError`, which names the file,
 * the record's byte offset and the `repair` command.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { crc32 } from "node:zlib";
import type { Command, LiveMessageService } from "./service/types";

export const LOCK_FILE = "emulator.lock";
export const SNAPSHOT_FILE = "snapshot.dat";
export const PREVIOUS_SNAPSHOT_FILE = "snapshot.prev.dat";
export const LOG_FILE = "wal.log";
/** Format of the snapshot header (1 was the unframed `snapshot.json` of earlier versions). */
export const SNAPSHOT_FORMAT = 2;
const RECORD_MAGIC = "LM1";
const SEGMENT = /^wal-(\d{1,16})\.log$/;
/** Files of the unframed format written before records carried checksums (migrated on start). */
export const LEGACY_SNAPSHOT_FILE = "snapshot.json";

export function segmentName(lastSeq: number): string {
  return `wal-${String(lastSeq).padStart(12, "0")}.log`;
}

// ---------------------------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------------------------

/** One framed record line for `payload` (a JSON text without newlines). */
export function encodeRecord(payload: string): Buffer {
  const body = Buffer.from(payload, "utf8");
  const head = `${RECORD_MAGIC} ${body.length} ${crc32(body).toString(16).padStart(8, "0")} `;
  const out = Buffer.allocUnsafe(head.length + body.length + 1);
  out.write(head, 0, "latin1");
  body.copy(out, head.length);
  out[out.length - 1] = 0x0a;
  return out;
}

export interface ScannedRecord {
  /** Byte offset of the record's first byte in its file. */
  readonly offset: number;
  readonly payload: string;
}

export interface RecordProblem {
  readonly offset: number;
  /** 1-based position of the record in its file. */
  readonly index: number;
  readonly reason: string;
}

export interface ScanResult {
  readonly records: ScannedRecord[];
  /** The first record that does not verify, if any (scanning stops there). */
  readonly problem?: RecordProblem;
  /** True when the problem is a torn tail: the last line has no newline, or everything from it on is zero bytes. */
  readonly torn: boolean;
  /** Bytes of the file that verified (the offset of the problem, or the file size). */
  readonly verifiedBytes: number;
}

const HEADER = /^LM1 (\d{1,10}) ([0-9a-f]{8}) $/;

/** Parses and verifies every record of `buf`, stopping at the first one that does not verify. */
export function scanRecords(buf: Buffer): ScanResult {
  const records: ScannedRecord[] = [];
  let offset = 0;
  let index = 0;
  while (offset < buf.length) {
    index++;
    const nl = buf.indexOf(0x0a, offset);
    const problem = (reason: string, torn: boolean): ScanResult => ({
      records,
      problem: { offset, index, reason },
      torn,
      verifiedBytes: offset,
    });
    if (isZeroFrom(buf, offset)) return problem(`${buf.length - offset} zero bytes where a record should start (an interrupted write)`, true);
    const end = nl === -1 ? buf.length : nl;
    const reason = verifyLine(buf, offset, end);
    if (nl === -1) {
      // No newline: the final write was cut short — unless the record is whole and only its newline is missing.
      if (reason === undefined) {
        records.push({ offset, payload: payloadOf(buf, offset, end) });
        return { records, torn: false, verifiedBytes: buf.length };
      }
      return problem(`the last record is incomplete (${end - offset} bytes, no newline): ${reason}`, true);
    }
    if (reason !== undefined) return problem(reason, false);
    records.push({ offset, payload: payloadOf(buf, offset, end) });
    offset = nl + 1;
  }
  return { records, torn: false, verifiedBytes: buf.length };
}

function isZeroFrom(buf: Buffer, offset: number): boolean {
  for (let i = offset; i < buf.length; i++) if (buf[i] !== 0) return false;
  return offset < buf.length;
}

function headerEnd(buf: Buffer, start: number, end: number): number {
  // "LM1 <len> <crc> " — the third space ends the header.
  let spaces = 0;
  for (let i = start; i < end && i < start + 32; i++) {
    if (buf[i] === 0x20 && ++spaces === 3) return i + 1;
  }
  return -1;
}

function verifyLine(buf: Buffer, start: number, end: number): string | undefined {
  const h = headerEnd(buf, start, end);
  if (h === -1) return "no record header (expected `LM1 <length> <crc32> `)";
  const m = HEADER.exec(buf.toString("latin1", start, h));
  if (!m) return "malformed record header";
  const length = Number(m[1]);
  if (end - h !== length) return `length mismatch (header says ${length} bytes, found ${end - h})`;
  const actual = crc32(buf.subarray(h, end)).toString(16).padStart(8, "0");
  if (actual !== m[2]) return `checksum mismatch (header ${m[2]}, content ${actual})`;
  return undefined;
}

function payloadOf(buf: Buffer, start: number, end: number): string {
  return buf.toString("utf8", headerEnd(buf, start, end), end);
}

// ---------------------------------------------------------------------------------------------------------------
// Log records and snapshots
// ---------------------------------------------------------------------------------------------------------------

export interface LogRecord {
  /** Sequence number: 1, 2, … consecutive, never reused for one data directory. */
  readonly s: number;
  /** The seed of the emulator's per-call random stream … */
  readonly r: number;
  /** … and how many draws it had made after this command (a restart continues the stream from here). */
  readonly d: number;
  readonly c: Command;
}

export interface SnapshotHeader {
  readonly format: number;
  readonly kind: "snapshot";
  /** The state includes every command up to this sequence number. */
  readonly seq: number;
  readonly seed: number;
  readonly draws: number;
  readonly createdAt: string;
  readonly stateBytes: number;
}

export interface Snapshot {
  readonly header: SnapshotHeader;
  readonly state: unknown;
}

function isLogRecord(v: unknown): v is LogRecord {
  if (!v || typeof v !== "object") return false;
  const r = v as Record<string, unknown>;
  const c = r.c as { kind?: unknown } | undefined;
  return (
    Number.isSafeInteger(r.s) && (r.s as number) > 0 &&
    Number.isSafeInteger(r.r) && Number.isSafeInteger(r.d) &&
    !!c && typeof c === "object" && typeof c.kind === "string"
  );
}

function isSnapshotHeader(v: unknown): v is SnapshotHeader {
  if (!v || typeof v !== "object") return false;
  const h = v as Record<string, unknown>;
  return h.kind === "snapshot" && Number.isSafeInteger(h.seq) && Number.isSafeInteger(h.seed) && Number.isSafeInteger(h.draws) && Number.isSafeInteger(h.stateBytes);
}

export function encodeLogRecord(rec: LogRecord): Buffer {
  return encodeRecord(JSON.stringify(rec));
}

export function encodeSnapshot(header: Omit<SnapshotHeader, "format" | "kind" | "stateBytes" | "createdAt">, stateJson: string): Buffer {
  const full: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    kind: "snapshot",
    seq: header.seq,
    seed: header.seed,
    draws: header.draws,
    createdAt: new Date().toISOString(),
    stateBytes: Buffer.byteLength(stateJson, "utf8"),
  };
  return Buffer.concat([encodeRecord(JSON.stringify(full)), encodeRecord(stateJson)]);
}

/** A data directory that cannot be trusted as it is: names the file, the record, and what to do. */
export class DataDirDamagedError extends Error {
  readonly code = "LIVEMESSAGE_EMULATOR_DATA_DAMAGED";
  constructor(
    readonly dataDir: string,
    readonly file: string,
    readonly offset: number,
    readonly recordIndex: number,
    readonly reason: string,
  ) {
    super(
      `The emulator's data in ${dataDir} is damaged: ${file}, record ${recordIndex} at byte offset ${offset}: ${reason}. ` +
        `Nothing was changed. To start from the longest intact prefix (the damaged files are moved aside, never deleted), run ` +
        `\`livemessage-emulator repair --data-dir ${dataDir}\` (or start with --repair).`,
    );
    this.name = "DataDirDamagedError";
  }
}

function readSnapshotFile(dir: string, file: string): Snapshot {
  const buf = fs.readFileSync(path.join(dir, file));
  const scan = scanRecords(buf);
  const fail = (offset: number, index: number, reason: string): never => {
    throw new DataDirDamagedError(dir, file, offset, index, reason);
  };
  if (scan.problem) fail(scan.problem.offset, scan.problem.index, scan.problem.reason);
  if (scan.records.length !== 2) fail(scan.verifiedBytes, scan.records.length + 1, `a snapshot has 2 records (header, state), found ${scan.records.length}`);
  const [head, body] = scan.records as [ScannedRecord, ScannedRecord];
  let header: unknown;
  try {
    header = JSON.parse(head.payload);
  } catch {
    return fail(head.offset, 1, "the header is not JSON");
  }
  if (!isSnapshotHeader(header)) return fail(head.offset, 1, "not a snapshot header");
  if (header.format !== SNAPSHOT_FORMAT) return fail(head.offset, 1, `unsupported snapshot format ${String(header.format)}`);
  if (Buffer.byteLength(body.payload, "utf8") !== header.stateBytes) return fail(body.offset, 2, "the state's size differs from the header's");
  try {
    return { header, state: JSON.parse(body.payload) };
  } catch {
    return fail(body.offset, 2, "the state is not JSON");
  }
}

export interface LogFile {
  readonly file: string;
  /** For closed segments: the last sequence number they hold (from the name); Infinity for wal.log. */
  readonly lastSeq: number;
}

/** Closed segments in sequence order, then wal.log when present. */
export function logFiles(dir: string): LogFile[] {
  const names = fs.readdirSync(dir);
  const segments = names
    .map((n) => ({ n, m: SEGMENT.exec(n) }))
    .filter((x): x is { n: string; m: RegExpExecArray } => x.m !== null)
    .map(({ n, m }) => ({ file: n, lastSeq: Number(m[1]) }))
    .sort((a, b) => a.lastSeq - b.lastSeq);
  return names.includes(LOG_FILE) ? [...segments, { file: LOG_FILE, lastSeq: Infinity }] : segments;
}

export interface Recovery {
  /** Highest sequence number in the directory (0 when empty). */
  readonly lastSeq: number;
  /** The random stream to continue (undefined for a directory that never ran). */
  readonly seed: number | undefined;
  readonly draws: number;
  readonly snapshot: Snapshot | undefined;
  /** Commands after the snapshot, in order. */
  readonly records: readonly LogRecord[];
  /** A torn final record of wal.log that must be cut off before appending. */
  readonly tornTail?: { readonly file: string; readonly offset: number; readonly bytes: number; readonly reason: string };
}

/** Parses one verified log file's records; a payload that is not a log record is damage too. */
function parseLog(dir: string, file: string, buf: Buffer, final: boolean): { records: { rec: LogRecord; offset: number; index: number }[]; scan: ScanResult } {
  const scan = scanRecords(buf);
  if (scan.problem && !(final && scan.torn)) {
    throw new DataDirDamagedError(dir, file, scan.problem.offset, scan.problem.index, scan.problem.reason);
  }
  const records = scan.records.map((r, i) => {
    let rec: unknown;
    try {
      rec = JSON.parse(r.payload);
    } catch {
      rec = undefined;
    }
    if (!isLogRecord(rec)) throw new DataDirDamagedError(dir, file, r.offset, i + 1, "the record is not a log entry");
    return { rec, offset: r.offset, index: i + 1 };
  });
  return { records, scan };
}

/**
 * Reads and verifies the directory without changing anything (strict: see the module comment). Throws
 * `DataDirDamagedError` on any damage other than a torn final record of wal.log.
 */
export function readDataDir(dir: string, options: { readonly upTo?: number } = {}): Recovery {
  const { upTo } = options;
  if (upTo === undefined && fs.existsSync(path.join(dir, LEGACY_SNAPSHOT_FILE)) && !fs.existsSync(path.join(dir, SNAPSHOT_FILE))) return readLegacy(dir);
  const snapPath = path.join(dir, SNAPSHOT_FILE);
  let snapshot: Snapshot | undefined;
  if (fs.existsSync(snapPath)) snapshot = readSnapshotFile(dir, SNAPSHOT_FILE);
  else if (fs.existsSync(path.join(dir, PREVIOUS_SNAPSHOT_FILE))) {
    throw new DataDirDamagedError(dir, SNAPSHOT_FILE, 0, 1, `the snapshot is missing although ${PREVIOUS_SNAPSHOT_FILE} exists`);
  }
  const base = snapshot?.header.seq ?? 0;
  let last = base;
  let seed = snapshot?.header.seed;
  let draws = snapshot?.header.draws ?? 0;
  const records: LogRecord[] = [];
  let tornTail: Recovery["tornTail"];
  // With `upTo` (a compaction): only the closed segments up to that record, every one of which must verify.
  const files = logFiles(dir).filter((f) => f.lastSeq > base && (upTo === undefined || f.lastSeq <= upTo));
  files.forEach((f, i) => {
    const final = upTo === undefined && f.file === LOG_FILE && i === files.length - 1;
    const buf = fs.readFileSync(path.join(dir, f.file));
    const { records: parsed, scan } = parseLog(dir, f.file, buf, final);
    for (const { rec, offset, index } of parsed) {
      if (rec.s <= last) {
        // Already in the snapshot (a crash between writing it and retiring the log), or a duplicate.
        if (rec.s > base) throw new DataDirDamagedError(dir, f.file, offset, index, `sequence number ${rec.s} repeats or goes back (after ${last})`);
        continue;
      }
      if (rec.s !== last + 1) {
        throw new DataDirDamagedError(dir, f.file, offset, index, `records ${last + 1}–${rec.s - 1} are missing (found ${rec.s} after ${last})`);
      }
      records.push(rec);
      last = rec.s;
      seed = rec.r;
      draws = rec.d;
    }
    if (f.lastSeq !== Infinity && last < f.lastSeq) {
      throw new DataDirDamagedError(dir, f.file, scan.verifiedBytes, parsed.length + 1, `the segment ends at record ${last}, its name says ${f.lastSeq}`);
    }
    if (scan.problem && final) {
      tornTail = { file: f.file, offset: scan.problem.offset, bytes: buf.length - scan.problem.offset, reason: scan.problem.reason };
    }
  });
  if (upTo !== undefined && last !== upTo) {
    throw new DataDirDamagedError(dir, files[files.length - 1]?.file ?? LOG_FILE, 0, 0, `the log ends at record ${last}, expected ${upTo}`);
  }
  return { lastSeq: last, seed, draws, snapshot, records, ...(tornTail ? { tornTail } : {}) };
}

/**
 * The snapshot of record `upTo` rebuilt from the files alone — the previous snapshot plus the closed log segments —
 * verifying every record on the way (a compaction never runs over a log that did not verify).
 */
export function buildSnapshot(dir: string, upTo: number, createService: () => LiveMessageService, random: (seed: number) => () => number): Buffer {
  const recovery = readDataDir(dir, { upTo });
  const service = createService();
  if (recovery.snapshot) service.restore(recovery.snapshot.state);
  for (const rec of recovery.records) applyCommand(service, rec.c, () => undefined, random);
  return encodeSnapshot({ seq: upTo, seed: recovery.seed ?? 0, draws: recovery.draws }, JSON.stringify(service.snapshot()));
}

// ---------------------------------------------------------------------------------------------------------------
// Legacy (unframed) directories: `snapshot.json` + JSON lines in wal.log, read once and rewritten in this format
// ---------------------------------------------------------------------------------------------------------------

function readLegacy(dir: string): Recovery {
  const snap = JSON.parse(fs.readFileSync(path.join(dir, LEGACY_SNAPSHOT_FILE), "utf8")) as { seq: number; draws: number; state: unknown };
  const records: LogRecord[] = [];
  let last = snap.seq;
  let draws = snap.draws;
  const logPath = path.join(dir, LOG_FILE);
  if (fs.existsSync(logPath)) {
    for (const line of fs.readFileSync(logPath, "utf8").split("\n")) {
      if (line === "") continue;
      let rec: { s?: number; d?: number; c?: Command };
      try {
        rec = JSON.parse(line) as typeof rec;
      } catch {
        continue; // legacy semantics: an unreadable line was a torn tail
      }
      if (typeof rec.s !== "number" || rec.s <= last || !rec.c) continue;
      records.push({ s: rec.s, r: 0, d: rec.d ?? draws, c: rec.c });
      last = rec.s;
      draws = rec.d ?? draws;
    }
  }
  const header: SnapshotHeader = { format: 1, kind: "snapshot", seq: snap.seq, seed: 0, draws: snap.draws, createdAt: "", stateBytes: 0 };
  // The legacy format never stored the seed: the stream restarts (seed undefined).
  return { lastSeq: last, seed: undefined, draws: 0, snapshot: { header, state: snap.state }, records: records.map((r) => ({ ...r, d: 0 })) };
}

/** Moves the legacy files into `legacy-<time>/` once their content lives in the framed format. */
export function retireLegacy(dir: string): string | undefined {
  const legacy = path.join(dir, LEGACY_SNAPSHOT_FILE);
  if (!fs.existsSync(legacy)) return undefined;
  const to = path.join(dir, `legacy-${stamp()}`);
  fs.mkdirSync(to);
  fs.renameSync(legacy, path.join(to, LEGACY_SNAPSHOT_FILE));
  if (fs.existsSync(path.join(dir, LOG_FILE))) fs.renameSync(path.join(dir, LOG_FILE), path.join(to, LOG_FILE));
  fsyncDir(dir);
  return to;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing snapshots (temp file, fsync, keep the previous one, rename, fsync directory)
// ---------------------------------------------------------------------------------------------------------------

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Temp snapshots: `snapshot.dat.<pid>.tmp`, one name per writing process (a compaction process orphaned by a
 * `kill -9` of its emulator can never write into the file of the next emulator's compaction). */
const TEMP_SNAPSHOT = /^snapshot\.dat\.(?:\d+\.)?tmp$/;

/** Removes temp snapshots left by a crash during a compaction. */
export function removeTempSnapshots(dir: string): void {
  for (const f of fs.readdirSync(dir)) if (TEMP_SNAPSHOT.test(f)) fs.rmSync(path.join(dir, f), { force: true });
}

/** Writes `bytes` to a temp snapshot file durably; returns its path. */
export function writeTempSnapshot(dir: string, bytes: Buffer): string {
  const tmp = path.join(dir, `${SNAPSHOT_FILE}.${process.pid}.tmp`);
  const fd = fs.openSync(tmp, "w");
  try {
    let off = 0;
    while (off < bytes.length) off += fs.writeSync(fd, bytes, off);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return tmp;
}

export async function fsyncDirAsync(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Installs a temp snapshot as the current one, keeping the current one as `snapshot.prev.dat`, then retires log
 * segments no longer needed to rebuild either snapshot (those at or before the previous snapshot's seq).
 * Asynchronous: it runs while the emulator serves requests, and a directory fsync can take a while.
 */
export async function installSnapshot(dir: string, tmp: string): Promise<void> {
  const current = path.join(dir, SNAPSHOT_FILE);
  const prev = path.join(dir, PREVIOUS_SNAPSHOT_FILE);
  let prevSeq = 0;
  if (fs.existsSync(current)) {
    await fs.promises.rm(prev, { force: true });
    try {
      await fs.promises.link(current, prev);
    } catch {
      await fs.promises.copyFile(current, prev); // a file system without hard links
    }
    prevSeq = readSnapshotSeq(dir, PREVIOUS_SNAPSHOT_FILE) ?? 0;
  }
  await fs.promises.rename(tmp, current);
  await fsyncDirAsync(dir);
  for (const f of logFiles(dir)) if (f.lastSeq <= prevSeq) await fs.promises.rm(path.join(dir, f.file), { force: true });
}

/** The seq of a snapshot file from its header record alone (undefined when it does not verify). */
function readSnapshotSeq(dir: string, file: string): number | undefined {
  const fd = fs.openSync(path.join(dir, file), "r");
  try {
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const nl = buf.subarray(0, n).indexOf(0x0a);
    if (nl === -1) return undefined;
    const scan = scanRecords(buf.subarray(0, nl + 1));
    const header = scan.records[0] ? (JSON.parse(scan.records[0].payload) as unknown) : undefined;
    return isSnapshotHeader(header) ? header.seq : undefined;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Replay
// ---------------------------------------------------------------------------------------------------------------

/** Re-applies a logged command. Errors are reported, not thrown: the command succeeded when it was logged. */
export function applyCommand(service: LiveMessageService, command: Command, onError: (message: string) => void, random: (seed: number) => () => number): void {
  try {
    switch (command.kind) {
      case "call":
        service.execute(command.action, command.params, {
          accountId: command.accountId,
          accessKeyId: command.accessKeyId,
          now: command.now,
          seed: command.seed,
          random: random(command.seed),
        });
        break;
      case "join":
        service.join(command.change, command.now);
        break;
      case "leave":
        service.leave(command.change, command.now);
        break;
      case "reset":
        service.reset();
        break;
    }
  } catch (e) {
    onError(`replaying a logged ${command.kind === "call" ? command.action : command.kind} failed: ${(e as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Repair
// ---------------------------------------------------------------------------------------------------------------

export interface RepairReport {
  /** False when the directory verified as it was (nothing moved). */
  readonly repaired: boolean;
  /** Log records kept after the snapshot the repair started from. */
  readonly kept: number;
  /** Records after the first damage (including the damaged one), not applied. */
  readonly dropped: number;
  /** Which snapshot the state was rebuilt from. */
  readonly base: typeof SNAPSHOT_FILE | typeof PREVIOUS_SNAPSHOT_FILE | "empty";
  /** Sequence number of the new snapshot. */
  readonly seq: number;
  readonly damaged: readonly { readonly file: string; readonly offset: number; readonly reason: string }[];
  /** Where the old files went. */
  readonly movedTo?: string;
  readonly message: string;
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, "-");
}

function tryReadSnapshot(dir: string, file: string): { snapshot?: Snapshot; problem?: DataDirDamagedError } {
  if (!fs.existsSync(path.join(dir, file))) return {};
  try {
    return { snapshot: readSnapshotFile(dir, file) };
  } catch (e) {
    if (e instanceof DataDirDamagedError) return { problem: e };
    throw e;
  }
}

/**
 * Rebuilds a damaged directory from its longest verified prefix: the newest snapshot that verifies (current,
 * else previous, else the empty state) plus every consecutive verified log record after it. Every old file is
 * moved into `damaged-<time>/` (never deleted); a new snapshot of the prefix replaces them. A directory that
 * verifies is left alone.
 */
export function repairDataDir(
  dir: string,
  createService: () => LiveMessageService,
  random: (seed: number) => () => number,
  log: (line: string) => void = () => undefined,
): RepairReport {
  try {
    readDataDir(dir);
    return { repaired: false, kept: 0, dropped: 0, base: SNAPSHOT_FILE, seq: 0, damaged: [], message: `${dir} verified: nothing to repair.` };
  } catch (e) {
    if (!(e instanceof DataDirDamagedError)) throw e;
  }
  const damaged: { file: string; offset: number; reason: string }[] = [];
  const current = tryReadSnapshot(dir, SNAPSHOT_FILE);
  if (current.problem) damaged.push({ file: SNAPSHOT_FILE, offset: current.problem.offset, reason: current.problem.reason });
  const previous = current.snapshot ? {} : tryReadSnapshot(dir, PREVIOUS_SNAPSHOT_FILE);
  if (previous.problem) damaged.push({ file: PREVIOUS_SNAPSHOT_FILE, offset: previous.problem.offset, reason: previous.problem.reason });
  const baseSnap = current.snapshot ?? previous.snapshot;
  const base: RepairReport["base"] = current.snapshot ? SNAPSHOT_FILE : previous.snapshot ? PREVIOUS_SNAPSHOT_FILE : "empty";

  const service = createService();
  if (baseSnap) service.restore(baseSnap.state);
  let last = baseSnap?.header.seq ?? 0;
  let seed = baseSnap?.header.seed;
  let draws = baseSnap?.header.draws ?? 0;
  let kept = 0;
  let dropped = 0;
  let broken = false;
  const files = logFiles(dir);
  for (const f of files) {
    const buf = fs.readFileSync(path.join(dir, f.file));
    const scan = scanRecords(buf);
    for (const [i, r] of scan.records.entries()) {
      let rec: unknown;
      try {
        rec = JSON.parse(r.payload);
      } catch {
        rec = undefined;
      }
      if (broken) {
        dropped++;
        continue;
      }
      if (!isLogRecord(rec)) {
        damaged.push({ file: f.file, offset: r.offset, reason: `record ${i + 1} is not a log entry` });
        broken = true;
        dropped++;
        continue;
      }
      if (rec.s <= last) continue;
      if (rec.s !== last + 1) {
        damaged.push({ file: f.file, offset: r.offset, reason: `records ${last + 1}–${rec.s - 1} are missing` });
        broken = true;
        dropped++;
        continue;
      }
      applyCommand(service, rec.c, log, random);
      last = rec.s;
      seed = rec.r;
      draws = rec.d;
      kept++;
    }
    if (scan.problem) {
      // A torn final record of wal.log is what a crash leaves: dropped, like a normal start would, not "damage".
      const tornFinal = f === files[files.length - 1] && f.file === LOG_FILE && scan.torn;
      if (!broken && !tornFinal) damaged.push({ file: f.file, offset: scan.problem.offset, reason: scan.problem.reason });
      if (!tornFinal) broken = true;
      // Complete lines after the damage are records that could not be applied (their order is broken).
      const rest = buf.subarray(scan.problem.offset);
      dropped += Math.max(1, rest.toString("latin1").split("\n").filter((l) => l.length > 0).length);
    }
  }

  const movedTo = path.join(dir, `damaged-${stamp()}`);
  fs.mkdirSync(movedTo);
  removeTempSnapshots(dir);
  for (const name of [SNAPSHOT_FILE, PREVIOUS_SNAPSHOT_FILE, ...files.map((f) => f.file)]) {
    if (fs.existsSync(path.join(dir, name))) fs.renameSync(path.join(dir, name), path.join(movedTo, name));
  }
  fsyncDir(dir);
  const tmp = writeTempSnapshot(dir, encodeSnapshot({ seq: last, seed: seed ?? 0, draws }, JSON.stringify(service.snapshot())));
  fs.renameSync(tmp, path.join(dir, SNAPSHOT_FILE));
  fsyncDir(dir);
  const where = damaged.map((d) => `${d.file} at byte ${d.offset} (${d.reason})`).join("; ");
  const message =
    `Repaired ${dir}: rebuilt from ${base === "empty" ? "the empty state" : base} plus ${kept} verified log record(s), ` +
    `dropped ${dropped} record(s) after the damage [${where}]. The old files were moved to ${movedTo}.`;
  return { repaired: true, kept, dropped, base, seq: last, damaged, movedTo, message };
}
