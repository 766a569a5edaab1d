// App and Group through the real Pulumi dynamic-provider process, a program using the SDK, and the emulator
// (issue: "App and Group resources … proven through the real Pulumi provider process"). One stack, ordered steps,
// like a Terraform acceptance test: create+check, update+check, replace, import, destroy.
import { DEFAULT_CREDENTIALS } from "../../emulator";
import { ModifyLiveMessageGroup, DeleteLiveMessageGroup, CreateLiveMessageGroup, DescribeLiveMessageGroup } from "../../provider/operations";
import type { AppSnapshot, GroupSnapshot, StoreSnapshot } from "../../emulator/service/state";
import { isSecret } from "./harness";
import { APP_TYPE, GROUP_TYPE, expectOk, opsOf, startLiveStack, type LiveStack } from "./support";

jest.setTimeout(120000);

let t: LiveStack;

interface GroupDecl {
  name: string;
  app?: string;
  appId?: string;
  args?: Record<string, unknown>;
  opts?: Record<string, unknown>;
}
interface SpecShape {
  lookups?: { appId: string; groupId: string };
  apps: { name: string; args?: Record<string, unknown>; opts?: Record<string, unknown> }[];
  groups: GroupDecl[];
  gets?: { name: string; kind: "app" | "group"; id: string }[];
}

const base = (): SpecShape => ({
  apps: [{ name: "chat", args: { appName: "chat", dataCenter: "cn-shanghai" } }],
  groups: [
    { name: "lobby", app: "chat", args: { groupName: "Lobby", administrators: ["ops1"] } },
    { name: "pinned", app: "chat", args: { groupId: "pinnedroom", groupName: "Pinned", groupInfo: "{}" } },
  ],
});

let spec = base();
const apply = (s: SpecShape) => {
  spec = s;
  t.setSpec(s as unknown as Record<string, unknown>);
};

/** The emulator's view of our app (the service snapshot), without going through the API. */
function liveApp(): AppSnapshot {
  const appId = t.stack.resource("chat")?.id ?? lastAppId;
  const app = (t.emu.service.snapshot() as StoreSnapshot).apps.find((a) => a.appId === appId);
  if (!app) throw new Error(`app ${appId} not in the emulator`);
  return app;
}
let lastAppId = "";
const liveGroup = (groupId: string): GroupSnapshot | undefined => liveApp().groups.find((g) => g.groupId === groupId);

async function describeGroup(groupId: string) {
  const appId = t.stack.resource("chat")!.id!;
  return DescribeLiveMessageGroup.invoke(t.client, { AppId: appId, GroupId: groupId });
}

beforeAll(async () => {
  t = await startLiveStack();
});
afterAll(async () => {
  await t?.dispose();
});

