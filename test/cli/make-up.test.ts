// The README's first command as a newcomer runs it: `make up` with no pulumi on PATH gets one through
// `make pulumi-cli`, starts the emulator and deploys the quickstart; `make down` destroys it and stops the emulator.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../engine/support";
import { runCommand, type RunResult } from "./support";

jest.setTimeout(600_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const which = (cmd: string): string | undefined => {
  try {
    return execFileSync("bash", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
};

describe("make up / make down", () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  let url: string;
  const make = (target: string): Promise<RunResult> => runCommand("make", ["-s", target], { cwd: REPO_ROOT, env, timeoutMs: 540_000 });
  const health = async (): Promise<boolean> => {
    try {
      return (await fetch(`${url}/_emulator/health`)).ok;
    } catch {
      return false;
    }
  };

  const stackConfig = path.join(REPO_ROOT, "examples", "quickstart", "Pulumi.dev.yaml");
  let hadStackConfig = false;

  beforeAll(async () => {
    hadStackConfig = fs.existsSync(stackConfig);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "make-up-"));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // A PATH with node, npm, make, git and go, but no pulumi: `make up` must get the CLI itself.
    const dirs = [path.dirname(process.execPath), ...["go", "make", "git"].map((c) => which(c)).filter((p): p is string => !!p).map((p) => path.dirname(p)), "/usr/bin", "/bin"];
    const PATH = [...new Set(dirs)].filter((d) => !fs.existsSync(path.join(d, "pulumi"))).join(path.delimiter);
    env = {
      ...process.env,
      PATH,
      LIVEMESSAGE_PULUMI_BIN: "", // not the test run's CLI: the script must find (or build) its own
      LIVEMESSAGE_EMULATOR_PORT: String(port),
      LIVEMESSAGE_EMULATOR_DATA: path.join(tmp, "emulator-data"),
      LIVEMESSAGE_STATE_DIR: path.join(tmp, "state"),
      PULUMI_HOME: path.join(tmp, "pulumi-home"),
      PULUMI_CONFIG_PASSPHRASE: "",
      PULUMI_SKIP_UPDATE_CHECK: "true",
    };
  });
  afterAll(() => {
    // If a step failed half-way, stop the emulator make up started.
    const pidFile = path.join(tmp, "emulator-data", "emulator.pid");
    if (fs.existsSync(pidFile)) {
      try {
        process.kill(Number(fs.readFileSync(pidFile, "utf8")), "SIGTERM");
      } catch {
        // already gone
      }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    // The stack config make up wrote (git-ignored) belongs to this test's temporary backend.
    if (!hadStackConfig) fs.rmSync(stackConfig, { force: true });
  });

  it("make up deploys the quickstart against a fresh emulator, with no pulumi on PATH", async () => {
    const r = await make("up");
    if (r.code !== 0) throw new Error(`make up exited with ${r.code}:\n${r.output.slice(-4000)}`);
    expect(r.output).toMatch(/\[pulumi-cli\]/); // the CLI came from `make pulumi-cli`
    expect(r.output).toMatch(/5 created/);
    expect(await health()).toBe(true);
    const state = (await (await fetch(`${url}/_emulator/state`)).json()) as { apps: { groups: unknown[] }[] };
    expect(state.apps).toHaveLength(1);
    expect(state.apps[0]!.groups).toHaveLength(3);
  });

  it("a second make up changes nothing", async () => {
    const r = await make("up");
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/5 unchanged/);
  });

  it("make down destroys the stack and stops the emulator", async () => {
    const r = await make("down");
    if (r.code !== 0) throw new Error(`make down exited with ${r.code}:\n${r.output.slice(-4000)}`);
    expect(r.output).toMatch(/5 deleted/);
    expect(r.output).toMatch(/emulator stopped/);
    for (let i = 0; i < 50 && (await health()); i++) await new Promise((res) => setTimeout(res, 100));
    expect(await health()).toBe(false);
  });
});
