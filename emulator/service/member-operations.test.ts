import { CHECK_USER_IDS_MAX as MAX_USER_IDS_PER_CHECK, SUPER_GROUP_MEMBERS as SUPER_GROUP_THRESHOLD, META_INFO_MAX_BYTES as USER_META_MAX_BYTES } from "../spec/limits";
import { expectError, Harness } from "./test-support/harness";

function usersOf(h: Harness, appId: string, groupId: string, sortType: number, pageSize = 10): string[] {
  const out: string[] = [];
  let token: number | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const r = h.call("ListLiveMessageGroupUsers", { AppId: appId, GroupId: groupId, PageSize: pageSize, SortType: sortType, NextPageToken: token });
    expect(r.UserList.length).toBeLessThanOrEqual(pageSize);
    out.push(...r.UserList.map((u: { UserId: string }) => u.UserId));
    if (!r.Hasmore) {
      expect(r.NextPageToken).toBe(0);
      return out;
    }
    expect(r.NextPageToken).toBeGreaterThan(0);
    token = r.NextPageToken;
  }
  throw new Error("paging did not end");
}

describe("admin join / leave and the presence counters", () => {
  it("join adds a member (OnlineUserCounts, TotalTimes); leave removes it; re-join counts a new session", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    h.join(appId, "g1", "u1", "info1");
    h.join(appId, "g1", "u2");
    h.join(appId, "g1", "u1", "info1b"); // already in: info updated, nothing counted
    let d = h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    expect([d.OnlineUserCounts, d.TotalTimes]).toEqual([2, 2]);
    h.leave(appId, "g1", "u1");
    h.leave(appId, "g1", "nobody"); // no error
    d = h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    expect([d.OnlineUserCounts, d.TotalTimes]).toEqual([1, 2]);
    h.join(appId, "g1", "u1");
    d = h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    expect([d.OnlineUserCounts, d.TotalTimes]).toEqual([2, 3]);
    const users = h.call("ListLiveMessageGroupUsers", { AppId: appId, GroupId: "g1", PageSize: 10, SortType: 1 });
    expect(users.UserList).toEqual([
      { UserId: "u2", UserInfo: "" },
      { UserId: "u1", UserInfo: "" },
    ]);
  });

  it("join addresses the app by id whatever the account; unknown app/group or a deleted group → ResourceNotExist", () => {
    const h = new Harness();
    const appId = h.createApp({}, "1000000000000002");
    h.call("CreateLiveMessageGroup", { AppId: appId, GroupId: "g1" }, "1000000000000002");
    h.join(appId, "g1", "u1");
    expect(() => h.join("nope", "g1", "u1")).toThrow(expect.objectContaining({ code: "ResourceNotExist", httpStatus: 404 }));
    expect(() => h.join(appId, "nope", "u1")).toThrow(expect.objectContaining({ code: "ResourceNotExist" }));
    h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g1" }, "1000000000000002");
    expect(() => h.join(appId, "g1", "u1")).toThrow(expect.objectContaining({ code: "ResourceNotExist" }));
    expect(() => h.leave(appId, "g1", "u1")).not.toThrow();
  });

  it("join validates the user id and info", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    expect(() => h.join(appId, "g1", "bad id")).toThrow(expect.objectContaining({ code: "InputInvalid" }));
    expect(() => h.join(appId, "g1", "u1", "x".repeat(USER_META_MAX_BYTES + 1))).toThrow(
      expect.objectContaining({ code: "InputInvalid" }),
    );
  });
});

