/**
 * The public entry with the real LiveMessage service behind it: official SDK clients, unchanged, against a full
 * app → group → members → messages flow, and durability by log replay (not just snapshots).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "./index";
import { admin, callV1, callV3 } from "./test-support/client";

const RPCClient = require("@alicloud/pop-core");
const OpenApi = require("@alicloud/openapi-client");
const TeaUtil = require("@alicloud/tea-util");

const key = DEFAULT_CREDENTIALS;

describe("startEmulator with the real service", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, throttle: false, seed: 2024 });
  });
  afterAll(() => emu.stop());

  it("exposes url, port, default credentials and a stable account id", () => {
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`);
    expect(emu.credentials).toEqual([{ ...DEFAULT_CREDENTIALS, accountId: expect.stringMatching(/^1\d{15}$/) }]);
    expect(emu.service.actions.size).toBe(29);
  });

  it("pop-core (V1, POST form) and openapi-client (V3) drive a whole flow", async () => {
    const pop = new RPCClient({ accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret, endpoint: emu.url, apiVersion: "2016-11-01" });
    const app = await pop.request("CreateLiveMessageApp", { AppName: "sdkflow" }, { method: "POST" });
    expect(app).toMatchObject({ AppId: expect.any(String), AppKey: expect.any(String), DataCenter: "cn-shanghai" });
    const group = await pop.request("CreateLiveMessageGroup", { AppId: app.AppId, GroupId: "room1", Administrators: ["admin1", "admin2"] }, { method: "POST" });
    expect(group).toMatchObject({ GroupId: "room1", AlreadyExists: false, AlreadyDelete: false });

    const joined = await admin(emu.url, "POST", `/apps/${app.AppId}/groups/room1/members`, { userId: "viewer1", userInfo: "nick" });
    expect(joined.status).toBe(200);

    const client = new OpenApi.default(
      new OpenApi.Config({ accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret, endpoint: `127.0.0.1:${emu.port}`, protocol: "http" }),
    );
    const call = (action: string, query: Record<string, string>, method = "POST") =>
      client.callApi(
        new OpenApi.Params({ action, version: "2016-11-01", protocol: "HTTP", pathname: "/", method, authType: "AK", style: "RPC", reqBodyType: "formData", bodyType: "json" }),
        new OpenApi.OpenApiRequest({ query }),
        new TeaUtil.RuntimeOptions({}),
      );
    const sent = await call("SendLiveMessageGroup", { AppId: app.AppId, GroupId: "room1", SenderId: "viewer1", Body: "hello", MsgType: "1", MsgTid: "m1" });
    expect(sent.body).toMatchObject({ MsgTid: "m1" });
    const described = await call("DescribeLiveMessageGroup", { AppId: app.AppId, GroupId: "room1" });
    expect(described.body).toMatchObject({ GroupId: "room1", AdminList: ["admin1", "admin2"], Delete: false, OnlineUserCounts: 1 });
    const byPage = await call("ListLiveMessageGroupByPage", { AppId: app.AppId, SortType: "1" }, "GET");
    expect(byPage.body.GroupList.map((g: { GroupId: string }) => g.GroupId)).toEqual(["room1"]);

    await expect(call("DescribeLiveMessageGroup", { AppId: app.AppId, GroupId: "nosuchroom" })).rejects.toMatchObject({ code: "ResourceNotExist", statusCode: 404 });
    await expect(pop.request("DescribeLiveMessageGroup", { AppId: app.AppId, GroupId: "bad id!" }, { method: "POST" })).rejects.toMatchObject({ code: "InputInvalid" });
  });

  it("XML responses from the real operations parse", async () => {
    const app = await callV1(emu.url, "CreateLiveMessageApp", { AppName: "xmlapp" }, key);
    await callV1(emu.url, "CreateLiveMessageGroup", { AppId: app.json.AppId, GroupId: "x1", Administrators: "a1,a2" }, key);
    const r = await callV3(emu.url, "DescribeLiveMessageGroup", { AppId: app.json.AppId, GroupId: "x1" }, key);
    expect(r.json.AdminList).toEqual(["a1", "a2"]);
    const asXml = await callV1(emu.url, "ListLiveMessageGroups", { AppId: app.json.AppId, SortType: "1" }, key, { format: null });
    const doc = new XMLParser().parse(asXml.text);
    expect(doc.ListLiveMessageGroupsResponse.GroupList.GroupId).toBe("x1");
    expect(doc.ListLiveMessageGroupsResponse.GroupList.AdminList).toEqual(["a1", "a2"]);
  });
});

describe("durability with the real service", () => {
  it("a crash copy of the data dir replays to the same state (deterministic handlers, same now and seed)", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lm-real-"));
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "lm-real-copy-"));
    try {
      const emu = await startEmulator({ dataDir, throttle: false, seed: 99 });
      const app = await callV1(emu.url, "CreateLiveMessageApp", { AppName: "durable", MsgLifeCycle: "1" }, key);
      const appId = app.json.AppId as string;
      for (let i = 0; i < 5; i++) await callV1(emu.url, "CreateLiveMessageGroup", { AppId: appId, GroupId: `room${i}`, GroupInfo: `info${i}` }, key);
      await admin(emu.url, "POST", `/apps/${appId}/groups/room1/members`, { userId: "u1" });
      await callV1(emu.url, "SendLiveMessageGroup", { AppId: appId, GroupId: "room1", SenderId: "u1", Body: "no tid: generated from the seed" }, key);
      await callV1(emu.url, "BanLiveMessageGroup", { AppId: appId, GroupId: "room1", ExceptUsers: "u1" }, key);
      await callV1(emu.url, "DeleteLiveMessageGroup", { AppId: appId, GroupId: "room4", OperatorId: "op" }, key);
      const before = (await admin(emu.url, "GET", "/state")).json;
      // Copy while running: only the log is there (no snapshot yet), so the restart replays every command.
      for (const f of fs.readdirSync(dataDir)) if (f !== "emulator.lock") fs.copyFileSync(path.join(dataDir, f), path.join(copy, f));
      expect(fs.existsSync(path.join(copy, "snapshot.json"))).toBe(false);
      await emu.stop();

      const replayed = await startEmulator({ dataDir: copy, throttle: false, seed: 99 });
      expect((await admin(replayed.url, "GET", "/state")).json).toEqual(before);
      await replayed.stop();
      const fromSnapshot = await startEmulator({ dataDir, throttle: false, seed: 99 });
      expect((await admin(fromSnapshot.url, "GET", "/state")).json).toEqual(before);
      await fromSnapshot.stop();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
