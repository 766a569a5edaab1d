import { BY_PAGE_SIZE_RANGE, GROUP_INFO_MAX_BYTES, GROUP_NAME_MAX_BYTES, GROUPS_PAGE_SIZE as LIST_GROUPS_PAGE_SIZE, LIVE_GROUPS_PER_APP as MAX_LIVE_GROUPS_PER_APP, RECOVERY_WINDOW_MS } from "../spec/limits";
const BY_PAGE_SIZE_DEFAULT = BY_PAGE_SIZE_RANGE.default;
const RECOVER_WINDOW_SECONDS = RECOVERY_WINDOW_MS / 1000;
import { DAY_MS, expectError, Harness, T0 } from "./test-support/harness";

describe("CreateLiveMessageGroup", () => {
  it("creates a group with every field, visible through DescribeLiveMessageGroup", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.advance(7000);
    const r = h.createGroup(appId, "room1", {
      GroupName: "Room one",
      GroupInfo: '{"topic":"x"}',
      Administrators: ["admin1", "admin2"],
      CreatorId: "creator1",
    });
    expect(r).toEqual({ GroupId: "room1", AlreadyExists: false, AlreadyDelete: false });
    expect(h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "room1" })).toEqual({
      GroupId: "room1",
      GroupName: "Room one",
      GroupInfo: '{"topic":"x"}',
      CreatorId: "creator1",
      AdminList: ["admin1", "admin2"],
      Createtime: T0 / 1000 + 7,
      Delete: false,
      SuperLargeGroup: false,
      OnlineUserCounts: 0,
      TotalTimes: 0,
      MsgAmount: {},
    });
  });

  it("re-create of a live ID: AlreadyExists true, AlreadyDelete false, nothing changes", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1", { GroupName: "first" });
    const again = h.createGroup(appId, "g1", { GroupName: "second", Administrators: ["a1"] });
    expect(again).toEqual({ GroupId: "g1", AlreadyExists: true, AlreadyDelete: false });
    const d = h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    expect(d.GroupName).toBe("first");
    expect(d.AdminList).toEqual([]);
  });

  it("re-create of a deleted ID: AlreadyExists and AlreadyDelete true, the group stays deleted", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    expect(h.createGroup(appId, "g1")).toEqual({ GroupId: "g1", AlreadyExists: true, AlreadyDelete: true });
    expect(h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }).Delete).toBe(true);
    // Even long after the recovery window the ID is not reusable.
    h.advance(RECOVER_WINDOW_SECONDS * 1000 * 2);
    expect(h.createGroup(appId, "g1")).toEqual({ GroupId: "g1", AlreadyExists: true, AlreadyDelete: true });
  });

  it.each([
    ["missing GroupId", {}, "GroupId"],
    ["a GroupId with a dash", { GroupId: "bad-id" }, "GroupId"],
    ["a 65-byte GroupId", { GroupId: "x".repeat(65) }, "GroupId"],
    ["a GroupName over 128 bytes", { GroupId: "g", GroupName: "n".repeat(GROUP_NAME_MAX_BYTES + 1) }, "GroupName"],
    ["a GroupInfo over 32 KB", { GroupId: "g", GroupInfo: "i".repeat(GROUP_INFO_MAX_BYTES + 1) }, "GroupInfo"],
    ["4 Administrators", { GroupId: "g", Administrators: ["a", "b", "c", "d"] }, "Administrators"],
    ["an empty Administrators entry", { GroupId: "g", Administrators: "a,,b" }, "Administrators"],
    ["an Administrators entry with _", { GroupId: "g", Administrators: ["a_b"] }, "Administrators"],
    ["a CreatorId with !", { GroupId: "g", CreatorId: "creator!" }, "CreatorId"],
  ])("rejects %s with InputInvalid naming the parameter", (_label, params, name) => {
    const h = new Harness();
    const appId = h.createApp();
    expectError(h.fail("CreateLiveMessageGroup", { AppId: appId, ...params }), "InputInvalid", 400, name);
  });

  it("accepts limits exactly: 64-byte ID, 128-byte name (multi-byte), 32 KB info, 3 admins", () => {
    const h = new Harness();
    const appId = h.createApp();
    const r = h.createGroup(appId, "x".repeat(64), {
      GroupName: "名".repeat(GROUP_NAME_MAX_BYTES / 4) + "ab".repeat(GROUP_NAME_MAX_BYTES / 8),
      GroupInfo: "i".repeat(GROUP_INFO_MAX_BYTES),
      Administrators: ["a", "b", "c"],
    });
    expect(r.AlreadyExists).toBe(false);
    // A multi-byte name over 128 bytes fails even though it has fewer than 128 characters.
    expectError(
      h.fail("CreateLiveMessageGroup", { AppId: appId, GroupId: "g2", GroupName: "名".repeat(43) }),
      "InputInvalid",
      400,
      "GroupName",
    );
  });

  it("accepts Administrators in the JSON form of the doc examples", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1", { Administrators: '["a1","a2"]' });
    expect(h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }).AdminList).toEqual(["a1", "a2"]);
  });

  it("answers ResourceNotExist for an unknown app", () => {
    const h = new Harness();
    expectError(h.fail("CreateLiveMessageGroup", { AppId: "nope", GroupId: "g1" }), "ResourceNotExist", 404);
  });

  it(`allows ${MAX_LIVE_GROUPS_PER_APP} live groups per app; deleted ones do not count; Recover is limited too`, () => {
    const h = new Harness();
    const appId = h.createApp();
    for (let i = 0; i < MAX_LIVE_GROUPS_PER_APP; i++) h.createGroup(appId, `g${i}`);
    expectError(h.fail("CreateLiveMessageGroup", { AppId: appId, GroupId: "extra" }), "ErrorTooManyGroups", 400);
    // Re-creating an existing ID at the quota still answers AlreadyExists.
    expect(h.createGroup(appId, "g0").AlreadyExists).toBe(true);
    h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g0" });
    expect(h.createGroup(appId, "extra").AlreadyExists).toBe(false);
    expectError(h.fail("RecoverLiveMessageDeletedGroup", { AppId: appId, GroupId: "g0" }), "ErrorTooManyGroups", 400);
    expect(h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g0" }).Delete).toBe(true);
    // Another app has its own quota.
    const other = h.createApp();
    expect(h.createGroup(other, "g0").AlreadyExists).toBe(false);
  });
});

