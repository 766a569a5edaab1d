// A fresh clone as CI and a new contributor get it (issue 13): `npm ci` accepts the lock file and leaves the tree
// clean while it builds the package; each example installs from its own lock file and type-checks with its own
// pinned TypeScript; and the GitHub Actions job in examples/test-environment/README.md runs, step by step.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import type { StoreSnapshot } from "../../emulator/service/state";
import { CreateLiveMessageApp, LiveClient } from "../../provider";
import { pulumiBin, runCommand } from "../cli/support";
import { REPO_ROOT } from "../engine/support";
import { cleanEnv, freshCheckout, gitStatus, npm } from "./checkout";

jest.setTimeout(900_000);

const yaml = require("js-yaml") as { load(text: string): unknown };

interface WorkflowStep {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

/** The first ```yaml block of a markdown file. */
function yamlBlock(file: string): unknown {
  const m = /```yaml\n([\s\S]*?)```/.exec(fs.readFileSync(file, "utf8"));
  if (!m) throw new Error(`${file} has no yaml block`);
  return yaml.load(m[1]!);
}

describe("a fresh clone", () => {
  let checkout: string;
  beforeAll(() => {
    checkout = freshCheckout();
  });
  afterAll(() => checkout && fs.rmSync(checkout, { recursive: true, force: true }));

  describe("the GitHub Actions job of examples/test-environment/README.md", () => {
    let emu: Emulator;
    let client: LiveClient;
    let tmp: string;
    let sharedAppId: string;
    let fakeBin: string;
    const suiteLog = () => path.join(tmp, "suite.log");

    beforeAll(async () => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-"));
      emu = await startEmulator({ port: 0 });
      client = new LiveClient({ endpoint: emu.url, credentials: { ...DEFAULT_CREDENTIALS } });
      sharedAppId = (await CreateLiveMessageApp.invoke(client, { AppName: "ci-shared" })).AppId;
      // `npm test` / `npm run test:cloud` are the user's own suites: a stand-in records what the driver handed them.
      // Every other npm command goes to the real npm.
      fakeBin = path.join(tmp, "bin");
      fs.mkdirSync(fakeBin);
      const realNpm = (await runCommand("bash", ["-c", "command -v npm"], { cwd: tmp, env: cleanEnv() })).stdout.trim();
      fs.writeFileSync(
        path.join(fakeBin, "npm"),
        `#!/usr/bin/env bash
if [ "$1" = "test" ] || { [ "$1" = "run" ] && [ "$2" = "test:cloud" ]; }; then
  echo "suite $* in $PWD: app=$LIVEMESSAGE_APP_ID groups=$LIVEMESSAGE_GROUP_IDS endpoint=$LIVEMESSAGE_ENDPOINT key=\${LIVEMESSAGE_APP_KEY:+set}" >> ${JSON.stringify(suiteLog())}
  exit 0
fi
exec ${JSON.stringify(realNpm)} "$@"
`,
        { mode: 0o755 },
      );
    });
    afterAll(async () => {
      await client?.close();
      await emu?.stop();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("runs every step: install, a hermetic run with its own emulator, and a shared-app run", async () => {
      const workflow = yamlBlock(path.join(REPO_ROOT, "examples", "test-environment", "README.md")) as { jobs: Record<string, { steps: WorkflowStep[] }> };
      const steps = Object.values(workflow.jobs)[0]!.steps;
      // What GitHub would put in ${{ secrets.* }} / ${{ vars.* }}: the emulator's keys, the shared app, a file backend.
      // "Alibaba Cloud" is the emulator here: LIVEMESSAGE_ENDPOINT is the provider's endpoint fallback.
      const values: Record<string, string> = {
        "secrets.ALIBABA_CLOUD_ACCESS_KEY_ID": DEFAULT_CREDENTIALS.accessKeyId,
        "secrets.ALIBABA_CLOUD_ACCESS_KEY_SECRET": DEFAULT_CREDENTIALS.accessKeySecret,
        "vars.LIVEMESSAGE_SHARED_APP_ID": sharedAppId,
        "vars.PULUMI_BACKEND_URL": `file://${fs.mkdtempSync(path.join(tmp, "backend-"))}`,
        "secrets.PULUMI_CONFIG_PASSPHRASE": "workflow-passphrase",
      };
      const expand = (v: string) =>
        v.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_m, key: string) => {
          if (!(key in values)) throw new Error(`the workflow uses \${{ ${key} }}, which this test does not provide`);
          return values[key]!;
        });
      let pathPrefix = fakeBin;
      const ran: string[] = [];
      for (const step of steps) {
        if (step.uses?.startsWith("actions/checkout")) {
          ran.push("checkout"); // the fresh copy made in beforeAll
          continue;
        }
        if (step.uses?.startsWith("actions/setup-node")) {
          ran.push(`node ${String(step.with?.["node-version"])}`); // this test process's Node (20 or 22: both runs of .ci/run)
          continue;
        }
        if (step.uses?.startsWith("pulumi/actions")) {
          pathPrefix = `${fakeBin}${path.delimiter}${pulumiBin()}`;
          ran.push("pulumi CLI");
          continue;
        }
        if (!step.run) throw new Error(`unexpected step ${JSON.stringify(step)}`);
        const env = cleanEnv({
          PATH: `${pathPrefix}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
          PULUMI_SKIP_UPDATE_CHECK: "true",
          PULUMI_HOME: path.join(tmp, "pulumi-home"),
          LIVEMESSAGE_RUN_ID: `wf-${ran.length}`,
          ...(step.env ? { LIVEMESSAGE_ENDPOINT: emu.url } : {}),
          ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v))])),
        });
        const r = await runCommand("bash", ["-eo", "pipefail", "-c", step.run], { cwd: checkout, env, timeoutMs: 600_000 });
        if (r.code !== 0) throw new Error(`step \`${step.run}\` exited with ${r.code}:\n${r.output.slice(-6000)}`);
        ran.push(step.run);
      }
      expect(ran.filter((s) => s.startsWith("npm run ci"))).toHaveLength(2);

      const suites = fs.readFileSync(suiteLog(), "utf8").trim().split("\n");
      expect(suites).toHaveLength(2);
      // The hermetic run: its own emulator (not ours), a new app; the suite ran where npm was started (the root).
      expect(suites[0]).toMatch(new RegExp(`^suite test in ${checkout}: app=\\w+ groups=\\{.*"lobby".*\\} endpoint=http://127\\.0\\.0\\.1:\\d+ key=set$`));
      expect(suites[0]).not.toContain(emu.url);
      // The shared-app run: the groups were created in the shared app of "Alibaba Cloud", and torn down afterwards.
      expect(suites[1]).toMatch(new RegExp(`^suite run test:cloud in ${checkout}: app=${sharedAppId} groups=\\{.*"lobby".*\\} endpoint=${emu.url} key=set$`));
      const shared = (emu.service.snapshot() as StoreSnapshot).apps.find((a) => a.appId === sharedAppId)!;
      expect(shared.groups).toHaveLength(3);
      expect(shared.groups.every((g) => g.deleted)).toBe(true);
      expect(shared.disable).toBe(false);
      expect(gitStatus(checkout)).toBe("");
    });
  });

  // After the job: its first step was the root's `npm ci`.
  it("npm ci accepts the lock file, builds dist/ (prepare) and leaves git status clean", () => {
    expect(fs.existsSync(path.join(checkout, "dist", "sdk", "index.js"))).toBe(true);
    expect(gitStatus(checkout)).toBe("");
  });

  it.each(["quickstart", "gitops"])("examples/%s installs from its lock file and type-checks with its own TypeScript", async (name) => {
    const dir = path.join(checkout, "examples", name);
    await npm(dir, ["ci"]);
    const own = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    const version = JSON.parse(fs.readFileSync(path.join(dir, "node_modules", "typescript", "package.json"), "utf8")).version as string;
    expect(version).toMatch(new RegExp(`^${own.devDependencies.typescript!.replace(/^[~^]/, "").split(".").slice(0, 2).join("\\.")}\\.`));
    const tsc = await runCommand(process.execPath, [path.join(dir, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", "."], { cwd: dir, env: cleanEnv() });
    expect(tsc.output.trim()).toBe("");
    expect(tsc.code).toBe(0);
    expect(gitStatus(checkout)).toBe("");
  });

});
