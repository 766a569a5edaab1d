import { ACTIONS as LIVE_MESSAGE_ACTIONS } from "../spec/limits";
import { loadSdkModels, responseProblems } from "../test-support/sdk-models";
import { createService } from "./index";
import { Harness, T0, toWire, type TestParams } from "./test-support/harness";

const ALL_ACTIONS: readonly string[] = LIVE_MESSAGE_ACTIONS;
const READ_ONLY = new Set(ALL_ACTIONS.filter((a) => /^(Describe|List|Check)/.test(a)));

/** A populated state touching every part of the model. */
function populate(h: Harness): { appId: string; sgApp: string } {
  const appId = h.createApp({ AppName: "main", EventCallbackUrl: "https://cb.example.com/x", MsgLifeCycle: 1 });
  const sgApp = h.createApp({ DataCenter: "ap-southeast-1", AuditType: 2, AuditUrl: "https://audit.example.com/" });
  h.createApp({}, "1000000000000002");
  for (let i = 0; i < 5; i++) {
    h.createGroup(appId, `g${i}`, { GroupName: `n${i}`, Administrators: ["a1"], CreatorId: "c1" });
    h.advance(1000);
  }
  h.join(appId, "g0", "u1", "info1");
  h.join(appId, "g0", "u2");
  h.join(appId, "g1", "u1");
  for (let i = 0; i < 4; i++) h.call("SendLiveMessageGroup", { AppId: appId, GroupId: "g0", SenderId: "s", MsgType: i % 2, NoStorage: i === 3 });
  h.call("SendLiveMessageUser", { AppId: appId, ReceiverId: "u1", SenderId: "s", Storage: true });
  h.call("BanLiveMessageGroup", { AppId: appId, GroupId: "g0", ExceptUsers: ["u1"] });
  h.call("AddLiveMessageGroupBand", { AppId: appId, GroupId: "g0", BannedUsers: ["u2"] });
  h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g3", OperatorId: "op" });
  h.call("ModifyLiveMessageAppDisable", { AppId: sgApp, DataCenter: "ap-southeast-1", Disable: true });
  return { appId, sgApp };
}

describe("createService", () => {
  it("implements exactly the 29 LiveMessage actions of spec §1", () => {
    const s = createService({});
    expect([...s.actions].sort()).toEqual([...ALL_ACTIONS].sort());
    expect(s.actions.size).toBe(29);
  });

  it("marks Describe/List/Check actions read-only and every other action mutating", () => {
    const s = createService();
    for (const a of ALL_ACTIONS) expect([a, s.isMutating(a)]).toEqual([a, !READ_ONLY.has(a)]);
    expect(s.isMutating("DeleteLiveMessageApp")).toBe(false);
  });

  it("answers InvalidAction.NotFound for actions that do not exist (e.g. DeleteLiveMessageApp)", () => {
    const h = new Harness();
    expect(() => h.call("DeleteLiveMessageApp", {})).toThrow(expect.objectContaining({ code: "InvalidAction.NotFound", httpStatus: 404 }));
  });

  it("scopes apps to their account on every operation", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    const other = "1000000000000002";
    for (const action of ALL_ACTIONS) {
      if (action === "CreateLiveMessageApp" || action === "ListLiveMessageApps") continue;
      expect([action, h.fail(action, allParams(appId), other).code]).toEqual([action, "ResourceNotExist"]);
    }
  });

  it("never returns a Code field in a success body, and every body matches the SDK's response model (names and types)", () => {
    const models = loadSdkModels();
    const h = new Harness();
    const { appId } = populate(h);
    for (const action of ALL_ACTIONS) {
      // Keep g2 active: DeleteLiveMessageGroup (then Recover) disconnects its members.
      if (action !== "RecoverLiveMessageDeletedGroup") h.join(appId, "g2", "u9");
      const body = action === "CreateLiveMessageApp" ? h.call(action, {}) : h.call(action, allParams(appId));
      expect([action, Object.prototype.hasOwnProperty.call(body, "Code")]).toEqual([action, false]);
      expect(body).not.toHaveProperty("RequestId");
      expect([action, responseProblems(models[action]!.response, { RequestId: "r", ...body })]).toEqual([action, []]);
    }
  });
});

/** Parameters under which every action can succeed on app `appId` with a live, active group g2. */
function allParams(appId: string): TestParams {
  return {
    AppId: appId,
    GroupId: "g2",
    SortType: 1,
    PageSize: 10,
    UserIds: ["u1"],
    KickoffUser: "nobody",
    UserId: "u1",
    SenderId: "s1",
    ReceiverId: "u1",
    MessageId: "m1",
    BannedUsers: ["x"],
    UnbannedUsers: ["x"],
    Disable: false,
  };
}

