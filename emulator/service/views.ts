/**
 * Read-only views of the service state for the dashboard (`/_emulator/ui/`) and its admin endpoints
 * (`/_emulator/overview`, `…/apps/{appId}/groups`, `…/groups/{groupId}/messages`, `…/apps/{appId}/credentials`).
 *
 * Why views rather than `snapshot()`: the page refreshes on every change, and a snapshot copies every stored
 * message (100,000 of them at the documented scale). A view copies only what one screen shows — apps without their
 * groups, one app's groups without their messages, the newest messages of one group — so a refresh costs in
 * proportion to the screen, not to the state. Views never contain AppKey/AppSign; `credentials()` is the one place
 * that reads them (the admin layer decides who may call it).
 */
import { RECOVERY_WINDOW_MS, type DataCenter } from "../spec/limits";
import type { AppRecord, GroupRecord, MessageRecord, Store } from "./state";

/** Members listed per group (the count is always exact). */
export const VIEW_MEMBERS_PER_GROUP = 100;
/** Characters of a message body shown as its preview. */
export const VIEW_BODY_PREVIEW_CHARS = 200;
export const VIEW_GROUPS_DEFAULT_LIMIT = 200;
export const VIEW_GROUPS_MAX_LIMIT = 1000;
export const VIEW_MESSAGES_DEFAULT_LIMIT = 100;
export const VIEW_MESSAGES_MAX_LIMIT = 1000;

export interface AppView {
  readonly accountId: string;
  readonly appId: string;
  readonly appName: string;
  readonly dataCenter: DataCenter;
  readonly disabled: boolean;
  readonly auditType: number;
  readonly auditUrl: string;
  readonly eventCallbackUrl: string;
  readonly msgLifeCycle: number;
  /** ms since the epoch */
  readonly createTime: number;
  readonly modifyTime: number;
  readonly liveGroups: number;
  readonly deletedGroups: number;
  /** Distinct users joined to at least one live group of the app. */
  readonly onlineUsers: number;
}

export interface MemberView {
  readonly userId: string;
  readonly userInfo: string;
  readonly joinTime: number;
}

export interface GroupView {
  readonly groupId: string;
  readonly groupName: string;
  readonly groupInfo: string;
  readonly creatorId: string;
  readonly adminList: readonly string[];
  readonly createTime: number;
  readonly deleted: boolean;
  /** ms; null while the group is live */
  readonly deleteTime: number | null;
  readonly deletor: string;
  /** Last moment RecoverLiveMessageDeletedGroup succeeds (ms); null while live. */
  readonly recoverDeadline: number | null;
  readonly memberCount: number;
  /** The first VIEW_MEMBERS_PER_GROUP members in join order. */
  readonly members: readonly MemberView[];
  readonly superLarge: boolean;
  readonly totalTimes: number;
  /** MsgType → counter (what DescribeLiveMessageGroup answers as MsgAmount: incremented by StaticsIncrease). */
  readonly msgAmount: Readonly<Record<string, number>>;
  readonly totalMessages: number;
  readonly storedMessages: number;
  readonly cachedMessages: number;
  readonly bannedAll: boolean;
  readonly bannedUsers: readonly string[];
  readonly exceptUsers: readonly string[];
}

export interface MessageView {
  readonly msgTid: string;
  readonly msgType: number;
  readonly senderId: string;
  readonly senderInfo: string;
  /** The first VIEW_BODY_PREVIEW_CHARS characters of the body. */
  readonly bodyPreview: string;
  readonly bodyChars: number;
  readonly weight: number;
  readonly seq: number;
  readonly time: number;
  readonly stored: true;
  readonly cached: boolean;
}

export interface GroupListView {
  readonly appId: string;
  /** Groups matching the filter (live and deleted). */
  readonly total: number;
  readonly groups: readonly GroupView[];
}

export interface MessageListView {
  readonly appId: string;
  readonly groupId: string;
  readonly stored: number;
  /** Newest first. */
  readonly messages: readonly MessageView[];
  /** MsgTids in the recent-message cache whose message is not stored (NoStorage): only the MsgTid is kept. */
  readonly cachedOnly: readonly string[];
}

export interface GroupQuery {
  readonly limit?: number;
  readonly offset?: number;
  /** Case-insensitive substring of the group id or name. */
  readonly filter?: string;
}

/** The dashboard's reading of a service (optional part of `LiveMessageService`). */
export interface ServiceViews {
  /** Every app, in creation order. */
  apps(): AppView[];
  /** The groups of an app in creation order; undefined when the app does not exist. */
  groups(appId: string, query?: GroupQuery): GroupListView | undefined;
  /** The newest stored messages of a group; undefined when the app or group does not exist. */
  messages(appId: string, groupId: string, limit?: number): MessageListView | undefined;
  /** The app's secrets; undefined when it does not exist. */
  credentials(appId: string): { readonly appId: string; readonly appKey: string; readonly appSign: string } | undefined;
}

