// Issue 9, case 5: retry safety through the public `pulumi-alicloud-livemessage/provider` API, against the emulator.
// CreateLiveMessageApp and a send without MsgTid used to be re-sent after timeouts, 5xx and lost responses (every
// operation defaulted to idempotent), duplicating apps and messages. Each operation now declares its own safety.
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { createService } from "../../emulator/service";
import type { StoreSnapshot } from "../../emulator/service/state";
import { admin } from "../../emulator/test-support/client";
import { CreateLiveMessageApp, CreateLiveMessageGroup, LiveClient, SendLiveMessageGroup } from "../index";

let emu: Emulator;
let client: LiveClient;
const executed: string[] = [];
/** Attempts the client sent, by action (its "attempt" log events). */
const sent: string[] = [];

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    throttle: false,
    createService: (opts) => {
      const service = createService(opts);
      const execute = service.execute.bind(service);
      service.execute = (action, params, ctx) => {
        executed.push(action);
        return execute(action, params, ctx);
      };
      return service;
    },
  });
  client = new LiveClient({
    endpoint: emu.url,
    credentials: { ...DEFAULT_CREDENTIALS },
    timeouts: { responseMs: 300 },
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    rateLimit: false,
    logger: (e) => {
      if (e.type === "attempt") sent.push(e.action);
    },
  });
});
afterAll(async () => {
  await client.close();
  await emu.stop();
});

async function faults(rules: unknown[]): Promise<void> {
  const res = await admin(emu.url, "POST", "/faults", { rules });
  if (res.status !== 200) throw new Error(res.text);
}
const snapshot = (): StoreSnapshot => emu.service.snapshot() as StoreSnapshot;
const appsNamed = (name: string) => snapshot().apps.filter((a) => a.appName === name);
/** How many times the service executed `action` while `run` ran (late executions included). */
async function executions(action: string, run: () => Promise<unknown>): Promise<number> {
  const from = executed.length;
  await run().catch(() => undefined);
  await new Promise((r) => setTimeout(r, 400)); // a late (latency-faulted) execution lands
  await faults([]);
  return executed.slice(from).filter((a) => a === action).length;
}

describe("CreateLiveMessageApp has no idempotency key: never re-sent once it may have reached the service", () => {
  it.each([
    ["a lost response", { mode: "drop-after-commit", count: 1 }, 1],
    ["a response timeout (the service acts late)", { mode: "latency", latencyMs: 500, count: 1 }, 1],
  ])("%s: executed once, one app, and the failure is the caller's to resolve", async (_what, rule, apps) => {
    const name = `once${executed.length}`.slice(0, 16);
    await faults([{ action: "CreateLiveMessageApp", ...rule }]);
    const n = await executions("CreateLiveMessageApp", () => CreateLiveMessageApp.invoke(client, { AppName: name }));
    expect(n).toBe(1);
    expect(appsNamed(name)).toHaveLength(apps);
  });

  it("a 5xx: sent once (the service may have acted), not repeated", async () => {
    await faults([{ action: "CreateLiveMessageApp", mode: "error", code: "ServiceUnavailable", count: 1 }]);
    const from = sent.length;
    const err = await CreateLiveMessageApp.invoke(client, { AppName: "fivexx" }).catch((e: unknown) => e);
    await faults([]);
    expect(err).toMatchObject({ code: "ServiceUnavailable" });
    expect(sent.slice(from)).toEqual(["CreateLiveMessageApp"]);
    expect(appsNamed("fivexx")).toHaveLength(0);
  });

  it("throttling is still retried: the gateway refused it, the service did nothing", async () => {
    await faults([{ action: "CreateLiveMessageApp", mode: "error", code: "Throttling", status: 400, count: 1 }]);
    await expect(CreateLiveMessageApp.invoke(client, { AppName: "throttled" })).resolves.toMatchObject({ AppId: expect.any(String) });
    await faults([]);
    expect(appsNamed("throttled")).toHaveLength(1);
  });
});

describe("SendLiveMessageGroup is repeatable only with MsgTid", () => {
  let appId = "";
  beforeAll(async () => {
    appId = (await CreateLiveMessageApp.invoke(client, { AppName: "sends" })).AppId;
    await CreateLiveMessageGroup.invoke(client, { AppId: appId, GroupId: "room" });
    await admin(emu.url, "POST", `/apps/${appId}/groups/room/members`, { userId: "viewer1" });
  });
  const stored = () => snapshot().apps.find((a) => a.appId === appId)!.groups.find((g) => g.groupId === "room")!.messages;

  it("without MsgTid, a lost response is not repeated: one message", async () => {
    const before = stored().length;
    await faults([{ action: "SendLiveMessageGroup", mode: "drop-after-commit", count: 1 }]);
    const n = await executions("SendLiveMessageGroup", () => SendLiveMessageGroup.invoke(client, { AppId: appId, GroupId: "room", SenderId: "s", Body: "no tid" }));
    expect(n).toBe(1);
    expect(stored().length - before).toBe(1);
  });

  it("with MsgTid, a lost response is repeated, and the service takes the repeat for a retry: one message", async () => {
    const before = stored().length;
    await faults([{ action: "SendLiveMessageGroup", mode: "drop-after-commit", count: 1 }]);
    const n = await executions("SendLiveMessageGroup", () => SendLiveMessageGroup.invoke(client, { AppId: appId, GroupId: "room", SenderId: "s", Body: "tid", MsgTid: "tid1" }));
    expect(n).toBe(2);
    expect(stored().length - before).toBe(1);
  });
});