describe("App and Group through the engine protocol", () => {
  it("preview makes no API writes and reports what would be created", async () => {
    apply(base());
    const r = expectOk(await t.stack.preview());
    expect(opsOf(r)).toMatchObject({ chat: "create", lobby: "create", pinned: "create" });
    expect(r.rpcs.some((c) => c.method === "Create" || c.method === "Update")).toBe(false);
    expect(JSON.stringify(t.emu.service.snapshot())).not.toMatch(/pinnedroom|"chat"/);
  });

  it("up creates the app and the groups; outputs and secrets are right", async () => {
    const r = expectOk(await t.stack.up());
    expect(opsOf(r)).toMatchObject({ chat: "create", lobby: "create", pinned: "create" });
    const app = t.stack.resource("chat")!;
    const lobby = t.stack.resource("lobby")!;
    expect(app.type).toBe(APP_TYPE);
    expect(lobby.type).toBe(GROUP_TYPE);
    expect(lobby.id).toBe(`${app.id}/${(lobby.outputs.groupId as string)}`);
    expect(lobby.outputs.groupId).toMatch(/^lobby[a-z0-9]{8}$/);
    expect(t.stack.resource("pinned")!.id).toBe(`${app.id}/pinnedroom`);
    expect(isSecret(app.outputs.appKey)).toBe(true);
    expect(isSecret(app.outputs.appSign)).toBe(true);
    expect(r.outputs.outputs.secret).toBe(true); // the stack output map holds appKey, a secret
    const live = await describeGroup(lobby.outputs.groupId as string);
    expect(live.AdminList).toEqual(["ops1"]);
  });

  it("a second up with the same program changes nothing", async () => {
    const r = expectOk(await t.stack.up());
    expect(Object.values(opsOf(r, GROUP_TYPE)).every((op) => op === "same")).toBe(true);
    expect(opsOf(r, APP_TYPE)).toEqual({ chat: "same" });
    const diffs = r.rpcs.filter((c) => c.method === "Diff");
    expect(diffs.length).toBeGreaterThanOrEqual(3);
    expect(r.rpcs.some((c) => c.method === "Create" || c.method === "Update" || c.method === "Delete")).toBe(false);
  });

  it("the recorded state holds no AccessKeySecret, appKey or appSign in plain text, and each __provider is small", async () => {
    const app = t.stack.resource("chat")!;
    const exported = t.stack.exportState();
    const appKey = (app.outputs.appKey as { value: string }).value;
    const appSign = (app.outputs.appSign as { value: string }).value;
    expect(appKey.length).toBeGreaterThan(8);
    expect(exported).not.toContain(appKey);
    expect(exported).not.toContain(appSign);
    expect(exported).not.toContain(DEFAULT_CREDENTIALS.accessKeySecret);
    for (const res of t.stack.state.resources.filter((x) => x.type === APP_TYPE || x.type === GROUP_TYPE)) {
      expect(res.providerSize).toBeGreaterThan(100);
      expect(res.providerSize).toBeLessThanOrEqual(2048);
      const prov = String(res.inputs.__provider);
      expect(prov).toMatch(/require\("pulumi-alicloud-livemessage\/(dynamic|dist\/sdk\/dynamic)\//);
      expect(prov).not.toContain(DEFAULT_CREDENTIALS.accessKeySecret);
      expect(prov).not.toContain(t.emu.url);
    }
  });

  it("refresh shows out-of-band drift and drops a group deleted outside the stack", async () => {
    const appId = t.stack.resource("chat")!.id!;
    const lobbyId = t.stack.resource("lobby")!.outputs.groupId as string;
    await ModifyLiveMessageGroup.invoke(t.client, { AppId: appId, GroupId: lobbyId, ModifyAdmin: true, AdminList: ["intruder"] });
    await DeleteLiveMessageGroup.invoke(t.client, { AppId: appId, GroupId: "pinnedroom" });
    const r = expectOk(await t.stack.refresh());
    expect(opsOf(r)).toMatchObject({ lobby: "update", pinned: "delete", chat: "same" });
    expect(t.stack.resource("lobby")!.outputs.administrators).toEqual(["intruder"]);
    expect(t.stack.resource("lobby")!.inputs.administrators).toEqual(["intruder"]);
    expect(t.stack.resource("pinned")).toBeUndefined();
  });

  it("the next up puts the drifted group back and explains why the pinned ID cannot be re-created", async () => {
    const r = await t.stack.up();
    expect(opsOf(r).lobby).toBe("update");
    expect((await describeGroup(t.stack.resource("lobby")!.outputs.groupId as string)).AdminList).toEqual(["ops1"]);
    // "pinnedroom" was deleted: its ID can never be reused.
    expect(r.error).toBeDefined();
    const pinnedStep = r.step("pinned");
    expect(pinnedStep?.error ?? r.error).toMatch(/deleted IDs|can never be used again/);
    expect(pinnedStep?.error ?? r.error).toMatch(/recoverDeleted: true/);
  });

  it("recoverDeleted brings the deleted pinned group back", async () => {
    const s = base();
    s.groups[1]!.args = { ...s.groups[1]!.args, recoverDeleted: true };
    apply(s);
    const r = expectOk(await t.stack.up());
    expect(opsOf(r).pinned).toBe("create");
    expect((await describeGroup("pinnedroom")).Delete).toBe(false);
  });

  it("updates in place: administrators, groupInfo, the app's callback URL and disabled flag", async () => {
    const s = structuredClone(spec);
    s.apps[0]!.args = { ...s.apps[0]!.args, eventCallbackUrl: "https://hooks.example.com/live", disabled: true };
    s.groups[0]!.args = { ...s.groups[0]!.args, administrators: ["ops1", "ops2"], groupInfo: "{\"v\":2}" };
    apply(s);
    const preview = expectOk(await t.stack.preview());
    expect(opsOf(preview)).toMatchObject({ chat: "update", lobby: "update" });
    const r = expectOk(await t.stack.up());
    expect(opsOf(r)).toMatchObject({ chat: "update", lobby: "update", pinned: "same" });
    const app = t.stack.resource("chat")!;
    expect(app.outputs).toMatchObject({ eventCallbackUrl: "https://hooks.example.com/live", disabled: true });
    expect(liveApp()).toMatchObject({ eventCallbackUrl: "https://hooks.example.com/live", disable: true });
    const lobby = liveGroup(t.stack.resource("lobby")!.outputs.groupId as string)!;
    expect(lobby.adminList).toEqual(["ops1", "ops2"]);
    expect(lobby.groupInfo).toBe("{\"v\":2}");
    // And back: re-enabling is an update in place too.
    s.apps[0]!.args = { ...s.apps[0]!.args, disabled: false };
    apply(s);
    expect(opsOf(expectOk(await t.stack.up())).chat).toBe("update");
    expect(liveApp().disable).toBe(false);
  });

  it("changing groupName of an autonamed group replaces it, creating the new one before deleting the old", async () => {
    const oldId = t.stack.resource("lobby")!.outputs.groupId as string;
    const s = structuredClone(spec);
    s.groups[0]!.args = { ...s.groups[0]!.args, groupName: "Lobby 2" };
    apply(s);
    const r = expectOk(await t.stack.up());
    expect(r.step("lobby", "replace")).toBeDefined();
    const newId = t.stack.resource("lobby")!.outputs.groupId as string;
    expect(newId).not.toBe(oldId);
    expect(newId).toMatch(/^lobby[a-z0-9]{8}$/);
    const lobbyRpcs = r.rpcs.filter((c) => c.urn?.endsWith("::lobby"));
    const createAt = lobbyRpcs.findIndex((c) => c.method === "Create");
    const deleteAt = lobbyRpcs.findIndex((c) => c.method === "Delete");
    expect(createAt).toBeGreaterThanOrEqual(0);
    expect(deleteAt).toBeGreaterThan(createAt);
    expect((await describeGroup(oldId)).Delete).toBe(true);
    expect((await describeGroup(newId)).GroupName).toBe("Lobby 2");
  });

  it("changing groupName of a pinned group fails the preview with the explanation, and writes nothing", async () => {
    const s = structuredClone(spec);
    s.groups[1]!.args = { ...s.groups[1]!.args, groupName: "Renamed" };
    apply(s);
    const before = JSON.stringify(t.emu.service.snapshot());
    const r = await t.stack.preview();
    expect(r.error).toBeDefined();
    const failure = r.failures.find((f) => f.urn.endsWith("::pinned"));
    expect(failure?.property).toBe("groupName");
    expect(failure?.reason).toMatch(/can never be reused/);
    expect(failure?.reason).toMatch(/choose a new groupId|remove groupId/);
    expect(JSON.stringify(t.emu.service.snapshot())).toBe(before);
    apply({ ...s, groups: [s.groups[0]!, { ...s.groups[1]!, args: { ...s.groups[1]!.args, groupName: "Pinned" } }] });
  });

  it("imports an existing group with opts.import and reads one with Group.get", async () => {
    const appId = t.stack.resource("chat")!.id!;
    await CreateLiveMessageGroup.invoke(t.client, { AppId: appId, GroupId: "outside1", GroupName: "Outside", Administrators: ["x1"] });
    await CreateLiveMessageGroup.invoke(t.client, { AppId: appId, GroupId: "outside2", GroupName: "Other" });
    const s = structuredClone(spec);
    s.groups.push({
      name: "imported",
      app: "chat",
      args: { groupId: "outside1", groupName: "Outside", administrators: ["x1"] },
      opts: { import: `${appId}/outside1` },
    });
    s.gets = [{ name: "got", kind: "group", id: `${appId}/outside2` }];
    apply(s);
    const r = expectOk(await t.stack.up());
    expect(opsOf(r)).toMatchObject({ imported: "import", got: "read" });
    expect(t.stack.resource("imported")!.outputs).toMatchObject({ groupId: "outside1", groupName: "Outside", administrators: ["x1"] });
    expect(t.stack.resource("got")!.outputs).toMatchObject({ groupId: "outside2", groupName: "Other" });
    // Once imported it is managed like any other group.
    s.groups[s.groups.length - 1] = { ...s.groups[s.groups.length - 1]!, opts: {}, args: { groupId: "outside1", groupName: "Outside", administrators: ["x1", "x2"] } };
    apply(s);
    expect(opsOf(expectOk(await t.stack.up())).imported).toBe("update");
  });

  it("getApp, getGroup and listGroups read the service from a program; appKey stays secret", async () => {
    const appId = t.stack.resource("chat")!.id!;
    const lobbyId = t.stack.resource("lobby")!.outputs.groupId as string;
    apply({ ...spec, lookups: { appId, groupId: lobbyId } });
    const r = expectOk(await t.stack.up());
    expect(Object.values(opsOf(r)).every((op) => op === "same" || op === "read")).toBe(true);
    const outs = r.outputs.outputs;
    expect(outs.secret).toBe(true); // the map holds appKey: the whole stack output is secret
    const value = outs.value as Record<string, any>;
    expect(value["lookup.app"]).toMatchObject({ appId, appName: "chat", dataCenter: "cn-shanghai", disabled: false });
    expect(value["lookup.group"]).toMatchObject({ groupId: lobbyId, groupName: "Lobby 2", deleted: false, administrators: ["ops1", "ops2"] });
    const listed = (value["lookup.groups"] as { groupId: string; deleted: boolean }[]).map((g) => g.groupId);
    expect(listed).toEqual(expect.arrayContaining([lobbyId, "pinnedroom", "outside1", "outside2"]));
    expect((value["lookup.groups"] as { deleted: boolean }[]).every((g) => !g.deleted)).toBe(true); // status "live"
    expect(t.stack.exportState()).not.toContain(liveApp().appKey);
    const { lookups: _drop, ...rest } = spec;
    apply(rest);
  });

  it("adopt takes over a group made outside the stack; without it the create fails and names the option", async () => {
    const appId = t.stack.resource("chat")!.id!;
    await CreateLiveMessageGroup.invoke(t.client, { AppId: appId, GroupId: "foreign1", GroupName: "Foreign" });
    const s = structuredClone(spec);
    s.groups.push({ name: "foreign", app: "chat", args: { groupId: "foreign1", groupName: "Foreign", groupInfo: "mine" } });
    apply(s);
    const refused = await t.stack.up();
    expect(refused.error).toBeDefined();
    expect(refused.step("foreign")?.error ?? refused.error).toMatch(/adopt: true/);
    expect(t.stack.resource("foreign")).toBeUndefined();
    s.groups[s.groups.length - 1]!.args = { ...s.groups[s.groups.length - 1]!.args, adopt: true };
    apply(s);
    const r = expectOk(await t.stack.up());
    expect(opsOf(r).foreign).toBe("create");
    expect((await describeGroup("foreign1")).GroupInfo).toBe("mine");
  });

  it("a create whose response is dropped after commit still succeeds once, with no duplicate group", async () => {
    await t.admin("POST", "faults", { rules: [{ action: "CreateLiveMessageGroup", probability: 1, mode: "drop-after-commit", count: 1 }] });
    const s = structuredClone(spec);
    s.groups.push({ name: "flaky", app: "chat", args: { groupId: "flaky1", groupName: "Flaky", administrators: ["a1"] } });
    apply(s);
    const r = expectOk(await t.stack.up());
    await t.admin("DELETE", "faults");
    expect(opsOf(r).flaky).toBe("create");
    expect(t.stack.resource("flaky")!.outputs).toMatchObject({ groupId: "flaky1", administrators: ["a1"] });
    expect(liveApp().groups.filter((g) => g.groupId === "flaky1")).toHaveLength(1);
    expect(liveApp().groups.filter((g) => g.groupName === "Flaky")).toHaveLength(1);
  });

  it("destroy deletes every group and disables the app, with a warning about retainOnDelete", async () => {
    lastAppId = t.stack.resource("chat")!.id!;
    const managed = t.stack.state.resources.filter((x) => x.type === GROUP_TYPE && !x.external).map((x) => x.outputs.groupId as string);
    expect(managed.length).toBeGreaterThanOrEqual(4);
    const r = expectOk(await t.stack.destroy());
    expect(t.stack.state.resources.filter((x) => x.type === GROUP_TYPE || x.type === APP_TYPE)).toEqual([]);
    for (const g of managed) expect(liveGroup(g)?.deleted).toBe(true);
    expect(liveGroup("outside2")?.deleted).toBe(false); // read with Group.get: not ours to delete
    expect(liveApp().disable).toBe(true);
    expect(r.logsMatching(/disabled, not deleted/).length).toBeGreaterThan(0);
    expect(r.logsMatching(/retainOnDelete/).length).toBeGreaterThan(0);
    expect(JSON.stringify(r.logs)).not.toContain(DEFAULT_CREDENTIALS.accessKeySecret);
  });
});
