// The quota checks of `check` through the real Pulumi dynamic-provider process (issue 5): a preview fails early —
// with the numbers and what to do — for an app at 4,998 groups with 5 planned, for a 31st message type and for the
// 301st app, each without any API write; the `livemessage:quotaChecks` knob turns them off; refresh and destroy
// are never blocked.
import { LiveClient } from "../../provider";
import { DEFAULT_CREDENTIALS } from "../../emulator";
import { MAX_APPS_PER_ACCOUNT, MAX_LIVE_GROUPS_PER_APP, MAX_MSG_TYPES_PER_GROUP } from "../../provider/limits";
import { CreateLiveMessageApp, CreateLiveMessageGroup, SendLiveMessageGroup } from "../../provider/operations";
import type { StoreSnapshot } from "../../emulator/service/state";
import { APP_TYPE, GROUP_TYPE, SEED_TYPE, expectOk, opsOf, startLiveStack, type LiveStack } from "./support";

jest.setTimeout(180000);

let t: LiveStack;
/** Setup client: no client-side rate limit (the emulator runs with throttle: false). */
let fast: LiveClient;
let crowded = "";
let typed = "";

const mine = { name: "mine", args: { appName: "mine" } };
const snapshot = () => JSON.stringify(t.emu.service.snapshot());
const appCount = () => (t.emu.service.snapshot() as StoreSnapshot).apps.length;

/** Runs `n` jobs with at most `width` at once. */
async function pool(n: number, width: number, job: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await job(next++);
  }));
}

beforeAll(async () => {
  t = await startLiveStack({ emulator: { throttle: false } });
  fast = new LiveClient({ endpoint: t.emu.url, credentials: { ...DEFAULT_CREDENTIALS }, rateLimit: false });
  // The stack's own app, created through the engine.
  t.setSpec({ apps: [mine] });
  expectOk(await t.stack.up());
  // An app at 4,998 live groups, and a group with 28 message types — made outside the stack.
  crowded = (await CreateLiveMessageApp.invoke(fast, { AppName: "crowded" })).AppId;
  await pool(MAX_LIVE_GROUPS_PER_APP - 2, 32, (i) => CreateLiveMessageGroup.invoke(fast, { AppId: crowded, GroupId: `g${i}` }));
  typed = (await CreateLiveMessageApp.invoke(fast, { AppName: "typed" })).AppId;
  await CreateLiveMessageGroup.invoke(fast, { AppId: typed, GroupId: "typed1" });
  await t.admin("POST", `apps/${typed}/groups/typed1/members`, { userId: "viewer1" });
  for (let type = 1; type <= MAX_MSG_TYPES_PER_GROUP - 2; type++) {
    await SendLiveMessageGroup.invoke(fast, { AppId: typed, GroupId: "typed1", SenderId: "s", MsgType: type });
  }
});
afterAll(async () => {
  await fast?.close();
  await t?.dispose();
});

describe("quota checks in preview", () => {
  it("2 more groups fit in an app at 4,998", async () => {
    t.setSpec({ apps: [mine], groups: [1, 2].map((i) => ({ name: `room${i}`, appId: crowded })) });
    const r = expectOk(await t.stack.preview());
    expect(opsOf(r, GROUP_TYPE)).toEqual({ room1: "create", room2: "create" });
  });

  it("5 more do not: the 3 over the limit fail on appId with the numbers and what to do, with no API write", async () => {
    t.setSpec({ apps: [mine], groups: [1, 2, 3, 4, 5].map((i) => ({ name: `room${i}`, appId: crowded })) });
    const before = snapshot();
    const r = await t.stack.preview();
    expect(r.error).toBeDefined();
    expect(r.failures.map((f) => f.urn.split("::").pop()).sort()).toEqual(["room3", "room4", "room5"]);
    for (const f of r.failures) expect(f.property).toBe("appId");
    const last = r.failures.find((f) => f.urn.endsWith("::room5"))!;
    expect(last.reason).toContain(`app "crowded" (${crowded}) has 4,998 live groups; this deployment creates 5 more; the limit is 5,000 live groups per app`);
    expect(last.reason).toMatch(/Delete groups the app no longer needs/);
    expect(snapshot()).toBe(before);
  });

  it("a 31st message type fails on msgType; a type the group already has does not", async () => {
    const seed = (name: string, msgType: number) => ({ name, appId: typed, args: { groupId: "typed1", senderId: "system", msgType } });
    t.setSpec({ apps: [mine], seeds: [seed("old1", 1), seed("new29", 29), seed("new30", 30), seed("new31", 31), seed("old2", 2)] });
    const before = snapshot();
    const r = await t.stack.preview();
    expect(r.error).toBeDefined();
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]!.urn).toMatch(/::new31$/);
    expect(r.failures[0]!.urn).toContain(SEED_TYPE);
    expect(r.failures[0]!.property).toBe("msgType");
    expect(r.failures[0]!.reason).toContain("group typed1 has 28 message types; this deployment's seed messages add 3 more (29, 30, 31); the limit is 30");
    expect(snapshot()).toBe(before);
  });

  it("the 301st app fails on appName, with no API write; the existing app is untouched", async () => {
    await pool(MAX_APPS_PER_ACCOUNT - appCount(), 16, (i) =>
      CreateLiveMessageApp.invoke(fast, { AppName: `fill${i}`, DataCenter: i % 4 === 0 ? "ap-southeast-1" : "cn-shanghai" }),
    );
    expect(appCount()).toBe(MAX_APPS_PER_ACCOUNT);
    t.setSpec({ apps: [mine, { name: "extra", args: { appName: "extra" } }] });
    const before = snapshot();
    const r = await t.stack.preview();
    expect(r.error).toBeDefined();
    expect(r.failures).toEqual([
      expect.objectContaining({ property: "appName", reason: expect.stringContaining("the account has 300 LiveMessage apps; this deployment creates 1 more; the limit is 300 apps per account") }),
    ]);
    expect(r.failures[0]!.urn).toMatch(/::extra$/);
    expect(opsOf(r, APP_TYPE).mine).toBe("same");
    expect(snapshot()).toBe(before);
  });

  it("livemessage:quotaChecks false turns the live checks off (the service still enforces the quota on create)", async () => {
    t.stack.setConfig("livemessage:quotaChecks", "false");
    try {
      const r = expectOk(await t.stack.preview());
      expect(opsOf(r, APP_TYPE)).toEqual({ mine: "same", extra: "create" });
      const up = await t.stack.up();
      expect(up.step("extra")?.error ?? up.error).toMatch(/ErrorTooManyApps/);
    } finally {
      t.stack.removeConfig("livemessage:quotaChecks");
    }
  });

  it("refresh and destroy are never blocked by a quota", async () => {
    expectOk(await t.stack.refresh());
    expectOk(await t.stack.destroy());
    expect(t.stack.state.resources.filter((x) => x.type === APP_TYPE)).toEqual([]);
  });
});
