// The Automation API variant of an example test: the real `pulumi` CLI with a local file backend, against an emulator.
// The CLI is the one `make pulumi-cli` provides (test/cli/support.ts `pulumiBin`): never skipped.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { pulumiBin } from "../cli/support";
import { prepareWorkspace } from "./harness/workspace";
import { REPO_ROOT, ensureBuilt } from "./support";

/** Puts the CLI's bin folder first on this process's PATH, where the Automation API looks for `pulumi`. */
export function usePulumiCli(): string {
  const bin = pulumiBin();
  const dirs = (process.env.PATH ?? "").split(path.delimiter);
  if (dirs[0] !== bin) process.env.PATH = [bin, ...dirs.filter((d) => d !== bin)].join(path.delimiter);
  return bin;
}

/** `it(name, fn)` with the real CLI on PATH (built by `make pulumi-cli` if needed). */
export function itWithPulumiCli(name: string, fn: () => Promise<void>, timeoutMs = 240_000): void {
  it(`${name} with the pulumi CLI`, async () => {
    usePulumiCli();
    await fn();
  }, timeoutMs);
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
