/**
 * The in-memory data model of the emulated LiveMessage service and its JSON snapshot form.
 *
 * Layout (chosen so the hot paths stay O(1) or O(log n) with 5,000 groups per app and 100,000 messages):
 * apps by id (global; each app belongs to one account), per-account app lists in creation order, per-app groups
 * by id plus a creation-ordered array, per-app user → groups index (presence), per-group members in join order,
 * per-group stored messages sorted by (timestamp, sequence) with an index by MsgTid.
 *
 * Times are stored in ms (the injectable clock's unit) and rendered in seconds (spec §2.4).
 */
import { RETENTION_DAYS_BY_LIFE_CYCLE, type DataCenter } from "../spec/limits";
import { Errors } from "../errors";
import type { CallContext } from "./types";
import {
  ACTIONS_ALLOWED_ON_DISABLED_APP,
  deletedGroupError,
  disabledAppError,
  MESSAGE_CACHE_SIZE,
  wrongDataCenterError,
} from "./behaviour";

export interface MemberRecord {
  userId: string;
  userInfo: string;
  /** ms */
  joinTime: number;
  /** Per-group join sequence (≥ 1); the ListLiveMessageGroupUsers page cursor. */
  joinSeq: number;
}

export interface MessageRecord {
  msgTid: string;
  msgType: number;
  body: string;
  senderId: string;
  senderInfo: string;
  weight: number;
  /** Per-group sequence number (≥ 1); the ListLiveMessageGroupMessages page cursor. */
  seq: number;
  /** ms */
  time: number;
}

export interface GroupRecord {
  groupId: string;
  groupName: string;
  groupInfo: string;
  creatorId: string;
  adminList: string[];
  /** ms */
  createTime: number;
  /** Per-app creation sequence (≥ 1); the group list cursor and tie-breaker of the creation-time sort. */
  createSeq: number;
  deleted: boolean;
  /** ms; 0 while not deleted */
  deleteTime: number;
  deletor: string;
  /** Members in join order (Map iteration order = join order). */
  members: Map<string, MemberRecord>;
  nextJoinSeq: number;
  superLarge: boolean;
  /** Total sessions: every join that made a user a member. */
  totalTimes: number;
  /** Message type (decimal string) → counter, incremented by StaticsIncrease. */
  msgAmount: Map<string, number>;
  totalMessages: number;
  /** Last assigned message sequence number. */
  seqNumber: number;
  /** Stored messages (NoStorage=false), sorted by (time, seq). */
  messages: MessageRecord[];
  messagesByTid: Map<string, MessageRecord>;
  /** True while `messages` is in sequence order too (the clock never went back), so a cursor is found by binary
   * search on `seq`; an out-of-order insert clears it and cursors fall back to a scan. */
  seqOrdered: boolean;
  /** MsgTids used in the group that are not stored (any more): not stored, deleted or expired. With the keys of
   * `messagesByTid` they are every MsgTid ever used (duplicate sends are retries, see behaviour.ts) — kept apart
   * so a stored message costs one index entry, not two. */
  pastTids: Set<string>;
  /** MsgTids of the most recent cached messages (NoCache=false), oldest first, at most MESSAGE_CACHE_SIZE. */
  cache: string[];
  bannedAll: boolean;
  /** Exceptions while mute-all is on. */
  exceptUsers: Set<string>;
  /** Individually muted users. */
  bannedUsers: Set<string>;
}

export interface UserMessageRecord {
  msgTid: string;
  msgType: number;
  body: string;
  senderId: string;
  senderInfo: string;
  /** ms */
  time: number;
}

