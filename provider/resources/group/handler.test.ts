import { appHandler } from "../app/handler";
import { ResourceError, ResourceInitError } from "../errors";
import { startHandlerEnv, type HandlerEnv } from "../test-support/emulator";
import { UNKNOWN } from "../unknown";
import { autonameGroupId, groupHandler, parseGroupResourceId } from "./handler";

let env: HandlerEnv;
let appId: string;

beforeAll(async () => {
  env = await startHandlerEnv();
  const checked = await appHandler.check({}, { appName: "grouptests" });
  appId = (await appHandler.create(checked.inputs)).id;
});
afterAll(() => env.stop());

/** Check, then create while `rules` are in force; the create's error, if any, is returned rather than thrown. */
async function createUnderFaults(rules: unknown[], news: Record<string, unknown>) {
  const checked = await groupHandler.check({}, news);
  await env.faults(rules);
  try {
    return { checked, err: await groupHandler.create(checked.inputs).then(() => undefined, (e: unknown) => e) };
  } finally {
    await env.faults([]);
  }
}

async function checkAndCreate(news: Record<string, unknown>) {
  const c = await groupHandler.check({}, news);
  expect(c.failures).toEqual([]);
  return { inputs: c.inputs, ...(await groupHandler.create(c.inputs)) };
}

describe("check", () => {
  it("fills defaults and generates a groupId from the resource name, the same in every check until it is taken", async () => {
    const first = await groupHandler.check({}, { appId, __resourceName: "my-lobby!" });
    expect(first.failures).toEqual([]);
    expect(first.inputs).toMatchObject({ groupName: "", groupInfo: "", administrators: [], creatorId: "", adopt: false, recoverDeleted: false, dataCenter: "cn-shanghai" });
    expect(first.inputs.groupId).toMatch(/^mylobby[a-z0-9]{8}$/);
    expect(first.inputs.groupId).toBe(autonameGroupId("my-lobby!", 0));
    expect(first.inputs.__defaults).toEqual(["groupId"]);
    // A preview and the update that follows check the same new resource: the same ID (no randomSeed needed).
    expect((await groupHandler.check({}, { appId, __resourceName: "my-lobby!" })).inputs.groupId).toBe(first.inputs.groupId);
    const created = await groupHandler.create(first.inputs);
    const again = await groupHandler.check(first.inputs, { appId, __resourceName: "my-lobby!", groupInfo: "x" });
    expect(again.inputs.groupId).toBe(first.inputs.groupId);
    // A replacement: the engine calls check again with empty olds; the old group still exists -> the next candidate.
    const replacement = await groupHandler.check({}, { appId, __resourceName: "my-lobby!" });
    expect(replacement.inputs.groupId).toBe(autonameGroupId("my-lobby!", 1));
    // Deleted IDs are never reused: after a destroy, a new group of that name gets yet another ID.
    await groupHandler.delete(created.id, created.outs);
    const second = await groupHandler.create(replacement.inputs);
    await groupHandler.delete(second.id, second.outs);
    expect((await groupHandler.check({}, { appId, __resourceName: "my-lobby!" })).inputs.groupId).toBe(autonameGroupId("my-lobby!", 2));
    // Before the app exists (a preview of a program that creates it), the first candidate: the app cannot hold it yet.
    expect((await groupHandler.check({}, { appId: UNKNOWN, __resourceName: "my-lobby!" })).inputs.groupId).toBe(autonameGroupId("my-lobby!", 0));
  });

  it("keeps generated IDs within 64 bytes", () => {
    expect(autonameGroupId("x".repeat(200))).toHaveLength(64);
    expect(autonameGroupId("中文")).toMatch(/^group[a-z0-9]{8}$/);
  });

  it("reports every limit on the property path", async () => {
    const c = await groupHandler.check({}, {
      appId,
      groupId: "bad id",
      groupName: "n".repeat(129),
      groupInfo: "i".repeat(32 * 1024 + 1),
      administrators: ["a", "b", "c", "d"],
      creatorId: "x".repeat(65),
      dataCenter: "eu-west-1",
      adopt: "yes",
      typo: 1,
    });
    const props = c.failures.map((f) => f.property).sort();
    expect(props).toEqual(["administrators", "adopt", "creatorId", "dataCenter", "groupId", "groupInfo", "groupName", "typo"]);
    for (const f of c.failures) expect(f.reason.length).toBeGreaterThan(10);
  });

  it("points at the offending administrator", async () => {
    const c = await groupHandler.check({}, { appId, administrators: ["ok1", "not ok"] });
    expect(c.failures.map((f) => f.property)).toEqual(["administrators[1]"]);
  });

  it("skips unknown values in preview", async () => {
    const c = await groupHandler.check({}, { appId: UNKNOWN, groupName: UNKNOWN, administrators: [UNKNOWN] });
    expect(c.failures).toEqual([]);
  });

  it("fails the preview when a pinned group would have to be replaced", async () => {
    const olds = (await groupHandler.check({}, { appId, groupId: "pinned1", groupName: "A" })).inputs;
    const c = await groupHandler.check(olds, { appId, groupId: "pinned1", groupName: "B" });
    expect(c.failures).toHaveLength(1);
    expect(c.failures[0]!.property).toBe("groupName");
    expect(c.failures[0]!.reason).toMatch(/can never be reused/);
    expect(c.failures[0]!.reason).toMatch(/choose a new groupId|remove groupId/);
    // Choosing a new ID, or going back to autonaming, is a normal replacement.
    expect((await groupHandler.check(olds, { appId, groupId: "pinned2", groupName: "B" })).failures).toEqual([]);
    expect((await groupHandler.check(olds, { appId, groupName: "B", __resourceName: "x" })).failures).toEqual([]);
    // Unknown in preview: no failure (the diff says replace; check at apply time decides).
    expect((await groupHandler.check(olds, { appId, groupId: "pinned1", groupName: UNKNOWN })).failures).toEqual([]);
  });
});

