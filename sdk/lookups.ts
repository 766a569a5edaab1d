/**
 * Lookups usable in programs: plain async functions that read the service (in preview too, like Pulumi invokes)
 * with the same configuration as the resources (`livemessage:*` stack config, else the credential chain).
 */
import * as pulumi from "@pulumi/pulumi";
import type { DataCenter } from "../provider/limits";
import { getClient, readProviderConfig, type ProviderConfig } from "../provider/resources/config";
import {
  lookupApp,
  lookupGroup,
  lookupGroups,
  type AppInfo,
  type GroupInfo,
  type GroupStatusFilter,
  type GroupSummary,
} from "../provider/resources/lookups";

export type { GroupInfo, GroupStatusFilter, GroupSummary };

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

/**
 * Reads an app by its AppId. Throws when it does not exist (in `dataCenter`, or in any data center when omitted).
 *
 * @example
 * const app = await livemessage.getApp({ appId: "abc123" });
 * export const disabled = app.disabled;
 */
export async function getApp(args: { appId: string; dataCenter?: DataCenter }): Promise<AppLookup> {
  const info = await lookupApp(await getClient(config()), args);
  return { ...info, appKey: pulumi.secret(info.appKey), appSign: pulumi.secret(info.appSign) };
}

/**
 * Reads a group. A soft-deleted group is returned with `deleted: true`; a group that never existed throws.
 *
 * @example
 * const lobby = await livemessage.getGroup({ appId: "abc123", groupId: "lobby" });
 */
export async function getGroup(args: { appId: string; groupId: string; dataCenter?: DataCenter }): Promise<GroupInfo> {
  return lookupGroup(await getClient(config()), args);
}

/**
 * Lists an app's groups, oldest first: `status` "all" (default), "live" or "deleted".
 *
 * @example
 * const live = await livemessage.listGroups({ appId: "abc123", status: "live" });
 */
export async function listGroups(args: { appId: string; status?: GroupStatusFilter; dataCenter?: DataCenter }): Promise<GroupSummary[]> {
  return lookupGroups(await getClient(config()), args);
}
