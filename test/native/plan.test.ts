// Generated groupIds under the real CLI: the one a plain `pulumi preview` shows is the one `pulumi up` creates
// (another deployment, another random seed: the ID does not depend on it), and so is the one of `pulumi preview
// --save-plan` with `pulumi up --plan`; an update keeps it — also when the app it belongs to is updated in place
// (stable outputs) —; a replacement gets a new one.
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { CliStack, itWithCli } from "./cli";

jest.setTimeout(300_000);

const program = (groupName: string, callback = "") => `name: plan-seed
runtime: yaml
plugins:
  providers:
    - name: livemessage
      path: ${path.join(__dirname, "..", "..", "plugin", "bin")}
resources:
  chat:
    type: livemessage:index:App
    properties:
      eventCallbackUrl: "${callback}"
  lobby:
    type: livemessage:index:Group
    properties:
      appId: \${chat.appId}
      groupName: ${groupName}
outputs:
  groupId: \${lobby.groupId}
`;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu?.stop());

describe("generated groupId under the CLI", () => {
  itWithCli(
    "preview (with or without --save-plan) shows the groupId up (with or without --plan) creates; an update keeps it; a replacement gets another",
    async () => {
      const stack = await CliStack.create({ programDir: path.join(__dirname, "fixtures", "adopt"), files: { "Pulumi.yaml": program("Lobby") } });
      try {
        await stack.useEmulator(emu.url);
        const shownBy = (stdout: string) => /groupId\s*:\s*"(lobby[a-z0-9]{8})"/.exec(stdout)?.[1];
        const shown = shownBy((await stack.ok(["preview"])).stdout);
        expect(shown).toBeDefined();
        const preview = await stack.ok(["preview", "--save-plan", "plan.json"]);
        expect(shownBy(preview.stdout)).toBe(shown);
        await stack.ok(["up", "--yes", "--plan", "plan.json"]);
        const created = (await stack.outputs()).groupId;
        expect(created).toBe(shown);

        await stack.ok(["config", "set", "unused", "x"]);
        await stack.up();
        expect((await stack.outputs()).groupId).toBe(created);

        // An in-place update of the app: its appId is a stable output, so the preview does not replace its groups.
        fs.writeFileSync(path.join(stack.dir, "Pulumi.yaml"), program("Lobby", "https://hooks.example.com/live"));
        const update = await stack.ok(["preview", "--diff"]);
        expect(update.stdout).toMatch(/~ 1 to update/);
        expect(update.stdout).not.toMatch(/replace/);
        await stack.up();
        expect((await stack.outputs()).groupId).toBe(created);

        fs.writeFileSync(path.join(stack.dir, "Pulumi.yaml"), program("Hall", "https://hooks.example.com/live"));
        const replace = await stack.ok(["preview", "--diff"]);
        expect(replace.stdout).toMatch(/\+-\s*livemessage:index:Group: \(replace\)/);
        await stack.up();
        const replaced = (await stack.outputs()).groupId as string;
        expect(replaced).toMatch(/^lobby[a-z0-9]{8}$/);
        expect(replaced).not.toBe(created);
      } catch (e) {
        throw new Error(`${(e as Error).message}\n--- CLI log ---\n${stack.log.join("\n").slice(-20_000)}`);
      } finally {
        await stack.dispose();
      }
    },
    { language: "yaml" },
  );
});
