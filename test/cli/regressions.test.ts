// Regressions the real Pulumi CLI showed, each pinned under the CLI itself (the engine harness cannot see them):
// generated groupIds that differed between preview and up, internal keys in the CLI's diffs, and previews of in-place
// updates that made every computed output unknown (so dependents showed spurious changes).
import * as path from "path";
import type { StoreSnapshot } from "../../emulator/service/state";
import { CreateLiveMessageApp } from "../../provider";
import { cliSuite, nameOf, opsOf, type PreviewJson, type RunResult } from "./support";

jest.setTimeout(240_000);

const PROGRAM = path.join(__dirname, "programs", "regressions");
const INTERNAL_KEYS = /__defaults|__resourceName|__provider/;

function previewedGroupId(preview: PreviewJson, name: string): unknown {
  return preview.steps.find((s) => nameOf(s.urn) === name && s.newState)?.newState?.inputs?.groupId;
}

describe("under the pulumi CLI", () => {
  let appId: string;
  const suite = cliSuite(async (_emu, client) => {
    appId = (await CreateLiveMessageApp.invoke(client, { AppName: "regressions" })).AppId; // outlives the stack's groups
    return { programDir: PROGRAM, config: { appId } };
  });
  /** Every text the CLI printed in these tests (for the internal-keys check). */
  const printed: RunResult[] = [];
  const run = async (args: string[]) => {
    const r = await suite.stack.ok(args);
    printed.push(r);
    return r;
  };
  const groupsOfApp = () => (suite.emu.service.snapshot() as StoreSnapshot).apps.find((a) => a.appId === appId)!.groups;

  it("regress: a generated groupId shown by preview is the one up creates; a replacement's new ID too", async () => {
    const preview = await suite.stack.preview();
    const predicted = previewedGroupId(preview, "lobby");
    expect(predicted).toMatch(/^lobby[a-z0-9]{8}$/);
    // Previewing twice (two provider processes) shows the same ID.
    expect(previewedGroupId(await suite.stack.preview(), "lobby")).toBe(predicted);
    await run(["up", "--yes", "--diff"]);
    const first = (await suite.stack.outputs()).lobbyId;
    expect(first).toBe(predicted);

    await suite.stack.ok(["config", "set", "groupName", "Lobby 2"]);
    const replace = await suite.stack.preview();
    expect(opsOf(replace).lobby).toBe("replace");
    const next = previewedGroupId(replace, "lobby");
    expect(next).not.toBe(first);
    await run(["up", "--yes", "--diff"]);
    expect((await suite.stack.outputs()).lobbyId).toBe(next);
    expect(groupsOfApp().find((g) => g.groupId === first)!.deleted).toBe(true);
  });

  it("regress: after a destroy, the same program gets IDs no group of the app ever had (deleted IDs are never reusable)", async () => {
    const before = new Set(groupsOfApp().map((g) => g.groupId));
    await run(["destroy", "--yes", "--diff"]);
    const preview = await suite.stack.preview();
    const predicted = [previewedGroupId(preview, "lobby"), previewedGroupId(preview, "mirror")];
    for (const id of predicted) expect(before.has(id as string)).toBe(false);
    await run(["up", "--yes", "--diff"]);
    const outputs = await suite.stack.outputs();
    expect([outputs.lobbyId, outputs.mirrorId]).toEqual(predicted);
  });

  it("regress: a preview of an in-place update keeps the group's createTime known, so its dependent shows no change", async () => {
    await suite.stack.ok(["config", "set", "admins", JSON.stringify(["ops1", "ops2"])]);
    const preview = await suite.stack.preview();
    expect(opsOf(preview)).toEqual({ lobby: "update" }); // mirror (groupInfo from lobby.createTime) is unchanged
    const diff = await run(["preview", "--diff"]);
    expect(diff.output).not.toMatch(/\[unknown\]/);
    await run(["up", "--yes", "--diff"]);
    expect((await run(["preview", "--expect-no-changes", "--diff"])).code).toBe(0);
  });

  it("regress: neither `pulumi import` nor the import resource option can import a dynamic resource; adopt and get work", async () => {
    await suite.client.call("CreateLiveMessageGroup", { AppId: appId, GroupId: "legacy1", GroupName: "Legacy" });
    await suite.client.call("CreateLiveMessageGroup", { AppId: appId, GroupId: "other1", GroupName: "Other" });
    // The engine reads an imported resource with its ID alone; a dynamic resource's provider is in its inputs.
    const cli = await suite.stack.run(["import", "pulumi-nodejs:dynamic/livemessage:Group", "legacy", `${appId}/legacy1`, "--yes"]);
    expect(cli.code).not.toBe(0);
    expect(cli.output).toMatch(/code must be a string, not undefined/);
    await suite.stack.ok(["config", "set", "legacy", "legacy1"]);
    const option = await suite.stack.run(["preview"]);
    expect(option.code).not.toBe(0);
    expect(option.output).toMatch(/code must be a string, not undefined/);
    // What works: adopt: true takes the group over; Group.get reads another one.
    await suite.stack.ok(["config", "set", "legacyMode", "adopt"]);
    await suite.stack.ok(["config", "set", "read", "other1"]);
    expect(opsOf(await suite.stack.preview())).toEqual({ legacy: "create", read: "read" });
    await run(["up", "--yes", "--diff"]);
    expect((await suite.stack.resource("legacy"))?.id).toBe(`${appId}/legacy1`);
    expect((await suite.stack.outputs()).readName).toBe("Other");
    expect((await run(["preview", "--expect-no-changes", "--diff"])).code).toBe(0);
  });

  it("regress: the CLI never shows the internal keys (__defaults, __resourceName) in its diffs", async () => {
    await suite.client.call("ModifyLiveMessageGroup", { AppId: appId, GroupId: (await suite.stack.outputs()).lobbyId as string, DataCenter: "cn-shanghai", ModifyInfo: true, GroupInfo: "drift" });
    await run(["refresh", "--yes", "--diff"]);
    await run(["up", "--yes", "--diff"]);
    await run(["destroy", "--yes", "--diff"]);
    expect(printed.length).toBeGreaterThanOrEqual(8);
    for (const r of printed) expect(r.output).not.toMatch(INTERNAL_KEYS);
  });
});
