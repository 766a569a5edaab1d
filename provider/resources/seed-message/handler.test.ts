import { request } from "undici";
import { DEFAULT_CREDENTIALS } from "../../../emulator";
import { LiveClient } from "../../client/live-client";
import { MAX_MSG_TYPES_PER_GROUP } from "../../limits";
import { CreateLiveMessageApp, CreateLiveMessageGroup, DeleteLiveMessageGroup, DeleteLiveMessageGroupMessage, DescribeLiveMessageGroup, ListLiveMessageGroupMessages, SendLiveMessageGroup } from "../../operations";
import { ResourceError, ResourceErrorCodes, ResourceInitError } from "../errors";
import { resetQuotaState } from "../quota/quota";
import { startHandlerEnv, type HandlerEnv } from "../test-support/emulator";
import { UNKNOWN } from "../unknown";
import { parseSeedResourceId, seedMessageHandler } from "./handler";

jest.setTimeout(30000);

let env: HandlerEnv;
let client: LiveClient;
let appId: string;
let groupSeq = 0;

beforeAll(async () => {
  env = await startHandlerEnv();
  client = new LiveClient({ endpoint: env.emu.url, credentials: { ...DEFAULT_CREDENTIALS }, rateLimit: false });
  appId = (await CreateLiveMessageApp.invoke(client, { AppName: "seeds" })).AppId;
});
afterAll(async () => {
  await client.close();
  await env.stop();
});
beforeEach(() => {
  resetQuotaState();
  env.logs.length = 0;
});

/** A fresh group, with a user in it unless `active` is false. */
async function group(active = true): Promise<string> {
  const groupId = `grp${++groupSeq}`;
  await CreateLiveMessageGroup.invoke(client, { AppId: appId, GroupId: groupId });
  if (active) await env.join(appId, groupId, "viewer1");
  return groupId;
}

async function messages(groupId: string) {
  const res = await ListLiveMessageGroupMessages.invoke(client, { AppId: appId, GroupId: groupId, PageSize: 50, SortType: 1 });
  return res.MessageList ?? [];
}

async function checked(news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
  const c = await seedMessageHandler.check(olds, news);
  expect(c.failures).toEqual([]);
  return c.inputs;
}

