// Regression tests of issue 9 ("No orphan, no takeover, no duplicate: the lifecycle under every fault"), each named
// after the case it pins, through the real program, the SDK and the dynamic-provider process (TestStack), with the
// emulator's fault injection. The fault matrix (fault-matrix.test.ts) covers the same ground row by row.
import { CreateLiveMessageApp, CreateLiveMessageGroup, ListLiveMessageGroupMessages } from "../../provider/operations";
import type { StoreSnapshot } from "../../emulator/service/state";
import { TestStack } from "./harness";
import { DEFAULT_CREDENTIALS } from "../../emulator";
import { APP_TYPE, GROUP_TYPE, PROGRAM, REPO_ROOT, SEED_TYPE, expectOk, opsOf, startLiveStack, type LiveStack } from "./support";

jest.setTimeout(180_000);

let t: LiveStack;
beforeAll(async () => {
  t = await startLiveStack();
});
afterAll(async () => {
  await t?.dispose();
});
afterEach(async () => {
  await t.admin("DELETE", "faults");
});

const snapshot = (): StoreSnapshot => t.emu.service.snapshot() as StoreSnapshot;
const liveGroups = (appId: string, groupName: string) =>
  snapshot().apps.find((a) => a.appId === appId)!.groups.filter((g) => g.groupName === groupName && !g.deleted);
const appsNamed = (appName: string) => snapshot().apps.filter((a) => a.appName === appName);
async function listed(appId: string, groupId: string): Promise<{ tid: string; body: string }[]> {
  const res = await ListLiveMessageGroupMessages.invoke(t.client, { AppId: appId, GroupId: groupId, PageSize: 50, SortType: 1 });
  return (res.MessageList ?? []).map((m) => ({ tid: m.MsgTid ?? "", body: m.Body ?? "" }));
}
async function hostApp(name: string): Promise<string> {
  return (await CreateLiveMessageApp.invoke(t.client, { AppName: name })).AppId;
}
async function activeRoom(appId: string, groupId: string): Promise<void> {
  await CreateLiveMessageGroup.invoke(t.client, { AppId: appId, GroupId: groupId });
  await t.admin("POST", `apps/${appId}/groups/${groupId}/members`, { userId: "viewer1" });
}

