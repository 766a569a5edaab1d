/**
 * Every behaviour of the emulated LiveMessage service that the spec marks [U] (unverified), in one place.
 *
 * Each constant names the spec item it answers. Changing a choice means changing the constant here; the handlers
 * read these values instead of hard-coding the decision. the README ("Unverified behaviour") lists the same items as one table
 * for the README — keep the two in step.
 */
import { EmulatorError, Errors } from "../errors";

// ---------------------------------------------------------------------------------------------------------------
// Accounts, apps, data centers
// ---------------------------------------------------------------------------------------------------------------

/** §3.1 / §13.2: error when an account already has MAX_APPS_PER_ACCOUNT (300) apps. Named after the product's
 * own quota codes (`ErrorTooManyGroups`, `ErrorTooManyMsgTypes`). */
export const tooManyAppsError = (accountId: string, limit: number): EmulatorError => Errors.tooManyApps(accountId, limit);

/** §2.4 app quota: counted over all data centers of the account (the quota is "per Alibaba Cloud account"). */
export const APP_QUOTA_SPANS_DATA_CENTERS = true;

/** §2.4 / §13.6: an app is only found when a call passes the app's `DataCenter`; an omitted `DataCenter` means
 * `cn-shanghai` (`DEFAULT_DATA_CENTER` in ../spec/limits.ts). A mismatch answers ResourceNotExist. */
export const wrongDataCenterError = (appId: string, dataCenter: string): EmulatorError =>
  Errors.resourceNotExist(`app ${appId} in data center ${dataCenter}`);

/** §3.1: shapes of the generated credentials (letters+digits, drawn from ctx.random). Real values are opaque. */
export const APP_ID_LENGTH = 8;
export const APP_KEY_LENGTH = 32;
export const APP_SIGN_LENGTH = 64;
export const GENERATED_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
export const APP_SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** §3.1: AppName is optional; an app created without one has this name. */
export const DEFAULT_APP_NAME = "";

/**
 * §3.6 / §13.6: a disabled app refuses its *runtime* traffic — sending, kicking, muting, user info, joining — with
 * NoAuth 403, while management calls (apps, groups, reads) keep working, so a stack can still update or tear down
 * the groups of an app it has disabled. Every action not listed here is refused on a disabled app.
 */
export const ACTIONS_ALLOWED_ON_DISABLED_APP: ReadonlySet<string> = new Set([
  "DescribeLiveMessageApp",
  "ListLiveMessageApps",
  "ModifyLiveMessageAppAudit",
  "ModifyLiveMessageAppCallback",
  "ModifyLiveMessageAppDisable",
  "CreateLiveMessageGroup",
  "DescribeLiveMessageGroup",
  "ModifyLiveMessageGroup",
  "DeleteLiveMessageGroup",
  "RecoverLiveMessageDeletedGroup",
  "ListLiveMessageGroups",
  "ListLiveMessageGroupByPage",
  "ListLiveMessageGroupUsers",
  "ListLiveMessageGroupMessages",
  "CheckLiveMessageUsersInGroup",
  "CheckLiveMessageUsersOnline",
  "DescribeLiveMessageGroupBand",
  "DeleteLiveMessageGroupMessage",
  "DeleteLiveMessageUserMessage",
]);
export const disabledAppError = (appId: string): EmulatorError => Errors.noAuth(`the app ${appId} is disabled`);
/** §3.6 / §13.6: users cannot join groups of a disabled app either (admin `join` answers the same NoAuth). */
export const JOIN_ALLOWED_ON_DISABLED_APP = false;

/** §3.6: ModifyLiveMessageAppDisable without `Disable` behaves like `Disable=false` (re-enable), the bool default. */
export const DEFAULT_DISABLE_PARAM = false;

/** §3.4: `AuditNeedAuthentication` is the app's hook-authentication setting, true by default (whatever AuditType). */
export const AUDIT_NEED_AUTHENTICATION = true;
/** §3.5: `EventCallbackNeedAuthentication`, true by default. */
export const EVENT_CALLBACK_NEED_AUTHENTICATION = true;
/** §3.4: ModifyLiveMessageAppAudit without `AuditType` keeps the current type (and `AuditUrl` may still change). */
export const MODIFY_AUDIT_KEEPS_TYPE_WHEN_OMITTED = true;

// ---------------------------------------------------------------------------------------------------------------
// Paging (§3.3, §5.6, §6.1, §7.3, §13.4)
// ---------------------------------------------------------------------------------------------------------------

/** §13.4: every integer `NextPageToken` (and ListLiveMessageGroups' string `NextpageToken`) is a cursor: the
 * creation/join/send sequence number of the first item of the next page, so pages stay stable while items are
 * added or removed. 0 and empty mean "first page" (and -1, which only ListLiveMessageApps accepts, §3.3). Page sizes of the two server-sized lists are
 * `APPS_PAGE_SIZE` / `GROUPS_PAGE_SIZE` in ../spec/limits.ts. */
export const PAGE_TOKEN_FIRST_PAGE_VALUES: ReadonlySet<number> = new Set([0, -1]);

// ---------------------------------------------------------------------------------------------------------------
// Groups (§5)
// ---------------------------------------------------------------------------------------------------------------

/** §5.4 / §13.8: deleting an unknown or already-deleted group succeeds and echoes the GroupId (no change). */
export const DELETE_UNKNOWN_GROUP_SUCCEEDS = true;
/** §5.4: deleting a group disconnects its members (they are "notified the group closed"). */
export const DELETE_GROUP_REMOVES_MEMBERS = true;

