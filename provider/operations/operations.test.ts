/**
 * Table-driven tests of the 29 operation modules: valid requests, every documented limit (with boundaries),
 * spec-shaped responses, wrong-typed responses through `validateResponse`, and `invoke` through a fake caller.
 */
import { LiveResponseError, LiveValidationError } from "../client/errors";
import {
  GROUP_INFO_MAX_BYTES,
  GROUP_NAME_MAX_BYTES,
  MESSAGE_BODY_MAX_BYTES,
  SENDER_META_MAX_BYTES,
  USER_META_MAX_BYTES,
} from "../limits";
import type { ActionCaller, ApiParams, CallOptions } from "../client/call-options";
import { OPERATIONS, getOperation, issuePath, retrySafetyOf, validateResponse } from "./index";

const RID = "1815A27D-BAE2-10E6-89FD-D477951C67C7";
const APP = { AppId: "demo", DataCenter: "cn-shanghai" };
const ids = (n: number, prefix = "uid") => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const SECRET_SIGN = "SECRETappSIGNvalue0123456789";

interface Fixture {
  /** A valid request (all documented parameters where practical). */
  params: Record<string, unknown>;
  /** A spec-shaped success body (§3–§8, including the doc examples). */
  response: Record<string, unknown>;
  /** A documented response field given the wrong type. */
  bad: { path: (string | number)[]; value: unknown };
}

const groupItem = {
  GroupId: "grouptest",
  GroupName: "mytestgroup",
  GroupInfo: "testgroupinfo",
  CreatorId: "user_77",
  AdminList: ["uid1", "uid2"],
  Createtime: 1698299727,
  Delete: false,
};