describe("ListLiveMessageGroupUsers", () => {
  it("pages by join time both ways with NextPageToken (0 = no more)", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    const ids = Array.from({ length: 37 }, (_, i) => `user${i}`);
    for (const id of ids) {
      h.join(appId, "g1", id, `meta-${id}`);
      h.advance(10);
    }
    expect(usersOf(h, appId, "g1", 1)).toEqual(ids);
    expect(usersOf(h, appId, "g1", 2)).toEqual([...ids].reverse());
    expect(usersOf(h, appId, "g1", 1, 50)).toEqual(ids);
    const first = h.call("ListLiveMessageGroupUsers", { AppId: appId, GroupId: "g1", PageSize: 10, SortType: 1 });
    expect(first).toEqual({
      GroupId: "g1",
      UserList: ids.slice(0, 10).map((id) => ({ UserId: id, UserInfo: `meta-${id}` })),
      Hasmore: true,
      NextPageToken: expect.any(Number),
    });
  });

  it("continues correctly when the cursor user left between pages", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    const ids = Array.from({ length: 25 }, (_, i) => `user${i}`);
    for (const id of ids) h.join(appId, "g1", id);
    const p1 = h.call("ListLiveMessageGroupUsers", { AppId: appId, GroupId: "g1", PageSize: 10, SortType: 1 });
    h.leave(appId, "g1", "user10");
    const p2 = h.call("ListLiveMessageGroupUsers", { AppId: appId, GroupId: "g1", PageSize: 10, SortType: 1, NextPageToken: p1.NextPageToken });
    expect(p2.UserList.map((u: { UserId: string }) => u.UserId)).toEqual(ids.slice(11, 21));
    const d1 = h.call("ListLiveMessageGroupUsers", { AppId: appId, GroupId: "g1", PageSize: 10, SortType: 2 });
    h.leave(appId, "g1", "user14");
    const d2 = h.call("ListLiveMessageGroupUsers", { AppId: appId, GroupId: "g1", PageSize: 10, SortType: 2, NextPageToken: d1.NextPageToken });
    expect(d2.UserList.map((u: { UserId: string }) => u.UserId)).toEqual(["user13", "user12", "user11", "user9", "user8", "user7", "user6", "user5", "user4", "user3"]);
  });

  it.each([
    [{ PageSize: 9, SortType: 1 }, "PageSize"],
    [{ PageSize: 51, SortType: 1 }, "PageSize"],
    [{ SortType: 1 }, "PageSize"],
    [{ PageSize: 10 }, "SortType"],
    [{ PageSize: 10, SortType: 3 }, "SortType"],
    [{ PageSize: 10, SortType: 1, NextPageToken: "1.5" }, "NextPageToken"],
  ])("rejects %j", (params, name) => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    expectError(h.fail("ListLiveMessageGroupUsers", { AppId: appId, GroupId: "g1", ...params }), "InputInvalid", 400, name);
  });

  it("answers ResourceNotExist for a deleted group", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    expectError(
      h.fail("ListLiveMessageGroupUsers", { AppId: appId, GroupId: "g1", PageSize: 10, SortType: 1 }),
      "ResourceNotExist",
      404,
    );
  });
});

describe("super groups", () => {
  it(`above ${SUPER_GROUP_THRESHOLD} members: SuperLargeGroup, list empty; reverts only once every member has left`, () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "big");
    for (let i = 0; i < SUPER_GROUP_THRESHOLD; i++) h.join(appId, "big", `u${i}`);
    let d = h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "big" });
    expect([d.SuperLargeGroup, d.OnlineUserCounts]).toEqual([false, SUPER_GROUP_THRESHOLD]);
    h.join(appId, "big", "onemore");
    d = h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "big" });
    expect([d.SuperLargeGroup, d.OnlineUserCounts]).toEqual([true, SUPER_GROUP_THRESHOLD + 1]);
    const list = { AppId: appId, GroupId: "big", PageSize: 50, SortType: 1 };
    expect(h.call("ListLiveMessageGroupUsers", list)).toEqual({ GroupId: "big", UserList: [], Hasmore: false, NextPageToken: 0 });
    // Presence still answers.
    expect(h.call("CheckLiveMessageUsersInGroup", { AppId: appId, GroupId: "big", UserIds: ["u5", "zz"] }).Users).toEqual([
      { UserId: "u5", Online: true },
      { UserId: "zz", Online: false },
    ]);
    // Dropping below the threshold does not revert.
    h.leave(appId, "big", "onemore");
    h.leave(appId, "big", "u0");
    expect(h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "big" }).SuperLargeGroup).toBe(true);
    expect(h.call("ListLiveMessageGroupUsers", list).UserList).toEqual([]);
    for (let i = 1; i < SUPER_GROUP_THRESHOLD; i++) h.leave(appId, "big", `u${i}`);
    d = h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "big" });
    expect([d.SuperLargeGroup, d.OnlineUserCounts]).toEqual([false, 0]);
    h.join(appId, "big", "fresh");
    expect(h.call("ListLiveMessageGroupUsers", list).UserList).toEqual([{ UserId: "fresh", UserInfo: "" }]);
  });
});

describe("CheckLiveMessageUsersInGroup", () => {
  it("Online means 'is in this group', in request order", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    h.createGroup(appId, "g2");
    h.join(appId, "g1", "a");
    h.join(appId, "g2", "b");
    expect(h.call("CheckLiveMessageUsersInGroup", { AppId: appId, GroupId: "g1", UserIds: ["b", "a", "c"] })).toEqual({
      Users: [
        { UserId: "b", Online: false },
        { UserId: "a", Online: true },
        { UserId: "c", Online: false },
      ],
    });
  });

  it(`requires 1–${MAX_USER_IDS_PER_CHECK} valid UserIds`, () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    const base = { AppId: appId, GroupId: "g1" };
    expectError(h.fail("CheckLiveMessageUsersInGroup", base), "InputInvalid", 400, "UserIds");
    expectError(h.fail("CheckLiveMessageUsersInGroup", { ...base, UserIds: "" }), "InputInvalid", 400, "UserIds");
    const eleven = Array.from({ length: MAX_USER_IDS_PER_CHECK + 1 }, (_, i) => `u${i}`);
    expectError(h.fail("CheckLiveMessageUsersInGroup", { ...base, UserIds: eleven }), "InputInvalid", 400, "UserIds");
    expect(h.call("CheckLiveMessageUsersInGroup", { ...base, UserIds: eleven.slice(1) }).Users).toHaveLength(MAX_USER_IDS_PER_CHECK);
    expectError(h.fail("CheckLiveMessageUsersInGroup", { ...base, UserIds: ["ok", "not ok"] }), "InputInvalid", 400, "UserIds");
  });
});

