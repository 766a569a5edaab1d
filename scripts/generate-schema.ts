/**
 * Generates the `livemessage` package contract from its one declaration (`provider/resources/package-spec.ts` and
 * the resources' `fields.ts`):
 *   - `schema.json`: the Pulumi package schema the native plugin serves (GetSchema) and `pulumi package gen-sdk`
 *     turns into the Python, Go and .NET SDKs;
 *   - `docs/reference.md`: the per-resource reference with examples in TypeScript, Python, Go and YAML.
 * `test/schema.test.ts` fails when a committed file is not what this produces.
 *
 *     node -r ./emulator/test-support/register-ts.js scripts/generate-schema.ts [--check]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigSpec, EnumSpec, ExampleSpec, FieldSpec, FieldType, ObjectSpec, ResourceSpec } from "../provider/resources/fields";
import { inputNames, requiredInputs, secretNames } from "../provider/resources/fields";
import { CONFIG, FUNCTIONS, PACKAGE_NAME, PUBLISHER, REPOSITORY, RESOURCES } from "../provider/resources/package-spec";

const ROOT = path.resolve(__dirname, "..");
export const SCHEMA_PATH = path.join(ROOT, "schema.json");
export const REFERENCE_PATH = path.join(ROOT, "docs", "reference.md");
export const SDK_TYPES_PATH = path.join(ROOT, "sdk", "types.ts");

type Json = Record<string, unknown>;

const token = (name: string) => `${PACKAGE_NAME}:index:${name}`;
const repoPath = REPOSITORY.replace(/^https:\/\//, "");
/** The Go SDK's import path: the module lives in `sdks/go/livemessage` of the repository. */
export const GO_IMPORT_PATH = `${repoPath}/sdks/go/${PACKAGE_NAME}`;
export const PYTHON_PACKAGE = `pulumi_${PACKAGE_NAME}`;

class TypeRegistry {
  readonly types = new Map<string, Json>();

  ref(name: string, spec: () => Json): Json {
    if (!this.types.has(token(name))) {
      this.types.set(token(name), {});
      this.types.set(token(name), spec());
    }
    return { $ref: `#/types/${token(name)}` };
  }

  enumType(e: EnumSpec): Json {
    return this.ref(e.name, () => ({
      type: e.type,
      description: e.doc,
      enum: e.values.map((v) => ({ name: v.name, value: v.value, description: v.doc })),
    }));
  }

  objectType(o: ObjectSpec): Json {
    return this.ref(o.name, () => {
      const { properties, required } = this.properties(o.fields, () => true);
      return { type: "object", description: o.doc, properties, ...nonEmpty("required", required) };
    });
  }

  typeOf(t: FieldType): Json {
    if (typeof t === "string") return { type: t };
    if ("enum" in t) return this.enumType(t.enum);
    if ("array" in t) return { type: "array", items: this.typeOf(t.array) };
    if ("map" in t) return { type: "object", additionalProperties: this.typeOf(t.map) };
    return this.objectType(t.object);
  }

  property(f: FieldSpec): Json {
    return {
      ...this.typeOf(f.type),
      description: describe(f),
      ...(f.secret ? { secret: true } : {}),
      ...(f.input && f.change === "replace" ? { willReplaceOnChanges: true } : {}),
    };
  }

  properties(fields: Readonly<Record<string, FieldSpec>>, include: (f: FieldSpec) => boolean, required?: (k: string, f: FieldSpec) => boolean) {
    const properties: Json = {};
    const req: string[] = [];
    for (const [k, f] of Object.entries(fields)) {
      if (!include(f)) continue;
      properties[k] = this.property(f);
      if ((required ?? ((_k, x) => !x.maybeAbsent))(k, f)) req.push(k);
    }
    return { properties, required: req };
  }
}

function describe(f: FieldSpec): string {
  if (!f.default || !f.input) return f.doc;
  if ("computed" in f.default) return `${f.doc} Default: ${f.default.computed}.`;
  if ("region" in f.default) return f.doc;
  return f.doc.includes("Default") || f.doc.includes("default") ? f.doc : `${f.doc} Default: \`${JSON.stringify(f.default.value)}\`.`;
}

// ---- examples ------------------------------------------------------------------------------------------------

