/**
 * The data directory's integrity rules (emulator/README.md "On-disk format"): the record framing, strict
 * verification, and a corruption matrix — a flipped, deleted or zeroed byte in the first, a middle and the last log
 * record and in the snapshot's header and body — each of which must either refuse to start (naming the file and
 * offset) or recover with nothing acknowledged lost; `repair` then keeps the longest verified prefix.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  DataDirDamagedError,
  encodeRecord,
  LOCK_FILE,
  LOG_FILE,
  PREVIOUS_SNAPSHOT_FILE,
  readDataDir,
  repairDataDir,
  scanRecords,
  SNAPSHOT_FILE,
} from "./datadir";
import { mulberry32 } from "./random";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "./server";
import { createService } from "./service";
import { admin, callV3, type Json } from "./test-support/client";

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "lm-data-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("records", () => {
  it("frames a payload as `LM1 <length> <crc32> <payload>\\n` and verifies it", () => {
    const rec = encodeRecord('{"a":"é"}');
    expect(rec.toString("utf8")).toMatch(/^LM1 10 [0-9a-f]{8} \{"a":"é"\}\n$/);
    const scan = scanRecords(Buffer.concat([rec, encodeRecord("{}")]));
    expect(scan.problem).toBeUndefined();
    expect(scan.records.map((r) => [r.offset, r.payload])).toEqual([
      [0, '{"a":"é"}'],
      [rec.length, "{}"],
    ]);
  });

  it("every single-byte change of a record is caught (flip each bit of each byte)", () => {
    const rec = encodeRecord('{"s":1,"r":2,"d":3,"c":{"kind":"reset","now":4}}');
    for (let i = 0; i < rec.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const damaged = Buffer.from(rec);
        damaged[i] = damaged[i]! ^ (1 << bit);
        const scan = scanRecords(damaged);
        // A changed byte can never yield the same verified record (a flipped newline leaves an incomplete one).
        const same = scan.problem === undefined && scan.records.length === 1 && scan.records[0]!.payload === rec.toString("utf8", rec.indexOf(0x7b), rec.length - 1);
        expect([i, bit, same]).toEqual([i, bit, false]);
      }
    }
  });

  it("tells a torn tail (no newline, or zero-filled) from damage (a complete line that does not verify)", () => {
    const a = encodeRecord('{"x":1}');
    const b = encodeRecord('{"x":2}');
    expect(scanRecords(Buffer.concat([a, b.subarray(0, 8)]))).toMatchObject({ torn: true, problem: { offset: a.length, index: 2 } });
    expect(scanRecords(Buffer.concat([a, Buffer.alloc(40)]))).toMatchObject({ torn: true, problem: { offset: a.length } });
    const flipped = Buffer.concat([a, b]);
    flipped[a.length + 3] = 0x78;
    expect(scanRecords(flipped)).toMatchObject({ torn: false, problem: { offset: a.length, index: 2 } });
    // A whole record whose newline alone is missing is kept.
    expect(scanRecords(Buffer.concat([a, b.subarray(0, b.length - 1)])).records).toHaveLength(2);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A real data directory with a previous snapshot, a closed segment and a live log
// ---------------------------------------------------------------------------------------------------------------

const key = DEFAULT_CREDENTIALS;
const state = async (emu: Emulator): Promise<Json> => (await admin(emu.url, "GET", "/state")).json;

interface Pristine {
  readonly dir: string;
  /** The state after each acknowledged mutation: states[i] = after i commands. */
  readonly states: readonly Json[];
}

let pristine: Pristine;

