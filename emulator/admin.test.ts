import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { request } from "undici";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator, type EmulatorOptions } from "./server";
import { admin, callV1 } from "./test-support/client";
import { createFakeService } from "./test-support/fake-service";

const key = DEFAULT_CREDENTIALS;

function start(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ seed: 5, throttle: false, createService: createFakeService, ...options });
}

async function appWithGroup(emu: Emulator, groupId = "g1"): Promise<string> {
  const appId = (await callV1(emu.url, "CreateLiveMessageApp", {}, key)).json.AppId as string;
  expect((await callV1(emu.url, "CreateLiveMessageGroup", { AppId: appId, GroupId: groupId }, key)).status).toBe(200);
  return appId;
}

describe("admin endpoints", () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await start();
  });
  afterEach(() => emu.stop());

  it("GET health describes the emulator", async () => {
    const r = await admin(emu.url, "GET", "/health");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      status: "ok",
      durable: false,
      throttle: false,
      verifySignatures: true,
      seed: 5,
      accounts: [{ accessKeyId: key.accessKeyId, accountId: emu.credentials[0]!.accountId }],
    });
    expect(r.json.memory.rss).toBeGreaterThan(0);
    expect(r.text).not.toContain(key.accessKeySecret);
  });

  it("GET state dumps the service snapshot; POST reset forgets everything", async () => {
    const appId = await appWithGroup(emu);
    const state = await admin(emu.url, "GET", "/state");
    expect(state.json).toEqual(emu.service.snapshot());
    expect(Object.keys(state.json.apps)).toEqual([appId]);
    expect((await admin(emu.url, "POST", "/reset")).json).toEqual({ reset: true });
    expect((await admin(emu.url, "GET", "/state")).json).toEqual({ apps: {} });
  });

  it("members join and leave groups, which makes SendLiveMessageGroup possible", async () => {
    const appId = await appWithGroup(emu);
    const send = () => callV1(emu.url, "SendLiveMessageGroup", { AppId: appId, GroupId: "g1", SenderId: "s1", Body: "hi" }, key);
    expect((await send()).status).toBe(400);
    const joined = await admin(emu.url, "POST", `/apps/${appId}/groups/g1/members`, { userId: "u1", userInfo: "nick" });
    expect(joined.status).toBe(200);
    expect(joined.json).toEqual({ appId, groupId: "g1", userId: "u1", joined: true });
    expect((await admin(emu.url, "GET", "/state")).json.apps[appId].groups.g1.members).toEqual({ u1: "nick" });
    expect((await send()).status).toBe(200);
    const left = await admin(emu.url, "DELETE", `/apps/${appId}/groups/g1/members/u1`);
    expect(left.json).toEqual({ appId, groupId: "g1", userId: "u1", left: true });
    expect((await send()).status).toBe(400);
  });

  it("membership validation: unknown group, bad userId, bad JSON, unknown fields", async () => {
    const appId = await appWithGroup(emu);
    const missing = await admin(emu.url, "POST", `/apps/${appId}/groups/nope/members`, { userId: "u1" });
    expect([missing.status, missing.json.Code]).toEqual([404, "ResourceNotExist"]);
    const badId = await admin(emu.url, "POST", `/apps/${appId}/groups/g1/members`, { userId: "not valid!" });
    expect([badId.status, badId.json.Code]).toEqual([400, "InvalidAdminRequest"]);
    expect(badId.json.Message).toMatch(/userId/);
    const badJson = await admin(emu.url, "POST", `/apps/${appId}/groups/g1/members`, "{oops");
    expect([badJson.status, badJson.json.Code]).toEqual([400, "InvalidAdminRequest"]);
    const extra = await admin(emu.url, "POST", `/apps/${appId}/groups/g1/members`, { userId: "u1", role: "x" });
    expect(extra.json.Message).toMatch(/role/);
  });

  it("unknown admin endpoints are 404, and admin paths are not API actions", async () => {
    const r = await admin(emu.url, "GET", "/nothing");
    expect([r.status, r.json.Code]).toEqual([404, "AdminEndpointNotFound"]);
    const wrongMethod = await admin(emu.url, "DELETE", "/state");
    expect(wrongMethod.status).toBe(404);
    const asAction = await callV1(emu.url, "_emulator/reset", {}, key);
    expect(asAction.json.Code).toBe("InvalidAction.NotFound");
  });

  it("POST /compact in memory mode says so", async () => {
    expect((await admin(emu.url, "POST", "/compact")).json).toEqual({ compacted: false, reason: "memory mode (no dataDir)" });
  });
});