/** A Go snippet (the body of `pulumi.Run`'s function) as a whole program. */
export function goProgram(body: string): string {
  const indented = body
    .split("\n")
    .map((l) => (l ? `\t\t${l}` : l))
    .join("\n");
  return [
    "package main",
    "",
    "import (",
    '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"',
    `\tlivemessage "${GO_IMPORT_PATH}"`,
    ")",
    "",
    "func main() {",
    "\tpulumi.Run(func(ctx *pulumi.Context) error {",
    indented,
    "\t\treturn nil",
    "\t})",
    "}",
  ].join("\n");
}

/** A TypeScript snippet with the package imported. */
export function typescriptProgram(body: string): string {
  return body.includes('from "pulumi-alicloud-livemessage"') ? body : `import * as livemessage from "pulumi-alicloud-livemessage";\n\n${body}`;
}

/** A Python snippet with the packages imported. */
export function pythonProgram(body: string): string {
  const head = ["import pulumi", `import ${PYTHON_PACKAGE} as ${PACKAGE_NAME}`].filter((l) => !body.includes(l));
  return head.length ? `${head.join("\n")}\n\n${body}` : body;
}

function examplesSection(examples: readonly ExampleSpec[]): string {
  if (examples.length === 0) return "";
  const blocks = examples.map((e) =>
    [
      "{{% example %}}",
      `### ${e.title}`,
      "",
      "```typescript",
      typescriptProgram(e.typescript),
      "```",
      "```python",
      pythonProgram(e.python),
      "```",
      "```go",
      goProgram(e.go),
      "```",
      "```yaml",
      e.yaml,
      "```",
      "{{% /example %}}",
    ].join("\n"),
  );
  return `\n\n{{% examples %}}\n## Example Usage\n\n${blocks.join("\n")}\n{{% /examples %}}`;
}

function importSection(r: ResourceSpec): string {
  const example = r.idFormat.replace("<appId>", "abc123").replace("<groupId>", "lobby1").replace("<msgTid>", "seed0123");
  return `\n\n## Import\n\nBy its id, \`${r.idFormat}\`:\n\n\`\`\`sh\n$ pulumi import ${token(r.name)} my${r.name.toLowerCase()} ${example}\n\`\`\``;
}

// ---- the schema ----------------------------------------------------------------------------------------------

/**
 * A configuration key. Enumerated keys are typed `string` with the values in the description: the Go generator
 * cannot apply an environment default to an enum-typed provider input (it assigns a string to the enum's input type).
 */
function configProperty(c: ConfigSpec): Json {
  const values = typeof c.type === "object" ? ` One of ${c.type.enum.values.map((v) => `\`${String(v.value)}\``).join(", ")}.` : "";
  return {
    type: typeof c.type === "object" ? "string" : c.type,
    description: c.doc.includes("`") && values ? c.doc : `${c.doc}${values}`,
    ...(c.secret ? { secret: true } : {}),
    ...(c.default !== undefined ? { default: c.default } : {}),
    ...(c.env ? { defaultInfo: { environment: [...c.env] } } : {}),
  };
}

/** A list member only when it lists something: the binder drops empty ones, and get-schema returns what it bound. */
function nonEmpty(key: string, list: readonly string[]): Json {
  return list.length > 0 ? { [key]: [...list] } : {};
}

