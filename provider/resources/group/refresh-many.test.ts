// Issue 11: refresh of 5,000 groups in one app, 64 reads at a time (the engine's --parallel), against the emulator.
// With 15 out-of-band changes of mixed kinds (groupInfo, administrators, both, soft deletes, a delete and recover),
// every change is found, nothing else drifts, the reads cost a few hundred calls (not 5,000), the counters of a
// group answered from the pages keep their recorded values — and with livemessage:coalesceReads false every group
// is Described (counters fresh).
import { CreateLiveMessageGroup, DeleteLiveMessageGroup, ModifyLiveMessageGroup, RecoverLiveMessageDeletedGroup } from "../../operations";
import { DEFAULT_CREDENTIALS } from "../../../emulator";
import { LiveClient } from "../../client/live-client";
import { appHandler } from "../app/handler";
import { getClient, getProviderConfig, setProviderConfig } from "../config";
import type { PropertyBag } from "../property-bag";
import { callsBetween, startHandlerEnv, type HandlerEnv } from "../test-support/emulator";
import { groupHandler, groupResourceId } from "./handler";

jest.setTimeout(120_000);

const GROUPS = 5000;
const PARALLEL = 64;

let env: HandlerEnv;
let appId: string;
const recorded = new Map<string, PropertyBag>();

async function inParallel<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await run(items[next++]!);
  }));
}

beforeAll(async () => {
  env = await startHandlerEnv();
  appId = (await appHandler.create((await appHandler.check({}, { appName: "refreshmany" })).inputs)).id;
  // Seeded by a client without the 50/s pace (the test emulator does not throttle): 5,000 paced creates alone would
  // take 100 s. The reads under test go through the provider's own, paced client.
  const seeder = new LiveClient({ endpoint: env.emu.url, credentials: { ...DEFAULT_CREDENTIALS }, rateLimit: false });
  const ids = Array.from({ length: GROUPS }, (_, i) => `room${i}`);
  await inParallel(ids, 64, async (groupId) => {
    await CreateLiveMessageGroup.invoke(seeder, { AppId: appId, GroupId: groupId, GroupInfo: "v0" });
    // What a stack recorded for it after its create (a confirmed record: createTime > 0), with counters.
    recorded.set(groupId, {
      appId,
      groupId,
      groupName: "",
      groupInfo: "v0",
      administrators: [],
      creatorId: "",
      dataCenter: "cn-shanghai",
      createTime: 1_700_000_000,
      superLargeGroup: false,
      onlineUserCounts: 7,
      totalTimes: 9,
      msgAmount: { "1": 3 },
      adopt: false,
      recoverDeleted: false,
    });
  });
  await seeder.close();
});
afterAll(() => env.stop());

/** Refreshes every recorded group, PARALLEL at a time: id → what read returned. */
async function refreshAll(): Promise<Map<string, { id: string; props: PropertyBag }>> {
  const out = new Map<string, { id: string; props: PropertyBag }>();
  await inParallel([...recorded.keys()], PARALLEL, async (groupId) => {
    const r = await groupHandler.read(groupResourceId(appId, groupId), recorded.get(groupId)!);
    out.set(groupId, { id: r.id, props: r.props });
  });
  return out;
}

it("finds every out-of-band change among 5,000 groups in a few hundred calls; nothing else drifts", async () => {
  const client = await getClient();
  const modify = (groupId: string, p: Record<string, unknown>) => ModifyLiveMessageGroup.invoke(client, { AppId: appId, GroupId: groupId, ...p });
  // 15 changes, spread over the app (first page, middle, last page).
  const infoChanged = ["room0", "room777", "room2500", "room4999", "room3141"];
  const adminsChanged = ["room1", "room1234", "room4000", "room4500"];
  const bothChanged = ["room2"];
  const deleted = ["room3", "room999", "room2222", "room4998"];
  const deletedAndRecovered = ["room50"];
  for (const g of infoChanged) await modify(g, { ModifyInfo: true, GroupInfo: "changed" });
  for (const g of adminsChanged) await modify(g, { ModifyAdmin: true, AdminList: ["ops9"] });
  for (const g of bothChanged) await modify(g, { ModifyInfo: true, GroupInfo: "both", ModifyAdmin: true, AdminList: ["ops8"] });
  for (const g of [...deleted, ...deletedAndRecovered]) await DeleteLiveMessageGroup.invoke(client, { AppId: appId, GroupId: g });
  for (const g of deletedAndRecovered) await RecoverLiveMessageDeletedGroup.invoke(client, { AppId: appId, GroupId: g });
  // A user joins one unchanged group: a counter the pages do not carry.
  await env.join(appId, "room10", "viewer1");

  const before = await env.calls();
  const started = performance.now();
  const result = await refreshAll();
  const elapsedMs = performance.now() - started;
  const calls = callsBetween(before, await env.calls());
  const total = Object.values(calls).reduce((n, c) => n + c.requests, 0);

  const drift: string[] = [];
  for (const [groupId, r] of result) {
    const old = recorded.get(groupId)!;
    if (!r.id) drift.push(`${groupId}: gone`);
    else if (r.props.groupInfo !== old.groupInfo) drift.push(`${groupId}: groupInfo ${String(r.props.groupInfo)}`);
    else if (JSON.stringify(r.props.administrators) !== JSON.stringify(old.administrators)) drift.push(`${groupId}: administrators ${JSON.stringify(r.props.administrators)}`);
  }
  expect(drift.sort()).toEqual(
    [
      ...infoChanged.map((g) => `${g}: groupInfo changed`),
      ...adminsChanged.map((g) => `${g}: administrators ["ops9"]`),
      ...bothChanged.map((g) => `${g}: groupInfo both`),
      ...deleted.map((g) => `${g}: gone`),
    ].sort(),
  );
  // Recovered: live again, unchanged — no drift, as the service says.
  expect(result.get("room50")!.id).toBe(groupResourceId(appId, "room50"));

  // 100 pages of 50 and a Describe for each group the pages did not answer (the deleted ones, the first few reads).
  expect(calls.ListLiveMessageGroupByPage?.requests ?? 0).toBeGreaterThanOrEqual(100);
  expect(total).toBeLessThanOrEqual(500);
  expect(calls.DescribeLiveMessageGroup?.requests ?? 0).toBeLessThan(100);
  // Answered from the pages: the counters stay as recorded (room10's new viewer is not seen).
  expect(result.get("room10")!.props).toMatchObject({ onlineUserCounts: 7, totalTimes: 9, msgAmount: { "1": 3 }, superLargeGroup: false });
  // Figures (a shared machine: noisy).
  console.log(JSON.stringify({ groups: GROUPS, parallel: PARALLEL, elapsedMs: Math.round(elapsedMs), calls }));
});

it("with livemessage:coalesceReads false, every group is Described and its counters are fresh", async () => {
  const config = getProviderConfig();
  setProviderConfig({ ...config, coalesceReads: false });
  try {
    const some = ["room10", "room11", "room12", "room13", "room14", "room15"];
    const before = await env.calls();
    const reads = await Promise.all(some.map((g) => groupHandler.read(groupResourceId(appId, g), recorded.get(g)!)));
    const calls = callsBetween(before, await env.calls());
    expect(calls).toEqual({ DescribeLiveMessageGroup: { requests: some.length, throttled: 0, errors: 0 } });
    expect(reads[0]!.props).toMatchObject({ onlineUserCounts: 1 });
  } finally {
    setProviderConfig(config);
  }
});
