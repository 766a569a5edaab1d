// The package contract as users load it: the subpath exports resolve (through package.json "exports") to the built
// files with the documented names, and the emulator's `bin` is runnable.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LIVE_MESSAGE_ACTIONS } from "../provider/limits";
import { REPO_ROOT, ensureBuilt } from "./engine/support";

jest.setTimeout(60000);

let consumer: string;
const load = (specifier: string): Record<string, unknown> => require(require.resolve(specifier, { paths: [consumer] }));

beforeAll(() => {
  ensureBuilt();
  // A consumer project with the package installed by name (a link, like `npm link`).
  consumer = fs.mkdtempSync(path.join(os.tmpdir(), "lm-consumer-"));
  fs.mkdirSync(path.join(consumer, "node_modules"));
  fs.symlinkSync(REPO_ROOT, path.join(consumer, "node_modules", "pulumi-alicloud-livemessage"), "dir");
});
afterAll(() => fs.rmSync(consumer, { recursive: true, force: true }));

it('"." is the SDK: resources and lookups', () => {
  const sdk = load("pulumi-alicloud-livemessage");
  for (const name of ["App", "Group", "SeedMessage", "getApp", "getGroup", "listGroups"]) expect(typeof sdk[name]).toBe("function");
});

it('"./provider" has LiveClient, the error classes and all 29 operations', () => {
  const provider = load("pulumi-alicloud-livemessage/provider");
  for (const name of ["LiveClient", "LiveApiError", "LiveNetworkError", "LiveTimeoutError", "LiveError"]) expect(typeof provider[name]).toBe("function");
  for (const action of LIVE_MESSAGE_ACTIONS) expect(typeof (provider[action] as { invoke?: unknown })?.invoke).toBe("function");
  expect(Object.keys(provider.OPERATIONS as object).sort()).toEqual([...LIVE_MESSAGE_ACTIONS].sort());
});

it('"./emulator" has startEmulator and the default credentials', () => {
  const emulator = load("pulumi-alicloud-livemessage/emulator");
  expect(typeof emulator.startEmulator).toBe("function");
  expect(emulator.DEFAULT_CREDENTIALS).toEqual({ accessKeyId: "emulator-access-key-id", accessKeySecret: "emulator-access-key-secret" });
});

it('"./dynamic" and "./dynamic/<kind>" are the dynamic providers', () => {
  const dynamic = load("pulumi-alicloud-livemessage/dynamic");
  for (const kind of ["app", "group", "seed"]) expect(typeof (dynamic[kind] as { create?: unknown }).create).toBe("function");
  for (const kind of ["app", "group", "seed-message"]) {
    const p = load(`pulumi-alicloud-livemessage/dynamic/${kind}`);
    for (const m of ["configure", "check", "diff", "create", "read", "update", "delete"]) expect(typeof p[m]).toBe("function");
  }
});

it("every subpath ships its type declarations", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { exports: Record<string, { types?: string } | string> };
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === "string") continue; // "./package.json", "./dist/*"
    expect({ subpath, types: fs.existsSync(path.join(REPO_ROOT, target.types!)) }).toEqual({ subpath, types: true });
  }
});

it("the livemessage-emulator bin is a node script", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
  const bin = path.join(REPO_ROOT, pkg.bin["livemessage-emulator"]!);
  expect(fs.readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node")).toBe(true);
});