const FIXTURES: Record<string, Fixture> = {
  CreateLiveMessageApp: {
    params: {
      AppName: "testApp",
      AuditType: 2,
      AuditUrl: "http://demo.aliyundoc.com/exampleaudit",
      EventCallbackUrl: "https://demo.aliyundoc.com/examplecallback",
      MsgLifeCycle: 1,
      DataCenter: "ap-southeast-1",
    },
    response: { RequestId: RID, AppId: "demo", AppKey: "k".repeat(32), AppSign: SECRET_SIGN, DataCenter: "cn-shanghai" },
    bad: { path: ["AppId"], value: 12345 },
  },
  DescribeLiveMessageApp: {
    params: { ...APP },
    response: {
      RequestId: RID,
      AppId: "demo",
      AppName: "testApp",
      AppKey: "k".repeat(32),
      AppSign: SECRET_SIGN,
      AuditType: 2,
      AuditUrl: "http://example.aliyundoc.com/exampleaudit",
      EventCallbackUrl: "http://example.aliyundoc.com/examplecallback",
      MsgLifeCycle: 1,
      DataCenter: "cn-shanghai",
      Disable: false,
      CreateTime: 1698305471,
      ModifyTime: 1698305471,
    },
    bad: { path: ["Disable"], value: "false" },
  },
  ListLiveMessageApps: {
    params: { SortType: 1, NextPageToken: 1, DataCenter: "cn-shanghai" },
    response: {
      RequestId: RID,
      AppList: [
        {
          AppId: "demo",
          AppName: "testApp",
          AppKey: "k".repeat(32),
          AppSign: SECRET_SIGN,
          CreateTime: 1698305471,
          ModifyTime: 1698305471,
          DataCenter: "cn-shanghai",
          MsgLifeCycle: 1,
          Disable: "false",
        },
      ],
      HasMore: true,
      NextPageToken: 1,
    },
    // §3.3: Disable is a string on this operation.
    bad: { path: ["AppList", 0, "Disable"], value: false },
  },
  ModifyLiveMessageAppAudit: {
    params: { ...APP, AuditType: 2, AuditUrl: "https://example.com/audit" },
    response: {
      RequestId: RID,
      AppId: "demo",
      AppSign: SECRET_SIGN,
      AuditType: 2,
      AuditUrl: "https://example.com/audit",
      AuditNeedAuthentication: true,
    },
    bad: { path: ["AuditType"], value: "2" },
  },
  ModifyLiveMessageAppCallback: {
    params: { ...APP, EventCallbackUrl: "" },
    response: { RequestId: RID, AppId: "demo", AppSign: SECRET_SIGN, EventCallbackNeedAuthentication: true },
    bad: { path: ["EventCallbackNeedAuthentication"], value: "true" },
  },
  ModifyLiveMessageAppDisable: {
    params: { ...APP, Disable: true },
    response: { RequestId: RID, AppId: "demo", AppSign: SECRET_SIGN, Disable: true },
    bad: { path: ["Disable"], value: 1 },
  },
  CreateLiveMessageGroup: {
    params: {
      ...APP,
      GroupId: "grouptest",
      GroupName: "mytestgroup",
      GroupInfo: "testgroupinfo",
      Administrators: ["uid1", "uid2"],
      CreatorId: "uid1",
    },
    response: { RequestId: RID, GroupId: "grouptest", AlreadyExists: false, AlreadyDelete: false },
    bad: { path: ["AlreadyExists"], value: "false" },
  },
  DescribeLiveMessageGroup: {
    params: { ...APP, GroupId: "grouptest1" },
    response: {
      RequestId: RID,
      GroupId: "grouptest1",
      GroupName: "mytestgroup",
      GroupInfo: "testgroupinfo",
      CreatorId: "uid1",
      AdminList: ["uid1"],
      Createtime: 1698305471,
      Delete: false,
      SuperLargeGroup: false,
      OnlineUserCounts: 2,
      TotalTimes: 50,
      MsgAmount: { "1": 20, "2": 30 },
    },
    bad: { path: ["MsgAmount", "1"], value: "20" },
  },
  ModifyLiveMessageGroup: {
    params: { ...APP, GroupId: "grouptest", ModifyAdmin: true, AdminList: ["uid1", "uid2", "uid3"], ModifyInfo: true, GroupInfo: "x" },
    response: { RequestId: RID },
    bad: { path: ["RequestId"], value: 1 },
  },
  DeleteLiveMessageGroup: {
    params: { ...APP, GroupId: "grouptest", OperatorId: "uid1" },
    response: { RequestId: RID, GroupId: "grouptest" },
    bad: { path: ["GroupId"], value: ["grouptest"] },
  },
  RecoverLiveMessageDeletedGroup: {
    params: { ...APP, GroupId: "grouptest" },
    response: { RequestId: RID, GroupId: "grouptest" },
    bad: { path: ["GroupId"], value: null },
  },
  ListLiveMessageGroups: {
    params: { ...APP, SortType: 2, GroupStatus: 1, NextPageToken: 1001 },
    response: { RequestId: RID, GroupList: [groupItem], Hasmore: true, NextpageToken: "1001" },
    // §5.6: NextpageToken is a string here.
    bad: { path: ["NextpageToken"], value: 1001 },
  },
  ListLiveMessageGroupByPage: {
    params: { ...APP, SortType: 1, PageNumber: 1, PageSize: 20, GroupStatus: 0 },
    response: { RequestId: RID, GroupList: [groupItem], TotalCount: 50, PageNumber: 1, PageSize: 20 },
    bad: { path: ["TotalCount"], value: "50" },
  },
  ListLiveMessageGroupUsers: {
    params: { ...APP, GroupId: "grouptest", PageSize: 10, SortType: 1, NextPageToken: 0 },
    response: {
      RequestId: RID,
      GroupId: "grouptest",
      UserList: [{ UserId: "uid1", UserInfo: "info1" }],
      Hasmore: false,
      NextPageToken: 0,
    },
    bad: { path: ["UserList", 0, "UserId"], value: 7 },
  },
  CheckLiveMessageUsersInGroup: {
    params: { ...APP, GroupId: "grouptest", UserIds: ["uid1", "uid2"] },
    response: { RequestId: RID, Users: [{ UserId: "uid1", Online: true }, { UserId: "uid2", Online: false }] },
    bad: { path: ["Users", 1, "Online"], value: "false" },
  },
  CheckLiveMessageUsersOnline: {
    params: { ...APP, UserIds: ["uid1"] },
    response: { RequestId: RID, UserList: [{ UserId: "uid1", Online: true }] },
    bad: { path: ["UserList"], value: { UserId: "uid1" } },
  },
  KickLiveMessageGroupUser: {
    params: { ...APP, GroupId: "grouptest", KickoffUser: "uid1" },
    response: { RequestId: RID },
    bad: { path: ["RequestId"], value: false },
  },
  ModifyLiveMessageUserInfo: {
    params: { ...APP, UserId: "uid1", UserMetaInfo: "testusermeta" },
    response: {
      RequestId: RID,
      SuccessList: [{ GroupId: "grouptest1", Success: true }],
      FailList: [{ GroupId: "grouptest2", Success: false, Code: 440, Reason: "group not exists or already deleted" }],
    },
    bad: { path: ["FailList", 0, "Code"], value: "440" },
  },
  SendLiveMessageGroup: {
    params: {
      ...APP,
      GroupId: "grouptest",
      SenderId: "uid1",
      SenderMetaInfo: "uid1meta1",
      Body: "hello,group",
      MsgType: 1,
      MsgTid: "msg1",
      StaticsIncrease: 1,
      Weight: 1000000,
      NoStorage: false,
      NoCache: false,
    },
    response: { RequestId: RID, MsgTid: "msg1" },
    bad: { path: ["MsgTid"], value: 1 },
  },
  SendLiveMessageUser: {
    params: {
      ...APP,
      ReceiverId: "uid2",
      SenderId: "uid1",
      SenderInfo: "meta",
      Body: "hi",
      MsgType: 3,
      MsgTid: "m2",
      HighReliability: true,
      Storage: true,
    },
    response: { RequestId: RID, MsgTid: "m2" },
    bad: { path: ["MsgTid"], value: { id: "m2" } },
  },
  ListLiveMessageGroupMessages: {
    params: { ...APP, GroupId: "grouptest", PageSize: 50, SortType: 2, BeginTime: 0, EndTime: 1697081134, MsgType: 2, NextPageToken: 0 },
    response: {
      RequestId: RID,
      GroupId: "grouptest",
      MessageList: [
        {
          MsgTid: "c-1-1-0",
          MsgType: 2,
          Body: "step2 helo, cc group",
          SeqNumber: 1,
          Timestamp: 1697081134,
          TotalMessages: 1,
          Sender: { UserId: "uid2", UserInfo: "testusermeta2" },
        },
      ],
      Hasmore: false,
      NextPageToken: 0,
    },
    bad: { path: ["MessageList", 0, "Sender", "UserId"], value: 2 },
  },
  DeleteLiveMessageGroupMessage: {
    params: { ...APP, GroupId: "grouptest", MessageId: "msg1", DeleterId: "uid1", DeleterInfo: "testname" },
    response: { RequestId: RID, GroupId: "grouptest", MessageId: "msg1" },
    bad: { path: ["MessageId"], value: 1 },
  },
  DeleteLiveMessageUserMessage: {
    params: { ...APP, ReceiverId: "uid2", MessageId: "m2", DeleterId: "uid1", DeleterInfo: "x" },
    response: { RequestId: RID },
    bad: { path: ["RequestId"], value: null },
  },
  BanLiveMessageGroup: {
    params: { ...APP, GroupId: "grouptest", ExceptUsers: ["uid1"] },
    response: { RequestId: RID },
    bad: { path: ["RequestId"], value: 0 },
  },
  UnbanLiveMessageGroup: {
    params: { ...APP, GroupId: "grouptest" },
    response: { RequestId: RID },
    bad: { path: ["RequestId"], value: [] },
  },
  AddLiveMessageGroupBand: {
    params: { ...APP, GroupId: "grouptest", BannedUsers: ["uid1", "uid2"] },
    response: { RequestId: RID },
    bad: { path: ["RequestId"], value: {} },
  },
  RemoveLiveMessageGroupBand: {
    params: { ...APP, GroupId: "grouptest", UnbannedUsers: ["uid1"] },
    response: { RequestId: RID },
    bad: { path: ["RequestId"], value: true },
  },
  ModifyLiveMessageGroupBand: {
    params: { ...APP, GroupId: "grouptest", BannedAll: true, BannnedUsers: ["uid3"], ExceptUsers: ["uid1"] },
    response: { RequestId: RID },
    bad: { path: ["RequestId"], value: 42 },
  },
  DescribeLiveMessageGroupBand: {
    params: { ...APP, GroupId: "grouptest" },
    response: { RequestId: RID, GroupId: "grouptest", IsbannedAll: true, BannedUserList: ["uid3"], UnbannedUserList: ["uid1"] },
    bad: { path: ["BannedUserList", 0], value: 3 },
  },
};

