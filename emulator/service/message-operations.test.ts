import { MSG_TYPES_PER_GROUP as MAX_MSG_TYPES_PER_GROUP, BODY_MAX_BYTES as MESSAGE_BODY_MAX_BYTES, META_INFO_MAX_BYTES as SENDER_META_MAX_BYTES } from "../spec/limits";
import { GENERATED_MSG_TID_LENGTH, MESSAGE_CACHE_SIZE } from "./behaviour";
import { DAY_MS, expectError, Harness, T0, type TestParams } from "./test-support/harness";

function send(h: Harness, appId: string, groupId: string, params: TestParams = {}): string {
  return h.call("SendLiveMessageGroup", { AppId: appId, GroupId: groupId, SenderId: "sender1", ...params }).MsgTid as string;
}

function listAll(h: Harness, appId: string, groupId: string, params: TestParams = {}): any[] {
  const out: any[] = [];
  let token: number | undefined;
  for (let guard = 0; guard < 10000; guard++) {
    const r = h.call("ListLiveMessageGroupMessages", { AppId: appId, GroupId: groupId, PageSize: 10, SortType: 1, ...params, NextPageToken: token });
    out.push(...r.MessageList);
    if (!r.Hasmore) {
      expect(r.NextPageToken).toBe(0);
      return out;
    }
    token = r.NextPageToken;
  }
  throw new Error("paging did not end");
}

const tids = (msgs: any[]): string[] => msgs.map((m) => m.MsgTid);