describe("diff", () => {
  const olds = { appId: "a", groupId: "g", groupName: "n", groupInfo: "", administrators: ["x", "y"], creatorId: "", dataCenter: "cn-shanghai", adopt: false, recoverDeleted: false, onlineUserCounts: 3 };
  it("no change, administrators compared as a set, counters ignored", async () => {
    expect(await groupHandler.diff("a/g", olds, { ...olds, administrators: ["y", "x"], onlineUserCounts: 99 })).toEqual({ changes: false, replaces: [] });
  });
  it("update in place vs replace", async () => {
    // An in-place update names the outputs it leaves alone (Pulumi's `stables`).
    expect(await groupHandler.diff("a/g", olds, { ...olds, groupInfo: "i" })).toEqual({
      changes: true,
      replaces: [],
      stables: ["appId", "groupId", "createTime", "superLargeGroup"],
    });
    expect(await groupHandler.diff("a/g", olds, { ...olds, groupName: "m" })).toEqual({ changes: true, replaces: ["groupName"] });
    expect(await groupHandler.diff("a/g", olds, { ...olds, appId: UNKNOWN })).toEqual({ changes: true, replaces: ["appId"] });
  });
});

describe("lifecycle against the emulator", () => {
  it("creates, reads, updates in place and deletes", async () => {
    const { id, outs } = await checkAndCreate({ appId, groupId: "life1", groupName: "Life", administrators: ["ops1"], groupInfo: "{}" });
    expect(id).toBe(`${appId}/life1`);
    expect(outs).toMatchObject({ appId, groupId: "life1", groupName: "Life", administrators: ["ops1"], groupInfo: "{}", superLargeGroup: false });
    expect(typeof outs.createTime).toBe("number");
    for (const v of Object.values(outs)) expect(v).not.toBeUndefined();

    const upd = await groupHandler.update(id, outs, { ...outs, administrators: ["ops1", "ops2"], groupInfo: "{\"a\":1}" });
    expect(upd.outs).toMatchObject({ administrators: ["ops1", "ops2"], groupInfo: "{\"a\":1}" });

    const read = await groupHandler.read(id, upd.outs);
    expect(read.id).toBe(id);
    expect(read.inputs).toMatchObject({ appId, groupId: "life1", administrators: ["ops1", "ops2"], groupInfo: "{\"a\":1}" });

    await groupHandler.delete(id, upd.outs);
    expect((await groupHandler.read(id, upd.outs)).id).toBe("");
    // Deleting again (already gone) succeeds.
    await groupHandler.delete(id, upd.outs);
  });

  it("imports by id alone (no data center known)", async () => {
    const { id } = await checkAndCreate({ appId, groupId: "imp1", groupName: "Imp" });
    const read = await groupHandler.read(id, {});
    expect(read.props).toMatchObject({ appId, groupId: "imp1", groupName: "Imp", dataCenter: "cn-shanghai" });
    expect(parseGroupResourceId(id)).toEqual({ appId, groupId: "imp1" });
  });

  it("refuses somebody else's group unless adopt is set, then takes it over", async () => {
    await checkAndCreate({ appId, groupId: "theirs1", groupName: "T", administrators: ["a1"] });
    const c = await groupHandler.check({}, { appId, groupId: "theirs1", groupName: "T" });
    await expect(groupHandler.create(c.inputs)).rejects.toThrow(/adopt: true/);
    const adopted = await groupHandler.create({ ...c.inputs, adopt: true, administrators: ["b1"] });
    expect(adopted.outs).toMatchObject({ administrators: ["b1"], adopt: true });
  });

  it("explains deleted IDs, and recovers them when asked", async () => {
    const { id, inputs } = await checkAndCreate({ appId, groupId: "gone1", groupName: "G" });
    await groupHandler.delete(id, inputs);
    const err = await groupHandler.create(inputs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceError);
    expect((err as Error).message).toMatch(/can never be used again/);
    expect((err as Error).message).toMatch(/recoverDeleted: true/);
    const recovered = await groupHandler.create({ ...inputs, recoverDeleted: true });
    expect(recovered.id).toBe(id);
    expect((await groupHandler.read(id, recovered.outs)).id).toBe(id);
  });

  it("a recovered group whose name differs is recorded, not orphaned", async () => {
    const { id, inputs } = await checkAndCreate({ appId, groupId: "gone2", groupName: "Old" });
    await groupHandler.delete(id, inputs);
    const err = await groupHandler.create({ ...inputs, groupName: "New", recoverDeleted: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceInitError);
    expect((err as ResourceInitError).id).toBe(id);
    expect((err as ResourceInitError).properties).toMatchObject({ groupName: "Old" });
  });

  it("a create whose response is lost is retried and taken over, with no duplicate", async () => {
    await env.faults([{ action: "CreateLiveMessageGroup", probability: 1, mode: "drop-after-commit", count: 1 }]);
    const { id, outs } = await checkAndCreate({ appId, groupId: "lost1", groupName: "Lost", administrators: ["ops1"] });
    expect(id).toBe(`${appId}/lost1`);
    expect(outs).toMatchObject({ groupName: "Lost", administrators: ["ops1"] });
  });

  // Issue 9, case 1: every response of CreateLiveMessageGroup lost. The groupId is known before the first attempt, so
  // the create reads the group back and knows it is its own — autonamed or pinned.
  it.each([
    ["a generated groupId", { __resourceName: "allLost" }],
    ["a pinned groupId", { groupId: "alllost2" }],
  ])("every response of the create lost (%s): the group is found and is ours, exactly one", async (what, idArgs) => {
    const groupName = `AllLost ${what}`;
    await env.faults([{ action: "CreateLiveMessageGroup", mode: "drop-after-commit" }]);
    try {
      const { id, outs, inputs } = await checkAndCreate({ appId, groupName, administrators: ["ops1"], ...idArgs });
      expect(id).toBe(`${appId}/${String(inputs.groupId)}`);
      expect(outs).toMatchObject({ groupName, administrators: ["ops1"] });
      expect(outs.createTime).toBeGreaterThan(0);
    } finally {
      await env.faults([]);
    }
    const snapshot = (await env.state()) as { apps: { appId: string; groups: { groupName: string }[] }[] };
    expect(snapshot.apps.find((a) => a.appId === appId)!.groups.filter((g) => g.groupName === groupName)).toHaveLength(1);
  });

  // Issue 9, case 2: a lost response and then a failed read-back used to record placeholders (groupName "",
  // administrators []), so the next diff replaced the group and lost its ID.
  it("a lost response then a failed read-back records the desired inputs; the next update confirms it, no replacement", async () => {
    const { checked, err } = await createUnderFaults(
      [
        { action: "CreateLiveMessageGroup", mode: "drop-after-commit", count: 1 },
        { action: "DescribeLiveMessageGroup", mode: "error", code: "ServiceUnavailable" },
      ],
      { appId, groupName: "Kept", administrators: ["ops1", "ops2"], groupInfo: "{}", __resourceName: "kept" },
    );
    expect(err).toBeInstanceOf(ResourceInitError);
    const recorded = err as ResourceInitError;
    expect(recorded.id).toBe(`${appId}/${String(checked.inputs.groupId)}`);
    expect(recorded.properties).toMatchObject({ groupName: "Kept", administrators: ["ops1", "ops2"], groupInfo: "{}", createTime: 0 });
    expect(recorded.message).toMatch(/recorded in the stack/);
    // The engine's next `up`: check with the old inputs, diff against the recorded outputs, then the (empty) update.
    const again = await groupHandler.check(checked.inputs, { appId, groupName: "Kept", administrators: ["ops1", "ops2"], groupInfo: "{}", __resourceName: "kept" });
    expect(again.inputs.groupId).toBe(checked.inputs.groupId);
    expect(await groupHandler.diff(recorded.id, recorded.properties, again.inputs)).toEqual({ changes: false, replaces: [] });
    const updated = await groupHandler.update(recorded.id, recorded.properties, again.inputs);
    expect(updated.outs).toMatchObject({ groupId: checked.inputs.groupId, groupName: "Kept" });
    expect(updated.outs.createTime).toBeGreaterThan(0);
  });

  it("a create that never reached the service stays recorded as unconfirmed; the next update creates it", async () => {
    // A 5xx may come after the service acted, so it too leaves the create unconfirmed; here nothing was executed.
    const { checked, err } = await createUnderFaults(
      [
        { action: "CreateLiveMessageGroup", mode: "error", code: "ServiceUnavailable" },
        { action: "DescribeLiveMessageGroup", mode: "error", code: "ServiceUnavailable" },
      ],
      { appId, groupName: "Later", __resourceName: "later" },
    );
    expect(err).toBeInstanceOf(ResourceInitError);
    const recorded = err as ResourceInitError;
    // A refresh in between keeps the unconfirmed record instead of dropping its ID.
    expect((await groupHandler.read(recorded.id, recorded.properties)).id).toBe(recorded.id);
    const updated = await groupHandler.update(recorded.id, recorded.properties, checked.inputs);
    expect(updated.outs).toMatchObject({ groupId: checked.inputs.groupId, groupName: "Later" });
    expect(updated.outs.createTime).toBeGreaterThan(0);
  });

  it("a pinned groupId held by somebody else is never taken over, even when our create's response is lost", async () => {
    await checkAndCreate({ appId, groupId: "foreign1", groupName: "Theirs", administrators: ["them"] });
    await env.faults([{ action: "CreateLiveMessageGroup", mode: "drop-after-commit", count: 1 }]);
    try {
      const c = await groupHandler.check({}, { appId, groupId: "foreign1", groupName: "Theirs", administrators: ["us"] });
      await expect(groupHandler.create(c.inputs)).rejects.toMatchObject({ code: "LIVEMSG_GROUP_ALREADY_EXISTS" });
    } finally {
      await env.faults([]);
    }
    const snapshot = (await env.state()) as { apps: { appId: string; groups: { groupId: string; adminList: string[] }[] }[] };
    expect(snapshot.apps.find((a) => a.appId === appId)!.groups.find((g) => g.groupId === "foreign1")!.adminList).toEqual(["them"]);
  });

  it("update of a group deleted out of band says what to do", async () => {
    const { id, outs } = await checkAndCreate({ appId, groupId: "oob1" });
    await groupHandler.delete(id, outs);
    await expect(groupHandler.update(id, outs, { ...outs, groupInfo: "x" })).rejects.toThrow(/pulumi refresh/);
  });
});
