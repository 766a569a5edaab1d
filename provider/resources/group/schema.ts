/**
 * `Group` inputs and outputs (lowerCamelCase) and their validation rules (spec §5.1).
 */
import { GROUP_INFO_MAX_BYTES, GROUP_NAME_MAX_BYTES, MAX_ADMINISTRATORS, type DataCenter } from "../../limits";
import { appIdField, boolField, dataCenterField, idField, stringField } from "../../operations/common";
import { optionalIdField, uniqueIdListField, type FieldRules } from "../validate";

/** What a user writes. */
export interface GroupArgs {
  /** The app the group belongs to. Changing it replaces the group. */
  appId: string;
  /**
   * Letters and digits, at most 64 bytes, unique in the app. Optional: when omitted it is generated from the
   * resource name plus a random suffix and kept stable across updates. A deleted group ID can never be used again,
   * so a change that would replace a group with a pinned `groupId` fails the preview.
   */
  groupId?: string;
  /** At most 128 bytes. Changing it replaces the group (the API cannot rename). */
  groupName?: string;
  /** Free-form extension data, at most 32 KB. Updated in place. */
  groupInfo?: string;
  /** Up to 3 administrator user IDs. Updated in place. */
  administrators?: string[];
  /** The creating user's ID. Changing it replaces the group. */
  creatorId?: string;
  /** Must be the app's data center; default `livemessage:region`, else `cn-shanghai`. Changing it replaces the group. */
  dataCenter?: DataCenter;
  /** Take over a group with this ID that already exists (made outside this stack) instead of failing. */
  adopt?: boolean;
  /** If this ID belongs to a deleted group (within 30 days of deletion), recover it instead of failing. */
  recoverDeleted?: boolean;
}

/** Inputs after `check`: defaults filled in, `groupId` generated when omitted. */
export interface GroupInputs {
  appId: string;
  groupId: string;
  groupName: string;
  groupInfo: string;
  administrators: string[];
  creatorId: string;
  dataCenter: DataCenter;
  adopt: boolean;
  recoverDeleted: boolean;
}

/** Outputs: the inputs plus what the service computes. Counters are refreshed but never cause a diff. */
export interface GroupState extends GroupInputs {
  /** When the group was created, Unix seconds. */
  createTime: number;
  /** True once the group has had more than 2,000 members (its member list is no longer queryable). */
  superLargeGroup: boolean;
  /** Users online in the group (at the last create, update or refresh). */
  onlineUserCounts: number;
  /** Total sessions. */
  totalTimes: number;
  /** Messages sent per message type ("type" → count). */
  msgAmount: Record<string, number>;
}

export const GROUP_REPLACE_FIELDS = ["appId", "groupId", "groupName", "creatorId", "dataCenter"] as const;
export const GROUP_UPDATE_FIELDS = ["administrators", "groupInfo", "adopt", "recoverDeleted"] as const;
export const GROUP_INPUT_FIELDS = [...GROUP_REPLACE_FIELDS, ...GROUP_UPDATE_FIELDS] as const;
/** Fields whose values a user can pin; `groupId` is the only one that is generated. */
export const GROUP_AUTONAMED_FIELD = "groupId";

/** Internal inputs the SDK or `check` adds (kept in state, never sent to the API). */
export const GROUP_INTERNAL_FIELDS = ["__resourceName", "__defaults"] as const;

export const groupRules: FieldRules = {
  fields: {
    appId: appIdField(),
    groupId: idField(),
    groupName: stringField({ maxBytes: GROUP_NAME_MAX_BYTES }),
    groupInfo: stringField({ maxBytes: GROUP_INFO_MAX_BYTES }),
    administrators: uniqueIdListField(MAX_ADMINISTRATORS),
    creatorId: optionalIdField(),
    dataCenter: dataCenterField(),
    adopt: boolField(),
    recoverDeleted: boolField(),
  },
  required: ["appId"],
  internal: GROUP_INTERNAL_FIELDS,
};
