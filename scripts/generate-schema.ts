/**
 * Generates `schema.json`, the package contract as a Pulumi package schema, from the code users see: the resources'
 * Args / State interfaces in `provider/resources/<kind>/schema.ts` (names, optionality, types and their doc comments)
 * and the SDK classes' doc comments. So the descriptions live next to the fields and flow into the schema
 * (STYLE.md). `test/schema.test.ts` fails when the committed file is not what this produces.
 *
 *     node -r ./emulator/test-support/register-ts.js scripts/generate-schema.ts [--check]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
export const SCHEMA_PATH = path.join(ROOT, "schema.json");

interface ResourceSource {
  token: string;
  sdkFile: string;
  className: string;
  schemaFile: string;
  args: string;
  state: string;
}

const RESOURCES: readonly ResourceSource[] = [
  { token: "pulumi-nodejs:dynamic/livemessage:App", sdkFile: "sdk/app.ts", className: "App", schemaFile: "provider/resources/app/schema.ts", args: "AppArgs", state: "AppState" },
  { token: "pulumi-nodejs:dynamic/livemessage:Group", sdkFile: "sdk/group.ts", className: "Group", schemaFile: "provider/resources/group/schema.ts", args: "GroupArgs", state: "GroupState" },
  {
    token: "pulumi-nodejs:dynamic/livemessage:SeedMessage",
    sdkFile: "sdk/seed-message.ts",
    className: "SeedMessage",
    schemaFile: "provider/resources/seed-message/schema.ts",
    args: "SeedMessageArgs",
    state: "SeedMessageState",
  },
];

/** Provider configuration (stack config `livemessage:<key>`), documented here once. */
const CONFIG: Record<string, { type: string; description: string; secret?: boolean }> = {
  endpoint: { type: "string", description: "API endpoint; default https://live.aliyuncs.com. http://127.0.0.1:8787 for the local emulator. Env fallback: LIVEMESSAGE_ENDPOINT." },
  region: { type: "string", description: "Default dataCenter of resources that set none: cn-shanghai (default) or ap-southeast-1. Env fallback: LIVEMESSAGE_REGION." },
  accessKeyId: { type: "string", description: "AccessKey ID; set together with accessKeySecret. Else ALIBABA_CLOUD_ACCESS_KEY_ID (and aliases) or the Aliyun CLI profile." },
  accessKeySecret: { type: "string", secret: true, description: "AccessKey secret (set it as a secret)." },
  securityToken: { type: "string", secret: true, description: "STS security token, with temporary credentials." },
  signatureVersion: { type: "string", description: "v3 (ACS3-HMAC-SHA256, default) or v1 (RPC HMAC-SHA1)." },
  quotaChecks: { type: "boolean", description: "Whether check looks up live counts for the quota checks (default true)." },
};

type Json = Record<string, unknown>;

function docOf(node: ts.Node): string {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const text = docs.map((d) => (typeof d.comment === "string" ? d.comment : ts.getTextOfJSDocComment(d.comment) ?? "")).join("\n");
  return text.replace(/\s*\n\s*/g, " ").replace(/\s+/g, " ").trim();
}

/** The Pulumi schema type of a TypeScript type. */
function typeSpec(checker: ts.TypeChecker, type: ts.Type, refs: Map<string, Json>, aliasHint?: string): Json {
  const nonNull = checker.getNonNullableType(type);
  if (nonNull.isUnion()) {
    const parts = nonNull.types;
    if (parts.every((t) => t.isStringLiteral())) {
      const values = parts.map((t) => (t as ts.StringLiteralType).value);
      const alias = nonNull.aliasSymbol?.name ?? aliasHint;
      if (alias) {
        refs.set(alias, { type: "string", enum: values.map((value) => ({ value })) });
        return { $ref: `#/types/livemessage:index:${alias}` };
      }
      return { type: "string", description: `one of ${values.join(", ")}` };
    }
    if (parts.every((t) => t.isNumberLiteral())) return { type: "integer" };
    if (parts.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return { type: "boolean" };
  }
  if (nonNull.flags & ts.TypeFlags.String) return { type: "string" };
  if (nonNull.flags & ts.TypeFlags.Number) return { type: "number" };
  if (nonNull.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return { type: "boolean" };
  if (checker.isArrayType(nonNull)) {
    const [item] = checker.getTypeArguments(nonNull as ts.TypeReference);
    return { type: "array", items: typeSpec(checker, item!, refs) };
  }
  const index = checker.getIndexTypeOfType(nonNull, ts.IndexKind.String);
  if (index) return { type: "object", additionalProperties: typeSpec(checker, index, refs) };
  throw new Error(`no schema type for ${checker.typeToString(type)}`);
}

function interfaceNamed(sf: ts.SourceFile, name: string): ts.InterfaceDeclaration {
  const found = sf.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!found) throw new Error(`interface ${name} not found in ${sf.fileName}`);
  return found;
}

function classNamed(sf: ts.SourceFile, name: string): ts.ClassDeclaration {
  const found = sf.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === name);
  if (!found) throw new Error(`class ${name} not found in ${sf.fileName}`);
  return found;
}