beforeAll(async () => {
  const dir = tempDir();
  const emu = await startEmulator({ dataDir: dir, throttle: false, seed: 5, compactEvery: 1_000_000 });
  const states: Json[] = [await state(emu)];
  const appId = (await callV3(emu.url, "CreateLiveMessageApp", { AppName: "damage" }, key)).json.AppId as string;
  states.push(await state(emu));
  let n = 0;
  const write = async (): Promise<void> => {
    const r = await callV3(emu.url, "CreateLiveMessageGroup", { AppId: appId, GroupId: `g${n++}`, GroupInfo: `info ${n}` }, key);
    expect(r.status).toBe(200);
    states.push(await state(emu));
  };
  for (let i = 0; i < 3; i++) await write(); // 1..4
  await emu.compact(); // snapshot 4 (previous: the initial one, seq 0)
  for (let i = 0; i < 4; i++) await write(); // 5..8
  await emu.compact(); // snapshot 8, previous 4, segment wal-…8.log
  for (let i = 0; i < 6; i++) await write(); // 9..14 in wal.log
  // The crash image: the files as they are while the emulator runs (every write above was acknowledged).
  const image = tempDir();
  for (const f of fs.readdirSync(dir)) if (f !== LOCK_FILE) fs.copyFileSync(path.join(dir, f), path.join(image, f));
  await emu.stop();
  pristine = { dir: image, states };
}, 60_000);

function copyOf(src: string): string {
  const d = tempDir();
  for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(d, f));
  return d;
}

/** Byte offsets of the records of a file. */
function recordOffsets(file: string): { offset: number; length: number }[] {
  const buf = fs.readFileSync(file);
  const out: { offset: number; length: number }[] = [];
  let off = 0;
  while (off < buf.length) {
    const nl = buf.indexOf(0x0a, off);
    out.push({ offset: off, length: nl + 1 - off });
    off = nl + 1;
  }
  return out;
}

type Damage = "flip" | "delete" | "zero";

function damage(file: string, at: number, how: Damage): void {
  const buf = fs.readFileSync(file);
  if (how === "flip") buf[at] = buf[at]! ^ 0x20;
  if (how === "zero") buf[at] = 0;
  fs.writeFileSync(file, how === "delete" ? Buffer.concat([buf.subarray(0, at), buf.subarray(at + 1)]) : buf);
}

async function tryStart(dir: string, logs: string[] = []): Promise<{ emu?: Emulator; error?: unknown }> {
  try {
    return { emu: await startEmulator({ dataDir: dir, throttle: false, log: (l) => logs.push(l) }) };
  } catch (error) {
    return { error };
  }
}

const WAL_RECORDS = 6; // records 9..14
const positions = { first: 0, middle: 3, last: WAL_RECORDS - 1 } as const;

