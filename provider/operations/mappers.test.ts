import { LiveResponseError } from "../client/errors";
import { DescribeLiveMessageAppResponse } from "./DescribeLiveMessageApp";
import { DescribeLiveMessageGroupResponse } from "./DescribeLiveMessageGroup";
import { DescribeLiveMessageGroupBandResponse } from "./DescribeLiveMessageGroupBand";
import { ListLiveMessageAppsResponse } from "./ListLiveMessageApps";
import { ListLiveMessageGroupByPageResponse } from "./ListLiveMessageGroupByPage";
import { ListLiveMessageGroupsResponse } from "./ListLiveMessageGroups";
import {
  parseDisableFlag,
  parsePageToken,
  toAppListEntry,
  toAppRecord,
  toAppsPage,
  toGroupBandRecord,
  toGroupListEntry,
  toGroupRecord,
  toGroupsByPage,
  toGroupsPage,
} from "./mappers";

const RID = "9FB68B5B-ED07-18F0-A3CF-083F4E74ABCD";

describe("parseDisableFlag (ListLiveMessageApps' string Disable, §3.3)", () => {
  it.each([
    ["true", true],
    ["TRUE", true],
    ["1", true],
    ["false", false],
    [" False ", false],
    ["0", false],
    ["", false],
    ["maybe", undefined],
    [undefined, undefined],
  ])("%p → %p", (input, expected) => {
    expect(parseDisableFlag(input)).toBe(expected);
  });
});

describe("parsePageToken", () => {
  it("parses ListLiveMessageGroups' string token", () => {
    expect(parsePageToken("A", "F", "1001")).toBe(1001);
    expect(parsePageToken("A", "F", 7)).toBe(7);
    expect(parsePageToken("A", "F", "")).toBeUndefined();
    expect(parsePageToken("A", "F", undefined)).toBeUndefined();
  });
  it("throws LiveResponseError naming action and field for garbage", () => {
    expect(() => parsePageToken("ListLiveMessageGroups", "NextpageToken", "abc")).toThrow(LiveResponseError);
    expect(() => parsePageToken("ListLiveMessageGroups", "NextpageToken", "1.5")).toThrow(/ListLiveMessageGroups.*"NextpageToken"/);
  });
});

describe("toAppRecord", () => {
  it("maps every DescribeLiveMessageApp field to lowerCamelCase", () => {
    const r = DescribeLiveMessageAppResponse.parse({
      RequestId: RID,
      AppId: "demo",
      AppName: "testApp",
      AppKey: "key",
      AppSign: "sign",
      AuditType: 2,
      AuditUrl: "http://example.com/a",
      EventCallbackUrl: "",
      MsgLifeCycle: 1,
      DataCenter: "cn-shanghai",
      Disable: true,
      CreateTime: 1698305471,
      ModifyTime: 1698305472,
    });
    expect(toAppRecord(r)).toEqual({
      appId: "demo",
      appName: "testApp",
      appKey: "key",
      appSign: "sign",
      auditType: 2,
      auditUrl: "http://example.com/a",
      eventCallbackUrl: "",
      msgLifeCycle: 1,
      dataCenter: "cn-shanghai",
      disabled: true,
      createTime: 1698305471,
      modifyTime: 1698305472,
    });
  });
  it("leaves absent fields absent", () => {
    const out = toAppRecord(DescribeLiveMessageAppResponse.parse({ RequestId: RID, AppId: "demo" }));
    expect(out).toEqual({ appId: "demo" });
    expect(Object.keys(out)).toEqual(["appId"]);
  });
});

describe("apps list", () => {
  const body = ListLiveMessageAppsResponse.parse({
    RequestId: RID,
    AppList: [
      { AppId: "a1", AppName: "one", Disable: "false", MsgLifeCycle: 0, CreateTime: 1, ModifyTime: 2, DataCenter: "cn-shanghai" },
      { AppId: "a2", Disable: "true" },
    ],
    HasMore: true,
    NextPageToken: 2,
  });
  it("toAppListEntry parses the string Disable", () => {
    expect(toAppListEntry(body.AppList![0]!)).toEqual({
      appId: "a1",
      appName: "one",
      disabled: false,
      msgLifeCycle: 0,
      createTime: 1,
      modifyTime: 2,
      dataCenter: "cn-shanghai",
    });
    expect(toAppListEntry(body.AppList![1]!)).toEqual({ appId: "a2", disabled: true });
  });
  it("toAppsPage carries HasMore / NextPageToken", () => {
    const page = toAppsPage(body);
    expect(page.items.map((a) => a.appId)).toEqual(["a1", "a2"]);
    expect(page.hasMore).toBe(true);
    expect(page.nextPageToken).toBe(2);
  });
  it("an empty last page", () => {
    expect(toAppsPage(ListLiveMessageAppsResponse.parse({ RequestId: RID, HasMore: false, NextPageToken: 9 }))).toEqual({ items: [], hasMore: false });
  });
});

