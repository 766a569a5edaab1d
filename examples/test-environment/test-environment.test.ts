// The test-environment example as CI runs it: through the real Pulumi provider process (engine-protocol harness)
// against the emulator, in both modes (a new app per run; groups in a shared app), including destroy; the CI driver
// (with the harness standing in for the Automation API, and with fakes for its failure paths); and with the
// Automation API where a `pulumi` CLI is on PATH.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import type { AppSnapshot, StoreSnapshot } from "../../emulator/service/state";
import { CreateLiveMessageApp, LiveClient, ModifyLiveMessageAppDisable } from "../../provider";
import { TestStack, type OperationResult } from "../../test/engine/harness";
import { itWithPulumiCli } from "../../test/engine/automation";
import { prepareWorkspace } from "../../test/engine/harness/workspace";
import { APP_TYPE, GROUP_TYPE, REPO_ROOT, SEED_TYPE, ensureBuilt, expectOk, opsOf } from "../../test/engine/support";
import {
  automationStack,
  parseDriverArgs,
  runTestEnvironment,
  stackNameFor,
  suiteEnvironment,
  type EnvironmentStack,
  type OutputValue,
} from "./driver";

jest.setTimeout(180000);

const TEST_ENV = __dirname;
const PACKAGES = { "pulumi-alicloud-livemessage": REPO_ROOT };
const GROUP_KEYS = ["events", "lobby", "support"];

let emu: Emulator;
let client: LiveClient;
const stacks: TestStack[] = [];

beforeAll(async () => {
  ensureBuilt();
  emu = await startEmulator({ port: 0 });
  client = new LiveClient({ endpoint: emu.url, credentials: { ...DEFAULT_CREDENTIALS } });
});
afterAll(async () => {
  for (const s of stacks) await s.dispose();
  await client?.close();
  await emu?.stop();
});

async function newStack(name: string, config: Record<string, string> = {}): Promise<TestStack> {
  const stack = await TestStack.create({
    programDir: TEST_ENV,
    stack: name,
    config: { "livemessage:endpoint": emu.url, "livemessage:accessKeyId": DEFAULT_CREDENTIALS.accessKeyId, ...config },
    secretConfig: { "livemessage:accessKeySecret": DEFAULT_CREDENTIALS.accessKeySecret },
    packages: PACKAGES,
  });
  stacks.push(stack);
  return stack;
}

const snapshot = () => JSON.parse(JSON.stringify(emu.service.snapshot())) as StoreSnapshot;
const appById = (appId: string): AppSnapshot => snapshot().apps.find((a) => a.appId === appId)!;
const liveGroupIds = (appId: string) => appById(appId).groups.filter((g) => !g.deleted).map((g) => g.groupId).sort();
const ops = (r: OperationResult) => ({ ...opsOf(r, APP_TYPE), ...opsOf(r, GROUP_TYPE), ...opsOf(r, SEED_TYPE) });
const changed = (r: OperationResult) => Object.fromEntries(Object.entries(ops(r)).filter(([, op]) => op !== "same"));
const groupIdsOf = (r: OperationResult) => r.outputs.groupIds!.value as Record<string, string>;
async function join(appId: string, groupId: string, userId: string): Promise<void> {
  const res = await fetch(`${emu.url}/_emulator/apps/${appId}/groups/${groupId}/members`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userId }),
  });
  expect(res.status).toBeLessThan(300);
}