describe("DescribeLiveMessageGroup", () => {
  it("shows deletion details only once deleted, and counters only while it exists", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    h.advance(60_000);
    h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g1", OperatorId: "op1" });
    const d = h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    expect(d).toEqual({
      GroupId: "g1",
      GroupName: "",
      GroupInfo: "",
      CreatorId: "",
      AdminList: [],
      Createtime: T0 / 1000,
      Delete: true,
      SuperLargeGroup: false,
      Deletatime: T0 / 1000 + 60,
      Deletor: "op1",
    });
  });

  it("answers ResourceNotExist for an unknown group and InputInvalid without GroupId", () => {
    const h = new Harness();
    const appId = h.createApp();
    expectError(h.fail("DescribeLiveMessageGroup", { AppId: appId, GroupId: "nope" }), "ResourceNotExist", 404);
    expectError(h.fail("DescribeLiveMessageGroup", { AppId: appId }), "InputInvalid", 400, "GroupId");
  });
});

describe("ModifyLiveMessageGroup", () => {
  it("applies AdminList only with ModifyAdmin=true and GroupInfo only with ModifyInfo=true", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1", { Administrators: ["a1"], GroupInfo: "old" });
    const base = { AppId: appId, GroupId: "g1" };
    expect(h.call("ModifyLiveMessageGroup", { ...base, AdminList: ["b1", "b2"], GroupInfo: "new" })).toEqual({});
    let d = h.call("DescribeLiveMessageGroup", base);
    expect([d.AdminList, d.GroupInfo]).toEqual([["a1"], "old"]);

    h.call("ModifyLiveMessageGroup", { ...base, ModifyAdmin: true, AdminList: ["b1", "b2"], GroupInfo: "new" });
    d = h.call("DescribeLiveMessageGroup", base);
    expect([d.AdminList, d.GroupInfo]).toEqual([["b1", "b2"], "old"]);

    h.call("ModifyLiveMessageGroup", { ...base, ModifyInfo: true, GroupInfo: "new", AdminList: ["c1"] });
    d = h.call("DescribeLiveMessageGroup", base);
    expect([d.AdminList, d.GroupInfo]).toEqual([["b1", "b2"], "new"]);

    // AdminList is a full replacement: ModifyAdmin=true without a list clears it.
    h.call("ModifyLiveMessageGroup", { ...base, ModifyAdmin: true });
    expect(h.call("DescribeLiveMessageGroup", base).AdminList).toEqual([]);
  });

  it("limits admins to 3 and validates everything even when not applied", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    const base = { AppId: appId, GroupId: "g1" };
    expectError(
      h.fail("ModifyLiveMessageGroup", { ...base, ModifyAdmin: true, AdminList: ["a", "b", "c", "d"] }),
      "InputInvalid",
      400,
      "AdminList",
    );
    expectError(h.fail("ModifyLiveMessageGroup", { ...base, ModifyAdmin: "1" }), "InputInvalid", 400, "ModifyAdmin");
    expectError(
      h.fail("ModifyLiveMessageGroup", { ...base, GroupInfo: "x".repeat(GROUP_INFO_MAX_BYTES + 1) }),
      "InputInvalid",
      400,
      "GroupInfo",
    );
  });

  it("answers ResourceNotExist on a deleted or unknown group", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    expectError(h.fail("ModifyLiveMessageGroup", { AppId: appId, GroupId: "g1", ModifyInfo: true }), "ResourceNotExist", 404);
    expectError(h.fail("ModifyLiveMessageGroup", { AppId: appId, GroupId: "g9" }), "ResourceNotExist", 404);
  });
});