describe("corruption matrix: refuse, or recover with nothing acknowledged lost", () => {
  it("the pristine image starts with every acknowledged write", async () => {
    const { emu } = await tryStart(copyOf(pristine.dir));
    expect(await state(emu!)).toEqual(pristine.states[14]);
    await emu!.stop();
  });

  for (const [where, index] of Object.entries(positions)) {
    for (const how of ["flip", "delete", "zero"] as const) {
      it(`wal.log, ${where} record, ${how} a byte: refuses naming file and offset; repair keeps the ${index + 8} intact commands`, async () => {
        const dir = copyOf(pristine.dir);
        const rec = recordOffsets(path.join(dir, LOG_FILE))[index]!;
        damage(path.join(dir, LOG_FILE), rec.offset + Math.floor(rec.length / 2), how);
        const { emu, error } = await tryStart(dir);
        if (emu) {
          // Recovering is only allowed with nothing lost.
          expect(await state(emu)).toEqual(pristine.states[14]);
          await emu.stop();
          return;
        }
        expect(error).toBeInstanceOf(DataDirDamagedError);
        const e = error as DataDirDamagedError;
        expect([e.file, e.offset, e.recordIndex]).toEqual([LOG_FILE, rec.offset, index + 1]);
        expect(e.message).toContain(`livemessage-emulator repair --data-dir ${dir}`);
        const report = repairDataDir(dir, () => createService(), mulberry32);
        expect(report).toMatchObject({ repaired: true, base: SNAPSHOT_FILE, kept: index, seq: 8 + index });
        expect(report.dropped).toBe(WAL_RECORDS - index);
        expect(fs.existsSync(path.join(report.movedTo!, LOG_FILE))).toBe(true); // moved aside, not deleted
        const repaired = await tryStart(dir);
        expect(await state(repaired.emu!)).toEqual(pristine.states[8 + index]);
        await repaired.emu!.stop();
      });
    }
  }

  for (const [part, recordIndex] of [["header", 0], ["body", 1]] as const) {
    for (const how of ["flip", "delete", "zero"] as const) {
      it(`snapshot ${part}, ${how} a byte: refuses; repair rebuilds from the previous snapshot with nothing lost`, async () => {
        const dir = copyOf(pristine.dir);
        const rec = recordOffsets(path.join(dir, SNAPSHOT_FILE))[recordIndex]!;
        damage(path.join(dir, SNAPSHOT_FILE), rec.offset + Math.floor(rec.length / 2), how);
        const { emu, error } = await tryStart(dir);
        if (emu) {
          expect(await state(emu)).toEqual(pristine.states[14]);
          await emu.stop();
          return;
        }
        expect(error).toBeInstanceOf(DataDirDamagedError);
        expect((error as DataDirDamagedError).file).toBe(SNAPSHOT_FILE);
        expect((error as DataDirDamagedError).offset).toBe(rec.offset);
        const report = repairDataDir(dir, () => createService(), mulberry32);
        expect(report).toMatchObject({ repaired: true, base: PREVIOUS_SNAPSHOT_FILE, seq: 14, dropped: 0 });
        const repaired = await tryStart(dir);
        expect(await state(repaired.emu!)).toEqual(pristine.states[14]);
        await repaired.emu!.stop();
      });
    }
  }

  it("a torn final record (the file cut inside it, as a crash during the append leaves it) is dropped with a warning naming it", async () => {
    const dir = copyOf(pristine.dir);
    const last = recordOffsets(path.join(dir, LOG_FILE))[WAL_RECORDS - 1]!;
    fs.truncateSync(path.join(dir, LOG_FILE), last.offset + 10);
    const logs: string[] = [];
    const { emu } = await tryStart(dir, logs);
    expect(logs.join("\n")).toContain(`dropped a torn final record of ${path.join(dir, LOG_FILE)} at byte offset ${last.offset}`);
    // That append never completed, so it was never acknowledged: the state is the one before it.
    expect(await state(emu!)).toEqual(pristine.states[13]);
    await emu!.stop();
  });

  it("a zero-filled tail (space allocated, data never written) is torn too", async () => {
    const dir = copyOf(pristine.dir);
    fs.appendFileSync(path.join(dir, LOG_FILE), Buffer.alloc(100));
    const { emu } = await tryStart(dir);
    expect(await state(emu!)).toEqual(pristine.states[14]);
    await emu!.stop();
  });

  it("only the final newline missing: the record is whole and kept (nothing lost)", async () => {
    const dir = copyOf(pristine.dir);
    const size = fs.statSync(path.join(dir, LOG_FILE)).size;
    fs.truncateSync(path.join(dir, LOG_FILE), size - 1);
    const { emu } = await tryStart(dir);
    expect(await state(emu!)).toEqual(pristine.states[14]);
    await emu!.stop();
  });

  it("a record missing from the middle of the sequence refuses (a gap is damage, not a tear)", async () => {
    const dir = copyOf(pristine.dir);
    const buf = fs.readFileSync(path.join(dir, LOG_FILE));
    const recs = recordOffsets(path.join(dir, LOG_FILE));
    const r = recs[2]!;
    fs.writeFileSync(path.join(dir, LOG_FILE), Buffer.concat([buf.subarray(0, r.offset), buf.subarray(r.offset + r.length)]));
    const { error } = await tryStart(dir);
    expect((error as DataDirDamagedError).reason).toMatch(/records 11–11 are missing/);
  });

  it("damage in the previous generation (a closed segment at or before the snapshot) does not stop a start", async () => {
    const dir = copyOf(pristine.dir);
    const segment = fs.readdirSync(dir).find((f) => f.startsWith("wal-"))!;
    damage(path.join(dir, segment), 20, "flip");
    const { emu } = await tryStart(dir);
    expect(await state(emu!)).toEqual(pristine.states[14]);
    await emu!.stop();
  });

  it("repair leaves a directory that verifies alone", () => {
    const dir = copyOf(pristine.dir);
    const before = fs.readdirSync(dir).sort();
    expect(repairDataDir(dir, () => createService(), mulberry32)).toMatchObject({ repaired: false });
    expect(fs.readdirSync(dir).sort()).toEqual(before);
    expect(readDataDir(dir).lastSeq).toBe(14);
  });
});