describe("issue 9 regressions through the provider process", () => {
  it.each([
    ["generated", {}],
    ["pinned", { groupId: "everylost1" }],
  ])("case 1: every response of CreateLiveMessageGroup lost (%s groupId) — the group is recorded once, the next up is a no-op", async (what, idArgs) => {
    const appId = await hostApp(`case1${what}`.slice(0, 16));
    t.setSpec({ groups: [{ name: `lost${what}`, appId, args: { groupName: "Lost", administrators: ["ops1"], ...idArgs } }] });
    await t.admin("POST", "faults", { rules: [{ action: "CreateLiveMessageGroup", mode: "drop-after-commit", count: 20 }] });
    const first = expectOk(await t.stack.up());
    await t.admin("DELETE", "faults");
    expect(opsOf(first, GROUP_TYPE)).toEqual({ [`lost${what}`]: "create" });
    const groups = liveGroups(appId, "Lost");
    expect(groups).toHaveLength(1);
    expect(t.stack.resource(`lost${what}`)!.id).toBe(`${appId}/${groups[0]!.groupId}`);
    expect(opsOf(expectOk(await t.stack.up()), GROUP_TYPE)).toEqual({ [`lost${what}`]: "same" });
    expect(liveGroups(appId, "Lost")).toHaveLength(1);
    t.setSpec({});
    expectOk(await t.stack.up());
  });

  it("case 2: a lost response then a failed read-back records the desired inputs — the next up updates, never replaces", async () => {
    const appId = await hostApp("case2");
    t.setSpec({ groups: [{ name: "kept", appId, args: { groupName: "Kept", administrators: ["ops1", "ops2"], groupInfo: "{}" } }] });
    await t.admin("POST", "faults", {
      rules: [
        { action: "CreateLiveMessageGroup", mode: "drop-after-commit", count: 1 },
        { action: "DescribeLiveMessageGroup", mode: "error", code: "ServiceUnavailable" },
      ],
    });
    const first = await t.stack.up();
    await t.admin("DELETE", "faults");
    expect(first.error).toBeDefined();
    const recorded = t.stack.resource("kept")!;
    expect(recorded.initErrors?.length).toBeGreaterThan(0);
    expect(recorded.outputs).toMatchObject({ groupName: "Kept", administrators: ["ops1", "ops2"], groupInfo: "{}" });
    const second = expectOk(await t.stack.up());
    expect(opsOf(second, GROUP_TYPE)).toEqual({ kept: "update" });
    expect(t.stack.resource("kept")!.id).toBe(recorded.id);
    expect(liveGroups(appId, "Kept")).toHaveLength(1);
    t.setSpec({});
    expectOk(await t.stack.up());
  });

  it("case 3: a 5xx before commit with a same-named foreign app present — no takeover; the next up makes this stack's own app", async () => {
    const theirs = await hostApp("shared");
    t.setSpec({ apps: [{ name: "mine", args: { appName: "shared" } }] });
    await t.admin("POST", "faults", { rules: [{ action: "CreateLiveMessageApp", mode: "error", code: "ServiceUnavailable", count: 1 }] });
    const first = await t.stack.up();
    await t.admin("DELETE", "faults");
    expect(first.error).toMatch(/nothing was created/);
    expect(t.stack.resource("mine", APP_TYPE)).toBeUndefined();
    expect(appsNamed("shared").map((a) => a.appId)).toEqual([theirs]);
    expectOk(await t.stack.up());
    const mine = t.stack.resource("mine", APP_TYPE)!.id!;
    expect(mine).not.toBe(theirs);
    expect(appsNamed("shared").map((a) => a.appId).sort()).toEqual([theirs, mine].sort());
    expect(snapshot().apps.find((a) => a.appId === theirs)!.disable).toBe(false);
    t.setSpec({});
    expectOk(await t.stack.up());
  });

  it("case 4: seed content A → B → A sends three messages with three msgTids; the last one is delivered and stays", async () => {
    const appId = await hostApp("case4");
    await activeRoom(appId, "abaroom");
    const seed = (body: string) => t.setSpec({ seeds: [{ name: "aba", appId, args: { groupId: "abaroom", senderId: "system", body } }] });
    const tids: string[] = [];
    for (const body of ["A", "B", "A"]) {
      seed(body);
      expectOk(await t.stack.up());
      const out = t.stack.resource("aba", SEED_TYPE)!.outputs;
      expect(out).toMatchObject({ delivered: true, body });
      tids.push(out.msgTid as string);
      // Each revision is stored under its own msgTid, and the replaced one is deleted.
      expect(await listed(appId, "abaroom")).toEqual([{ tid: out.msgTid, body }]);
    }
    expect(new Set(tids).size).toBe(3);
    const refreshed = expectOk(await t.stack.refresh());
    expect(refreshed.steps.find((s) => s.name === "aba")?.op).toBe("same");
    expect(t.stack.resource("aba", SEED_TYPE)!.id).toBe(`${appId}/abaroom/${tids[2]}`);
    t.setSpec({});
    expectOk(await t.stack.up());
  });

  it("case 4: two stacks sending the same content to the same group each own their message; destroying one leaves the other", async () => {
    const appId = await hostApp("case4b");
    await activeRoom(appId, "tworoom");
    const spec = { seeds: [{ name: "welcome", appId, args: { groupId: "tworoom", senderId: "system", body: "Welcome!", msgType: 1 } }] };
    const other = await TestStack.create({
      programDir: PROGRAM,
      stack: "other",
      config: { "livemessage:endpoint": t.emu.url, "livemessage:accessKeyId": DEFAULT_CREDENTIALS.accessKeyId },
      secretConfig: { "livemessage:accessKeySecret": DEFAULT_CREDENTIALS.accessKeySecret },
      packages: { "pulumi-alicloud-livemessage": REPO_ROOT },
    });
    try {
      t.setSpec(spec);
      other.setProgramEnv({ LM_SPEC: JSON.stringify(spec) });
      expectOk(await t.stack.up());
      expectOk(await other.up());
      const mine = t.stack.resource("welcome", SEED_TYPE)!.outputs.msgTid as string;
      const theirs = other.resource("welcome", SEED_TYPE)!.outputs.msgTid as string;
      expect(mine).not.toBe(theirs);
      expect((await listed(appId, "tworoom")).map((m) => m.tid).sort()).toEqual([mine, theirs].sort());
      expectOk(await other.destroy());
      expect((await listed(appId, "tworoom")).map((m) => m.tid)).toEqual([mine]);
      const refreshed = expectOk(await t.stack.refresh());
      expect(refreshed.steps.find((s) => s.name === "welcome")?.op).toBe("same");
    } finally {
      await other.dispose();
    }
    t.setSpec({});
    expectOk(await t.stack.up());
  });
});