describe("check", () => {
  const base = { appId: "app1", groupId: "lobby", senderId: "system", body: "{\"text\":\"hi\"}", msgType: 1, __resourceName: "welcome" };

  it("fills defaults and generates a msgTid unique per resource instance and revision", async () => {
    const inputs = await checked(base);
    expect(inputs).toMatchObject({
      msgType: 1, senderMetaInfo: "", weight: 1, staticsIncrease: 1, noStorage: false, noCache: false, dataCenter: "cn-shanghai",
      whenInactive: "fail", waitTimeoutSeconds: 300, waitIntervalSeconds: 2, __defaults: ["msgTid"],
    });
    expect(inputs.msgTid).toMatch(/^seed[a-z0-9]{60}$/);
    expect(Buffer.byteLength(String(inputs.msgTid))).toBe(64);
    // Two stacks (or a new resource, or a replacement: check with empty olds) never share one, whatever the content.
    expect((await checked(base)).msgTid).not.toBe(inputs.msgTid);
    // The same resource keeps it while the content is the same — every retry of one send reuses it.
    expect((await checked({ ...base, weight: 1, noCache: false }, inputs)).msgTid).toBe(inputs.msgTid);
    expect((await checked({ ...base, whenInactive: "defer" }, inputs)).msgTid).toBe(inputs.msgTid);
    expect((await checked({ ...base, weight: 5 }, inputs)).msgTid).not.toBe(inputs.msgTid);
  });

  // Issue 9, case 4: a msgTid hashed from name and content made A → B → A reuse A's msgTid.
  it("content A → B → A: three revisions, three different msgTids", async () => {
    const a = await checked(base);
    const b = await checked({ ...base, body: "B" }, a);
    expect(b.msgTid).not.toBe(a.msgTid);
    // The diff of B asks for a replacement, and the engine checks again with empty olds before creating it.
    const bCreated = await checked({ ...base, body: "B" });
    const a2 = await checked(base, bCreated);
    expect(new Set([a.msgTid, bCreated.msgTid, a2.msgTid]).size).toBe(3);
  });

  it("keeps a user-set msgTid and records it as set by the user", async () => {
    const inputs = await checked({ ...base, msgTid: "welcome1" });
    expect(inputs.msgTid).toBe("welcome1");
    expect(inputs.__defaults).toEqual([]);
  });

  it("keeps the derived msgTid of an existing message whose content is unchanged (a rename with an alias)", async () => {
    const olds = await checked(base);
    expect((await checked({ ...base, __resourceName: "renamed" }, olds)).msgTid).toBe(olds.msgTid);
    expect((await checked({ ...base, __resourceName: "renamed", body: "new" }, olds)).msgTid).not.toBe(olds.msgTid);
  });

  it("leaves msgTid unknown in a preview of an update whose content is unknown (it may or may not change)", async () => {
    const olds = await checked(base);
    const c = await seedMessageHandler.check(olds, { ...base, groupId: UNKNOWN });
    expect(c.failures).toEqual([]);
    expect(c.inputs.msgTid).toBe(UNKNOWN);
    expect((await seedMessageHandler.check({}, { ...base, groupId: UNKNOWN })).inputs.msgTid).toMatch(/^seed[a-z0-9]{60}$/);
  });

  it("reports every limit on its property", async () => {
    const c = await seedMessageHandler.check({}, {
      appId: "a b",
      groupId: "lob-by",
      senderId: "x".repeat(65),
      body: "b".repeat(15 * 1024 + 1),
      msgType: 1.5,
      msgTid: "not/valid",
      senderMetaInfo: "m".repeat(513),
      weight: "heavy",
      staticsIncrease: -1,
      noStorage: "no",
      noCache: 1,
      dataCenter: "mars-1",
      whenInactive: "later",
      waitTimeoutSeconds: 0,
      waitIntervalSeconds: 0.01,
      typo: true,
    });
    expect(c.failures.map((f) => f.property).sort()).toEqual([
      "appId", "body", "dataCenter", "groupId", "msgTid", "msgType", "noCache", "noStorage", "senderId", "senderMetaInfo",
      "staticsIncrease", "typo", "waitIntervalSeconds", "waitTimeoutSeconds", "weight", "whenInactive",
    ]);
    expect(c.failures.find((f) => f.property === "body")!.reason).toMatch(/15360 bytes/);
    expect(c.failures.find((f) => f.property === "whenInactive")!.reason).toMatch(/"fail", "wait", "defer"/);
  });

  it("requires appId, groupId and senderId", async () => {
    const c = await seedMessageHandler.check({}, { __resourceName: "x" });
    expect(c.failures.map((f) => f.property).sort()).toEqual(["appId", "groupId", "senderId"]);
  });

  it("refuses new content under the same pinned msgTid in the same group, and says how to proceed", async () => {
    const olds = await checked({ ...base, msgTid: "pinned1" });
    const c = await seedMessageHandler.check(olds, { ...base, msgTid: "pinned1", body: "changed" });
    expect(c.failures.map((f) => f.property)).toEqual(["body"]);
    expect(c.failures[0]!.reason).toMatch(/Set a new msgTid|remove msgTid/);
    expect((await seedMessageHandler.check(olds, { ...base, msgTid: "pinned2", body: "changed" })).failures).toEqual([]);
    expect((await seedMessageHandler.check(olds, { ...base, body: "changed" })).failures).toEqual([]);
    expect((await seedMessageHandler.check(olds, { ...base, msgTid: "pinned1", groupId: "elsewhere", body: "changed" })).failures).toEqual([]);
    expect((await seedMessageHandler.check(olds, { ...base, msgTid: "pinned1", whenInactive: "wait" })).failures).toEqual([]);
  });
});

