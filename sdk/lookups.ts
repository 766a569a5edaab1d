/**
 * Lookups usable in programs, in the two forms Pulumi's own providers offer: plain async functions (`getApp`, …)
 * and Output forms (`getAppOutput`, …) that accept Inputs — e.g. the `appId` of an App declared in the same program —
 * and wait for them. Both read the service (in preview too, like Pulumi invokes) with the same configuration as the
 * resources (`livemessage:*` stack config, else the credential chain).
 */
import * as pulumi from "@pulumi/pulumi";
import { getClient, readProviderConfig, type ProviderConfig } from "../provider/resources/config";
import { lookupApp, lookupGroup, lookupGroups } from "../provider/resources/lookups";
import type {
  AppInfo,
  GetAppArgs,
  GetAppOutputArgs,
  GetGroupArgs,
  GetGroupOutputArgs,
  GroupInfo,
  GroupStatus,
  GroupSummary,
  ListGroupsArgs,
  ListGroupsOutputArgs,
} from "./types";

export type { AppInfo, GetAppArgs, GetAppOutputArgs, GetGroupArgs, GetGroupOutputArgs, GroupInfo, GroupSummary, ListGroupsArgs, ListGroupsOutputArgs };

/** The `status` of `listGroups`: "all" (default), "live" or "deleted". */
export type GroupStatusFilter = GroupStatus;

/** What `getApp` returns: `appKey` and `appSign` are secret Outputs, so exporting them never shows them in plain text. */
export type AppLookup = Omit<AppInfo, "appKey" | "appSign"> & {
  appKey: pulumi.Output<string>;
  appSign: pulumi.Output<string>;
};

let programConfig: ProviderConfig | undefined;
function config(): ProviderConfig {
  // Read once per program run; the stack config does not change while a program runs.
  return (programConfig ??= readProviderConfig((key) => pulumi.runtime.getConfig(key)));
}

async function readApp(args: GetAppArgs): Promise<AppInfo> {
  return lookupApp(await getClient(config()), args);
}

async function readGroup(args: GetGroupArgs): Promise<GroupInfo> {
  return lookupGroup(await getClient(config()), args);
}

async function readGroups(args: ListGroupsArgs): Promise<GroupSummary[]> {
  return lookupGroups(await getClient(config()), args);
}

/**
 * Reads an app by its AppId. Throws when it does not exist (in `dataCenter`, or in any data center when omitted).
 *
 * @example
 * const app = await livemessage.getApp({ appId: "abc123" });
 * export const disabled = app.disabled;
 */
export async function getApp(args: GetAppArgs): Promise<AppLookup> {
  const info = await readApp(args);
  return { ...info, appKey: pulumi.secret(info.appKey), appSign: pulumi.secret(info.appSign) };
}

/**
 * `getApp` for Inputs: waits for them and reads the app. The result carries `appKey` and `appSign`, so the whole
 * Output is secret (as with Pulumi's own invokes); the plain `getApp` keeps the other fields non-secret.
 *
 * @example
 * const app = new livemessage.App("chat", { appName: "chat" });
 * export const info = livemessage.getAppOutput({ appId: app.appId }); // a secret Output<AppInfo>
 */
export function getAppOutput(args: GetAppOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<AppInfo> {
  return pulumi.secret(after(opts, pulumi.output(args)).apply((a) => readApp(a)));
}

/**
 * Reads a group. A soft-deleted group is returned with `deleted: true`; a group that never existed throws.
 *
 * @example
 * const lobby = await livemessage.getGroup({ appId: "abc123", groupId: "lobby" });
 */
export async function getGroup(args: GetGroupArgs): Promise<GroupInfo> {
  return readGroup(args);
}

/**
 * `getGroup` for Inputs: waits for them and reads the group.
 *
 * @example
 * const lobby = new livemessage.Group("lobby", { appId: app.appId });
 * export const admins = livemessage.getGroupOutput({ appId: app.appId, groupId: lobby.groupId }).administrators;
 */
export function getGroupOutput(args: GetGroupOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GroupInfo> {
  return after(opts, pulumi.output(args)).apply((a) => readGroup(a));
}

/**
 * Lists an app's groups, oldest first: `status` "all" (default), "live" or "deleted".
 *
 * @example
 * const live = await livemessage.listGroups({ appId: "abc123", status: "live" });
 */
export async function listGroups(args: ListGroupsArgs): Promise<GroupSummary[]> {
  return readGroups(args);
}

/**
 * `listGroups` for Inputs: waits for them and lists the app's groups, oldest first.
 *
 * @example
 * export const count = livemessage.listGroupsOutput({ appId: app.appId, status: "live" }).apply((groups) => groups.length);
 */
export function listGroupsOutput(args: ListGroupsOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GroupSummary[]> {
  return after(opts, pulumi.output(args)).apply((a) => readGroups(a));
}

/** The arguments, once the resources named in `opts.dependsOn` are done too. */
function after<T>(opts: pulumi.InvokeOutputOptions | undefined, args: pulumi.Output<T>): pulumi.Output<T> {
  const deps = opts?.dependsOn;
  if (!deps) return args;
  const list = (Array.isArray(deps) ? deps : [deps]) as pulumi.Input<pulumi.Resource>[];
  const ready: pulumi.Output<string[]> = pulumi.all(list.map((d) => pulumi.output(d).apply((r) => r.urn)));
  return ready.apply(() => args);
}
