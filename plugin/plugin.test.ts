// The native plugin over the engine's gRPC protocol: the real executable (plugin/bin/pulumi-resource-livemessage →
// dist/plugin/main.js) driven RPC by RPC, against an emulator — what the real CLI cannot show deterministically:
// random seeds, secret wrappers, previews, Read with only an id, partial failures, several credentials.
import * as fs from "node:fs";
import * as path from "node:path";
import { request } from "undici";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "../emulator";
import { ensureBuilt } from "../test/engine/support";
import { PluginProcess, urnOf, type RpcFailure } from "./test-support/plugin-process";
import { SECRET_SIG, SIG_KEY, UNKNOWN, isSecret } from "./wire";

jest.setTimeout(60_000);

const APP = "livemessage:index:App";
const GROUP = "livemessage:index:Group";
const SEED = "livemessage:index:SeedMessage";
const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
const seed = (n: number) => new Uint8Array(32).fill(n);
const ROOT = path.resolve(__dirname, "..");

let emu: Emulator;
let plugin: PluginProcess;
let appId: string;
let appOuts: Record<string, unknown>;

const config = () => ({
  endpoint: emu.url,
  accessKeyId: DEFAULT_CREDENTIALS.accessKeyId,
  accessKeySecret: secret(DEFAULT_CREDENTIALS.accessKeySecret),
});

async function createApp(name: string, news: Record<string, unknown> = {}) {
  const checked = await plugin.check(urnOf(APP, name), {}, news, seed(1));
  expect(checked.failures).toEqual([]);
  return plugin.create(urnOf(APP, name), checked.inputs);
}

beforeAll(async () => {
  ensureBuilt();
  emu = await startEmulator({ port: 0, throttle: false, seed: 11 });
  plugin = await PluginProcess.start();
  expect(await plugin.configure(config())).toEqual({ acceptSecrets: true, supportsPreview: true });
  const app = await createApp("chat");
  appId = app.id;
  appOuts = app.properties;
});

afterAll(async () => {
  await plugin?.stop();
  await emu?.stop();
});

describe("plugin information", () => {
  it("reports the package version and serves schema.json", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(await plugin.pluginInfo()).toBe(pkg.version);
    expect(await plugin.schema()).toBe(fs.readFileSync(path.join(ROOT, "schema.json"), "utf8"));
  });
});

describe("provider configuration", () => {
  it("CheckConfig keeps the secrets secret, even when sent in plain text, and accepts JSON-typed values", async () => {
    const r = await plugin.checkConfig({ endpoint: emu.url, accessKeyId: "id", accessKeySecret: "plain", securityToken: "tok", quotaChecks: "false", version: "0.1.0" });
    expect(r.failures).toEqual([]);
    expect(r.inputs.accessKeySecret).toEqual(secret("plain"));
    expect(r.inputs.securityToken).toEqual(secret("tok"));
    expect(r.inputs.endpoint).toBe(emu.url);
    expect((await plugin.checkConfig({ quotaChecks: true, region: "ap-southeast-1" })).failures).toEqual([]);
  });

  it("CheckConfig reports each bad key on its property, with what is allowed", async () => {
    const r = await plugin.checkConfig({ endpoint: "ftp://x", region: "eu-west-1", signatureVersion: "v2", quotaChecks: "maybe", accessKeyId: "id", endpiont: "x" });
    const by = Object.fromEntries(r.failures.map((f) => [f.property, f.reason]));
    expect(Object.keys(by).sort()).toEqual(["accessKeySecret", "endpiont", "endpoint", "quotaChecks", "region", "signatureVersion"]);
    expect(by.endpoint).toMatch(/http\(s\) URL/);
    expect(by.region).toMatch(/cn-shanghai, ap-southeast-1/);
    expect(by.endpiont).toMatch(/unknown configuration key livemessage:endpiont; the accepted keys are livemessage:endpoint/);
    expect(by.accessKeySecret).toMatch(/must be set too/);
    // Unknown values (an explicit provider configured from another resource's output) are not judged in a preview.
    expect((await plugin.checkConfig({ endpoint: UNKNOWN })).failures).toEqual([]);
  });

  it("DiffConfig: a changed key updates the provider in place, never replaces", async () => {
    const d = await plugin.diffConfig({ endpoint: "http://a", accessKeySecret: secret("s1") }, { endpoint: "http://b", accessKeySecret: secret("s2") });
    expect(d).toMatchObject({ changes: "some", replaces: [], detailedDiff: { endpoint: "update", accessKeySecret: "update" } });
    expect((await plugin.diffConfig({ endpoint: "http://a", version: "1" }, { endpoint: "http://a", version: "2" })).changes).toBe("none");
  });

  it("Configure with invalid values fails naming the key", async () => {
    const other = await PluginProcess.start();
    try {
      await expect(other.configure({ region: "mars-1" })).rejects.toMatchObject({ details: expect.stringMatching(/livemessage:region must be one of/) });
    } finally {
      await other.stop();
    }
  });
});

