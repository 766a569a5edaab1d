/**
 * A small, deterministic stand-in for the LiveMessage service, used to test the HTTP layer (gateway checks, wire
 * formats, durability, faults) independently of the real data model in `emulator/service/`. It honours the
 * contract of `emulator/service/types.ts`: deterministic handlers, validation before mutation, snapshot/restore.
 */
import { ACTIONS as LIVE_MESSAGE_ACTIONS } from "../spec/limits";
import { Errors } from "../errors";
import { randomString } from "../random";
import type { CallContext, LiveMessageService, MembershipChange, ServiceOptions, WireParams } from "../service/types";

export { LIVE_MESSAGE_ACTIONS };

const READ_ONLY = /^(Describe|List|Check)/;

interface FakeGroup {
  groupId: string;
  groupName: string;
  admins: string[];
  createdAt: number;
  deleted: boolean;
  members: Record<string, string>;
  messages: Array<{ msgTid: string; body: string; msgType: number; senderId: string; at: number }>;
  msgAmount: Record<string, number>;
}

interface FakeApp {
  appId: string;
  accountId: string;
  appName: string;
  appKey: string;
  createdAt: number;
  groups: Record<string, FakeGroup>;
}

interface FakeState {
  apps: Record<string, FakeApp>;
}

export interface FakeService extends LiveMessageService {
  /** Params of the last executed call, as the service saw them. */
  lastParams: WireParams | undefined;
  lastContext: CallContext | undefined;
}

function required(params: WireParams, name: string): string {
  const v = params[name];
  if (v === undefined || v === "") throw Errors.inputInvalid(`${name} is mandatory`);
  return v;
}