// ---- mode 1: a new app per run ------------------------------------------------------------------------------------
describe("examples/test-environment, a new app per run, through the engine protocol", () => {
  let stack: TestStack;
  let appId = "";

  it("preview then up: an app and three groups named from the stack, deferred seed messages, and the outputs a suite needs", async () => {
    stack = await newStack("ci-1001");
    const preview = expectOk(await stack.preview());
    expect(ops(preview)).toEqual({
      app: "create",
      "ci-1001-lobby": "create",
      "ci-1001-support": "create",
      "ci-1001-events": "create",
      "ci-1001-lobby-welcome": "create",
      "ci-1001-events-welcome": "create",
    });
    expect(snapshot().apps).toEqual([]);

    const up = expectOk(await stack.up());
    appId = stack.resource("app")!.id!;
    const app = appById(appId);
    expect(up.outputs.mode.value).toBe("dedicated-app");
    expect(up.outputs.endpoint.value).toBe(emu.url);
    expect(up.outputs.appId.value).toBe(appId);
    expect(up.outputs.dataCenter.value).toBe("cn-shanghai");
    expect(app.appName).toBe("ci-1001");
    const groupIds = groupIdsOf(up);
    expect(Object.keys(groupIds).sort()).toEqual(GROUP_KEYS);
    for (const key of GROUP_KEYS) expect(groupIds[key]).toMatch(new RegExp(`^ci1001${key}[A-Za-z0-9]{8}$`));
    expect(liveGroupIds(appId)).toEqual(Object.values(groupIds).sort());
    expect(app.groups.find((g) => g.groupId === groupIds.lobby)).toMatchObject({ groupName: "ci-1001 Lobby", adminList: ["moderator1"] });
    // The client SDK credentials: secret outputs, encrypted in the state.
    expect(up.outputs.appSign).toEqual({ value: app.appSign, secret: true });
    expect(up.outputs.appKey).toEqual({ value: app.appKey, secret: true });
    expect(stack.exportState()).not.toContain(app.appSign);
    // Nobody is in the fresh groups: the welcome messages wait.
    expect(up.outputs.seedMessages.value).toEqual({
      lobby: { msgTid: expect.stringMatching(/^seed/), delivered: false },
      events: { msgTid: expect.stringMatching(/^seed/), delivered: false },
    });
  });

  it("once a test user joins the lobby, the next up delivers its welcome; the events one keeps waiting", async () => {
    const groupIds = groupIdsOf(expectOk(await stack.preview()));
    await join(appId, groupIds.lobby!, "tester1");
    const up = expectOk(await stack.up());
    expect(changed(up)).toEqual({ "ci-1001-lobby-welcome": "update", "ci-1001-events-welcome": "update" });
    const seeds = up.outputs.seedMessages.value as Record<string, { msgTid: string; delivered: boolean }>;
    expect(seeds.lobby!.delivered).toBe(true);
    expect(seeds.events!.delivered).toBe(false);
    const lobby = appById(appId).groups.find((g) => g.groupId === groupIds.lobby)!;
    expect(lobby.messages).toHaveLength(1);
    expect(lobby.messages[0]).toMatchObject({ msgTid: seeds.lobby!.msgTid, senderId: "system" });
    expect(JSON.parse(lobby.messages[0]!.body)).toEqual({ text: "Welcome! This is a test environment.", environment: "ci-1001" });
  });

  it("destroy deletes the groups and disables the app (there is no API to delete one), with a warning", async () => {
    const destroy = expectOk(await stack.destroy());
    expect(liveGroupIds(appId)).toEqual([]);
    expect(appById(appId).disable).toBe(true);
    expect(destroy.logsMatching(/was disabled, not deleted/).length).toBeGreaterThan(0);
  });

  it("with retainApp: true, destroy deletes the groups and leaves the app enabled", async () => {
    const retained = await newStack("ci-1002", { retainApp: "true" });
    expectOk(await retained.up());
    const id = retained.resource("app")!.id!;
    expect(liveGroupIds(id)).toHaveLength(3);
    expectOk(await retained.destroy());
    expect(liveGroupIds(id)).toEqual([]);
    expect(appById(id).disable).toBe(false);
  });
});

