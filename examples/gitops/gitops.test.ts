// The GitOps example as a pipeline runs it: the file format on its own (loader and `validate`), then the program
// through the real Pulumi provider process (engine-protocol harness) against the emulator — preview, up, edits of
// the files, a malformed file, destroy — and with the Automation API where a `pulumi` CLI is on PATH.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import type { AppSnapshot, StoreSnapshot } from "../../emulator/service/state";
import { TestStack, type OperationResult } from "../../test/engine/harness";
import { APP_TYPE, GROUP_TYPE, REPO_ROOT, SEED_TYPE, ensureBuilt, expectOk, opsOf } from "../../test/engine/support";
import { EnvironmentError, loadEnvironment } from "./environment";
import { validate } from "./validate";
import { itWithPulumiCli, withAutomationStack } from "../../test/engine/automation";

jest.setTimeout(180000);

const GITOPS = __dirname;
const SAMPLE = path.join(GITOPS, "environments", "dev");
const CHAT_FILE = "environments/dev/apps/chat.yaml";
const SUPPORT_FILE = "environments/dev/apps/support.yaml";
const SAMPLE_CHAT = fs.readFileSync(path.join(GITOPS, CHAT_FILE), "utf8");
const SAMPLE_SUPPORT = fs.readFileSync(path.join(GITOPS, SUPPORT_FILE), "utf8");
/** Resources the sample declares: 2 apps, 5 groups, 1 seed message. */
const ALL_COUNT = 8;

