import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_CLI_PORT, parseCliArgs, USAGE } from "./cli";
import { DEFAULT_CREDENTIALS } from "./server";
import { admin, callV1 } from "./test-support/client";
import { spawnCli, waitForUrl, type SpawnedCli } from "./test-support/spawn-cli";

const key = DEFAULT_CREDENTIALS;
const dirs: string[] = [];
const children: SpawnedCli[] = [];

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "lm-cli-"));
  dirs.push(d);
  return d;
}

function cli(args: readonly string[]): SpawnedCli {
  const c = spawnCli(args);
  children.push(c);
  return c;
}

afterAll(() => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGKILL");
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("parseCliArgs", () => {
  it("defaults and flags", () => {
    expect(parseCliArgs([])).toEqual({ command: "serve", port: DEFAULT_CLI_PORT, host: "127.0.0.1", throttle: true, verifySignatures: true, repair: false, help: false });
    expect(
      parseCliArgs(["--port", "0", "--host", "0.0.0.0", "--data-dir", "d", "--no-throttle", "--no-verify", "--seed", "42", "--compact-every", "10", "--repair", "--admin-token", "s3cret-token"]),
    ).toEqual({
      command: "serve",
      port: 0,
      host: "0.0.0.0",
      dataDir: "d",
      throttle: false,
      verifySignatures: false,
      seed: 42,
      compactEvery: 10,
      repair: true,
      adminToken: "s3cret-token",
      help: false,
    });
    expect(parseCliArgs(["-h"]).help).toBe(true);
    expect(parseCliArgs(["repair", "--data-dir", "d"])).toMatchObject({ command: "repair", dataDir: "d" });
  });

  it("reads the admin token from LIVEMESSAGE_EMULATOR_ADMIN_TOKEN; the flag wins", () => {
    expect(parseCliArgs([], { LIVEMESSAGE_EMULATOR_ADMIN_TOKEN: "from-the-env" }).adminToken).toBe("from-the-env");
    expect(parseCliArgs(["--admin-token", "from-the-flag"], { LIVEMESSAGE_EMULATOR_ADMIN_TOKEN: "from-the-env" }).adminToken).toBe("from-the-flag");
    expect(() => parseCliArgs(["--admin-token", "short"])).toThrow(/at least 8 characters/);
  });

  it("rejects bad input readably", () => {
    expect(() => parseCliArgs(["--port", "http"])).toThrow(/--port must be an integer/);
    expect(() => parseCliArgs(["--port", "70000"])).toThrow(/--port/);
    expect(() => parseCliArgs(["--seed", "-1"])).toThrow();
    expect(() => parseCliArgs(["--bogus"])).toThrow(/bogus/);
    expect(() => parseCliArgs(["repair"])).toThrow(/repair needs --data-dir/);
    expect(() => parseCliArgs(["serve"])).toThrow(/unknown command/);
    expect(() => parseCliArgs(["--compact-every", "0"])).toThrow(/--compact-every/);
  });

  it("--help lists every admin endpoint", () => {
    for (const endpoint of ["health", "metrics", "requests", "state", "reset", "compact", "apps/{appId}/groups/{groupId}/members", "apps/{appId}/groups/{groupId}/members/{userId}", "faults"]) {
      expect(USAGE).toContain(`/_emulator/${endpoint}`);
    }
    expect(USAGE).toContain("--admin-token");
    expect(USAGE).toContain("repair --data-dir");
  });
});

describe("livemessage-emulator CLI (spawned)", () => {
  it("--help prints the usage and exits 0", async () => {
    const c = cli(["--help"]);
    expect(await c.exited).toBe(0);
    expect(c.stdout()).toBe(USAGE);
    expect(c.stdout()).toMatch(/--data-dir/);
  });

  it("a bad flag exits 2 with the usage on stderr", async () => {
    const c = cli(["--port", "nope"]);
    expect(await c.exited).toBe(2);
    expect(c.stderr()).toMatch(/--port must be an integer/);
  });

  it("prints the URL and credentials, serves requests, and exits 0 on SIGTERM (and SIGINT)", async () => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const dataDir = tempDir();
      const c = cli(["--port", "0", "--data-dir", dataDir, "--seed", "3"]);
      const url = await waitForUrl(c);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(c.stdout()).toContain(`ALIBABA_CLOUD_ACCESS_KEY_ID=${key.accessKeyId}`);
      expect(c.stdout()).toContain(`ALIBABA_CLOUD_ACCESS_KEY_SECRET=${key.accessKeySecret}`);
      expect(c.stdout()).toContain(`livemessage:endpoint ${url}`);
      expect(c.stdout()).toContain(`LIVEMESSAGE_ENDPOINT=${url}`);
      const health = await admin(url, "GET", "/health");
      expect(health.json).toMatchObject({ status: "ok", durable: true, seed: 3 });
      expect((await callV1(url, "CreateLiveMessageApp", { AppName: "cli" }, key)).status).toBe(200);
      expect(fs.existsSync(path.join(dataDir, "emulator.lock"))).toBe(true);
      c.child.kill(signal);
      expect(await c.exited).toBe(0);
      expect(fs.existsSync(path.join(dataDir, "emulator.lock"))).toBe(false);
    }
  });

  it("says in plain words when the port is in use, the data directory is a file, or it is not writable", async () => {
    const first = cli(["--port", "0"]);
    const port = new URL(await waitForUrl(first)).port;
    const second = cli(["--port", port]);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(`port ${port} is in use — pass --port or stop the process using it`);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    const file = path.join(tempDir(), "a-file");
    fs.writeFileSync(file, "x");
    const onFile = cli(["--port", "0", "--data-dir", file]);
    expect(await onFile.exited).toBe(1);
    expect(onFile.stderr()).toContain(`the data directory ${file} is a file, not a directory — pass a directory to --data-dir`);

    // Not writable: a read-only directory (as root, permissions do not bind, so a sysfs directory stands in).
    let readOnly = path.join(tempDir(), "ro");
    fs.mkdirSync(readOnly, { mode: 0o500 });
    if (process.getuid?.() === 0) readOnly = "/sys/kernel";
    const ro = cli(["--port", "0", "--data-dir", readOnly]);
    expect(await ro.exited).toBe(1);
    expect(ro.stderr()).toMatch(new RegExp(`the data directory ${readOnly} is not writable \\((EACCES|EPERM|EROFS)\\) — pass a directory you can write to`));
  });

  it("repair: refuses a damaged directory, then `repair` moves the damage aside and the next start serves the verified prefix", async () => {
    const dataDir = tempDir();
    const a = cli(["--port", "0", "--data-dir", dataDir]);
    const url = await waitForUrl(a);
    for (const name of ["one", "two", "three"]) expect((await callV1(url, "CreateLiveMessageApp", { AppName: name }, key)).status).toBe(200);
    a.child.kill("SIGKILL");
    await a.exited;
    const log = path.join(dataDir, "wal.log");
    const buf = fs.readFileSync(log);
    const second = buf.indexOf(0x0a) + 1;
    buf[second + 30] = buf[second + 30]! ^ 0x01; // damage record 2 of 3
    fs.writeFileSync(log, buf);
    const refused = cli(["--port", "0", "--data-dir", dataDir]);
    expect(await refused.exited).toBe(1);
    expect(refused.stderr()).toContain(`wal.log, record 2 at byte offset ${second}`);
    expect(refused.stderr()).toContain(`livemessage-emulator repair --data-dir ${dataDir}`);
    const repair = cli(["repair", "--data-dir", dataDir]);
    expect(await repair.exited).toBe(0);
    expect(repair.stdout()).toMatch(/plus 1 verified log record\(s\), dropped 2 record\(s\)/);
    const moved = fs.readdirSync(dataDir).find((f) => f.startsWith("damaged-"))!;
    expect(fs.readdirSync(path.join(dataDir, moved))).toContain("wal.log");
    const b = cli(["--port", "0", "--data-dir", dataDir]);
    const url2 = await waitForUrl(b);
    const apps = await callV1(url2, "ListLiveMessageApps", { SortType: "1" }, key);
    expect(apps.json.AppList.map((x: { AppName: string }) => x.AppName)).toEqual(["one"]);
    b.child.kill("SIGTERM");
    expect(await b.exited).toBe(0);
  });

  it("refuses a data dir another emulator holds, with a clear message", async () => {
    const dataDir = tempDir();
    const first = cli(["--port", "0", "--data-dir", dataDir]);
    await waitForUrl(first);
    const second = cli(["--port", "0", "--data-dir", dataDir]);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toMatch(new RegExp(`in use by another LiveMessage emulator \\(pid ${first.child.pid}\\)`));
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
  });
});
