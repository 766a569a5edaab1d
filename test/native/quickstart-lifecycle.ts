// The quickstart's lifecycle under the real CLI, for each language that has it on the native plugin
// (examples/python, examples/go): up creates the app and three groups, a preview shows no change, refresh keeps
// it so, destroy deletes the groups and disables the app — and the app's keys never reach the state in plain text.
import { startEmulator, type Emulator } from "../../emulator";
import type { StoreSnapshot } from "../../emulator/service/state";
import { CliStack, itWithCli } from "./cli";

export function describeQuickstart(language: "python" | "go", programDir: string, prepare?: (dir: string) => Promise<Record<string, string>>): void {
  describe(`examples/${language} (generated ${language} SDK, native plugin)`, () => {
    let emu: Emulator;
    beforeAll(async () => {
      emu = await startEmulator({ port: 0 });
    });
    afterAll(() => emu?.stop());

    itWithCli(
      "up creates the app and three groups; preview shows no change; refresh; destroy",
      async () => {
        const stack = await CliStack.create({ programDir, prepare });
        try {
          await stack.useEmulator(emu.url);
          await stack.up();
          const out = (await stack.outputs()) as { appId: string; groupIds: Record<string, string> };
          const app = (emu.service.snapshot() as StoreSnapshot).apps.find((a) => a.appId === out.appId)!;
          expect(app.appName).toBe("chat");
          expect(app.groups.map((g) => g.groupId).sort()).toEqual(Object.values(out.groupIds).sort());
          expect(out.groupIds.lobby).toMatch(/^lobby[a-z0-9]{8}$/);
          expect(app.groups.find((g) => g.groupId === out.groupIds.announcements)!.adminList).toEqual(["ops1", "ops2"]);
          expect(app.groups.find((g) => g.groupId === out.groupIds.support)!.groupInfo).toBe('{"topic":"help"}');
          expect(JSON.stringify(await stack.exported())).not.toContain(app.appKey);

          await stack.expectNoChanges();
          await stack.ok(["refresh", "--yes", "--skip-preview"]);
          await stack.expectNoChanges();
          await stack.ok(["destroy", "--yes", "--skip-preview"]);
          const after = (emu.service.snapshot() as StoreSnapshot).apps.find((a) => a.appId === out.appId)!;
          expect(after.groups.every((g) => g.deleted)).toBe(true);
          expect(after.disable).toBe(true);
        } catch (e) {
          throw new Error(`${(e as Error).message}\n--- CLI log ---\n${stack.log.join("\n").slice(-20_000)}`);
        } finally {
          await stack.dispose();
        }
      },
      { language },
    );
  });
}