describe("DeleteLiveMessageGroup", () => {
  it("soft-deletes; idempotent for already-deleted and unknown groups", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    expect(h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g1", OperatorId: "op1" })).toEqual({ GroupId: "g1" });
    h.advance(10_000);
    expect(h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g1", OperatorId: "op2" })).toEqual({ GroupId: "g1" });
    const d = h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    // The second delete changed nothing.
    expect([d.Deletatime, d.Deletor]).toEqual([T0 / 1000, "op1"]);
    expect(h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "never" })).toEqual({ GroupId: "never" });
  });

  it("Deletor is empty without OperatorId; OperatorId must be an ID", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    expectError(h.fail("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g1", OperatorId: "a b" }), "InputInvalid", 400, "OperatorId");
    h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    expect(h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }).Deletor).toBe("");
  });

  it("disconnects the members", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    h.join(appId, "g1", "u1");
    h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    expect(h.call("CheckLiveMessageUsersOnline", { AppId: appId, UserIds: ["u1"] }).UserList).toEqual([
      { UserId: "u1", Online: false },
    ]);
    h.call("RecoverLiveMessageDeletedGroup", { AppId: appId, GroupId: "g1" });
    expect(h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }).OnlineUserCounts).toBe(0);
  });
});

describe("RecoverLiveMessageDeletedGroup", () => {
  it("recovers within the window: Delete false, deletion fields gone, history queryable again", () => {
    const h = new Harness();
    const { appId } = h.activeGroup("g1");
    h.call("SendLiveMessageGroup", { AppId: appId, GroupId: "g1", SenderId: "s1", Body: "hi", MsgTid: "m1" });
    h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g1", OperatorId: "op" });
    expectError(
      h.fail("ListLiveMessageGroupMessages", { AppId: appId, GroupId: "g1", PageSize: 10, SortType: 1 }),
      "ResourceNotExist",
      404,
    );
    h.advance(RECOVER_WINDOW_SECONDS * 1000); // exactly at the end of the window
    expect(h.call("RecoverLiveMessageDeletedGroup", { AppId: appId, GroupId: "g1" })).toEqual({ GroupId: "g1" });
    const d = h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    expect(d.Delete).toBe(false);
    expect(d).not.toHaveProperty("Deletatime");
    expect(d).not.toHaveProperty("Deletor");
    expect(d.MsgAmount).toEqual({ "0": 1 });
    const msgs = h.call("ListLiveMessageGroupMessages", { AppId: appId, GroupId: "g1", PageSize: 10, SortType: 1 });
    expect(msgs.MessageList.map((m: { MsgTid: string }) => m.MsgTid)).toEqual(["m1"]);
  });

  it("fails after the 30-day window (ResourceNotExist); the group stays deleted", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    h.advance(RECOVER_WINDOW_SECONDS * 1000 + 1000);
    expectError(h.fail("RecoverLiveMessageDeletedGroup", { AppId: appId, GroupId: "g1" }), "ResourceNotExist", 404);
    expect(h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }).Delete).toBe(true);
  });

  it("is a no-op on a live group and ResourceNotExist on an unknown one", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    expect(h.call("RecoverLiveMessageDeletedGroup", { AppId: appId, GroupId: "g1" })).toEqual({ GroupId: "g1" });
    expectError(h.fail("RecoverLiveMessageDeletedGroup", { AppId: appId, GroupId: "g2" }), "ResourceNotExist", 404);
  });
});