export interface AppRecord {
  accountId: string;
  appId: string;
  appName: string;
  appKey: string;
  appSign: string;
  auditType: number;
  auditUrl: string;
  eventCallbackUrl: string;
  msgLifeCycle: number;
  dataCenter: DataCenter;
  disable: boolean;
  /** ms */
  createTime: number;
  modifyTime: number;
  /** Global creation sequence (≥ 1); the ListLiveMessageApps cursor. */
  createSeq: number;
  groups: Map<string, GroupRecord>;
  /** Groups in creation order (ascending createSeq). */
  groupOrder: GroupRecord[];
  nextGroupSeq: number;
  liveGroupCount: number;
  /** Presence: user → ids of the live groups they are in (join order). */
  userGroups: Map<string, Set<string>>;
  /** Stored one-to-one messages (Storage=true) by receiver, then MsgTid. */
  userMessages: Map<string, Map<string, UserMessageRecord>>;
}

export function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** Milliseconds messages of an app are kept (§2.4 MsgLifeCycle). */
export function retentionMs(app: AppRecord): number {
  return (RETENTION_DAYS_BY_LIFE_CYCLE[app.msgLifeCycle] ?? 30) * 24 * 3600 * 1000;
}

export function newGroup(fields: {
  groupId: string;
  groupName: string;
  groupInfo: string;
  creatorId: string;
  adminList: string[];
  createTime: number;
  createSeq: number;
}): GroupRecord {
  // Fields listed one by one: an object spread here was the top self-time frame of CreateLiveMessageGroup.
  return {
    groupId: fields.groupId,
    groupName: fields.groupName,
    groupInfo: fields.groupInfo,
    creatorId: fields.creatorId,
    adminList: fields.adminList,
    createTime: fields.createTime,
    createSeq: fields.createSeq,
    deleted: false,
    deleteTime: 0,
    deletor: "",
    members: new Map(),
    nextJoinSeq: 1,
    superLarge: false,
    totalTimes: 0,
    msgAmount: new Map(),
    totalMessages: 0,
    seqNumber: 0,
    messages: [],
    messagesByTid: new Map(),
    seqOrdered: true,
    pastTids: new Set(),
    cache: [],
    bannedAll: false,
    exceptUsers: new Set(),
    bannedUsers: new Set(),
  };
}