describe("groups", () => {
  it("toGroupRecord maps the casing quirks (Createtime, Deletatime, Deletor, OnlineUserCounts)", () => {
    const live = DescribeLiveMessageGroupResponse.parse({
      RequestId: RID,
      GroupId: "g1",
      GroupName: "n",
      GroupInfo: "i",
      CreatorId: "uid1",
      AdminList: ["uid1"],
      Createtime: 10,
      Delete: false,
      SuperLargeGroup: false,
      OnlineUserCounts: 2,
      TotalTimes: 50,
      MsgAmount: { "1": 20, "2": 30 },
    });
    expect(toGroupRecord(live)).toEqual({
      groupId: "g1",
      groupName: "n",
      groupInfo: "i",
      creatorId: "uid1",
      administrators: ["uid1"],
      createTime: 10,
      deleted: false,
      superLargeGroup: false,
      onlineUserCount: 2,
      totalTimes: 50,
      msgAmount: { "1": 20, "2": 30 },
    });
    const deleted = DescribeLiveMessageGroupResponse.parse({ RequestId: RID, GroupId: "g1", Delete: true, Deletatime: 20, Deletor: "uid9" });
    expect(toGroupRecord(deleted)).toEqual({ groupId: "g1", administrators: [], deleted: true, deleteTime: 20, deletedBy: "uid9" });
  });

  it("toGroupsPage parses the string NextpageToken only when Hasmore", () => {
    const more = ListLiveMessageGroupsResponse.parse({
      RequestId: RID,
      GroupList: [{ GroupId: "g1", Createtime: 5, Delete: true, AdminList: ["a"] }],
      Hasmore: true,
      NextpageToken: "1001",
    });
    expect(toGroupsPage(more)).toEqual({
      items: [{ groupId: "g1", createTime: 5, deleted: true, administrators: ["a"] }],
      hasMore: true,
      nextPageToken: 1001,
    });
    expect(toGroupsPage(ListLiveMessageGroupsResponse.parse({ RequestId: RID, Hasmore: false, NextpageToken: "zzz" }))).toEqual({
      items: [],
      hasMore: false,
    });
    expect(() => toGroupsPage(ListLiveMessageGroupsResponse.parse({ RequestId: RID, Hasmore: true, NextpageToken: "zzz" }))).toThrow(LiveResponseError);
  });

  it("toGroupListEntry defaults administrators and deleted", () => {
    expect(toGroupListEntry({ GroupId: "g" })).toEqual({ groupId: "g", administrators: [], deleted: false });
  });

  it("toGroupsByPage derives hasMore from TotalCount", () => {
    const page = (n: number, size: number, total: number, count: number) =>
      toGroupsByPage(
        ListLiveMessageGroupByPageResponse.parse({
          RequestId: RID,
          GroupList: Array.from({ length: count }, (_, i) => ({ GroupId: `g${i}` })),
          PageNumber: n,
          PageSize: size,
          TotalCount: total,
        }),
      );
    expect(page(1, 20, 50, 20)).toMatchObject({ hasMore: true, nextPageToken: 2, totalCount: 50 });
    expect(page(3, 20, 50, 10)).toMatchObject({ hasMore: false, totalCount: 50 });
    expect(page(3, 20, 50, 10).nextPageToken).toBeUndefined();
    expect(page(1, 20, 20, 20).hasMore).toBe(false);
  });
});

describe("toGroupBandRecord", () => {
  it("maps IsbannedAll / BannedUserList / UnbannedUserList", () => {
    expect(
      toGroupBandRecord(
        DescribeLiveMessageGroupBandResponse.parse({ RequestId: RID, GroupId: "g", IsbannedAll: true, BannedUserList: ["u3"], UnbannedUserList: ["u1"] }),
      ),
    ).toEqual({ groupId: "g", bannedAll: true, bannedUsers: ["u3"], exceptUsers: ["u1"] });
    expect(toGroupBandRecord(DescribeLiveMessageGroupBandResponse.parse({ RequestId: RID }))).toEqual({
      bannedAll: false,
      bannedUsers: [],
      exceptUsers: [],
    });
  });
});