function clamp(v: number | undefined, fallback: number, max: number): number {
  return v === undefined ? fallback : Math.max(0, Math.min(max, Math.floor(v)));
}

function appView(app: AppRecord): AppView {
  return {
    accountId: app.accountId,
    appId: app.appId,
    appName: app.appName,
    dataCenter: app.dataCenter,
    disabled: app.disable,
    auditType: app.auditType,
    auditUrl: app.auditUrl,
    eventCallbackUrl: app.eventCallbackUrl,
    msgLifeCycle: app.msgLifeCycle,
    createTime: app.createTime,
    modifyTime: app.modifyTime,
    liveGroups: app.liveGroupCount,
    deletedGroups: app.groupOrder.length - app.liveGroupCount,
    onlineUsers: app.userGroups.size,
  };
}

function groupView(g: GroupRecord): GroupView {
  const members: MemberView[] = [];
  for (const m of g.members.values()) {
    if (members.length >= VIEW_MEMBERS_PER_GROUP) break;
    members.push({ userId: m.userId, userInfo: m.userInfo, joinTime: m.joinTime });
  }
  return {
    groupId: g.groupId,
    groupName: g.groupName,
    groupInfo: g.groupInfo,
    creatorId: g.creatorId,
    adminList: [...g.adminList],
    createTime: g.createTime,
    deleted: g.deleted,
    deleteTime: g.deleted ? g.deleteTime : null,
    deletor: g.deletor,
    recoverDeadline: g.deleted ? g.deleteTime + RECOVERY_WINDOW_MS : null,
    memberCount: g.members.size,
    members,
    superLarge: g.superLarge,
    totalTimes: g.totalTimes,
    msgAmount: Object.fromEntries(g.msgAmount),
    totalMessages: g.totalMessages,
    storedMessages: g.messages.length,
    cachedMessages: g.cache.length,
    bannedAll: g.bannedAll,
    bannedUsers: [...g.bannedUsers],
    exceptUsers: [...g.exceptUsers],
  };
}

function messageView(m: MessageRecord, cached: ReadonlySet<string>): MessageView {
  return {
    msgTid: m.msgTid,
    msgType: m.msgType,
    senderId: m.senderId,
    senderInfo: m.senderInfo,
    bodyPreview: m.body.length > VIEW_BODY_PREVIEW_CHARS ? m.body.slice(0, VIEW_BODY_PREVIEW_CHARS) : m.body,
    bodyChars: m.body.length,
    weight: m.weight,
    seq: m.seq,
    time: m.time,
    stored: true,
    cached: cached.has(m.msgTid),
  };
}

export function createViews(store: Store): ServiceViews {
  return {
    apps() {
      return [...store.apps.values()].sort((a, b) => a.createSeq - b.createSeq).map(appView);
    },

    groups(appId, query = {}) {
      const app = store.apps.get(appId);
      if (!app) return undefined;
      const needle = query.filter?.toLowerCase() ?? "";
      const matching = needle === ""
        ? app.groupOrder
        : app.groupOrder.filter((g) => g.groupId.toLowerCase().includes(needle) || g.groupName.toLowerCase().includes(needle));
      const offset = clamp(query.offset, 0, Number.MAX_SAFE_INTEGER);
      const limit = clamp(query.limit, VIEW_GROUPS_DEFAULT_LIMIT, VIEW_GROUPS_MAX_LIMIT);
      return { appId, total: matching.length, groups: matching.slice(offset, offset + limit).map(groupView) };
    },

    messages(appId, groupId, limit) {
      const g = store.apps.get(appId)?.groups.get(groupId);
      if (!g) return undefined;
      const n = clamp(limit, VIEW_MESSAGES_DEFAULT_LIMIT, VIEW_MESSAGES_MAX_LIMIT);
      const cached = new Set(g.cache);
      const messages: MessageView[] = [];
      for (let i = g.messages.length - 1; i >= 0 && messages.length < n; i--) messages.push(messageView(g.messages[i]!, cached));
      const cachedOnly = g.cache.filter((t) => !g.messagesByTid.has(t)).reverse();
      return { appId, groupId, stored: g.messages.length, messages, cachedOnly };
    },

    credentials(appId) {
      const app = store.apps.get(appId);
      return app ? { appId, appKey: app.appKey, appSign: app.appSign } : undefined;
    },
  };
}
