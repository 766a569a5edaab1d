// examples/quickstart under the real Pulumi CLI against a fresh emulator: preview, up, a no-change preview, drift
// made outside the stack (refresh shows it, up restores it), an in-place update, a replacement and destroy.
import * as path from "path";
import { DEFAULT_CREDENTIALS } from "../../emulator";
import type { StoreSnapshot } from "../../emulator/service/state";
import { REPO_ROOT } from "../engine/support";
import { cliSuite, nameOf, opsOf, type PreviewJson } from "./support";

jest.setTimeout(240_000);

const GROUP = "pulumi-nodejs:dynamic/livemessage:Group";
const APP = "pulumi-nodejs:dynamic/livemessage:App";

/** The groupId each group step of a preview will create (known in the preview: see README "Design notes"). */
function previewedGroupIds(preview: PreviewJson): Record<string, unknown> {
  return Object.fromEntries(
    preview.steps.filter((s) => s.newState?.type === GROUP).map((s) => [nameOf(s.urn), s.newState!.inputs!.groupId]),
  );
}

describe("examples/quickstart under the pulumi CLI", () => {
  const suite = cliSuite(() => ({ programDir: path.join(REPO_ROOT, "examples", "quickstart") }));
  let appId: string;
  let groupIds: Record<string, string>;

  const snapshot = () => suite.emu.service.snapshot() as StoreSnapshot;
  const liveGroup = (groupId: string) => snapshot().apps.find((a) => a.appId === appId)!.groups.find((g) => g.groupId === groupId)!;

  it("preview: one app and three groups to create, showing the generated groupIds; nothing is written", async () => {
    const preview = await suite.stack.preview();
    expect(opsOf(preview)).toEqual({ chat: "create", lobby: "create", support: "create", announcements: "create" });
    const predicted = previewedGroupIds(preview);
    for (const [name, id] of Object.entries(predicted)) expect(id).toMatch(new RegExp(`^${name}[a-z0-9]{8}$`));
    expect(snapshot().apps).toEqual([]);

    const up = await suite.stack.up();
    expect(up.output).toMatch(/5 created/);
    const outputs = await suite.stack.outputs();
    appId = outputs.appId as string;
    groupIds = outputs.groupIds as Record<string, string>;
    // The IDs the preview showed are the ones created (no randomSeed reaches a dynamic provider's check).
    expect(groupIds).toEqual(predicted);
    const app = snapshot().apps.find((a) => a.appId === appId)!;
    expect(app.groups.map((g) => g.groupId).sort()).toEqual(Object.values(groupIds).sort());
    expect(liveGroup(groupIds.announcements).adminList).toEqual(["ops1", "ops2"]);
  });

  it("the state holds no secret in plain text", async () => {
    const { text, resources } = await suite.stack.exportState();
    const app = resources.find((r) => r.type === APP)!;
    const live = snapshot().apps.find((a) => a.appId === appId)!;
    expect(text).not.toContain(live.appKey);
    expect(text).not.toContain(live.appSign);
    expect(text).not.toContain(DEFAULT_CREDENTIALS.accessKeySecret);
    expect(JSON.stringify(app.outputs?.appKey)).toMatch(/ciphertext/);
  });

  it("a second preview reports no changes (--expect-no-changes)", async () => {
    const r = await suite.stack.run(["preview", "--expect-no-changes"]);
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/5 unchanged/);
  });

  it("a change made outside the stack: refresh shows it, the next up restores the program's values", async () => {
    await suite.client.call("ModifyLiveMessageGroup", {
      AppId: appId,
      GroupId: groupIds.support,
      DataCenter: "cn-shanghai",
      ModifyInfo: true,
      GroupInfo: "changed outside",
      ModifyAdmin: true,
      AdminList: "intruder",
    });
    const refresh = await suite.stack.ok(["refresh", "--yes", "--diff"]);
    expect(refresh.output).toMatch(/groupInfo\s*:\s*.*"changed outside"/);
    expect(refresh.output).toMatch(/intruder/);
    expect(refresh.output).toMatch(/1 updated/);

    const preview = await suite.stack.preview();
    expect(opsOf(preview)).toEqual({ support: "update" }); // (unchanged resources are not listed)
    await suite.stack.up();
    expect(liveGroup(groupIds.support).groupInfo).toBe(JSON.stringify({ topic: "help" }));
    expect(liveGroup(groupIds.support).adminList).toEqual([]);
    expect((await suite.stack.run(["preview", "--expect-no-changes"])).code).toBe(0);
  });

  it("an in-place update: new administrators update the group, which keeps its id", async () => {
    suite.stack.edit("index.ts", 'administrators: ["ops1"],', 'administrators: ["ops1", "ops3"],');
    const preview = await suite.stack.preview();
    expect(opsOf(preview)).toEqual({ lobby: "update" });
    await suite.stack.up();
    expect(liveGroup(groupIds.lobby).adminList).toEqual(["ops1", "ops3"]);
    expect(((await suite.stack.outputs()).groupIds as Record<string, string>).lobby).toBe(groupIds.lobby);
  });

  it("a replacement: a new groupName creates a group with a new generated id (the one the preview showed) and deletes the old", async () => {
    suite.stack.edit("index.ts", 'groupName: "Support"', 'groupName: "Help desk"');
    const preview = await suite.stack.preview();
    expect(opsOf(preview)).toEqual({ support: "replace" });
    const predicted = previewedGroupIds(preview).support;
    expect(predicted).not.toBe(groupIds.support);
    await suite.stack.up();
    const now = (await suite.stack.outputs()).groupIds as Record<string, string>;
    expect(now.support).toBe(predicted);
    expect(liveGroup(now.support).groupName).toBe("Help desk");
    expect(liveGroup(groupIds.support).deleted).toBe(true);
    groupIds = now;
  });

  it("destroy deletes every group and disables the app", async () => {
    const r = await suite.stack.ok(["destroy", "--yes"]);
    expect(r.output).toMatch(/5 deleted/); // the app, three groups and the stack
    const app = snapshot().apps.find((a) => a.appId === appId)!;
    expect(app.groups.every((g) => g.deleted)).toBe(true);
    expect(app.disable).toBe(true);
  });
});