/** §5.5: recovering a deleted group after RECOVER_WINDOW_SECONDS fails with this error. */
export const recoverWindowExpiredError = (groupId: string): EmulatorError =>
  Errors.resourceNotExist(`deleted group ${groupId} is past the recovery window`);
/** §5.5: recovering a group that is not deleted is a successful no-op. */
export const RECOVER_LIVE_GROUP_SUCCEEDS = true;

/** §5.3 and §13: operations other than Describe/Delete/Recover/List on a deleted group answer this error. */
export const deletedGroupError = (groupId: string): EmulatorError =>
  Errors.resourceNotExist(`group ${groupId} (it is deleted)`);

// ---------------------------------------------------------------------------------------------------------------
// Members / presence (§6, §2.4 super groups)
// ---------------------------------------------------------------------------------------------------------------

/** §6.4 / §13.8: kicking a user who is not in the group succeeds; a kicked user may join again. */
export const KICK_NON_MEMBER_SUCCEEDS = true;

/** §2.4: a user joining a group they are already in updates their UserInfo (when given) and counts no new session. */
export const REJOIN_COUNTS_SESSION = false;

/** §2.4 super groups: while `SuperLargeGroup` is true the member list is hidden (ListLiveMessageGroupUsers returns an
 * empty list), but presence still answers CheckLiveMessageUsersInGroup (false: it answers Online=false for
 * everyone), CheckLiveMessageUsersOnline, and `OnlineUserCounts` keeps counting. */
export const SUPER_GROUP_PRESENCE_CHECKS_WORK = true;

/** §6.5: the FailList of ModifyLiveMessageUserInfo lists groups the user is recorded in that no longer exist. Since a
 * deleted group disconnects its members, the emulator's FailList is always empty; these are its item values. */
export const USER_INFO_FAIL_CODE = 440;
/** §6.5: ModifyLiveMessageUserInfo without `UserMetaInfo` sets the user's info to "" (it is the new value). */
export const MODIFY_USER_INFO_OMITTED_CLEARS = true;
export const USER_INFO_FAIL_REASON = "group not exists or already deleted";

// ---------------------------------------------------------------------------------------------------------------
// Messages (§7)
// ---------------------------------------------------------------------------------------------------------------

/** §7.1 / §13.2: SendLiveMessageGroup to a group nobody has joined ("inactive") fails with this error. InputInvalid
 * rather than ResourceNotExist, so that clients do not conclude the group is gone. */
export const inactiveGroupError = (groupId: string): EmulatorError =>
  Errors.inputInvalid(`group ${groupId} is not active (no user has joined it)`);

/** §7.2 / §13.2: SendLiveMessageUser to an offline receiver succeeds (no offline delivery) unless
 * `HighReliability=true`, which waits for an ACK that never comes and fails with this error. */
export const receiverOfflineError = (receiverId: string): EmulatorError =>
  Errors.inputInvalid(`receiver ${receiverId} is offline and did not acknowledge the message within 3 s`);

/** §7.1: `MsgTid` generated when omitted (letters+digits from ctx.random). */
export const GENERATED_MSG_TID_LENGTH = 16;
/** §7.1: a `MsgTid` already used in the group is treated as a retry of that send: nothing is stored or counted
 * again and the same `MsgTid` is returned (MsgTid is the client's idempotency handle, spec §11.3). */
export const DUPLICATE_MSG_TID_IS_RETRY = true;
/** §7.1: MsgType when omitted. */
export const DEFAULT_MSG_TYPE = 0;
/** §7.1: the recent-message cache keeps the last N messages of a group (`NoCache=false`). */
export const MESSAGE_CACHE_SIZE = 100;
/** §7.1 / §8: mutes restrict users of the client SDK; server-side sends through the API are not muted. When set to
 * true, a muted SenderId fails with `mutedSenderError`. */
export const MUTES_APPLY_TO_API_SENDS = false;
export const mutedSenderError = (senderId: string): EmulatorError => Errors.noAuth(`sender ${senderId} is muted in this group`);
/** §7.3: each listed message's `TotalMessages` is the group's running total of sent messages at list time (false:
 * the total when that message was sent, i.e. its SeqNumber). */
export const TOTAL_MESSAGES_AT_LIST_TIME = true;
/** §7.4 / §7.5 / §13.8: deleting an unknown message succeeds. Counters (`MsgAmount`, `TotalMessages`) are kept. */
export const DELETE_UNKNOWN_MESSAGE_SUCCEEDS = true;

// ---------------------------------------------------------------------------------------------------------------
// Mute model (§8)
// ---------------------------------------------------------------------------------------------------------------

/** §8 / §13.8: ModifyLiveMessageGroupBand sets the whole mute state: mute-all = `BannedAll` (default false),
 * individual mutes = `BannnedUsers` (default none), exceptions = `ExceptUsers` when mute-all is on (else none).
 * Set to "merge" to add `BannnedUsers`/`ExceptUsers` to the existing lists instead. */
export const MODIFY_BAND_SEMANTICS: "replace" | "merge" = "replace";
/** §8: UnbanLiveMessageGroup turns mute-all off and forgets its exceptions; individual mutes remain ([V]). */
export const UNBAN_CLEARS_EXCEPTIONS = true;

// ---------------------------------------------------------------------------------------------------------------
// Parameters (§2.2)
// ---------------------------------------------------------------------------------------------------------------

/** §2.2 / §13.3: array parameters arrive comma-joined; the JSON form shown in doc examples (`["a","b"]`) is
 * accepted too. */
export const ACCEPT_JSON_ARRAYS = true;
/** An empty value of an optional number/boolean parameter counts as omitted (SDKs may send `Name=`). */
export const EMPTY_OPTIONAL_IS_OMITTED = true;
