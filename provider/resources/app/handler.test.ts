import { startHandlerEnv, type HandlerEnv } from "../test-support/emulator";
import { UNKNOWN } from "../unknown";
import { appHandler } from "./handler";

let env: HandlerEnv;
beforeAll(async () => {
  env = await startHandlerEnv();
});
afterAll(() => env.stop());

async function create(news: Record<string, unknown>) {
  const c = await appHandler.check({}, news);
  expect(c.failures).toEqual([]);
  return appHandler.create(c.inputs);
}

describe("check", () => {
  it("fills defaults", async () => {
    const c = await appHandler.check({}, { appName: "chat" });
    expect(c.failures).toEqual([]);
    expect(c.inputs).toEqual({ appName: "chat", dataCenter: "cn-shanghai", msgLifeCycle: 0, auditType: 0, auditUrl: "", eventCallbackUrl: "", disabled: false });
  });

  it("reports each invalid field on its property", async () => {
    const c = await appHandler.check({}, {
      appName: "x",
      dataCenter: "mars-1",
      msgLifeCycle: 3,
      auditType: 9,
      eventCallbackUrl: "http://10.0.0.1/hook",
      disabled: "no",
    });
    expect(c.failures.map((f) => f.property).sort()).toEqual(["appName", "auditType", "dataCenter", "disabled", "eventCallbackUrl", "msgLifeCycle"]);
    expect(c.failures.find((f) => f.property === "eventCallbackUrl")!.reason).toMatch(/private/);
  });

  it("requires auditUrl for custom moderation, and only then", async () => {
    expect((await appHandler.check({}, { appName: "ab", auditType: 2 })).failures).toEqual([
      expect.objectContaining({ property: "auditUrl", reason: expect.stringMatching(/required when auditType is 2/) }),
    ]);
    expect((await appHandler.check({}, { appName: "ab", auditType: 1, auditUrl: "https://example.com/a" })).failures).toEqual([
      expect.objectContaining({ property: "auditUrl" }),
    ]);
    expect((await appHandler.check({}, { appName: "ab", auditType: 2, auditUrl: "https://example.com/a" })).failures).toEqual([]);
    expect((await appHandler.check({}, { appName: "ab", auditType: 2, auditUrl: UNKNOWN })).failures).toEqual([]);
  });

  it("counts characters, not bytes, for appName", async () => {
    expect((await appHandler.check({}, { appName: "聊天室聊天室聊天室聊天室聊天室聊" })).failures).toEqual([]);
    expect((await appHandler.check({}, { appName: "聊天室聊天室聊天室聊天室聊天室聊天" })).failures).toHaveLength(1);
  });
});

describe("diff", () => {
  const olds = { appId: "a", appName: "chat", dataCenter: "cn-shanghai", msgLifeCycle: 0, auditType: 0, auditUrl: "", eventCallbackUrl: "", disabled: false, appKey: "k" };
  it("classifies changes", async () => {
    expect(await appHandler.diff("a", olds, { appName: "chat" })).toEqual({ changes: false, replaces: [] });
    expect(await appHandler.diff("a", olds, { appName: "chat", disabled: true })).toEqual({ changes: true, replaces: [] });
    expect(await appHandler.diff("a", olds, { appName: "chat2" })).toEqual({ changes: true, replaces: ["appName"] });
    expect(await appHandler.diff("a", olds, { appName: "chat", msgLifeCycle: UNKNOWN })).toEqual({ changes: true, replaces: ["msgLifeCycle"] });
  });
});

describe("lifecycle against the emulator", () => {
  it("creates with secrets and timestamps, updates in place, disables on delete with a warning", async () => {
    const { id, outs } = await create({ appName: "chat", eventCallbackUrl: "https://example.com/events" });
    expect(outs).toMatchObject({ appId: id, appName: "chat", eventCallbackUrl: "https://example.com/events", disabled: false });
    expect(outs.appKey).toEqual(expect.any(String));
    expect(outs.appSign).toEqual(expect.any(String));
    expect(outs.createTime).toEqual(expect.any(Number));

    const upd = await appHandler.update(id, outs, {
      appName: "chat", dataCenter: "cn-shanghai", msgLifeCycle: 0, auditType: 2, auditUrl: "https://example.com/audit",
      eventCallbackUrl: "", disabled: true,
    });
    expect(upd.outs).toMatchObject({ auditType: 2, auditUrl: "https://example.com/audit", eventCallbackUrl: "", disabled: true });

    // Re-enable and change moderation in one update (the app must be enabled before it can be modified).
    const again = await appHandler.update(id, upd.outs, { ...upd.outs, disabled: false, auditType: 1, auditUrl: "" });
    expect(again.outs).toMatchObject({ auditType: 1, auditUrl: "", disabled: false });

    const read = await appHandler.read(id, again.outs);
    expect(read.id).toBe(id);
    expect(read.inputs).toMatchObject({ appName: "chat", auditType: 1, disabled: false });

    await appHandler.delete(id, again.outs);
    expect(env.logs.some((l) => l.level === "warn" && /disabled, not deleted/.test(l.message) && /retainOnDelete/.test(l.message))).toBe(true);
    expect((await appHandler.read(id, again.outs)).props).toMatchObject({ disabled: true });
  });

  it("creates disabled apps and apps in the other data center; import finds them by id", async () => {
    const { id, outs } = await create({ appName: "sg", dataCenter: "ap-southeast-1", disabled: true, msgLifeCycle: 2 });
    expect(outs).toMatchObject({ dataCenter: "ap-southeast-1", disabled: true, msgLifeCycle: 2 });
    const imported = await appHandler.read(id, {});
    expect(imported.props).toMatchObject({ appId: id, dataCenter: "ap-southeast-1" });
  });

  it("read of an unknown app returns no id", async () => {
    expect((await appHandler.read("doesnotexist", {})).id).toBe("");
  });

  it("a CreateLiveMessageApp whose response is lost adopts the app it made instead of making two", async () => {
    await env.faults([{ action: "CreateLiveMessageApp", probability: 1, mode: "drop-after-commit", count: 1 }]);
    const { id, outs } = await create({ appName: "lostapp" });
    expect(outs).toMatchObject({ appId: id, appName: "lostapp" });
    const snapshot = JSON.stringify(await env.state());
    expect(snapshot.split('"lostapp"').length - 1).toBe(1); // exactly one app of that name
  });
});
