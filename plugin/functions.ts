/**
 * The package's functions (invokes): `getApp`, `getGroup`, `listGroups` — the same lookups as the dynamic SDK's,
 * with their arguments validated like resource inputs (a failure names the argument).
 */
import type { DataCenter } from "../provider/limits";
import { appIdField, dataCenterField, idField } from "../provider/operations/common";
import { getClient } from "../provider/resources/config";
import { lookupApp, lookupGroup, lookupGroups, type GroupStatusFilter } from "../provider/resources/lookups";
import type { PropertyBag } from "../provider/resources/property-bag";
import { validateFields, type CheckFailure, type FieldRules } from "../provider/resources/validate";
import { z } from "zod";
import { PACKAGE } from "./resources";

export interface NativeFunction {
  readonly token: string;
  readonly rules: FieldRules;
  /** Result properties that are always secret. */
  readonly secretOutputs: readonly string[];
  call(args: PropertyBag): Promise<PropertyBag>;
}

const GROUP_STATUSES = ["all", "live", "deleted"] as const;

function groupStatusArg() {
  return z.enum(GROUP_STATUSES, { error: `must be one of ${GROUP_STATUSES.map((s) => `"${s}"`).join(", ")}` });
}

export const NATIVE_FUNCTIONS: readonly NativeFunction[] = [
  {
    token: `${PACKAGE}:index:getApp`,
    rules: { fields: { appId: appIdField(), dataCenter: dataCenterField() }, required: ["appId"] },
    secretOutputs: ["appKey", "appSign"],
    async call(args) {
      const info = await lookupApp(await getClient(), { appId: String(args.appId), dataCenter: args.dataCenter as DataCenter | undefined });
      return { ...info };
    },
  },
  {
    token: `${PACKAGE}:index:getGroup`,
    rules: { fields: { appId: appIdField(), groupId: idField(), dataCenter: dataCenterField() }, required: ["appId", "groupId"] },
    secretOutputs: [],
    async call(args) {
      const info = await lookupGroup(await getClient(), {
        appId: String(args.appId),
        groupId: String(args.groupId),
        dataCenter: args.dataCenter as DataCenter | undefined,
      });
      return { ...info };
    },
  },
  {
    token: `${PACKAGE}:index:listGroups`,
    rules: { fields: { appId: appIdField(), status: groupStatusArg(), dataCenter: dataCenterField() }, required: ["appId"] },
    secretOutputs: [],
    async call(args) {
      const groups = await lookupGroups(await getClient(), {
        appId: String(args.appId),
        status: args.status as GroupStatusFilter | undefined,
        dataCenter: args.dataCenter as DataCenter | undefined,
      });
      return { appId: String(args.appId), groups };
    },
  },
];

export function validateArgs(fn: NativeFunction, args: PropertyBag): CheckFailure[] {
  return validateFields(args, fn.rules);
}
