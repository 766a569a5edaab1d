import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "./server";
import type { Command } from "./service/types";
import { admin, callV1 } from "./test-support/client";
import { createFakeService } from "./test-support/fake-service";
import { encodeSnapshot, LOCK_FILE, LOG_FILE, PREVIOUS_SNAPSHOT_FILE, readDataDir, scanRecords, segmentName, writeTempSnapshot, type LogRecord } from "./datadir";
import { DataDirLockedError, lockDataDir, WriteAheadLog } from "./wal";

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "lm-wal-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const reset = (now: number): Command => ({ kind: "reset", now });

/**
 * What a crash would leave on disk: a copy of `dir` taken while the emulator runs. A background compaction may delete
 * an old log file between listing and copying it (a real crash sees one instant, a file copy does not), so a copy that
 * raced a deletion is thrown away and taken again.
 */
function crashImage(dir: string): string {
  for (let attempt = 1; ; attempt++) {
    const copy = tempDir();
    try {
      for (const f of fs.readdirSync(dir)) if (f !== LOCK_FILE) fs.copyFileSync(path.join(dir, f), path.join(copy, f));
      return copy;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT" || attempt >= 50) throw e;
    }
  }
}

function records(dir: string, file = LOG_FILE): LogRecord[] {
  const scan = scanRecords(fs.readFileSync(path.join(dir, file)));
  expect(scan.problem).toBeUndefined();
  return scan.records.map((r) => JSON.parse(r.payload) as LogRecord);
}

const inlineSource = (state: () => string) => ({ capture: () => ({ state: state(), seed: 7, draws: 0 }) });

describe("WriteAheadLog", () => {
  it("group-commits concurrent appends, in order, with fewer fsyncs than commands", async () => {
    const dir = tempDir();
    const wal = await WriteAheadLog.open(dir, 0, 0, { source: inlineSource(() => "{}") });
    const all = Array.from({ length: 300 }, (_, i) => wal.append(reset(i), 7, i));
    await Promise.all(all);
    expect(wal.stats.appended).toBe(300);
    expect(wal.stats.flushes).toBeGreaterThan(0);
    expect(wal.stats.flushes).toBeLessThan(300);
    await wal.close();
    const recs = records(dir);
    expect(recs.map((r) => r.s)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(recs.map((r) => r.d)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(recs.every((r) => r.r === 7)).toBe(true);
  });

  it("barrier() waits for pending commands and is free when nothing is pending", async () => {
    const dir = tempDir();
    const wal = await WriteAheadLog.open(dir, 0, 0, { source: inlineSource(() => "{}") });
    expect(wal.barrier()).toBeUndefined();
    const p = wal.append(reset(1), 0, 0);
    const b = wal.barrier();
    expect(b).toBeInstanceOf(Promise);
    await b;
    await p;
    expect(wal.barrier()).toBeUndefined();
    await wal.close();
  });

  it("inline compaction rotates the log into a segment, writes a checksummed snapshot, and appends made meanwhile go to the new log", async () => {
    const dir = tempDir();
    let state = 0;
    const wal = await WriteAheadLog.open(dir, 0, 0, { source: inlineSource(() => String(state)) });
    for (let i = 0; i < 5; i++) {
      state++;
      await wal.append(reset(i), 7, i);
    }
    const compaction = wal.compact({ inline: true });
    state++;
    const late = wal.append(reset(99), 7, 5);
    await compaction;
    await late;
    await wal.close();
    const rec = readDataDir(dir);
    // The live state was captured after the rotation, so it already holds the late command 6; its record went to
    // the new wal.log, where replay skips it as part of the snapshot.
    expect(rec.snapshot?.header).toMatchObject({ seq: 6, seed: 7 });
    expect(rec.records).toEqual([]);
    expect(rec.lastSeq).toBe(6);
    expect(records(dir).map((r) => r.s)).toEqual([6]);
    expect(fs.existsSync(path.join(dir, segmentName(5)))).toBe(true);
    expect(records(dir, segmentName(5)).map((r) => r.s)).toEqual([1, 2, 3, 4, 5]);
    expect(wal.stats.compactions).toBe(1);
  });

  it("keeps the previous snapshot and the segments after it; retires older segments", async () => {
    const dir = tempDir();
    const wal = await WriteAheadLog.open(dir, 0, 0, { source: inlineSource(() => "{}") });
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < 2; i++) await wal.append(reset(i), 7, 0);
      await wal.compact({ inline: true });
    }
    await wal.close();
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("wal-")).sort()).toEqual([segmentName(6)]);
    expect(fs.existsSync(path.join(dir, PREVIOUS_SNAPSHOT_FILE))).toBe(true);
  });

  it("compacts automatically every compactEvery entries, off-thread when compactFiles is given", async () => {
    const dir = tempDir();
    const calls: number[] = [];
    const wal = await WriteAheadLog.open(dir, 0, 0, {
      compactEvery: 5,
      source: inlineSource(() => "{}"),
      compactFiles: async (d, upTo) => {
        calls.push(upTo);
        const tmp = writeTempSnapshot(d, encodeSnapshot({ seq: upTo, seed: 7, draws: 0 }, "{}"));
        return { ok: true, tmp, bytes: 0 };
      },
    });
    for (let i = 0; i < 12; i++) await wal.append(reset(i), 7, 0);
    while (wal.stats.compactions < 2) await new Promise((r) => setTimeout(r, 5));
    await wal.close();
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(readDataDir(dir).lastSeq).toBe(12);
  });

  it("a failed compaction keeps every file as it was and reports the error", async () => {
    const dir = tempDir();
    const logs: string[] = [];
    const wal = await WriteAheadLog.open(dir, 0, 0, {
      source: inlineSource(() => "{}"),
      log: (l) => logs.push(l),
      compactFiles: async () => ({ ok: false, message: "wal-x.log, record 2 at byte offset 99: checksum mismatch" }),
    });
    for (let i = 0; i < 3; i++) await wal.append(reset(i), 7, 0);
    await expect(wal.compact()).rejects.toThrow(/checksum mismatch/);
    expect(wal.stats.lastCompactionError).toMatch(/checksum mismatch/);
    expect(logs.join("\n")).toMatch(/compaction failed, the log is kept/);
    await wal.append(reset(9), 7, 0);
    await wal.close();
    expect(readDataDir(dir).records.map((r) => r.s)).toEqual([1, 2, 3, 4]);
  });
});

