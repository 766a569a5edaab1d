import { APPS_PAGE_SIZE as LIST_APPS_PAGE_SIZE, APPS_PER_ACCOUNT as MAX_APPS_PER_ACCOUNT } from "../spec/limits";
import { APP_ID_LENGTH, APP_KEY_LENGTH, APP_SIGN_LENGTH } from "./behaviour";
import { expectError, Harness, T0 } from "./test-support/harness";

const OTHER_ACCOUNT = "1000000000000002";

describe("CreateLiveMessageApp", () => {
  it("returns generated letters+digits AppId, AppKey, AppSign and the default data center", () => {
    const h = new Harness();
    const r = h.call("CreateLiveMessageApp", { AppName: "demo" });
    expect(Object.keys(r).sort()).toEqual(["AppId", "AppKey", "AppSign", "DataCenter"]);
    expect(r.AppId).toMatch(new RegExp(`^[a-z0-9]{${APP_ID_LENGTH}}$`));
    expect(r.AppKey).toMatch(new RegExp(`^[A-Za-z0-9]{${APP_KEY_LENGTH}}$`));
    expect(r.AppSign).toMatch(new RegExp(`^[A-Za-z0-9]{${APP_SIGN_LENGTH}}$`));
    expect(r.DataCenter).toBe("cn-shanghai");
    expect(r).not.toHaveProperty("Code");
  });

  it("draws every generated value from ctx.random: the same seed gives the same app", () => {
    const a = new Harness();
    const b = new Harness();
    const first = a.call("CreateLiveMessageApp", {});
    expect(first).toEqual(b.call("CreateLiveMessageApp", {}));
    // The next call has another seed, hence other values.
    const second = a.call("CreateLiveMessageApp", {});
    expect(second.AppId).not.toBe(first.AppId);
    expect(second.AppKey).not.toBe(first.AppKey);
  });

  it("stores every setting, visible through DescribeLiveMessageApp", () => {
    const h = new Harness();
    const appId = h.createApp({
      AppName: "Live room",
      AuditType: 2,
      AuditUrl: "https://audit.example.com/hook",
      EventCallbackUrl: "http://events.example.com/cb",
      MsgLifeCycle: 2,
      DataCenter: "ap-southeast-1",
    });
    const d = h.call("DescribeLiveMessageApp", { AppId: appId, DataCenter: "ap-southeast-1" });
    expect(d).toEqual({
      AppId: appId,
      AppName: "Live room",
      AppKey: expect.any(String),
      AppSign: expect.any(String),
      AuditType: 2,
      AuditUrl: "https://audit.example.com/hook",
      EventCallbackUrl: "http://events.example.com/cb",
      MsgLifeCycle: 2,
      DataCenter: "ap-southeast-1",
      Disable: false,
      CreateTime: T0 / 1000,
      ModifyTime: T0 / 1000,
    });
  });

  it("defaults: no name, AuditType 0 (AuditUrl omitted), callbacks off, MsgLifeCycle 0, enabled", () => {
    const h = new Harness();
    const appId = h.createApp();
    const d = h.call("DescribeLiveMessageApp", { AppId: appId });
    expect(d).toMatchObject({ AppName: "", AuditType: 0, EventCallbackUrl: "", MsgLifeCycle: 0, Disable: false });
    expect(d).not.toHaveProperty("AuditUrl");
    expect(typeof d.CreateTime).toBe("number");
    expect(Number.isInteger(d.CreateTime)).toBe(true);
  });

  it.each([
    [{ AppName: "a" }, "AppName"],
    [{ AppName: "x".repeat(17) }, "AppName"],
    [{ AuditType: 3 }, "AuditType"],
    [{ AuditType: "one" }, "AuditType"],
    [{ AuditType: 2 }, "AuditUrl"],
    [{ AuditType: 2, AuditUrl: "ftp://x.example.com" }, "AuditUrl"],
    [{ EventCallbackUrl: "http://x.example.com:8080/cb" }, "EventCallbackUrl"],
    [{ EventCallbackUrl: "http://192.168.1.10/cb" }, "EventCallbackUrl"],
    [{ EventCallbackUrl: "https://127.0.0.1/cb" }, "EventCallbackUrl"],
    [{ EventCallbackUrl: "http://localhost/cb" }, "EventCallbackUrl"],
    [{ MsgLifeCycle: 3 }, "MsgLifeCycle"],
    [{ MsgLifeCycle: 1.5 }, "MsgLifeCycle"],
    [{ DataCenter: "cn-beijing" }, "DataCenter"],
  ])("rejects %j with InputInvalid naming the parameter", (params, name) => {
    const h = new Harness();
    expectError(h.fail("CreateLiveMessageApp", params), "InputInvalid", 400, name);
  });

  it("accepts 2- and 16-character names counted in characters, not bytes", () => {
    const h = new Harness();
    expect(h.createApp({ AppName: "ab" })).toBeTruthy();
    expect(h.createApp({ AppName: "直播间直播间直播间直播间直播间直" })).toBeTruthy();
  });

  it(`allows ${MAX_APPS_PER_ACCOUNT} apps per account, then ErrorTooManyApps (per account, across data centers)`, () => {
    const h = new Harness();
    for (let i = 0; i < MAX_APPS_PER_ACCOUNT; i++) h.createApp({ DataCenter: i % 2 ? "ap-southeast-1" : "cn-shanghai" });
    expectError(h.fail("CreateLiveMessageApp", {}), "ErrorTooManyApps", 400);
    expectError(h.fail("CreateLiveMessageApp", { DataCenter: "ap-southeast-1" }), "ErrorTooManyApps", 400);
    // Another account has its own quota.
    expect(h.createApp({}, OTHER_ACCOUNT)).toBeTruthy();
  });
});

