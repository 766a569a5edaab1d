// examples/yaml-gitops under the real `pulumi` CLI and its YAML language host, against an emulator: the lifecycle
// a GitOps pipeline runs — up, a change in a pull request, the deferred welcome delivered once somebody joined, a
// no-change preview, out-of-band drift found by refresh and put back by up, import of an out-of-band group, destroy.
import * as fs from "node:fs";
import { request } from "undici";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import type { StoreSnapshot } from "../../emulator/service/state";
import { LiveClient } from "../../provider";
import { CliStack, itWithCli } from "../../test/native/cli";

jest.setTimeout(600_000);

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu?.stop());

const snapshot = () => emu.service.snapshot() as StoreSnapshot;

describe("examples/yaml-gitops (Pulumi YAML, native plugin)", () => {
  itWithCli(
    "up, pull-request change, deferred welcome, no-change preview, refresh of drift, import, destroy",
    async () => {
      const stack = await CliStack.create({ programDir: __dirname });
      try {
        await stack.useEmulator(emu.url);
        const preview = await stack.ok(["preview"]);
        expect(preview.stdout).toMatch(/\+ 9 to create/);

        await stack.up();
        const out = await stack.outputs();
        const chat = snapshot().apps.find((a) => a.appId === out.chatAppId)!;
        expect(chat).toMatchObject({ appName: "chat-dev", msgLifeCycle: 1 }); // Pulumi.dev.yaml's value
        expect(chat.groups.map((g) => g.groupId).sort()).toEqual(["announcements", "lobby", "random"]);
        expect(out.groups).toEqual({ lobby: "lobby", announcements: "announcements", random: "random", tickets: "tickets", escalations: "escalations" });
        expect(out.welcomeDelivered).toBe(false);
        expect(out.chatAppKey).toBe(chat.appKey);
        // The app's keys and the AccessKey secret are stored encrypted, never in plain text.
        const state = JSON.stringify(await stack.exported());
        expect(state).not.toContain(chat.appKey);
        expect(state).not.toContain(chat.appSign);
        expect(state).not.toContain(DEFAULT_CREDENTIALS.accessKeySecret);

        // The welcome waits for a user: every up tries again (an update), until somebody has joined.
        await request(`${emu.url}/_emulator/apps/${chat.appId}/groups/lobby/members`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ userId: "viewer1" }),
        });
        const deliver = await stack.up();
        expect(deliver.stdout).toMatch(/~ 1 updated/);
        expect((await stack.outputs()).welcomeDelivered).toBe(true);
        await stack.expectNoChanges();

        // A pull request: the lobby gets another administrator in the dev stack's file.
        await stack.ok(["config", "set", "--path", "lobbyAdministrators[1]", "ops9"]);
        await stack.ok(["config", "set", "--path", "lobbyAdministrators[0]", "ops1"]);
        const pr = await stack.ok(["preview", "--diff"]);
        expect(pr.stdout).toMatch(/~ livemessage:index:Group: \(update\)[\s\S]*chat-lobby/);
        expect(pr.stdout).toMatch(/~ 1 to update/);
        await stack.up();
        expect(snapshot().apps.find((a) => a.appId === chat.appId)!.groups.find((g) => g.groupId === "lobby")!.adminList.sort()).toEqual(["ops1", "ops9"]);
        await stack.expectNoChanges();

        // Drift made outside the stack: refresh records it, the next up puts the declared values back.
        const client = new LiveClient({ endpoint: emu.url, credentials: { ...DEFAULT_CREDENTIALS } });
        await client.call("ModifyLiveMessageGroup", { AppId: chat.appId, GroupId: "random", DataCenter: "cn-shanghai", ModifyInfo: true, GroupInfo: "changed by hand" });
        const refresh = await stack.ok(["refresh", "--yes", "--skip-preview"]);
        expect(refresh.stdout).toMatch(/~ 1 updated|1 updated/);
        const fix = await stack.ok(["preview", "--diff"]);
        expect(fix.stdout).toMatch(/groupInfo/);
        await stack.up();
        expect(snapshot().apps.find((a) => a.appId === chat.appId)!.groups.find((g) => g.groupId === "random")!.groupInfo).toBe("");
        await stack.expectNoChanges();

        // A group made by hand is adopted with `pulumi import`, which writes its YAML; with that in the program,
        // the next preview changes nothing.
        await client.call("CreateLiveMessageGroup", { AppId: chat.appId, GroupId: "legacy1", GroupName: "Legacy", DataCenter: "cn-shanghai", Administrators: ["ops3"] });
        await client.close();
        const imp = await stack.ok(["import", "livemessage:index:Group", "chat-legacy", `${chat.appId}/legacy1`, "--yes", "--protect=false", "--out", "imported.yaml"]);
        expect(imp.stdout).toMatch(/= 1 imported/);
        const generated = fs.readFileSync(`${stack.dir}/imported.yaml`, "utf8");
        expect(generated).toMatch(/chat-legacy:\n\s+type: livemessage:(index:)?Group\n\s+properties:\n/);
        // Only what differs from the defaults: no groupInfo: "", creatorId: "", dataCenter, adopt…
        const props = generated.split("properties:\n")[1]!.split("\n").filter((l) => /^\s{6}\w/.test(l)).map((l) => l.trim().split(":")[0]);
        expect(props.sort()).toEqual(["administrators", "appId", "groupId", "groupName"]);
        const program = fs.readFileSync(`${stack.dir}/Pulumi.yaml`, "utf8");
        fs.writeFileSync(`${stack.dir}/Pulumi.yaml`, program.replace("\nvariables:", `\n${generated.replace(/^resources:\n/, "")}\nvariables:`));
        await stack.expectNoChanges();

        await stack.ok(["destroy", "--yes", "--skip-preview"]);
        const after = snapshot().apps.filter((a) => a.appId === out.chatAppId || a.appId === out.supportAppId);
        expect(after.every((a) => a.disable)).toBe(true);
        expect(after.flatMap((a) => a.groups).every((g) => g.deleted)).toBe(true);
      } catch (e) {
        throw new Error(`${(e as Error).message}\n--- CLI log ---\n${stack.log.join("\n").slice(-20_000)}`);
      } finally {
        await stack.dispose();
      }
    },
    { language: "yaml" },
  );
});
