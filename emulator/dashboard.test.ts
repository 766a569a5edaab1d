/**
 * The dashboard's server side, without a browser (test/ui/dashboard.test.ts drives the page in Chromium): its views
 * (overview, groups, messages, the credentials reveal and who may use it), the session probe, the change feed
 * (server-sent events), fault rules added and removed one by one, and the static files with their headers.
 */
import { request } from "undici";
import { appSecretsRevealable, DEFAULT_CREDENTIALS, startEmulator, type Emulator, type EmulatorOptions } from "./server";
import { RECOVERY_WINDOW_MS } from "./spec/limits";
import { admin, callV1, type RawResponse } from "./test-support/client";
import { createFakeService } from "./test-support/fake-service";
import { UI_SECURITY_HEADERS } from "./ui-assets";

const key = DEFAULT_CREDENTIALS;

async function get(url: string, headers: Record<string, string> = {}, method: "GET" | "POST" | "HEAD" = "GET"): Promise<RawResponse> {
  const res = await request(url, { method, headers });
  const text = await res.body.text();
  let json: Record<string, any> = {};
  try {
    json = JSON.parse(text) as Record<string, any>;
  } catch {
    // not JSON
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

async function call(emu: Emulator, action: string, params: Record<string, string>, k = key): Promise<RawResponse> {
  const r = await callV1(emu.url, action, params, k);
  if (r.status !== 200) throw new Error(`${action}: ${r.status} ${r.text}`);
  return r;
}

describe("dashboard views", () => {
  let emu: Emulator;
  let now = Date.now();
  let appId: string;
  let appKey: string;
  let appSign: string;
  beforeAll(async () => {
    emu = await startEmulator({
      throttle: false,
      seed: 11,
      clock: () => now,
      credentials: [
        { ...key, accountId: "1000000000000001" },
        { accessKeyId: "second-key", accessKeySecret: "second-secret", accountId: "1000000000000001" },
        { accessKeyId: "other-key", accessKeySecret: "other-secret", accountId: "2000000000000002" },
      ],
    });
    const created = await call(emu, "CreateLiveMessageApp", { AppName: "shop", DataCenter: "cn-shanghai" });
    ({ AppId: appId, AppKey: appKey, AppSign: appSign } = created.json as { AppId: string; AppKey: string; AppSign: string });
    await call(emu, "ModifyLiveMessageAppCallback", { AppId: appId, EventCallbackUrl: "https://hooks.example/cb" });
    await call(emu, "CreateLiveMessageGroup", { AppId: appId, GroupId: "lobby", GroupName: "Lobby", Administrators: "alice,bob", CreatorId: "alice" });
    await call(emu, "CreateLiveMessageGroup", { AppId: appId, GroupId: "stage", GroupName: "Main stage" });
    await call(emu, "CreateLiveMessageGroup", { AppId: appId, GroupId: "gone" });
    expect((await admin(emu.url, "POST", `/apps/${appId}/groups/lobby/members`, { userId: "viewer1", userInfo: "{\"n\":1}" })).status).toBe(200);
    expect((await admin(emu.url, "POST", `/apps/${appId}/groups/lobby/members`, { userId: "viewer2" })).status).toBe(200);
    for (let i = 1; i <= 3; i++) {
      now += 1000;
      await call(emu, "SendLiveMessageGroup", { AppId: appId, GroupId: "lobby", SenderId: "system", Body: `m${i}${"x".repeat(i === 3 ? 300 : 0)}`, MsgType: String(i === 3 ? 2 : 1), MsgTid: `t${i}` });
    }
    await call(emu, "SendLiveMessageGroup", { AppId: appId, GroupId: "lobby", SenderId: "system", Body: "volatile", MsgTid: "t4", NoStorage: "true" });
    await call(emu, "SendLiveMessageGroup", { AppId: appId, GroupId: "lobby", SenderId: "system", Body: "uncached", MsgTid: "t5", NoCache: "true", StaticsIncrease: "5" });
    now += 1000;
    await call(emu, "DeleteLiveMessageGroup", { AppId: appId, GroupId: "gone" });
  });
  afterAll(() => emu.stop());

  it("GET /overview lists the configured accounts with their keys and apps — no secrets", async () => {
    const r = await admin(emu.url, "GET", "/overview");
    expect(r.status).toBe(200);
    expect(r.json.accounts).toEqual([
      {
        accountId: "1000000000000001",
        accessKeyIds: [key.accessKeyId, "second-key"],
        apps: [
          expect.objectContaining({
            appId, appName: "shop", dataCenter: "cn-shanghai", disabled: false, eventCallbackUrl: "https://hooks.example/cb",
            liveGroups: 2, deletedGroups: 1, onlineUsers: 2,
          }),
        ],
      },
      { accountId: "2000000000000002", accessKeyIds: ["other-key"], apps: [] },
    ]);
    expect(r.json.now).toBe(now);
    expect(r.json.actions).toHaveLength(29);
    expect(r.json.emulator).toMatchObject({ seed: 11, durable: false, adminToken: false, requestLogSize: 1000 });
    expect(r.json.changes.revision).toBeGreaterThan(0);
    expect(r.text).not.toContain(appKey);
    expect(r.text).not.toContain(appSign);
    expect(r.text).not.toContain(key.accessKeySecret);
  });

  it("GET /apps/{appId}/groups shows admins, members, counters, and the recover deadline of a deleted group", async () => {
    const r = await admin(emu.url, "GET", `/apps/${appId}/groups`);
    expect(r.status).toBe(200);
    expect(r.json.total).toBe(3);
    const [lobby, stage, gone] = r.json.groups;
    expect(lobby).toMatchObject({
      groupId: "lobby", groupName: "Lobby", adminList: ["alice", "bob"], creatorId: "alice", deleted: false,
      deleteTime: null, recoverDeadline: null, memberCount: 2, msgAmount: { 0: 6, 1: 2, 2: 1 }, totalMessages: 5,
      storedMessages: 4, cachedMessages: 4,
    });
    expect(lobby.members).toEqual([
      { userId: "viewer1", userInfo: "{\"n\":1}", joinTime: expect.any(Number) },
      { userId: "viewer2", userInfo: "", joinTime: expect.any(Number) },
    ]);
    expect(stage).toMatchObject({ groupId: "stage", memberCount: 0, msgAmount: {}, deleted: false });
    expect(gone).toMatchObject({ groupId: "gone", deleted: true, deleteTime: now, recoverDeadline: now + RECOVERY_WINDOW_MS });
    expect(r.text).not.toContain(appKey);
  });

  it("filters, pages and validates the group list", async () => {
    expect((await admin(emu.url, "GET", `/apps/${appId}/groups?filter=STAGE`)).json.groups.map((g: { groupId: string }) => g.groupId)).toEqual(["stage"]);
    expect((await admin(emu.url, "GET", `/apps/${appId}/groups?filter=main`)).json.total).toBe(1);
    const page = await admin(emu.url, "GET", `/apps/${appId}/groups?offset=1&limit=1`);
    expect(page.json).toMatchObject({ total: 3, groups: [expect.objectContaining({ groupId: "stage" })] });
    expect((await admin(emu.url, "GET", `/apps/${appId}/groups?sort=name`)).json.Code).toBe("InvalidAdminRequest");
    expect((await admin(emu.url, "GET", `/apps/${appId}/groups?limit=-1`)).status).toBe(400);
    expect((await admin(emu.url, "GET", "/apps/nope/groups")).json.Code).toBe("ResourceNotExist");
    expect((await admin(emu.url, "GET", "/apps/a%20b/groups")).status).toBe(400);
  });

  it("GET …/messages lists stored messages newest first with previews, and cached-only MsgTids", async () => {
    const r = await admin(emu.url, "GET", `/apps/${appId}/groups/lobby/messages`);
    expect(r.status).toBe(200);
    expect(r.json.stored).toBe(4);
    expect(r.json.messages.map((m: { msgTid: string }) => m.msgTid)).toEqual(["t5", "t3", "t2", "t1"]);
    const [t5, t3] = r.json.messages;
    expect(t5).toMatchObject({ senderId: "system", msgType: 0, bodyPreview: "uncached", stored: true, cached: false });
    expect(t3).toMatchObject({ msgType: 2, bodyChars: 302, stored: true, cached: true });
    expect(t3.bodyPreview).toHaveLength(200);
    expect(r.json.cachedOnly).toEqual(["t4"]);
    expect((await admin(emu.url, "GET", `/apps/${appId}/groups/lobby/messages?limit=1`)).json.messages).toHaveLength(1);
    expect((await admin(emu.url, "GET", `/apps/${appId}/groups/nope/messages`)).status).toBe(404);
    expect((await admin(emu.url, "GET", `/apps/${appId}/groups/no_pe/messages`)).status).toBe(400);
  });

  it("GET /apps/{appId}/credentials reveals AppKey and AppSign", async () => {
    const r = await admin(emu.url, "GET", `/apps/${appId}/credentials`);
    expect(r.json).toEqual({ appId, appKey, appSign });
    expect((await admin(emu.url, "GET", "/apps/nope/credentials")).status).toBe(404);
  });

  it("views and existing endpoints stay compatible: /state still has everything", async () => {
    const state = await admin(emu.url, "GET", "/state");
    expect(state.json).toEqual(emu.service.snapshot());
  });
});

describe("who may see app secrets", () => {
  it("a loopback emulator reveals them to any authorized caller; one other machines reach only with a token", () => {
    expect(appSecretsRevealable("127.0.0.1", false)).toBe(true);
    expect(appSecretsRevealable("localhost", false)).toBe(true);
    expect(appSecretsRevealable("::1", false)).toBe(true);
    expect(appSecretsRevealable("0.0.0.0", false)).toBe(false);
    expect(appSecretsRevealable("::", false)).toBe(false);
    expect(appSecretsRevealable("192.168.1.20", false)).toBe(false);
    expect(appSecretsRevealable("0.0.0.0", true)).toBe(true);
  });

  it("with an admin token, the reveal and every view need it; /session says so without failing", async () => {
    const emu = await startEmulator({ throttle: false, adminToken: "s3cret-token" });
    try {
      const appId = (await call(emu, "CreateLiveMessageApp", {})).json.AppId as string;
      const bearer = { authorization: "Bearer s3cret-token" };
      for (const p of ["/overview", `/apps/${appId}/groups`, `/apps/${appId}/credentials`, "/events"]) {
        const r = await get(`${emu.url}/_emulator${p}`);
        expect({ p, status: r.status, code: r.json.Code }).toEqual({ p, status: 401, code: "AdminTokenRequired" });
      }
      expect((await get(`${emu.url}/_emulator/session`)).json).toEqual({ adminTokenRequired: true, authorized: false, secretsRevealable: false });
      expect((await get(`${emu.url}/_emulator/session`, { authorization: "Bearer wrong" })).json.authorized).toBe(false);
      expect((await get(`${emu.url}/_emulator/session`, bearer)).json).toEqual({ adminTokenRequired: true, authorized: true, secretsRevealable: true });
      expect((await get(`${emu.url}/_emulator/session`, { "x-emulator-admin-token": "s3cret-token" })).json.authorized).toBe(true);
      expect((await get(`${emu.url}/_emulator/apps/${appId}/credentials`, bearer)).json.appKey).toMatch(/^[A-Za-z0-9]{32}$/);
      // The session probe is still refused cross-origin.
      expect((await get(`${emu.url}/_emulator/session`, { origin: "http://evil.example" })).status).toBe(403);
    } finally {
      await emu.stop();
    }
  });

  it("without a token, /session says the caller is authorized", async () => {
    const emu = await startEmulator({ throttle: false });
    try {
      expect((await get(`${emu.url}/_emulator/session`)).json).toEqual({ adminTokenRequired: false, authorized: true, secretsRevealable: true });
    } finally {
      await emu.stop();
    }
  });

  it("a custom service without views answers 501 on the views, and the rest works", async () => {
    const emu = await startEmulator({ throttle: false, createService: createFakeService });
    try {
      const r = await admin(emu.url, "GET", "/overview");
      expect(r.status).toBe(501);
      expect(r.json.Code).toBe("AdminNotImplemented");
      expect((await admin(emu.url, "GET", "/faults")).status).toBe(200);
    } finally {
      await emu.stop();
    }
  });
});

/** Reads a server-sent-events response and hands each `data:` payload to the caller. */
async function openFeed(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await request(`${url}/_emulator/events`, { headers, signal: controller.signal });
  const events: Array<{ revision: number; requests: number; faults: number }> = [];
  let ended = false;
  let buffer = "";
  res.body.setEncoding("utf8");
  res.body.on("data", (chunk: string) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split("\n").find((l) => l.startsWith("data: "));
      if (data) events.push(JSON.parse(data.slice(6)));
    }
  });
  res.body.on("end", () => (ended = true));
  res.body.on("error", () => (ended = true));
  const next = async (pred: (e: (typeof events)[number]) => boolean, withinMs = 1000) => {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const hit = events.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no matching event within ${withinMs} ms; got ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { res, events, next, ended: () => ended, close: () => controller.abort() };
}

describe("the change feed (GET /_emulator/events)", () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator({ throttle: false });
  });
  afterEach(() => emu.stop());

  it("sends the counters at once, then an event within a second of each kind of change", async () => {
    const feed = await openFeed(emu.url);
    expect(feed.res.statusCode).toBe(200);
    expect(feed.res.headers["content-type"]).toMatch(/^text\/event-stream/);
    const first = await feed.next(() => true);
    expect(first).toEqual({ revision: 0, requests: 0, faults: 0 });

    const appId = (await call(emu, "CreateLiveMessageApp", {})).json.AppId as string;
    await feed.next((e) => e.revision === 1 && e.requests === 1);
    await call(emu, "DescribeLiveMessageApp", { AppId: appId }); // a read: the log moves, the state does not
    await feed.next((e) => e.revision === 1 && e.requests === 2);
    await call(emu, "CreateLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    await admin(emu.url, "POST", `/apps/${appId}/groups/g1/members`, { userId: "u1" });
    await feed.next((e) => e.revision === 3);
    await admin(emu.url, "POST", "/faults/rules", { rules: [{ action: "DescribeLiveMessageApp", mode: "error", count: 1 }] });
    await feed.next((e) => e.faults === 1);
    expect((await callV1(emu.url, "DescribeLiveMessageApp", { AppId: appId }, key)).status).toBe(503);
    await feed.next((e) => e.faults === 2 && e.requests === 4); // the rule fired
    await admin(emu.url, "POST", "/reset");
    await feed.next((e) => e.revision === 4);
    feed.close();
  });

  it("coalesces a burst into a few events", async () => {
    const feed = await openFeed(emu.url);
    await feed.next(() => true);
    const appId = (await call(emu, "CreateLiveMessageApp", {})).json.AppId as string;
    await Promise.all(Array.from({ length: 50 }, (_, i) => call(emu, "CreateLiveMessageGroup", { AppId: appId, GroupId: `g${i}` })));
    await feed.next((e) => e.revision === 51 && e.requests === 51);
    expect(feed.events.length).toBeLessThan(25);
    feed.close();
  });

  it("stop() ends the streams (no lingering connection keeps the emulator up)", async () => {
    const feed = await openFeed(emu.url);
    await feed.next(() => true);
    const started = Date.now();
    await emu.stop();
    expect(Date.now() - started).toBeLessThan(1500);
    for (let i = 0; i < 100 && !feed.ended(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(feed.ended()).toBe(true);
  });

  it("is refused cross-origin like every admin endpoint", async () => {
    const r = await get(`${emu.url}/_emulator/events`, { origin: "http://evil.example" });
    expect(r.status).toBe(403);
  });
});

describe("fault rules one by one (POST /faults/rules, DELETE /faults/rules/{index})", () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator({ throttle: false });
  });
  afterEach(() => emu.stop());

  it("appending keeps the other rules' counts; removing takes out exactly one", async () => {
    await admin(emu.url, "POST", "/faults", { rules: [{ action: "ListLiveMessageApps", mode: "error", count: 3 }] });
    expect((await callV1(emu.url, "ListLiveMessageApps", { SortType: "1" }, key)).status).toBe(503);
    const added = await admin(emu.url, "POST", "/faults/rules", { rules: [{ action: "CreateLiveMessageApp", mode: "error", code: "Forbidden.Test", status: 403 }] });
    expect(added.json.rules).toEqual([
      expect.objectContaining({ action: "ListLiveMessageApps", remaining: 2, fired: 1 }),
      expect.objectContaining({ action: "CreateLiveMessageApp", code: "Forbidden.Test", status: 403, fired: 0 }),
    ]);
    const refused = await callV1(emu.url, "CreateLiveMessageApp", {}, key);
    expect([refused.status, refused.json.Code]).toEqual([403, "Forbidden.Test"]);
    const removed = await admin(emu.url, "DELETE", "/faults/rules/0");
    expect(removed.json.rules).toEqual([expect.objectContaining({ action: "CreateLiveMessageApp", fired: 1 })]);
    expect((await callV1(emu.url, "ListLiveMessageApps", { SortType: "1" }, key)).status).toBe(200);
    expect((await admin(emu.url, "DELETE", "/faults/rules/5")).json.Code).toBe("InvalidAdminRequest");
    expect((await admin(emu.url, "DELETE", "/faults/rules/x")).status).toBe(400);
    expect((await admin(emu.url, "POST", "/faults/rules", { rules: [{ action: "Nope", mode: "error" }] })).json.Message).toMatch(/not an action/);
  });
});

