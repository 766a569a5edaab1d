// DESIGN.md rule 1: each resource's serialized `__provider` is tiny, holds no credentials and only requires the
// installed package. Measured for the two ways a package can be installed: copied into node_modules (npm install)
// and linked from outside it (npm link, a `file:` dependency), where Pulumi serializes the functions by value.
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_CREDENTIALS } from "../../emulator";
import { APP_TYPE, GROUP_TYPE, REPO_ROOT, SEED_TYPE, expectOk, startLiveStack } from "./support";

jest.setTimeout(120000);

const SPEC = {
  apps: [{ name: "chat", args: { appName: "chat" } }],
  groups: [{ name: "room", app: "chat" }],
  seeds: [{ name: "hello", app: "chat", group: "room", args: { senderId: "sys", body: "hi", whenInactive: "defer" } }],
};

describe.each([
  ["copied into node_modules", "copy", 512],
  ["linked from outside node_modules", "link", 2048],
] as const)("__provider with the package %s", (_label, packageMode, bound) => {
  it(`is at most ${bound} bytes per resource, credential-free, and only requires the package`, async () => {
    const t = await startLiveStack({ stack: { packageMode } });
    try {
      t.setSpec(SPEC);
      expectOk(await t.stack.up());
      const ours = t.stack.state.resources.filter((r) => [APP_TYPE, GROUP_TYPE, SEED_TYPE].includes(r.type));
      expect(ours).toHaveLength(3);
      for (const r of ours) {
        const text = String(r.inputs.__provider);
        expect(r.providerSize).toBe(Buffer.byteLength(text));
        expect(r.providerSize).toBeLessThanOrEqual(bound);
        expect(text).not.toContain(DEFAULT_CREDENTIALS.accessKeySecret);
        expect(text).not.toContain(DEFAULT_CREDENTIALS.accessKeyId);
        expect(text).not.toContain(t.emu.url);
        const requires = [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!);
        expect(requires.length).toBeGreaterThan(0);
        for (const spec of requires) expect(spec).toMatch(/^pulumi-alicloud-livemessage\/(dynamic|dist\/sdk\/dynamic\/)/);
      }
      expectOk(await t.stack.destroy());
    } finally {
      await t.dispose();
    }
  });
});

describe("the module Pulumi records for a provider installed by npm", () => {
  // Pulumi maps the provider module's file back through the package's "exports" to a public specifier; this is the
  // same function it uses, fed with our package.json.
  const { getModuleFromPath } = require("@pulumi/pulumi/runtime/closure/package") as {
    getModuleFromPath(p: string, def: unknown): string;
  };
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
  it.each(["app", "group", "seed-message"])("the %s provider module maps to its public subpath", (kind) => {
    expect(getModuleFromPath(`pulumi-alicloud-livemessage/dist/sdk/dynamic/${kind}.js`, pkg)).toBe(`pulumi-alicloud-livemessage/dynamic/${kind}`);
    expect(fs.existsSync(path.join(REPO_ROOT, "dist", "sdk", "dynamic", `${kind}.js`))).toBe(true);
  });
});