// ---- mode 2: groups in a shared app --------------------------------------------------------------------------------
describe("examples/test-environment, groups in a shared app (config appId), through the engine protocol", () => {
  let sharedId = "";
  let before: AppSnapshot;
  let runA: TestStack;
  let runB: TestStack;
  let firstA: Record<string, string>;
  /** Everything about the app except its groups: what "untouched" means. */
  const appFields = (a: AppSnapshot) => ({ ...a, groups: undefined, nextGroupSeq: undefined });

  beforeAll(async () => {
    // The long-lived app, made once outside the per-run stacks (here directly through the API).
    sharedId = (await CreateLiveMessageApp.invoke(client, { AppName: "ci-shared" })).AppId;
    before = appById(sharedId);
  });

  it("two parallel runs get their own groups in the shared app, with no App resource, and the app's secrets as secret outputs", async () => {
    runA = await newStack("ci-2001", { appId: sharedId });
    runB = await newStack("ci-2002", { appId: sharedId });
    // Concurrently, like two CI jobs: each its own provider process and quota tally.
    const [upA, upB] = (await Promise.all([runA.up(), runB.up()])).map(expectOk) as [OperationResult, OperationResult];
    for (const [up, prefix] of [[upA, "ci2001"], [upB, "ci2002"]] as const) {
      expect(Object.keys(opsOf(up, APP_TYPE))).toEqual([]);
      expect(Object.values(opsOf(up, GROUP_TYPE))).toEqual(["create", "create", "create"]);
      expect(up.outputs.mode.value).toBe("shared-app");
      expect(up.outputs.appId.value).toBe(sharedId);
      expect(up.outputs.dataCenter.value).toBe("cn-shanghai");
      expect(up.outputs.appSign).toEqual({ value: before.appSign, secret: true });
      for (const id of Object.values(groupIdsOf(up))) expect(id.startsWith(prefix)).toBe(true);
    }
    expect(runA.exportState()).not.toContain(before.appSign);
    firstA = groupIdsOf(upA);
    expect(liveGroupIds(sharedId)).toEqual([...Object.values(firstA), ...Object.values(groupIdsOf(upB))].sort());
  });

  it("destroying one run deletes only its groups and leaves the shared app untouched", async () => {
    const idsB = Object.values(groupIdsOf(expectOk(await runB.preview())));
    expectOk(await runA.destroy());
    expect(liveGroupIds(sharedId)).toEqual(idsB.sort());
    expect(appFields(appById(sharedId))).toEqual(appFields(before));
  });

  it("a re-run with the same run id gets new group IDs (a deleted group ID is never reusable) and cleans up again", async () => {
    const again = expectOk(await runA.up());
    const ids = groupIdsOf(again);
    for (const key of GROUP_KEYS) {
      expect(ids[key]).toMatch(new RegExp(`^ci2001${key}`));
      expect(ids[key]).not.toBe(firstA[key]);
    }
    expectOk(await runA.destroy());
    expectOk(await runB.destroy());
    expect(liveGroupIds(sharedId)).toEqual([]);
    expect(appFields(appById(sharedId))).toEqual(appFields(before));
  });

  it("an unknown or disabled shared app fails the run with a clear message and creates nothing", async () => {
    const run = await newStack("ci-2003", { appId: "nosuch1" });
    const count = snapshot().apps.length;
    const unknown = await run.preview();
    expect(unknown.error).toMatch(/config appId: cannot use the shared app nosuch1: /);

    await ModifyLiveMessageAppDisable.invoke(client, { AppId: sharedId, Disable: true });
    run.setConfig("appId", sharedId);
    const disabled = await run.up();
    expect(disabled.error).toMatch(new RegExp(`config appId: the shared app ${sharedId} \\(ci-shared\\) is disabled`));
    expect(ops(disabled)).toEqual({});
    expect(snapshot().apps).toHaveLength(count);
    expect(liveGroupIds(sharedId)).toEqual([]);
  });
});

// ---- the CI driver ------------------------------------------------------------------------------------------------
/** A stack of this program in the harness, behind the driver's interface (what the Automation API does with a CLI). */
async function harnessStack(name: string): Promise<EnvironmentStack> {
  const stack = await TestStack.create({ programDir: TEST_ENV, stack: name, packages: PACKAGES });
  stacks.push(stack);
  return {
    name,
    setConfig: async (key, value, secret) => stack.setConfig(key, value, { secret }),
    up: async () => expectOk(await stack.up()).outputs,
    destroy: async () => {
      expectOk(await stack.destroy());
    },
    remove: () => stack.dispose(),
  };
}

// The "test suite" the driver runs: records what it was given and what the emulator held while it ran, then fails.
const SUITE = `
const fs = require("fs");
const env = process.env;
fetch(env.LIVEMESSAGE_ENDPOINT + "/_emulator/state").then((r) => r.json()).then((state) => {
  const app = state.apps.find((a) => a.appId === env.LIVEMESSAGE_APP_ID);
  const vars = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith("LIVEMESSAGE_") || k.startsWith("ALIBABA_CLOUD_")));
  fs.writeFileSync(process.argv[1], JSON.stringify({ vars, cwd: process.cwd(), liveGroups: app.groups.filter((g) => !g.deleted).map((g) => g.groupId) }));
  process.exit(7);
});
`;