const ACTIONS = Object.keys(OPERATIONS);

function setPath(obj: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(obj);
  let cur: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) cur = cur[key] as Record<string | number, unknown>;
  cur[path[path.length - 1]!] = value;
  return copy;
}

/** Issues of a request parse as `path: message` pairs. */
function issues(action: string, params: unknown): { path: string; message: string }[] {
  const r = getOperation(action)!.request.safeParse(params);
  return r.success ? [] : r.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message }));
}

class FakeCaller implements ActionCaller {
  calls: { action: string; params: ApiParams; options: CallOptions | undefined }[] = [];
  constructor(private readonly reply: unknown) {}
  async call(action: string, params: ApiParams, options?: CallOptions): Promise<unknown> {
    this.calls.push({ action, params, options });
    return this.reply;
  }
}

describe("fixtures", () => {
  it("cover every registered operation", () => {
    expect(Object.keys(FIXTURES).sort()).toEqual([...ACTIONS].sort());
  });
});

describe.each(ACTIONS)("%s", (action) => {
  const op = getOperation(action)!;
  const fx = FIXTURES[action]!;

  it("accepts a valid request unchanged", () => {
    const r = op.request.safeParse(fx.params);
    expect(r.error?.issues ?? []).toEqual([]);
    expect(r.data).toEqual(fx.params);
  });

  it("accepts the minimal request (required parameters only)", () => {
    const shape = (op.request as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape;
    const minimal = Object.fromEntries(Object.entries(fx.params).filter(([k]) => !shape[k]!.safeParse(undefined).success));
    expect(issues(action, minimal)).toEqual([]);
  });

  it("rejects each missing required parameter, naming it", () => {
    const shape = (op.request as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape;
    const required = Object.keys(shape).filter((k) => !shape[k]!.safeParse(undefined).success);
    expect(required.includes("AppId")).toBe(action !== "CreateLiveMessageApp" && action !== "ListLiveMessageApps");
    for (const key of required) {
      const params = { ...fx.params };
      delete params[key];
      expect(issues(action, params)).toContainEqual({ path: key, message: expect.stringMatching(/^is required/) });
    }
  });

  it("accepts DataCenter in DATA_CENTERS only, and makes it optional", () => {
    const { DataCenter: _dc, ...rest } = fx.params;
    expect(issues(action, rest)).toEqual([]);
    expect(issues(action, { ...rest, DataCenter: "ap-southeast-1" })).toEqual([]);
    expect(issues(action, { ...rest, DataCenter: "cn-beijing" })).toEqual([
      { path: "DataCenter", message: 'must be one of "cn-shanghai", "ap-southeast-1" (got "cn-beijing")' },
    ]);
  });

  it("rejects unknown parameters, naming them", () => {
    const found = issues(action, { ...fx.params, RegionId: "cn-shanghai" });
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(/^unknown parameter "RegionId" \(allowed: .*DataCenter/);
  });

  it("rejects a non-object", () => {
    expect(issues(action, null)).toEqual([{ path: "", message: "parameters must be an object (got null)" }]);
  });

  it("accepts a spec-shaped response and keeps unknown extra fields", () => {
    expect(validateResponse(action, fx.response)).toEqual(fx.response);
    const extra = { ...fx.response, SomeNewField: { nested: [1, 2] } };
    expect(validateResponse(action, extra)).toEqual(extra);
  });

  it("accepts a response with RequestId only when nothing else is guaranteed", () => {
    const requiredIdentity: Record<string, string> = {
      CreateLiveMessageApp: "AppId",
      DescribeLiveMessageApp: "AppId",
      DescribeLiveMessageGroup: "GroupId",
    };
    const minimal: Record<string, unknown> = { RequestId: RID };
    const key = requiredIdentity[action];
    if (key) {
      expect(() => validateResponse(action, minimal)).toThrow(LiveResponseError);
      minimal[key] = "x";
    }
    expect(validateResponse(action, minimal)).toEqual(minimal);
  });

  it("rejects a response without RequestId", () => {
    const { RequestId: _r, ...rest } = fx.response;
    expect(() => validateResponse(action, rest)).toThrow(/field "RequestId"/);
  });

  it("rejects a wrong-typed response field with a LiveResponseError naming the action and the field", () => {
    const body = setPath(fx.response, fx.bad.path, fx.bad.value);
    let err: unknown;
    try {
      validateResponse(action, body);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LiveResponseError);
    const e = err as LiveResponseError;
    const field = issuePath(fx.bad.path);
    expect(e.action).toBe(action);
    expect(e.field).toBe(field);
    expect(e.message).toContain(action);
    expect(e.message).toContain(`"${field}"`);
    if (fx.bad.path[0] !== "RequestId") expect(e.requestId).toBe(RID);
    // Secrets in the body never reach the error.
    expect(e.message).not.toContain(SECRET_SIGN);
    expect(JSON.stringify(e)).not.toContain(SECRET_SIGN);
  });

  it("invoke: validated params reach call() with the right action; the reply is returned", async () => {
    const caller = new FakeCaller(fx.response);
    const signal = new AbortController().signal;
    const out = await op.invoke(caller, fx.params, { signal, deadlineMs: 1000 });
    expect(out).toEqual(fx.response);
    expect(caller.calls).toHaveLength(1);
    expect(caller.calls[0]!.action).toBe(action);
    expect(caller.calls[0]!.params).toEqual(fx.params);
    // The operation's own declarations travel with the call: its HTTP method and whether it may be repeated.
    expect(caller.calls[0]!.options).toEqual({ signal, deadlineMs: 1000, method: op.method, retrySafety: retrySafetyOf(op, fx.params as ApiParams) });
  });

  it("invoke: invalid params throw LiveValidationError naming the field and make no call", async () => {
    const caller = new FakeCaller(fx.response);
    const badParams = { ...fx.params, DataCenter: "eu-central-1" };
    await expect(op.invoke(caller, badParams)).rejects.toThrow(LiveValidationError);
    try {
      await op.invoke(caller, badParams);
    } catch (e) {
      const v = e as LiveValidationError;
      expect(v.action).toBe(action);
      expect(v.issues.map((i) => i.path)).toEqual(["DataCenter"]);
      expect(v.message).toContain(`${action}: invalid parameters: DataCenter:`);
    }
    expect(caller.calls).toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Limits, with boundary values: [action, overrides of the valid fixture, expected path or null when accepted, message]

const cjk = (n: number) => "组".repeat(n); // 3 bytes in UTF-8
const bytes = (n: number) => "a".repeat(n);

type LimitCase = [label: string, action: string, overrides: Record<string, unknown>, path: string | null, message?: RegExp];

const LIMIT_CASES: LimitCase[] = [
  // IDs (§2.4): letters+digits, ≤ 64 bytes.
  ["GroupId 64 bytes", "CreateLiveMessageGroup", { GroupId: bytes(64) }, null],
  ["GroupId 65 bytes", "CreateLiveMessageGroup", { GroupId: bytes(65) }, "GroupId", /^must be letters and digits only, at most 64 bytes \(got 65 bytes\)$/],
  ["GroupId with _", "CreateLiveMessageGroup", { GroupId: "group_1" }, "GroupId", /letters and digits only.*\(found "_"\)/],
  ["GroupId with -", "DescribeLiveMessageGroup", { GroupId: "a-b" }, "GroupId", /\(found "-"\)/],
  ["GroupId multibyte", "CreateLiveMessageGroup", { GroupId: cjk(22) }, "GroupId", /\(found U\+7EC4, 66 bytes\)/],
  ["GroupId accented", "DeleteLiveMessageGroup", { GroupId: "café" }, "GroupId", /found U\+00E9/],
  ["GroupId empty", "RecoverLiveMessageDeletedGroup", { GroupId: "" }, "GroupId", /must not be empty/],
  ["GroupId number", "DescribeLiveMessageGroupBand", { GroupId: 123 }, "GroupId", /^must be a string \(got number\)$/],
  ["CreatorId invalid", "CreateLiveMessageGroup", { CreatorId: "uid 1" }, "CreatorId", /found " "|found U\+0020/],
  ["OperatorId 65 bytes", "DeleteLiveMessageGroup", { OperatorId: bytes(65) }, "OperatorId", /got 65 bytes/],
  ["KickoffUser invalid", "KickLiveMessageGroupUser", { KickoffUser: "a,b" }, "KickoffUser", /found ","/],
  ["UserId invalid", "ModifyLiveMessageUserInfo", { UserId: "u@x" }, "UserId", /found "@"/],
  ["SenderId 65 bytes", "SendLiveMessageGroup", { SenderId: bytes(65) }, "SenderId", /got 65 bytes/],
  ["MsgTid 64 bytes", "SendLiveMessageGroup", { MsgTid: bytes(64) }, null],
  ["MsgTid 65 bytes", "SendLiveMessageGroup", { MsgTid: bytes(65) }, "MsgTid", /got 65 bytes/],
  ["ReceiverId invalid", "SendLiveMessageUser", { ReceiverId: "a.b" }, "ReceiverId", /found "\."/],
  ["MsgTid invalid (user)", "SendLiveMessageUser", { MsgTid: "c-1-1-0" }, "MsgTid", /found "-"/],
  ["MessageId invalid", "DeleteLiveMessageGroupMessage", { MessageId: "m/1" }, "MessageId", /found "\/"/],
  ["DeleterId invalid", "DeleteLiveMessageUserMessage", { DeleterId: "x y" }, "DeleterId", /letters and digits/],
  // AppId [U]: loose.
  ["AppId empty", "DescribeLiveMessageApp", { AppId: "" }, "AppId", /must not be empty/],
  ["AppId comma", "DescribeLiveMessageApp", { AppId: "a,b" }, "AppId", /whitespace or commas/],
  ["AppId 65 bytes", "DescribeLiveMessageApp", { AppId: bytes(65) }, "AppId", /at most 64 bytes \(got 65 bytes\)/],
  // Byte limits (§5.1, §7).
  ["GroupName 128 bytes", "CreateLiveMessageGroup", { GroupName: bytes(128) }, null],
  ["GroupName 129 bytes", "CreateLiveMessageGroup", { GroupName: bytes(129) }, "GroupName", /^must be at most 128 bytes in UTF-8 \(got 129 bytes\)$/],
  ["GroupName 42 CJK + 2 = 128 bytes", "CreateLiveMessageGroup", { GroupName: cjk(42) + "ab" }, null],
  ["GroupName 43 CJK = 129 bytes (43 chars)", "CreateLiveMessageGroup", { GroupName: cjk(43) }, "GroupName", /got 129 bytes/],
  ["GroupName empty", "CreateLiveMessageGroup", { GroupName: "" }, null],
  ["GroupInfo 32 KB", "CreateLiveMessageGroup", { GroupInfo: bytes(GROUP_INFO_MAX_BYTES) }, null],
  ["GroupInfo 32 KB + 1", "CreateLiveMessageGroup", { GroupInfo: bytes(GROUP_INFO_MAX_BYTES + 1) }, "GroupInfo", /at most 32768 bytes in UTF-8 \(got 32769 bytes\)/],
  ["GroupInfo 32 KB + 1 (modify)", "ModifyLiveMessageGroup", { GroupInfo: bytes(GROUP_INFO_MAX_BYTES + 1) }, "GroupInfo", /got 32769 bytes/],
  ["GroupInfo multibyte over", "ModifyLiveMessageGroup", { GroupInfo: cjk(10923) }, "GroupInfo", /got 32769 bytes/],
  ["Body 15 KB", "SendLiveMessageGroup", { Body: bytes(MESSAGE_BODY_MAX_BYTES) }, null],
  ["Body 15 KB + 1", "SendLiveMessageGroup", { Body: bytes(MESSAGE_BODY_MAX_BYTES + 1) }, "Body", /at most 15360 bytes in UTF-8 \(got 15361 bytes\)/],
  ["Body 15 KB + 1 (user)", "SendLiveMessageUser", { Body: bytes(MESSAGE_BODY_MAX_BYTES + 1) }, "Body", /got 15361 bytes/],
  ["Body 5120 CJK = 15 KB", "SendLiveMessageUser", { Body: cjk(5120) }, null],
  ["Body emoji over", "SendLiveMessageGroup", { Body: "😀".repeat(3840) + "a" }, "Body", /got 15361 bytes/],
  ["SenderMetaInfo 512", "SendLiveMessageGroup", { SenderMetaInfo: bytes(SENDER_META_MAX_BYTES) }, null],
  ["SenderMetaInfo 513", "SendLiveMessageGroup", { SenderMetaInfo: bytes(513) }, "SenderMetaInfo", /at most 512 bytes.*got 513/],
  ["SenderInfo 513", "SendLiveMessageUser", { SenderInfo: bytes(513) }, "SenderInfo", /got 513 bytes/],
  ["UserMetaInfo 512", "ModifyLiveMessageUserInfo", { UserMetaInfo: bytes(USER_META_MAX_BYTES) }, null],
  ["UserMetaInfo 171 CJK = 513 bytes", "ModifyLiveMessageUserInfo", { UserMetaInfo: cjk(171) }, "UserMetaInfo", /got 513 bytes/],
  ["DeleterInfo 513 (group)", "DeleteLiveMessageGroupMessage", { DeleterInfo: bytes(513) }, "DeleterInfo", /got 513 bytes/],
  ["DeleterInfo 513 (user)", "DeleteLiveMessageUserMessage", { DeleterInfo: bytes(513) }, "DeleterInfo", /got 513 bytes/],
  // Administrators / AdminList: ≤ 3 (§5.1, §5.3).
  ["3 admins", "CreateLiveMessageGroup", { Administrators: ids(3) }, null],
  ["0 admins", "CreateLiveMessageGroup", { Administrators: [] }, null],
  ["4 admins", "CreateLiveMessageGroup", { Administrators: ids(4) }, "Administrators", /^must list at most 3 IDs \(got 4\)$/],
  ["admin invalid", "CreateLiveMessageGroup", { Administrators: ["uid1", "bad_id"] }, "Administrators[1]", /found "_"/],
  ["admins as string", "CreateLiveMessageGroup", { Administrators: "uid1,uid2" }, "Administrators", /^must be an array of strings \(got string\)$/],
  ["4 AdminList", "ModifyLiveMessageGroup", { AdminList: ids(4) }, "AdminList", /at most 3 IDs \(got 4\)/],
  ["AdminList without ModifyAdmin", "ModifyLiveMessageGroup", { ModifyAdmin: undefined }, "AdminList", /unless ModifyAdmin is true/],
  ["AdminList with ModifyAdmin false", "ModifyLiveMessageGroup", { ModifyAdmin: false }, "AdminList", /unless ModifyAdmin is true/],
  ["GroupInfo without ModifyInfo", "ModifyLiveMessageGroup", { ModifyInfo: false }, "GroupInfo", /unless ModifyInfo is true/],
  ["ModifyAdmin true, no list (clears admins)", "ModifyLiveMessageGroup", { AdminList: undefined }, null],
  ["ModifyAdmin as string", "ModifyLiveMessageGroup", { ModifyAdmin: "true" }, "ModifyAdmin", /^must be a boolean \(got string\)$/],
  // UserIds: 1–10 (§6.2, §6.3).
  ["10 UserIds", "CheckLiveMessageUsersInGroup", { UserIds: ids(10) }, null],
  ["11 UserIds", "CheckLiveMessageUsersInGroup", { UserIds: ids(11) }, "UserIds", /^must list 1–10 IDs \(got 11\)$/],
  ["0 UserIds", "CheckLiveMessageUsersInGroup", { UserIds: [] }, "UserIds", /1–10 IDs \(got 0\)/],
  ["11 UserIds online", "CheckLiveMessageUsersOnline", { UserIds: ids(11) }, "UserIds", /got 11/],
  ["0 UserIds online", "CheckLiveMessageUsersOnline", { UserIds: [] }, "UserIds", /got 0/],
  ["UserIds bad item", "CheckLiveMessageUsersOnline", { UserIds: ["ok", 5] }, "UserIds[1]", /must be a string \(got number\)/],
  // Mute lists: ≤ 30 (§8).
  ["30 BannedUsers", "AddLiveMessageGroupBand", { BannedUsers: ids(30) }, null],
  ["31 BannedUsers", "AddLiveMessageGroupBand", { BannedUsers: ids(31) }, "BannedUsers", /^must list 1–30 IDs \(got 31\)$/],
  ["0 BannedUsers", "AddLiveMessageGroupBand", { BannedUsers: [] }, "BannedUsers", /got 0/],
  ["31 UnbannedUsers", "RemoveLiveMessageGroupBand", { UnbannedUsers: ids(31) }, "UnbannedUsers", /got 31/],
  ["0 UnbannedUsers", "RemoveLiveMessageGroupBand", { UnbannedUsers: [] }, "UnbannedUsers", /got 0/],
  ["30 ExceptUsers", "BanLiveMessageGroup", { ExceptUsers: ids(30) }, null],
  ["31 ExceptUsers", "BanLiveMessageGroup", { ExceptUsers: ids(31) }, "ExceptUsers", /^must list at most 30 IDs \(got 31\)$/],
  ["31 BannnedUsers", "ModifyLiveMessageGroupBand", { BannnedUsers: ids(31) }, "BannnedUsers", /got 31/],
  ["31 ExceptUsers (modify)", "ModifyLiveMessageGroupBand", { ExceptUsers: ids(31) }, "ExceptUsers", /got 31/],
  ["BannedUsers is not ModifyLiveMessageGroupBand's name", "ModifyLiveMessageGroupBand", { BannedUsers: ["a"] }, "", /unknown parameter "BannedUsers"/],
  // Paging (§5.7, §6.1, §7.3).
  ["PageNumber 1", "ListLiveMessageGroupByPage", { PageNumber: 1 }, null],
  ["PageNumber 10000", "ListLiveMessageGroupByPage", { PageNumber: 10000 }, null],
  ["PageNumber 0", "ListLiveMessageGroupByPage", { PageNumber: 0 }, "PageNumber", /^must be between 1 and 10000 \(got 0\)$/],
  ["PageNumber 10001", "ListLiveMessageGroupByPage", { PageNumber: 10001 }, "PageNumber", /got 10001/],
  ["ByPage PageSize 1", "ListLiveMessageGroupByPage", { PageSize: 1 }, null],
  ["ByPage PageSize 50", "ListLiveMessageGroupByPage", { PageSize: 50 }, null],
  ["ByPage PageSize 0", "ListLiveMessageGroupByPage", { PageSize: 0 }, "PageSize", /between 1 and 50 \(got 0\)/],
  ["ByPage PageSize 51", "ListLiveMessageGroupByPage", { PageSize: 51 }, "PageSize", /between 1 and 50 \(got 51\)/],
  ["ByPage PageSize 2.5", "ListLiveMessageGroupByPage", { PageSize: 2.5 }, "PageSize", /^must be an integer \(got 2.5\)$/],
  ["users PageSize 10", "ListLiveMessageGroupUsers", { PageSize: 10 }, null],
  ["users PageSize 9", "ListLiveMessageGroupUsers", { PageSize: 9 }, "PageSize", /between 10 and 50 \(got 9\)/],
  ["users PageSize 51", "ListLiveMessageGroupUsers", { PageSize: 51 }, "PageSize", /got 51/],
  ["messages PageSize 9", "ListLiveMessageGroupMessages", { PageSize: 9 }, "PageSize", /between 10 and 50/],
  ["messages PageSize 51", "ListLiveMessageGroupMessages", { PageSize: 51 }, "PageSize", /between 10 and 50/],
  ["messages PageSize as string", "ListLiveMessageGroupMessages", { PageSize: "20" }, "PageSize", /^must be an integer \(got string\)$/],
  ["apps NextPageToken -1", "ListLiveMessageApps", { NextPageToken: -1 }, null],
  ["apps NextPageToken -2", "ListLiveMessageApps", { NextPageToken: -2 }, "NextPageToken", /at least -1 \(got -2\)/],
  ["groups NextPageToken -1", "ListLiveMessageGroups", { NextPageToken: -1 }, "NextPageToken", /at least 0/],
  ["groups NextPageToken as string", "ListLiveMessageGroups", { NextPageToken: "1001" }, "NextPageToken", /integer \(got string\)/],
  ["BeginTime negative", "ListLiveMessageGroupMessages", { BeginTime: -1 }, "BeginTime", /at least 0/],
  ["EndTime NaN", "ListLiveMessageGroupMessages", { EndTime: Number.NaN }, "EndTime", /got NaN/],
  // Enums.
  ["SortType 3 (apps)", "ListLiveMessageApps", { SortType: 3 }, "SortType", /^must be 1 \(ascending\) or 2 \(descending\) \(got 3\)$/],
  ["SortType 0 (groups)", "ListLiveMessageGroups", { SortType: 0 }, "SortType", /got 0/],
  ["SortType 3 (users)", "ListLiveMessageGroupUsers", { SortType: 3 }, "SortType", /got 3/],
  ["SortType 3 (messages)", "ListLiveMessageGroupMessages", { SortType: 3 }, "SortType", /got 3/],
  ["SortType 3 (by page)", "ListLiveMessageGroupByPage", { SortType: 3 }, "SortType", /got 3/],
  ["GroupStatus 3", "ListLiveMessageGroups", { GroupStatus: 3 }, "GroupStatus", /^must be 0 \(all groups\), 1 \(existing groups\) or 2 \(deleted groups\) \(got 3\)$/],
  ["GroupStatus 3 (by page)", "ListLiveMessageGroupByPage", { GroupStatus: 3 }, "GroupStatus", /got 3/],
  ["AuditType 3", "CreateLiveMessageApp", { AuditType: 3 }, "AuditType", /must be 0 \(no moderation\), 1 \(built-in moderation\) or 2 \(custom moderation\) \(got 3\)/],
  ["AuditType 3 (modify)", "ModifyLiveMessageAppAudit", { AuditType: 3 }, "AuditType", /got 3/],
  ["MsgLifeCycle 2", "CreateLiveMessageApp", { MsgLifeCycle: 2 }, null],
  ["MsgLifeCycle 3", "CreateLiveMessageApp", { MsgLifeCycle: 3 }, "MsgLifeCycle", /0 \(30 days\), 1 \(90 days\) or 2 \(180 days\) \(got 3\)/],
  // AppName: 2–16 characters (§3.1).
  ["AppName 1 char", "CreateLiveMessageApp", { AppName: "a" }, "AppName", /^must be 2–16 characters long \(got 1\)$/],
  ["AppName 2 chars", "CreateLiveMessageApp", { AppName: "ab" }, null],
  ["AppName 16 chars", "CreateLiveMessageApp", { AppName: "a".repeat(16) }, null],
  ["AppName 17 chars", "CreateLiveMessageApp", { AppName: "a".repeat(17) }, "AppName", /got 17/],
  ["AppName 16 CJK chars (48 bytes)", "CreateLiveMessageApp", { AppName: cjk(16) }, null],
  ["AppName 16 emoji (surrogate pairs)", "CreateLiveMessageApp", { AppName: "😀".repeat(16) }, null],
  ["AppName 17 CJK chars", "CreateLiveMessageApp", { AppName: cjk(17) }, "AppName", /got 17/],
  // AuditUrl required for AuditType=2 (§3.1, §3.4).
  ["AuditType 2 without AuditUrl", "CreateLiveMessageApp", { AuditUrl: undefined }, "AuditUrl", /^is required when AuditType is 2/],
  ["AuditType 2 without AuditUrl (modify)", "ModifyLiveMessageAppAudit", { AuditUrl: undefined }, "AuditUrl", /is required when AuditType is 2/],
  ["AuditType 1 without AuditUrl", "CreateLiveMessageApp", { AuditType: 1, AuditUrl: undefined }, null],
  ["AuditType 0 (modify)", "ModifyLiveMessageAppAudit", { AuditType: 0, AuditUrl: undefined }, null],
  ["AuditUrl empty with AuditType 2", "CreateLiveMessageApp", { AuditUrl: "" }, "AuditUrl", /is required when AuditType is 2/],
  ["AuditUrl empty with AuditType 0", "ModifyLiveMessageAppAudit", { AuditType: 0, AuditUrl: "" }, null],
  // URL rules (§3.1).
  ["AuditUrl ftp", "CreateLiveMessageApp", { AuditUrl: "ftp://example.com/a" }, "AuditUrl", /http/],
  ["AuditUrl relative", "ModifyLiveMessageAppAudit", { AuditUrl: "/audit" }, "AuditUrl", /http/],
  ["AuditUrl port", "CreateLiveMessageApp", { AuditUrl: "http://example.com:8080/a" }, "AuditUrl", /port/],
  ["AuditUrl default port", "CreateLiveMessageApp", { AuditUrl: "https://example.com:443/a" }, "AuditUrl", /port/],
  ["AuditUrl 10/8", "CreateLiveMessageApp", { AuditUrl: "http://10.1.2.3/a" }, "AuditUrl", /private|loopback/],
  ["AuditUrl 192.168", "ModifyLiveMessageAppAudit", { AuditUrl: "http://192.168.0.10/a" }, "AuditUrl", /private|loopback/],
  ["AuditUrl 172.16", "CreateLiveMessageApp", { AuditUrl: "http://172.16.0.1/a" }, "AuditUrl", /private|loopback/],
  ["AuditUrl public 172.32", "CreateLiveMessageApp", { AuditUrl: "http://172.32.0.1/a" }, null],
  ["AuditUrl loopback", "CreateLiveMessageApp", { AuditUrl: "http://127.0.0.1/a" }, "AuditUrl", /private|loopback/],
  ["AuditUrl localhost", "CreateLiveMessageApp", { AuditUrl: "http://localhost/a" }, "AuditUrl", /private|loopback/],
  ["AuditUrl IPv6 loopback", "CreateLiveMessageApp", { AuditUrl: "http://[::1]/a" }, "AuditUrl", /private|loopback/],
  ["EventCallbackUrl empty = off", "CreateLiveMessageApp", { EventCallbackUrl: "" }, null],
  ["EventCallbackUrl private", "CreateLiveMessageApp", { EventCallbackUrl: "http://169.254.169.254/x" }, "EventCallbackUrl", /private|loopback/],
  ["EventCallbackUrl port (modify)", "ModifyLiveMessageAppCallback", { EventCallbackUrl: "https://cb.example.com:8443/x" }, "EventCallbackUrl", /port/],
  ["EventCallbackUrl ok (modify)", "ModifyLiveMessageAppCallback", { EventCallbackUrl: "https://cb.example.com/x?a=1" }, null],
  // Other types.
  ["MsgType 1.5", "SendLiveMessageGroup", { MsgType: 1.5 }, "MsgType", /integer \(got 1.5\)/],
  ["Weight unsafe", "SendLiveMessageGroup", { Weight: 2 ** 60 }, "Weight", /integer/],
  ["NoStorage as string", "SendLiveMessageGroup", { NoStorage: "true" }, "NoStorage", /^must be a boolean \(got string\)$/],
  ["HighReliability as number", "SendLiveMessageUser", { HighReliability: 1 }, "HighReliability", /boolean \(got number\)/],
  ["Disable as string", "ModifyLiveMessageAppDisable", { Disable: "true" }, "Disable", /boolean/],
  ["BannedAll as string", "ModifyLiveMessageGroupBand", { BannedAll: "false" }, "BannedAll", /boolean/],
];

describe("documented limits", () => {
  // Rest parameters keep the arity at 0: jest would take a 5th declared parameter for a `done` callback.
  it.each(LIMIT_CASES)("%s (%s)", (...[_label, action, overrides, path, message]: LimitCase) => {
    const params: Record<string, unknown> = { ...FIXTURES[action]!.params };
    for (const [k, v] of Object.entries(overrides)) {
      if (v === undefined) delete params[k];
      else params[k] = v;
    }
    const found = issues(action, params);
    if (path === null) {
      expect(found).toEqual([]);
    } else {
      expect(found).toHaveLength(1);
      expect(found[0]!.path).toBe(path);
      if (message) expect(found[0]!.message).toMatch(message);
    }
  });

  it("reports every problem of a request, not only the first", () => {
    const found = issues("SendLiveMessageGroup", {
      AppId: "demo",
      GroupId: "bad_id",
      SenderId: bytes(65),
      Body: bytes(MESSAGE_BODY_MAX_BYTES + 1),
    });
    expect(found.map((f) => f.path).sort()).toEqual(["Body", "GroupId", "SenderId"]);
  });

  it("never echoes free-form values in messages", () => {
    const secretish = "PRIVATE-body-content-".repeat(1000);
    const err = new LiveValidationError("SendLiveMessageGroup", issues("SendLiveMessageGroup", { ...FIXTURES.SendLiveMessageGroup!.params, Body: secretish, SenderMetaInfo: secretish }));
    expect(err.message).not.toContain("PRIVATE");
    expect(JSON.stringify(err)).not.toContain("PRIVATE");
    const url = issues("CreateLiveMessageApp", { AuditType: 2, AuditUrl: "http://user:hunter2@example.com/a" });
    expect(url).toHaveLength(1);
    expect(url[0]!.message).not.toContain("hunter2");
  });

  it("group name limit uses GROUP_NAME_MAX_BYTES", () => {
    expect(issues("CreateLiveMessageGroup", { AppId: "a", GroupId: "g", GroupName: bytes(GROUP_NAME_MAX_BYTES + 1) })[0]!.message).toContain(
      `${GROUP_NAME_MAX_BYTES} bytes`,
    );
  });
});

describe("response quirks (§2.4)", () => {
  it("ListLiveMessageApps uses HasMore/NextPageToken (int64); Hasmore is just an unknown field there", () => {
    expect(() => validateResponse("ListLiveMessageApps", { RequestId: RID, HasMore: "true" })).toThrow(/field "HasMore"/);
    expect(() => validateResponse("ListLiveMessageApps", { RequestId: RID, HasMore: true, NextPageToken: "2" })).toThrow(/field "NextPageToken"/);
  });

  it("ListLiveMessageGroups uses Hasmore and a string NextpageToken", () => {
    expect(validateResponse("ListLiveMessageGroups", { RequestId: RID, Hasmore: true, NextpageToken: "1001" })).toMatchObject({ NextpageToken: "1001" });
    expect(() => validateResponse("ListLiveMessageGroups", { RequestId: RID, Hasmore: "false" })).toThrow(/field "Hasmore"/);
  });

  it("ListLiveMessageGroupUsers / Messages use Hasmore with an int64 NextPageToken", () => {
    for (const action of ["ListLiveMessageGroupUsers", "ListLiveMessageGroupMessages"]) {
      expect(validateResponse(action, { RequestId: RID, Hasmore: false, NextPageToken: 0 })).toBeDefined();
      expect(() => validateResponse(action, { RequestId: RID, NextPageToken: "0" })).toThrow(/field "NextPageToken"/);
      expect(() => validateResponse(action, { RequestId: RID, NextPageToken: 1.5 })).toThrow(/field "NextPageToken"/);
    }
  });

  it("DescribeLiveMessageGroup: deleted group with Deletatime/Deletor and without live-only fields", () => {
    const body = { RequestId: RID, GroupId: "g1", Delete: true, Createtime: 1698299727, Deletatime: 1698299827, Deletor: "uid1", AdminList: [] };
    expect(validateResponse("DescribeLiveMessageGroup", body)).toEqual(body);
    expect(() => validateResponse("DescribeLiveMessageGroup", { ...body, Deletatime: "1698299827" })).toThrow(/field "Deletatime"/);
    expect(() => validateResponse("DescribeLiveMessageGroup", { ...body, Createtime: 1.5 })).toThrow(/field "Createtime"/);
  });

  it("DescribeLiveMessageGroupBand uses IsbannedAll", () => {
    expect(() => validateResponse("DescribeLiveMessageGroupBand", { RequestId: RID, IsbannedAll: "true" })).toThrow(/field "IsbannedAll"/);
  });

  it("names how many more issues there are", () => {
    expect(() => validateResponse("DescribeLiveMessageApp", { RequestId: RID, AppId: 1, Disable: "no" })).toThrow(/\(and 1 more\)/);
  });
});
