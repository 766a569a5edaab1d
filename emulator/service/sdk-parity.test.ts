/**
 * Official SDK coverage: every one of the 29 operations, success and error paths, through BOTH official Alibaba
 * clients against a real emulator (`startEmulator`, signatures verified):
 * - `@alicloud/pop-core` — legacy V1 (HMAC-SHA1) RPC client; POST sends a form body, arrays flattened `Name.N`.
 * - `@alicloud/openapi-client` — current V3 (ACS3-HMAC-SHA256) core; business parameters in the query, arrays
 *   comma-joined (style "simple") like the generated live-20161101 SDK; GET for ListLiveMessageGroupByPage.
 */
import { ACTIONS as LIVE_MESSAGE_ACTIONS } from "../spec/limits";
import OpenApi, { Config, OpenApiRequest, Params } from "@alicloud/openapi-client";
import { RuntimeOptions } from "@alicloud/tea-util";
import RPCClient = require("@alicloud/pop-core");
import { admin } from "../test-support/client";
import { startEmulator, type Emulator } from "../index";

type Value = string | number | boolean | readonly string[];
type SdkParams = Record<string, Value | undefined>;

interface SdkError {
  code: string;
  status: number;
}

interface Sdk {
  readonly name: string;
  call(action: string, params: SdkParams): Promise<Record<string, any>>;
}

const API_VERSION = "2016-11-01";
const GET_ACTIONS = new Set(["ListLiveMessageGroupByPage"]);

function clean(params: SdkParams): Record<string, Value> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, Value>;
}

/** Legacy V1 client: JS arrays are sent flattened (`Administrators.1=…`), which the gateway folds back. */
function popCore(url: string, key: { accessKeyId: string; accessKeySecret: string }): Sdk {
  const client = new RPCClient({ accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret, endpoint: url, apiVersion: API_VERSION });
  return {
    name: "pop-core (V1)",
    async call(action, params) {
      try {
        const method = GET_ACTIONS.has(action) ? "GET" : "POST";
        return await client.request<Record<string, any>>(action, clean(params), { method, formatParams: false });
      } catch (e: any) {
        // pop-core surfaces the body's Code as `code` (and the body as `data`).
        throw { code: e.code ?? e.data?.Code, status: e.entry?.response?.statusCode } satisfies SdkError;
      }
    },
  };
}

/** Current V3 core, driven the way the generated live-20161101 client drives it. */
function openApi(url: string, key: { accessKeyId: string; accessKeySecret: string }): Sdk {
  const client = new OpenApi(
    new Config({ accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret, endpoint: new URL(url).host, protocol: "http" }),
  );
  return {
    name: "openapi-client (V3)",
    async call(action, params) {
      const query: Record<string, string> = {};
      for (const [k, v] of Object.entries(clean(params))) query[k] = Array.isArray(v) ? v.join(",") : String(v);
      const apiParams = new Params({
        action,
        version: API_VERSION,
        protocol: "HTTP",
        pathname: "/",
        method: GET_ACTIONS.has(action) ? "GET" : "POST",
        authType: "AK",
        style: "RPC",
        reqBodyType: "formData",
        bodyType: "json",
      });
      try {
        const res = await client.callApi(apiParams, new OpenApiRequest({ query }), new RuntimeOptions({}));
        expect(res.statusCode).toBe(200);
        return res.body as Record<string, any>;
      } catch (e: any) {
        // darabonba surfaces the error body's Code as `code`; the HTTP status is in `data.statusCode`.
        throw { code: e.code, status: e.data?.statusCode ?? e.statusCode } satisfies SdkError;
      }
    },
  };
}

async function failure(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (e) {
    return e as SdkError;
  }
  throw new Error("expected the call to fail");
}

let emulator: Emulator;
let joinUrl = "";

beforeAll(async () => {
  // Signatures are verified (default); throttling off so the scenario's bursts of mute calls are never rejected.
  emulator = await startEmulator({ port: 0, throttle: false });
  joinUrl = emulator.url;
});
afterAll(async () => {
  await emulator?.stop();
});

async function join(appId: string, groupId: string, userId: string, userInfo?: string): Promise<void> {
  const r = await admin(joinUrl, "POST", `/apps/${appId}/groups/${groupId}/members`, userInfo === undefined ? { userId } : { userId, userInfo });
  expect(r.status).toBe(200);
}

const ALL_ACTIONS: readonly string[] = LIVE_MESSAGE_ACTIONS;