describe("SendLiveMessageGroup", () => {
  it("echoes MsgTid and stores the message with every field", () => {
    const h = new Harness();
    const { appId } = h.activeGroup("g1");
    h.advance(3000);
    const r = h.call("SendLiveMessageGroup", {
      AppId: appId,
      GroupId: "g1",
      SenderId: "alice",
      SenderMetaInfo: "alice-meta",
      Body: "hello 世界",
      MsgType: 7,
      MsgTid: "tid1",
      Weight: 5,
    });
    expect(r).toEqual({ MsgTid: "tid1" });
    const list = h.call("ListLiveMessageGroupMessages", { AppId: appId, GroupId: "g1", PageSize: 10, SortType: 1 });
    expect(list).toEqual({
      GroupId: "g1",
      MessageList: [
        {
          MsgTid: "tid1",
          MsgType: 7,
          Body: "hello 世界",
          SeqNumber: 1,
          Timestamp: T0 / 1000 + 3,
          TotalMessages: 1,
          Sender: { UserId: "alice", UserInfo: "alice-meta" },
        },
      ],
      Hasmore: false,
      NextPageToken: 0,
    });
  });

  it("generates a letters+digits MsgTid when omitted (from ctx.random)", () => {
    const h = new Harness();
    const { appId } = h.activeGroup();
    const a = send(h, appId, "g1");
    const b = send(h, appId, "g1");
    expect(a).toMatch(new RegExp(`^[a-z0-9]{${GENERATED_MSG_TID_LENGTH}}$`));
    expect(a).not.toBe(b);
    const again = new Harness();
    const { appId: appId2 } = again.activeGroup();
    // The same call sequence with the same seeds draws the same ids (deterministic replay).
    expect(appId2).toBe(appId);
    expect(send(again, appId2, "g1")).toBe(a);
  });

  it("counts MsgAmount per type by StaticsIncrease (default 1), TotalMessages and SeqNumber", () => {
    const h = new Harness();
    const { appId } = h.activeGroup();
    send(h, appId, "g1", { MsgType: 1 });
    send(h, appId, "g1", { MsgType: 1, StaticsIncrease: 10 });
    send(h, appId, "g1", { MsgType: 2, StaticsIncrease: 0 });
    send(h, appId, "g1"); // MsgType default 0
    send(h, appId, "g1", { MsgType: 2, NoStorage: true });
    const d = h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    expect(d.MsgAmount).toEqual({ "0": 1, "1": 11, "2": 1 });
    const msgs = listAll(h, appId, "g1");
    expect(msgs.map((m) => m.SeqNumber)).toEqual([1, 2, 3, 4]); // the NoStorage message (seq 5) is not listed
    expect(msgs.every((m) => m.TotalMessages === 5)).toBe(true);
  });

  it("a repeated MsgTid is a retry: same answer, nothing stored or counted twice", () => {
    const h = new Harness();
    const { appId } = h.activeGroup();
    expect(send(h, appId, "g1", { MsgTid: "dup1", Body: "a" })).toBe("dup1");
    expect(send(h, appId, "g1", { MsgTid: "dup1", Body: "b" })).toBe("dup1");
    expect(listAll(h, appId, "g1").map((m) => m.Body)).toEqual(["a"]);
    expect(h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }).MsgAmount).toEqual({ "0": 1 });
  });

  it("NoStorage=true is not listed; NoCache=true stays out of the recent-message cache", () => {
    const h = new Harness();
    const { appId } = h.activeGroup();
    send(h, appId, "g1", { MsgTid: "stored" });
    send(h, appId, "g1", { MsgTid: "unstored", NoStorage: true });
    send(h, appId, "g1", { MsgTid: "uncached", NoCache: true });
    expect(tids(listAll(h, appId, "g1"))).toEqual(["stored", "uncached"]);
    const snap = h.service.snapshot() as any;
    expect(snap.apps[0].groups[0].cache).toEqual(["stored", "unstored"]);
  });

  it(`keeps only the last ${MESSAGE_CACHE_SIZE} messages in the cache`, () => {
    const h = new Harness();
    const { appId } = h.activeGroup();
    for (let i = 0; i < MESSAGE_CACHE_SIZE + 5; i++) send(h, appId, "g1", { MsgTid: `m${i}` });
    const cache = (h.service.snapshot() as any).apps[0].groups[0].cache;
    expect(cache).toHaveLength(MESSAGE_CACHE_SIZE);
    expect(cache[0]).toBe("m5");
  });

  it(`allows ${MAX_MSG_TYPES_PER_GROUP} distinct MsgTypes per group, then ErrorTooManyMsgTypes`, () => {
    const h = new Harness();
    const { appId } = h.activeGroup();
    for (let t = 0; t < MAX_MSG_TYPES_PER_GROUP; t++) send(h, appId, "g1", { MsgType: t });
    expectError(h.fail("SendLiveMessageGroup", { AppId: appId, GroupId: "g1", SenderId: "s", MsgType: 999 }), "ErrorTooManyMsgTypes", 400);
    // Existing types still work; other groups have their own budget.
    expect(send(h, appId, "g1", { MsgType: 3 })).toBeTruthy();
    h.createGroup(appId, "g2");
    h.join(appId, "g2", "v");
    expect(send(h, appId, "g2", { MsgType: 999 })).toBeTruthy();
  });

  it("requires an active group (≥ 1 joined user): InputInvalid otherwise", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    expectError(h.fail("SendLiveMessageGroup", { AppId: appId, GroupId: "g1", SenderId: "s" }), "InputInvalid", 400, "active");
    h.join(appId, "g1", "u1");
    expect(send(h, appId, "g1")).toBeTruthy();
    h.leave(appId, "g1", "u1");
    expectError(h.fail("SendLiveMessageGroup", { AppId: appId, GroupId: "g1", SenderId: "s" }), "InputInvalid", 400);
  });

  it("answers ResourceNotExist for an unknown or deleted group", () => {
    const h = new Harness();
    const { appId } = h.activeGroup();
    expectError(h.fail("SendLiveMessageGroup", { AppId: appId, GroupId: "nope", SenderId: "s" }), "ResourceNotExist", 404);
    h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    expectError(h.fail("SendLiveMessageGroup", { AppId: appId, GroupId: "g1", SenderId: "s" }), "ResourceNotExist", 404);
  });

  it.each([
    ["missing SenderId", { SenderId: undefined }, "SenderId"],
    ["a SenderId with a space", { SenderId: "a b" }, "SenderId"],
    ["a Body over 15 KB", { Body: "b".repeat(MESSAGE_BODY_MAX_BYTES + 1) }, "Body"],
    ["SenderMetaInfo over 512 B", { SenderMetaInfo: "m".repeat(SENDER_META_MAX_BYTES + 1) }, "SenderMetaInfo"],
    ["a non-integer MsgType", { MsgType: "1e3" }, "MsgType"],
    ["a MsgTid with a dash", { MsgTid: "a-b" }, "MsgTid"],
    ["a non-integer StaticsIncrease", { StaticsIncrease: "1.5" }, "StaticsIncrease"],
    ["a non-boolean NoStorage", { NoStorage: "0" }, "NoStorage"],
    ["a non-boolean NoCache", { NoCache: "yes" }, "NoCache"],
    ["a non-integer Weight", { Weight: "heavy" }, "Weight"],
  ])("rejects %s", (_label, params, name) => {
    const h = new Harness();
    const { appId } = h.activeGroup();
    expectError(h.fail("SendLiveMessageGroup", { AppId: appId, GroupId: "g1", SenderId: "s", ...params }), "InputInvalid", 400, name);
  });

  it("accepts a body of exactly 15 KB", () => {
    const h = new Harness();
    const { appId } = h.activeGroup();
    send(h, appId, "g1", { Body: "é".repeat(MESSAGE_BODY_MAX_BYTES / 2) });
    expect(listAll(h, appId, "g1")[0].Body).toHaveLength(MESSAGE_BODY_MAX_BYTES / 2);
  });
});

