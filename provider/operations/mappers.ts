/**
 * Pure mappers from operation results (PascalCase, the service's casing quirks) to the lowerCamelCase shapes the
 * resource handlers use, so no PascalCase name leaks above this layer. Absent optional fields stay absent.
 */
import { LiveResponseError } from "../client/errors";
import type { GroupListItem } from "./common";
import type { DescribeLiveMessageAppResult } from "./DescribeLiveMessageApp";
import type { DescribeLiveMessageGroupResult } from "./DescribeLiveMessageGroup";
import type { DescribeLiveMessageGroupBandResult } from "./DescribeLiveMessageGroupBand";
import type { ListLiveMessageAppsResult } from "./ListLiveMessageApps";
import type { ListLiveMessageGroupByPageResult } from "./ListLiveMessageGroupByPage";
import type { ListLiveMessageGroupsResult } from "./ListLiveMessageGroups";

/** An app as DescribeLiveMessageApp reports it (§3.2). `appKey`/`appSign` are secrets. */
export interface AppRecord {
  appId: string;
  appName?: string;
  appKey?: string;
  appSign?: string;
  auditType?: number;
  auditUrl?: string;
  /** Empty or absent = callbacks off. */
  eventCallbackUrl?: string;
  msgLifeCycle?: number;
  dataCenter?: string;
  disabled?: boolean;
  /** Unix seconds. */
  createTime?: number;
  modifyTime?: number;
}

/** An app as one ListLiveMessageApps item reports it (§3.3). */
export interface AppListEntry {
  appId: string;
  appName?: string;
  appKey?: string;
  appSign?: string;
  dataCenter?: string;
  msgLifeCycle?: number;
  disabled?: boolean;
  createTime?: number;
  modifyTime?: number;
}

/** A group as DescribeLiveMessageGroup reports it (§5.2). */
export interface GroupRecord {
  groupId: string;
  groupName?: string;
  groupInfo?: string;
  creatorId?: string;
  administrators: string[];
  /** Unix seconds (`Createtime`). */
  createTime?: number;
  deleted: boolean;
  superLargeGroup?: boolean;
  /** Only while the group exists. */
  onlineUserCount?: number;
  totalTimes?: number;
  /** Message type (string key) → count. */
  msgAmount?: Record<string, number>;
  /** Only when deleted (`Deletatime`, `Deletor`). */
  deleteTime?: number;
  deletedBy?: string;
}

/** A group as one ListLiveMessageGroups / ListLiveMessageGroupByPage item reports it (§5.6). */
export interface GroupListEntry {
  groupId: string;
  groupName?: string;
  groupInfo?: string;
  creatorId?: string;
  administrators: string[];
  createTime?: number;
  deleted: boolean;
}

/** A group's mute state (§8). */
export interface GroupBandRecord {
  groupId?: string;
  bannedAll: boolean;
  /** Individually muted users. */
  bannedUsers: string[];
  /** Users still allowed to speak while mute-all is on. */
  exceptUsers: string[];
}

export interface Page<T> {
  items: T[];
  hasMore: boolean;
  /** Pass back as `NextPageToken` for the next page; absent when there is none. */
  nextPageToken?: number;
}

/** Copies the defined entries only, so absent fields stay absent (not `key: undefined`). */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * ListLiveMessageApps' `Disable` is a string (§3.3). "true"/"1" → true, "false"/"0"/"" → false (any case);
 * anything else → undefined (unknown, rather than a guess).
 */
export function parseDisableFlag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0" || v === "") return false;
  return undefined;
}

/**
 * A page token as returned (ListLiveMessageGroups' `NextpageToken` is a string, §5.6) → the int64 the next request
 * takes. Absent/empty → undefined; a non-integer string is a response the provider cannot page with → LiveResponseError.
 */
export function parsePageToken(action: string, field: string, token: string | number | undefined): number | undefined {
  if (token === undefined || token === "") return undefined;
  const n = typeof token === "number" ? token : /^-?\d+$/.test(token.trim()) ? Number(token.trim()) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw new LiveResponseError(action, `${action} returned an unexpected response: field "${field}" is not an integer page token`, { field });
  }
  return n;
}

