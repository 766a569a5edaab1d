// The live quota checks of `check` against an in-process emulator (issue 5): App (300 apps per account), Group (5,000
// live groups per app) and SeedMessage (30 message types per group), with the API calls they cost counted.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_CREDENTIALS } from "../../../emulator";
import { createService } from "../../../emulator/service";
import type { LiveMessageService } from "../../../emulator/service/types";
import { LiveClient } from "../../client/live-client";
import { MAX_APPS_PER_ACCOUNT, MAX_LIVE_GROUPS_PER_APP, MAX_MSG_TYPES_PER_GROUP } from "../../limits";
import { CreateLiveMessageApp, CreateLiveMessageGroup, SendLiveMessageGroup } from "../../operations";
import { appHandler } from "../app/handler";
import { getProviderConfig, readProviderConfig, setProviderConfig } from "../config";
import { groupHandler } from "../group/handler";
import { seedMessageHandler } from "../seed-message/handler";
import { startHandlerEnv, type HandlerEnv } from "../test-support/emulator";
import { UNKNOWN } from "../unknown";
import { formatCount, resetQuotaState } from "./quota";

jest.setTimeout(60000);

let env: HandlerEnv;
let client: LiveClient;
/** API calls the emulator executed since the last `calls.clear()`, by action. */
const calls = new Map<string, number>();
const callsOf = (action: string) => calls.get(action) ?? 0;

function countingService(): LiveMessageService {
  const inner = createService();
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === "execute") {
        return (action: string, ...rest: unknown[]) => {
          calls.set(action, callsOf(action) + 1);
          return (target.execute as (...a: unknown[]) => unknown).call(target, action, ...rest);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/** Runs `n` jobs with at most `width` at once. */
async function pool(n: number, width: number, job: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await job(next++);
  }));
}

beforeAll(async () => {
  env = await startHandlerEnv({ createService: countingService });
  client = new LiveClient({ endpoint: env.emu.url, credentials: { ...DEFAULT_CREDENTIALS }, rateLimit: false });
});
afterAll(async () => {
  await client.close();
  await env.stop();
});
beforeEach(() => {
  resetQuotaState();
  calls.clear();
  env.logs.length = 0;
});

it("reads the livemessage:quotaChecks knob (default on)", () => {
  const read = (v: string | undefined) => readProviderConfig((k) => (k === "livemessage:quotaChecks" ? v : undefined), {});
  expect(read(undefined).quotaChecks).toBeUndefined();
  expect(read("false").quotaChecks).toBe(false);
  expect(read("TRUE").quotaChecks).toBe(true);
  expect(() => read("off")).toThrow(/livemessage:quotaChecks must be true \(default\) or false/);
});

it("formats counts with thousands separators", () => {
  expect([0, 12, 999, 1000, 4998, 5000, 1234567].map(formatCount)).toEqual(["0", "12", "999", "1,000", "4,998", "5,000", "1,234,567"]);
});

describe("5,000 live groups per app", () => {
  let appId: string;
  beforeAll(async () => {
    appId = (await CreateLiveMessageApp.invoke(client, { AppName: "crowded" })).AppId;
    await pool(MAX_LIVE_GROUPS_PER_APP - 2, 32, (i) => CreateLiveMessageGroup.invoke(client, { AppId: appId, GroupId: `g${i}` }));
  });

  it("fails exactly the groups beyond the limit, on appId, with the numbers and what to do; one look-up per app", async () => {
    const results = [];
    for (let i = 1; i <= 5; i++) results.push(await groupHandler.check({}, { appId, __resourceName: `new${i}` }));
    expect(results.map((r) => r.failures.length)).toEqual([0, 0, 1, 1, 1]);
    const failure = results[4]!.failures[0]!;
    expect(failure.property).toBe("appId");
    expect(failure.reason).toContain(`app "crowded" (${appId}) has 4,998 live groups; this deployment creates 5 more; the limit is 5,000`);
    expect(failure.reason).toMatch(/Delete groups/);
    expect(results[2]!.failures[0]!.reason).toContain("creates 3 more");
    // The live count is read once (and the app's name once, for the message): a few calls per app, not per group.
    expect(callsOf("ListLiveMessageGroupByPage")).toBe(1);
    expect(callsOf("DescribeLiveMessageApp")).toBe(1);
  });

  it("counts a resource checked twice once, and pinned groupIds by ID", async () => {
    for (let i = 0; i < 3; i++) expect((await groupHandler.check({}, { appId, __resourceName: "same" })).failures).toEqual([]);
    expect((await groupHandler.check({}, { appId, groupId: "pinnedA" })).failures).toEqual([]);
    expect((await groupHandler.check({}, { appId, groupId: "pinnedA" })).failures).toEqual([]);
    expect((await groupHandler.check({}, { appId, groupId: "pinnedB" })).failures.map((f) => f.property)).toEqual(["appId"]);
  });

  it("counts only resources without prior state: updates never fail, replacements do", async () => {
    const olds = (await groupHandler.check({}, { appId, groupName: "a", __resourceName: "r1" })).inputs;
    await groupHandler.check({}, { appId, __resourceName: "r2" });
    // Update of an existing group (olds present): never counted.
    expect((await groupHandler.check(olds, { appId, groupName: "b", __resourceName: "r3" })).failures).toEqual([]);
    // The create half of a replacement (engine: check with empty olds) is a create while the old group still exists.
    expect((await groupHandler.check({}, { appId, groupName: "b", __resourceName: "r3" })).failures.map((f) => f.property)).toEqual(["appId"]);
  });

  it("skips unknown values, invalid input and the disabled knob without any API call", async () => {
    for (let i = 0; i < 5; i++) expect((await groupHandler.check({}, { appId: UNKNOWN, __resourceName: `u${i}` })).failures).toEqual([]);
    expect((await groupHandler.check({}, { appId, groupName: "x".repeat(200), __resourceName: "bad" })).failures.map((f) => f.property)).toEqual(["groupName"]);
    const config = getProviderConfig();
    setProviderConfig({ ...config, quotaChecks: false });
    try {
      for (let i = 0; i < 5; i++) expect((await groupHandler.check({}, { appId, groupId: `off${i}` })).failures).toEqual([]);
    } finally {
      setProviderConfig(config);
    }
    expect([...calls.keys()]).toEqual([]);
  });
});

