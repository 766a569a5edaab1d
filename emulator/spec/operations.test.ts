/**
 * The emulator's operation table against Alibaba's generated SDK models (names, types, required flags, method)
 * and the spec's QPS table. The comparison with the provider's reading lives in test/spec-tables.test.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ACTIONS, qpsOf } from "./limits";
import { OPERATION_RULES, type ParamRule } from "./operations";
import { loadSdkModels, SDK_MODELS_PATH, type SdkParam } from "../test-support/sdk-models";
import { HANDLERS } from "../service";

const models = loadSdkModels();

function sdkKind(p: SdkParam): string {
  if (p.array) return "list";
  if (p.type === "number") return p.format === "int64" ? "int64" : "int32";
  return p.type;
}

function ruleKind(r: ParamRule): string {
  if (r.kind === "idList") return "list";
  if (r.kind === "int") return r.int64 ? "int64" : "int32";
  if (r.kind === "bool") return "boolean";
  return "string";
}

describe("emulator/spec/operations.ts against Alibaba's SDK models", () => {
  it("the copy of the SDK models equals shared/reference/alibaba-live-models.json (when that checkout is present)", () => {
    const shared = path.resolve(__dirname, "..", "..", "..", "shared", "reference", "alibaba-live-models.json");
    if (!fs.existsSync(shared)) return; // a clone without shared/ beside it: nothing to compare
    expect(fs.readFileSync(SDK_MODELS_PATH, "utf8")).toBe(fs.readFileSync(shared, "utf8"));
  });

  it("covers exactly the 29 operations", () => {
    expect(Object.keys(OPERATION_RULES).sort()).toEqual([...ACTIONS].sort());
    expect(Object.keys(models).sort()).toEqual([...ACTIONS].sort());
    expect(HANDLERS.map((h) => h.action).sort()).toEqual([...ACTIONS].sort());
  });

  it.each([...ACTIONS])("%s: same parameter names, kinds, required flags and method as the SDK", (action) => {
    const rule = OPERATION_RULES[action];
    const sdk = models[action]!;
    const ours = Object.fromEntries(rule.params.map((p) => [p.name, { kind: ruleKind(p), required: p.required }]));
    const theirs = Object.fromEntries(sdk.request.map((p) => [p.name, { kind: sdkKind(p), required: p.required }]));
    expect(ours).toEqual(theirs);
    expect(rule.method).toBe(sdk.method);
  });

  it("QPS: 10 for Ban/Unban/Add/Remove/ModifyLiveMessageGroupBand, 50 for the rest (spec §1)", () => {
    const ten = ACTIONS.filter((a) => OPERATION_RULES[a].qps === 10);
    expect(ten.sort()).toEqual(["AddLiveMessageGroupBand", "BanLiveMessageGroup", "ModifyLiveMessageGroupBand", "RemoveLiveMessageGroupBand", "UnbanLiveMessageGroup"]);
    for (const a of ACTIONS) expect(OPERATION_RULES[a].qps).toBe(qpsOf(a));
  });

  it("Describe/List/Check operations are read-only, everything else mutates", () => {
    for (const a of ACTIONS) expect([a, OPERATION_RULES[a].mutating]).toEqual([a, !/^(Describe|List|Check)/.test(a)]);
  });
});