describe("examples/test-environment CI driver", () => {
  it("stands the environment up, runs the suite with its variables, tears it down although the suite failed, and returns the suite's exit code", async () => {
    const suiteDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "suite-")));
    const out = path.join(suiteDir, "seen.json");
    const lines: string[] = [];
    const code = await runTestEnvironment({
      runId: "4242/attempt 1",
      command: [process.execPath, "-e", SUITE, out],
      target: { kind: "emulator", url: emu.url, credentials: DEFAULT_CREDENTIALS },
      openStack: harnessStack,
      env: { PATH: process.env.PATH ?? "" },
      cwd: suiteDir,
      log: (l) => lines.push(l),
    });
    expect(code).toBe(7);
    const seen = JSON.parse(fs.readFileSync(out, "utf8")) as { vars: Record<string, string>; cwd: string; liveGroups: string[] };
    fs.rmSync(suiteDir, { recursive: true, force: true });
    expect(seen.cwd).toBe(suiteDir);
    const app = appById(seen.vars.LIVEMESSAGE_APP_ID!);
    const groupIds = JSON.parse(seen.vars.LIVEMESSAGE_GROUP_IDS!) as Record<string, string>;
    expect(app.appName).toBe("ci-4242-attempt-");
    expect(seen.vars).toEqual({
      LIVEMESSAGE_ENDPOINT: emu.url,
      LIVEMESSAGE_APP_ID: app.appId,
      LIVEMESSAGE_DATA_CENTER: "cn-shanghai",
      LIVEMESSAGE_GROUP_IDS: expect.any(String),
      LIVEMESSAGE_GROUP_ID_LOBBY: groupIds.lobby,
      LIVEMESSAGE_GROUP_ID_SUPPORT: groupIds.support,
      LIVEMESSAGE_GROUP_ID_EVENTS: groupIds.events,
      LIVEMESSAGE_APP_KEY: app.appKey,
      LIVEMESSAGE_APP_SIGN: app.appSign,
      ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_CREDENTIALS.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_CREDENTIALS.accessKeySecret,
    });
    expect(Object.keys(groupIds).sort()).toEqual(GROUP_KEYS);
    for (const id of Object.values(groupIds)) expect(id).toMatch(/^ci4242attempt1/);
    // While the suite ran, the groups existed; afterwards they are gone and the app is disabled.
    expect(seen.liveGroups.sort()).toEqual(Object.values(groupIds).sort());
    expect(liveGroupIds(app.appId)).toEqual([]);
    expect(app.disable).toBe(true);
    expect(lines.join("\n")).toContain("destroying ci-4242-attempt-1");
    expect(lines.join("\n")).not.toContain(app.appSign);
    expect(lines.join("\n")).not.toContain(app.appKey);
  });

  /** A recording stand-in for a stack, to exercise the driver's failure paths without a deployment. */
  function fakeStack(behaviour: { up?: () => Promise<Record<string, OutputValue>>; destroy?: () => Promise<void> }) {
    const calls: string[] = [];
    const stack: EnvironmentStack = {
      name: "ci-fake",
      setConfig: async (key) => void calls.push(`config ${key}`),
      up: async () => {
        calls.push("up");
        return (behaviour.up ?? (async () => ({})))();
      },
      destroy: async () => {
        calls.push("destroy");
        await behaviour.destroy?.();
      },
      remove: async () => void calls.push("remove"),
    };
    return { stack, calls };
  }
  const OUTPUTS: Record<string, OutputValue> = {
    endpoint: { value: "http://127.0.0.1:1" },
    appId: { value: "app1" },
    dataCenter: { value: "cn-shanghai" },
    groupIds: { value: { lobby: "lobby1" } },
    appKey: { value: "k", secret: true },
    appSign: { value: "s", secret: true },
  };
  const quiet = { log: () => undefined, env: { PATH: process.env.PATH ?? "" } };

  it("a failed up still tears down what was created, and the up's error is the one reported", async () => {
    const { stack, calls } = fakeStack({
      up: async () => {
        throw new Error("up failed");
      },
      destroy: async () => {
        throw new Error("destroy failed too");
      },
    });
    await expect(
      runTestEnvironment({ ...quiet, runId: "1", command: [process.execPath, "-e", ""], target: { kind: "alibaba-cloud" }, sharedAppId: "shared1", openStack: async () => stack }),
    ).rejects.toThrow("up failed");
    expect(calls).toEqual(["config appId", "up", "destroy"]);
  });

  it("a failed destroy fails the run even when the suite passed; --keep skips the teardown", async () => {
    const leaking = fakeStack({ up: async () => OUTPUTS, destroy: async () => Promise.reject(new Error("destroy failed")) });
    await expect(
      runTestEnvironment({ ...quiet, runId: "1", command: [process.execPath, "-e", ""], target: { kind: "alibaba-cloud" }, openStack: async () => leaking.stack }),
    ).rejects.toThrow("destroy failed");
    const kept = fakeStack({ up: async () => OUTPUTS });
    const code = await runTestEnvironment({
      ...quiet,
      runId: "1",
      command: [process.execPath, "-e", "process.exit(process.env.LIVEMESSAGE_GROUP_ID_LOBBY === 'lobby1' ? 0 : 1)"],
      target: { kind: "alibaba-cloud" },
      keep: true,
      openStack: async () => kept.stack,
    });
    expect(code).toBe(0);
    expect(kept.calls).toEqual(["up"]);
  });

  it("parses the command line and the CI's environment", () => {
    expect(parseDriverArgs(["--emulator", "--", "npm", "test"], { GITHUB_RUN_ID: "99", GITHUB_RUN_ATTEMPT: "2" })).toEqual({
      runId: "99-2",
      command: ["npm", "test"],
      target: { kind: "emulator" },
      keep: false,
    });
    expect(
      parseDriverArgs(["--shared-app", "abc123", "--data-center", "ap-southeast-1", "--keep", "--", "make", "e2e"], { CI_JOB_ID: "7", LIVEMESSAGE_EMULATOR_URL: "" }),
    ).toEqual({ runId: "7", command: ["make", "e2e"], target: { kind: "alibaba-cloud" }, sharedAppId: "abc123", dataCenter: "ap-southeast-1", keep: true });
    expect(parseDriverArgs(["--", "x"], { LIVEMESSAGE_EMULATOR_URL: "http://127.0.0.1:8787", LIVEMESSAGE_SHARED_APP_ID: "s1" }, () => 5)).toEqual({
      runId: "local-5",
      command: ["x"],
      target: { kind: "emulator", url: "http://127.0.0.1:8787" },
      sharedAppId: "s1",
      keep: false,
    });
    expect(() => parseDriverArgs(["--emulator"], {})).toThrow(/no test command/);
    expect(() => parseDriverArgs(["--data-center", "mars", "--", "x"], {})).toThrow(/--data-center must be/);
    expect(() => parseDriverArgs(["--colour", "--", "x"], {})).toThrow();
    expect(stackNameFor("4242/attempt 1")).toBe("ci-4242-attempt-1");
    expect(() => stackNameFor("///")).toThrow(/no letters or digits/);
    expect(suiteEnvironment(OUTPUTS)).toMatchObject({ LIVEMESSAGE_GROUP_IDS: '{"lobby":"lobby1"}', LIVEMESSAGE_GROUP_ID_LOBBY: "lobby1", LIVEMESSAGE_APP_SIGN: "s" });
    expect(() => suiteEnvironment({ ...OUTPUTS, appId: { value: undefined } })).toThrow(/stack output appId is missing/);
  });
});