export function toAppRecord(r: DescribeLiveMessageAppResult): AppRecord {
  return defined({
    appId: r.AppId,
    appName: r.AppName,
    appKey: r.AppKey,
    appSign: r.AppSign,
    auditType: r.AuditType,
    auditUrl: r.AuditUrl,
    eventCallbackUrl: r.EventCallbackUrl,
    msgLifeCycle: r.MsgLifeCycle,
    dataCenter: r.DataCenter,
    disabled: r.Disable,
    createTime: r.CreateTime,
    modifyTime: r.ModifyTime,
  });
}

type AppListItem = NonNullable<ListLiveMessageAppsResult["AppList"]>[number];

export function toAppListEntry(item: AppListItem): AppListEntry {
  return defined({
    appId: item.AppId,
    appName: item.AppName,
    appKey: item.AppKey,
    appSign: item.AppSign,
    dataCenter: item.DataCenter,
    msgLifeCycle: item.MsgLifeCycle,
    disabled: parseDisableFlag(item.Disable),
    createTime: item.CreateTime,
    modifyTime: item.ModifyTime,
  });
}

export function toGroupRecord(r: DescribeLiveMessageGroupResult): GroupRecord {
  return defined({
    groupId: r.GroupId,
    groupName: r.GroupName,
    groupInfo: r.GroupInfo,
    creatorId: r.CreatorId,
    administrators: r.AdminList ?? [],
    createTime: r.Createtime,
    deleted: r.Delete ?? false,
    superLargeGroup: r.SuperLargeGroup,
    onlineUserCount: r.OnlineUserCounts,
    totalTimes: r.TotalTimes,
    msgAmount: r.MsgAmount,
    deleteTime: r.Deletatime,
    deletedBy: r.Deletor,
  });
}

export function toGroupListEntry(item: GroupListItem): GroupListEntry {
  return defined({
    groupId: item.GroupId,
    groupName: item.GroupName,
    groupInfo: item.GroupInfo,
    creatorId: item.CreatorId,
    administrators: item.AdminList ?? [],
    createTime: item.Createtime,
    deleted: item.Delete ?? false,
  });
}

export function toGroupBandRecord(r: DescribeLiveMessageGroupBandResult): GroupBandRecord {
  return defined({
    groupId: r.GroupId,
    bannedAll: r.IsbannedAll ?? false,
    bannedUsers: r.BannedUserList ?? [],
    exceptUsers: r.UnbannedUserList ?? [],
  });
}

export function toAppsPage(r: ListLiveMessageAppsResult): Page<AppListEntry> {
  const hasMore = r.HasMore ?? false;
  return defined({
    items: (r.AppList ?? []).map(toAppListEntry),
    hasMore,
    nextPageToken: hasMore ? r.NextPageToken : undefined,
  });
}

export function toGroupsPage(r: ListLiveMessageGroupsResult): Page<GroupListEntry> {
  const hasMore = r.Hasmore ?? false;
  return defined({
    items: (r.GroupList ?? []).map(toGroupListEntry),
    hasMore,
    nextPageToken: hasMore ? parsePageToken("ListLiveMessageGroups", "NextpageToken", r.NextpageToken) : undefined,
  });
}

/** ListLiveMessageGroupByPage (§5.7): page-number paging; `hasMore` is derived from TotalCount. */
export function toGroupsByPage(r: ListLiveMessageGroupByPageResult): Page<GroupListEntry> & { totalCount?: number } {
  const items = (r.GroupList ?? []).map(toGroupListEntry);
  const pageNumber = r.PageNumber ?? 1;
  const pageSize = r.PageSize ?? items.length;
  const hasMore = r.TotalCount !== undefined && pageSize > 0 && pageNumber * pageSize < r.TotalCount;
  return defined({ items, hasMore, nextPageToken: hasMore ? pageNumber + 1 : undefined, totalCount: r.TotalCount });
}
