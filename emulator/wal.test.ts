import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "./server";
import type { Command } from "./service/types";
import { admin, callV1 } from "./test-support/client";
import { createFakeService } from "./test-support/fake-service";
import { DataDirLockedError, LOCK_FILE, LOG_FILE, lockDataDir, readDataDir, SNAPSHOT_FILE, WriteAheadLog } from "./wal";

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

describe("WriteAheadLog", () => {
  it("group-commits concurrent appends, in order, with fewer fsyncs than commands", async () => {
    const dir = tempDir();
    let state = 0;
    const wal = await WriteAheadLog.open(dir, 0, { source: { capture: () => ({ state: String(state), draws: 0 }) } });
    const all = Array.from({ length: 300 }, (_, i) => {
      state++;
      return wal.append(reset(i), i);
    });
    await Promise.all(all);
    expect(wal.stats.appended).toBe(300);
    expect(wal.stats.flushes).toBeGreaterThan(0);
    expect(wal.stats.flushes).toBeLessThan(300);
    await wal.close();
    const rec = readDataDir(dir);
    expect(rec.records.map((r) => r.s)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(rec.records.map((r) => (r.c as { now: number }).now)).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it("barrier() waits for pending commands and is free when nothing is pending", async () => {
    const dir = tempDir();
    const wal = await WriteAheadLog.open(dir, 0, { source: { capture: () => ({ state: "null", draws: 0 }) } });
    expect(wal.barrier()).toBeUndefined();
    let appended = false;
    void wal.append(reset(1), 0).then(() => (appended = true));
    const b = wal.barrier();
    expect(b).toBeInstanceOf(Promise);
    await b;
    expect(appended).toBe(true);
    await wal.close();
  });

  it("compaction snapshots the state, empties the log, and appends made meanwhile follow the snapshot", async () => {
    const dir = tempDir();
    let state = 0;
    let late: Promise<void> | undefined;
    const wal = await WriteAheadLog.open(dir, 0, {
      source: {
        capture: () => {
          const captured = { state: JSON.stringify({ n: state }), draws: state };
          // A command that executes while the snapshot is being written must go to the emptied log.
          state++;
          late = wal.append(reset(99), state);
          return captured;
        },
      },
    });
    for (let i = 0; i < 10; i++) {
      state++;
      void wal.append(reset(i), state);
    }
    await wal.compact();
    await late;
    await wal.close();
    const rec = readDataDir(dir);
    expect(rec.snapshot).toEqual({ format: 1, seq: 10, draws: 10, state: { n: 10 } });
    expect(rec.records).toEqual([{ s: 11, d: 11, c: reset(99) }]);
    expect(wal.stats.compactions).toBe(1);
  });

  it("compacts automatically every compactEvery entries", async () => {
    const dir = tempDir();
    const wal = await WriteAheadLog.open(dir, 0, { compactEvery: 5, source: { capture: () => ({ state: "1", draws: 0 }) } });
    for (let i = 0; i < 12; i++) await wal.append(reset(i), 0);
    await wal.compact();
    await wal.close();
    expect(wal.stats.compactions).toBeGreaterThanOrEqual(2);
  });
});

describe("readDataDir", () => {
  it("ignores a torn last line and entries already in the snapshot", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, SNAPSHOT_FILE), JSON.stringify({ format: 1, seq: 2, draws: 5, state: { x: 1 } }));
    const lines = [1, 2, 3, 4].map((s) => JSON.stringify({ s, d: s, c: reset(s) })).join("\n");
    fs.writeFileSync(path.join(dir, LOG_FILE), `${lines}\n{"s":5,"d":5,"c":{"kind":"res`);
    const rec = readDataDir(dir);
    expect(rec.snapshot?.seq).toBe(2);
    expect(rec.records.map((r) => r.s)).toEqual([3, 4]);
    expect(rec.tornLines).toBe(1);
  });

  it("treats zero-filled garbage as torn", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, LOG_FILE), Buffer.concat([Buffer.from(`${JSON.stringify({ s: 1, d: 0, c: reset(1) })}\n`), Buffer.alloc(64)]));
    const rec = readDataDir(dir);
    expect(rec.records).toHaveLength(1);
    expect(rec.tornLines).toBe(1);
  });

  it("refuses a corrupt snapshot with a clear error", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, SNAPSHOT_FILE), "{not json");
    expect(() => readDataDir(dir)).toThrow(/snapshot .* is corrupt/);
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
    const copy = tempDir();
    for (const f of [SNAPSHOT_FILE, LOG_FILE]) fs.copyFileSync(path.join(dir, f), path.join(copy, f));
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
    fs.copyFileSync(path.join(dir, LOG_FILE), path.join(copy, LOG_FILE));
    fs.appendFileSync(path.join(copy, LOG_FILE), '{"s":999,"d":1,"c":{"kind":"call","acc');
    await a.stop();
    const logs: string[] = [];
    const b = await startEmulator({ dataDir: copy, createService: createFakeService, seed: 42, log: (l) => logs.push(l) });
    expect(logs.join("\n")).toMatch(/ignored 1 unreadable log line/);
    expect((await admin(b.url, "GET", "/state")).json).toEqual(before);
    expect((await callV1(b.url, "CreateLiveMessageGroup", { AppId: appId, GroupId: "after" }, key)).status).toBe(200);
    const after = (await admin(b.url, "GET", "/state")).json;
    await b.stop();
    const c = await start(copy);
    expect((await admin(c.url, "GET", "/state")).json).toEqual(after);
    await c.stop();
  });
});