// A second test with the real CLI through the Automation API (the driver's own path).
describe("examples/test-environment with the Automation API", () => {
  itWithPulumiCli(
    "the driver runs up, the suite and destroy",
    async () => {
      const state = fs.mkdtempSync(path.join(os.tmpdir(), "testenv-state-"));
      const workDir = prepareWorkspace({ programDir: TEST_ENV, packages: PACKAGES, nodeModules: path.join(REPO_ROOT, "node_modules") });
      const envVars = { PULUMI_BACKEND_URL: `file://${state}`, PULUMI_CONFIG_PASSPHRASE: "", PULUMI_SKIP_UPDATE_CHECK: "true" };
      try {
        const code = await runTestEnvironment({
          runId: "cli-1",
          command: [process.execPath, "-e", "process.exit(Object.keys(JSON.parse(process.env.LIVEMESSAGE_GROUP_IDS)).length === 3 ? 0 : 1)"],
          target: { kind: "emulator", url: emu.url, credentials: DEFAULT_CREDENTIALS },
          openStack: (name) => automationStack(name, workDir, envVars),
          log: () => undefined,
        });
        expect(code).toBe(0);
        const app = snapshot().apps.find((a) => a.appName === "ci-cli-1")!;
        expect(app.disable).toBe(true);
        expect(app.groups.every((g) => g.deleted)).toBe(true);
      } finally {
        fs.rmSync(state, { recursive: true, force: true });
        fs.rmSync(workDir, { recursive: true, force: true });
      }
    },
  );
});