/** A textual edit of a file, as a user makes it; fails loudly if the sample no longer has the text. */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`sample file does not contain ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

// ---- the file format ------------------------------------------------------------------------------------------------
describe("examples/gitops environment files", () => {
  let dir: string;
  const write = (name: string, content: string) => fs.writeFileSync(path.join(dir, "apps", name), content);
  const problems = (): string[] => {
    try {
      loadEnvironment(dir, dir);
    } catch (e) {
      if (e instanceof EnvironmentError) return e.problems;
      throw e;
    }
    throw new Error("expected the environment to be rejected");
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-env-"));
    fs.mkdirSync(path.join(dir, "apps"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("loads the sample: 2 apps, 5 groups sorted by groupId, mappings as JSON with sorted keys, 1 deferred seed message", () => {
    const env = loadEnvironment(SAMPLE, GITOPS);
    expect(env.files).toEqual([CHAT_FILE, SUPPORT_FILE]);
    expect(env.apps.map((a) => [a.key, a.appName, a.groups.map((g) => g.groupId)])).toEqual([
      ["chat", "chat-dev", ["announcements", "lobby", "random"]],
      ["support", "support-dev", ["escalations", "tickets"]],
    ]);
    const lobby = env.apps[0]!.groups[1]!;
    expect(lobby.groupInfo).toBe(JSON.stringify({ language: "en", topic: "general" }));
    expect(lobby.seedMessages).toEqual([
      {
        key: "welcome",
        senderId: "system",
        msgType: 1,
        body: JSON.stringify({ text: "Welcome to the lobby!" }),
        whenInactive: "defer",
        source: `${CHAT_FILE}: groups[0].seedMessages[0]`,
      },
    ]);
  });

  it("names the file and the field of every problem: types, unknown fields, bad IDs, enums, YAML syntax", () => {
    write(
      "chat.yaml",
      [
        "app:",
        "  key: chat",
        "  dataCenter: mars",
        "  msgLifeCycle: 3",
        "groups:",
        "  - groupId: lob-by",
        "    administrators: ops1",
        "  - groupName: Nameless",
        "    groupname: typo",
        "    seedMessages:",
        "      - key: hi",
        "        whenInactive: later",
      ].join("\n"),
    );
    write("broken.yaml", "app:\n  key: broken\ngroups:\n  - groupId: a\n   bad: indent\n");
    const p = problems();
    expect(p).toEqual(
      expect.arrayContaining([
        "apps/chat.yaml: groups[0].groupId: must be letters and digits only",
        'apps/chat.yaml: groups[0].administrators: expected a list of user IDs, got "ops1"',
        "apps/chat.yaml: groups[1].groupId: required",
        "apps/chat.yaml: groups[1].groupname: unknown field",
        "apps/chat.yaml: groups[1].seedMessages[0].senderId: required",
        'apps/chat.yaml: groups[1].seedMessages[0].whenInactive: must be one of "fail", "wait", "defer", got "later"',
        'apps/chat.yaml: app.dataCenter: must be one of "cn-shanghai", "ap-southeast-1", got "mars"',
        "apps/chat.yaml: app.msgLifeCycle: must be 0, 1 or 2, got 3",
      ]),
    );
    expect(p.find((l) => l.startsWith("apps/broken.yaml:5:"))).toMatch(/^apps\/broken\.yaml:5:\d+: invalid YAML: /);
    expect(p).toHaveLength(9);
  });

  it("rejects duplicates across files and references to apps no file defines", () => {
    write("a.yaml", "app: {key: chat}\ngroups:\n  - groupId: lobby\n    seedMessages:\n      - {key: hi, senderId: sys}\n      - {key: hi, senderId: sys}\n");
    write("b.yaml", "app: chat\ngroups:\n  - groupId: lobby\n");
    write("c.yaml", "app: {key: chat}\n");
    write("d.yaml", "app: nosuch\n");
    write("e.yaml", "groups: []\n");
    write("f.yaml", "# nothing yet\n");
    expect(problems().sort()).toEqual(
      [
        "apps/a.yaml: groups[0].seedMessages[1].key: seed message \"hi\" is already declared at apps/a.yaml: groups[0].seedMessages[0]",
        'apps/b.yaml: groups[0].groupId: group "lobby" of app "chat" is already declared at apps/a.yaml: groups[0]',
        'apps/c.yaml: app.key: app "chat" is already defined in apps/a.yaml',
        'apps/d.yaml: app: no file defines app "nosuch" (defined: chat)',
        "apps/e.yaml: app: required (a mapping defines an app; a string names an app defined in another file, to add groups to it)",
        "apps/f.yaml: the file is empty (expected a mapping with `app` and `groups`)",
      ].sort(),
    );
  });

  it("refuses a missing or empty directory instead of declaring nothing", () => {
    expect(problems()).toEqual(["apps: no *.yaml files (to remove everything, run `pulumi destroy` instead)"]);
    fs.rmSync(path.join(dir, "apps"), { recursive: true });
    expect(problems()).toEqual(["apps: no such directory (expected one YAML file per app in it)"]);
  });

  it("validate prints a summary for a good environment and every problem of a bad one, with the exit code", () => {
    const lines: string[] = [];
    expect(validate([SAMPLE], (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual([`${SAMPLE}: ok — 2 apps, 5 groups, 1 seed messages in 2 files`]);
    write("x.yaml", "app: {key: x, colour: red}\n");
    lines.length = 0;
    expect(validate([SAMPLE, dir], (l) => lines.push(l))).toBe(1);
    expect(lines[1]).toMatch(/^1 problem in the LiveMessage environment files:\n {2}.*apps\/x\.yaml: app\.colour: unknown field$/);
    expect(validate([], () => undefined)).toBe(2);
  });
});

// ---- the program through the engine protocol ---------------------------------------------------------------------
describe("examples/gitops through the engine protocol", () => {
  let emu: Emulator;
  let stack: TestStack;

  const snapshot = () => JSON.parse(JSON.stringify(emu.service.snapshot())) as StoreSnapshot;
  const appNamed = (appName: string): AppSnapshot => snapshot().apps.find((a) => a.appName === appName)!;
  const group = (appName: string, groupId: string) => appNamed(appName).groups.find((g) => g.groupId === groupId);
  /** Step ops of our resources only (not the root stack). */
  const ops = (r: OperationResult) => ({ ...opsOf(r, APP_TYPE), ...opsOf(r, GROUP_TYPE), ...opsOf(r, SEED_TYPE) });
  const changed = (r: OperationResult) => Object.fromEntries(Object.entries(ops(r)).filter(([, op]) => op !== "same"));
  const writeChat = (text: string) => stack.writeFile(CHAT_FILE, text);

  beforeAll(async () => {
    ensureBuilt();
    emu = await startEmulator({ port: 0 });
    stack = await TestStack.create({
      programDir: GITOPS,
      config: { "livemessage:endpoint": emu.url, "livemessage:accessKeyId": DEFAULT_CREDENTIALS.accessKeyId },
      secretConfig: { "livemessage:accessKeySecret": DEFAULT_CREDENTIALS.accessKeySecret },
      packages: { "pulumi-alicloud-livemessage": REPO_ROOT },
    });
  });
  afterAll(async () => {
    await stack?.dispose();
    await emu?.stop();
  });

  const ALL = ["chat", "support", "chat/announcements", "chat/lobby", "chat/random", "support/escalations", "support/tickets", "chat/lobby/welcome"];

  it("preview shows the sample environment and writes nothing", async () => {
    const preview = expectOk(await stack.preview());
    expect(ops(preview)).toEqual(Object.fromEntries(ALL.map((n) => [n, "create"])));
    expect(preview.outputs.files.value).toEqual([CHAT_FILE, SUPPORT_FILE]);
    expect(snapshot().apps).toEqual([]);
  });

  it("up creates 2 apps, 5 pinned groups and the deferred seed message, and exports the summary", async () => {
    const up = expectOk(await stack.up());
    expect(ops(up)).toEqual(Object.fromEntries(ALL.map((n) => [n, "create"])));
    const apps = up.outputs.apps.value as Record<string, { appId: string; appName: string; dataCenter: string; groupIds: string[] }>;
    expect(apps).toEqual({
      chat: { appId: stack.resource("chat")!.id, appName: "chat-dev", dataCenter: "cn-shanghai", groupIds: ["announcements", "lobby", "random"] },
      support: { appId: stack.resource("support")!.id, appName: "support-dev", dataCenter: "cn-shanghai", groupIds: ["escalations", "tickets"] },
    });
    expect(appNamed("chat-dev").msgLifeCycle).toBe(1);
    expect(Object.fromEntries(appNamed("chat-dev").groups.map((g) => [g.groupId, g.adminList]))).toEqual({
      lobby: ["ops1"],
      announcements: ["ops1", "ops2"],
      random: [],
    });
    expect(group("chat-dev", "lobby")!.groupInfo).toBe('{"language":"en","topic":"general"}');
    expect(group("support-dev", "escalations")!.adminList).toEqual(["agent1", "lead1"]);
    // Nobody has joined the lobby yet: the welcome is recorded, not sent.
    expect(up.outputs.seeds.value).toEqual({ "chat/lobby/welcome": { msgTid: expect.stringMatching(/^seed[a-z0-9]{60}$/), delivered: false } });
    expect(group("chat-dev", "lobby")!.messages).toEqual([]);
  });

  it("a second up changes nothing: every app and group is the same and nothing is written (the deferred message is retried)", async () => {
    const before = snapshot();
    const again = expectOk(await stack.up());
    expect(changed(again)).toEqual({ "chat/lobby/welcome": "update" }); // a deferred message retries on every up, by design
    expect(snapshot()).toEqual(before);
    expect((again.outputs.seeds.value as Record<string, { delivered: boolean }>)["chat/lobby/welcome"]!.delivered).toBe(false);
  });

  it("once a user has joined the lobby, the next up delivers the welcome message", async () => {
    const lobby = group("chat-dev", "lobby")!;
    expect(lobby).toBeDefined();
    const appId = appNamed("chat-dev").appId;
    await fetch(`${emu.url}/_emulator/apps/${appId}/groups/lobby/members`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: "viewer1" }),
    }).then((r) => expect(r.status).toBeLessThan(300));
    const sent = expectOk(await stack.up());
    expect(changed(sent)).toEqual({ "chat/lobby/welcome": "update" });
    const seed = (sent.outputs.seeds.value as Record<string, { msgTid: string; delivered: boolean }>)["chat/lobby/welcome"]!;
    expect(seed.delivered).toBe(true);
    expect(group("chat-dev", "lobby")!.messages.map((m) => m.msgTid)).toEqual([seed.msgTid]);
  });

  it("renaming a file, moving a group to another file of the same app and reordering groups and keys changes nothing", async () => {
    fs.rmSync(path.join(stack.workDir, CHAT_FILE));
    stack.writeFile(
      "environments/dev/apps/10-chat.yaml",
      [
        "app: {msgLifeCycle: 1, dataCenter: cn-shanghai, appName: chat-dev, key: chat}",
        "groups:",
        "  - {groupId: random, groupName: Random}",
        "  - groupId: lobby",
        "    seedMessages:",
        "      - {whenInactive: defer, body: {text: Welcome to the lobby!}, msgType: 1, senderId: system, key: welcome}",
        "    groupInfo: {language: en, topic: general}",
        "    administrators: [ops1]",
        "    groupName: Lobby",
      ].join("\n"),
    );
    stack.writeFile("environments/dev/apps/20-chat-announcements.yaml", "app: chat\ngroups:\n  - {groupId: announcements, groupName: Announcements, administrators: [ops2, ops1]}\n");
    const preview = expectOk(await stack.preview());
    expect(changed(preview)).toEqual({});
    expect(Object.keys(ops(preview)).sort()).toEqual([...ALL].sort());
    // Back to the sample layout for the next steps.
    fs.rmSync(path.join(stack.workDir, "environments/dev/apps/10-chat.yaml"));
    fs.rmSync(path.join(stack.workDir, "environments/dev/apps/20-chat-announcements.yaml"));
    writeChat(SAMPLE_CHAT);
  });

  it("editing a file to add a group and change administrators creates and updates, nothing else", async () => {
    let chat = edit(SAMPLE_CHAT, "    administrators: [ops1]\n", "    administrators: [ops1, ops3]\n");
    chat = edit(chat, "  - groupId: random\n", "  - groupId: faq\n    groupName: FAQ\n    administrators: [ops3]\n  - groupId: random\n");
    writeChat(chat);
    const up = expectOk(await stack.up());
    expect(changed(up)).toEqual({ "chat/faq": "create", "chat/lobby": "update" });
    expect(group("chat-dev", "lobby")!.adminList).toEqual(["ops1", "ops3"]);
    expect(group("chat-dev", "faq")).toMatchObject({ groupName: "FAQ", adminList: ["ops3"], deleted: false });
    expect((up.outputs.apps.value as Record<string, { groupIds: string[] }>).chat!.groupIds).toEqual(["announcements", "faq", "lobby", "random"]);
  });

  it("removing a group from a file deletes it", async () => {
    const current = fs.readFileSync(path.join(stack.workDir, CHAT_FILE), "utf8");
    writeChat(edit(current, "  - groupId: random\n    groupName: Random\n", ""));
    const up = expectOk(await stack.up());
    expect(changed(up)).toEqual({ "chat/random": "delete" });
    expect(group("chat-dev", "random")!.deleted).toBe(true);
  });

  it("putting a deleted pinned group back fails with the way out; recoverDeleted: true brings it back", async () => {
    const current = fs.readFileSync(path.join(stack.workDir, CHAT_FILE), "utf8");
    writeChat(`${current}  - groupId: random\n    groupName: Random\n`);
    const failed = await stack.up();
    expect(failed.error).toBeDefined();
    expect(failed.step("chat/random")?.error).toMatch(/Group random in app \w+ was deleted .*can never be used again.*recoverDeleted: true/s);
    expect(stack.resource("chat/random")).toBeUndefined();

    writeChat(`${current}  - groupId: random\n    groupName: Random\n    recoverDeleted: true\n`);
    const up = expectOk(await stack.up());
    expect(changed(up)).toEqual({ "chat/random": "create" });
    expect(group("chat-dev", "random")!.deleted).toBe(false);
  });

  it("a change that forces replacing a pinned group fails the preview, saying why and how to proceed", async () => {
    const current = fs.readFileSync(path.join(stack.workDir, CHAT_FILE), "utf8");
    writeChat(edit(current, "    groupName: Announcements\n", "    groupName: News\n"));
    const before = snapshot();
    const preview = await stack.preview();
    expect(preview.error).toBeDefined();
    const failure = preview.failures.find((f) => f.urn.endsWith("::chat/announcements"));
    expect(failure?.property).toBe("groupName");
    expect(failure?.reason).toMatch(/changing groupName requires replacing group announcements .* groupId is pinned, and a deleted group ID can never be reused/);
    expect(failure?.reason).toMatch(/choose a new groupId, or remove groupId to have one generated .* or revert groupName to "Announcements"/);
    expect(snapshot()).toEqual(before);
    writeChat(current);
  });

  it("a malformed file fails the run with a message naming the file and the field, and writes nothing", async () => {
    stack.writeFile(
      SUPPORT_FILE,
      edit(edit(SAMPLE_SUPPORT, "    administrators: [agent1]\n", "    administrators: agent1\n"), "    groupName: Escalations\n", "    groupname: Escalations\n"),
    );
    const before = snapshot();
    const resources = () => stack.state.resources.filter((r) => r.custom);
    const state = resources();
    for (const r of [await stack.preview(), await stack.up()]) {
      expect(r.error).toContain(`${SUPPORT_FILE}: groups[0].administrators: expected a list of user IDs, got "agent1"`);
      expect(r.error).toContain(`${SUPPORT_FILE}: groups[1].groupname: unknown field`);
      expect(ops(r)).toEqual({});
    }
    expect(snapshot()).toEqual(before);
    expect(resources()).toEqual(state);
    stack.writeFile(SUPPORT_FILE, SAMPLE_SUPPORT);
  });

  it("destroy deletes every group and the seed message and disables both apps", async () => {
    expectOk(await stack.destroy());
    for (const appName of ["chat-dev", "support-dev"]) {
      const app = appNamed(appName);
      expect(app.disable).toBe(true);
      expect(app.groups.every((g) => g.deleted)).toBe(true);
    }
    expect(group("chat-dev", "lobby")!.messages).toEqual([]);
    expect(stack.state.resources.filter((r) => r.custom)).toEqual([]);
  });
});

// A second test with the real CLI through the Automation API (test/engine/automation.ts).
describe("examples/gitops with the Automation API", () => {
  itWithPulumiCli("runs pulumi preview, up and destroy", () =>
    withAutomationStack(__dirname, async (stack, emu) => {
      const preview = await stack.preview();
      expect(preview.changeSummary.create).toBe(ALL_COUNT + 1); // + the stack
      const up = await stack.up();
      expect(up.summary.result).toBe("succeeded");
      expect(Object.keys((up.outputs.apps?.value ?? {}) as object).sort()).toEqual(["chat", "support"]);
      const again = await stack.preview();
      expect(again.changeSummary.same).toBeGreaterThanOrEqual(ALL_COUNT); // all but the deferred seed message, + the stack
      await stack.destroy();
      const apps = (emu.service.snapshot() as StoreSnapshot).apps;
      expect(apps.every((a) => a.disable && a.groups.every((g) => g.deleted))).toBe(true);
    }),
  );
});
