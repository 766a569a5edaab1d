// `make pulumi-cli` (scripts/pulumi-cli.sh): its last line of stdout is the bin folder; a second call builds nothing;
// a recent enough pulumi on PATH with its nodejs host is used as is; a module the Go proxy refuses is named, with the
// proxy's message; progress lines name the module and the elapsed time.
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../engine/support";
import { pulumiBin, runCommand, type RunResult } from "./support";

jest.setTimeout(180_000);

const SCRIPT = path.join(REPO_ROOT, "scripts", "pulumi-cli.sh");
const lastLine = (r: RunResult) => r.stdout.trimEnd().split("\n").pop();
const pinned = () => /github\.com\/pulumi\/pulumi\/pkg\/v3 v([0-9.]+)/.exec(fs.readFileSync(path.join(REPO_ROOT, "tools", "pulumi-cli", "cli", "go.mod"), "utf8"))![1];
/** PATH with the system folders and node, but no pulumi. */
const basePath = () =>
  [path.dirname(process.execPath), "/usr/local/go/bin", "/usr/local/bin", "/usr/bin", "/bin"].filter((d) => !fs.existsSync(path.join(d, "pulumi"))).join(path.delimiter);

function script(env: NodeJS.ProcessEnv, args: string[] = []): Promise<RunResult> {
  return runCommand("bash", [SCRIPT, ...args], { cwd: REPO_ROOT, env: { ...process.env, PATH: basePath(), ...env } });
}

describe("scripts/pulumi-cli.sh", () => {
  let tmp: string;
  beforeAll(() => {
    pulumiBin(); // the pinned build exists (make test made it; built here otherwise)
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cli-script-"));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("a second call builds nothing: the cached bin folder, with the CLI and its plugins, is the last line of stdout", async () => {
    const start = Date.now();
    const r = await script({}, ["--build"]);
    expect(r.code).toBe(0);
    const bin = path.join(REPO_ROOT, ".tools", "pulumi", pinned(), "bin");
    expect(lastLine(r)).toBe(bin);
    expect(r.stderr).toMatch(/already built/);
    expect(r.stderr).not.toMatch(/building/);
    expect(Date.now() - start).toBeLessThan(10_000);
    for (const f of ["pulumi", "pulumi-language-nodejs", "pulumi-language-python", "pulumi-language-yaml", "pulumi-language-go", "pulumi-resource-pulumi-nodejs"]) {
      expect(fs.statSync(path.join(bin, f)).mode & 0o111).not.toBe(0);
    }
    const version = await runCommand(path.join(bin, "pulumi"), ["version"], { cwd: tmp, env: { PATH: basePath(), HOME: tmp, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    expect(version.stdout.trim()).toBe(`v${pinned()}`);
  });

  it("uses a pulumi on PATH that is recent enough and has pulumi-language-nodejs beside it, and nothing else", async () => {
    const fake = (dir: string, version: string, withHost: boolean) => {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
      if (withHost) fs.writeFileSync(path.join(dir, "pulumi-language-nodejs"), "#!/bin/sh\n", { mode: 0o755 });
      return dir;
    };
    const good = fake(path.join(tmp, "good"), "v3.300.1", true);
    const r = await script({ PATH: `${good}:${basePath()}` });
    expect(r.code).toBe(0);
    expect(lastLine(r)).toBe(good);

    const built = path.join(REPO_ROOT, ".tools", "pulumi", pinned(), "bin");
    for (const [dir, why] of [
      [fake(path.join(tmp, "old"), "v3.100.0", true), "too old"],
      [fake(path.join(tmp, "nohost"), "v3.300.1", false), "no nodejs host"],
    ] as const) {
      const other = await script({ PATH: `${dir}:${basePath()}` });
      expect({ why, code: other.code, last: lastLine(other) }).toEqual({ why, code: 0, last: built });
      expect(other.stderr).toMatch(/not using/);
    }
  });

  describe("when the Go module proxy refuses a module", () => {
    let server: http.Server;
    let proxy: string;
    const requested: string[] = [];
    beforeAll(async () => {
      // Like proxy.golang.org for the nested language-host modules: 403 with a reason, after a moment.
      server = http.createServer((req, res) => {
        requested.push(req.url ?? "");
        setTimeout(() => {
          res.writeHead(403, { "content-type": "text/plain" });
          res.end("This module version is not available.");
        }, 2500);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      proxy = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("names the module and the proxy's message, shows progress with the elapsed time, and installs nothing", async () => {
      const modules = path.join(tmp, "modules");
      const mod = (dir: string, require: string) => {
        fs.mkdirSync(path.join(modules, dir), { recursive: true });
        fs.writeFileSync(path.join(modules, dir, "go.mod"), `module livemessage.local/${dir}\n\ngo 1.21\n\nrequire ${require}\n`);
        fs.writeFileSync(path.join(modules, dir, "go.sum"), "");
        fs.writeFileSync(path.join(modules, dir, "tools.go"), "//go:build tools\n\npackage tools\n");
      };
      mod("cli", "github.com/pulumi/pulumi/pkg/v3 v3.999.0");
      mod("language-hosts", "github.com/pulumi/pulumi/sdk/v3 v3.68.0");
      mod("yaml", "github.com/pulumi/pulumi-yaml v1.25.0");
      const tools = path.join(tmp, "tools");
      const r = await script(
        {
          PULUMI_CLI_MODULES: modules,
          PULUMI_CLI_TOOLS_DIR: tools,
          PULUMI_CLI_HEARTBEAT: "1",
          GOPROXY: proxy,
          GOMODCACHE: path.join(tmp, "gomodcache"),
          GOSUMDB: "off",
          GOFLAGS: "-modcacherw",
          GOTOOLCHAIN: "local",
        },
        ["--build"],
      );
      expect(r.code).not.toBe(0);
      expect(requested.some((u) => u.includes("/github.com/pulumi/pulumi/pkg/v3/@v/v3.999.0"))).toBe(true);
      expect(r.stderr).toMatch(/pulumi — github\.com\/pulumi\/pulumi\/pkg\/v3@v3\.999\.0/);
      expect(r.stderr).toMatch(/still downloading modules for github\.com\/pulumi\/pulumi\/pkg\/v3@v3\.999\.0 \(0m0[1-9]s\)/);
      expect(r.stderr).toMatch(
        /the Go module proxy refused github\.com\/pulumi\/pulumi\/pkg\/v3@v3\.999\.0: 403 Forbidden — This module version is not available\./,
      );
      expect(r.stdout.trim()).toBe("");
      expect(fs.existsSync(path.join(tools, "3.999.0", "bin"))).toBe(false);
      // Go's module cache is read-only by default; -modcacherw lets the temp folder be removed.
    });
  });
});