describe("ListLiveMessageGroupMessages", () => {
  function seeded(n: number): { h: Harness; appId: string; all: string[] } {
    const h = new Harness();
    const { appId } = h.activeGroup();
    const all: string[] = [];
    for (let i = 0; i < n; i++) {
      all.push(send(h, appId, "g1", { MsgTid: `m${i}`, MsgType: i % 3 }));
      h.advance(1000);
    }
    return { h, appId, all };
  }

  it("pages by send time both ways (token paging, 0 = no more)", () => {
    const { h, appId, all } = seeded(35);
    expect(tids(listAll(h, appId, "g1"))).toEqual(all);
    expect(tids(listAll(h, appId, "g1", { SortType: 2 }))).toEqual([...all].reverse());
    expect(tids(listAll(h, appId, "g1", { PageSize: 50 }))).toEqual(all);
    const p1 = h.call("ListLiveMessageGroupMessages", { AppId: appId, GroupId: "g1", PageSize: 10, SortType: 1 });
    expect([p1.MessageList.length, p1.Hasmore, p1.NextPageToken]).toEqual([10, true, 11]);
  });

  it("filters by MsgType and by [BeginTime, EndTime] in seconds (inclusive)", () => {
    const { h, appId, all } = seeded(30);
    expect(tids(listAll(h, appId, "g1", { MsgType: 1 }))).toEqual(all.filter((_, i) => i % 3 === 1));
    const begin = T0 / 1000 + 5;
    const end = T0 / 1000 + 9;
    expect(tids(listAll(h, appId, "g1", { BeginTime: begin, EndTime: end }))).toEqual(all.slice(5, 10));
    expect(tids(listAll(h, appId, "g1", { BeginTime: begin, EndTime: end, SortType: 2, MsgType: 0 }))).toEqual(["m9", "m6"]);
    expect(tids(listAll(h, appId, "g1", { BeginTime: T0 / 1000 + 28 }))).toEqual(["m28", "m29"]);
    expect(tids(listAll(h, appId, "g1", { EndTime: T0 / 1000 + 1 }))).toEqual(["m0", "m1"]);
    expectError(
      h.fail("ListLiveMessageGroupMessages", { AppId: appId, GroupId: "g1", PageSize: 10, SortType: 1, BeginTime: end, EndTime: begin }),
      "InputInvalid",
      400,
      "BeginTime",
    );
  });

  it("a page continues after the cursor even when the cursor message was deleted", () => {
    const { h, appId, all } = seeded(25);
    const p1 = h.call("ListLiveMessageGroupMessages", { AppId: appId, GroupId: "g1", PageSize: 10, SortType: 1 });
    h.call("DeleteLiveMessageGroupMessage", { AppId: appId, GroupId: "g1", MessageId: "m10" });
    const p2 = h.call("ListLiveMessageGroupMessages", { AppId: appId, GroupId: "g1", PageSize: 10, SortType: 1, NextPageToken: p1.NextPageToken });
    expect(tids(p2.MessageList)).toEqual(all.slice(11, 21));
  });

  it("honours the app's MsgLifeCycle: 30, 90 or 180 days", () => {
    for (const [cycle, days] of [
      [0, 30],
      [1, 90],
      [2, 180],
    ] as const) {
      const h = new Harness();
      const { appId } = h.activeGroup("g1", { MsgLifeCycle: cycle });
      send(h, appId, "g1", { MsgTid: "old" });
      h.advance(DAY_MS);
      send(h, appId, "g1", { MsgTid: "newer" });
      h.advance((days - 1) * DAY_MS); // "old" is exactly `days` old: still kept
      expect(tids(listAll(h, appId, "g1"))).toEqual(["old", "newer"]);
      h.advance(1000);
      expect(tids(listAll(h, appId, "g1"))).toEqual(["newer"]);
      // A send prunes what expired; the counters are unaffected.
      send(h, appId, "g1", { MsgTid: "latest" });
      expect(tids(listAll(h, appId, "g1"))).toEqual(["newer", "latest"]);
      expect(h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }).MsgAmount).toEqual({ "0": 3 });
    }
  });

  it("keeps (time, seq) order even if the clock steps back", () => {
    const h = new Harness();
    const { appId } = h.activeGroup();
    send(h, appId, "g1", { MsgTid: "a" });
    h.advance(-5000);
    send(h, appId, "g1", { MsgTid: "b" });
    expect(tids(listAll(h, appId, "g1"))).toEqual(["b", "a"]);
  });

  it.each([
    [{ PageSize: 10 }, "SortType"],
    [{ SortType: 1 }, "PageSize"],
    [{ SortType: 1, PageSize: 5 }, "PageSize"],
    [{ SortType: 1, PageSize: 10, BeginTime: -1 }, "BeginTime"],
    [{ SortType: 1, PageSize: 10, MsgType: "x" }, "MsgType"],
  ])("rejects %j", (params, name) => {
    const h = new Harness();
    const { appId } = h.activeGroup();
    expectError(h.fail("ListLiveMessageGroupMessages", { AppId: appId, GroupId: "g1", ...params }), "InputInvalid", 400, name);
  });
});

