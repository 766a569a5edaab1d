/**
 * The package's functions (invokes): `getApp`, `getGroup`, `listGroups` — the same lookups as the dynamic SDK's.
 * Their arguments, validation rules and secret results come from the declarations (provider/resources/package-spec.ts):
 * a bad argument is a failure naming it, like a resource input.
 */
import type { DataCenter } from "../provider/limits";
import { getClient } from "../provider/resources/config";
import type { FunctionSpec } from "../provider/resources/fields";
import { lookupApp, lookupGroup, lookupGroups, type GroupStatusFilter } from "../provider/resources/lookups";
import { FUNCTIONS, PACKAGE_NAME } from "../provider/resources/package-spec";
import type { PropertyBag } from "../provider/resources/property-bag";
import { validateFields, type CheckFailure, type FieldRules } from "../provider/resources/validate";

export interface NativeFunction {
  readonly token: string;
  readonly rules: FieldRules;
  /** Result properties that are always secret. */
  readonly secretOutputs: readonly string[];
  call(args: PropertyBag): Promise<PropertyBag>;
}

const dataCenterOf = (args: PropertyBag) => args.dataCenter as DataCenter | undefined;

const CALLS: Record<string, (args: PropertyBag) => Promise<PropertyBag>> = {
  getApp: async (args) => ({ ...(await lookupApp(await getClient(), { appId: String(args.appId), dataCenter: dataCenterOf(args) })) }),
  getGroup: async (args) => ({
    ...(await lookupGroup(await getClient(), { appId: String(args.appId), groupId: String(args.groupId), dataCenter: dataCenterOf(args) })),
  }),
  listGroups: async (args) => ({
    appId: String(args.appId),
    groups: await lookupGroups(await getClient(), {
      appId: String(args.appId),
      status: args.status as GroupStatusFilter | undefined,
      dataCenter: dataCenterOf(args),
    }),
  }),
};

function nativeFunction(spec: FunctionSpec): NativeFunction {
  const call = CALLS[spec.name];
  if (!call) throw new Error(`function ${spec.name} is declared but not implemented`);
  const fields: Record<string, NonNullable<FunctionSpec["args"][string]["rule"]>> = {};
  for (const [k, a] of Object.entries(spec.args)) {
    if (!a.rule) throw new Error(`${spec.name}.${k}: an argument needs a rule`);
    fields[k] = a.rule;
  }
  return {
    token: `${PACKAGE_NAME}:index:${spec.name}`,
    rules: { fields, required: Object.entries(spec.args).filter(([, a]) => a.input === "required").map(([k]) => k) },
    secretOutputs: Object.entries(spec.result).filter(([, r]) => r.secret).map(([k]) => k),
    call,
  };
}

export const NATIVE_FUNCTIONS: readonly NativeFunction[] = FUNCTIONS.map(nativeFunction);

export function validateArgs(fn: NativeFunction, args: PropertyBag): CheckFailure[] {
  return validateFields(args, fn.rules);
}
