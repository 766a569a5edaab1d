// SeedMessage through the real Pulumi dynamic-provider process, a program using the SDK, and the emulator (issue 5):
// one stack, ordered steps — send once, retries that cannot duplicate, each whenInactive mode, replace, refresh,
// delete and destroy.
import { DEFAULT_CREDENTIALS } from "../../emulator";
import { DeleteLiveMessageGroupMessage, ListLiveMessageGroupMessages } from "../../provider/operations";
import type { GroupSnapshot, StoreSnapshot } from "../../emulator/service/state";
import { SEED_TYPE, expectOk, opsOf, startLiveStack, type LiveStack } from "./support";

jest.setTimeout(180000);

interface Decl {
  name: string;
  app?: string;
  group?: string;
  args?: Record<string, unknown>;
}
interface Spec {
  apps: Decl[];
  groups: Decl[];
  seeds: Decl[];
}

let t: LiveStack;
let spec: Spec;
const apply = (s: Spec) => {
  spec = s;
  t.setSpec(s as unknown as Record<string, unknown>);
};
const withSeeds = (...seeds: Decl[]): Spec => ({ ...spec, seeds: [...spec.seeds.filter((s) => !seeds.some((n) => n.name === s.name)), ...seeds] });
const withoutSeed = (name: string): Spec => ({ ...spec, seeds: spec.seeds.filter((s) => s.name !== name) });

const welcome: Decl = { name: "welcome", app: "chat", group: "lobby", args: { senderId: "system", body: JSON.stringify({ text: "Welcome!" }), msgType: 1 } };

let appId = "";
function group(groupId: string): GroupSnapshot {
  const app = (t.emu.service.snapshot() as StoreSnapshot).apps.find((a) => a.appId === appId)!;
  return app.groups.find((g) => g.groupId === groupId)!;
}
/** Stored messages of a group, as ListLiveMessageGroupMessages shows them. */
async function listed(groupId: string): Promise<string[]> {
  const res = await ListLiveMessageGroupMessages.invoke(t.client, { AppId: appId, GroupId: groupId, PageSize: 50, SortType: 1 });
  return (res.MessageList ?? []).map((m) => m.MsgTid ?? "");
}
const join = (groupId: string, userId: string) => t.admin("POST", `apps/${appId}/groups/${groupId}/members`, { userId });
const out = (name: string) => t.stack.resource(name)?.outputs ?? {};

beforeAll(async () => {
  t = await startLiveStack();
  apply({
    apps: [{ name: "chat", args: { appName: "chat" } }],
    groups: [
      { name: "lobby", app: "chat", args: { groupId: "lobby1", groupName: "Lobby" } },
      { name: "quiet", app: "chat", args: { groupId: "quiet1" } },
      { name: "hall", app: "chat", args: { groupId: "hall1" } },
      { name: "empty", app: "chat", args: { groupId: "empty1" } },
    ],
    seeds: [],
  });
  expectOk(await t.stack.up());
  appId = t.stack.resource("chat")!.id!;
  await join("lobby1", "viewer1");
});
afterAll(async () => {
  await t?.dispose();
});

