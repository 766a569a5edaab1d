// The package as a Pulumi user gets it (issue 13): packed from a fresh clone (its `prepare` builds dist/), installed
// into a new project made like `pulumi new typescript`, type-checked with Pulumi's template tsconfig (strict,
// moduleResolution "node", no skipLibCheck) under TypeScript 5.9 and the pinned 6.x — zod and the other internals
// not even in the compilation, a deliberate type error still caught — and run through the real engine (resources and
// the Output-form lookups); and installed from a git+file:// URL, every export loadable.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import type { StoreSnapshot } from "../../emulator/service/state";
import { cliEnv, pulumiBin, runCommand, type RunResult } from "../cli/support";
import { REPO_ROOT } from "../engine/support";
import { cleanEnv, freshCheckout, npm } from "./checkout";

jest.setTimeout(900_000);

const PKG = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const PULUMI_VERSION = PKG.devDependencies["@pulumi/pulumi"]!;
const TS6 = PKG.devDependencies.typescript!;

/** Pulumi's `typescript` template tsconfig.json, as `pulumi new typescript` writes it. */
const TEMPLATE_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

/**
 * The README's first snippet, with the stack outputs a user would export, and the Output-form lookups fed by the
 * resources' outputs (their result types named, as a user annotating them would).
 */
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as livemessage from "pulumi-alicloud-livemessage";

const app = new livemessage.App("chat", { appName: "chat", dataCenter: "cn-shanghai" });
const lobby = new livemessage.Group("lobby", { appId: app.appId, groupName: "Lobby", administrators: ["ops1"] });
export const groupId = lobby.groupId;
export const appKey = app.appKey;

const read: pulumi.Output<livemessage.GroupInfo> = livemessage.getGroupOutput({ appId: lobby.appId, groupId: lobby.groupId });
export const readAdministrators = read.administrators;
const listed: pulumi.Output<livemessage.GroupSummary[]> = livemessage.listGroupsOutput({ appId: lobby.appId, status: "live" });
export const listedIds = listed.apply((groups) => groups.map((g) => g.groupId));
const appInfo: pulumi.Output<livemessage.AppInfo> = livemessage.getAppOutput({ appId: app.appId });
export const appInfoName = appInfo.appName;
`;
const TYPE_ERROR = `import * as livemessage from "pulumi-alicloud-livemessage";

