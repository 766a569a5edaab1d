/**
 * Hostile input: the emulator stays up, answers correctly, and lets nobody in — cross-origin and non-JSON admin
 * writes, the admin token, unvalidated admin paths, oversized bodies (the 413 always arrives), XML answers with
 * control characters, and plain-words startup errors.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { request } from "undici";
import { DataDirLockedError, EmulatorStartError } from "./wal";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "./server";
import { admin, callV1, callV3 } from "./test-support/client";

const key = DEFAULT_CREDENTIALS;
const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "lm-hostile-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function raw(url: string, method: string, p: string, headers: Record<string, string> = {}, body?: string) {
  const res = await request(`${url}${p}`, { method: method as "GET", headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.body.text();
  return { status: res.statusCode, text, json: (() => { try { return JSON.parse(text) as Record<string, unknown>; } catch { return {}; } })() };
}

async function appCount(emu: Emulator): Promise<number> {
  return ((await admin(emu.url, "GET", "/state")).json.apps as unknown[]).length;
}

describe("admin endpoints refuse what a foreign web page can send", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ throttle: false });
    await callV3(emu.url, "CreateLiveMessageApp", { AppName: "keep" }, key);
  });
  afterAll(() => emu.stop());

  it("POST /reset with Content-Type text/plain and a foreign Origin is refused; the data stays", async () => {
    const r = await raw(emu.url, "POST", "/_emulator/reset", { "content-type": "text/plain", origin: "http://evil.example" }, "x");
    expect(r.status).toBe(403);
    expect(r.json.Code).toBe("AdminForbidden");
    expect(await appCount(emu)).toBe(1);
  });

  it("a foreign Origin is refused even with a JSON body, and for reads too", async () => {
    expect((await raw(emu.url, "POST", "/_emulator/reset", { "content-type": "application/json", origin: "http://evil.example" }, "{}")).status).toBe(403);
    expect((await raw(emu.url, "GET", "/_emulator/state", { origin: "https://evil.example" })).status).toBe(403);
    expect((await raw(emu.url, "GET", "/_emulator/state", { origin: "null" })).status).toBe(403);
    expect((await raw(emu.url, "POST", "/_emulator/reset", { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect(await appCount(emu)).toBe(1);
  });

  it("non-JSON writes are refused (415) whatever their origin: text/plain, forms, multipart", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const r = await raw(emu.url, "POST", "/_emulator/reset", { "content-type": type }, "a=b");
      expect([type, r.status, r.json.Code]).toEqual([type, 415, "AdminUnsupportedMediaType"]);
    }
    const members = await raw(emu.url, "POST", "/_emulator/apps/a/groups/g/members", { "content-type": "text/plain" }, '{"userId":"u"}');
    expect(members.status).toBe(415);
    expect(await appCount(emu)).toBe(1);
  });

  it("a Host that is not this machine is refused (DNS rebinding), a same-origin page is allowed", async () => {
    const { port } = new URL(emu.url);
    expect((await raw(emu.url, "GET", "/_emulator/state", { host: `evil.example:${port}` })).status).toBe(403);
    expect((await raw(emu.url, "GET", "/_emulator/health", { origin: emu.url })).status).toBe(200);
    expect((await raw(emu.url, "GET", "/_emulator/health", { host: `localhost:${port}`, origin: `http://localhost:${port}` })).status).toBe(200);
  });

  it("API calls are not admin calls: a foreign Origin does not matter to them", async () => {
    const r = await callV3(emu.url, "ListLiveMessageApps", { SortType: "1" }, key, { tamperHeaders: (h) => void (h.origin = "http://evil.example") });
    expect(r.status).toBe(200);
  });

  it("DELETE …/members/<userId> validates the user like join does (before anything is logged); join validates the path too", async () => {
    const appId = (await callV3(emu.url, "CreateLiveMessageApp", { AppName: "paths" }, key)).json.AppId as string;
    await callV3(emu.url, "CreateLiveMessageGroup", { AppId: appId, GroupId: "g1" }, key);
    for (const user of ["..%2F..%2Fwal.log", "a%20b", "%00", "x".repeat(65)]) {
      const r = await admin(emu.url, "DELETE", `/apps/${appId}/groups/g1/members/${user}`);
      expect([user, r.status, r.json.Code]).toEqual([user, 400, "InvalidAdminRequest"]);
      expect(r.json.Message).toContain("letters and digits");
    }
    for (const group of ["..%2Fx", "a-b"]) {
      expect((await admin(emu.url, "POST", `/apps/${appId}/groups/${group}/members`, { userId: "u1" })).status).toBe(400);
    }
    expect((await admin(emu.url, "POST", `/apps/a%20b/groups/g1/members`, { userId: "u1" })).status).toBe(400);
    expect((await admin(emu.url, "DELETE", `/apps/${appId}/groups/g1/members/u1`)).status).toBe(200);
  });
});

describe("admin token", () => {
  const token = "correct-horse-battery";
  let emu: Emulator;
  let appKey = "";
  beforeAll(async () => {
    emu = await startEmulator({ throttle: false, adminToken: token });
    appKey = (await callV3(emu.url, "CreateLiveMessageApp", { AppName: "tok" }, key)).json.AppKey as string;
  });
  afterAll(() => emu.stop());

  it("every admin call needs it: without or with a wrong token → 401, nothing revealed or changed", async () => {
    for (const [method, p] of [["GET", "/health"], ["GET", "/state"], ["GET", "/metrics"], ["GET", "/requests"], ["POST", "/reset"], ["POST", "/compact"], ["GET", "/faults"]] as const) {
      const none = await raw(emu.url, method, `/_emulator${p}`);
      expect([p, none.status, none.json.Code]).toEqual([p, 401, "AdminTokenRequired"]);
      const wrong = await raw(emu.url, method, `/_emulator${p}`, { authorization: "Bearer wrong-token-value" });
      expect(wrong.status).toBe(401);
      expect(none.text).not.toContain(appKey);
    }
    const state = await raw(emu.url, "GET", "/_emulator/state", { authorization: `Bearer ${token}` });
    expect((state.json.apps as unknown[]).length).toBe(1);
  });

  it("AppKey/AppSign in /state only with the token; both header forms are accepted", async () => {
    const bearer = await raw(emu.url, "GET", "/_emulator/state", { authorization: `Bearer ${token}` });
    expect(bearer.text).toContain(appKey);
    const header = await raw(emu.url, "GET", "/_emulator/state", { "x-emulator-admin-token": token });
    expect(header.text).toContain(appKey);
    expect((await raw(emu.url, "GET", "/_emulator/health", { authorization: `Bearer ${token}` })).json.adminToken).toBe(true);
  });

  it("the token is never echoed, and API calls do not need it", async () => {
    const r = await raw(emu.url, "GET", "/_emulator/health", { authorization: `Bearer ${token}` });
    expect(r.text).not.toContain(token);
    expect((await callV3(emu.url, "ListLiveMessageApps", { SortType: "1" }, key)).status).toBe(200);
  });
});

describe("oversized bodies always get their 413", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ throttle: false });
  });
  afterAll(() => emu.stop());

  it("a 50 MB declared and sent body: 413 RequestEntityTooLarge every time (5 tries), the server stays up", async () => {
    const body = Buffer.alloc(50 * 1024 * 1024, 0x61);
    for (let i = 0; i < 5; i++) {
      const res = await request(`${emu.url}/`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
      const text = await res.body.text();
      expect([i, res.statusCode, JSON.parse(text).Code]).toEqual([i, 413, "RequestEntityTooLarge"]);
    }
    expect((await admin(emu.url, "GET", "/health")).status).toBe(200);
  }, 60_000);

  it("a client that declares 50 MB and waits for the answer reads the 413 (raw socket)", async () => {
    const { port } = new URL(emu.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => {
        socket.write(`POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`);
        socket.write(Buffer.alloc(64 * 1024, 0x61));
      });
      let got = "";
      socket.on("data", (d) => {
        got += d.toString();
        if (got.includes("RequestEntityTooLarge")) {
          socket.destroy();
          resolve(got);
        }
      });
      socket.on("error", reject);
      setTimeout(() => reject(new Error(`no answer; got ${JSON.stringify(got)}`)), 5000).unref();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });

  it("Expect: 100-continue with an oversized declared body is answered 413 before any body is sent", async () => {
    const { port } = new URL(emu.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => {
        socket.write(`POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`);
      });
      let got = "";
      socket.on("data", (d) => (got += d.toString()));
      socket.on("close", () => resolve(got));
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).not.toContain("100 Continue");
  });

  it("an oversized chunked body and an oversized admin body get 413 too", async () => {
    const chunks = Readable.from((function* () {
      for (let i = 0; i < 40; i++) yield Buffer.alloc(64 * 1024, 0x61);
    })());
    const res = await request(`${emu.url}/`, { method: "POST", body: chunks });
    expect(res.statusCode).toBe(413);
    await res.body.dump();
    const adminRes = await request(`${emu.url}/_emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: Buffer.alloc(2 * 1024 * 1024, 0x20) });
    expect(adminRes.statusCode).toBe(413);
    await adminRes.body.dump();
  });
});

describe("XML answers are always well-formed", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ throttle: false });
  });
  afterAll(() => emu.stop());

  /** XML 1.0 §2.2: the characters a document may contain at all. */
  // eslint-disable-next-line no-control-regex -- the XML 1.0 Char production names control characters
  const NOT_XML_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

  function expectWellFormed(xml: string): void {
    expect(NOT_XML_CHAR.test(xml)).toBe(false);
    expect(XMLValidator.validate(xml)).toBe(true);
  }

  it("a GroupInfo with U+0001 and other forbidden characters comes back with U+FFFD in XML, exact in JSON", async () => {
    const info = "a\u0001b\u0008c\u000Bd\u001Fe\uFFFEf<&>\"'g\u0009h";
    const appId = (await callV1(emu.url, "CreateLiveMessageApp", { AppName: "xml" }, key)).json.AppId as string;
    expect((await callV1(emu.url, "CreateLiveMessageGroup", { AppId: appId, GroupId: "g1", GroupInfo: info, GroupName: "\u0002" }, key)).status).toBe(200);
    const xml = await callV1(emu.url, "DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }, key, { format: "XML" });
    expect(xml.status).toBe(200);
    expectWellFormed(xml.text);
    const parsed = new XMLParser({ processEntities: true }).parse(xml.text).DescribeLiveMessageGroupResponse;
    expect(parsed.GroupInfo).toBe("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf<&>\"'g\u0009h");
    const json = await callV1(emu.url, "DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }, key);
    expect(json.json.GroupInfo).toBe(info);
    const list = await callV1(emu.url, "ListLiveMessageGroups", { AppId: appId, SortType: "1" }, key, { format: null });
    expectWellFormed(list.text);
  });

  it("error answers echoing hostile input are well-formed too", async () => {
    const r = await callV1(emu.url, "No\u0001Such\u0007Action", {}, key, { format: "XML" });
    expect(r.status).toBe(404);
    expectWellFormed(r.text);
    const bad = await callV1(emu.url, "CreateLiveMessageApp", { AppName: "x\u0001" }, key, { format: "XML", version: "2016-11-01\u0003" });
    expectWellFormed(bad.text);
  });
});

