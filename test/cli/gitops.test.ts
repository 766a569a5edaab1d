// examples/gitops under the real Pulumi CLI against a fresh emulator: preview, up, the deferred welcome delivered once
// a user joined, a no-change preview, drift made outside the stack (refresh shows it, up restores it), an in-place
// update and a replacement made by editing the YAML files, and destroy.
import * as path from "path";
import type { StoreSnapshot } from "../../emulator/service/state";
import { REPO_ROOT } from "../engine/support";
import { cliSuite, opsOf } from "./support";

jest.setTimeout(240_000);

const CHAT_FILE = "environments/dev/apps/chat.yaml";
const SUPPORT_FILE = "environments/dev/apps/support.yaml";
const ALL = ["chat", "support", "chat/announcements", "chat/lobby", "chat/random", "support/escalations", "support/tickets", "chat/lobby/welcome"];

describe("examples/gitops under the pulumi CLI", () => {
  const suite = cliSuite(() => ({ programDir: path.join(REPO_ROOT, "examples", "gitops") }));

  const apps = () => (suite.emu.service.snapshot() as StoreSnapshot).apps;
  const app = (appName: string) => apps().find((a) => a.appName === appName && !a.disable)!;
  const group = (appName: string, groupId: string) => app(appName).groups.find((g) => g.groupId === groupId)!;

  it("preview shows the environment of the files; up creates it with the pinned IDs, the welcome deferred", async () => {
    expect(opsOf(await suite.stack.preview())).toEqual(Object.fromEntries(ALL.map((n) => [n, "create"])));
    expect(apps()).toEqual([]);
    await suite.stack.up();
    expect(app("chat-dev").groups.map((g) => g.groupId).sort()).toEqual(["announcements", "lobby", "random"]);
    expect(app("support-dev").groups.map((g) => g.groupId).sort()).toEqual(["escalations", "tickets"]);
    expect(group("chat-dev", "lobby").groupInfo).toBe('{"language":"en","topic":"general"}');
    const seeds = (await suite.stack.outputs()).seeds as Record<string, { delivered: boolean }>;
    expect(seeds["chat/lobby/welcome"]!.delivered).toBe(false);
  });

  it("once a user joined the lobby, up delivers the welcome; then a preview reports no changes", async () => {
    const res = await fetch(`${suite.emu.url}/_emulator/apps/${app("chat-dev").appId}/groups/lobby/members`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: "viewer1" }),
    });
    expect(res.status).toBeLessThan(300);
    expect(opsOf(await suite.stack.preview())).toEqual({ "chat/lobby/welcome": "update" });
    await suite.stack.up();
    expect(group("chat-dev", "lobby").messages).toHaveLength(1);
    expect(((await suite.stack.outputs()).seeds as Record<string, { delivered: boolean }>)["chat/lobby/welcome"]!.delivered).toBe(true);
    const again = await suite.stack.run(["preview", "--expect-no-changes"]);
    expect(again.code).toBe(0);
  });

  it("a change made outside the stack: refresh shows it, up puts the files' values back", async () => {
    await suite.client.call("ModifyLiveMessageGroup", {
      AppId: app("support-dev").appId,
      GroupId: "tickets",
      DataCenter: "cn-shanghai",
      ModifyAdmin: true,
      AdminList: "agent1,intruder",
    });
    const refresh = await suite.stack.ok(["refresh", "--yes", "--diff"]);
    expect(refresh.output).toMatch(/intruder/);
    expect(opsOf(await suite.stack.preview())).toEqual({ "support/tickets": "update" });
    await suite.stack.up();
    expect(group("support-dev", "tickets").adminList).toEqual(["agent1"]);
    expect((await suite.stack.run(["preview", "--expect-no-changes"])).code).toBe(0);
  });

  it("an in-place update: new administrators in a file update that group only", async () => {
    suite.stack.edit(CHAT_FILE, "    administrators: [ops1, ops2]\n", "    administrators: [ops1, ops2, ops3]\n");
    expect(opsOf(await suite.stack.preview())).toEqual({ "chat/announcements": "update" });
    await suite.stack.up();
    expect(group("chat-dev", "announcements").adminList).toEqual(["ops1", "ops2", "ops3"]);
  });

  it("a replacement: a new message retention for the support app replaces the app and moves its pinned groups into the new one", async () => {
    const oldAppId = app("support-dev").appId;
    suite.stack.edit(SUPPORT_FILE, "  dataCenter: cn-shanghai\n", "  dataCenter: cn-shanghai\n  msgLifeCycle: 2\n");
    const preview = await suite.stack.preview();
    expect(opsOf(preview)).toEqual({ support: "replace", "support/tickets": "replace", "support/escalations": "replace" });
    await suite.stack.up();
    const now = app("support-dev");
    expect(now.appId).not.toBe(oldAppId);
    expect(now.msgLifeCycle).toBe(2);
    expect(now.groups.map((g) => g.groupId).sort()).toEqual(["escalations", "tickets"]);
    const old = apps().find((a) => a.appId === oldAppId)!;
    expect(old.disable).toBe(true); // no API deletes an app
    expect(old.groups.every((g) => g.deleted)).toBe(true);
  });

  it("destroy deletes every group and the seed message and disables both apps", async () => {
    await suite.stack.ok(["destroy", "--yes"]);
    for (const a of apps()) {
      expect(a.disable).toBe(true);
      expect(a.groups.every((g) => g.deleted)).toBe(true);
    }
    expect(apps().flatMap((a) => a.groups.flatMap((g) => g.messages))).toEqual([]);
  });
});