describe("snapshot / restore", () => {
  it("round-trips the complete state as plain JSON", () => {
    const h = new Harness();
    populate(h);
    const snap = h.service.snapshot();
    const json = JSON.parse(JSON.stringify(snap));
    expect(json).toEqual(snap);
    const copy = createService();
    copy.restore(json);
    expect(copy.snapshot()).toEqual(snap);
  });

  it("a restored service behaves exactly like the original", () => {
    const a = new Harness();
    const { appId } = populate(a);
    const b = new Harness(createService());
    b.service.restore(JSON.parse(JSON.stringify(a.service.snapshot())));
    b.now = a.now;
    // Align the seeds: both harnesses continue from the same seed counter.
    Object.assign(b, { seed: (a as any).seed });
    const script: [string, TestParams][] = [
      ["ListLiveMessageGroups", { AppId: appId, SortType: 2 }],
      ["ListLiveMessageGroupMessages", { AppId: appId, GroupId: "g0", PageSize: 10, SortType: 1 }],
      ["ListLiveMessageGroupUsers", { AppId: appId, GroupId: "g0", PageSize: 10, SortType: 1 }],
      ["DescribeLiveMessageGroupBand", { AppId: appId, GroupId: "g0" }],
      ["ModifyLiveMessageUserInfo", { AppId: appId, UserId: "u1", UserMetaInfo: "z" }],
      ["SendLiveMessageGroup", { AppId: appId, GroupId: "g0", SenderId: "s" }],
      ["CreateLiveMessageGroup", { AppId: appId, GroupId: "g9" }],
      ["RecoverLiveMessageDeletedGroup", { AppId: appId, GroupId: "g3" }],
      ["CreateLiveMessageApp", {}],
      ["ListLiveMessageApps", { SortType: 1 }],
    ];
    for (const [action, params] of script) expect(b.call(action, params)).toEqual(a.call(action, params));
    expect(b.service.snapshot()).toEqual(a.service.snapshot());
  });

  it("restore rejects something that is not a snapshot and reset forgets everything", () => {
    const h = new Harness();
    populate(h);
    expect(() => h.service.restore({ version: 99 })).toThrow(/snapshot/);
    expect(() => h.service.restore(null)).toThrow(/snapshot/);
    h.service.reset();
    expect(h.call("ListLiveMessageApps", { SortType: 1 })).toEqual({ AppList: [], HasMore: false });
    expect(h.service.snapshot()).toEqual(createService().snapshot());
  });
});

describe("validate before mutating", () => {
  const failing: [string, (appId: string) => TestParams][] = [
    ["CreateLiveMessageApp", () => ({ AppName: "ok", MsgLifeCycle: 9 })],
    ["ModifyLiveMessageAppAudit", (appId) => ({ AppId: appId, AuditType: 2 })],
    ["ModifyLiveMessageAppCallback", (appId) => ({ AppId: appId, EventCallbackUrl: "http://10.0.0.1/" })],
    ["ModifyLiveMessageAppDisable", (appId) => ({ AppId: appId, Disable: "x" })],
    ["CreateLiveMessageGroup", (appId) => ({ AppId: appId, GroupId: "new1", Administrators: ["a", "b", "c", "d"] })],
    ["ModifyLiveMessageGroup", (appId) => ({ AppId: appId, GroupId: "g0", ModifyInfo: true, GroupInfo: "x", ModifyAdmin: true, AdminList: "a,,b" })],
    ["DeleteLiveMessageGroup", (appId) => ({ AppId: appId, GroupId: "g0", OperatorId: "bad op" })],
    ["RecoverLiveMessageDeletedGroup", (appId) => ({ AppId: appId, GroupId: "g3", DataCenter: "nowhere" })],
    ["KickLiveMessageGroupUser", (appId) => ({ AppId: appId, GroupId: "g0", KickoffUser: "u1", DataCenter: "x" })],
    ["ModifyLiveMessageUserInfo", (appId) => ({ AppId: appId, UserId: "u1", UserMetaInfo: "x".repeat(600) })],
    ["SendLiveMessageGroup", (appId) => ({ AppId: appId, GroupId: "g0", SenderId: "s", NoCache: "maybe" })],
    ["SendLiveMessageGroup", (appId) => ({ AppId: appId, GroupId: "g4", SenderId: "s" })],
    ["SendLiveMessageUser", (appId) => ({ AppId: appId, ReceiverId: "u1", SenderId: "s", Storage: true, HighReliability: 2 })],
    ["DeleteLiveMessageGroupMessage", (appId) => ({ AppId: appId, GroupId: "g0", MessageId: "m", DeleterId: "x".repeat(65) })],
    ["DeleteLiveMessageUserMessage", (appId) => ({ AppId: appId, ReceiverId: "u1", DeleterId: "d" })],
    ["BanLiveMessageGroup", (appId) => ({ AppId: appId, GroupId: "g0", ExceptUsers: "a b" })],
    ["UnbanLiveMessageGroup", (appId) => ({ AppId: appId, GroupId: "g3" })],
    ["AddLiveMessageGroupBand", (appId) => ({ AppId: appId, GroupId: "g0", BannedUsers: "" })],
    ["RemoveLiveMessageGroupBand", (appId) => ({ AppId: appId, GroupId: "g0", UnbannedUsers: ["u2", "x!"] })],
    ["ModifyLiveMessageGroupBand", (appId) => ({ AppId: appId, GroupId: "g0", BannedAll: true, ExceptUsers: ["ok"], BannnedUsers: "a,,b" })],
  ];

  it.each(failing.map(([a, f], i) => [a, i, f] as const))("a failing %s (case %i) leaves the state untouched", (action, _i, params) => {
    const h = new Harness();
    const { appId } = populate(h);
    const before = JSON.stringify(h.service.snapshot());
    h.fail(action, params(appId));
    expect(JSON.stringify(h.service.snapshot())).toBe(before);
  });
});

