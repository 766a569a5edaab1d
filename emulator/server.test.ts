import * as net from "node:net";
import { XMLParser } from "fast-xml-parser";
import { Agent, request } from "undici";
import { isoTimestamp } from "./test-support/client";
import { deriveAccountId } from "./auth";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator, type EmulatorOptions } from "./server";
import { callV1, callV3 } from "./test-support/client";
import { createFakeService, type FakeService } from "./test-support/fake-service";

const RPCClient = require("@alicloud/pop-core");
const OpenApi = require("@alicloud/openapi-client");
const TeaUtil = require("@alicloud/tea-util");

const key = DEFAULT_CREDENTIALS;
const xml = new XMLParser();

let fake: FakeService;
async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({
    seed: 1,
    createService: (o) => {
      fake = createFakeService(o);
      return fake;
    },
    ...options,
  });
}

async function createApp(emu: Emulator, k = key, timestamp?: string): Promise<string> {
  const r = await callV1(emu.url, "CreateLiveMessageApp", { AppName: "app" }, k, timestamp ? { timestamp } : {});
  expect(r.status).toBe(200);
  return r.json.AppId as string;
}

function openApiClient(emu: Emulator, signatureAlgorithm?: string, k = key) {
  return new OpenApi.default(
    new OpenApi.Config({
      accessKeyId: k.accessKeyId,
      accessKeySecret: k.accessKeySecret,
      endpoint: `127.0.0.1:${emu.port}`,
      protocol: "http",
      ...(signatureAlgorithm ? { signatureAlgorithm } : {}),
    }),
  );
}

function openApiParams(action: string) {
  return new OpenApi.Params({
    action,
    version: "2016-11-01",
    protocol: "HTTP",
    pathname: "/",
    method: "POST",
    authType: "AK",
    style: "RPC",
    reqBodyType: "formData",
    bodyType: "json",
  });
}