describe("diff", () => {
  const olds = {
    appId: "a", groupId: "g", senderId: "s", body: "b", msgType: 1, msgTid: "t1", senderMetaInfo: "", weight: 1, staticsIncrease: 1,
    noStorage: false, noCache: false, dataCenter: "cn-shanghai", whenInactive: "fail", waitTimeoutSeconds: 300, waitIntervalSeconds: 2,
    delivered: true, sentAt: 100, seqNumber: 1,
  };
  it("content changes replace; delivery settings update in place; an undelivered message is always an update", async () => {
    expect(await seedMessageHandler.diff("a/g/t1", olds, { ...olds })).toEqual({ changes: false, replaces: [] });
    expect(await seedMessageHandler.diff("a/g/t1", olds, { ...olds, body: "c", msgTid: "t2" })).toEqual({ changes: true, replaces: ["body", "msgTid"] });
    expect(await seedMessageHandler.diff("a/g/t1", olds, { ...olds, whenInactive: "defer" })).toEqual({ changes: true, replaces: [] });
    expect(await seedMessageHandler.diff("a/g/t1", olds, { ...olds, groupId: UNKNOWN })).toEqual({ changes: true, replaces: ["groupId"] });
    expect(await seedMessageHandler.diff("a/g/t1", { ...olds, delivered: false }, { ...olds })).toEqual({ changes: true, replaces: [] });
    expect((await seedMessageHandler.diff("a/g/t1", { ...olds, delivered: false }, { ...olds, body: "x" })).replaces).toEqual(["body"]);
  });
});