export function createFakeService(options: ServiceOptions = {}): FakeService {
  const accounts = new Set(options.accounts ?? []);
  let state: FakeState = { apps: {} };

  const app = (ctx: CallContext, params: WireParams): FakeApp => {
    const a = state.apps[required(params, "AppId")];
    if (!a || a.accountId !== ctx.accountId) throw Errors.resourceNotExist(`app ${params.AppId}`);
    return a;
  };
  const group = (a: FakeApp, params: WireParams): FakeGroup => {
    const g = a.groups[required(params, "GroupId")];
    if (!g) throw Errors.resourceNotExist(`group ${params.GroupId}`);
    return g;
  };
  const findGroup = (change: MembershipChange): FakeGroup => {
    const g = state.apps[change.appId]?.groups[change.groupId];
    if (!g || g.deleted) throw Errors.resourceNotExist(`group ${change.groupId} of app ${change.appId}`);
    return g;
  };

  const handlers: Record<string, (p: WireParams, ctx: CallContext) => Record<string, unknown>> = {
    CreateLiveMessageApp: (p, ctx) => {
      if (!accounts.has(ctx.accountId)) throw Errors.noAuth(`unknown account ${ctx.accountId}`);
      const appId = randomString(ctx.random, 8);
      const appKey = randomString(ctx.random, 32);
      state.apps[appId] = { appId, accountId: ctx.accountId, appName: p.AppName ?? "", appKey, createdAt: ctx.now, groups: {} };
      return { AppId: appId, AppKey: appKey, AppSign: `sign-${appId}`, DataCenter: p.DataCenter ?? "cn-shanghai" };
    },
    DescribeLiveMessageApp: (p, ctx) => {
      const a = app(ctx, p);
      return { AppId: a.appId, AppName: a.appName, Disable: false, CreateTime: Math.floor(a.createdAt / 1000) };
    },
    CreateLiveMessageGroup: (p, ctx) => {
      const a = app(ctx, p);
      const groupId = required(p, "GroupId");
      if (!/^[A-Za-z0-9]+$/.test(groupId)) throw Errors.inputInvalid("GroupId");
      const admins = p.Administrators ? p.Administrators.split(",") : [];
      if (admins.length > 3) throw Errors.inputInvalid("Administrators");
      const existing = a.groups[groupId];
      if (existing) return { GroupId: groupId, AlreadyExists: true, AlreadyDelete: existing.deleted };
      a.groups[groupId] = {
        groupId,
        groupName: p.GroupName ?? "",
        admins,
        createdAt: ctx.now,
        deleted: false,
        members: {},
        messages: [],
        msgAmount: {},
      };
      return { GroupId: groupId, AlreadyExists: false, AlreadyDelete: false };
    },
    DescribeLiveMessageGroup: (p, ctx) => {
      const g = group(app(ctx, p), p);
      return {
        GroupId: g.groupId,
        GroupName: g.groupName,
        AdminList: g.admins,
        Createtime: Math.floor(g.createdAt / 1000),
        Delete: g.deleted,
        OnlineUserCounts: Object.keys(g.members).length,
        MsgAmount: g.msgAmount,
      };
    },
    DeleteLiveMessageGroup: (p, ctx) => {
      const g = group(app(ctx, p), p);
      g.deleted = true;
      return { GroupId: g.groupId };
    },
    ListLiveMessageGroups: (p, ctx) => {
      const a = app(ctx, p);
      return {
        GroupList: Object.values(a.groups).map((g) => ({ GroupId: g.groupId, AdminList: g.admins, Delete: g.deleted })),
        Hasmore: false,
      };
    },
    SendLiveMessageGroup: (p, ctx) => {
      const g = group(app(ctx, p), p);
      if (g.deleted) throw Errors.resourceNotExist(`group ${g.groupId}`);
      if (Object.keys(g.members).length === 0) throw Errors.inputInvalid("the group has no online users");
      const senderId = required(p, "SenderId");
      const msgType = Number(p.MsgType ?? "0");
      const msgTid = p.MsgTid ?? randomString(ctx.random, 16);
      g.messages.push({ msgTid, body: p.Body ?? "", msgType, senderId, at: ctx.now });
      g.msgAmount[String(msgType)] = (g.msgAmount[String(msgType)] ?? 0) + 1;
      return { MsgTid: msgTid };
    },
    ListLiveMessageGroupMessages: (p, ctx) => {
      const g = group(app(ctx, p), p);
      return {
        GroupId: g.groupId,
        MessageList: g.messages.map((m, i) => ({ MsgTid: m.msgTid, Body: m.body, SeqNumber: i + 1, Sender: { UserId: m.senderId } })),
        Hasmore: false,
      };
    },
    BanLiveMessageGroup: (p, ctx) => {
      group(app(ctx, p), p);
      return {};
    },
    CheckLiveMessageUsersOnline: (p) => ({
      UserList: required(p, "UserIds")
        .split(",")
        .map((u) => ({ UserId: u, Online: Object.values(state.apps).some((a) => Object.values(a.groups).some((g) => u in g.members)) })),
    }),
  };

  const service: FakeService = {
    actions: new Set<string>(LIVE_MESSAGE_ACTIONS),
    lastParams: undefined,
    lastContext: undefined,
    isMutating: (action) => !READ_ONLY.test(action),
    execute(action, params, ctx) {
      service.lastParams = params;
      service.lastContext = ctx;
      const handler = handlers[action];
      if (!handler) throw Errors.inputInvalid(`${action} is not handled by the fake service`);
      return handler(params, ctx);
    },
    join(change, _now) {
      findGroup(change).members[change.userId] = change.userInfo ?? "";
    },
    leave(change) {
      const g = state.apps[change.appId]?.groups[change.groupId];
      if (g) delete g.members[change.userId];
    },
    reset() {
      state = { apps: {} };
    },
    snapshot() {
      return JSON.parse(JSON.stringify(state)) as unknown;
    },
    restore(snapshot) {
      state = JSON.parse(JSON.stringify(snapshot)) as FakeState;
    },
  };
  return service;
}
