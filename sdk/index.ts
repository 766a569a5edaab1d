/**
 * `pulumi-alicloud-livemessage`: Alibaba Cloud ApsaraVideo Live interactive messaging as Pulumi resources.
 */
export { App, type AppArgs, type AppResourceArgs } from "./app";
export { Group, type GroupArgs, type GroupResourceArgs } from "./group";
export {
  getApp,
  getAppOutput,
  getGroup,
  getGroupOutput,
  listGroups,
  listGroupsOutput,
  type AppInfo,
  type AppLookup,
  type GetAppArgs,
  type GetAppOutputArgs,
  type GetGroupArgs,
  type GetGroupOutputArgs,
  type GroupInfo,
  type GroupStatusFilter,
  type GroupSummary,
  type ListGroupsArgs,
  type ListGroupsOutputArgs,
} from "./lookups";
export { SeedMessage, type SeedMessageArgs, type SeedMessageResourceArgs, type WhenInactive } from "./seed-message";
export type { AuditType, DataCenter, MsgLifeCycle } from "./types";
