// schema.json is the package contract, generated from the resources' Args/State interfaces and the SDK's doc
// comments (scripts/generate-schema.ts). CI fails when the committed file is stale.
import * as fs from "fs";
import { SCHEMA_PATH, generateSchema, schemaText } from "../scripts/generate-schema";

jest.setTimeout(60000);

interface Prop {
  type?: string;
  $ref?: string;
  description?: string;
}
interface ResourceSpec {
  description: string;
  inputProperties: Record<string, Prop>;
  requiredInputs: string[];
  properties: Record<string, Prop>;
  required: string[];
}

const schema = generateSchema() as { resources: Record<string, ResourceSpec>; config: { variables: Record<string, { secret?: boolean }> } };

it("the committed schema.json is current (run `make schema` after changing a resource's interface or docs)", () => {
  expect(fs.readFileSync(SCHEMA_PATH, "utf8")).toBe(schemaText());
});

it("describes the three resources under their type tokens", () => {
  expect(Object.keys(schema.resources).sort()).toEqual([
    "pulumi-nodejs:dynamic/livemessage:App",
    "pulumi-nodejs:dynamic/livemessage:Group",
    "pulumi-nodejs:dynamic/livemessage:SeedMessage",
  ]);
});

it.each(Object.entries(schema.resources))("%s: every input and output is typed and described; outputs include the inputs", (_token, r) => {
  expect(r.description.length).toBeGreaterThan(40);
  for (const [name, p] of [...Object.entries(r.inputProperties), ...Object.entries(r.properties)]) {
    expect({ name, typed: Boolean(p.type ?? p.$ref) }).toEqual({ name, typed: true });
    expect({ name, described: (p.description ?? "").length > 10 }).toEqual({ name, described: true });
  }
  for (const name of Object.keys(r.inputProperties)) expect(Object.keys(r.properties)).toContain(name);
  for (const name of r.requiredInputs) expect(r.required).toContain(name);
});

it("marks the credential settings as secret and internal inputs are not part of the contract", () => {
  expect(schema.config.variables.accessKeySecret!.secret).toBe(true);
  expect(schema.config.variables.securityToken!.secret).toBe(true);
  expect(JSON.stringify(schema)).not.toMatch(/__resourceName|__defaults|__provider/);
  const app = schema.resources["pulumi-nodejs:dynamic/livemessage:App"]!;
  expect(Object.keys(app.properties)).toEqual(expect.arrayContaining(["appId", "appKey", "appSign", "createTime", "modifyTime"]));
});
