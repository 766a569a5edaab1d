// Adopting an existing estate with the native plugin under the real CLI, as README "Adopting an existing estate"
// describes: `livemessage-import <appId>` writes the import file, `pulumi import --file` adopts every group in one
// deployment and writes their YAML, which goes into the program; the next preview must change nothing. Shared by
// test/native/import.test.ts (1,000 groups) and bench/import/run.ts (5,000 groups, timed).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { LiveClient } from "../../provider";
import { REPO_ROOT } from "../engine/support";
import { CliStack, exec } from "./cli";

export const ADOPT_PROGRAM = path.join(__dirname, "fixtures", "adopt");

export interface AdoptFigures {
  groups: number;
  /** Making the estate (throttling off), seconds. */
  setupSeconds: number;
  /** livemessage-import listing the app's groups and writing the file. */
  listSeconds: number;
  /** `pulumi import --file` of every group (and the app), at the emulator's 50 QPS per action. */
  importSeconds: number;
  /** `pulumi preview --expect-no-changes` with the generated code in the program. */
  previewSeconds: number;
  importedResources: number;
  generatedLines: number;
  skipCheckpoints: boolean;
}

const seconds = (t0: number) => Math.round((Date.now() - t0) / 100) / 10;

/**
 * An app with `groups` groups in an emulator that throttles like the real gateway (50 QPS per AccessKeyId and
 * action). The estate is made with throttling off and a data directory, then the emulator restarts on it throttled.
 */
export async function throttledEstate(groups: number): Promise<{ emu: Emulator; appId: string; dataDir: string; setupSeconds: number }> {
  const t0 = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lm-estate-"));
  const maker = await startEmulator({ port: 0, throttle: false, dataDir });
  const client = new LiveClient({ endpoint: maker.url, credentials: { ...DEFAULT_CREDENTIALS } });
  let appId: string;
  try {
    appId = ((await client.call("CreateLiveMessageApp", { AppName: "estate", DataCenter: "cn-shanghai" })) as { AppId: string }).AppId;
    const ids = Array.from({ length: groups }, (_, i) => `room${String(i).padStart(5, "0")}`);
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(
        ids.slice(i, i + 50).map((id, j) =>
          client.call("CreateLiveMessageGroup", {
            AppId: appId,
            GroupId: id,
            GroupName: `Room ${i + j}`,
            DataCenter: "cn-shanghai",
            ...((i + j) % 3 === 0 ? { Administrators: ["ops1"] } : {}),
          }),
        ),
      );
    }
  } finally {
    await client.close();
    await maker.stop();
  }
  const emu = await startEmulator({ port: 0, throttle: true, dataDir });
  return { emu, appId, dataDir, setupSeconds: seconds(t0) };
}

/**
 * `skipCheckpoints`: PULUMI_SKIP_CHECKPOINTS=true during the import, as README "Adopting an existing estate"
 * recommends for big imports into a file backend — the engine otherwise rewrites the whole state after every
 * resource, which makes the import's cost grow with the square of its size (measured: 57 s instead of 25 s for
 * 1,000 groups).
 */
export async function adopt(groups: number, options: { skipCheckpoints?: boolean } = {}): Promise<AdoptFigures> {
  const estate = await throttledEstate(groups);
  const stack = await CliStack.create({ programDir: ADOPT_PROGRAM, env: options.skipCheckpoints ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {} });
  try {
    await stack.useEmulator(estate.emu.url);
    let t0 = Date.now();
    await exec(process.execPath, [path.join(REPO_ROOT, "dist", "plugin", "import-command.js"), estate.appId, "--with-app", "--app-name", "estate", "--out", "groups.json"], {
      cwd: stack.dir,
      env: {
        ...process.env,
        LIVEMESSAGE_ENDPOINT: estate.emu.url,
        ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_CREDENTIALS.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_CREDENTIALS.accessKeySecret,
        ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true",
      },
    });
    const listSeconds = seconds(t0);

    t0 = Date.now();
    const imported = await stack.ok(["import", "--file", "groups.json", "--yes", "--skip-preview", "--protect=false", "--out", "generated.yaml"], 3_600_000);
    const importSeconds = seconds(t0);
    const count = Number(/= (\d+) imported/.exec(imported.stdout)?.[1] ?? 0);

    const generated = fs.readFileSync(path.join(stack.dir, "generated.yaml"), "utf8");
    const program = fs.readFileSync(path.join(stack.dir, "Pulumi.yaml"), "utf8");
    fs.writeFileSync(path.join(stack.dir, "Pulumi.yaml"), `${program.replace("resources: {}\n", "")}${generated}`);

    t0 = Date.now();
    await stack.ok(["preview", "--expect-no-changes"], 3_600_000);
    const previewSeconds = seconds(t0);
    return {
      groups,
      setupSeconds: estate.setupSeconds,
      listSeconds,
      importSeconds,
      previewSeconds,
      importedResources: count,
      generatedLines: generated.split("\n").length,
      skipCheckpoints: options.skipCheckpoints === true,
    };
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- CLI log ---\n${stack.log.join("\n").slice(-10_000)}`);
  } finally {
    // The adopted groups stay in the emulator; the stack is removed with the temporary directory.
    await stack.run(["stack", "rm", "--yes", "--force"]).catch(() => undefined);
    fs.rmSync(stack.root, { recursive: true, force: true });
    await estate.emu.stop();
    fs.rmSync(estate.dataDir, { recursive: true, force: true });
  }
}