describe("30 message types per group", () => {
  let appId: string;
  beforeAll(async () => {
    appId = (await CreateLiveMessageApp.invoke(client, { AppName: "types" })).AppId;
    await CreateLiveMessageGroup.invoke(client, { AppId: appId, GroupId: "typed" });
    await env.join(appId, "typed", "u1");
    for (let t = 1; t <= MAX_MSG_TYPES_PER_GROUP - 2; t++) await SendLiveMessageGroup.invoke(client, { AppId: appId, GroupId: "typed", SenderId: "s", MsgType: t });
  });
  const seed = (name: string, msgType: number, groupId = "typed") => seedMessageHandler.check({}, { appId, groupId, senderId: "system", msgType, __resourceName: name });

  it("existing types plus the planned ones: the 31st type fails on msgType, existing types never do", async () => {
    expect((await seed("old", 1)).failures).toEqual([]);
    expect((await seed("new29", 29)).failures).toEqual([]);
    expect((await seed("again29", 29)).failures).toEqual([]); // the same new type twice is one type
    expect((await seed("new30", 30)).failures).toEqual([]);
    const over = await seed("new31", 31);
    expect(over.failures.map((f) => f.property)).toEqual(["msgType"]);
    expect(over.failures[0]!.reason).toContain("group typed has 28 message types; this deployment's seed messages add 3 more (29, 30, 31); the limit is 30");
    expect(over.failures[0]!.reason).toMatch(/existing types for msgType \(1, 2, 3,/);
    expect((await seed("old2", 2)).failures).toEqual([]);
    expect(callsOf("DescribeLiveMessageGroup")).toBe(1);
  });

  it("a group that does not exist yet has no types", async () => {
    for (let t = 1; t <= MAX_MSG_TYPES_PER_GROUP; t++) expect((await seed(`s${t}`, t, "notyet")).failures).toEqual([]);
    expect((await seed("s31", 31, "notyet")).failures.map((f) => f.property)).toEqual(["msgType"]);
  });
});

describe("300 apps per account", () => {
  beforeAll(async () => {
    // Top the account up to the limit, in both data centers (the quota spans them).
    const have = (env.emu.service.snapshot() as { apps: unknown[] }).apps.length;
    await pool(MAX_APPS_PER_ACCOUNT - have, 16, (i) =>
      CreateLiveMessageApp.invoke(client, { AppName: `fill${i}`, DataCenter: i % 3 === 0 ? "ap-southeast-1" : "cn-shanghai" }),
    );
  });

  it("the 301st app fails on appName with the numbers and what to do", async () => {
    const c = await appHandler.check({}, { appName: "onemore" });
    expect(c.failures.map((f) => f.property)).toEqual(["appName"]);
    expect(c.failures[0]!.reason).toContain("the account has 300 LiveMessage apps; this deployment creates 1 more; the limit is 300 apps per account");
    expect(c.failures[0]!.reason).toMatch(/no API to delete an app/);
    // 300 apps are 15 pages of 20 (+1 per data center to see the end) — and only once per process.
    const listCalls = callsOf("ListLiveMessageApps");
    expect(listCalls).toBeGreaterThanOrEqual(15);
    expect(listCalls).toBeLessThanOrEqual(20);
    expect((await appHandler.check({}, { appName: "another" })).failures).toHaveLength(1);
    expect(callsOf("ListLiveMessageApps")).toBe(listCalls);
  });

  it("an update of an existing app is never blocked", async () => {
    const olds = { appName: "exists", dataCenter: "cn-shanghai", msgLifeCycle: 0, auditType: 0, auditUrl: "", eventCallbackUrl: "", disabled: false };
    expect((await appHandler.check(olds, { ...olds, disabled: true })).failures).toEqual([]);
    expect([...calls.keys()]).toEqual([]);
  });
});

describe("a failed look-up skips the check with one warning", () => {
  let server: Server;
  let url: string;
  let requests = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(403, { "content-type": "application/json" });
      res.end(JSON.stringify({ RequestId: "r", Code: "NoAuth", Message: "not allowed" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("does not fail the preview", async () => {
    const config = getProviderConfig();
    setProviderConfig({ ...config, endpoint: url });
    try {
      for (let i = 0; i < 3; i++) expect((await groupHandler.check({}, { appId: "someapp", groupId: `w${i}` })).failures).toEqual([]);
      expect((await appHandler.check({}, { appName: "anapp" })).failures).toEqual([]);
    } finally {
      setProviderConfig(config);
    }
    const warnings = env.logs.filter((l) => l.level === "warn").map((l) => l.message);
    expect(warnings.filter((w) => /5,000-live-groups-per-app quota/.test(w))).toHaveLength(1);
    expect(warnings.filter((w) => /300-apps-per-account quota/.test(w))).toHaveLength(1);
    expect(warnings.join("\n")).toMatch(/NoAuth/);
    expect(requests).toBe(2);
  });
});
