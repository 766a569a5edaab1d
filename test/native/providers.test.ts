// Two accounts in one program under the real CLI, in each language of the native plugin: the default provider
// (stack config) manages an app in the first account, an explicit `livemessage.Provider("second", …)` with other
// credentials and region manages an app and a group in the second — and its secret stays encrypted in the state.
import * as path from "node:path";
import { startEmulator, DEFAULT_CREDENTIALS, type Emulator } from "../../emulator";
import type { StoreSnapshot } from "../../emulator/service/state";
import { CliStack, itWithCli, pythonVirtualenv } from "./cli";

jest.setTimeout(900_000);

const SECOND = { accessKeyId: "second-account-key", accessKeySecret: "second-account-secret-do-not-leak" };
const FIXTURES = path.join(__dirname, "fixtures");

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, credentials: [DEFAULT_CREDENTIALS, SECOND] });
});
afterAll(() => emu?.stop());

const cases: [string, string, ((dir: string) => Promise<Record<string, string>>) | undefined][] = [
  ["yaml", "two-accounts-yaml", undefined],
  ["python", "two-accounts-python", pythonVirtualenv],
  ["go", "two-accounts-go", undefined],
];

describe.each(cases)("two providers, two accounts (%s)", (language, fixture, prepare) => {
  itWithCli(
    "each provider manages its own account; the second provider's region is its resources' default",
    async () => {
      const stack = await CliStack.create({ programDir: path.join(FIXTURES, fixture), prepare });
      try {
        await stack.useEmulator(emu.url);
        await stack.ok(["config", "set", "secondAccessKeyId", SECOND.accessKeyId]);
        await stack.ok(["config", "set", "--secret", "secondAccessKeySecret", SECOND.accessKeySecret]);
        await stack.up();
        const out = (await stack.outputs()) as { firstAppId: string; secondAppId: string; secondDataCenter: string; secondLobby: string };
        const apps = (emu.service.snapshot() as StoreSnapshot).apps;
        const first = apps.find((a) => a.appId === out.firstAppId)!;
        const second = apps.find((a) => a.appId === out.secondAppId)!;
        expect(first.accountId).not.toBe(second.accountId);
        expect(second).toMatchObject({ appName: "second", dataCenter: "ap-southeast-1" });
        expect(first.dataCenter).toBe("cn-shanghai");
        expect(out.secondDataCenter).toBe("ap-southeast-1");
        expect(second.groups.map((g) => g.groupId)).toEqual([out.secondLobby]);
        expect(JSON.stringify(await stack.exported())).not.toContain(SECOND.accessKeySecret);
        await stack.expectNoChanges();
        await stack.ok(["destroy", "--yes", "--skip-preview"]);
        expect((emu.service.snapshot() as StoreSnapshot).apps.find((a) => a.appId === out.secondAppId)!.groups.every((g) => g.deleted)).toBe(true);
      } catch (e) {
        throw new Error(`${(e as Error).message}\n--- CLI log ---\n${stack.log.join("\n").slice(-20_000)}`);
      } finally {
        await stack.dispose();
      }
    },
    { language },
  );
});