describe("startup errors in plain words", () => {
  it("port in use", async () => {
    const a = await startEmulator({});
    const e = await startEmulator({ port: a.port }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EmulatorStartError);
    expect((e as EmulatorStartError).code).toBe("LIVEMESSAGE_EMULATOR_PORT_IN_USE");
    expect((e as Error).message).toBe(`port ${a.port} is in use — pass --port or stop the process using it`);
    await a.stop();
  });

  it("data directory is a file; a failed start releases its lock", async () => {
    const file = path.join(tempDir(), "f");
    fs.writeFileSync(file, "");
    const e = await startEmulator({ dataDir: file }).catch((x: unknown) => x);
    expect((e as EmulatorStartError).code).toBe("LIVEMESSAGE_EMULATOR_DATA_DIR_IS_FILE");
    const dir = tempDir();
    const a = await startEmulator({});
    const busy = await startEmulator({ dataDir: dir, port: a.port }).catch((x: unknown) => x);
    expect((busy as EmulatorStartError).code).toBe("LIVEMESSAGE_EMULATOR_PORT_IN_USE");
    await a.stop();
    const b = await startEmulator({ dataDir: dir }); // the failed start did not keep the directory locked
    await expect(startEmulator({ dataDir: dir })).rejects.toThrow(DataDirLockedError);
    await b.stop();
  });
});
