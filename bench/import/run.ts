/**
 * Bulk adoption benchmark: an app with 5,000 groups (default) in an emulator throttling at the documented 50 QPS
 * per action, adopted into a Pulumi YAML stack with `livemessage-import` + one `pulumi import --file` under the real
 * CLI, then `pulumi preview --expect-no-changes` with the generated code. Prints JSON figures (seconds); never fails
 * on time. Needs the Pulumi CLI (`make pulumi-cli`) and a build (`npm run build`).
 *
 *     node -r ./emulator/test-support/register-ts.js bench/import/run.ts [--groups 5000] [--with-checkpoints]
 */
import { adopt } from "../../test/native/adopt";
import { pulumiBin } from "../../test/cli/support";

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

async function main(): Promise<void> {
  const groups = Number(arg("--groups") ?? 5000);
  try {
    pulumiBin(); // $LIVEMESSAGE_PULUMI_BIN, else `make pulumi-cli`'s (built once when missing)
  } catch (e) {
    console.log(JSON.stringify({ error: `no pulumi CLI (${(e as Error).message}): run \`make pulumi-cli\`` }));
    process.exitCode = 1;
    return;
  }
  const withCheckpoints = process.argv.includes("--with-checkpoints");
  const figures = await adopt(groups, { skipCheckpoints: !withCheckpoints });
  // The part the service's rate limit bounds: one DescribeLiveMessageGroup per group at 50 per second.
  const qpsBoundSeconds = groups / 50;
  console.log(JSON.stringify({ ...figures, qpsBoundSeconds, importPerSecond: Math.round((groups / figures.importSeconds) * 10) / 10 }, null, 2));
}

void main();