describe("SeedMessage through the engine protocol", () => {
  let welcomeTid = "";

  it("preview generates a msgTid and writes nothing; up sends the message once, visible in ListLiveMessageGroupMessages", async () => {
    apply(withSeeds(welcome));
    const before = JSON.stringify(t.emu.service.snapshot());
    const preview = expectOk(await t.stack.preview());
    expect(opsOf(preview, SEED_TYPE)).toEqual({ welcome: "create" });
    expect(JSON.stringify(t.emu.service.snapshot())).toBe(before);
    const planned = preview.outputs.outputs!.value as Record<string, unknown>;
    expect(planned["welcome.msgTid"]).toMatch(/^seed[a-z0-9]{60}$/);

    const r = expectOk(await t.stack.up());
    expect(opsOf(r, SEED_TYPE)).toEqual({ welcome: "create" });
    welcomeTid = out("welcome").msgTid as string;
    // Generated per resource instance and revision (issue 9): up's own check generates the one it sends and records.
    expect(welcomeTid).toMatch(/^seed[a-z0-9]{60}$/);
    expect(t.stack.resource("welcome")!.id).toBe(`${appId}/lobby1/${welcomeTid}`);
    expect(out("welcome")).toMatchObject({ delivered: true, body: JSON.stringify({ text: "Welcome!" }), msgType: 1, whenInactive: "fail" });
    expect(out("welcome").sentAt).toBeGreaterThan(0);
    expect(await listed("lobby1")).toEqual([welcomeTid]);
  });

  it("a second up changes nothing and sends nothing", async () => {
    const r = expectOk(await t.stack.up());
    expect(opsOf(r, SEED_TYPE)).toEqual({ welcome: "same" });
    expect(r.rpcs.some((c) => c.method === "Create" || c.method === "Update")).toBe(false);
    expect(await listed("lobby1")).toEqual([welcomeTid]);
  });

  it("a send whose response is dropped after commit is retried with the same msgTid: one message", async () => {
    await t.admin("POST", "faults", { rules: [{ action: "SendLiveMessageGroup", probability: 1, mode: "drop-after-commit", count: 1 }] });
    apply(withSeeds({ name: "retry1", app: "chat", group: "lobby", args: { senderId: "system", body: "retry me", msgType: 2 } }));
    const r = expectOk(await t.stack.up());
    const faults = (await t.admin("GET", "faults")) as { rules: { fired: number }[] };
    await t.admin("DELETE", "faults");
    expect(faults.rules[0]!.fired).toBe(1);
    expect(opsOf(r, SEED_TYPE).retry1).toBe("create");
    expect(await listed("lobby1")).toEqual([welcomeTid, out("retry1").msgTid]);
    expect(new Map(group("lobby1").msgAmount).get("2")).toBe(1);
  });

  it("every response of the send lost: the stored message is found and confirmed, so the up succeeds — one message", async () => {
    await t.admin("POST", "faults", { rules: [{ action: "SendLiveMessageGroup", probability: 1, mode: "drop-after-commit", count: 100 }] });
    apply(withSeeds({ name: "retry2", app: "chat", group: "lobby", args: { senderId: "system", body: "lost", msgType: 2 } }));
    const r = expectOk(await t.stack.up());
    await t.admin("DELETE", "faults");
    expect(opsOf(r, SEED_TYPE).retry2).toBe("create");
    const tid = out("retry2").msgTid as string;
    expect(out("retry2")).toMatchObject({ delivered: true });
    expect((await listed("lobby1")).filter((x) => x === tid)).toHaveLength(1);
    expect(await listed("lobby1")).toHaveLength(3);
    expect(new Map(group("lobby1").msgAmount).get("2")).toBe(2); // retry1 and retry2, each counted once
    expectOk(await t.stack.up()); // and the next up changes nothing
    expect(await listed("lobby1")).toHaveLength(3);
  });

  it('whenInactive "fail" (default): the up fails with the options explained, and nothing is sent', async () => {
    apply(withSeeds({ name: "failing", app: "chat", group: "quiet", args: { senderId: "system", body: "x" } }));
    const r = await t.stack.up();
    expect(r.error).toBeDefined();
    const message = r.step("failing")?.error ?? r.error!;
    expect(message).toMatch(/has no joined users/);
    expect(message).toMatch(/whenInactive/);
    expect(message).toMatch(/"wait"/);
    expect(message).toMatch(/"defer"/);
    expect(t.stack.resource("failing")).toBeUndefined();
    expect(await listed("quiet1")).toEqual([]);
    apply(withoutSeed("failing"));
  });

  it('whenInactive "defer": recorded undelivered, shown as an update on every up, delivered once a user joins', async () => {
    apply(withSeeds({ name: "later", app: "chat", group: "quiet", args: { senderId: "system", body: "see you", whenInactive: "defer" } }));
    const first = expectOk(await t.stack.up());
    expect(opsOf(first, SEED_TYPE).later).toBe("create");
    expect(out("later")).toMatchObject({ delivered: false, sentAt: 0 });
    expect(first.logsMatching(/recorded as not delivered/).length).toBeGreaterThan(0);

    const preview = expectOk(await t.stack.preview());
    expect(opsOf(preview, SEED_TYPE).later).toBe("update");
    const again = expectOk(await t.stack.up());
    expect(opsOf(again, SEED_TYPE)).toMatchObject({ later: "update", welcome: "same" });
    expect(out("later").delivered).toBe(false);
    expect(again.logsMatching(/recorded as not delivered/).length).toBeGreaterThan(0);
    expect(await listed("quiet1")).toEqual([]);

    await join("quiet1", "viewer2");
    const sent = expectOk(await t.stack.up());
    expect(opsOf(sent, SEED_TYPE).later).toBe("update");
    expect(out("later")).toMatchObject({ delivered: true });
    expect(out("later").sentAt).toBeGreaterThan(0);
    expect(await listed("quiet1")).toEqual([out("later").msgTid]);
    expect(opsOf(expectOk(await t.stack.up()), SEED_TYPE).later).toBe("same");
  });

  it('whenInactive "wait": polls the group, logs progress, and sends when a user joins', async () => {
    // Count the provider's looks at the group through a no-op fault rule; let a user join once it is waiting.
    await t.admin("POST", "faults", { rules: [{ action: "DescribeLiveMessageGroup", probability: 1, mode: "latency", latencyMs: 0 }] });
    apply(withSeeds({ name: "waiter", app: "chat", group: "hall", args: { senderId: "system", body: "hi", whenInactive: "wait", waitTimeoutSeconds: 90, waitIntervalSeconds: 0.2 } }));
    let stop = false;
    const joiner = (async () => {
      // Looks: 1 by the quota check, then one per poll; 3 means the provider is on its second poll.
      while (!stop) {
        const f = (await t.admin("GET", "faults")) as { rules: { fired: number }[] };
        if ((f.rules[0]?.fired ?? 0) >= 3) return join("hall1", "late1");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return undefined;
    })();
    const r = await t.stack.up();
    stop = true;
    await joiner;
    await t.admin("DELETE", "faults");
    expectOk(r);
    expect(opsOf(r, SEED_TYPE).waiter).toBe("create");
    expect(out("waiter").delivered).toBe(true);
    expect(r.logsMatching(/Waiting for a user to join group hall1/).length).toBeGreaterThan(0);
    expect(await listed("hall1")).toEqual([out("waiter").msgTid]);
  });

  it('whenInactive "wait" times out with a clear error and records nothing', async () => {
    apply(withSeeds({ name: "impatient", app: "chat", group: "empty", args: { senderId: "system", whenInactive: "wait", waitTimeoutSeconds: 1, waitIntervalSeconds: 0.2 } }));
    const r = await t.stack.up();
    expect(r.error).toBeDefined();
    expect(r.step("impatient")?.error ?? r.error).toMatch(/Gave up waiting for a user to join group empty1 .* after 1 s/);
    expect(t.stack.resource("impatient")).toBeUndefined();
    apply(withoutSeed("impatient"));
  });

  it("changing the body replaces the message: a new msgTid is sent, then the old message is deleted", async () => {
    apply(withSeeds({ ...welcome, args: { ...welcome.args, body: JSON.stringify({ text: "Welcome back!" }) } }));
    const r = expectOk(await t.stack.up());
    expect(r.step("welcome", "replace")).toBeDefined();
    const newTid = out("welcome").msgTid as string;
    expect(newTid).not.toBe(welcomeTid);
    const seedRpcs = r.rpcs.filter((c) => c.urn?.endsWith("::welcome"));
    expect(seedRpcs.findIndex((c) => c.method === "Delete")).toBeGreaterThan(seedRpcs.findIndex((c) => c.method === "Create"));
    const now = await listed("lobby1");
    expect(now).toContain(newTid);
    expect(now).not.toContain(welcomeTid);
    welcomeTid = newTid;
  });

  it("changing only whenInactive updates in place and sends nothing", async () => {
    apply(withSeeds({ ...spec.seeds.find((s) => s.name === "welcome")!, args: { ...spec.seeds.find((s) => s.name === "welcome")!.args, whenInactive: "defer" } }));
    const before = (await listed("lobby1")).length;
    const r = expectOk(await t.stack.up());
    expect(opsOf(r, SEED_TYPE).welcome).toBe("update");
    expect(out("welcome")).toMatchObject({ msgTid: welcomeTid, whenInactive: "defer", delivered: true });
    expect(await listed("lobby1")).toHaveLength(before);
  });

  it("refresh drops a message deleted outside the stack, and keeps a noStorage one it cannot list", async () => {
    apply(withSeeds({ name: "ephemeral", app: "chat", group: "lobby", args: { senderId: "system", body: "not stored", noStorage: true } }));
    expectOk(await t.stack.up());
    expect(out("ephemeral").delivered).toBe(true);
    expect(await listed("lobby1")).not.toContain(out("ephemeral").msgTid);
    await DeleteLiveMessageGroupMessage.invoke(t.client, { AppId: appId, GroupId: "lobby1", MessageId: out("retry1").msgTid as string });
    const r = expectOk(await t.stack.refresh());
    expect(opsOf(r, SEED_TYPE)).toMatchObject({ retry1: "delete", ephemeral: "same", welcome: "same", later: "same" });
    expect(t.stack.resource("retry1")).toBeUndefined();
    expect(t.stack.resource("ephemeral")).toBeDefined();
  });

  it("removing a seed from the program deletes its message", async () => {
    const tid = out("retry2").msgTid as string;
    apply(withoutSeed("retry1"));
    apply(withoutSeed("retry2"));
    const r = expectOk(await t.stack.up());
    expect(opsOf(r, SEED_TYPE).retry2).toBe("delete");
    expect(await listed("lobby1")).not.toContain(tid);
  });

  it("destroy deletes every seed message before its group; the state and logs hold no secret", async () => {
    const tids = t.stack.state.resources.filter((x) => x.type === SEED_TYPE).map((x) => x.outputs.msgTid as string);
    expect(tids.length).toBeGreaterThanOrEqual(4);
    for (const res of t.stack.state.resources.filter((x) => x.type === SEED_TYPE)) {
      expect(res.providerSize).toBeLessThanOrEqual(2048);
      expect(String(res.inputs.__provider)).toMatch(/require\("pulumi-alicloud-livemessage\/(dynamic|dist\/sdk\/dynamic)\//);
    }
    const r = expectOk(await t.stack.destroy());
    expect(t.stack.state.resources.filter((x) => x.type === SEED_TYPE)).toEqual([]);
    for (const g of ["lobby1", "quiet1", "hall1"]) {
      expect(group(g).deleted).toBe(true);
      expect(group(g).messages.map((m) => m.msgTid).filter((x) => tids.includes(x))).toEqual([]);
    }
    const order = r.rpcs.filter((c) => c.method === "Delete").map((c) => c.urn ?? "");
    expect(order.findIndex((u) => u.endsWith("::welcome"))).toBeLessThan(order.findIndex((u) => u.endsWith("::lobby")));
    expect(t.stack.exportState()).not.toContain(DEFAULT_CREDENTIALS.accessKeySecret);
    expect(JSON.stringify(r.logs)).not.toContain(DEFAULT_CREDENTIALS.accessKeySecret);
  });
});