/** Properties of an interface (inherited ones included), with their docs; internal (`__…`) ones left out. */
function properties(checker: ts.TypeChecker, decl: ts.InterfaceDeclaration, refs: Map<string, Json>, docsFrom: Map<string, string>) {
  const type = checker.getTypeAtLocation(decl);
  const props: Record<string, Json> = {};
  const required: string[] = [];
  for (const symbol of checker.getPropertiesOfType(type)) {
    const name = symbol.getName();
    if (name.startsWith("__")) continue;
    const node = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (!node) continue;
    const description = docOf(node) || docsFrom.get(name) || "";
    // `dataCenter?: DataCenter`: the declared name, for an enum type of that name.
    const declared = ts.isPropertySignature(node) && node.type && ts.isTypeReferenceNode(node.type) ? node.type.typeName.getText() : undefined;
    const spec = typeSpec(checker, checker.getTypeOfSymbolAtLocation(symbol, decl), refs, declared);
    props[name] = description ? { ...spec, description } : spec;
    if (!(symbol.flags & ts.SymbolFlags.Optional)) required.push(name);
  }
  return { props, required };
}

export function generateSchema(): Json {
  const files = RESOURCES.flatMap((r) => [r.schemaFile, r.sdkFile]).map((f) => path.join(ROOT, f));
  const program = ts.createProgram(files, { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const refs = new Map<string, Json>();
  const resources: Record<string, Json> = {};
  for (const r of RESOURCES) {
    const schemaSf = program.getSourceFile(path.join(ROOT, r.schemaFile))!;
    const sdkSf = program.getSourceFile(path.join(ROOT, r.sdkFile))!;
    const args = properties(checker, interfaceNamed(schemaSf, r.args), refs, new Map());
    const argDocs = new Map(Object.entries(args.props).map(([k, v]) => [k, String(v.description ?? "")]));
    const state = properties(checker, interfaceNamed(schemaSf, r.state), refs, argDocs);
    resources[r.token] = {
      description: docOf(classNamed(sdkSf, r.className)),
      inputProperties: args.props,
      requiredInputs: args.required,
      properties: state.props,
      required: state.required,
    };
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { name: string; version: string; description: string };
  return {
    name: "livemessage",
    displayName: "Alibaba Cloud LiveMessage",
    description: pkg.description,
    keywords: ["pulumi", "alibaba-cloud", "live", "messaging", "kind/dynamic"],
    version: pkg.version,
    language: { nodejs: { packageName: pkg.name } },
    config: {
      variables: Object.fromEntries(
        Object.entries(CONFIG).map(([k, v]) => [k, { type: v.type, description: v.description, ...(v.secret ? { secret: true } : {}) }]),
      ),
    },
    types: Object.fromEntries([...refs].sort(([a], [b]) => a.localeCompare(b)).map(([name, spec]) => [`livemessage:index:${name}`, spec])),
    resources,
  };
}

export function schemaText(): string {
  return `${JSON.stringify(generateSchema(), null, 2)}\n`;
}

if (require.main === module) {
  const text = schemaText();
  if (process.argv.includes("--check")) {
    const current = fs.existsSync(SCHEMA_PATH) ? fs.readFileSync(SCHEMA_PATH, "utf8") : "";
    if (current !== text) {
      console.error("schema.json is not current: run `make schema` and commit the result.");
      process.exit(1);
    }
  } else {
    fs.writeFileSync(SCHEMA_PATH, text);
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_PATH)}`);
  }
}