export function generateSchema(): Json {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string; license: string };
  const reg = new TypeRegistry();
  const resources: Json = {};
  for (const r of RESOURCES) {
    const inputs = new Set(inputNames(r));
    const required = new Set(requiredInputs(r));
    const ins = reg.properties(r.fields, (f) => Boolean(f.input), (k) => required.has(k));
    const outs = reg.properties(r.fields, () => true);
    resources[token(r.name)] = {
      description: `${r.doc}${examplesSection(r.examples)}${importSection(r)}`,
      inputProperties: ins.properties,
      ...nonEmpty("requiredInputs", ins.required),
      properties: outs.properties,
      ...nonEmpty("required", outs.required.filter((k) => inputs.has(k) || !r.fields[k]!.maybeAbsent)),
    };
  }
  const functions: Json = {};
  for (const f of FUNCTIONS) {
    const args = reg.properties(f.args, () => true, (_k, x) => x.input === "required");
    const result = reg.properties(f.result, () => true);
    functions[token(f.name)] = {
      description: `${f.doc}${examplesSection(f.examples)}`,
      inputs: { properties: args.properties, ...nonEmpty("required", args.required) },
      outputs: { properties: result.properties, ...nonEmpty("required", result.required) },
    };
  }
  const configVariables = Object.fromEntries(Object.entries(CONFIG).map(([k, c]) => [k, configProperty(c)]));
  return {
    name: PACKAGE_NAME,
    displayName: "Alibaba Cloud LiveMessage",
    description: "Alibaba Cloud ApsaraVideo Live interactive messaging (LiveMessage apps, groups and seed messages) as Pulumi resources.",
    keywords: ["pulumi", "alibaba-cloud", "aliyun", "live", "messaging", "category/cloud", "kind/native"],
    homepage: REPOSITORY,
    repository: REPOSITORY,
    publisher: PUBLISHER,
    license: pkg.license,
    version: pkg.version,
    pluginDownloadURL: `github://api.github.com/${repoPath.replace(/^github\.com\//, "")}`,
    meta: { moduleFormat: "(.*)" },
    language: {
      csharp: { rootNamespace: "Pulumi", namespaces: { [PACKAGE_NAME]: "LiveMessage" }, packageReferences: { Pulumi: "3.*" }, respectSchemaVersion: true },
      go: { importBasePath: GO_IMPORT_PATH, generateResourceContainerTypes: true, respectSchemaVersion: true },
      python: { packageName: PYTHON_PACKAGE, requires: { pulumi: ">=3.142.0,<4.0.0" }, respectSchemaVersion: true, pyproject: { enabled: true } },
    },
    config: { variables: configVariables },
    provider: {
      description: `The provider of the ${PACKAGE_NAME} package. Configure an explicit instance for a second account, region or endpoint; the default provider reads the \`${PACKAGE_NAME}:*\` stack configuration.`,
      inputProperties: configVariables,
    },
    types: Object.fromEntries([...reg.types].sort(([a], [b]) => a.localeCompare(b))),
    resources,
    functions,
  };
}

export function schemaText(): string {
  return `${JSON.stringify(generateSchema(), null, 2)}\n`;
}

// ---- the reference documentation -----------------------------------------------------------------------------

function typeText(t: FieldType): string {
  if (typeof t === "string") return t;
  if ("enum" in t) return `${t.enum.name} (${t.enum.values.map((v) => JSON.stringify(v.value)).join(" | ")})`;
  if ("array" in t) return `${typeText(t.array)}[]`;
  if ("map" in t) return `map of ${typeText(t.map)}`;
  return t.object.name;
}

function defaultText(f: FieldSpec): string {
  if (f.input === "required") return "required";
  if (!f.default) return "—";
  if ("computed" in f.default) return f.default.computed;
  if ("region" in f.default) return "`livemessage:region`, else `cn-shanghai`";
  return `\`${JSON.stringify(f.default.value)}\``;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n+/g, " ");

function examplesMarkdown(examples: readonly ExampleSpec[]): string[] {
  const out: string[] = [];
  for (const e of examples) {
    out.push(`**${e.title}**`, "");
    out.push("TypeScript (dynamic SDK):", "", "```ts", typescriptProgram(e.typescript), "```", "");
    out.push("Python:", "", "```python", pythonProgram(e.python), "```", "");
    out.push("Go:", "", "```go", goProgram(e.go), "```", "");
    out.push("YAML:", "", "```yaml", e.yaml, "```", "");
  }
  return out;
}