describe("ListLiveMessageGroups and ListLiveMessageGroupByPage", () => {
  /** 45 groups, one per second; every third one deleted. */
  function setup(): { h: Harness; appId: string; all: string[]; live: string[]; deleted: string[] } {
    const h = new Harness();
    const appId = h.createApp();
    const all: string[] = [];
    for (let i = 0; i < 45; i++) {
      const id = `grp${String(i).padStart(2, "0")}`;
      h.createGroup(appId, id, { GroupName: `n${i}` });
      all.push(id);
      h.advance(1000);
    }
    const deleted = all.filter((_, i) => i % 3 === 0);
    for (const id of deleted) h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: id });
    return { h, appId, all, live: all.filter((id) => !deleted.includes(id)), deleted };
  }

  function tokenAll(h: Harness, appId: string, sortType: number, groupStatus?: number): string[] {
    const out: string[] = [];
    let token: string | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const r = h.call("ListLiveMessageGroups", { AppId: appId, SortType: sortType, GroupStatus: groupStatus, NextPageToken: token });
      expect(r.GroupList.length).toBeLessThanOrEqual(LIST_GROUPS_PAGE_SIZE);
      out.push(...r.GroupList.map((g: { GroupId: string }) => g.GroupId));
      if (!r.Hasmore) {
        expect(r).not.toHaveProperty("NextpageToken");
        return out;
      }
      expect(typeof r.NextpageToken).toBe("string");
      token = r.NextpageToken;
    }
    throw new Error("paging did not end");
  }

  it("token paging: creation order both ways, GroupStatus filters, NextpageToken is a string", () => {
    const { h, appId, all, live, deleted } = setup();
    expect(tokenAll(h, appId, 1)).toEqual(all);
    expect(tokenAll(h, appId, 2)).toEqual([...all].reverse());
    expect(tokenAll(h, appId, 1, 1)).toEqual(live);
    expect(tokenAll(h, appId, 2, 2)).toEqual([...deleted].reverse());
    const first = h.call("ListLiveMessageGroups", { AppId: appId, SortType: 1 });
    expect(first.GroupList[0]).toEqual({
      GroupId: "grp00",
      GroupName: "n0",
      GroupInfo: "",
      CreatorId: "",
      AdminList: [],
      Createtime: T0 / 1000,
      Delete: true,
    });
  });

  it("token paging stays stable while groups are created between pages", () => {
    const { h, appId, all } = setup();
    const p1 = h.call("ListLiveMessageGroups", { AppId: appId, SortType: 1 });
    h.createGroup(appId, "late1");
    const p2 = h.call("ListLiveMessageGroups", { AppId: appId, SortType: 1, NextPageToken: p1.NextpageToken });
    expect(p2.GroupList[0].GroupId).toBe(all[LIST_GROUPS_PAGE_SIZE]);
  });

  it("page-number paging with TotalCount, PageNumber and PageSize", () => {
    const { h, appId, all, live } = setup();
    const r = h.call("ListLiveMessageGroupByPage", { AppId: appId, SortType: 1 });
    expect(r.TotalCount).toBe(45);
    expect(r.PageNumber).toBe(1);
    expect(r.PageSize).toBe(BY_PAGE_SIZE_DEFAULT);
    expect(r.GroupList.map((g: { GroupId: string }) => g.GroupId)).toEqual(all.slice(0, BY_PAGE_SIZE_DEFAULT));
    const p3 = h.call("ListLiveMessageGroupByPage", { AppId: appId, SortType: 2, PageNumber: 3, PageSize: 7, GroupStatus: 1 });
    expect(p3.TotalCount).toBe(live.length);
    expect(p3.GroupList.map((g: { GroupId: string }) => g.GroupId)).toEqual([...live].reverse().slice(14, 21));
    const beyond = h.call("ListLiveMessageGroupByPage", { AppId: appId, SortType: 1, PageNumber: 100, PageSize: 50 });
    expect(beyond.GroupList).toEqual([]);
    expect(beyond.TotalCount).toBe(45);
  });

  it.each([
    ["ListLiveMessageGroups", {}, "SortType"],
    ["ListLiveMessageGroups", { SortType: 0 }, "SortType"],
    ["ListLiveMessageGroups", { SortType: 1, GroupStatus: 3 }, "GroupStatus"],
    ["ListLiveMessageGroups", { SortType: 1, NextPageToken: "x1" }, "NextPageToken"],
    ["ListLiveMessageGroupByPage", {}, "SortType"],
    ["ListLiveMessageGroupByPage", { SortType: 1, PageNumber: 0 }, "PageNumber"],
    ["ListLiveMessageGroupByPage", { SortType: 1, PageNumber: 10001 }, "PageNumber"],
    ["ListLiveMessageGroupByPage", { SortType: 1, PageSize: 51 }, "PageSize"],
    ["ListLiveMessageGroupByPage", { SortType: 1, PageSize: 0 }, "PageSize"],
  ])("%s rejects %j naming %s", (action, params, name) => {
    const h = new Harness();
    const appId = h.createApp();
    expectError(h.fail(action, { AppId: appId, ...params }), "InputInvalid", 400, name);
  });

  it("an empty app lists nothing", () => {
    const h = new Harness();
    const appId = h.createApp();
    expect(h.call("ListLiveMessageGroups", { AppId: appId, SortType: 1 })).toEqual({ GroupList: [], Hasmore: false });
    expect(h.call("ListLiveMessageGroupByPage", { AppId: appId, SortType: 1, PageSize: 5 })).toEqual({
      GroupList: [],
      TotalCount: 0,
      PageNumber: 1,
      PageSize: 5,
    });
  });
});

describe("timestamps", () => {
  it("are Unix seconds (floor of the ms clock)", () => {
    const h = new Harness();
    h.now = T0 + 999;
    const appId = h.createApp();
    h.advance(DAY_MS);
    h.createGroup(appId, "g1");
    expect(h.call("DescribeLiveMessageApp", { AppId: appId }).CreateTime).toBe(T0 / 1000);
    expect(h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }).Createtime).toBe((T0 + DAY_MS) / 1000);
  });
});
