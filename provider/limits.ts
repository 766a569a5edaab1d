/**
 * The LiveMessage API's documented limits and constants (spec `live-message-api.md`), in one place.
 *
 * Everything that validates input — the client's operation schemas, the resources' `check`, the emulator —
 * reads these values, so a corrected fact is changed here once. Entries marked [U] are unverified in the spec:
 * they are our documented defaults (README, "Unverified behaviour" table).
 */

export const API_VERSION = "2016-11-01";

/** The 29 LiveMessage operations (spec §1 inventory), in the spec's order. */
export const LIVE_MESSAGE_ACTIONS = [
  "CreateLiveMessageApp",
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
  "CheckLiveMessageUsersInGroup",
  "CheckLiveMessageUsersOnline",
  "KickLiveMessageGroupUser",
  "ModifyLiveMessageUserInfo",
  "SendLiveMessageGroup",
  "SendLiveMessageUser",
  "ListLiveMessageGroupMessages",
  "DeleteLiveMessageGroupMessage",
  "DeleteLiveMessageUserMessage",
  "BanLiveMessageGroup",
  "UnbanLiveMessageGroup",
  "AddLiveMessageGroupBand",
  "RemoveLiveMessageGroupBand",
  "ModifyLiveMessageGroupBand",
  "DescribeLiveMessageGroupBand",
] as const;
export const DEFAULT_ENDPOINT = "https://live.aliyuncs.com";

/** §2.4 data centers; the first is the default. */
export const DATA_CENTERS = ["cn-shanghai", "ap-southeast-1"] as const;
export type DataCenter = (typeof DATA_CENTERS)[number];
export const DEFAULT_DATA_CENTER: DataCenter = "cn-shanghai";

/** §2.4: GroupId, user IDs, MsgTid — letters and digits, at most 64 bytes. */
export const ID_PATTERN = /^[A-Za-z0-9]+$/;
export const MAX_ID_BYTES = 64;

/** §3.1 AppName: 2–16 characters. */
export const APP_NAME_MIN_CHARS = 2;
export const APP_NAME_MAX_CHARS = 16;
/** §3.1 AuditType: 0 none, 1 built-in moderation, 2 custom moderation (AuditUrl required). */
export const AUDIT_TYPES = [0, 1, 2] as const;
/** §2.4 / §3.1 MsgLifeCycle: 0 = 30 days, 1 = 90 days, 2 = 180 days. */
export const MSG_LIFE_CYCLES = [0, 1, 2] as const;
export const MSG_LIFE_CYCLE_DAYS: Readonly<Record<number, number>> = { 0: 30, 1: 90, 2: 180 };

/** §5.1 group fields. */
export const GROUP_NAME_MAX_BYTES = 128;
export const GROUP_INFO_MAX_BYTES = 32 * 1024;
export const MAX_ADMINISTRATORS = 3;

/** §7 message fields. */
export const MESSAGE_BODY_MAX_BYTES = 15 * 1024;
export const SENDER_META_MAX_BYTES = 512;
export const USER_META_MAX_BYTES = 512;

/** §2.4 quotas. */
export const MAX_APPS_PER_ACCOUNT = 300;
export const MAX_LIVE_GROUPS_PER_APP = 5000;
export const MAX_MSG_TYPES_PER_GROUP = 30;
/** §2.4 super groups: above this many members the member list is no longer queryable. */
export const SUPER_GROUP_THRESHOLD = 2000;
/** §2.4 / §5.5: a deleted group is recoverable for this long. */
export const RECOVER_WINDOW_SECONDS = 30 * 24 * 3600;

/** §6.2 / §6.3 UserIds: 1–10 IDs; §8 mute lists: at most 30 IDs per call. */
export const MAX_USER_IDS_PER_CHECK = 10;
export const MAX_USERS_PER_BAN_CALL = 30;

/** Paging bounds (§5.7, §6.1, §7.3). */
export const PAGE_NUMBER_MAX = 10000;
export const BY_PAGE_SIZE_MIN = 1;
export const BY_PAGE_SIZE_MAX = 50;
export const BY_PAGE_SIZE_DEFAULT = 20;
export const TOKEN_PAGE_SIZE_MIN = 10;
export const TOKEN_PAGE_SIZE_MAX = 50;
/** [U] server-defined page sizes of ListLiveMessageApps / ListLiveMessageGroups (spec §13.4). */
export const LIST_APPS_PAGE_SIZE = 20;
export const LIST_GROUPS_PAGE_SIZE = 20;

/** §1 QPS per account and action; 10 for the mute operations except DescribeLiveMessageGroupBand. */
export const DEFAULT_QPS = 50;
export const MUTE_QPS = 10;
export const MUTE_ACTIONS: ReadonlySet<string> = new Set([
  "BanLiveMessageGroup",
  "UnbanLiveMessageGroup",
  "AddLiveMessageGroupBand",
  "RemoveLiveMessageGroupBand",
  "ModifyLiveMessageGroupBand",
]);
export function qpsFor(action: string): number {
  return MUTE_ACTIONS.has(action) ? MUTE_QPS : DEFAULT_QPS;
}

/** §10.1 gateway checks: timestamp skew and nonce memory, ±15 minutes ([U] for V3, spec §13.11). */
export const TIMESTAMP_SKEW_SECONDS = 15 * 60;
export const NONCE_TTL_SECONDS = 15 * 60;

export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/** True for a valid ID (§2.4): letters and digits only, 1–64 bytes. */
export function isValidId(s: string): boolean {
  return ID_PATTERN.test(s) && utf8Bytes(s) <= MAX_ID_BYTES;
}

/**
 * §3.1 AuditUrl / EventCallbackUrl rules: `http://` or `https://`, no explicit port, not a private address.
 * Returns what is wrong, or undefined when the URL is acceptable. Only literal addresses (and `localhost`) can be
 * recognised as private here; a host name that resolves to a private address is left to the service.
 */
export function callbackUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute http:// or https:// URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `must use http:// or https:// (got ${url.protocol}//)`;
  if (!/^https?:\/\/[^/?#]+/i.test(value)) return "must name a host";
  if (url.port !== "" || /^https?:\/\/[^/?#]*:\d*(?:[/?#]|$)/i.test(value.replace(/^https?:\/\/\[[^\]]*\]/i, "http://h")))
    return "must not contain a port (the service only calls the default port of http or https)";
  if (url.username || url.password) return "must not contain credentials";
  if (isPrivateHost(url.hostname)) return `must not point at a private or loopback address (${url.hostname})`;
  return undefined;
}

function isPrivateHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 10 || a === 127 || a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (h.includes(":")) {
    return h === "::1" || h === "::" || /^f[cd][0-9a-f]{2}:/.test(h) || /^fe[89ab][0-9a-f]:/.test(h) || h.startsWith("::ffff:");
  }
  return false;
}
