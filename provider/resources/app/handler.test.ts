import { DEFAULT_CREDENTIALS } from "../../../emulator";
import { LiveClient } from "../../client/live-client";
import * as signature from "../../client/signature";
import { CreateLiveMessageApp } from "../../operations";
import { startHandlerEnv, type HandlerEnv } from "../test-support/emulator";
import { UNKNOWN } from "../unknown";
import { appHandler } from "./handler";

// Pass-through, so that one test can make our own code throw inside a call (issue 9, case 6).
jest.mock("../../client/signature", () => {
  const actual = jest.requireActual<typeof import("../../client/signature")>("../../client/signature");
  return { ...actual, signV3: jest.fn(actual.signV3) };
});

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

  /** Apps named `name` in the emulator's state. */
  async function appsNamed(name: string): Promise<string[]> {
    const snapshot = (await env.state()) as { apps: { appId: string; appName: string }[] };
    return snapshot.apps.filter((a) => a.appName === name).map((a) => a.appId);
  }

  /** Another stack's app, made directly with the API. */
  async function foreignApp(name: string): Promise<string> {
    const other = new LiveClient({ endpoint: env.emu.url, credentials: { ...DEFAULT_CREDENTIALS } });
    try {
      return (await CreateLiveMessageApp.invoke(other, { AppName: name })).AppId;
    } finally {
      await other.close();
    }
  }

  // Issue 9, case 3: after a plain server error, create used to adopt "the" app with its name created in the last two
  // minutes — another stack's app. An app that existed before the call began is never ours.
  it("a 5xx before commit with a same-named foreign app present: the foreign app is not taken over, nothing is recorded", async () => {
    const theirs = await foreignApp("shared");
    await env.faults([{ action: "CreateLiveMessageApp", mode: "error", code: "ServiceUnavailable", count: 1 }]);
    const err = await create({ appName: "shared" }).catch((e: unknown) => e);
    await env.faults([]);
    expect(err).toMatchObject({ code: "LIVEMSG_APP_CREATE_UNCONFIRMED" });
    expect((err as Error).message).toMatch(/nothing was created/);
    expect(await appsNamed("shared")).toEqual([theirs]);
    // The next run creates exactly one app of its own.
    const { id } = await create({ appName: "shared" });
    expect(id).not.toBe(theirs);
    expect((await appsNamed("shared")).sort()).toEqual([theirs, id].sort());
  });

  it("every answer lost with a same-named foreign app present: the app this create made is found, the foreign one untouched", async () => {
    const theirs = await foreignApp("shared2");
    await env.faults([{ action: "CreateLiveMessageApp", mode: "drop-after-commit" }]);
    const { id } = await create({ appName: "shared2" });
    await env.faults([]);
    expect(id).not.toBe(theirs);
    expect((await appsNamed("shared2")).sort()).toEqual([theirs, id].sort());
  });

  it("several new candidates: a clear error that lists them and names import; nothing is taken", async () => {
    const c = await appHandler.check({}, { appName: "twins" });
    // Our create's answer is lost; its look for the app it made is slowed down, and in that moment another deployment
    // creates an app with the same name: two new candidates, and no way to tell which one is ours.
    await env.faults([
      { action: "ListLiveMessageApps", mode: "latency", latencyMs: 0, count: 1 },
      { action: "ListLiveMessageApps", mode: "latency", latencyMs: 600, count: 1 },
      { action: "CreateLiveMessageApp", mode: "drop-after-commit", count: 1 },
    ]);
    const ours = appHandler.create(c.inputs).catch((e: unknown) => e);
    while ((await appsNamed("twins")).length === 0) await new Promise((r) => setTimeout(r, 10));
    const theirs = await foreignApp("twins");
    const err = await ours;
    await env.faults([]);
    const named = await appsNamed("twins");
    expect(named).toHaveLength(2);
    expect(err).toMatchObject({ code: "LIVEMSG_APP_CREATE_AMBIGUOUS" });
    expect((err as Error).message).toMatch(/import: "<AppId>"/);
    expect((err as Error).message).toMatch(/dynamic provider cannot import .*App\.get/);
    for (const id of named) expect((err as Error).message).toContain(id);
    expect(named).toContain(theirs);
  });

  // Issue 9, case 6: an exception of our own code used to become LiveNetworkError "unexpected failure", which create
  // took for a lost response — and went looking for an app to adopt.
  it("a bug of ours during the create is reported as a bug, never taken for a lost response", async () => {
    const theirs = await foreignApp("buggy");
    jest.mocked(signature.signV3).mockImplementationOnce(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'length')");
    });
    const c = await appHandler.check({}, { appName: "buggy" });
    jest.mocked(signature.signV3).mockClear();
    // Let the pre-create listing sign normally, and break exactly the CreateLiveMessageApp call.
    const real = jest.requireActual<typeof import("../../client/signature")>("../../client/signature");
    jest.mocked(signature.signV3).mockImplementation((req, id, secret) => {
      if (req.headers["x-acs-action"] === "CreateLiveMessageApp") throw new TypeError("Cannot read properties of undefined (reading 'length')");
      return real.signV3(req, id, secret);
    });
    try {
      const err = await appHandler.create(c.inputs).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: "LiveProviderBugError", code: "LIVEMSG_PROVIDER_BUG" });
      expect((err as Error).message).toMatch(/this is a bug in pulumi-alicloud-livemessage; please report it/);
    } finally {
      jest.mocked(signature.signV3).mockImplementation(real.signV3);
    }
    expect(await appsNamed("buggy")).toEqual([theirs]);
  });
});
