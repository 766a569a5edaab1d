// livemessage-import: the `pulumi import --file` file for an app's live groups, against an emulator.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "../emulator";
import { LiveClient } from "../provider";
import { buildImportFile, main } from "./import-command";

let emu: Emulator;
let client: LiveClient;
let appId: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, throttle: false });
  client = new LiveClient({ endpoint: emu.url, credentials: { ...DEFAULT_CREDENTIALS } });
  appId = ((await client.call("CreateLiveMessageApp", { AppName: "estate", DataCenter: "ap-southeast-1" })) as { AppId: string }).AppId;
  for (let i = 0; i < 120; i++) await client.call("CreateLiveMessageGroup", { AppId: appId, GroupId: `g${i}`, DataCenter: "ap-southeast-1" });
  await client.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g7", DataCenter: "ap-southeast-1" });
});
afterAll(async () => {
  await client?.close();
  await emu?.stop();
});

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) } };
};

it("lists every live group (all pages, oldest first) as a Group to import by <appId>/<groupId>", async () => {
  const file = await buildImportFile(client, { appId });
  expect(file.resources).toHaveLength(119); // the deleted one cannot be adopted
  expect(file.resources[0]).toEqual({ type: "livemessage:index:Group", name: "g0", id: `${appId}/g0` });
  expect(file.resources.map((r) => r.name)).not.toContain("g7");
  expect(file.nameTable).toBeUndefined();
});

it("adds the app, a name prefix and an explicit provider when asked", async () => {
  const file = await buildImportFile(client, { appId, withApp: true, appName: "estate", namePrefix: "estate-", providerUrn: "urn:pulumi:dev::p::pulumi:providers:livemessage::second" });
  expect(file.resources[0]).toEqual({ type: "livemessage:index:App", name: "estate", id: appId, provider: "provider" });
  expect(file.resources[1]).toEqual({ type: "livemessage:index:Group", name: "estate-g0", id: `${appId}/g0`, provider: "provider" });
  expect(file.nameTable).toEqual({ provider: "urn:pulumi:dev::p::pulumi:providers:livemessage::second" });
});

describe("the command", () => {
  const env = { ...process.env };
  beforeEach(() => {
    process.env.LIVEMESSAGE_ENDPOINT = emu.url;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = DEFAULT_CREDENTIALS.accessKeyId;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = DEFAULT_CREDENTIALS.accessKeySecret;
  });
  afterEach(() => {
    process.env = { ...env };
  });

  it("writes the file and says what to run next", async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lm-import-")), "groups.json");
    const t = io();
    expect(await main([appId, "--out", out, "--with-app"], t.io)).toBe(0);
    const file = JSON.parse(fs.readFileSync(out, "utf8")) as { resources: unknown[] };
    expect(file.resources).toHaveLength(120);
    expect(t.err.join("")).toMatch(/Wrote .*groups\.json: 119 groups and the app of app \w+\.\nNext: pulumi import --file .*groups\.json --yes --out <program file>/);
    expect(t.err.join("")).not.toContain(DEFAULT_CREDENTIALS.accessKeySecret);
  });

  it("prints to standard output by default; usage errors exit 2, a missing app exits 1 with the reason", async () => {
    const a = io();
    expect(await main([appId], a.io)).toBe(0);
    expect((JSON.parse(a.out.join("")) as { resources: unknown[] }).resources).toHaveLength(119);
    const b = io();
    expect(await main([], b.io)).toBe(2);
    expect(b.err.join("")).toMatch(/needs exactly one app ID[\s\S]*Usage: livemessage-import/);
    const c = io();
    expect(await main(["nosuchapp"], c.io)).toBe(1);
    expect(c.err.join("")).toMatch(/App nosuchapp was not found in any data center/);
    const d = io();
    expect(await main(["--help"], d.io)).toBe(0);
    expect(d.out.join("")).toMatch(/--provider-urn/);
  });
});
