/**
 * The emulator's table of the 29 operations (spec §1–§8; parameter names, types and required flags also checked
 * against `shared/reference/alibaba-live-models.json`, the request models of Alibaba's generated SDK): HTTP
 * method, QPS, whether it mutates, and every parameter's rule. The service validates each call against this table
 * before a handler runs (`../service/params.ts`), so the handlers never restate a limit.
 *
 * Written independently of the provider's operation schemas; `test/spec-tables.test.ts` probes both with the same
 * values and fails on any disagreement.
 */
import {
  ACTIONS,
  ADMINISTRATORS_MAX,
  APP_ID_MAX_BYTES,
  APP_NAME_CHARS,
  AUDIT_TYPES,
  BODY_MAX_BYTES,
  BY_PAGE_SIZE_RANGE,
  CHECK_USER_IDS_MAX,
  GROUP_INFO_MAX_BYTES,
  GROUP_NAME_MAX_BYTES,
  GROUP_STATUSES,
  META_INFO_MAX_BYTES,
  MSG_LIFE_CYCLES,
  MUTE_USER_IDS_MAX,
  PAGE_NUMBER_RANGE,
  qpsOf,
  SORT_TYPES,
  TOKEN_PAGE_SIZE_RANGE,
  type Action,
} from "./limits";

/**
 * - `string`: any text up to `maxBytes` UTF-8 bytes.
 * - `id`: letters and digits, 1–64 bytes (§2.4).
 * - `appId`: [U] non-empty, no whitespace or commas, up to APP_ID_MAX_BYTES.
 * - `appName`: 2–16 characters (§3.1).
 * - `dataCenter`: one of DATA_CENTERS (§2.4).
 * - `hookUrl`: AuditUrl / EventCallbackUrl rules (§3.1); "" means none.
 * - `int`: a decimal integer (int32, or int64 limited to JS safe integers), optionally in [min, max] or `oneOf`.
 * - `bool`: `true` / `false`.
 * - `idList`: comma-joined IDs (§2.2), `minItems`–`maxItems` of them.
 */
export type ParamKind = "string" | "id" | "appId" | "appName" | "dataCenter" | "hookUrl" | "int" | "bool" | "idList";

export interface ParamRule {
  readonly name: string;
  readonly kind: ParamKind;
  readonly required: boolean;
  readonly maxBytes?: number;
  readonly int64?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly oneOf?: readonly number[];
  readonly minItems?: number;
  readonly maxItems?: number;
}

export interface OperationRule {
  readonly action: Action;
  /** §2.1: the method the SDK uses (the emulator accepts GET and POST for every action, §13.5 [U]). */
  readonly method: "GET" | "POST";
  readonly qps: number;
  /** True when a successful call may change state (write-ahead logged). */
  readonly mutating: boolean;
  readonly params: readonly ParamRule[];
}

type Opt = Omit<ParamRule, "name" | "kind" | "required">;
const req = (name: string, kind: ParamKind, o: Opt = {}): ParamRule => ({ name, kind, required: true, ...o });
const opt = (name: string, kind: ParamKind, o: Opt = {}): ParamRule => ({ name, kind, required: false, ...o });

/** §2.4 "Common rows": AppId (required) and DataCenter (optional) on every app-scoped operation. */
const APP = [req("AppId", "appId", { maxBytes: APP_ID_MAX_BYTES }), opt("DataCenter", "dataCenter")];
const GROUP = [...APP, req("GroupId", "id")];
const sortType = req("SortType", "int", { oneOf: SORT_TYPES });
/** §5.6, §6.1, §7.3: int64 cursor, empty → first page. §3.3 (ListLiveMessageApps) also documents -1 → first page;
 * the other lists document no negative value, so none is accepted. */
const nextPageToken = opt("NextPageToken", "int", { int64: true, min: 0 });
const appsNextPageToken = opt("NextPageToken", "int", { int64: true, min: -1 });
const tokenPageSize = req("PageSize", "int", { min: TOKEN_PAGE_SIZE_RANGE.min, max: TOKEN_PAGE_SIZE_RANGE.max });
const muteList = (name: string, required: boolean): ParamRule =>
  (required ? req : opt)(name, "idList", { minItems: required ? 1 : 0, maxItems: MUTE_USER_IDS_MAX });
const checkList = req("UserIds", "idList", { minItems: 1, maxItems: CHECK_USER_IDS_MAX });
const meta = (name: string): ParamRule => opt(name, "string", { maxBytes: META_INFO_MAX_BYTES });

function op(action: Action, mutating: boolean, params: readonly ParamRule[], method: "GET" | "POST" = "POST"): OperationRule {
  return { action, method, qps: qpsOf(action), mutating, params };
}