describe("scale", () => {
  it("5,000 groups and 100,000 messages stay usable (paging from both ends, filters, deletes)", () => {
    const s = createService();
    let seed = 1;
    let now = T0;
    const call = (action: string, params: TestParams): any =>
      s.execute(action, toWire(params), { accountId: "acc", accessKeyId: "k", now, seed, random: () => ((seed = (seed * 16807) % 2147483647), seed / 2147483647) });
    const appId = call("CreateLiveMessageApp", {}).AppId as string;
    for (let i = 0; i < 5000; i++) call("CreateLiveMessageGroup", { AppId: appId, GroupId: `g${i}` });
    s.join({ appId, groupId: "g0", userId: "u" }, now);
    for (let i = 0; i < 100_000; i++) {
      if (i % 100 === 0) now += 1000;
      call("SendLiveMessageGroup", { AppId: appId, GroupId: "g0", SenderId: "s", MsgType: i % 30, MsgTid: `m${i}` });
    }
    const last = call("ListLiveMessageGroupMessages", { AppId: appId, GroupId: "g0", PageSize: 50, SortType: 2 });
    expect(last.MessageList[0].MsgTid).toBe("m99999");
    expect(last.MessageList[0].TotalMessages).toBe(100_000);
    const next = call("ListLiveMessageGroupMessages", { AppId: appId, GroupId: "g0", PageSize: 50, SortType: 2, NextPageToken: last.NextPageToken });
    expect(next.MessageList[0].MsgTid).toBe("m99949");
    const typed = call("ListLiveMessageGroupMessages", { AppId: appId, GroupId: "g0", PageSize: 10, SortType: 1, MsgType: 29 });
    expect(typed.MessageList.map((m: any) => m.MsgTid)).toEqual(Array.from({ length: 10 }, (_, i) => `m${29 + 30 * i}`));
    call("DeleteLiveMessageGroupMessage", { AppId: appId, GroupId: "g0", MessageId: "m50000" });
    // m50000 has SeqNumber 50001; a cursor pointing at the deleted message continues after it.
    const mid = call("ListLiveMessageGroupMessages", { AppId: appId, GroupId: "g0", PageSize: 10, SortType: 1, NextPageToken: 50_001 });
    expect(mid.MessageList[0].MsgTid).toBe("m50001");
    const page = call("ListLiveMessageGroupByPage", { AppId: appId, SortType: 2, PageNumber: 100, PageSize: 50 });
    expect([page.TotalCount, page.GroupList[0].GroupId]).toEqual([5000, "g49"]);
    const groups = call("ListLiveMessageGroups", { AppId: appId, SortType: 1, NextPageToken: 4990 });
    expect(groups.GroupList.map((g: any) => g.GroupId)).toEqual(Array.from({ length: 11 }, (_, i) => `g${4989 + i}`));
  });
});