describe("DeleteLiveMessageGroupMessage", () => {
  it("removes the message from the list; deleting an unknown message succeeds", () => {
    const h = new Harness();
    const { appId } = h.activeGroup();
    send(h, appId, "g1", { MsgTid: "m1" });
    send(h, appId, "g1", { MsgTid: "m2" });
    expect(
      h.call("DeleteLiveMessageGroupMessage", { AppId: appId, GroupId: "g1", MessageId: "m1", DeleterId: "op", DeleterInfo: "why" }),
    ).toEqual({ GroupId: "g1", MessageId: "m1" });
    expect(tids(listAll(h, appId, "g1"))).toEqual(["m2"]);
    expect(h.call("DeleteLiveMessageGroupMessage", { AppId: appId, GroupId: "g1", MessageId: "m1" })).toEqual({
      GroupId: "g1",
      MessageId: "m1",
    });
    // Counters keep counting deleted messages.
    expect(h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }).MsgAmount).toEqual({ "0": 2 });
  });

  it("requires MessageId; a deleted group answers ResourceNotExist", () => {
    const h = new Harness();
    const { appId } = h.activeGroup();
    expectError(h.fail("DeleteLiveMessageGroupMessage", { AppId: appId, GroupId: "g1" }), "InputInvalid", 400, "MessageId");
    expectError(
      h.fail("DeleteLiveMessageGroupMessage", { AppId: appId, GroupId: "g1", MessageId: "m", DeleterInfo: "x".repeat(513) }),
      "InputInvalid",
      400,
      "DeleterInfo",
    );
    h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    expectError(h.fail("DeleteLiveMessageGroupMessage", { AppId: appId, GroupId: "g1", MessageId: "m" }), "ResourceNotExist", 404);
  });
});

