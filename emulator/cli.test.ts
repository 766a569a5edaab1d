import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Agent } from "undici";
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
    expect(parseCliArgs([])).toEqual({ port: DEFAULT_CLI_PORT, host: "127.0.0.1", throttle: true, verifySignatures: true, help: false });
    expect(parseCliArgs(["--port", "0", "--host", "0.0.0.0", "--data-dir", "d", "--no-throttle", "--no-verify", "--seed", "42"])).toEqual({
      port: 0,
      host: "0.0.0.0",
      dataDir: "d",
      throttle: false,
      verifySignatures: false,
      seed: 42,
      help: false,
    });
    expect(parseCliArgs(["-h"]).help).toBe(true);
  });

  it("rejects bad input readably", () => {
    expect(() => parseCliArgs(["--port", "http"])).toThrow(/--port must be an integer/);
    expect(() => parseCliArgs(["--port", "70000"])).toThrow(/--port/);
    expect(() => parseCliArgs(["--seed", "-1"])).toThrow();
    expect(() => parseCliArgs(["--bogus"])).toThrow(/bogus/);
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

  it("CRASH: SIGKILL while mutations stream in loses no acknowledged write", async () => {
    const dataDir = tempDir();
    const c = cli(["--port", "0", "--data-dir", dataDir, "--no-throttle", "--seed", "17"]);
    const url = await waitForUrl(c);
    const agent = new Agent({ connections: 16 });
    const app = await callV1(url, "CreateLiveMessageApp", { AppName: "crash" }, key, { dispatcher: agent });
    expect(app.status).toBe(200);
    const appId = app.json.AppId as string;
    const acknowledged: string[] = [];
    let next = 0;
    let killed = false;
    const workers = Array.from({ length: 12 }, async () => {
      while (!killed) {
        const groupId = `g${next++}`;
        try {
          const r = await callV1(url, "CreateLiveMessageGroup", { AppId: appId, GroupId: groupId }, key, { method: "POST", form: true, dispatcher: agent });
          if (r.status === 200 && r.json.AlreadyExists === false) acknowledged.push(groupId);
        } catch {
          // The connection died with the process: not acknowledged.
        }
      }
    });
    // Let writes stream, force a compaction mid-way (snapshot + log), then kill -9 with requests in flight.
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 5));
    expect((await admin(url, "POST", "/compact")).json.compacted).toBe(true);
    while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 5));
    c.child.kill("SIGKILL");
    killed = true;
    expect(await c.exited).toBe("SIGKILL");
    await Promise.all(workers);
    await agent.close();
    const ackedAtKill = [...acknowledged];
    expect(ackedAtKill.length).toBeGreaterThanOrEqual(300);

    const restarted = cli(["--port", "0", "--data-dir", dataDir, "--no-throttle", "--seed", "17"]);
    const url2 = await waitForUrl(restarted);
    const check = new Agent({ connections: 8 });
    const missing: string[] = [];
    for (let i = 0; i < ackedAtKill.length; i += 25) {
      const batch = ackedAtKill.slice(i, i + 25);
      const results = await Promise.all(
        batch.map((groupId) => callV1(url2, "DescribeLiveMessageGroup", { AppId: appId, GroupId: groupId }, key, { dispatcher: check })),
      );
      results.forEach((r, j) => {
        if (r.status !== 200 || r.json.Delete !== false) missing.push(batch[j]!);
      });
    }
    await check.close();
    expect(missing).toEqual([]);
    restarted.child.kill("SIGTERM");
    expect(await restarted.exited).toBe(0);
  });
});