describe.each([
  ["pop-core (V1)", popCore],
  ["openapi-client (V3)", openApi],
] as const)("%s against the emulator", (_name, make) => {
  let sdk: Sdk;
  const succeeded = new Set<string>();
  const failedWith = new Map<string, Set<string>>();
  const call = async (action: string, params: SdkParams = {}): Promise<Record<string, any>> => {
    const body = await sdk.call(action, params);
    expect(typeof body.RequestId).toBe("string");
    expect(body).not.toHaveProperty("Code");
    succeeded.add(action);
    return body;
  };
  const fail = async (action: string, params: SdkParams, code: string, status: number): Promise<void> => {
    const e = await failure(sdk.call(action, params));
    expect({ action, code: e.code, status: e.status }).toEqual({ action, code, status });
    if (!failedWith.has(action)) failedWith.set(action, new Set());
    failedWith.get(action)!.add(code);
  };

  beforeAll(() => {
    sdk = make(emulator.url, emulator.credentials[0]!);
  });

  it("apps: create, describe, list, modify audit/callback, data centers, disable", async () => {
    const created = await call("CreateLiveMessageApp", { AppName: "parity", MsgLifeCycle: 1 });
    expect(created).toEqual({
      RequestId: expect.any(String),
      AppId: expect.stringMatching(/^[a-z0-9]+$/),
      AppKey: expect.any(String),
      AppSign: expect.any(String),
      DataCenter: "cn-shanghai",
    });
    const appId = created.AppId as string;
    const described = await call("DescribeLiveMessageApp", { AppId: appId });
    expect(described).toMatchObject({ AppId: appId, AppName: "parity", AuditType: 0, MsgLifeCycle: 1, Disable: false, EventCallbackUrl: "" });
    expect(described).not.toHaveProperty("AuditUrl");
    expect(Number.isInteger(described.CreateTime)).toBe(true);

    const listed = await call("ListLiveMessageApps", { SortType: 2 });
    expect(listed.HasMore).toBe(false);
    expect(listed).not.toHaveProperty("NextPageToken");
    const item = listed.AppList.find((a: any) => a.AppId === appId);
    expect(item).toMatchObject({ AppName: "parity", Disable: "false", MsgLifeCycle: 1, DataCenter: "cn-shanghai" });

    expect(await call("ModifyLiveMessageAppAudit", { AppId: appId, AuditType: 2, AuditUrl: "https://audit.example.com/hook" })).toMatchObject({
      AppId: appId,
      AuditType: 2,
      AuditUrl: "https://audit.example.com/hook",
      AuditNeedAuthentication: true,
    });
    expect(await call("ModifyLiveMessageAppCallback", { AppId: appId, EventCallbackUrl: "https://cb.example.com/e" })).toMatchObject({
      AppId: appId,
      EventCallbackUrl: "https://cb.example.com/e",
      EventCallbackNeedAuthentication: true,
    });

    const sg = (await call("CreateLiveMessageApp", { DataCenter: "ap-southeast-1" })).AppId;
    await fail("DescribeLiveMessageApp", { AppId: sg }, "ResourceNotExist", 404);
    expect((await call("DescribeLiveMessageApp", { AppId: sg, DataCenter: "ap-southeast-1" })).DataCenter).toBe("ap-southeast-1");

    await call("CreateLiveMessageGroup", { AppId: appId, GroupId: "disabledcheck" });
    expect(await call("ModifyLiveMessageAppDisable", { AppId: appId, Disable: true })).toMatchObject({ AppId: appId, Disable: true });
    // A disabled app refuses runtime traffic; management calls still work (behaviour.ts).
    await fail("SendLiveMessageGroup", { AppId: appId, GroupId: "disabledcheck", SenderId: "u1", Body: "x" }, "NoAuth", 403);
    expect((await call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "disabledcheck" })).GroupId).toBe("disabledcheck");
    expect((await call("ModifyLiveMessageAppDisable", { AppId: appId, Disable: false })).Disable).toBe(false);

    await fail("CreateLiveMessageApp", { AppName: "x" }, "InputInvalid", 400);
    await fail("CreateLiveMessageApp", { AuditType: 2 }, "InputInvalid", 400);
    await fail("CreateLiveMessageApp", { EventCallbackUrl: "http://192.168.0.1/cb" }, "InputInvalid", 400);
    await fail("DescribeLiveMessageApp", { AppId: "nosuchapp" }, "ResourceNotExist", 404);
    await fail("ListLiveMessageApps", {}, "InputInvalid", 400);
    await fail("ModifyLiveMessageAppAudit", { AppId: appId, AuditType: 7 }, "InputInvalid", 400);
    await fail("ModifyLiveMessageAppCallback", { AppId: appId, EventCallbackUrl: "https://cb.example.com:8443/" }, "InputInvalid", 400);
    await fail("ModifyLiveMessageAppDisable", { AppId: "nosuchapp", Disable: true }, "ResourceNotExist", 404);
  });

  it("groups: create (incl. re-create), describe, modify, list both ways, delete, recover", async () => {
    const appId = (await call("CreateLiveMessageApp", {})).AppId as string;
    const base = { AppId: appId, GroupId: "room1" };
    expect(await call("CreateLiveMessageGroup", { ...base, GroupName: "Room 1", Administrators: ["a1", "a2"], CreatorId: "c1" })).toEqual({
      RequestId: expect.any(String),
      GroupId: "room1",
      AlreadyExists: false,
      AlreadyDelete: false,
    });
    expect(await call("CreateLiveMessageGroup", base)).toMatchObject({ AlreadyExists: true, AlreadyDelete: false });
    await call("CreateLiveMessageGroup", { AppId: appId, GroupId: "room2" });

    expect(await call("DescribeLiveMessageGroup", base)).toMatchObject({
      GroupId: "room1",
      GroupName: "Room 1",
      CreatorId: "c1",
      AdminList: ["a1", "a2"],
      Delete: false,
      SuperLargeGroup: false,
      OnlineUserCounts: 0,
      TotalTimes: 0,
      MsgAmount: {},
    });
    await call("ModifyLiveMessageGroup", { ...base, ModifyAdmin: true, AdminList: ["a3"], ModifyInfo: true, GroupInfo: "topic" });
    expect(await call("DescribeLiveMessageGroup", base)).toMatchObject({ AdminList: ["a3"], GroupInfo: "topic" });

    const tokenList = await call("ListLiveMessageGroups", { AppId: appId, SortType: 2 });
    expect(tokenList.GroupList.map((g: any) => g.GroupId)).toEqual(["room2", "room1"]);
    expect(tokenList.Hasmore).toBe(false);
    expect(tokenList).not.toHaveProperty("NextpageToken");
    const byPage = await call("ListLiveMessageGroupByPage", { AppId: appId, SortType: 1, PageNumber: 1, PageSize: 1 });
    expect(byPage).toMatchObject({ TotalCount: 2, PageNumber: 1, PageSize: 1 });
    expect(byPage.GroupList.map((g: any) => g.GroupId)).toEqual(["room1"]);

    expect(await call("DeleteLiveMessageGroup", { ...base, OperatorId: "op1" })).toMatchObject({ GroupId: "room1" });
    expect(await call("DescribeLiveMessageGroup", base)).toMatchObject({ Delete: true, Deletor: "op1", Deletatime: expect.any(Number) });
    expect(await call("CreateLiveMessageGroup", base)).toMatchObject({ AlreadyExists: true, AlreadyDelete: true });
    expect((await call("ListLiveMessageGroups", { AppId: appId, SortType: 1, GroupStatus: 2 })).GroupList.map((g: any) => g.GroupId)).toEqual(["room1"]);
    await fail("ModifyLiveMessageGroup", { ...base, ModifyInfo: true, GroupInfo: "x" }, "ResourceNotExist", 404);
    expect(await call("RecoverLiveMessageDeletedGroup", base)).toMatchObject({ GroupId: "room1" });
    expect((await call("DescribeLiveMessageGroup", base)).Delete).toBe(false);

    await fail("CreateLiveMessageGroup", { AppId: appId, GroupId: "bad-id" }, "InputInvalid", 400);
    await fail("CreateLiveMessageGroup", { AppId: appId, GroupId: "g9", Administrators: ["a", "b", "c", "d"] }, "InputInvalid", 400);
    await fail("CreateLiveMessageGroup", { AppId: "nosuchapp", GroupId: "g9" }, "ResourceNotExist", 404);
    await fail("DescribeLiveMessageGroup", { AppId: appId, GroupId: "nope" }, "ResourceNotExist", 404);
    await fail("ModifyLiveMessageGroup", { ...base, ModifyAdmin: true, AdminList: ["a", "b", "c", "d"] }, "InputInvalid", 400);
    await fail("DeleteLiveMessageGroup", { AppId: appId }, "InputInvalid", 400);
    await fail("RecoverLiveMessageDeletedGroup", { AppId: appId, GroupId: "nope" }, "ResourceNotExist", 404);
    await fail("ListLiveMessageGroups", { AppId: appId, SortType: 3 }, "InputInvalid", 400);
    await fail("ListLiveMessageGroupByPage", { AppId: appId, SortType: 1, PageSize: 51 }, "InputInvalid", 400);
  });

  it("members and presence: list users, check in group / online, user info, kick", async () => {
    const appId = (await call("CreateLiveMessageApp", {})).AppId as string;
    const base = { AppId: appId, GroupId: "live1" };
    await call("CreateLiveMessageGroup", base);
    await join(appId, "live1", "u1", "meta1");
    await join(appId, "live1", "u2");

    expect(await call("ListLiveMessageGroupUsers", { ...base, PageSize: 10, SortType: 1 })).toMatchObject({
      GroupId: "live1",
      UserList: [
        { UserId: "u1", UserInfo: "meta1" },
        { UserId: "u2", UserInfo: "" },
      ],
      Hasmore: false,
      NextPageToken: 0,
    });
    expect((await call("CheckLiveMessageUsersInGroup", { ...base, UserIds: ["u1", "u9"] })).Users).toEqual([
      { UserId: "u1", Online: true },
      { UserId: "u9", Online: false },
    ]);
    expect((await call("CheckLiveMessageUsersOnline", { AppId: appId, UserIds: ["u2", "u9"] })).UserList).toEqual([
      { UserId: "u2", Online: true },
      { UserId: "u9", Online: false },
    ]);
    expect(await call("ModifyLiveMessageUserInfo", { AppId: appId, UserId: "u1", UserMetaInfo: "meta2" })).toMatchObject({
      SuccessList: [{ GroupId: "live1", Success: true }],
      FailList: [],
    });
    await call("KickLiveMessageGroupUser", { ...base, KickoffUser: "u2" });
    expect((await call("ListLiveMessageGroupUsers", { ...base, PageSize: 10, SortType: 2 })).UserList).toEqual([{ UserId: "u1", UserInfo: "meta2" }]);
    expect((await call("DescribeLiveMessageGroup", base)).OnlineUserCounts).toBe(1);

    await fail("ListLiveMessageGroupUsers", { ...base, PageSize: 5, SortType: 1 }, "InputInvalid", 400);
    await fail("CheckLiveMessageUsersInGroup", { ...base, UserIds: Array.from({ length: 11 }, (_, i) => `x${i}`) }, "InputInvalid", 400);
    await fail("CheckLiveMessageUsersOnline", { AppId: appId }, "InputInvalid", 400);
    await fail("ModifyLiveMessageUserInfo", { AppId: appId, UserId: "u1", UserMetaInfo: "m".repeat(513) }, "InputInvalid", 400);
    await fail("KickLiveMessageGroupUser", { ...base, GroupId: "nope", KickoffUser: "u1" }, "ResourceNotExist", 404);
  });

  it("messages: send (active-group rule, type limit), list, delete; one-to-one messages", async () => {
    const appId = (await call("CreateLiveMessageApp", {})).AppId as string;
    const base = { AppId: appId, GroupId: "chat1" };
    await call("CreateLiveMessageGroup", base);
    await fail("SendLiveMessageGroup", { ...base, SenderId: "host" }, "InputInvalid", 400); // nobody joined yet
    await join(appId, "chat1", "viewer1");

    expect(await call("SendLiveMessageGroup", { ...base, SenderId: "host", SenderMetaInfo: "hm", Body: "hello", MsgType: 1, MsgTid: "msg1", StaticsIncrease: 3 })).toMatchObject({
      MsgTid: "msg1",
    });
    const generated = (await call("SendLiveMessageGroup", { ...base, SenderId: "host", Body: "second", MsgType: 2, NoCache: true })).MsgTid;
    expect(generated).toMatch(/^[a-z0-9]+$/);
    await call("SendLiveMessageGroup", { ...base, SenderId: "host", Body: "hidden", NoStorage: true });

    const listed = await call("ListLiveMessageGroupMessages", { ...base, PageSize: 10, SortType: 1 });
    expect(listed).toMatchObject({ GroupId: "chat1", Hasmore: false, NextPageToken: 0 });
    expect(listed.MessageList).toEqual([
      { MsgTid: "msg1", MsgType: 1, Body: "hello", SeqNumber: 1, Timestamp: expect.any(Number), TotalMessages: 3, Sender: { UserId: "host", UserInfo: "hm" } },
      { MsgTid: generated, MsgType: 2, Body: "second", SeqNumber: 2, Timestamp: expect.any(Number), TotalMessages: 3, Sender: { UserId: "host", UserInfo: "" } },
    ]);
    expect((await call("DescribeLiveMessageGroup", base)).MsgAmount).toEqual({ "0": 1, "1": 3, "2": 1 });
    expect(await call("DeleteLiveMessageGroupMessage", { ...base, MessageId: "msg1", DeleterId: "mod1" })).toMatchObject({ GroupId: "chat1", MessageId: "msg1" });
    expect((await call("ListLiveMessageGroupMessages", { ...base, PageSize: 10, SortType: 2, MsgType: 2 })).MessageList.map((m: any) => m.MsgTid)).toEqual([generated]);

    expect(await call("SendLiveMessageUser", { AppId: appId, ReceiverId: "viewer1", SenderId: "host", Body: "dm", MsgTid: "pm1", Storage: true, HighReliability: true })).toMatchObject({
      MsgTid: "pm1",
    });
    await call("DeleteLiveMessageUserMessage", { AppId: appId, ReceiverId: "viewer1", MessageId: "pm1" });
    await fail("SendLiveMessageUser", { AppId: appId, ReceiverId: "away", SenderId: "host", HighReliability: true }, "InputInvalid", 400);

    for (let t = 3; t < 30; t++) await call("SendLiveMessageGroup", { ...base, SenderId: "host", MsgType: t });
    await fail("SendLiveMessageGroup", { ...base, SenderId: "host", MsgType: 99 }, "ErrorTooManyMsgTypes", 400);
    await fail("SendLiveMessageGroup", { ...base, SenderId: "host", Body: "b".repeat(15 * 1024 + 1) }, "InputInvalid", 400);
    await fail("ListLiveMessageGroupMessages", { ...base, PageSize: 10 }, "InputInvalid", 400);
    await fail("DeleteLiveMessageGroupMessage", { ...base, GroupId: "nope", MessageId: "m" }, "ResourceNotExist", 404);
    await fail("DeleteLiveMessageUserMessage", { AppId: appId, ReceiverId: "viewer1" }, "InputInvalid", 400);
  });

  it("mutes: ban/unban, add/remove, modify (BannnedUsers), describe", async () => {
    const appId = (await call("CreateLiveMessageApp", {})).AppId as string;
    const base = { AppId: appId, GroupId: "quiet1" };
    await call("CreateLiveMessageGroup", base);
    await call("BanLiveMessageGroup", { ...base, ExceptUsers: ["host"] });
    await call("AddLiveMessageGroupBand", { ...base, BannedUsers: ["u2", "u3"] });
    await call("RemoveLiveMessageGroupBand", { ...base, UnbannedUsers: ["u3"] });
    expect(await call("DescribeLiveMessageGroupBand", base)).toEqual({
      RequestId: expect.any(String),
      GroupId: "quiet1",
      IsbannedAll: true,
      BannedUserList: ["u2"],
      UnbannedUserList: ["host"],
    });
    await call("UnbanLiveMessageGroup", base);
    expect(await call("DescribeLiveMessageGroupBand", base)).toMatchObject({ IsbannedAll: false, BannedUserList: ["u2"], UnbannedUserList: [] });
    await call("ModifyLiveMessageGroupBand", { ...base, BannedAll: true, BannnedUsers: ["u4", "u5"], ExceptUsers: ["host"] });
    expect(await call("DescribeLiveMessageGroupBand", base)).toMatchObject({ IsbannedAll: true, BannedUserList: ["u4", "u5"], UnbannedUserList: ["host"] });

    const many = Array.from({ length: 31 }, (_, i) => `m${i}`);
    await fail("BanLiveMessageGroup", { ...base, ExceptUsers: many }, "InputInvalid", 400);
    await fail("UnbanLiveMessageGroup", { ...base, GroupId: "nope" }, "ResourceNotExist", 404);
    await fail("AddLiveMessageGroupBand", base, "InputInvalid", 400);
    await fail("RemoveLiveMessageGroupBand", { ...base, UnbannedUsers: many }, "InputInvalid", 400);
    await fail("ModifyLiveMessageGroupBand", { ...base, BannnedUsers: many }, "InputInvalid", 400);
    await fail("DescribeLiveMessageGroupBand", { ...base, GroupId: "nope" }, "ResourceNotExist", 404);
  });

  it("covered every operation, each with a success and an error answer", () => {
    expect([...succeeded].sort()).toEqual([...ALL_ACTIONS].sort());
    expect([...failedWith.keys()].sort()).toEqual([...ALL_ACTIONS].sort());
  });
});