export function referenceText(): string {
  const out: string[] = [
    "<!-- Generated by scripts/generate-schema.ts from provider/resources/*/schema.ts and package-spec.ts: run `make schema`. -->",
    "",
    `# \`${PACKAGE_NAME}\` reference`,
    "",
    "Every resource, function and configuration key of the package, with examples in TypeScript (the dynamic SDK,",
    "`pulumi-alicloud-livemessage`), Python (`pulumi_livemessage`), Go and Pulumi YAML. The same text is in",
    "`schema.json` and in the generated SDKs' documentation.",
    "",
    "## Provider configuration",
    "",
    "Stack configuration `livemessage:<key>`, or the arguments of an explicit provider (`new livemessage.Provider(…)`,",
    "`type: pulumi:providers:livemessage`).",
    "",
    "| key | type | environment | description |",
    "|---|---|---|---|",
  ];
  for (const [k, c] of Object.entries(CONFIG)) {
    const type = typeof c.type === "string" ? c.type : c.type.enum.values.map((v) => JSON.stringify(v.value)).join(" | ");
    out.push(`| \`${k}\` | ${cell(type)}${c.secret ? ", **secret**" : ""} | ${(c.env ?? []).map((e) => `\`${e}\``).join(", ") || "—"} | ${cell(c.doc)} |`);
  }
  for (const r of RESOURCES) {
    out.push("", `## ${r.name}`, "", `Type token \`${token(r.name)}\`; id \`${r.idFormat}\`.`, "", r.doc, "");
    out.push("| input | type | default | on change | description |", "|---|---|---|---|---|");
    for (const [k, f] of Object.entries(r.fields)) {
      if (!f.input) continue;
      out.push(`| \`${k}\` | ${cell(typeText(f.type))} | ${cell(defaultText(f))} | ${f.change ?? "update"} | ${cell(f.doc)} |`);
    }
    out.push("", "| output | type | description |", "|---|---|---|");
    for (const [k, f] of Object.entries(r.fields)) {
      if (f.input) continue;
      out.push(`| \`${k}\` | ${cell(typeText(f.type))}${f.secret ? ", **secret**" : ""} | ${cell(f.doc)} |`);
    }
    out.push("", "Every input is also an output, with its default filled in.", "", ...examplesMarkdown(r.examples));
    out.push(`Import: \`pulumi import ${token(r.name)} <name> ${r.idFormat}\`.`);
  }
  out.push("", "## Functions");
  for (const f of FUNCTIONS) {
    out.push("", `### ${f.name}`, "", `Token \`${token(f.name)}\`. ${f.doc}`, "", "| argument | type | description |", "|---|---|---|");
    for (const [k, a] of Object.entries(f.args)) out.push(`| \`${k}\` | ${cell(typeText(a.type))}${a.input === "required" ? ", required" : ""} | ${cell(a.doc)} |`);
    out.push("", `Result: ${Object.entries(f.result).map(([k, x]) => `\`${k}\`${x.secret ? " (secret)" : ""}`).join(", ")}.`, "", ...examplesMarkdown(f.examples));
  }
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

// ---- the TypeScript SDK's public types ----------------------------------------------------------------------

/**
 * `sdk/types.ts`: the dynamic SDK's argument and result types as plain interfaces with the declarations' docs, so
 * the package's public `.d.ts` names nothing but these and `@pulumi/pulumi` — no zod, no internal module reaches a
 * user's compilation (whatever their tsconfig).
 */
export function sdkTypesText(): string {
  const enums = new Map<string, EnumSpec>();
  const objects = new Map<string, ObjectSpec>();
  const tsType = (t: FieldType, input: boolean): string => {
    const wrap = (x: string) => (input ? `pulumi.Input<${x}>` : x);
    if (typeof t === "string") return t === "integer" ? "number" : t;
    if ("enum" in t) {
      enums.set(t.enum.name, t.enum);
      return t.enum.name;
    }
    if ("array" in t) return `${wrap(tsType(t.array, input))}[]`;
    if ("map" in t) return `Record<string, ${wrap(tsType(t.map, input))}>`;
    objects.set(t.object.name, t.object);
    return t.object.name;
  };
  const doc = (text: string, indent = ""): string => {
    const lines = text.split("\n").flatMap((l) => (l ? wrapText(l, 112 - indent.length) : [""]));
    return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ` ${l}` : ""}`).join("\n")}\n${indent} */`;
  };
  const member = (name: string, f: FieldSpec, mode: "plain" | "input" | "output"): string => {
    const optional = mode === "output" ? f.maybeAbsent : f.input !== "required";
    const type = tsType(f.type, mode === "input");
    return `${doc(describe(f), "  ")}\n  ${name}${optional ? "?" : ""}: ${mode === "input" ? `pulumi.Input<${type}>` : type};`;
  };
  const iface = (name: string, text: string, fields: Readonly<Record<string, FieldSpec>>, mode: "plain" | "input" | "output", only = (f: FieldSpec) => Boolean(f.input)) =>
    `${doc(text)}\nexport interface ${name} {\n${Object.entries(fields)
      .filter(([, f]) => only(f))
      .map(([k, f]) => member(k, f, mode))
      .join("\n")}\n}`;
  const blocks: string[] = [];
  for (const r of RESOURCES) {
    const article = /^[AEIOU]/.test(r.name) ? "an" : "a";
    blocks.push(iface(`${r.name}Args`, `What a user writes for ${article} \`${r.name}\` (plain values).`, r.fields, "plain"));
    blocks.push(iface(`${r.name}ResourceArgs`, `The arguments of \`new ${r.name}(name, args)\`: each may be a Pulumi Input.`, r.fields, "input"));
  }
  const resultNames: Record<string, string> = { getApp: "AppInfo", getGroup: "GroupInfo", listGroups: "ListGroupsResult" };
  for (const f of FUNCTIONS) {
    const cap = f.name[0]!.toUpperCase() + f.name.slice(1);
    blocks.push(iface(`${cap}Args`, `The arguments of \`${f.name}\`.`, f.args, "plain"));
    blocks.push(iface(`${cap}OutputArgs`, `The arguments of \`${f.name}Output\`: each may be a Pulumi Input.`, f.args, "input"));
    blocks.push(iface(resultNames[f.name] ?? `${cap}Result`, `What \`${f.name}\` returns. ${f.doc}`, f.result, "output", () => true));
  }
  for (const o of objects.values()) blocks.push(iface(o.name, o.doc, o.fields, "output", () => true));
  const table = (pick: (r: ResourceSpec) => readonly string[]) =>
    `{\n${RESOURCES.map((r) => `  ${r.name}: [${pick(r).map((k) => JSON.stringify(k)).join(", ")}],`).join("\n")}\n}`;
  blocks.push(`/** Every output of each resource (its inputs echoed, and what the service computes): what the SDK's classes register. */\nexport const RESOURCE_OUTPUTS = ${table((r) => Object.keys(r.fields))} as const;`);
  blocks.push(`/** The outputs stored and shown as secrets. */\nexport const SECRET_OUTPUTS = ${table((r) => secretNames(r))} as const;`);
  const enumBlocks = [...enums.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((e) => `${doc(`${e.doc}\n\n${e.values.map((v) => `- \`${JSON.stringify(v.value)}\`: ${v.doc}`).join("\n")}`)}\nexport type ${e.name} = ${e.values.map((v) => JSON.stringify(v.value)).join(" | ")};`);
  return `${[
    "// Generated by scripts/generate-schema.ts from provider/resources/*/schema.ts and package-spec.ts: run `make schema`.",
    "// The public types of the TypeScript SDK — plain interfaces, so a user's compilation sees nothing but these and",
    "// @pulumi/pulumi — and the output lists its resource classes register.",
    'import type * as pulumi from "@pulumi/pulumi";',
    "",
    ...enumBlocks.flatMap((b) => [b, ""]),
    ...blocks.flatMap((b) => [b, ""]),
  ]
    .join("\n")
    .trimEnd()}\n`;
}

/** Words of `text` in lines of at most `width` characters. */
function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export const GENERATED: readonly { file: string; text: () => string }[] = [
  { file: SCHEMA_PATH, text: schemaText },
  { file: REFERENCE_PATH, text: referenceText },
  { file: SDK_TYPES_PATH, text: sdkTypesText },
];

if (require.main === module) {
  let stale = false;
  for (const g of GENERATED) {
    const text = g.text();
    const rel = path.relative(ROOT, g.file);
    if (process.argv.includes("--check")) {
      const current = fs.existsSync(g.file) ? fs.readFileSync(g.file, "utf8") : "";
      if (current !== text) {
        console.error(`${rel} is not current: run \`make schema\` and commit the result.`);
        stale = true;
      }
    } else {
      fs.mkdirSync(path.dirname(g.file), { recursive: true });
      fs.writeFileSync(g.file, text);
      console.log(`wrote ${rel}`);
    }
  }
  if (stale) process.exit(1);
}