describe("SendLiveMessageUser and DeleteLiveMessageUserMessage", () => {
  it("sends to an online receiver; stores only with Storage=true; delete is idempotent", () => {
    const h = new Harness();
    const { appId } = h.activeGroup("g1"); // viewer1 is online
    const r = h.call("SendLiveMessageUser", {
      AppId: appId,
      ReceiverId: "viewer1",
      SenderId: "host",
      SenderInfo: "host-info",
      Body: "psst",
      MsgType: 4,
      MsgTid: "pm1",
      HighReliability: true,
      Storage: true,
    });
    expect(r).toEqual({ MsgTid: "pm1" });
    const generated = h.call("SendLiveMessageUser", { AppId: appId, ReceiverId: "viewer1", SenderId: "host" }).MsgTid;
    expect(generated).toMatch(/^[a-z0-9]+$/);
    let inbox = (h.service.snapshot() as any).apps[0].userMessages;
    expect(inbox).toEqual([{ receiverId: "viewer1", messages: [expect.objectContaining({ msgTid: "pm1", body: "psst", msgType: 4 })] }]);
    expect(h.call("DeleteLiveMessageUserMessage", { AppId: appId, ReceiverId: "viewer1", MessageId: "pm1", DeleterId: "host" })).toEqual({});
    inbox = (h.service.snapshot() as any).apps[0].userMessages;
    expect(inbox).toEqual([]);
    expect(h.call("DeleteLiveMessageUserMessage", { AppId: appId, ReceiverId: "viewer1", MessageId: "pm1" })).toEqual({});
  });

  it("an offline receiver: success without HighReliability, InputInvalid with it", () => {
    const h = new Harness();
    const appId = h.createApp();
    expect(h.call("SendLiveMessageUser", { AppId: appId, ReceiverId: "away", SenderId: "host", MsgTid: "x1" })).toEqual({ MsgTid: "x1" });
    expectError(
      h.fail("SendLiveMessageUser", { AppId: appId, ReceiverId: "away", SenderId: "host", HighReliability: true }),
      "InputInvalid",
      400,
      "offline",
    );
  });

  it.each([
    ["SendLiveMessageUser", { SenderId: "s" }, "ReceiverId"],
    ["SendLiveMessageUser", { ReceiverId: "r" }, "SenderId"],
    ["SendLiveMessageUser", { ReceiverId: "r", SenderId: "s", SenderInfo: "i".repeat(513) }, "SenderInfo"],
    ["SendLiveMessageUser", { ReceiverId: "r", SenderId: "s", Storage: "maybe" }, "Storage"],
    ["DeleteLiveMessageUserMessage", { MessageId: "m" }, "ReceiverId"],
    ["DeleteLiveMessageUserMessage", { ReceiverId: "r" }, "MessageId"],
  ])("%s: InputInvalid naming the parameter (case %#)", (action, params, name) => {
    const h = new Harness();
    const appId = h.createApp();
    expectError(h.fail(action, { AppId: appId, ...params }), "InputInvalid", 400, name);
  });
});