describe("DescribeLiveMessageApp", () => {
  it("requires AppId", () => {
    expectError(new Harness().fail("DescribeLiveMessageApp", {}), "InputInvalid", 400, "AppId");
  });

  it("answers ResourceNotExist for an unknown app and for another account's app", () => {
    const h = new Harness();
    const appId = h.createApp();
    expectError(h.fail("DescribeLiveMessageApp", { AppId: "nosuchapp" }), "ResourceNotExist", 404);
    expectError(h.fail("DescribeLiveMessageApp", { AppId: appId }, OTHER_ACCOUNT), "ResourceNotExist", 404);
  });

  it("finds an ap-southeast-1 app only when the call passes that DataCenter", () => {
    const h = new Harness();
    const sg = h.createApp({ DataCenter: "ap-southeast-1" });
    const sh = h.createApp();
    expectError(h.fail("DescribeLiveMessageApp", { AppId: sg }), "ResourceNotExist", 404);
    expectError(h.fail("DescribeLiveMessageApp", { AppId: sg, DataCenter: "cn-shanghai" }), "ResourceNotExist", 404);
    expect(h.call("DescribeLiveMessageApp", { AppId: sg, DataCenter: "ap-southeast-1" }).DataCenter).toBe("ap-southeast-1");
    expectError(h.fail("DescribeLiveMessageApp", { AppId: sh, DataCenter: "ap-southeast-1" }), "ResourceNotExist", 404);
    expect(h.call("DescribeLiveMessageApp", { AppId: sh, DataCenter: "cn-shanghai" }).AppId).toBe(sh);
  });
});

