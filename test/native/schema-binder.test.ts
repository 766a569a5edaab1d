// The package schema through the real CLI: its schema binder accepts schema.json, and the plugin serves exactly it.
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../engine/support";
import { startEmulator } from "../../emulator";
import { CliStack, PLUGIN_DIR, itWithCli } from "./cli";

jest.setTimeout(120_000);

const SCHEMA = path.join(REPO_ROOT, "schema.json");

describe("schema.json and the real CLI", () => {
  itWithCli("`pulumi schema check` binds it without a diagnostic; `pulumi package get-schema` of the plugin returns it", async () => {
    const stack = await CliStack.create({ programDir: path.join(__dirname, "fixtures", "adopt") });
    try {
      const check = await stack.ok(["schema", "check", SCHEMA]);
      expect(check.stdout + check.stderr).not.toMatch(/error|warning/i);
      const served = await stack.ok(["package", "get-schema", path.join(PLUGIN_DIR, "pulumi-resource-livemessage")]);
      expect(JSON.parse(served.stdout)).toEqual(JSON.parse(fs.readFileSync(SCHEMA, "utf8")));
      const info = await stack.ok(["package", "info", path.join(PLUGIN_DIR, "pulumi-resource-livemessage")]);
      expect(info.stdout).toMatch(/Name: livemessage[\s\S]*Resources: 3[\s\S]*Functions: 3/);
      // A schema the binder refuses makes the check fail: the check is not a formality.
      const bad = path.join(stack.root, "bad.json");
      fs.writeFileSync(bad, JSON.stringify({ name: "livemessage", resources: { "pulumi-nodejs:dynamic/livemessage:App": { properties: {} } } }));
      const refused = await stack.run(["schema", "check", bad]);
      expect(refused.code).not.toBe(0);
      expect(refused.stdout + refused.stderr).toMatch(/must have package name 'livemessage'/);
    } finally {
      await stack.dispose();
    }
  });
});

describe("installing the plugin", () => {
  itWithCli(
    "a program without a plugins entry finds pulumi-resource-livemessage on PATH",
    async () => {
      const emu = await startEmulator({ port: 0 });
      const stack = await CliStack.create({
        programDir: path.join(__dirname, "fixtures", "adopt"),
        files: { "Pulumi.yaml": "name: on-path\nruntime: yaml\nresources:\n  chat:\n    type: livemessage:index:App\noutputs:\n  appId: ${chat.appId}\n" },
        env: { PATH: PLUGIN_DIR },
      });
      try {
        await stack.useEmulator(emu.url);
        await stack.up();
        expect((await stack.outputs()).appId).toMatch(/^[a-z0-9]{8}$/);
      } finally {
        await stack.dispose();
        await emu.stop();
      }
    },
    { language: "yaml" },
  );
});