describe("wire formats with the official SDKs", () => {
  let emu: Emulator;
  let appId: string;
  beforeAll(async () => {
    emu = await start({ throttle: false });
    appId = await createApp(emu);
  });
  afterAll(() => emu.stop());

  it("V1 query (GET): flat JSON with RequestId, matching x-acs-request-id; gateway params never reach the service", async () => {
    const r = await callV1(emu.url, "CreateLiveMessageGroup", { AppId: appId, GroupId: "q1", Administrators: "u1,u2" }, key);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ RequestId: r.headers["x-acs-request-id"], GroupId: "q1", AlreadyExists: false, AlreadyDelete: false });
    expect(r.json.RequestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(fake.lastParams).toEqual({ AppId: appId, GroupId: "q1", Administrators: "u1,u2" });
    expect(fake.lastContext).toMatchObject({ accountId: deriveAccountId(key.accessKeyId), accessKeyId: key.accessKeyId });
  });

  it("V1 form body (pop-core RPCClient, POST): Name.N arrays fold into comma lists", async () => {
    const pop = new RPCClient({ accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret, endpoint: emu.url, apiVersion: "2016-11-01" });
    const created = await pop.request("CreateLiveMessageGroup", { AppId: appId, GroupId: "pop1", Administrators: ["a1", "a2", "a3"] }, { method: "POST" });
    expect(created).toMatchObject({ GroupId: "pop1", AlreadyExists: false });
    expect(fake.lastParams?.Administrators).toBe("a1,a2,a3");
    const described = await pop.request("DescribeLiveMessageGroup", { AppId: appId, GroupId: "pop1" }, { method: "POST" });
    expect(described.AdminList).toEqual(["a1", "a2", "a3"]);
    expect(described.Code).toBeUndefined();
  });

  it("pop-core surfaces error codes", async () => {
    const pop = new RPCClient({ accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret, endpoint: emu.url, apiVersion: "2016-11-01" });
    await expect(pop.request("DescribeLiveMessageGroup", { AppId: appId, GroupId: "missing" }, { method: "POST" })).rejects.toMatchObject({
      code: "ResourceNotExist",
      name: "ResourceNotExistError",
    });
    const wrongKey = new RPCClient({ accessKeyId: key.accessKeyId, accessKeySecret: "wrong", endpoint: emu.url, apiVersion: "2016-11-01" });
    await expect(wrongKey.request("DescribeLiveMessageGroup", { AppId: appId, GroupId: "pop1" })).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });
  });

  it("V3 (openapi-client callApi, ACS3-HMAC-SHA256) with query parameters and with a form body", async () => {
    const client = openApiClient(emu);
    const created = await client.callApi(
      openApiParams("CreateLiveMessageGroup"),
      new OpenApi.OpenApiRequest({ query: { AppId: appId, GroupId: "v3a", Administrators: "x,y" } }),
      new TeaUtil.RuntimeOptions({}),
    );
    expect(created.statusCode).toBe(200);
    expect(created.body).toMatchObject({ GroupId: "v3a", AlreadyExists: false });
    const viaBody = await client.callApi(
      openApiParams("DescribeLiveMessageGroup"),
      new OpenApi.OpenApiRequest({ body: { AppId: appId, GroupId: "v3a" } }),
      new TeaUtil.RuntimeOptions({}),
    );
    expect(viaBody.body.AdminList).toEqual(["x", "y"]);
  });

  it("openapi-client surfaces error codes and statuses (V3 and its V1 mode)", async () => {
    for (const alg of [undefined, "v2"]) {
      const client = openApiClient(emu, alg);
      await expect(
        client.callApi(openApiParams("DescribeLiveMessageGroup"), new OpenApi.OpenApiRequest({ query: { AppId: appId, GroupId: "nope" } }), new TeaUtil.RuntimeOptions({})),
      ).rejects.toMatchObject({ code: "ResourceNotExist", statusCode: 404 });
    }
    const wrong = openApiClient(emu, undefined, { accessKeyId: key.accessKeyId, accessKeySecret: "nope" });
    await expect(
      wrong.callApi(openApiParams("DescribeLiveMessageGroup"), new OpenApi.OpenApiRequest({ query: { AppId: appId, GroupId: "v3a" } }), new TeaUtil.RuntimeOptions({})),
    ).rejects.toMatchObject({ code: "SignatureDoesNotMatch", statusCode: 400 });
    const v1 = openApiClient(emu, "v2");
    const ok = await v1.callApi(openApiParams("DescribeLiveMessageGroup"), new OpenApi.OpenApiRequest({ query: { AppId: appId, GroupId: "v3a" } }), new TeaUtil.RuntimeOptions({}));
    expect(ok.body.GroupId).toBe("v3a");
  });

  it("V1 without Format answers XML (Live's default), Format=XML too; errors as <Error>", async () => {
    for (const format of [null, "XML"]) {
      const r = await callV1(emu.url, "DescribeLiveMessageGroup", { AppId: appId, GroupId: "q1" }, key, { format });
      expect(r.status).toBe(200);
      expect(r.headers["content-type"]).toBe("text/xml;charset=utf-8");
      const doc = xml.parse(r.text);
      expect(doc.DescribeLiveMessageGroupResponse.GroupId).toBe("q1");
      expect(doc.DescribeLiveMessageGroupResponse.AdminList).toEqual(["u1", "u2"]);
      expect(doc.DescribeLiveMessageGroupResponse.RequestId).toBe(r.headers["x-acs-request-id"]);
    }
    const err = await callV1(emu.url, "DescribeLiveMessageGroup", { AppId: appId, GroupId: "zz" }, key, { format: null });
    expect(err.status).toBe(404);
    expect(err.headers["content-type"]).toBe("text/xml;charset=utf-8");
    expect(xml.parse(err.text).Error).toMatchObject({ Code: "ResourceNotExist", HostId: "live.aliyuncs.com" });
    const json = await callV1(emu.url, "DescribeLiveMessageGroup", { AppId: appId, GroupId: "q1" }, key, { format: "json" });
    expect(json.headers["content-type"]).toBe("application/json;charset=utf-8");
  });

  it("error envelope: RequestId, HostId, Code, Message, Recommend", async () => {
    const r = await callV1(emu.url, "DescribeLiveMessageGroup", { AppId: appId, GroupId: "zz" }, key);
    expect(Object.keys(r.json).sort()).toEqual(["Code", "HostId", "Message", "Recommend", "RequestId"]);
    expect(r.json.Recommend).toBe(`https://api.aliyun.com/troubleshoot?q=ResourceNotExist&product=live&requestId=${r.json.RequestId}`);
  });

  it("routing errors: unknown action, missing action, wrong version, bad method, other paths", async () => {
    const unknown = await callV1(emu.url, "DescribeRegions", {}, key);
    expect([unknown.status, unknown.json.Code]).toEqual([404, "InvalidAction.NotFound"]);
    const v3Unknown = await callV3(emu.url, "DeleteLiveMessageApp", {}, key);
    expect([v3Unknown.status, v3Unknown.json.Code]).toEqual([404, "InvalidAction.NotFound"]);
    const noAction = await request(`${emu.url}/?Format=JSON`);
    expect(await noAction.body.json()).toMatchObject({ Code: "MissingParameter" });
    const version = await callV1(emu.url, "DescribeLiveMessageGroup", { AppId: appId, GroupId: "q1" }, key, { version: "2014-05-26" });
    expect([version.status, version.json.Code]).toEqual([400, "InvalidVersion"]);
    const put = await request(`${emu.url}/?Action=DescribeLiveMessageGroup`, { method: "PUT" });
    expect(put.statusCode).toBe(400);
    expect(await put.body.json()).toMatchObject({ Code: "UnsupportedHTTPMethod" });
    const other = await request(`${emu.url}/reset`, { method: "POST" });
    expect(other.statusCode).toBe(404);
    await other.body.dump();
  });

  it("keep-alive with many concurrent requests", async () => {
    const agent = new Agent({ connections: 4, pipelining: 1 });
    try {
      const results = await Promise.all(
        Array.from({ length: 40 }, () => callV1(emu.url, "DescribeLiveMessageGroup", { AppId: appId, GroupId: "q1" }, key, { dispatcher: agent })),
      );
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(new Set(results.map((r) => r.json.RequestId)).size).toBe(40);
      expect(results[0]!.headers.connection).toBe("keep-alive");
    } finally {
      await agent.close();
    }
  });
});

