/**
 * `pulumi-alicloud-livemessage`: Alibaba Cloud ApsaraVideo Live interactive messaging as Pulumi resources.
 */
export { App, type AppArgs, type AppResourceArgs } from "./app";
export { Group, type GroupArgs, type GroupResourceArgs } from "./group";
export { getApp, getGroup, listGroups, type AppLookup, type GroupInfo, type GroupStatusFilter, type GroupSummary } from "./lookups";
export { SeedMessage, type SeedMessageArgs, type SeedMessageResourceArgs, type WhenInactive } from "./seed-message";