/** Index of the first message whose (time, seq) is ≥ the given key (binary search). */
export function lowerBound(messages: readonly MessageRecord[], time: number, seq: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = messages[mid]!;
    if (m.time < time || (m.time === time && m.seq < seq)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Store {
  readonly apps = new Map<string, AppRecord>();
  /** Per account, its apps in creation order. */
  readonly accountApps = new Map<string, AppRecord[]>();
  nextAppSeq = 1;

  reset(): void {
    this.apps.clear();
    this.accountApps.clear();
    this.nextAppSeq = 1;
  }

  appsOf(accountId: string): AppRecord[] {
    return this.accountApps.get(accountId) ?? [];
  }

  addApp(app: AppRecord): void {
    this.apps.set(app.appId, app);
    let list = this.accountApps.get(app.accountId);
    if (!list) this.accountApps.set(app.accountId, (list = []));
    list.push(app);
  }

  /**
   * The app a call addresses: it must belong to the caller's account and live in the requested data center
   * (§2.4), and unless the action is allowed on disabled apps, be enabled (behaviour.ts).
   */
  requireApp(action: string, appId: string, dataCenter: DataCenter, ctx: CallContext): AppRecord {
    const app = this.apps.get(appId);
    if (!app || app.accountId !== ctx.accountId) throw Errors.resourceNotExist(`app ${appId}`);
    if (app.dataCenter !== dataCenter) throw wrongDataCenterError(appId, dataCenter);
    if (app.disable && !ACTIONS_ALLOWED_ON_DISABLED_APP.has(action)) throw disabledAppError(appId);
    return app;
  }

  /** A group of the app, deleted or not. */
  requireGroup(app: AppRecord, groupId: string): GroupRecord {
    const g = app.groups.get(groupId);
    if (!g) throw Errors.resourceNotExist(`group ${groupId}`);
    return g;
  }

  /** A group that exists and is not deleted. */
  requireLiveGroup(app: AppRecord, groupId: string): GroupRecord {
    const g = this.requireGroup(app, groupId);
    if (g.deleted) throw deletedGroupError(groupId);
    return g;
  }

  addGroup(app: AppRecord, g: GroupRecord): void {
    app.groups.set(g.groupId, g);
    app.groupOrder.push(g);
    app.liveGroupCount++;
  }

  /** Adds a member (no checks). Returns false when the user already was one. */
  addMember(app: AppRecord, g: GroupRecord, userId: string, userInfo: string, now: number, threshold: number): boolean {
    if (g.members.has(userId)) return false;
    g.members.set(userId, { userId, userInfo, joinTime: now, joinSeq: g.nextJoinSeq++ });
    g.totalTimes++;
    if (g.members.size > threshold) g.superLarge = true;
    let set = app.userGroups.get(userId);
    if (!set) app.userGroups.set(userId, (set = new Set()));
    set.add(g.groupId);
    return true;
  }

  /** Removes a member; a super group reverts once its last member has left (§2.4). */
  removeMember(app: AppRecord, g: GroupRecord, userId: string): boolean {
    if (!g.members.delete(userId)) return false;
    if (g.members.size === 0) g.superLarge = false;
    const set = app.userGroups.get(userId);
    if (set) {
      set.delete(g.groupId);
      if (set.size === 0) app.userGroups.delete(userId);
    }
    return true;
  }

  removeAllMembers(app: AppRecord, g: GroupRecord): void {
    for (const userId of [...g.members.keys()]) this.removeMember(app, g, userId);
    g.superLarge = false;
  }

  /** True when `msgTid` was ever used in the group. */
  tidUsed(g: GroupRecord, msgTid: string): boolean {
    return g.messagesByTid.has(msgTid) || g.pastTids.has(msgTid);
  }

  /** Records a MsgTid used by a message that is not stored (NoStorage). */
  useTid(g: GroupRecord, msgTid: string): void {
    if (!g.messagesByTid.has(msgTid)) g.pastTids.add(msgTid);
  }

  /** Stores a message keeping (time, seq) order; appends in the common monotonic-clock case. */
  storeMessage(g: GroupRecord, m: MessageRecord): void {
    const last = g.messages[g.messages.length - 1];
    if (!last || last.time <= m.time) g.messages.push(m);
    else {
      g.messages.splice(lowerBound(g.messages, m.time, m.seq), 0, m);
      g.seqOrdered = false;
    }
    g.messagesByTid.set(m.msgTid, m);
    g.pastTids.delete(m.msgTid);
  }

  removeMessage(g: GroupRecord, m: MessageRecord): void {
    const i = lowerBound(g.messages, m.time, m.seq);
    if (g.messages[i] === m) g.messages.splice(i, 1);
    g.messagesByTid.delete(m.msgTid);
    g.pastTids.add(m.msgTid);
    const c = g.cache.indexOf(m.msgTid);
    if (c >= 0) g.cache.splice(c, 1);
  }

  /** Index of the stored message with sequence number `seq`, or -1. */
  indexOfSeq(g: GroupRecord, seq: number): number {
    const msgs = g.messages;
    if (!g.seqOrdered) return msgs.findIndex((m) => m.seq === seq);
    let lo = 0;
    let hi = msgs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (msgs[mid]!.seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo < msgs.length && msgs[lo]!.seq === seq ? lo : -1;
  }

  /** Drops stored messages older than the app's retention (they can never be listed again). */
  pruneMessages(app: AppRecord, g: GroupRecord, now: number): void {
    const cutoff = now - retentionMs(app);
    let n = 0;
    while (n < g.messages.length && g.messages[n]!.time < cutoff) n++;
    if (n === 0) return;
    for (const m of g.messages.slice(0, n)) {
      g.messagesByTid.delete(m.msgTid);
      g.pastTids.add(m.msgTid);
    }
    g.messages.splice(0, n);
  }

  cacheMessage(g: GroupRecord, msgTid: string): void {
    g.cache.push(msgTid);
    if (g.cache.length > MESSAGE_CACHE_SIZE) g.cache.splice(0, g.cache.length - MESSAGE_CACHE_SIZE);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Snapshot (plain JSON) and restore
  // -------------------------------------------------------------------------------------------------------------

  snapshot(): StoreSnapshot {
    const apps: AppSnapshot[] = [];
    // Account lists hold every app in creation order; iterate them so restore rebuilds the same order.
    for (const [, list] of this.accountApps) {
      for (const app of list) apps.push(appToJson(app));
    }
    apps.sort((a, b) => a.createSeq - b.createSeq);
    return { version: SNAPSHOT_VERSION, nextAppSeq: this.nextAppSeq, apps };
  }

  restore(raw: unknown): void {
    const snap = parseSnapshot(raw);
    this.reset();
    this.nextAppSeq = snap.nextAppSeq;
    for (const a of snap.apps) this.addApp(appFromJson(a));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// JSON forms
// ---------------------------------------------------------------------------------------------------------------

export const SNAPSHOT_VERSION = 1;

export interface StoreSnapshot {
  version: number;
  nextAppSeq: number;
  apps: AppSnapshot[];
}

export interface AppSnapshot {
  accountId: string;
  appId: string;
  appName: string;
  appKey: string;
  appSign: string;
  auditType: number;
  auditUrl: string;
  eventCallbackUrl: string;
  msgLifeCycle: number;
  dataCenter: DataCenter;
  disable: boolean;
  createTime: number;
  modifyTime: number;
  createSeq: number;
  nextGroupSeq: number;
  groups: GroupSnapshot[];
  /** Presence index: user → group ids in the order the user joined them. */
  userGroups: [string, string[]][];
  userMessages: { receiverId: string; messages: UserMessageRecord[] }[];
}

export interface GroupSnapshot {
  groupId: string;
  groupName: string;
  groupInfo: string;
  creatorId: string;
  adminList: string[];
  createTime: number;
  createSeq: number;
  deleted: boolean;
  deleteTime: number;
  deletor: string;
  members: MemberRecord[];
  nextJoinSeq: number;
  superLarge: boolean;
  totalTimes: number;
  msgAmount: [string, number][];
  totalMessages: number;
  seqNumber: number;
  messages: MessageRecord[];
  usedTids: string[];
  cache: string[];
  bannedAll: boolean;
  exceptUsers: string[];
  bannedUsers: string[];
}

function appToJson(app: AppRecord): AppSnapshot {
  return {
    accountId: app.accountId,
    appId: app.appId,
    appName: app.appName,
    appKey: app.appKey,
    appSign: app.appSign,
    auditType: app.auditType,
    auditUrl: app.auditUrl,
    eventCallbackUrl: app.eventCallbackUrl,
    msgLifeCycle: app.msgLifeCycle,
    dataCenter: app.dataCenter,
    disable: app.disable,
    createTime: app.createTime,
    modifyTime: app.modifyTime,
    createSeq: app.createSeq,
    nextGroupSeq: app.nextGroupSeq,
    groups: app.groupOrder.map(groupToJson),
    userGroups: [...app.userGroups].map(([userId, set]) => [userId, [...set]]),
    userMessages: [...app.userMessages].map(([receiverId, msgs]) => ({
      receiverId,
      messages: [...msgs.values()].map((m) => ({ ...m })),
    })),
  };
}

function groupToJson(g: GroupRecord): GroupSnapshot {
  return {
    groupId: g.groupId,
    groupName: g.groupName,
    groupInfo: g.groupInfo,
    creatorId: g.creatorId,
    adminList: [...g.adminList],
    createTime: g.createTime,
    createSeq: g.createSeq,
    deleted: g.deleted,
    deleteTime: g.deleteTime,
    deletor: g.deletor,
    members: [...g.members.values()].map((m) => ({ ...m })),
    nextJoinSeq: g.nextJoinSeq,
    superLarge: g.superLarge,
    totalTimes: g.totalTimes,
    msgAmount: [...g.msgAmount],
    totalMessages: g.totalMessages,
    seqNumber: g.seqNumber,
    messages: g.messages.map((m) => ({ ...m })),
    usedTids: [...g.pastTids, ...g.messages.map((m) => m.msgTid)],
    cache: [...g.cache],
    bannedAll: g.bannedAll,
    exceptUsers: [...g.exceptUsers],
    bannedUsers: [...g.bannedUsers],
  };
}

function appFromJson(a: AppSnapshot): AppRecord {
  const app: AppRecord = {
    accountId: a.accountId,
    appId: a.appId,
    appName: a.appName,
    appKey: a.appKey,
    appSign: a.appSign,
    auditType: a.auditType,
    auditUrl: a.auditUrl,
    eventCallbackUrl: a.eventCallbackUrl,
    msgLifeCycle: a.msgLifeCycle,
    dataCenter: a.dataCenter,
    disable: a.disable,
    createTime: a.createTime,
    modifyTime: a.modifyTime,
    createSeq: a.createSeq,
    groups: new Map(),
    groupOrder: [],
    nextGroupSeq: a.nextGroupSeq,
    liveGroupCount: 0,
    userGroups: new Map(),
    userMessages: new Map(),
  };
  for (const gs of a.groups) {
    const g = groupFromJson(gs);
    app.groups.set(g.groupId, g);
    app.groupOrder.push(g);
    if (!g.deleted) app.liveGroupCount++;
  }
  // Presence comes from the members above; the snapshot's list restores each user's group order exactly.
  for (const [userId, groupIds] of a.userGroups) app.userGroups.set(userId, new Set(groupIds));
  for (const { receiverId, messages } of a.userMessages) {
    app.userMessages.set(receiverId, new Map(messages.map((m) => [m.msgTid, m])));
  }
  return app;
}

function groupFromJson(s: GroupSnapshot): GroupRecord {
  const g = newGroup(s);
  g.deleted = s.deleted;
  g.deleteTime = s.deleteTime;
  g.deletor = s.deletor;
  g.adminList = [...s.adminList];
  for (const m of s.members) g.members.set(m.userId, m);
  g.nextJoinSeq = s.nextJoinSeq;
  g.superLarge = s.superLarge;
  g.totalTimes = s.totalTimes;
  g.msgAmount = new Map(s.msgAmount);
  g.totalMessages = s.totalMessages;
  g.seqNumber = s.seqNumber;
  // Adopted, not copied: a snapshot's records are fresh objects (JSON.parse, or snapshot()'s own copies), and a copy
  // of 100,000 messages would double the memory a restart needs.
  g.messages = s.messages;
  for (let i = 0; i < g.messages.length; i++) {
    const m = g.messages[i]!;
    g.messagesByTid.set(m.msgTid, m);
    if (i > 0 && g.messages[i - 1]!.seq > m.seq) g.seqOrdered = false;
  }
  g.pastTids = new Set(s.usedTids.filter((t) => !g.messagesByTid.has(t)));
  g.cache = [...s.cache];
  g.bannedAll = s.bannedAll;
  g.exceptUsers = new Set(s.exceptUsers);
  g.bannedUsers = new Set(s.bannedUsers);
  return g;
}

function parseSnapshot(raw: unknown): StoreSnapshot {
  if (
    !raw ||
    typeof raw !== "object" ||
    (raw as { version?: unknown }).version !== SNAPSHOT_VERSION ||
    !Array.isArray((raw as { apps?: unknown }).apps) ||
    typeof (raw as { nextAppSeq?: unknown }).nextAppSeq !== "number"
  ) {
    throw new Error(`not a LiveMessage service snapshot (version ${SNAPSHOT_VERSION})`);
  }
  return raw as StoreSnapshot;
}