describe("lifecycle against the emulator", () => {
  it("sends once into an active group; the msgTid is listed; read, delete, delete again", async () => {
    const groupId = await group();
    const inputs = await checked({ appId, groupId, senderId: "system", body: "hello", msgType: 3, senderMetaInfo: "{\"role\":\"bot\"}", __resourceName: "hello" });
    const { id, outs } = await seedMessageHandler.create(inputs);
    expect(id).toBe(`${appId}/${groupId}/${String(inputs.msgTid)}`);
    expect(parseSeedResourceId(id)).toEqual({ appId, groupId, msgTid: inputs.msgTid });
    expect(outs).toMatchObject({ delivered: true, msgTid: inputs.msgTid, body: "hello" });
    expect(outs.sentAt).toBeGreaterThan(0);
    expect(outs.seqNumber).toBeGreaterThan(0);
    for (const v of Object.values(outs)) expect(v).not.toBeUndefined();
    const listed = await messages(groupId);
    expect(listed.map((m) => m.MsgTid)).toEqual([inputs.msgTid]);
    expect(listed[0]).toMatchObject({ Body: "hello", MsgType: 3, Sender: { UserId: "system", UserInfo: "{\"role\":\"bot\"}" } });

    const read = await seedMessageHandler.read(id, outs);
    expect(read.id).toBe(id);
    expect(read.props).toMatchObject({ delivered: true, sentAt: outs.sentAt, seqNumber: outs.seqNumber });
    expect(read.inputs).toMatchObject({ body: "hello", msgTid: inputs.msgTid, __resourceName: "hello", __defaults: ["msgTid"] });

    await seedMessageHandler.delete(id, outs);
    expect(await messages(groupId)).toEqual([]);
    await seedMessageHandler.delete(id, outs);
    // Gone from the service: a refresh drops it.
    expect((await seedMessageHandler.read(id, outs)).id).toBe("");
  });

  it("a send whose response is lost is retried under the same msgTid: one message", async () => {
    const groupId = await group();
    const inputs = await checked({ appId, groupId, senderId: "system", body: "once", msgType: 4, __resourceName: "once" });
    await env.faults([{ action: "SendLiveMessageGroup", probability: 1, mode: "drop-after-commit", count: 1 }]);
    const first = await seedMessageHandler.create(inputs);
    expect(first.outs.delivered).toBe(true);
    const faults = (await (await request(`${env.emu.url}/_emulator/faults`)).body.json()) as { rules: { fired: number }[] };
    expect(faults.rules[0]!.fired).toBe(1); // the first send was processed and its response dropped
    expect((await messages(groupId)).map((m) => m.MsgTid)).toEqual([inputs.msgTid]);
    const d = await DescribeLiveMessageGroup.invoke(client, { AppId: appId, GroupId: groupId });
    expect(d.MsgAmount).toEqual({ 4: 1 });
  });

  it("every answer of the send lost: the group lists the message, so it is delivered — once", async () => {
    const groupId = await group();
    const inputs = await checked({ appId, groupId, senderId: "system", body: "lost", msgType: 4, __resourceName: "lost" });
    await env.faults([{ action: "SendLiveMessageGroup", mode: "drop-after-commit" }]);
    try {
      const { outs } = await seedMessageHandler.create(inputs);
      expect(outs).toMatchObject({ delivered: true, msgTid: inputs.msgTid });
      expect(outs.seqNumber).toBeGreaterThan(0);
    } finally {
      await env.faults([]);
    }
    expect((await messages(groupId)).map((m) => m.MsgTid)).toEqual([inputs.msgTid]);
  });

  it("a possibly-sent message that cannot be confirmed is recorded with its msgTid; the next update re-sends it once", async () => {
    const groupId = await group();
    const inputs = await checked({ appId, groupId, senderId: "system", body: "unsure", msgType: 4, __resourceName: "unsure" });
    await env.faults([
      { action: "SendLiveMessageGroup", mode: "drop-after-commit" },
      { action: "ListLiveMessageGroupMessages", mode: "error", code: "ServiceUnavailable" },
    ]);
    let err: unknown;
    try {
      err = await seedMessageHandler.create(inputs).catch((e: unknown) => e);
    } finally {
      await env.faults([]);
    }
    expect(err).toBeInstanceOf(ResourceInitError);
    const recorded = err as ResourceInitError;
    expect(recorded.id).toBe(`${appId}/${groupId}/${String(inputs.msgTid)}`);
    expect(recorded.properties).toMatchObject({ delivered: false, msgTid: inputs.msgTid, body: "unsure" });
    expect(recorded.properties.sentAt).toBeGreaterThan(0);
    // The next `up`: same msgTid (check keeps it), an update (not delivered), which re-sends and confirms.
    const again = await checked({ appId, groupId, senderId: "system", body: "unsure", msgType: 4, __resourceName: "unsure" }, inputs);
    expect(again.msgTid).toBe(inputs.msgTid);
    expect(await seedMessageHandler.diff(recorded.id, recorded.properties, again)).toEqual({ changes: true, replaces: [] });
    // The first send was stored: the retry finds it, even with nobody left in the group to send to.
    await env.leave(appId, groupId, "viewer1");
    const updated = await seedMessageHandler.update(recorded.id, recorded.properties, again);
    expect(updated.outs).toMatchObject({ delivered: true, msgTid: inputs.msgTid });
    expect((await messages(groupId)).map((m) => m.MsgTid)).toEqual([inputs.msgTid]);
  });

  // Issue 9, case 4: a collision must be detected, never reported as delivered.
  it("a pinned msgTid already used in the group (another stack, same content) is a collision: nothing sent, nothing recorded", async () => {
    const groupId = await group();
    await SendLiveMessageGroup.invoke(client, { AppId: appId, GroupId: groupId, SenderId: "system", Body: "same", MsgType: 2, MsgTid: "shared1" });
    const inputs = await checked({ appId, groupId, senderId: "system", body: "same", msgType: 2, msgTid: "shared1", __resourceName: "s" });
    const err = await seedMessageHandler.create(inputs).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "LIVEMSG_MSGTID_COLLISION" });
    expect((err as Error).message).toMatch(/NOT delivered/);
    expect(err).not.toBeInstanceOf(ResourceInitError);
  });

  it("a pinned msgTid of a deleted message: the service stores nothing, and that is a collision, not delivered", async () => {
    const groupId = await group();
    await SendLiveMessageGroup.invoke(client, { AppId: appId, GroupId: groupId, SenderId: "system", Body: "old", MsgTid: "reused1" });
    await DeleteLiveMessageGroupMessage.invoke(client, { AppId: appId, GroupId: groupId, MessageId: "reused1" });
    const inputs = await checked({ appId, groupId, senderId: "system", body: "new", msgTid: "reused1", __resourceName: "r" });
    const err = await seedMessageHandler.create(inputs).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "LIVEMSG_MSGTID_COLLISION" });
    expect((err as Error).message).toMatch(/stores no message under it/);
    expect(await messages(groupId)).toEqual([]);
  });

  it("two stacks with identical content in one group: two messages, and deleting one leaves the other", async () => {
    const groupId = await group();
    const news = { appId, groupId, senderId: "system", body: "twin", msgType: 5, __resourceName: "welcome" };
    const one = await seedMessageHandler.create(await checked(news));
    const two = await seedMessageHandler.create(await checked(news));
    expect(one.id).not.toBe(two.id);
    expect((await messages(groupId)).map((m) => m.MsgTid).sort()).toEqual([one.outs.msgTid, two.outs.msgTid].sort());
    await seedMessageHandler.delete(one.id, one.outs);
    expect((await messages(groupId)).map((m) => m.MsgTid)).toEqual([two.outs.msgTid]);
    expect((await seedMessageHandler.read(two.id, two.outs)).id).toBe(two.id);
  });

  it('whenInactive "fail" (default) explains the options and sends nothing', async () => {
    const groupId = await group(false);
    const err = await seedMessageHandler.create(await checked({ appId, groupId, senderId: "system", __resourceName: "f" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceError);
    expect((err as ResourceError).code).toBe(ResourceErrorCodes.groupInactive);
    expect((err as Error).message).toMatch(/has no joined users/);
    expect((err as Error).message).toMatch(/"wait"/);
    expect((err as Error).message).toMatch(/"defer"/);
    expect(await messages(groupId)).toEqual([]);
  });

  it('whenInactive "defer" records delivered: false, retries on update, and sends once a user has joined', async () => {
    const groupId = await group(false);
    const inputs = await checked({ appId, groupId, senderId: "system", body: "later", whenInactive: "defer", __resourceName: "d" });
    const { id, outs } = await seedMessageHandler.create(inputs);
    expect(outs).toMatchObject({ delivered: false, sentAt: 0, seqNumber: 0 });
    expect(env.logs.some((l) => l.level === "info" && /not delivered/.test(l.message))).toBe(true);
    // Refresh keeps it as it is; destroy of a never-sent message calls nothing.
    expect((await seedMessageHandler.read(id, outs)).props).toEqual(outs);
    expect(await seedMessageHandler.diff(id, outs, inputs)).toEqual({ changes: true, replaces: [] });

    const stillWaiting = await seedMessageHandler.update(id, outs, inputs);
    expect(stillWaiting.outs.delivered).toBe(false);
    await env.join(appId, groupId, "viewer1");
    const sent = await seedMessageHandler.update(id, stillWaiting.outs, inputs);
    expect(sent.outs).toMatchObject({ delivered: true, msgTid: inputs.msgTid });
    expect(await seedMessageHandler.diff(id, sent.outs, inputs)).toEqual({ changes: false, replaces: [] });
    expect((await messages(groupId)).map((m) => m.MsgTid)).toEqual([inputs.msgTid]);
  });

  it('whenInactive "wait" looks until a user joins, logging its progress', async () => {
    const groupId = await group(false);
    const inputs = await checked({ appId, groupId, senderId: "system", whenInactive: "wait", waitTimeoutSeconds: 60, waitIntervalSeconds: 0.1, __resourceName: "w" });
    // The user joins as soon as the handler reports that it is waiting.
    let joined: Promise<void> | undefined;
    const logs = env.logs;
    const push = logs.push.bind(logs);
    logs.push = (...entries) => {
      if (!joined && entries.some((e) => /Waiting for a user to join/.test(e.message))) joined = env.join(appId, groupId, "late1");
      return push(...entries);
    };
    try {
      const { outs } = await seedMessageHandler.create(inputs);
      expect(outs.delivered).toBe(true);
    } finally {
      logs.push = push;
    }
    expect(joined).toBeDefined();
    expect((await messages(groupId)).map((m) => m.MsgTid)).toEqual([inputs.msgTid]);
  });

  it('whenInactive "wait" gives up after waitTimeoutSeconds with a clear error', async () => {
    const groupId = await group(false);
    const inputs = await checked({ appId, groupId, senderId: "system", whenInactive: "wait", waitTimeoutSeconds: 1, waitIntervalSeconds: 0.2, __resourceName: "t" });
    await expect(seedMessageHandler.create(inputs)).rejects.toThrow(/Gave up waiting for a user to join group .* after 1 s/);
    expect(env.logs.filter((l) => /Waiting for a user to join/.test(l.message)).length).toBeGreaterThanOrEqual(1);
  });

  it("a group that does not exist is an error that names groupId", async () => {
    const inputs = await checked({ appId, groupId: "nosuchgroup", senderId: "system", whenInactive: "defer", __resourceName: "n" });
    await expect(seedMessageHandler.create(inputs)).rejects.toThrow(/does not exist or is deleted/);
  });

  it("a 31st message type fails with the quota explained", async () => {
    const groupId = await group();
    for (let t = 1; t <= MAX_MSG_TYPES_PER_GROUP; t++) await SendLiveMessageGroup.invoke(client, { AppId: appId, GroupId: groupId, SenderId: "s", MsgType: t });
    const err = await seedMessageHandler.create(await checked({ appId, groupId, senderId: "system", msgType: 99, __resourceName: "q" }, { x: 1 })).catch((e: unknown) => e);
    expect((err as ResourceError).code).toBe(ResourceErrorCodes.quota);
    expect((err as Error).message).toMatch(/already has 30 message types/);
  });

  it("noStorage messages keep their last known state on refresh; deleted-outside messages drop out", async () => {
    const groupId = await group();
    const quiet = await seedMessageHandler.create(await checked({ appId, groupId, senderId: "system", noStorage: true, __resourceName: "ns" }));
    expect(quiet.outs).toMatchObject({ delivered: true, seqNumber: 0 });
    expect(await messages(groupId)).toEqual([]);
    expect(await seedMessageHandler.read(quiet.id, quiet.outs)).toMatchObject({ id: quiet.id, props: quiet.outs });

    const stored = await seedMessageHandler.create(await checked({ appId, groupId, senderId: "system", body: "x", __resourceName: "st" }));
    await DeleteLiveMessageGroupMessage.invoke(client, { AppId: appId, GroupId: groupId, MessageId: String(stored.outs.msgTid) });
    expect((await seedMessageHandler.read(stored.id, stored.outs)).id).toBe("");
  });

  it("imports a stored message by id", async () => {
    const groupId = await group();
    await SendLiveMessageGroup.invoke(client, { AppId: appId, GroupId: groupId, SenderId: "ops", Body: "pinned notice", MsgType: 7, MsgTid: "notice1", SenderMetaInfo: "m" });
    const id = `${appId}/${groupId}/notice1`;
    const read = await seedMessageHandler.read(id, {});
    expect(read.id).toBe(id);
    expect(read.props).toMatchObject({ appId, groupId, msgTid: "notice1", senderId: "ops", body: "pinned notice", msgType: 7, senderMetaInfo: "m", delivered: true, __defaults: [] });
    expect(read.inputs).toMatchObject({ msgTid: "notice1", body: "pinned notice", __defaults: [] });
    // The program that imports it declares the same message: no diff.
    const news = await checked({ appId, groupId, senderId: "ops", body: "pinned notice", msgType: 7, msgTid: "notice1", senderMetaInfo: "m" }, read.inputs);
    expect(await seedMessageHandler.diff(id, read.props, news)).toEqual({ changes: false, replaces: [] });
    expect((await seedMessageHandler.read(`${appId}/${groupId}/nosuch`, {})).id).toBe("");
    expect(() => parseSeedResourceId("justone")).toThrow(/<appId>\/<groupId>\/<msgTid>/);
  });

  it("delete is best effort: a deleted group is success", async () => {
    const groupId = await group();
    const { id, outs } = await seedMessageHandler.create(await checked({ appId, groupId, senderId: "system", __resourceName: "gone" }));
    await DeleteLiveMessageGroup.invoke(client, { AppId: appId, GroupId: groupId });
    await expect(seedMessageHandler.delete(id, outs)).resolves.toBeUndefined();
  });
});
