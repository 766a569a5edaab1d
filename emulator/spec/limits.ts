/**
 * The emulator's own reading of the LiveMessage API's limits (`shared/spec/live-message-api.md`, section numbers
 * below). Deliberately written apart from the provider's `provider/limits.ts`: the emulator is the oracle the
 * provider is tested against, so a misread limit must not be shared by both sides. `test/spec-tables.test.ts`
 * compares the two readings and fails on any difference, which is then settled against the spec.
 *
 * Values marked [U] are unverified in the spec: documented defaults (README "Unverified behaviour").
 */

export const API_VERSION = "2016-11-01";

/** §1: the 29 operations with `LiveMessage` in their name, grouped as in the inventory table. */
export const ACTIONS = [
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
export type Action = (typeof ACTIONS)[number];

/** §2.4: the two data centers; an app is created in `cn-shanghai` unless told otherwise. */
export const DATA_CENTERS = ["cn-shanghai", "ap-southeast-1"] as const;
export type DataCenter = (typeof DATA_CENTERS)[number];
export const DEFAULT_DATA_CENTER: DataCenter = "cn-shanghai";

/** §2.4: GroupId, user IDs and MsgTid are letters and digits, at most 64 bytes. */
export const ID_MAX_BYTES = 64;
const LETTERS_AND_DIGITS = /^[0-9A-Za-z]+$/;
/** [U] AppId is issued by the service; the emulator accepts any non-empty value of at most this many bytes. */
export const APP_ID_MAX_BYTES = 64;

/** §3.1 */
export const APP_NAME_CHARS = { min: 2, max: 16 } as const;
export const AUDIT_TYPE = { none: 0, builtIn: 1, custom: 2 } as const;
export const AUDIT_TYPES: readonly number[] = [0, 1, 2];
/** §2.4 / §3.1 MsgLifeCycle → days of message retention. */
export const RETENTION_DAYS_BY_LIFE_CYCLE: Readonly<Record<number, number>> = { 0: 30, 1: 90, 2: 180 };
export const MSG_LIFE_CYCLES: readonly number[] = Object.keys(RETENTION_DAYS_BY_LIFE_CYCLE).map(Number);
/** §3.3, §5.6, §5.7, §6.1, §7.3: 1 ascending, 2 descending. */
export const SORT_TYPES: readonly number[] = [1, 2];
/** §5.6: 0 all, 1 existing, 2 deleted. */
export const GROUP_STATUSES: readonly number[] = [0, 1, 2];

/** §5.1 */
export const GROUP_NAME_MAX_BYTES = 128;
export const GROUP_INFO_MAX_BYTES = 32 * 1024;
export const ADMINISTRATORS_MAX = 3;
/** §7.1 / §7.2 */
export const BODY_MAX_BYTES = 15 * 1024;
/** §7.1 SenderMetaInfo, §7.2 SenderInfo, §7.4/§7.5 DeleterInfo, §6.5 UserMetaInfo: 512 bytes each. */
export const META_INFO_MAX_BYTES = 512;

/** §2.4 quotas. */
export const APPS_PER_ACCOUNT = 300;
export const LIVE_GROUPS_PER_APP = 5000;
export const MSG_TYPES_PER_GROUP = 30;
export const SUPER_GROUP_MEMBERS = 2000;
/** §2.4 / §5.5: deleted groups stay recoverable this long. */
export const RECOVERY_WINDOW_MS = 30 * 24 * 3600 * 1000;

/** §6.2 / §6.3: 1–10 user IDs; §8: at most 30 user IDs per mute call. */
export const CHECK_USER_IDS_MAX = 10;
export const MUTE_USER_IDS_MAX = 30;

/** §5.7 page-number paging. */
export const PAGE_NUMBER_RANGE = { min: 1, max: 10000 } as const;
export const BY_PAGE_SIZE_RANGE = { min: 1, max: 50, default: 20 } as const;
/** §6.1 / §7.3 token paging. */
export const TOKEN_PAGE_SIZE_RANGE = { min: 10, max: 50 } as const;
/** [U] §13.4: server-chosen page sizes of ListLiveMessageApps and ListLiveMessageGroups. */
export const APPS_PAGE_SIZE = 20;
export const GROUPS_PAGE_SIZE = 20;

/** §1 QPS per account and action: 10 for the five mute writes, 50 for everything else. */
const MUTE_WRITES: ReadonlySet<string> = new Set([
  "BanLiveMessageGroup",
  "UnbanLiveMessageGroup",
  "AddLiveMessageGroupBand",
  "RemoveLiveMessageGroupBand",
  "ModifyLiveMessageGroupBand",
]);
export const QPS_DEFAULT = 50;
export const QPS_MUTE_WRITES = 10;
export function qpsOf(action: string): number {
  return MUTE_WRITES.has(action) ? QPS_MUTE_WRITES : QPS_DEFAULT;
}

/** §10.1 gateway checks (§13.11 [U] for V3): a request's time may differ from the server's by 15 minutes, and a
 * nonce may not be used twice within 15 minutes. */
export const CLOCK_SKEW_MS = 15 * 60 * 1000;
export const NONCE_WINDOW_MS = 15 * 60 * 1000;

export function byteLength(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/** §2.4 ID rule. */
export function isId(s: string): boolean {
  return s.length > 0 && s.length <= ID_MAX_BYTES && LETTERS_AND_DIGITS.test(s);
}

/**
 * §3.1 AuditUrl / EventCallbackUrl: "http:// or https://, no private IP, no port". Returns the broken rule, or
 * undefined. A host name is not resolved: only literal private/loopback addresses and `localhost` are recognised.
 */
export function hookUrlProblem(value: string): string | undefined {
  const m = /^(https?):\/\/([^/?#]*)/i.exec(value);
  if (!m) return "must start with http:// or https:// and name a host";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not a valid URL";
  }
  const authority = m[2]!;
  if (authority === "") return "must name a host";
  // A port is any ":digits" after the host part (IPv6 literals are bracketed, so their colons do not count).
  const hostAndPort = authority.slice(authority.lastIndexOf("@") + 1);
  const afterHost = hostAndPort.startsWith("[") ? hostAndPort.slice(hostAndPort.indexOf("]") + 1) : hostAndPort;
  if (afterHost.includes(":")) return "must not name a port";
  if (url.username !== "" || url.password !== "") return "must not carry a user name or password";
  if (isPrivateAddress(url.hostname)) return `must not point to a private or loopback address (${url.hostname})`;
  return undefined;
}

function isPrivateAddress(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const v4 = host.split(".");
  if (v4.length === 4 && v4.every((p) => /^\d{1,3}$/.test(p))) {
    const [a, b] = v4.map(Number) as [number, number];
    // RFC 1918, loopback, "this network", link-local, carrier-grade NAT (RFC 6598).
    return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) ||
      (a === 169 && b === 254) || (a === 100 && b >= 64 && b < 128);
  }
  if (host.includes(":")) {
    // Loopback, unspecified, unique-local fc00::/7, link-local fe80::/10, IPv4-mapped.
    return host === "::1" || host === "::" || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith("::ffff:");
  }
  return false;
}
