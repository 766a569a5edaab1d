// The Automation API variant of an example test: the real `pulumi` CLI with a local file backend, against an emulator.
// Runs only where a `pulumi` binary is on PATH; everywhere else the test is reported as skipped, with the reason in
// its name (these machines cannot install the CLI).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { findPulumiCli } from "./harness";
import { prepareWorkspace } from "./harness/workspace";
import { REPO_ROOT, ensureBuilt } from "./support";

/** `it(name, fn)` where a CLI exists, else a skipped test whose name says why. */
export function itWithPulumiCli(name: string, fn: () => Promise<void>): void {
  const cli = findPulumiCli();
  if (cli) it(`${name} with ${cli}`, fn);
  else it.skip(`${name} (skipped: no \`pulumi\` CLI on PATH)`, fn);
}

/** Gives `body` a `dev` stack of the program in a workspace copy, configured for a fresh emulator; cleans up after. */
export async function withAutomationStack(programDir: string, body: (stack: Stack, emu: Emulator) => Promise<void>): Promise<void> {
  ensureBuilt();
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const emu = await startEmulator({ port: 0 });
  const state = fs.mkdtempSync(path.join(os.tmpdir(), "automation-state-"));
  const workDir = prepareWorkspace({
    programDir,
    packages: { "pulumi-alicloud-livemessage": REPO_ROOT },
    nodeModules: path.join(REPO_ROOT, "node_modules"),
  });
  try {
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "dev", workDir },
      { envVars: { PULUMI_BACKEND_URL: `file://${state}`, PULUMI_CONFIG_PASSPHRASE: "", PULUMI_SKIP_UPDATE_CHECK: "true" } },
    );
    await stack.setAllConfig({
      "livemessage:endpoint": { value: emu.url },
      "livemessage:accessKeyId": { value: DEFAULT_CREDENTIALS.accessKeyId },
      "livemessage:accessKeySecret": { value: DEFAULT_CREDENTIALS.accessKeySecret, secret: true },
    });
    await body(stack, emu);
  } finally {
    fs.rmSync(state, { recursive: true, force: true });
    fs.rmSync(workDir, { recursive: true, force: true });
    await emu.stop();
  }
}