describe("Check", () => {
  it("generates groupId as the first candidate the app never held, whatever the seed: a preview and the update agree without a plan; an update keeps it; a replacement gets the next", async () => {
    const urn = urnOf(GROUP, "lobby");
    const a = await plugin.check(urn, {}, { appId }, seed(7));
    const b = await plugin.check(urn, {}, { appId }, seed(8));
    expect(a.failures).toEqual([]);
    expect(a.inputs.groupId).toMatch(/^lobby[a-z0-9]{8}$/);
    // Two deployments (`pulumi preview`, then `pulumi up`) get two seeds: the ID must not depend on them.
    expect(b.inputs.groupId).toBe(a.inputs.groupId);
    // An update keeps the generated ID.
    expect((await plugin.check(urn, a.inputs, { appId, groupInfo: "x" }, seed(9))).inputs.groupId).toBe(a.inputs.groupId);
    // A replacement is checked (without olds) while the old group exists: the next candidate.
    const created = await plugin.create(urn, a.inputs);
    expect(created.id).toBe(`${appId}/${a.inputs.groupId}`);
    const replacement = await plugin.check(urn, {}, { appId }, seed(9));
    expect(replacement.inputs.groupId).toMatch(/^lobby[a-z0-9]{8}$/);
    expect(replacement.inputs.groupId).not.toBe(a.inputs.groupId);
  });

  it("does on the provider side what the dynamic SDK does in the program: resource name, default appName", async () => {
    const r = await plugin.check(urnOf(APP, "support-desk-of-the-company"), {}, {}, seed(1));
    expect(r.inputs).toMatchObject({ appName: "support-desk-of-", __resourceName: "support-desk-of-the-company", dataCenter: "cn-shanghai" });
    expect((await plugin.check(urnOf(APP, "x"), {}, {}, seed(1))).inputs.appName).toBeUndefined();
  });

  it("reports bad input as failures on the property, skips unknowns, and keeps secret inputs secret", async () => {
    const bad = await plugin.check(urnOf(GROUP, "bad"), {}, { appId, administrators: ["a", "b", "c", "d"], groupName: "x".repeat(200) }, seed(1));
    expect(bad.failures.map((f) => f.property).sort()).toEqual(["administrators", "groupName"]);
    const unknown = await plugin.check(urnOf(GROUP, "later"), {}, { appId: UNKNOWN, groupInfo: secret("classified") }, seed(1));
    expect(unknown.failures).toEqual([]);
    expect(unknown.inputs.appId).toBe(UNKNOWN);
    expect(unknown.inputs.groupInfo).toEqual(secret("classified"));
  });
});

