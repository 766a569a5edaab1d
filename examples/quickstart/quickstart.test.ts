// The quickstart through the real Pulumi provider process (engine-protocol harness) against the emulator, and with the
// Automation API. Under the pulumi CLI itself: test/cli/quickstart.test.ts; `make up` / `make down`: test/cli/make-up.test.ts.
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import type { StoreSnapshot } from "../../emulator/service/state";
import { TestStack } from "../../test/engine/harness";
import { APP_TYPE, GROUP_TYPE, REPO_ROOT, ensureBuilt, expectOk, opsOf } from "../../test/engine/support";
import { itWithPulumiCli, withAutomationStack } from "../../test/engine/automation";

jest.setTimeout(180000);

const QUICKSTART = __dirname;

describe("examples/quickstart through the engine protocol", () => {
  let emu: Emulator;
  let stack: TestStack;

  beforeAll(async () => {
    ensureBuilt();
    emu = await startEmulator({ port: 0 });
    stack = await TestStack.create({
      programDir: QUICKSTART,
      config: { "livemessage:endpoint": emu.url, "livemessage:accessKeyId": DEFAULT_CREDENTIALS.accessKeyId },
      secretConfig: { "livemessage:accessKeySecret": DEFAULT_CREDENTIALS.accessKeySecret },
      packages: { "pulumi-alicloud-livemessage": REPO_ROOT },
    });
  });
  afterAll(async () => {
    await stack?.dispose();
    await emu?.stop();
  });

  it("up creates one app and three groups and exports their ids; a second up changes nothing; destroy cleans up", async () => {
    const preview = expectOk(await stack.preview());
    expect(opsOf(preview)).toEqual({ "livemessage-quickstart-dev": "create", chat: "create", lobby: "create", support: "create", announcements: "create" });

    const up = expectOk(await stack.up());
    expect(Object.values(opsOf(up, GROUP_TYPE))).toEqual(["create", "create", "create"]);
    const appId = stack.resource("chat")!.id!;
    expect(up.outputs.appId.value).toBe(appId);
    const groupIds = up.outputs.groupIds.value as Record<string, string>;
    expect(Object.keys(groupIds).sort()).toEqual(["announcements", "lobby", "support"]);
    const app = (emu.service.snapshot() as StoreSnapshot).apps.find((a) => a.appId === appId)!;
    expect(app.groups.map((g) => g.groupId).sort()).toEqual(Object.values(groupIds).sort());
    expect(app.groups.find((g) => g.groupId === groupIds.announcements)!.adminList).toEqual(["ops1", "ops2"]);

    const again = expectOk(await stack.up());
    expect(Object.values(opsOf(again, GROUP_TYPE)).every((op) => op === "same")).toBe(true);
    expect(opsOf(again, APP_TYPE)).toEqual({ chat: "same" });

    expectOk(await stack.destroy());
    const after = (emu.service.snapshot() as StoreSnapshot).apps.find((a) => a.appId === appId)!;
    expect(after.groups.every((g) => g.deleted)).toBe(true);
    expect(after.disable).toBe(true);
  });
});

// A second test with the real CLI through the Automation API (test/engine/automation.ts).
describe("examples/quickstart with the Automation API", () => {
  itWithPulumiCli("runs pulumi up and destroy", () =>
    withAutomationStack(__dirname, async (stack) => {
      const up = await stack.up();
      expect(up.summary.result).toBe("succeeded");
      expect(Object.keys((up.outputs.groupIds?.value ?? {}) as object).sort()).toEqual(["announcements", "lobby", "support"]);
      const again = await stack.preview();
      expect(again.changeSummary.same).toBeGreaterThanOrEqual(4);
      await stack.destroy();
    }),
  );
});
