// examples/test-environment under the real Pulumi CLI against a fresh emulator (a new app per run): preview, up,
// the deferred welcomes delivered once users joined, a no-change preview, drift (refresh shows it, up restores it),
// an in-place update, a replacement and destroy. The CI driver itself runs under the CLI in ci-workflow.test.ts.
import * as path from "path";
import type { StoreSnapshot } from "../../emulator/service/state";
import { REPO_ROOT } from "../engine/support";
import { cliSuite, nameOf, opsOf } from "./support";

jest.setTimeout(240_000);

const STACK = "ci-cli-1";

describe("examples/test-environment under the pulumi CLI", () => {
  const suite = cliSuite(() => ({ programDir: path.join(REPO_ROOT, "examples", "test-environment"), stack: STACK }));
  let appId: string;
  let groupIds: Record<string, string>;

  const theApp = () => (suite.emu.service.snapshot() as StoreSnapshot).apps.find((a) => a.appId === appId)!;
  const group = (groupId: string) => theApp().groups.find((g) => g.groupId === groupId)!;
  const join = async (groupId: string) => {
    const res = await fetch(`${suite.emu.url}/_emulator/apps/${appId}/groups/${groupId}/members`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: "tester1" }),
    });
    expect(res.status).toBeLessThan(300);
  };

  it("preview then up: an app and three groups named from the stack, deferred welcomes, the outputs a suite needs", async () => {
    const preview = await suite.stack.preview();
    const names = [`${STACK}-lobby`, `${STACK}-support`, `${STACK}-events`];
    expect(opsOf(preview)).toEqual(Object.fromEntries(["app", ...names, `${STACK}-lobby-welcome`, `${STACK}-events-welcome`].map((n) => [n, "create"])));
    const predicted = Object.fromEntries(
      preview.steps.filter((s) => names.includes(nameOf(s.urn))).map((s) => [nameOf(s.urn).slice(STACK.length + 1), s.newState!.inputs!.groupId]),
    );
    await suite.stack.up();
    const outputs = await suite.stack.outputs();
    appId = outputs.appId as string;
    groupIds = outputs.groupIds as Record<string, string>;
    expect(groupIds).toEqual(predicted);
    expect(groupIds.lobby).toMatch(/^cicli1lobby[a-z0-9]{8}$/);
    expect(outputs).toMatchObject({ mode: "dedicated-app", endpoint: suite.emu.url, dataCenter: "cn-shanghai" });
    expect(outputs.appKey).toBe(theApp().appKey);
    const { text } = await suite.stack.exportState();
    expect(text).not.toContain(theApp().appKey);
    expect(text).not.toContain(theApp().appSign);
    expect(outputs.seedMessages).toMatchObject({ lobby: { delivered: false }, events: { delivered: false } });
  });

  it("once test users joined, up delivers both welcomes; then a preview reports no changes", async () => {
    await join(groupIds.lobby);
    await join(groupIds.events);
    await suite.stack.up();
    expect(group(groupIds.lobby).messages).toHaveLength(1);
    expect(group(groupIds.events).messages).toHaveLength(1);
    expect((await suite.stack.outputs()).seedMessages).toMatchObject({ lobby: { delivered: true }, events: { delivered: true } });
    expect((await suite.stack.run(["preview", "--expect-no-changes"])).code).toBe(0);
  });

  it("a change made outside the stack: refresh shows it, up restores it", async () => {
    await suite.client.call("ModifyLiveMessageGroup", { AppId: appId, GroupId: groupIds.support, DataCenter: "cn-shanghai", ModifyAdmin: true, AdminList: "someoneelse" });
    expect((await suite.stack.ok(["refresh", "--yes", "--diff"])).output).toMatch(/someoneelse/);
    await suite.stack.up();
    expect(group(groupIds.support).adminList).toEqual(["agent1"]);
    expect((await suite.stack.run(["preview", "--expect-no-changes"])).code).toBe(0);
  });

  it("an in-place update: another administrator for the support group", async () => {
    suite.stack.edit("index.ts", '{ key: "support", title: "Support", administrators: ["agent1"] }', '{ key: "support", title: "Support", administrators: ["agent1", "agent2"] }');
    expect(opsOf(await suite.stack.preview())).toEqual({ [`${STACK}-support`]: "update" });
    await suite.stack.up();
    expect(group(groupIds.support).adminList).toEqual(["agent1", "agent2"]);
  });

  it("a replacement: a new title replaces the events group (a new generated ID) and its welcome follows it", async () => {
    suite.stack.edit("index.ts", 'title: "Events"', 'title: "Happenings"');
    const preview = await suite.stack.preview();
    expect(opsOf(preview)).toEqual({ [`${STACK}-events`]: "replace", [`${STACK}-events-welcome`]: "replace" });
    await suite.stack.up();
    const now = (await suite.stack.outputs()).groupIds as Record<string, string>;
    expect(now.events).not.toBe(groupIds.events);
    expect(group(now.events).groupName).toBe(`${STACK} Happenings`);
    expect(group(groupIds.events).deleted).toBe(true);
    groupIds = now;
  });

  it("destroy deletes the groups and disables the app", async () => {
    await suite.stack.ok(["destroy", "--yes"]);
    expect(theApp().disable).toBe(true);
    expect(theApp().groups.every((g) => g.deleted)).toBe(true);
  });
});