describe("lifecycle", () => {
  it("App: appKey and appSign are secret outputs; appId is an output and the id", () => {
    expect(appOuts.appId).toBe(appId);
    expect(isSecret(appOuts.appKey)).toBe(true);
    expect(isSecret(appOuts.appSign)).toBe(true);
    expect(appOuts.appName).toBe("chat");
  });

  it("Create in a preview answers the inputs, with the computed outputs unknown, and creates nothing", async () => {
    const urn = urnOf(APP, "planned");
    const checked = await plugin.check(urn, {}, {}, seed(2));
    const r = await plugin.create(urn, checked.inputs, true);
    expect(r.id).toBe("");
    expect(r.properties).toMatchObject({ appName: "planned", appId: UNKNOWN, appKey: UNKNOWN, createTime: UNKNOWN });
    const listed = (await plugin.invoke("livemessage:index:getApp", { appId: "nope0000" }).catch((e: RpcFailure) => e)) as RpcFailure;
    expect(listed.details).toMatch(/not found/);
  });

  it("Group: create, detailed diff with stables, update preview and update, refresh, delete", async () => {
    const urn = urnOf(GROUP, "room");
    const checked = await plugin.check(urn, {}, { appId, groupName: "Room", administrators: ["a1", "a2"], groupInfo: secret("s3cret") }, seed(3));
    const created = await plugin.create(urn, checked.inputs);
    expect(created.id).toBe(`${appId}/${checked.inputs.groupId}`);
    expect(created.properties.groupInfo).toEqual(secret("s3cret")); // a secret input stays secret in the outputs
    expect(created.properties.createTime).toEqual(expect.any(Number));

    const same = await plugin.check(urn, checked.inputs, { appId, groupName: "Room", administrators: ["a2", "a1"], groupInfo: secret("s3cret") }, seed(4));
    expect((await plugin.diff(urn, created.id, created.properties, same.inputs)).changes).toBe("none"); // a set: order is no change

    const upd = await plugin.check(urn, checked.inputs, { appId, groupName: "Room", administrators: ["a1"], groupInfo: secret("s3cret") }, seed(4));
    const diff = await plugin.diff(urn, created.id, created.properties, upd.inputs);
    expect(diff).toMatchObject({ changes: "some", replaces: [], detailedDiff: { administrators: "update" }, hasDetailedDiff: true });
    expect(diff.stables).toEqual(expect.arrayContaining(["appId", "groupId", "groupName", "createTime"]));

    const preview = await plugin.update(urn, created.id, created.properties, upd.inputs, true);
    expect(preview).toMatchObject({ administrators: ["a1"], createTime: created.properties.createTime, onlineUserCounts: UNKNOWN });
    const updated = await plugin.update(urn, created.id, created.properties, upd.inputs);
    expect(updated.administrators).toEqual(["a1"]);
    expect(updated.groupInfo).toEqual(secret("s3cret"));

    const rename = await plugin.check(urn, upd.inputs, { appId, groupName: "Hall" }, seed(5));
    const replace = await plugin.diff(urn, created.id, updated, rename.inputs);
    expect(replace).toMatchObject({ changes: "some", replaces: ["groupName"], deleteBeforeReplace: false, stables: [] });
    expect(replace.detailedDiff.groupName).toBe("update-replace");

    const refreshed = await plugin.read(urn, created.id, updated, upd.inputs);
    expect(refreshed.id).toBe(created.id);
    expect(refreshed.properties.groupInfo).toEqual(secret("s3cret"));
    expect(refreshed.inputs.groupInfo).toEqual(secret("s3cret"));

    await plugin.delete(urn, created.id, updated);
    expect((await plugin.read(urn, created.id, updated, upd.inputs)).id).toBe("");
    await plugin.delete(urn, created.id, updated); // already gone: success
  });

  it("Read with only an id (pulumi import) returns the live object, its inputs without the defaults", async () => {
    const urn = urnOf(GROUP, "adopted");
    const checked = await plugin.check(urn, {}, { appId, groupId: "legacy1", groupName: "Legacy", administrators: ["ops1"] }, seed(6));
    await plugin.create(urn, checked.inputs);
    const imported = await plugin.read(urnOf(GROUP, "legacy"), `${appId}/legacy1`);
    expect(imported.id).toBe(`${appId}/legacy1`);
    expect(imported.inputs).toEqual({ appId, groupId: "legacy1", groupName: "Legacy", administrators: ["ops1"] });
    expect(imported.properties).toMatchObject({ groupInfo: "", dataCenter: "cn-shanghai", createTime: expect.any(Number) });
    const app = await plugin.read(urnOf(APP, "old"), appId);
    expect(app.inputs).toEqual({ appName: "chat" });
    expect(isSecret(app.properties.appKey)).toBe(true);
    expect((await plugin.read(urnOf(GROUP, "none"), `${appId}/missing1`)).id).toBe("");
  });

  it("SeedMessage: a deferred message is due again on every diff, without a detailed diff", async () => {
    const g = await plugin.check(urnOf(GROUP, "quiet"), {}, { appId }, seed(10));
    const group = await plugin.create(urnOf(GROUP, "quiet"), g.inputs);
    const urn = urnOf(SEED, "hello");
    const checked = await plugin.check(urn, {}, { appId, groupId: g.inputs.groupId, senderId: "system", body: "hi", whenInactive: "defer" }, seed(1));
    expect(checked.inputs.msgTid).toMatch(/^seed[a-z0-9]{60}$/);
    // Generated from the engine's seed like a groupId: the same in a preview and the update that follows its plan.
    const again = await plugin.check(urn, {}, { appId, groupId: g.inputs.groupId, senderId: "system", body: "hi", whenInactive: "defer" }, seed(1));
    expect(again.inputs.msgTid).toBe(checked.inputs.msgTid);
    const other = await plugin.check(urn, {}, { appId, groupId: g.inputs.groupId, senderId: "system", body: "hi", whenInactive: "defer" }, seed(2));
    expect(other.inputs.msgTid).not.toBe(checked.inputs.msgTid);
    const created = await plugin.create(urn, checked.inputs);
    expect(created.properties.delivered).toBe(false);
    const diff = await plugin.diff(urn, created.id, created.properties, checked.inputs);
    expect(diff).toMatchObject({ changes: "some", replaces: [], hasDetailedDiff: false });
    expect(group.id).toContain(appId);
  });

  it("SeedMessage: a sent message is imported by <appId>/<groupId>/<msgTid>", async () => {
    const g = await plugin.check(urnOf(GROUP, "busy"), {}, { appId }, seed(12));
    await plugin.create(urnOf(GROUP, "busy"), g.inputs);
    await request(`${emu.url}/_emulator/apps/${appId}/groups/${String(g.inputs.groupId)}/members`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: "viewer1" }),
    });
    const urn = urnOf(SEED, "notice");
    const checked = await plugin.check(urn, {}, { appId, groupId: g.inputs.groupId, senderId: "system", body: "rules", msgType: 2 }, seed(1));
    const sent = await plugin.create(urn, checked.inputs);
    expect(sent.properties.delivered).toBe(true);
    const imported = await plugin.read(urnOf(SEED, "adopted"), sent.id);
    expect(imported.id).toBe(sent.id);
    expect(imported.inputs).toEqual({ appId, groupId: g.inputs.groupId, senderId: "system", body: "rules", msgType: 2, msgTid: checked.inputs.msgTid });
  });

  it("a create that succeeded remotely but failed later is a partial failure carrying the id and outputs", async () => {
    const urn = urnOf(APP, "halfway");
    const checked = await plugin.check(urn, {}, { disabled: true }, seed(1));
    await request(`${emu.url}/_emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rules: [{ action: "ModifyLiveMessageAppDisable", mode: "error", code: "Forbidden", status: 403, count: 1 }] }),
    });
    const e = (await plugin.create(urn, checked.inputs).catch((x: RpcFailure) => x)) as RpcFailure;
    const init = PluginProcess.initFailure(e);
    expect(init?.id).toMatch(/^[a-z0-9]{8}$/);
    expect(init?.properties.appName).toBe("halfway");
    expect(isSecret(init?.properties.appKey)).toBe(true);
    expect(init?.reasons[0]).toMatch(/was created, but applying its settings failed/);
  });
});

describe("functions", () => {
  it("getApp (appKey/appSign secret), getGroup, listGroups", async () => {
    const app = await plugin.invoke("livemessage:index:getApp", { appId });
    expect(app.failures).toEqual([]);
    expect(app.result).toMatchObject({ appId, appName: "chat", dataCenter: "cn-shanghai" });
    expect(isSecret(app.result.appKey)).toBe(true);
    const list = await plugin.invoke("livemessage:index:listGroups", { appId, status: "live" });
    const groups = list.result.groups as { groupId: string }[];
    expect(groups.map((g) => g.groupId)).toContain("legacy1");
    const group = await plugin.invoke("livemessage:index:getGroup", { appId, groupId: "legacy1" });
    expect(group.result).toMatchObject({ groupName: "Legacy", administrators: ["ops1"], deleted: false });
  });

  it("bad arguments are failures on the argument", async () => {
    const r = await plugin.invoke("livemessage:index:listGroups", { status: "some" });
    expect(r.failures.map((f) => f.property).sort()).toEqual(["appId", "status"]);
  });
});

describe("several accounts", () => {
  it("two plugin processes with different credentials manage two accounts", async () => {
    const second = { accessKeyId: "second-account-key", accessKeySecret: "second-account-secret" };
    const two = await startEmulator({ port: 0, throttle: false, credentials: [DEFAULT_CREDENTIALS, second] });
    const p1 = await PluginProcess.start();
    const p2 = await PluginProcess.start();
    try {
      await p1.configure({ endpoint: two.url, accessKeyId: DEFAULT_CREDENTIALS.accessKeyId, accessKeySecret: secret(DEFAULT_CREDENTIALS.accessKeySecret) });
      await p2.configure({ endpoint: two.url, accessKeyId: second.accessKeyId, accessKeySecret: secret(second.accessKeySecret) });
      const a1 = await p1.create(urnOf(APP, "one"), (await p1.check(urnOf(APP, "one"), {}, {}, seed(1))).inputs);
      const a2 = await p2.create(urnOf(APP, "two"), (await p2.check(urnOf(APP, "two"), {}, {}, seed(1))).inputs);
      // Each account sees its own app only.
      expect((await p1.read(urnOf(APP, "x"), a2.id)).id).toBe("");
      expect((await p2.read(urnOf(APP, "x"), a1.id)).id).toBe("");
      expect((await p2.read(urnOf(APP, "x"), a2.id)).id).toBe(a2.id);
    } finally {
      await p1.stop();
      await p2.stop();
      await two.stop();
    }
  });
});

describe("Cancel", () => {
  it("refuses further work after the engine cancelled", async () => {
    const p = await PluginProcess.start();
    try {
      await p.configure(config());
      await p.cancel();
      await expect(p.check(urnOf(APP, "late"), {}, {}, seed(1))).rejects.toMatchObject({ details: expect.stringMatching(/cancelled/) });
    } finally {
      await p.stop();
    }
  });
});