describe("ListLiveMessageApps", () => {
  function setup(n: number): { h: Harness; ids: string[] } {
    const h = new Harness();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(h.createApp({ AppName: `app${i}` }));
      h.advance(1000);
    }
    return { h, ids };
  }

  function listAll(h: Harness, sortType: number, extra: Record<string, string> = {}): string[] {
    const out: string[] = [];
    let token: number | undefined;
    for (;;) {
      const r = h.call("ListLiveMessageApps", { SortType: sortType, NextPageToken: token, ...extra });
      out.push(...r.AppList.map((a: { AppId: string }) => a.AppId));
      if (!r.HasMore) {
        expect(r).not.toHaveProperty("NextPageToken");
        return out;
      }
      expect(typeof r.NextPageToken).toBe("number");
      token = r.NextPageToken;
    }
  }

  it("lists items with the documented fields; Disable is a STRING", () => {
    const { h, ids } = setup(1);
    h.call("ModifyLiveMessageAppDisable", { AppId: ids[0], Disable: true });
    const r = h.call("ListLiveMessageApps", { SortType: 1 });
    expect(r).toEqual({
      AppList: [
        {
          AppId: ids[0],
          AppName: "app0",
          AppKey: expect.any(String),
          AppSign: expect.any(String),
          CreateTime: T0 / 1000,
          ModifyTime: T0 / 1000 + 1,
          DataCenter: "cn-shanghai",
          MsgLifeCycle: 0,
          Disable: "true",
        },
      ],
      HasMore: false,
    });
  });

  it(`pages by ${LIST_APPS_PAGE_SIZE} in creation order, ascending and descending`, () => {
    const { h, ids } = setup(LIST_APPS_PAGE_SIZE * 2 + 3);
    const first = h.call("ListLiveMessageApps", { SortType: 1 });
    expect(first.AppList).toHaveLength(LIST_APPS_PAGE_SIZE);
    expect(first.HasMore).toBe(true);
    expect(listAll(h, 1)).toEqual(ids);
    expect(listAll(h, 2)).toEqual([...ids].reverse());
    // -1 and empty mean "first page".
    expect(h.call("ListLiveMessageApps", { SortType: 1, NextPageToken: -1 }).AppList[0].AppId).toBe(ids[0]);
    expect(h.call("ListLiveMessageApps", { SortType: 1, NextPageToken: "" }).AppList[0].AppId).toBe(ids[0]);
  });

  it("shows only the caller's apps of the requested data center", () => {
    const h = new Harness();
    const sh = h.createApp();
    const sg = h.createApp({ DataCenter: "ap-southeast-1" });
    h.createApp({}, OTHER_ACCOUNT);
    expect(listAll(h, 1)).toEqual([sh]);
    expect(listAll(h, 1, { DataCenter: "ap-southeast-1" })).toEqual([sg]);
  });

  it("requires SortType 1 or 2 and a numeric token", () => {
    const h = new Harness();
    expectError(h.fail("ListLiveMessageApps", {}), "InputInvalid", 400, "SortType");
    expectError(h.fail("ListLiveMessageApps", { SortType: 3 }), "InputInvalid", 400, "SortType");
    expectError(h.fail("ListLiveMessageApps", { SortType: 1, NextPageToken: "abc" }), "InputInvalid", 400, "NextPageToken");
  });
});

describe("ModifyLiveMessageAppAudit", () => {
  it("switches to custom moderation with a URL and back", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.advance(5000);
    const r = h.call("ModifyLiveMessageAppAudit", { AppId: appId, AuditType: 2, AuditUrl: "https://mod.example.com/x" });
    expect(r).toEqual({
      AppId: appId,
      AppSign: expect.any(String),
      AuditType: 2,
      AuditUrl: "https://mod.example.com/x",
      AuditNeedAuthentication: true,
    });
    const d = h.call("DescribeLiveMessageApp", { AppId: appId });
    expect(d).toMatchObject({ AuditType: 2, AuditUrl: "https://mod.example.com/x", ModifyTime: T0 / 1000 + 5 });
    const back = h.call("ModifyLiveMessageAppAudit", { AppId: appId, AuditType: 1 });
    expect(back.AuditType).toBe(1);
    expect(back).not.toHaveProperty("AuditUrl");
    expect(h.call("DescribeLiveMessageApp", { AppId: appId })).not.toHaveProperty("AuditUrl");
  });

  it("requires AuditUrl with AuditType 2 and validates it", () => {
    const h = new Harness();
    const appId = h.createApp();
    expectError(h.fail("ModifyLiveMessageAppAudit", { AppId: appId, AuditType: 2 }), "InputInvalid", 400, "AuditUrl");
    expectError(
      h.fail("ModifyLiveMessageAppAudit", { AppId: appId, AuditType: 2, AuditUrl: "https://10.0.0.1/x" }),
      "InputInvalid",
      400,
      "AuditUrl",
    );
    expect(h.call("DescribeLiveMessageApp", { AppId: appId }).AuditType).toBe(0);
  });

  it("keeps the type when AuditType is omitted, updating only the URL", () => {
    const h = new Harness();
    const appId = h.createApp({ AuditType: 2, AuditUrl: "https://a.example.com/" });
    const r = h.call("ModifyLiveMessageAppAudit", { AppId: appId, AuditUrl: "https://b.example.com/" });
    expect(r).toMatchObject({ AuditType: 2, AuditUrl: "https://b.example.com/" });
  });
});