describe("lockDataDir", () => {
  it("refuses a directory locked in this process and releases on unlock", () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir)();
  });

  it("refuses a directory locked by another live process", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid }));
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by another LiveMessage emulator \\(pid ${process.ppid}\\)`));
  });

  it("takes over a lock left by a dead process (kill -9)", () => {
    const dir = tempDir();
    const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    const deadPid = Number(child.stdout.toString());
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid }));
    const release = lockDataDir(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    release();
  });
});

describe("restart on the same dataDir", () => {
  const key = DEFAULT_CREDENTIALS;

  async function start(dataDir: string, extra: { compactEvery?: number; seed?: number } = {}): Promise<Emulator> {
    return startEmulator({ dataDir, createService: createFakeService, throttle: false, seed: extra.seed ?? 42, ...extra });
  }

  async function populate(emu: Emulator): Promise<string> {
    const app = await callV1(emu.url, "CreateLiveMessageApp", { AppName: "durable" }, key);
    expect(app.status).toBe(200);
    const appId = app.json.AppId as string;
    for (let i = 0; i < 8; i++) {
      const r = await callV1(emu.url, "CreateLiveMessageGroup", { AppId: appId, GroupId: `g${i}`, Administrators: "a,b" }, key);
      expect(r.status).toBe(200);
    }
    expect((await admin(emu.url, "POST", `/apps/${appId}/groups/g1/members`, { userId: "u1", userInfo: "hi" })).status).toBe(200);
    expect((await admin(emu.url, "POST", `/apps/${appId}/groups/g2/members`, { userId: "u2" })).status).toBe(200);
    expect((await admin(emu.url, "DELETE", `/apps/${appId}/groups/g2/members/u2`)).status).toBe(200);
    expect((await callV1(emu.url, "SendLiveMessageGroup", { AppId: appId, GroupId: "g1", SenderId: "s", Body: "hello", MsgType: "3" }, key)).status).toBe(200);
    expect((await callV1(emu.url, "DeleteLiveMessageGroup", { AppId: appId, GroupId: "g7" }, key)).status).toBe(200);
    return appId;
  }

  it("restores everything after a clean stop", async () => {
    const dir = tempDir();
    const a = await start(dir);
    await populate(a);
    const before = (await admin(a.url, "GET", "/state")).json;
    await a.stop();
    const b = await start(dir);
    expect((await admin(b.url, "GET", "/state")).json).toEqual(before);
    await b.stop();
  });

  it("restores everything from snapshot + log after automatic compactions, without a clean stop", async () => {
    const dir = tempDir();
    const a = await start(dir, { compactEvery: 3 });
    await populate(a);
    const before = (await admin(a.url, "GET", "/state")).json;
    const health = (await admin(a.url, "GET", "/health")).json;
    expect(health.log.compactions).toBeGreaterThan(0);
    // Simulate a crash: read the directory as it is now, with the emulator still running.
    const copy = crashImage(dir);
    await a.stop();
    const b = await start(copy);
    expect((await admin(b.url, "GET", "/state")).json).toEqual(before);
    await b.stop();
  });

  it("continues the seed stream: IDs after a restart equal those of an uninterrupted run", async () => {
    const uninterrupted = await startEmulator({ createService: createFakeService, seed: 9 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await callV1(uninterrupted.url, "CreateLiveMessageApp", {}, key)).json.AppId);
    await uninterrupted.stop();

    const dir = tempDir();
    const first = await start(dir, { seed: 9 });
    const got = [(await callV1(first.url, "CreateLiveMessageApp", {}, key)).json.AppId];
    await first.stop();
    const second = await start(dir, { seed: 9 });
    for (let i = 0; i < 2; i++) got.push((await callV1(second.url, "CreateLiveMessageApp", {}, key)).json.AppId);
    await second.stop();
    expect(got).toEqual(ids);
  });

  it("a restart without a seed continues the data directory's stream (the seed is stored)", async () => {
    const uninterrupted = await startEmulator({ createService: createFakeService, seed: 11 });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await callV1(uninterrupted.url, "CreateLiveMessageApp", {}, key)).json.AppId);
    await uninterrupted.stop();

    const dir = tempDir();
    const first = await startEmulator({ dataDir: dir, createService: createFakeService, seed: 11 });
    const got = [(await callV1(first.url, "CreateLiveMessageApp", {}, key)).json.AppId];
    await first.stop();
    for (let i = 0; i < 3; i++) {
      const next = await startEmulator({ dataDir: dir, createService: createFakeService });
      expect(next.seed).toBe(11);
      got.push((await callV1(next.url, "CreateLiveMessageApp", {}, key)).json.AppId);
      await next.stop();
    }
    expect(got).toEqual(ids);
  });

  it("logs only successful mutations; reset is durable", async () => {
    const dir = tempDir();
    const a = await start(dir);
    const appId = await populate(a);
    const seq = (await admin(a.url, "GET", "/health")).json.log.seq;
    expect((await callV1(a.url, "DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }, key)).status).toBe(200);
    expect((await callV1(a.url, "SendLiveMessageGroup", { AppId: appId, GroupId: "g3", SenderId: "s" }, key)).status).toBe(400);
    expect((await admin(a.url, "GET", "/health")).json.log.seq).toBe(seq);
    expect((await admin(a.url, "POST", "/reset")).status).toBe(200);
    const stateAfterReset = (await admin(a.url, "GET", "/state")).json;
    expect(stateAfterReset).toEqual({ apps: {} });
    await a.stop();
    const b = await start(dir);
    expect((await admin(b.url, "GET", "/state")).json).toEqual({ apps: {} });
    await b.stop();
  });

  it("a second emulator on a locked data dir fails clearly and releases nothing", async () => {
    const dir = tempDir();
    const a = await start(dir);
    await expect(start(dir)).rejects.toThrow(DataDirLockedError);
    expect((await admin(a.url, "GET", "/health")).status).toBe(200);
    await a.stop();
    const b = await start(dir);
    await b.stop();
  });

  it("recovers a torn log tail and keeps appending cleanly", async () => {
    const dir = tempDir();
    const a = await start(dir);
    const appId = await populate(a);
    const before = (await admin(a.url, "GET", "/state")).json;
    // Crash copy with a half-written line at the end.
    const copy = tempDir();
    for (const f of fs.readdirSync(dir)) if (f !== LOCK_FILE) fs.copyFileSync(path.join(dir, f), path.join(copy, f));
    const size = fs.statSync(path.join(copy, LOG_FILE)).size;
    fs.appendFileSync(path.join(copy, LOG_FILE), 'LM1 120 0badc0de {"s":999,"r":1,"d":1,"c":{"kind":"call","acc');
    await a.stop();
    const logs: string[] = [];
    const b = await startEmulator({ dataDir: copy, createService: createFakeService, seed: 42, log: (l) => logs.push(l) });
    expect(logs.join("\n")).toMatch(new RegExp(`dropped a torn final record of .*wal.log at byte offset ${size}`));
    expect((await admin(b.url, "GET", "/state")).json).toEqual(before);
    expect((await callV1(b.url, "CreateLiveMessageGroup", { AppId: appId, GroupId: "after" }, key)).status).toBe(200);
    const after = (await admin(b.url, "GET", "/state")).json;
    await b.stop();
    const c = await start(copy);
    expect((await admin(c.url, "GET", "/state")).json).toEqual(after);
    await c.stop();
  });
});
