// The examples in the field declarations — which become the schema's descriptions, the generated SDKs' docs and
// docs/reference.md — are code that works: the TypeScript ones type-check against the SDK, the Go ones build
// against the generated Go SDK, the Python ones compile, the YAML resource examples preview under the real CLI.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import type { ExampleSpec } from "../../provider/resources/fields";
import { FUNCTIONS, RESOURCES } from "../../provider/resources/package-spec";
import { goProgram, pythonProgram, typescriptProgram } from "../../scripts/generate-schema";
import { startEmulator } from "../../emulator";
import { REPO_ROOT } from "../engine/support";
import { CliStack, PLUGIN_DIR, itWithCli } from "./cli";

jest.setTimeout(600_000);

const all: { owner: string; example: ExampleSpec; kind: "resource" | "function" }[] = [
  ...RESOURCES.flatMap((r) => r.examples.map((example) => ({ owner: r.name, example, kind: "resource" as const }))),
  ...FUNCTIONS.flatMap((f) => f.examples.map((example) => ({ owner: f.name, example, kind: "function" as const }))),
];

function hasCommand(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

it("every resource and function has an example in four languages", () => {
  for (const name of [...RESOURCES.map((r) => r.name), ...FUNCTIONS.map((f) => f.name)]) expect(all.some((e) => e.owner === name)).toBe(true);
});

it("the TypeScript examples type-check against the SDK", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lm-doc-ts-"));
  try {
    const files = all.map((e, i) => {
      const file = path.join(dir, `example${i}.ts`);
      // Each file is a module of its own (the examples export values), checked like a user's program.
      fs.writeFileSync(file, `${typescriptProgram(e.example.typescript)}\nexport {};\n`);
      return file;
    });
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      types: [],
      baseUrl: REPO_ROOT,
      paths: { "pulumi-alicloud-livemessage": [path.join(REPO_ROOT, "sdk", "index.ts")] },
      typeRoots: [path.join(REPO_ROOT, "node_modules", "@types")],
      ignoreDeprecations: "6.0",
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.includes(d.file.fileName))
      .map((d) => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(problems).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

(hasCommand("python3", ["--version"]) ? it : it.skip)("the Python examples compile", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lm-doc-py-"));
  try {
    all.forEach((e, i) => fs.writeFileSync(path.join(dir, `example${i}.py`), pythonProgram(e.example.python)));
    execFileSync("python3", ["-m", "py_compile", ...all.map((_, i) => path.join(dir, `example${i}.py`))], { stdio: "pipe" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

(hasCommand("go", ["version"]) ? it : it.skip)("the Go examples build against the generated Go SDK", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lm-doc-go-"));
  try {
    // One module with one program per example, on the module graph of examples/go.
    const goMod = fs.readFileSync(path.join(REPO_ROOT, "examples", "go", "go.mod"), "utf8").replace("../../sdks/", `${REPO_ROOT}/sdks/`);
    fs.writeFileSync(path.join(dir, "go.mod"), goMod.replace("module livemessage.local/examples/go", "module livemessage.local/doc-examples"));
    fs.copyFileSync(path.join(REPO_ROOT, "examples", "go", "go.sum"), path.join(dir, "go.sum"));
    all.forEach((e, i) => {
      fs.mkdirSync(path.join(dir, `example${i}`));
      // Lookups return values the snippet may not use otherwise: blank uses keep `go vet`'s unused checks honest.
      fs.writeFileSync(path.join(dir, `example${i}`, "main.go"), goProgram(e.example.go));
    });
    execFileSync("go", ["build", "-o", os.devNull, "./..."], { cwd: dir, stdio: "pipe", env: { ...process.env, GOFLAGS: "-mod=mod" } });
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${String((e as { stderr?: Buffer }).stderr ?? "")}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe("the YAML examples", () => {
  itWithCli(
    "preview against the emulator (resource examples)",
    async () => {
      const emu = await startEmulator({ port: 0 });
      try {
        for (const e of all.filter((x) => x.kind === "resource")) {
          const program = `name: doc-example\nruntime: yaml\nplugins:\n  providers:\n    - name: livemessage\n      path: ${PLUGIN_DIR}\n${e.example.yaml}\n`;
          const stack = await CliStack.create({ programDir: path.join(__dirname, "fixtures", "adopt"), files: { "Pulumi.yaml": program } });
          try {
            await stack.useEmulator(emu.url);
            const r = await stack.ok(["preview"]);
            expect(r.stdout).toMatch(/to create/);
          } finally {
            await stack.dispose();
          }
        }
      } finally {
        await emu.stop();
      }
    },
    { language: "yaml" },
  );
});