describe("gateway rejections", () => {
  it("unknown key, bad signatures (V1/V3), nonce reuse", async () => {
    const emu = await start();
    try {
      const unknown = await callV1(emu.url, "CreateLiveMessageApp", {}, { accessKeyId: "nobody", accessKeySecret: "x" });
      expect([unknown.status, unknown.json.Code, unknown.json.Message]).toEqual([404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."]);
      const badV1 = await callV1(emu.url, "CreateLiveMessageApp", { AppName: "x" }, key, { tamper: (p) => (p.AppName = "y") });
      expect([badV1.status, badV1.json.Code]).toEqual([400, "SignatureDoesNotMatch"]);
      expect(badV1.json.Message).toMatch(/server string to sign is:GET&%2F&AccessKeyId%3Demulator-access-key-id%26Action%3DCreateLiveMessageApp%26AppName%3Dy/);
      expect(badV1.json.Message).not.toContain(key.accessKeySecret);
      const badV3 = await callV3(emu.url, "CreateLiveMessageApp", {}, { ...key, accessKeySecret: "wrong" });
      expect([badV3.status, badV3.json.Code]).toEqual([400, "SignatureDoesNotMatch"]);
      expect(badV3.json.Message).toMatch(/server string to sign is:ACS3-HMAC-SHA256\n[0-9a-f]{64}/);
      const tamperedBody = await callV3(emu.url, "CreateLiveMessageApp", {}, key, {
        formBody: { AppName: "abc" },
        tamperHeaders: (h) => (h["x-acs-content-sha256"] = "0".repeat(64)),
      });
      expect(tamperedBody.json.Code).toBe("SignatureDoesNotMatch");
      const first = await callV1(emu.url, "CreateLiveMessageApp", {}, key, { nonce: "same-nonce" });
      expect(first.status).toBe(200);
      const again = await callV1(emu.url, "CreateLiveMessageApp", {}, key, { nonce: "same-nonce" });
      expect([again.status, again.json.Code]).toEqual([400, "SignatureNonceUsed"]);
      const v3a = await callV3(emu.url, "CreateLiveMessageApp", {}, key, { nonce: "v3nonce" });
      expect(v3a.status).toBe(200);
      const v3b = await callV3(emu.url, "CreateLiveMessageApp", {}, key, { nonce: "v3nonce" });
      expect(v3b.json.Code).toBe("SignatureNonceUsed");
    } finally {
      await emu.stop();
    }
  });

  it("timestamps within ±15 minutes of the injected clock", async () => {
    const T0 = Date.UTC(2024, 5, 1, 12, 0, 0);
    const emu = await start({ clock: () => T0 });
    try {
      const at = (offsetMin: number) => isoTimestamp(new Date(T0 + offsetMin * 60_000));
      expect((await callV1(emu.url, "CreateLiveMessageApp", {}, key, { timestamp: at(14) })).status).toBe(200);
      expect((await callV1(emu.url, "CreateLiveMessageApp", {}, key, { timestamp: at(-14) })).status).toBe(200);
      expect((await callV1(emu.url, "CreateLiveMessageApp", {}, key, { timestamp: at(16) })).json.Code).toBe("InvalidTimeStamp.Expired");
      expect((await callV3(emu.url, "CreateLiveMessageApp", {}, key, { date: at(-16) })).json.Code).toBe("InvalidTimeStamp.Expired");
      expect((await callV1(emu.url, "CreateLiveMessageApp", {}, key, { timestamp: "yesterday" })).json.Code).toBe("InvalidTimeStamp.Format");
      // The service runs on the same clock.
      await callV1(emu.url, "CreateLiveMessageApp", {}, key, { timestamp: at(0) });
      expect(fake.lastContext?.now).toBe(T0);
    } finally {
      await emu.stop();
    }
  });

  it("--no-verify skips signature, timestamp and nonce checks but still picks the account", async () => {
    const other = { accessKeyId: "second", accessKeySecret: "second-secret" };
    const emu = await start({ verifySignatures: false, credentials: [key, other] });
    try {
      const r = await callV1(emu.url, "CreateLiveMessageApp", {}, { ...other, accessKeySecret: "wrong" }, { timestamp: "2000-01-01T00:00:00Z", nonce: "n" });
      expect(r.status).toBe(200);
      expect(fake.lastContext?.accountId).toBe(deriveAccountId("second"));
      const again = await callV1(emu.url, "DescribeLiveMessageApp", { AppId: r.json.AppId }, other, { nonce: "n" });
      expect(again.status).toBe(200);
      const anon = await request(`${emu.url}/?Action=CreateLiveMessageApp&Version=2016-11-01&Format=JSON`);
      expect(anon.statusCode).toBe(200);
      await anon.body.dump();
      expect(fake.lastContext?.accountId).toBe(deriveAccountId(key.accessKeyId));
    } finally {
      await emu.stop();
    }
  });

  it("each credential pair is its own account", async () => {
    const other = { accessKeyId: "second", accessKeySecret: "second-secret" };
    const emu = await start({ credentials: [key, other] });
    try {
      const appId = await createApp(emu, key);
      expect((await callV1(emu.url, "DescribeLiveMessageApp", { AppId: appId }, key)).status).toBe(200);
      expect((await callV1(emu.url, "DescribeLiveMessageApp", { AppId: appId }, other)).json.Code).toBe("ResourceNotExist");
      expect(emu.credentials.map((c) => c.accountId)).toEqual([deriveAccountId(key.accessKeyId), deriveAccountId("second")]);
    } finally {
      await emu.stop();
    }
  });

  it("STS: a configured security token must be presented (V1 SecurityToken / V3 x-acs-security-token)", async () => {
    const sts = { accessKeyId: "STS.key", accessKeySecret: "sts-secret", securityToken: "tok-123" };
    const emu = await start({ credentials: [sts] });
    try {
      expect((await callV1(emu.url, "CreateLiveMessageApp", {}, sts)).status).toBe(200);
      expect((await callV3(emu.url, "CreateLiveMessageApp", {}, sts)).status).toBe(200);
      const none = await callV1(emu.url, "CreateLiveMessageApp", {}, { accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret });
      expect(none.json.Code).toBe("InvalidSecurityToken.MismatchWithAccessKey");
      const wrong = await callV3(emu.url, "CreateLiveMessageApp", {}, { ...sts, securityToken: "tok-999" });
      expect(wrong.json.Code).toBe("InvalidSecurityToken.MismatchWithAccessKey");
      expect(wrong.text).not.toContain("tok-999");
      // With a token on the SDK side (openapi-client sends x-acs-security-token).
      const client = new OpenApi.default(
        new OpenApi.Config({ ...sts, endpoint: `127.0.0.1:${emu.port}`, protocol: "http", type: "sts" }),
      );
      const ok = await client.callApi(openApiParams("CreateLiveMessageApp"), new OpenApi.OpenApiRequest({ query: {} }), new TeaUtil.RuntimeOptions({}));
      expect(ok.statusCode).toBe(200);
    } finally {
      await emu.stop();
    }
  });

  it("body size limit → 413", async () => {
    const emu = await start({ maxBodyBytes: 1000 });
    try {
      const r = await request(`${emu.url}/`, {
        method: "POST",
        body: `Action=CreateLiveMessageApp&AppName=${"x".repeat(2000)}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(r.statusCode).toBe(413);
      expect(await r.body.json()).toMatchObject({ Code: "RequestEntityTooLarge" });
    } finally {
      await emu.stop();
    }
  });
});

describe("connection handling", () => {
  it("a client that disconnects mid-body is dropped quietly; stop() does not wait for it", async () => {
    const logs: string[] = [];
    const emu = await start({ log: (l) => logs.push(l) });
    const socket = net.connect(emu.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nAction=Cre");
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const health = await request(`${emu.url}/_emulator/health`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
    await emu.stop();
    expect(logs).toEqual([]);
  });
});

describe("throttling (spec §1, §11.2)", () => {
  let now = Date.UTC(2024, 0, 1);
  const clock = () => now;

  it("accepts exactly the budget per window, then Throttling.User with x-acs-retry-after", async () => {
    const emu = await start({ clock });
    try {
      const ts = isoTimestamp(new Date(now));
      const appId = await createApp(emu, key, ts);
      const burst = await Promise.all(
        Array.from({ length: 60 }, () => callV1(emu.url, "DescribeLiveMessageApp", { AppId: appId }, key, { timestamp: ts })),
      );
      const ok = burst.filter((r) => r.status === 200);
      const throttled = burst.filter((r) => r.status !== 200);
      expect(ok).toHaveLength(50);
      expect(throttled).toHaveLength(10);
      for (const r of throttled) {
        expect(r.status).toBe(400);
        expect(r.json.Code).toBe("Throttling.User");
        expect(r.headers["x-acs-retry-after"]).toBe("1000");
        expect(r.headers["x-ratelimit-user-api"]).toBe(`Limit:50,Remain:0,TimeLeft:1000,Reset:${now + 1000}`);
      }
      now += 400;
      const later = await callV1(emu.url, "DescribeLiveMessageApp", { AppId: appId }, key, { timestamp: ts });
      expect(later.headers["x-acs-retry-after"]).toBe("600");
      // Other actions have their own budget.
      expect((await callV1(emu.url, "CreateLiveMessageApp", {}, key, { timestamp: ts })).status).toBe(200);
      now += 600;
      expect((await callV1(emu.url, "DescribeLiveMessageApp", { AppId: appId }, key, { timestamp: ts })).status).toBe(200);
    } finally {
      await emu.stop();
    }
  });

  it("mute operations at 10 per second; rejected (unauthenticated) requests consume nothing", async () => {
    const emu = await start({ clock });
    try {
      const ts = isoTimestamp(new Date(now));
      const appId = await createApp(emu, key, ts);
      await callV1(emu.url, "CreateLiveMessageGroup", { AppId: appId, GroupId: "g" }, key, { timestamp: ts });
      const forged = await Promise.all(
        Array.from({ length: 20 }, () => callV1(emu.url, "BanLiveMessageGroup", { AppId: appId, GroupId: "g" }, { ...key, accessKeySecret: "bad" }, { timestamp: ts })),
      );
      expect(forged.every((r) => r.json.Code === "SignatureDoesNotMatch")).toBe(true);
      const bans = await Promise.all(
        Array.from({ length: 15 }, () => callV1(emu.url, "BanLiveMessageGroup", { AppId: appId, GroupId: "g" }, key, { timestamp: ts })),
      );
      expect(bans.filter((r) => r.status === 200)).toHaveLength(10);
      expect(bans.filter((r) => r.json.Code === "Throttling.User")).toHaveLength(5);
    } finally {
      await emu.stop();
    }
  });

  it("throttle: false turns it off", async () => {
    const emu = await start({ clock, throttle: false });
    try {
      const ts = isoTimestamp(new Date(now));
      const appId = await createApp(emu, key, ts);
      const rs = await Promise.all(Array.from({ length: 70 }, () => callV1(emu.url, "DescribeLiveMessageApp", { AppId: appId }, key, { timestamp: ts })));
      expect(rs.every((r) => r.status === 200)).toBe(true);
    } finally {
      await emu.stop();
    }
  });
});
