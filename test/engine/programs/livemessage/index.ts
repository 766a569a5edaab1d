// Declares the resources described by LM_SPEC (JSON), so one program serves every engine-test scenario:
// { apps: [{ name, args?, opts? }], groups: [{ name, app?, appId?, args?, opts? }], seeds: [{ name, app?, group?, args?, opts? }],
//   gets: [{ name, kind: "app" | "group", id }] }
//   lookups: { appId, groupId } }  (calls getApp / getGroup / listGroups)
//   outputLookups: { app, group } }  (calls getAppOutput / getGroupOutput / listGroupsOutput on those resources' outputs)
// `app`/`group` name another resource in the spec whose output feeds this one (a real dependency).
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import * as livemessage from "pulumi-alicloud-livemessage";

interface Decl {
  name: string;
  app?: string;
  group?: string;
  appId?: string;
  args?: Record<string, unknown>;
  opts?: { import?: string; retainOnDelete?: boolean; deleteBeforeReplace?: boolean; dependsOnApp?: boolean };
}
interface Spec {
  apps?: Decl[];
  groups?: Decl[];
  seeds?: Decl[];
  gets?: { name: string; kind: "app" | "group"; id: string }[];
  /** Exercise the lookup functions against existing objects. */
  lookups?: { appId: string; groupId: string };
  /** Exercise the Output forms of the lookups with Inputs: outputs of resources declared in the same program. */
  outputLookups?: { app: string; group: string };
}

// A spec too large for one environment variable (Linux: 128 KiB per string, E2BIG) comes as a file: LM_SPEC_FILE.
const spec: Spec = JSON.parse(
  process.env.LM_SPEC_FILE ? fs.readFileSync(process.env.LM_SPEC_FILE, "utf8") : (process.env.LM_SPEC ?? "{}"),
);
const apps: Record<string, livemessage.App> = {};
const groups: Record<string, livemessage.Group> = {};
const out: Record<string, pulumi.Output<unknown>> = {};

const options = (d: Decl): pulumi.CustomResourceOptions => ({
  ...(d.opts?.import ? { import: d.opts.import } : {}),
  ...(d.opts?.retainOnDelete ? { retainOnDelete: true } : {}),
  ...(d.opts?.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
});

for (const d of spec.apps ?? []) {
  const app = new livemessage.App(d.name, (d.args ?? {}) as livemessage.AppResourceArgs, options(d));
  apps[d.name] = app;
  out[`${d.name}.appId`] = app.appId;
  out[`${d.name}.appKey`] = app.appKey;
}
for (const d of spec.groups ?? []) {
  const appId = d.app ? apps[d.app]!.appId : d.appId;
  const g = new livemessage.Group(d.name, { ...(d.args ?? {}), appId } as livemessage.GroupResourceArgs, options(d));
  groups[d.name] = g;
  out[`${d.name}.groupId`] = g.groupId;
}
const seedMessageCtor = (livemessage as unknown as Record<string, unknown>).SeedMessage as
  | (new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource & { msgTid: pulumi.Output<string>; delivered: pulumi.Output<boolean> })
  | undefined;
for (const d of spec.seeds ?? []) {
  if (!seedMessageCtor) throw new Error("this SDK has no SeedMessage");
  const appId = d.app ? apps[d.app]!.appId : d.appId;
  const groupId = d.group ? groups[d.group]!.groupId : d.args?.groupId;
  const s = new seedMessageCtor(d.name, { ...(d.args ?? {}), appId, groupId }, options(d));
  out[`${d.name}.msgTid`] = s.msgTid;
  out[`${d.name}.delivered`] = s.delivered;
}
for (const g of spec.gets ?? []) {
  const r = g.kind === "app" ? livemessage.App.get(g.name, g.id) : livemessage.Group.get(g.name, g.id);
  out[`${g.name}.id`] = r.id;
}

if (spec.lookups) {
  const { appId, groupId } = spec.lookups;
  out["lookup.app"] = pulumi.output(livemessage.getApp({ appId }));
  out["lookup.group"] = pulumi.output(livemessage.getGroup({ appId, groupId }));
  out["lookup.groups"] = pulumi.output(livemessage.listGroups({ appId, status: "live" }));
}

if (spec.outputLookups) {
  const app = apps[spec.outputLookups.app]!;
  const group = groups[spec.outputLookups.group]!;
  out["lookupOutput.app"] = livemessage.getAppOutput({ appId: app.appId });
  out["lookupOutput.group"] = livemessage.getGroupOutput({ appId: app.appId, groupId: group.groupId }, { dependsOn: [group] });
  out["lookupOutput.groupIds"] = livemessage.listGroupsOutput({ appId: app.appId, status: "live" }, { dependsOn: [group] }).apply((gs) => gs.map((g) => g.groupId));
}

export const outputs = out;
