/**
 * Observability and the per-account budget: requests, throttles and errors per account and action at
 * `/_emulator/metrics` (Prometheus text) and in `health`; the ring buffer of recent calls at `/_emulator/requests`;
 * and "50 per second per account" — several AccessKeys of one account share one budget per action (spec §1).
 */
import { Metrics } from "./metrics";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "./server";
import { admin, callV1, callV3, type Json } from "./test-support/client";

const keyA = { accessKeyId: "account1-key-a", accessKeySecret: "secret-a", accountId: "1111111111111111" };
const keyB = { accessKeyId: "account1-key-b", accessKeySecret: "secret-b", accountId: "1111111111111111" };
const keyC = { accessKeyId: "account2-key-c", accessKeySecret: "secret-c", accountId: "2222222222222222" };

describe("throttling per account and action", () => {
  let now = Date.UTC(2024, 0, 1);
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ credentials: [keyA, keyB, keyC], clock: () => now });
  });
  afterAll(() => emu.stop());

  const date = () => new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");
  const list = (key: typeof keyA) => callV3(emu.url, "ListLiveMessageApps", { SortType: "1" }, key, { date: date() });

  it("two AccessKeys of one account share its 50/s; another account has its own budget", async () => {
    for (let i = 0; i < 30; i++) expect((await list(keyA)).status).toBe(200);
    for (let i = 0; i < 20; i++) expect((await list(keyB)).status).toBe(200);
    const overA = await list(keyA);
    const overB = await list(keyB);
    expect([overA.json.Code, overB.json.Code]).toEqual(["Throttling.User", "Throttling.User"]);
    expect(Number(overB.headers["x-acs-retry-after"])).toBeGreaterThan(0);
    expect((await list(keyC)).status).toBe(200);
    // Another action of the same account has its own budget too.
    expect((await callV3(emu.url, "DescribeLiveMessageApp", { AppId: "none" }, keyB, { date: date() })).json.Code).toBe("ResourceNotExist");
    now += 1000;
    expect((await list(keyB)).status).toBe(200);
  });

  it("counts requests, throttles and errors per account and action (metrics and health)", async () => {
    const text = (await admin(emu.url, "GET", "/metrics")).text;
    expect(text).toContain("# TYPE livemessage_emulator_requests_total counter");
    expect(text).toContain('livemessage_emulator_requests_total{account="1111111111111111",action="ListLiveMessageApps"} 53');
    expect(text).toContain('livemessage_emulator_throttled_total{account="1111111111111111",action="ListLiveMessageApps"} 2');
    expect(text).toContain('livemessage_emulator_errors_total{account="1111111111111111",action="ListLiveMessageApps",code="Throttling.User"} 2');
    expect(text).toContain('livemessage_emulator_errors_total{account="1111111111111111",action="DescribeLiveMessageApp",code="ResourceNotExist"} 1');
    expect(text).toContain('livemessage_emulator_requests_total{account="2222222222222222",action="ListLiveMessageApps"} 1');
    expect(text).toMatch(/^livemessage_emulator_nonces_remembered \d+$/m);
    const health = (await admin(emu.url, "GET", "/health")).json;
    const row = (health.requests.byAccountAction as Json[]).find((r) => r.account === "1111111111111111" && r.action === "ListLiveMessageApps")!;
    expect(row).toMatchObject({ requests: 53, throttled: 2, errors: 2, errorsByCode: { "Throttling.User": 2 } });
  });

  it("/_emulator/requests: the last calls, newest first, filtered", async () => {
    const throttled = (await admin(emu.url, "GET", "/requests?throttled=true")).json.requests as Json[];
    expect(throttled).toHaveLength(2);
    expect(throttled[0]).toMatchObject({ action: "ListLiveMessageApps", account: "1111111111111111", accessKeyId: keyB.accessKeyId, status: 400, code: "Throttling.User", throttled: true, signature: "v3" });
    expect(typeof throttled[0]!.latencyMs).toBe("number");
    expect(throttled[1]!.accessKeyId).toBe(keyA.accessKeyId);
    const describe = (await admin(emu.url, "GET", "/requests?action=DescribeLiveMessageApp")).json.requests as Json[];
    expect(describe.map((r) => r.code)).toEqual(["ResourceNotExist"]);
    expect(((await admin(emu.url, "GET", "/requests?limit=3")).json.requests as Json[]).length).toBe(3);
    expect(((await admin(emu.url, "GET", "/requests?account=2222222222222222")).json.requests as Json[]).length).toBe(1);
    expect((await admin(emu.url, "GET", "/requests?bogus=1")).status).toBe(400);
    expect((await admin(emu.url, "GET", "/requests?limit=-1")).status).toBe(400);
  });

  it("a request with an unknown key or action is counted under bounded labels (unknown / other)", async () => {
    await callV1(emu.url, "ListLiveMessageApps", { SortType: "1" }, { accessKeyId: "nobody", accessKeySecret: "x" });
    await callV1(emu.url, "Evil\"Action", {}, keyA, { timestamp: date() });
    const text = (await admin(emu.url, "GET", "/metrics")).text;
    expect(text).toContain('livemessage_emulator_errors_total{account="unknown",action="ListLiveMessageApps",code="InvalidAccessKeyId.NotFound"} 1');
    expect(text).toContain('livemessage_emulator_errors_total{account="1111111111111111",action="other",code="InvalidAction.NotFound"} 1');
    expect(text).not.toContain("Evil");
  });
});

describe("Metrics ring buffer", () => {
  it("keeps only the last N calls", () => {
    const m = new Metrics(3);
    for (let i = 0; i < 5; i++) m.record({ time: "t", requestId: `r${i}`, action: "A", account: "1", status: 200, latencyMs: 1, throttled: false, signature: "v1" });
    expect(m.requests().map((r) => r.requestId)).toEqual(["r4", "r3", "r2"]);
    expect(m.summary().total).toBe(5);
    expect(new Metrics(0).requests()).toEqual([]);
  });
});

it("the default credentials are their own account (documented default: an id derived from the AccessKeyId)", async () => {
  const emu = await startEmulator({});
  expect(emu.credentials[0]!.accountId).toMatch(/^1\d{15}$/);
  expect(emu.credentials[0]!.accessKeyId).toBe(DEFAULT_CREDENTIALS.accessKeyId);
  await emu.stop();
});
