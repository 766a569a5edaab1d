/**
 * The package's named enumerations (schema types `livemessage:index:<name>`), shared by the resources' and the
 * functions' field declarations.
 */
import { DATA_CENTERS } from "../limits";
import type { EnumSpec } from "./fields";

/** What a seed message does when the group has no joined user (the service only accepts messages to an active group, §2.4). */
export const WHEN_INACTIVE_MODES = ["fail", "wait", "defer"] as const;
export type WhenInactive = (typeof WHEN_INACTIVE_MODES)[number];

const DATA_CENTER_DOCS: Record<(typeof DATA_CENTERS)[number], { name: string; doc: string }> = {
  "cn-shanghai": { name: "CnShanghai", doc: "China (Shanghai), the API's default." },
  "ap-southeast-1": { name: "ApSoutheast1", doc: "Singapore." },
};

export const DataCenterEnum: EnumSpec = {
  name: "DataCenter",
  doc: "A LiveMessage data center (the service's `DataCenter` parameter). An app and its groups live in one data center.",
  type: "string",
  values: DATA_CENTERS.map((value) => ({ value, ...DATA_CENTER_DOCS[value] })),
};

export const MsgLifeCycleEnum: EnumSpec = {
  name: "MsgLifeCycle",
  doc: "How long an app's messages are kept.",
  type: "integer",
  values: [
    { name: "Days30", value: 0, doc: "30 days (the default)." },
    { name: "Days90", value: 1, doc: "90 days." },
    { name: "Days180", value: 2, doc: "180 days." },
  ],
};

export const AuditTypeEnum: EnumSpec = {
  name: "AuditType",
  doc: "Content moderation of an app's messages.",
  type: "integer",
  values: [
    { name: "None", value: 0, doc: "No moderation (the default)." },
    { name: "BuiltIn", value: 1, doc: "The service's built-in moderation." },
    { name: "Custom", value: 2, doc: "Your own moderation hook at `auditUrl`." },
  ],
};

const WHEN_INACTIVE_DOCS: Record<(typeof WHEN_INACTIVE_MODES)[number], { name: string; doc: string }> = {
  fail: { name: "Fail", doc: "Fail the deployment, explaining what to do (the default)." },
  wait: { name: "Wait", doc: "Look at the group every `waitIntervalSeconds` until a user joins, for up to `waitTimeoutSeconds`." },
  defer: { name: "Defer", doc: "Record the message with `delivered: false`; every later `pulumi up` tries again (shown as an update)." },
};

export const WhenInactiveEnum: EnumSpec = {
  name: "WhenInactive",
  doc: "What a seed message does when nobody has joined its group (the service accepts messages only to an active group).",
  type: "string",
  values: WHEN_INACTIVE_MODES.map((value) => ({ value, ...WHEN_INACTIVE_DOCS[value] })),
};

export const GroupStatusEnum: EnumSpec = {
  name: "GroupStatus",
  doc: "Which groups `listGroups` returns.",
  type: "string",
  values: [
    { name: "All", value: "all", doc: "Live and deleted groups (the default)." },
    { name: "Live", value: "live", doc: "Groups that are not deleted." },
    { name: "Deleted", value: "deleted", doc: "Soft-deleted groups (recoverable for 30 days)." },
  ],
};

export const SignatureVersionEnum: EnumSpec = {
  name: "SignatureVersion",
  doc: "How API requests are signed.",
  type: "string",
  values: [
    { name: "V3", value: "v3", doc: "ACS3-HMAC-SHA256 (the default)." },
    { name: "V1", value: "v1", doc: "The RPC signature, HMAC-SHA1." },
  ],
};

export const ENUMS: readonly EnumSpec[] = [AuditTypeEnum, DataCenterEnum, GroupStatusEnum, MsgLifeCycleEnum, SignatureVersionEnum, WhenInactiveEnum];