describe("CheckLiveMessageUsersOnline", () => {
  it("a user is online while in any group of the app (not of another app)", () => {
    const h = new Harness();
    const appId = h.createApp();
    const other = h.createApp();
    h.createGroup(appId, "g1");
    h.createGroup(appId, "g2");
    h.createGroup(other, "g1");
    h.join(appId, "g1", "a");
    h.join(appId, "g2", "a");
    h.join(other, "g1", "b");
    const check = (): unknown => h.call("CheckLiveMessageUsersOnline", { AppId: appId, UserIds: ["a", "b"] }).UserList;
    expect(check()).toEqual([
      { UserId: "a", Online: true },
      { UserId: "b", Online: false },
    ]);
    h.leave(appId, "g1", "a");
    expect(check()).toEqual([
      { UserId: "a", Online: true },
      { UserId: "b", Online: false },
    ]);
    h.call("KickLiveMessageGroupUser", { AppId: appId, GroupId: "g2", KickoffUser: "a" });
    expect(check()).toEqual([
      { UserId: "a", Online: false },
      { UserId: "b", Online: false },
    ]);
  });

  it("requires UserIds", () => {
    const h = new Harness();
    const appId = h.createApp();
    expectError(h.fail("CheckLiveMessageUsersOnline", { AppId: appId }), "InputInvalid", 400, "UserIds");
  });
});

describe("KickLiveMessageGroupUser", () => {
  it("removes the user from the group; kicking a non-member succeeds; the user may rejoin", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    h.join(appId, "g1", "a");
    h.join(appId, "g1", "b");
    expect(h.call("KickLiveMessageGroupUser", { AppId: appId, GroupId: "g1", KickoffUser: "a" })).toEqual({});
    expect(usersOf(h, appId, "g1", 1)).toEqual(["b"]);
    expect(h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }).OnlineUserCounts).toBe(1);
    expect(h.call("KickLiveMessageGroupUser", { AppId: appId, GroupId: "g1", KickoffUser: "zz" })).toEqual({});
    h.join(appId, "g1", "a");
    expect(usersOf(h, appId, "g1", 1)).toEqual(["b", "a"]);
  });

  it("requires KickoffUser and a live group", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    expectError(h.fail("KickLiveMessageGroupUser", { AppId: appId, GroupId: "g1" }), "InputInvalid", 400, "KickoffUser");
    expectError(h.fail("KickLiveMessageGroupUser", { AppId: appId, GroupId: "gx", KickoffUser: "a" }), "ResourceNotExist", 404);
  });
});

describe("ModifyLiveMessageUserInfo", () => {
  it("updates the user's info in every group they are in (SuccessList), FailList empty", () => {
    const h = new Harness();
    const appId = h.createApp();
    for (const g of ["g1", "g2", "g3"]) h.createGroup(appId, g);
    h.join(appId, "g2", "a", "old");
    h.join(appId, "g1", "a", "old");
    h.join(appId, "g3", "b", "keep");
    const r = h.call("ModifyLiveMessageUserInfo", { AppId: appId, UserId: "a", UserMetaInfo: "new" });
    expect(r).toEqual({
      SuccessList: [
        { GroupId: "g2", Success: true },
        { GroupId: "g1", Success: true },
      ],
      FailList: [],
    });
    for (const g of ["g1", "g2"]) {
      const users = h.call("ListLiveMessageGroupUsers", { AppId: appId, GroupId: g, PageSize: 10, SortType: 1 }).UserList;
      expect(users).toEqual([{ UserId: "a", UserInfo: "new" }]);
    }
    expect(h.call("ListLiveMessageGroupUsers", { AppId: appId, GroupId: "g3", PageSize: 10, SortType: 1 }).UserList).toEqual([
      { UserId: "b", UserInfo: "keep" },
    ]);
  });

  it("succeeds for an unknown user with empty lists; validates UserId and UserMetaInfo", () => {
    const h = new Harness();
    const appId = h.createApp();
    expect(h.call("ModifyLiveMessageUserInfo", { AppId: appId, UserId: "ghost", UserMetaInfo: "x" })).toEqual({
      SuccessList: [],
      FailList: [],
    });
    expectError(h.fail("ModifyLiveMessageUserInfo", { AppId: appId }), "InputInvalid", 400, "UserId");
    expectError(
      h.fail("ModifyLiveMessageUserInfo", { AppId: appId, UserId: "a", UserMetaInfo: "x".repeat(USER_META_MAX_BYTES + 1) }),
      "InputInvalid",
      400,
      "UserMetaInfo",
    );
  });
});