describe("the dashboard's files (/_emulator/ui/)", () => {
  let emu: Emulator;
  const options: EmulatorOptions = { throttle: false, adminToken: "t0ken" };
  beforeAll(async () => {
    emu = await startEmulator(options);
  });
  afterAll(() => emu.stop());

  it("are served without the token, with headers that forbid framing and foreign content", async () => {
    const page = await get(`${emu.url}/_emulator/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.text).toContain('<script type="module" src="dashboard.js"></script>');
    for (const [name, value] of Object.entries(UI_SECURITY_HEADERS)) expect({ name, value: page.headers[name] }).toEqual({ name, value });
    expect(page.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect((await get(`${emu.url}/_emulator/ui/dashboard.js`)).headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect((await get(`${emu.url}/_emulator/ui/dashboard.css`)).headers["content-type"]).toBe("text/css; charset=utf-8");
    expect((await get(`${emu.url}/_emulator/ui/icon.svg`)).headers["content-type"]).toBe("image/svg+xml");
    // Nothing it loads comes from elsewhere.
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    const head = await get(`${emu.url}/_emulator/ui/`, {}, "HEAD");
    expect([head.status, head.text]).toEqual([200, ""]);
  });

  it("redirects /_emulator/ui to /_emulator/ui/; serves only its own files", async () => {
    const r = await get(`${emu.url}/_emulator/ui`);
    expect([r.status, r.headers.location]).toEqual([308, "/_emulator/ui/"]);
    for (const p of ["tsconfig.json", "..%2fadmin.ts", "%2e%2e%2fserver.ts", "nope.js", "dashboard.js/x"]) {
      expect({ p, status: (await get(`${emu.url}/_emulator/ui/${p}`)).status }).toEqual({ p, status: 404 });
    }
    expect((await get(`${emu.url}/_emulator/ui/`, {}, "POST")).status).toBe(405);
  });

  it("load from a link on another site (a navigation), but not for a foreign Host (DNS rebinding)", async () => {
    expect((await get(`${emu.url}/_emulator/ui/`, { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" })).status).toBe(200);
    expect((await get(`${emu.url}/_emulator/ui/`, { host: "evil.example" })).status).toBe(403);
  });
});