// appId must be a string: the compiler has to refuse both.
new livemessage.Group("bad", { appId: 42, groupName: "Bad" });
livemessage.getGroupOutput({ appId: "abc123", groupId: 7 });
`;

describe("the packed package in a new Pulumi TypeScript project", () => {
  let tmp: string;
  let checkout: string;
  let tarball: string;
  let project: string;
  let emu: Emulator;

  const tsc = (bin: string, tsconfig: string, extra: string[] = []): Promise<RunResult> =>
    runCommand(process.execPath, [path.join(project, "node_modules", bin, "bin", "tsc"), "-p", tsconfig, "--noEmit", "--pretty", "false", ...extra], {
      cwd: project,
      env: cleanEnv(),
    });
  const errors = (r: RunResult) => r.stdout.split("\n").filter((l) => /error TS\d+/.test(l));

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "consumer-"));
    checkout = freshCheckout();
    // `npm pack` of an unbuilt clone: its `prepare` must build dist/ first. The build tools come from this
    // repository's node_modules (fresh-clone.test.ts tests `npm ci` itself).
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(checkout, "node_modules"), "dir");
    expect(fs.existsSync(path.join(checkout, "dist"))).toBe(false);
    const packed = await npm(checkout, ["pack", "--json", "--pack-destination", tmp]);
    const info = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(tmp, info[0]!.filename);
    fs.writeFileSync(path.join(tmp, "files.json"), JSON.stringify(info[0]!.files.map((f) => f.path)));

    project = path.join(tmp, "project");
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: consumer\nruntime: nodejs\ndescription: a new Pulumi TypeScript project\n");
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", main: "index.ts", devDependencies: {}, dependencies: {} }, null, 2));
    fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(TEMPLATE_TSCONFIG, null, 4));
    // TypeScript 6 refuses the template's "moduleResolution": "node" (TS5107) and names this option as the way on.
    fs.writeFileSync(path.join(project, "tsconfig.ts6.json"), JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { ignoreDeprecations: "6.0" } }, null, 4));
    fs.writeFileSync(path.join(project, "tsconfig.bad.json"), JSON.stringify({ extends: "./tsconfig.json", files: ["bad.ts"] }, null, 4));
    fs.writeFileSync(path.join(project, "tsconfig.ts6.bad.json"), JSON.stringify({ extends: "./tsconfig.ts6.json", files: ["bad.ts"] }, null, 4));
    fs.writeFileSync(path.join(project, "index.ts"), PROGRAM);
    fs.writeFileSync(path.join(project, "bad.ts"), TYPE_ERROR);
    await npm(project, ["install", tarball, `@pulumi/pulumi@${PULUMI_VERSION}`]);
    await npm(project, ["install", "--save-dev", "typescript@~5.9.0", `typescript6@npm:typescript@${TS6}`, "@types/node@^20"]);
    emu = await startEmulator({ port: 0 });
  });
  afterAll(async () => {
    await emu?.stop();
    for (const d of [tmp, checkout]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it("the tarball holds the built package, LICENSE, README and CHANGELOG, and no tests", () => {
    const files = JSON.parse(fs.readFileSync(path.join(tmp, "files.json"), "utf8")) as string[];
    for (const f of ["package.json", "LICENSE", "README.md", "CHANGELOG.md", "schema.json", "dist/sdk/index.js", "dist/sdk/index.d.ts", "dist/provider/index.js", "dist/emulator/cli.js", "dist/plugin/main.js", "dist/plugin/import-command.js", "plugin/bin/pulumi-resource-livemessage"]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /\.test\.|test-support/.test(f))).toEqual([]);
    expect(fs.readFileSync(path.join(project, "node_modules", PKG.name, "LICENSE"), "utf8")).toMatch(/Apache License\s+Version 2\.0/);
  });

  it.each([
    ["TypeScript 5.9", "typescript", "tsconfig.json", "tsconfig.bad.json"],
    [`TypeScript ${TS6}`, "typescript6", "tsconfig.ts6.json", "tsconfig.ts6.bad.json"],
  ])("type-checks under Pulumi's template tsconfig with %s (no skipLibCheck), and still catches a type error", async (_label, bin, tsconfig, badConfig) => {
    const ok = await tsc(bin, tsconfig, ["--listFilesOnly"]);
    expect(ok.code).toBe(0);
    // The public types reach none of the package's own dependencies (zod, undici, …): their declarations are not even
    // part of the compilation, nor are the package's internal modules.
    const compiled = ok.stdout.split("\n").filter((l) => l.includes("/node_modules/"));
    expect(compiled.some((f) => f.includes(`/node_modules/${PKG.name}/dist/sdk/`))).toBe(true);
    const internals = Object.keys(PKG.dependencies).map((d) => `/node_modules/${d}/`);
    expect(compiled.filter((f) => internals.some((d) => f.includes(d)))).toEqual([]);
    expect(compiled.filter((f) => f.includes(`/node_modules/${PKG.name}/`) && !f.includes(`/node_modules/${PKG.name}/dist/sdk/`))).toEqual([]);
    const checked = await tsc(bin, tsconfig);
    expect({ errors: errors(checked) }).toEqual({ errors: [] });
    expect(checked.code).toBe(0);
    const bad = await tsc(bin, badConfig);
    expect(bad.code).not.toBe(0);
    expect(errors(bad).join("\n")).toMatch(/bad\.ts\(4,\d+\): error TS2322/);
    expect(errors(bad).join("\n")).toMatch(/bad\.ts\(5,\d+\): error TS2322/);
  });

  it("runs through the engine: pulumi preview, up (no secret in the state) and destroy against the emulator", async () => {
    const state = fs.mkdtempSync(path.join(tmp, "state-"));
    const home = fs.mkdtempSync(path.join(tmp, "home-"));
    const pulumi = async (...args: string[]) => {
      const r = await runCommand(path.join(pulumiBin(), "pulumi"), [...args, "--color", "never"], { cwd: project, env: cliEnv(state, home) });
      if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited with ${r.code}:\n${r.output}`);
      return r;
    };
    await pulumi("stack", "init", "dev");
    await pulumi("config", "set", "livemessage:endpoint", emu.url);
    await pulumi("config", "set", "livemessage:accessKeyId", DEFAULT_CREDENTIALS.accessKeyId);
    await pulumi("config", "set", "--secret", "livemessage:accessKeySecret", DEFAULT_CREDENTIALS.accessKeySecret);
    expect((await pulumi("preview")).output).toMatch(/3 to create/);
    await pulumi("up", "--yes", "--skip-preview");
    const app = (emu.service.snapshot() as StoreSnapshot).apps[0]!;
    const outputs = JSON.parse((await pulumi("stack", "output", "--json")).stdout) as Record<string, unknown>;
    expect(app.groups.map((g) => g.groupId)).toEqual([outputs.groupId]);
    expect(outputs.appKey).toBe("[secret]");
    // The Output-form lookups ran after the resources they read, with their outputs as arguments.
    expect(outputs.readAdministrators).toEqual(["ops1"]);
    expect(outputs.listedIds).toEqual([outputs.groupId]);
    expect(outputs.appInfoName).toBe("[secret]"); // getAppOutput's result carries appKey/appSign: all of it is secret
    const shown = JSON.parse((await pulumi("stack", "output", "--json", "--show-secrets")).stdout) as Record<string, unknown>;
    expect(shown.appInfoName).toBe("chat");
    const exported = (await pulumi("stack", "export")).stdout;
    expect(exported).not.toContain(app.appKey);
    expect(exported).not.toContain(DEFAULT_CREDENTIALS.accessKeySecret);
    await pulumi("destroy", "--yes");
    expect((emu.service.snapshot() as StoreSnapshot).apps[0]!.groups[0]!.deleted).toBe(true);
  });

  it("installs from a git+file:// URL: npm runs the package's prepare (dist/ is built) and every export loads", async () => {
    const gitProject = path.join(tmp, "git-project");
    fs.mkdirSync(gitProject);
    fs.writeFileSync(path.join(gitProject, "package.json"), JSON.stringify({ name: "git-consumer", private: true }));
    const install = await npm(gitProject, ["install", `git+file://${checkout}`, `@pulumi/pulumi@${PULUMI_VERSION}`]);
    const installed = path.join(gitProject, "node_modules", PKG.name);
    expect(fs.existsSync(path.join(installed, "dist", "sdk", "index.js"))).toBe(true);
    // npm 11 lists the git dependency's prepare as "not yet covered by allowScripts" — and still runs it (README).
    expect(install.output).not.toMatch(/ERR!/);
    const specifiers = Object.keys(PKG.exports)
      .filter((k) => k !== "./package.json" && !k.includes("*"))
      .map((k) => (k === "." ? PKG.name : `${PKG.name}/${k.slice(2)}`));
    const loaded = await runCommand(
      process.execPath,
      ["-e", `for (const s of ${JSON.stringify(specifiers)}) { const m = require(s); if (!m || !Object.keys(m).length) throw new Error(s + " exports nothing"); } console.log("ok")`],
      { cwd: gitProject, env: cleanEnv() },
    );
    expect(loaded.output.trim()).toMatch(/^ok/);
    expect(specifiers.length).toBeGreaterThanOrEqual(7);
  });
});
