// schema.json (the native package's schema) and docs/reference.md are generated from the one declaration of the
// package (provider/resources/package-spec.ts and the resources' fields.ts) by scripts/generate-schema.ts; CI fails
// when a committed file is stale. The real CLI's binder checks the schema in test/native/schema-binder.test.ts.
import * as fs from "fs";
import { GENERATED, generateSchema } from "../scripts/generate-schema";

jest.setTimeout(60000);

interface Prop {
  type?: string;
  $ref?: string;
  description?: string;
  secret?: boolean;
  items?: Prop;
  defaultInfo?: { environment: string[] };
  willReplaceOnChanges?: boolean;
}
interface ResourceSpec {
  description: string;
  inputProperties: Record<string, Prop>;
  requiredInputs?: string[];
  properties: Record<string, Prop>;
  required: string[];
}
interface Schema {
  name: string;
  repository: string;
  publisher: string;
  pluginDownloadURL: string;
  resources: Record<string, ResourceSpec>;
  functions: Record<string, { description: string; inputs: { properties: Record<string, Prop> }; outputs: { properties: Record<string, Prop> } }>;
  types: Record<string, { type: string; enum?: { name: string; value: unknown }[]; properties?: Record<string, Prop> }>;
  config: { variables: Record<string, Prop> };
  provider: { inputProperties: Record<string, Prop> };
  language: Record<string, Record<string, unknown>>;
}

const schema = generateSchema() as unknown as Schema;

it.each(GENERATED.map((g) => [g.file.replace(/.*\//, ""), g] as const))("the committed %s is current (run `make schema`)", (_name, g) => {
  expect(fs.readFileSync(g.file, "utf8")).toBe(g.text());
});

it("names the package livemessage, with the three resources and three functions under index tokens", () => {
  expect(schema.name).toBe("livemessage");
  expect(Object.keys(schema.resources).sort()).toEqual(["livemessage:index:App", "livemessage:index:Group", "livemessage:index:SeedMessage"]);
  expect(Object.keys(schema.functions).sort()).toEqual(["livemessage:index:getApp", "livemessage:index:getGroup", "livemessage:index:listGroups"]);
  expect(schema.repository).toMatch(/^https:\/\/github\.com\//);
  expect(schema.publisher.length).toBeGreaterThan(3);
  expect(schema.pluginDownloadURL).toMatch(/^github:\/\/api\.github\.com\//);
  expect(schema.language.go!.importBasePath).toBe(`${schema.repository.replace("https://", "")}/sdks/go/livemessage`);
  expect(schema.language.python!.packageName).toBe("pulumi_livemessage");
});

it.each(Object.entries(schema.resources))("%s: typed and described; outputs include the inputs; examples in four languages", (_token, r) => {
  for (const lang of ["typescript", "python", "go", "yaml"]) expect(r.description).toContain("```" + lang);
  expect(r.description).toMatch(/\{\{% examples %\}\}[\s\S]*\{\{% \/examples %\}\}/);
  expect(r.description).toMatch(/## Import\n[\s\S]*pulumi import livemessage:index:/);
  for (const [name, p] of [...Object.entries(r.inputProperties), ...Object.entries(r.properties)]) {
    expect({ name, typed: Boolean(p.type ?? p.$ref) }).toEqual({ name, typed: true });
    expect({ name, described: (p.description ?? "").length > 10 }).toEqual({ name, described: true });
  }
  for (const name of Object.keys(r.inputProperties)) expect(Object.keys(r.properties)).toContain(name);
  for (const name of r.requiredInputs ?? []) expect(r.required).toContain(name);
});

it("marks secrets: appKey and appSign outputs (also of getApp), and the credential settings", () => {
  const app = schema.resources["livemessage:index:App"]!;
  expect(app.properties.appKey!.secret).toBe(true);
  expect(app.properties.appSign!.secret).toBe(true);
  expect(app.properties.appId!.secret).toBeUndefined();
  const getApp = schema.functions["livemessage:index:getApp"]!;
  expect(getApp.outputs.properties.appKey!.secret).toBe(true);
  for (const block of [schema.config.variables, schema.provider.inputProperties]) {
    expect(block.accessKeySecret!.secret).toBe(true);
    expect(block.securityToken!.secret).toBe(true);
    expect(block.accessKeyId!.secret).toBeUndefined();
  }
});

it("declares the environment variables each setting falls back to", () => {
  const p = schema.provider.inputProperties;
  expect(p.endpoint!.defaultInfo!.environment).toEqual(["LIVEMESSAGE_ENDPOINT"]);
  expect(p.region!.defaultInfo!.environment).toEqual(["LIVEMESSAGE_REGION"]);
  expect(p.accessKeyId!.defaultInfo!.environment).toEqual(["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY", "ALIBABACLOUD_ACCESS_KEY_ID"]);
  expect(p.accessKeySecret!.defaultInfo!.environment[0]).toBe("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
});

it("names the enums and types integers as integers", () => {
  const dc = schema.types["livemessage:index:DataCenter"]!;
  expect(dc.enum!.map((e) => [e.name, e.value])).toEqual([["CnShanghai", "cn-shanghai"], ["ApSoutheast1", "ap-southeast-1"]]);
  const life = schema.types["livemessage:index:MsgLifeCycle"]!;
  expect(life.type).toBe("integer");
  expect(life.enum!.map((e) => e.value)).toEqual([0, 1, 2]);
  expect(schema.types["livemessage:index:WhenInactive"]!.enum!.map((e) => e.value)).toEqual(["fail", "wait", "defer"]);
  const seed = schema.resources["livemessage:index:SeedMessage"]!;
  expect(seed.inputProperties.msgType!.type).toBe("integer");
  expect(seed.inputProperties.waitIntervalSeconds!.type).toBe("number");
  expect(seed.inputProperties.whenInactive!.$ref).toBe("#/types/livemessage:index:WhenInactive");
  expect(schema.resources["livemessage:index:Group"]!.properties.createTime!.type).toBe("integer");
  expect(schema.functions["livemessage:index:listGroups"]!.outputs.properties.groups!.items!.$ref).toBe("#/types/livemessage:index:GroupSummary");
});

it("replace-forcing inputs are marked, the others not", () => {
  const group = schema.resources["livemessage:index:Group"]!;
  const marked = Object.keys(group.inputProperties).filter((k) => group.inputProperties[k]!.willReplaceOnChanges);
  expect(marked.sort()).toEqual(["appId", "creatorId", "dataCenter", "groupId", "groupName"]);
});

it("internal inputs are not part of the contract", () => {
  expect(JSON.stringify(schema)).not.toMatch(/__resourceName|__defaults|__provider|pulumi-nodejs:dynamic/);
});

it("the provider reads exactly the declared configuration keys", () => {
  const { readProviderConfig } = require("../provider/resources/config") as typeof import("../provider/resources/config");
  const { CONFIG } = require("../provider/resources/package-spec") as typeof import("../provider/resources/package-spec");
  const read = new Set<string>();
  readProviderConfig((key) => {
    read.add(key.replace(/^livemessage:/, ""));
    return undefined;
  }, {});
  expect([...read].sort()).toEqual(Object.keys(CONFIG).sort());
  expect(Object.keys(schema.provider.inputProperties).sort()).toEqual(Object.keys(CONFIG).sort());
});