describe("fault injection", () => {
  it("validates rules with a clear 400 and lists the active ones", async () => {
    const emu = await start();
    try {
      const bad = await admin(emu.url, "POST", "/faults", { rules: [{ action: "CreateLiveMessageGroup", mode: "error", probability: 2 }] });
      expect([bad.status, bad.json.Code]).toEqual([400, "InvalidAdminRequest"]);
      expect(bad.json.Message).toMatch(/rules\[0\]\.probability/);
      const notJson = await admin(emu.url, "POST", "/faults", "nope");
      expect(notJson.status).toBe(400);
      const set = await admin(emu.url, "POST", "/faults", { rules: [{ action: "*", mode: "latency", latencyMs: 1, count: 3 }] });
      expect(set.json.rules).toEqual([{ action: "*", probability: 1, mode: "latency", code: "ServiceUnavailable", status: 503, latencyMs: 1, count: 3, remaining: 3, fired: 0 }]);
      expect((await admin(emu.url, "GET", "/faults")).json.rules).toHaveLength(1);
      expect((await admin(emu.url, "DELETE", "/faults")).json).toEqual({ rules: [] });
      expect((await admin(emu.url, "GET", "/faults")).json.rules).toEqual([]);
    } finally {
      await emu.stop();
    }
  });

  it("error mode answers the code and status without executing; DELETE clears", async () => {
    const emu = await start();
    try {
      const appId = await appWithGroup(emu);
      await admin(emu.url, "POST", "/faults", {
        rules: [{ action: "CreateLiveMessageGroup", probability: 1, mode: "error", code: "ServiceUnavailable", status: 503 }],
      });
      const r = await callV1(emu.url, "CreateLiveMessageGroup", { AppId: appId, GroupId: "g2" }, key);
      expect([r.status, r.json.Code]).toEqual([503, "ServiceUnavailable"]);
      expect(Object.keys((await admin(emu.url, "GET", "/state")).json.apps[appId].groups)).toEqual(["g1"]);
      // Other actions are unaffected.
      expect((await callV1(emu.url, "DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }, key)).status).toBe(200);
      await admin(emu.url, "DELETE", "/faults");
      expect((await callV1(emu.url, "CreateLiveMessageGroup", { AppId: appId, GroupId: "g2" }, key)).status).toBe(200);
    } finally {
      await emu.stop();
    }
  });

  it("count limits how often a rule applies", async () => {
    const emu = await start();
    try {
      const appId = await appWithGroup(emu);
      await admin(emu.url, "POST", "/faults", { rules: [{ action: "*", mode: "error", code: "InternalError", count: 2 }] });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await callV1(emu.url, "DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }, key)).status);
      expect(statuses).toEqual([500, 500, 200, 200]);
    } finally {
      await emu.stop();
    }
  });

  it("probabilistic faults are reproducible from the seed", async () => {
    async function run(seed: number): Promise<number[]> {
      const emu = await start({ seed });
      try {
        const appId = await appWithGroup(emu);
        await admin(emu.url, "POST", "/faults", { rules: [{ action: "DescribeLiveMessageGroup", mode: "error", probability: 0.5 }] });
        const statuses: number[] = [];
        for (let i = 0; i < 30; i++) statuses.push((await callV1(emu.url, "DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }, key)).status);
        return statuses;
      } finally {
        await emu.stop();
      }
    }
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(a).toContain(503);
    expect(a).toContain(200);
    expect(await run(12)).not.toEqual(a);
  });

  it("latency mode delays the response, then executes normally", async () => {
    const emu = await start();
    try {
      const appId = await appWithGroup(emu);
      await admin(emu.url, "POST", "/faults", { rules: [{ action: "CreateLiveMessageGroup", mode: "latency", latencyMs: 150 }] });
      const t = process.hrtime.bigint();
      const r = await callV1(emu.url, "CreateLiveMessageGroup", { AppId: appId, GroupId: "slow" }, key);
      const elapsedMs = Number(process.hrtime.bigint() - t) / 1e6;
      expect(r.status).toBe(200);
      expect(r.json.GroupId).toBe("slow");
      expect(elapsedMs).toBeGreaterThanOrEqual(140);
    } finally {
      await emu.stop();
    }
  });

  it("drop-after-commit: the client sees a socket error, the mutation is committed and durable", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lm-drop-"));
    try {
      const emu = await start({ dataDir });
      let appId: string;
      try {
        appId = await appWithGroup(emu);
        await admin(emu.url, "POST", "/faults", { rules: [{ action: "CreateLiveMessageGroup", mode: "drop-after-commit", count: 1 }] });
        await expect(callV1(emu.url, "CreateLiveMessageGroup", { AppId: appId, GroupId: "dropped" }, key)).rejects.toThrow(/other side closed|socket|ECONNRESET/i);
        expect(Object.keys((await admin(emu.url, "GET", "/state")).json.apps[appId].groups)).toEqual(["g1", "dropped"]);
        // A retry of the create finds it (the idempotency case the provider must handle).
        const retry = await callV1(emu.url, "CreateLiveMessageGroup", { AppId: appId, GroupId: "dropped" }, key);
        expect(retry.json).toMatchObject({ GroupId: "dropped", AlreadyExists: true });
      } finally {
        await emu.stop();
      }
      const again = await start({ dataDir });
      try {
        expect(Object.keys((await admin(again.url, "GET", "/state")).json.apps[appId].groups)).toContain("dropped");
      } finally {
        await again.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("faults never touch admin endpoints", async () => {
    const emu = await start();
    try {
      await admin(emu.url, "POST", "/faults", { rules: [{ action: "*", mode: "error" }] });
      const r = await request(`${emu.url}/_emulator/health`);
      expect(r.statusCode).toBe(200);
      await r.body.dump();
    } finally {
      await emu.stop();
    }
  });
});