const RULES: readonly OperationRule[] = [
  // §3 apps
  op("CreateLiveMessageApp", true, [
    opt("AppName", "appName", { min: APP_NAME_CHARS.min, max: APP_NAME_CHARS.max }),
    opt("AuditType", "int", { oneOf: AUDIT_TYPES }),
    opt("AuditUrl", "hookUrl"),
    opt("EventCallbackUrl", "hookUrl"),
    opt("MsgLifeCycle", "int", { oneOf: MSG_LIFE_CYCLES }),
    opt("DataCenter", "dataCenter"),
  ]),
  op("DescribeLiveMessageApp", false, APP),
  op("ListLiveMessageApps", false, [sortType, appsNextPageToken, opt("DataCenter", "dataCenter")]),
  op("ModifyLiveMessageAppAudit", true, [...APP, opt("AuditType", "int", { oneOf: AUDIT_TYPES }), opt("AuditUrl", "hookUrl")]),
  op("ModifyLiveMessageAppCallback", true, [...APP, opt("EventCallbackUrl", "hookUrl")]),
  op("ModifyLiveMessageAppDisable", true, [...APP, opt("Disable", "bool")]),
  // §5 groups
  op("CreateLiveMessageGroup", true, [
    ...GROUP,
    opt("GroupName", "string", { maxBytes: GROUP_NAME_MAX_BYTES }),
    opt("GroupInfo", "string", { maxBytes: GROUP_INFO_MAX_BYTES }),
    opt("Administrators", "idList", { minItems: 0, maxItems: ADMINISTRATORS_MAX }),
    opt("CreatorId", "id"),
  ]),
  op("DescribeLiveMessageGroup", false, GROUP),
  op("ModifyLiveMessageGroup", true, [
    ...GROUP,
    opt("ModifyAdmin", "bool"),
    opt("AdminList", "idList", { minItems: 0, maxItems: ADMINISTRATORS_MAX }),
    opt("ModifyInfo", "bool"),
    opt("GroupInfo", "string", { maxBytes: GROUP_INFO_MAX_BYTES }),
  ]),
  op("DeleteLiveMessageGroup", true, [...GROUP, opt("OperatorId", "id")]),
  op("RecoverLiveMessageDeletedGroup", true, GROUP),
  op("ListLiveMessageGroups", false, [...APP, sortType, opt("GroupStatus", "int", { oneOf: GROUP_STATUSES }), nextPageToken]),
  op(
    "ListLiveMessageGroupByPage",
    false,
    [
      ...APP,
      sortType,
      opt("PageNumber", "int", { min: PAGE_NUMBER_RANGE.min, max: PAGE_NUMBER_RANGE.max }),
      opt("PageSize", "int", { min: BY_PAGE_SIZE_RANGE.min, max: BY_PAGE_SIZE_RANGE.max }),
      opt("GroupStatus", "int", { oneOf: GROUP_STATUSES }),
    ],
    "GET",
  ),
  // §6 members and presence
  op("ListLiveMessageGroupUsers", false, [...GROUP, tokenPageSize, sortType, nextPageToken]),
  op("CheckLiveMessageUsersInGroup", false, [...GROUP, checkList]),
  op("CheckLiveMessageUsersOnline", false, [...APP, checkList]),
  op("KickLiveMessageGroupUser", true, [...GROUP, req("KickoffUser", "id")]),
  op("ModifyLiveMessageUserInfo", true, [...APP, req("UserId", "id"), meta("UserMetaInfo")]),
  // §7 messages
  op("SendLiveMessageGroup", true, [
    ...GROUP,
    req("SenderId", "id"),
    meta("SenderMetaInfo"),
    opt("Body", "string", { maxBytes: BODY_MAX_BYTES }),
    opt("MsgType", "int", { int64: true }),
    opt("MsgTid", "id"),
    opt("StaticsIncrease", "int", { int64: true }),
    opt("Weight", "int", { int64: true }),
    opt("NoStorage", "bool"),
    opt("NoCache", "bool"),
  ]),
  op("SendLiveMessageUser", true, [
    ...APP,
    req("ReceiverId", "id"),
    req("SenderId", "id"),
    meta("SenderInfo"),
    opt("Body", "string", { maxBytes: BODY_MAX_BYTES }),
    opt("MsgType", "int", { int64: true }),
    opt("MsgTid", "id"),
    opt("HighReliability", "bool"),
    opt("Storage", "bool"),
  ]),
  op("ListLiveMessageGroupMessages", false, [
    ...GROUP,
    tokenPageSize,
    sortType,
    opt("BeginTime", "int", { int64: true, min: 0 }),
    opt("EndTime", "int", { int64: true, min: 0 }),
    opt("MsgType", "int", { int64: true }),
    nextPageToken,
  ]),
  op("DeleteLiveMessageGroupMessage", true, [...GROUP, req("MessageId", "id"), opt("DeleterId", "id"), meta("DeleterInfo")]),
  op("DeleteLiveMessageUserMessage", true, [...APP, req("ReceiverId", "id"), req("MessageId", "id"), opt("DeleterId", "id"), meta("DeleterInfo")]),
  // §8 mutes
  op("BanLiveMessageGroup", true, [...GROUP, muteList("ExceptUsers", false)]),
  op("UnbanLiveMessageGroup", true, GROUP),
  op("AddLiveMessageGroupBand", true, [...GROUP, muteList("BannedUsers", true)]),
  op("RemoveLiveMessageGroupBand", true, [...GROUP, muteList("UnbannedUsers", true)]),
  op("ModifyLiveMessageGroupBand", true, [
    ...GROUP,
    opt("BannedAll", "bool"),
    muteList("BannnedUsers", false),
    muteList("ExceptUsers", false),
  ]),
  op("DescribeLiveMessageGroupBand", false, GROUP),
];

export const OPERATION_RULES: Readonly<Record<Action, OperationRule>> = Object.freeze(
  Object.fromEntries(RULES.map((r) => [r.action, Object.freeze({ ...r, params: Object.freeze([...r.params]) })])) as Record<Action, OperationRule>,
);

/** Every action of §1 has exactly one row (checked at load: a missing row is a bug of this file). */
for (const a of ACTIONS) if (!OPERATION_RULES[a]) throw new Error(`emulator/spec/operations.ts: no rule for ${a}`);

export function operationRule(action: string): OperationRule | undefined {
  return Object.prototype.hasOwnProperty.call(OPERATION_RULES, action) ? OPERATION_RULES[action as Action] : undefined;
}
