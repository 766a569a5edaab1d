// The Output forms of the lookups (getAppOutput, getGroupOutput, listGroupsOutput) in a program run through the
// engine-protocol harness: they accept Inputs — outputs of resources declared in the same program — wait for them,
// stay unknown in a preview that creates those resources, and keep getApp's keys secret.
import { expectOk, startLiveStack, type LiveStack } from "./support";

jest.setTimeout(120000);

let t: LiveStack;
beforeAll(async () => {
  t = await startLiveStack();
});
afterAll(() => t?.dispose());

it("getAppOutput, getGroupOutput and listGroupsOutput take resource outputs as Inputs", async () => {
  t.setSpec({
    apps: [{ name: "chat", args: { appName: "chat" } }],
    groups: [{ name: "lobby", app: "chat", args: { groupName: "Lobby", administrators: ["ops1"] } }],
    outputLookups: { app: "chat", group: "lobby" },
  });
  // A preview of a new stack: the app does not exist yet, so the lookups wait (unknown) instead of failing.
  expectOk(await t.stack.preview());

  const r = expectOk(await t.stack.up());
  const appId = t.stack.resource("chat")!.id!;
  const lobbyId = t.stack.resource("lobby")!.outputs.groupId as string;
  const outs = r.outputs.outputs;
  expect(outs.secret).toBe(true); // the app lookup carries appKey: its Output (and so the map) is secret
  const value = outs.value as Record<string, any>;
  expect(value["lookupOutput.app"]).toMatchObject({ appId, appName: "chat", dataCenter: "cn-shanghai", disabled: false });
  expect(value["lookupOutput.group"]).toMatchObject({ appId, groupId: lobbyId, groupName: "Lobby", administrators: ["ops1"], deleted: false });
  expect(value["lookupOutput.groupIds"]).toEqual([lobbyId]);
  const app = (t.emu.service.snapshot() as { apps: { appId: string; appKey: string }[] }).apps.find((a) => a.appId === appId)!;
  expect(t.stack.exportState()).not.toContain(app.appKey);
});