describe("ModifyLiveMessageAppCallback", () => {
  it("sets and clears the callback URL; EventCallbackUrl is omitted from the response when empty", () => {
    const h = new Harness();
    const appId = h.createApp();
    const set = h.call("ModifyLiveMessageAppCallback", { AppId: appId, EventCallbackUrl: "https://cb.example.com/e" });
    expect(set).toEqual({
      AppId: appId,
      AppSign: expect.any(String),
      EventCallbackUrl: "https://cb.example.com/e",
      EventCallbackNeedAuthentication: true,
    });
    expect(h.call("DescribeLiveMessageApp", { AppId: appId }).EventCallbackUrl).toBe("https://cb.example.com/e");
    const cleared = h.call("ModifyLiveMessageAppCallback", { AppId: appId, EventCallbackUrl: "" });
    expect(cleared).not.toHaveProperty("EventCallbackUrl");
    expect(h.call("DescribeLiveMessageApp", { AppId: appId }).EventCallbackUrl).toBe("");
  });

  it("validates the URL", () => {
    const h = new Harness();
    const appId = h.createApp();
    expectError(
      h.fail("ModifyLiveMessageAppCallback", { AppId: appId, EventCallbackUrl: "cb.example.com" }),
      "InputInvalid",
      400,
      "EventCallbackUrl",
    );
  });
});

describe("ModifyLiveMessageAppDisable", () => {
  it("disables and re-enables; a disabled app rejects other calls with NoAuth", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1");
    expect(h.call("ModifyLiveMessageAppDisable", { AppId: appId, Disable: true })).toEqual({
      AppId: appId,
      AppSign: expect.any(String),
      Disable: true,
    });
    expect(h.call("DescribeLiveMessageApp", { AppId: appId }).Disable).toBe(true);
    expect(h.call("ListLiveMessageApps", { SortType: 1 }).AppList[0].Disable).toBe("true");
    // Runtime traffic is refused …
    expectError(h.fail("SendLiveMessageGroup", { AppId: appId, GroupId: "g1", SenderId: "u1" }), "NoAuth", 403);
    expectError(h.fail("KickLiveMessageGroupUser", { AppId: appId, GroupId: "g1", KickoffUser: "u1" }), "NoAuth", 403);
    expectError(h.fail("BanLiveMessageGroup", { AppId: appId, GroupId: "g1" }), "NoAuth", 403);
    expectError(h.fail("ModifyLiveMessageUserInfo", { AppId: appId, UserId: "u1", UserMetaInfo: "x" }), "NoAuth", 403);
    // … while management and reads keep working, so a stack can still manage the app's groups.
    expect(h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }).GroupId).toBe("g1");
    expect(h.call("CreateLiveMessageGroup", { AppId: appId, GroupId: "g2" }).AlreadyExists).toBe(false);
    expect(h.call("ModifyLiveMessageAppAudit", { AppId: appId, AuditType: 1 }).AuditType).toBe(1);
    expect(() => h.join(appId, "g1", "u1")).toThrow(expect.objectContaining({ code: "NoAuth" }));
    // Re-enable (Disable omitted = false).
    expect(h.call("ModifyLiveMessageAppDisable", { AppId: appId }).Disable).toBe(false);
    expect(h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }).GroupId).toBe("g1");
  });

  it("rejects a non-boolean Disable", () => {
    const h = new Harness();
    const appId = h.createApp();
    expectError(h.fail("ModifyLiveMessageAppDisable", { AppId: appId, Disable: "yes" }), "InputInvalid", 400, "Disable");
  });
});
