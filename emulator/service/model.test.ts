/**
 * Model-based test: random sequences of create/delete/recover/modify/send/list/join/leave (and clock steps) run
 * against a deliberately simple in-test model and against the real service — directly, and over HTTP through the
 * emulator gateway (`startEmulator`, signed V3 requests) — and must never diverge.
 */
import fc from "fast-check";
import { RECOVERY_WINDOW_MS } from "../spec/limits";
const RECOVER_WINDOW_SECONDS = RECOVERY_WINDOW_MS / 1000;
import { isoTimestamp } from "../test-support/client";
import { EmulatorError } from "../errors";
import { mulberry32 } from "../random";
import { admin, callV3 } from "../test-support/client";
import { createService } from "./index";
import { T0, toWire, type TestParams } from "./test-support/harness";
import type { LiveMessageService } from "./types";

const DAY = 24 * 3600 * 1000;
const RETENTION = 30 * DAY; // the model's app uses MsgLifeCycle 0
const GROUP_IDS = ["g0", "g1", "g2"];
const USER_IDS = ["u0", "u1", "u2"];

// ---------------------------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------------------------

interface MGroup {
  admins: string[];
  info: string;
  deleted: boolean;
  deleteTime: number;
  members: string[];
  stored: { tid: string; time: number }[];
  amount: Record<string, number>;
}

interface Model {
  now: number;
  groups: Map<string, MGroup>;
  order: string[];
  sent: number;
}

// ---------------------------------------------------------------------------------------------------------------
// The system under test, behind one interface for both targets
// ---------------------------------------------------------------------------------------------------------------

type Outcome = { ok: true; body: any } | { ok: false; code: string; status: number };

interface Target {
  call(action: string, params: TestParams): Promise<Outcome>;
  join(appId: string, groupId: string, userId: string): Promise<Outcome>;
  leave(appId: string, groupId: string, userId: string): Promise<Outcome>;
  setNow(ms: number): void;
}

interface Real {
  target: Target;
  appId: string;
}

function fromError(e: unknown): Outcome {
  if (e instanceof EmulatorError) return { ok: false, code: e.code, status: e.httpStatus };
  throw e;
}

/** The service called in-process; every failing call must leave the snapshot unchanged. */
function serviceTarget(service: LiveMessageService): Target {
  let now = T0;
  let seed = 1;
  const guard = (fn: () => unknown): Outcome => {
    const before = JSON.stringify(service.snapshot());
    try {
      return { ok: true, body: fn() };
    } catch (e) {
      expect(JSON.stringify(service.snapshot())).toBe(before);
      return fromError(e);
    }
  };
  return {
    call: async (action, params) =>
      guard(() =>
        service.execute(action, toWire(params), { accountId: "acc1", accessKeyId: "k1", now, seed, random: mulberry32(seed++) }),
      ),
    join: async (appId, groupId, userId) => guard(() => service.join({ appId, groupId, userId }, now)),
    leave: async (appId, groupId, userId) => guard(() => service.leave({ appId, groupId, userId }, now)),
    setNow: (ms) => {
      now = ms;
    },
  };
}

/** The emulator over HTTP: signed V3 requests dated by the injected clock, admin endpoints for membership. */
function httpTarget(url: string, key: { accessKeyId: string; accessKeySecret: string }, clock: { now: number }): Target {
  const outcome = (r: { status: number; json: Record<string, any> }): Outcome => {
    if (r.status === 200 && r.json.Code === undefined) {
      const { RequestId: _requestId, ...body } = r.json;
      return { ok: true, body };
    }
    return { ok: false, code: String(r.json.Code), status: r.status };
  };
  return {
    call: async (action, params) =>
      outcome(await callV3(url, action, toWire(params), key, { date: isoTimestamp(new Date(clock.now)) })),
    join: async (appId, groupId, userId) => outcome(await admin(url, "POST", `/apps/${appId}/groups/${groupId}/members`, { userId })),
    leave: async (appId, groupId, userId) => outcome(await admin(url, "DELETE", `/apps/${appId}/groups/${groupId}/members/${userId}`)),
    setNow: (ms) => {
      clock.now = ms;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------------------------

function expectOk(o: Outcome): any {
  if (!o.ok) throw new Error(`expected success, got ${o.code} (${o.status})`);
  return o.body;
}

function expectFail(o: Outcome, code: string): void {
  expect(o.ok ? "success" : o.code).toBe(code);
}

/** A live group of the model, or the error code the service must answer for `groupId`. */
function liveGroup(m: Model, groupId: string): MGroup | "ResourceNotExist" {
  const g = m.groups.get(groupId);
  return g && !g.deleted ? g : "ResourceNotExist";
}

abstract class Cmd implements fc.AsyncCommand<Model, Real> {
  check(): boolean {
    return true;
  }
  abstract run(m: Model, r: Real): Promise<void>;
  abstract toString(): string;
}

class CreateGroup extends Cmd {
  constructor(readonly groupId: string, readonly admins: string[]) {
    super();
  }
  async run(m: Model, r: Real): Promise<void> {
    const body = expectOk(await r.target.call("CreateLiveMessageGroup", { AppId: r.appId, GroupId: this.groupId, Administrators: this.admins }));
    const existing = m.groups.get(this.groupId);
    expect(body).toEqual({ GroupId: this.groupId, AlreadyExists: existing !== undefined, AlreadyDelete: existing?.deleted ?? false });
    if (!existing) {
      m.groups.set(this.groupId, { admins: [...new Set(this.admins)], info: "", deleted: false, deleteTime: 0, members: [], stored: [], amount: {} });
      m.order.push(this.groupId);
    }
  }
  toString(): string {
    return `Create(${this.groupId}, [${this.admins}])`;
  }
}

class DeleteGroup extends Cmd {
  constructor(readonly groupId: string) {
    super();
  }
  async run(m: Model, r: Real): Promise<void> {
    expect(expectOk(await r.target.call("DeleteLiveMessageGroup", { AppId: r.appId, GroupId: this.groupId, OperatorId: "op" }))).toEqual({
      GroupId: this.groupId,
    });
    const g = m.groups.get(this.groupId);
    if (g && !g.deleted) Object.assign(g, { deleted: true, deleteTime: m.now, members: [] });
  }
  toString(): string {
    return `Delete(${this.groupId})`;
  }
}

class RecoverGroup extends Cmd {
  constructor(readonly groupId: string) {
    super();
  }
  async run(m: Model, r: Real): Promise<void> {
    const o = await r.target.call("RecoverLiveMessageDeletedGroup", { AppId: r.appId, GroupId: this.groupId });
    const g = m.groups.get(this.groupId);
    if (!g || (g.deleted && m.now - g.deleteTime > RECOVER_WINDOW_SECONDS * 1000)) return expectFail(o, "ResourceNotExist");
    expect(expectOk(o)).toEqual({ GroupId: this.groupId });
    g.deleted = false;
  }
  toString(): string {
    return `Recover(${this.groupId})`;
  }
}

class ModifyGroup extends Cmd {
  constructor(readonly groupId: string, readonly modifyAdmin: boolean, readonly admins: string[], readonly modifyInfo: boolean, readonly info: string) {
    super();
  }
  async run(m: Model, r: Real): Promise<void> {
    const o = await r.target.call("ModifyLiveMessageGroup", {
      AppId: r.appId,
      GroupId: this.groupId,
      ModifyAdmin: this.modifyAdmin,
      AdminList: this.admins,
      ModifyInfo: this.modifyInfo,
      GroupInfo: this.info,
    });
    const g = liveGroup(m, this.groupId);
    if (typeof g === "string") return expectFail(o, g);
    expect(expectOk(o)).toEqual({});
    if (this.modifyAdmin) g.admins = [...new Set(this.admins)];
    if (this.modifyInfo) g.info = this.info;
  }
  toString(): string {
    return `Modify(${this.groupId}, admin=${this.modifyAdmin}:[${this.admins}], info=${this.modifyInfo}:${this.info})`;
  }
}

class Send extends Cmd {
  constructor(readonly groupId: string, readonly msgType: number, readonly noStorage: boolean) {
    super();
  }
  async run(m: Model, r: Real): Promise<void> {
    const tid = `t${m.sent++}`;
    const o = await r.target.call("SendLiveMessageGroup", {
      AppId: r.appId,
      GroupId: this.groupId,
      SenderId: "sender",
      MsgType: this.msgType,
      MsgTid: tid,
      NoStorage: this.noStorage,
    });
    const g = liveGroup(m, this.groupId);
    if (typeof g === "string") return expectFail(o, g);
    if (g.members.length === 0) return expectFail(o, "InputInvalid");
    expect(expectOk(o)).toEqual({ MsgTid: tid });
    g.amount[String(this.msgType)] = (g.amount[String(this.msgType)] ?? 0) + 1;
    if (!this.noStorage) g.stored.push({ tid, time: m.now });
  }
  toString(): string {
    return `Send(${this.groupId}, type ${this.msgType}${this.noStorage ? ", NoStorage" : ""})`;
  }
}

class DeleteMessage extends Cmd {
  constructor(readonly groupId: string, readonly pick: number) {
    super();
  }
  async run(m: Model, r: Real): Promise<void> {
    const g0 = m.groups.get(this.groupId);
    const tid = g0 && g0.stored.length > 0 ? g0.stored[this.pick % g0.stored.length]!.tid : "nosuchmsg";
    const o = await r.target.call("DeleteLiveMessageGroupMessage", { AppId: r.appId, GroupId: this.groupId, MessageId: tid });
    const g = liveGroup(m, this.groupId);
    if (typeof g === "string") return expectFail(o, g);
    expect(expectOk(o)).toEqual({ GroupId: this.groupId, MessageId: tid });
    g.stored = g.stored.filter((s) => s.tid !== tid);
  }
  toString(): string {
    return `DeleteMessage(${this.groupId}, #${this.pick})`;
  }
}

class Join extends Cmd {
  constructor(readonly groupId: string, readonly userId: string) {
    super();
  }
  async run(m: Model, r: Real): Promise<void> {
    const o = await r.target.join(r.appId, this.groupId, this.userId);
    const g = liveGroup(m, this.groupId);
    if (typeof g === "string") return expectFail(o, g);
    expectOk(o);
    if (!g.members.includes(this.userId)) g.members.push(this.userId);
  }
  toString(): string {
    return `Join(${this.groupId}, ${this.userId})`;
  }
}

class Leave extends Cmd {
  constructor(readonly groupId: string, readonly userId: string) {
    super();
  }
  async run(m: Model, r: Real): Promise<void> {
    const o = await r.target.leave(r.appId, this.groupId, this.userId);
    const g = m.groups.get(this.groupId);
    if (!g) return expectFail(o, "ResourceNotExist");
    expectOk(o);
    g.members = g.members.filter((u) => u !== this.userId);
  }
  toString(): string {
    return `Leave(${this.groupId}, ${this.userId})`;
  }
}

class Advance extends Cmd {
  constructor(readonly ms: number) {
    super();
  }
  async run(m: Model, r: Real): Promise<void> {
    m.now += this.ms;
    r.target.setNow(m.now);
  }
  toString(): string {
    return `Advance(${this.ms / 1000}s)`;
  }
}

class Describe extends Cmd {
  constructor(readonly groupId: string) {
    super();
  }
  async run(m: Model, r: Real): Promise<void> {
    const o = await r.target.call("DescribeLiveMessageGroup", { AppId: r.appId, GroupId: this.groupId });
    const g = m.groups.get(this.groupId);
    if (!g) return expectFail(o, "ResourceNotExist");
    const body = expectOk(o);
    expect(body).toMatchObject({ GroupId: this.groupId, AdminList: g.admins, GroupInfo: g.info, Delete: g.deleted, SuperLargeGroup: false });
    if (g.deleted) {
      expect(body).toMatchObject({ Deletatime: Math.floor(g.deleteTime / 1000), Deletor: "op" });
      expect(body).not.toHaveProperty("MsgAmount");
    } else {
      expect(body).toMatchObject({ OnlineUserCounts: g.members.length, MsgAmount: g.amount });
      expect(body).not.toHaveProperty("Deletatime");
    }
  }
  toString(): string {
    return `Describe(${this.groupId})`;
  }
}

class ListGroups extends Cmd {
  constructor(readonly sortType: number, readonly status: number, readonly byPage: boolean) {
    super();
  }
  async run(m: Model, r: Real): Promise<void> {
    let expected = m.order.filter((id) => this.status === 0 || (this.status === 1) === !m.groups.get(id)!.deleted);
    if (this.sortType === 2) expected = [...expected].reverse();
    if (this.byPage) {
      const body = expectOk(
        await r.target.call("ListLiveMessageGroupByPage", { AppId: r.appId, SortType: this.sortType, GroupStatus: this.status, PageSize: 50 }),
      );
      expect(body.TotalCount).toBe(expected.length);
      expect(body.GroupList.map((g: any) => g.GroupId)).toEqual(expected);
      for (const item of body.GroupList) expect(item.Delete).toBe(m.groups.get(item.GroupId)!.deleted);
    } else {
      const body = expectOk(await r.target.call("ListLiveMessageGroups", { AppId: r.appId, SortType: this.sortType, GroupStatus: this.status }));
      // The model never has more groups than one page holds.
      expect([body.Hasmore, body.GroupList.map((g: any) => g.GroupId)]).toEqual([false, expected]);
    }
  }
  toString(): string {
    return `${this.byPage ? "ListByPage" : "ListGroups"}(sort ${this.sortType}, status ${this.status})`;
  }
}

/** Walks every page of a token-paged list (PageSize 10). */
async function allPages(r: Real, action: string, params: TestParams, items: string): Promise<Outcome & { items?: any[] }> {
  const out: any[] = [];
  let token: number | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const o = await r.target.call(action, { ...params, PageSize: 10, NextPageToken: token });
    if (!o.ok) return o;
    out.push(...o.body[items]);
    if (!o.body.Hasmore) {
      expect(o.body.NextPageToken).toBe(0);
      return { ...o, items: out };
    }
    token = o.body.NextPageToken;
  }
  throw new Error("paging did not end");
}

class ListMessages extends Cmd {
  constructor(readonly groupId: string, readonly sortType: number) {
    super();
  }
  async run(m: Model, r: Real): Promise<void> {
    const o = await allPages(r, "ListLiveMessageGroupMessages", { AppId: r.appId, GroupId: this.groupId, SortType: this.sortType }, "MessageList");
    const g = liveGroup(m, this.groupId);
    if (typeof g === "string") return expectFail(o, g);
    expectOk(o);
    let expected = g.stored.filter((s) => s.time >= m.now - RETENTION).map((s) => s.tid);
    if (this.sortType === 2) expected = expected.reverse();
    expect(o.items!.map((x) => x.MsgTid)).toEqual(expected);
  }
  toString(): string {
    return `ListMessages(${this.groupId}, sort ${this.sortType})`;
  }
}

class ListUsers extends Cmd {
  constructor(readonly groupId: string, readonly sortType: number) {
    super();
  }
  async run(m: Model, r: Real): Promise<void> {
    const o = await allPages(r, "ListLiveMessageGroupUsers", { AppId: r.appId, GroupId: this.groupId, SortType: this.sortType }, "UserList");
    const g = liveGroup(m, this.groupId);
    if (typeof g === "string") return expectFail(o, g);
    expectOk(o);
    const expected = this.sortType === 1 ? g.members : [...g.members].reverse();
    expect(o.items!.map((x) => x.UserId)).toEqual(expected);
  }
  toString(): string {
    return `ListUsers(${this.groupId}, sort ${this.sortType})`;
  }
}

const groupId = fc.constantFrom(...GROUP_IDS);
const userId = fc.constantFrom(...USER_IDS);
const adminList = fc.uniqueArray(fc.constantFrom("a1", "a2", "a3", "a4"), { maxLength: 3 });
const sortType = fc.constantFrom(1, 2);

const COMMANDS = [
  fc.tuple(groupId, adminList).map(([g, a]) => new CreateGroup(g, a)),
  groupId.map((g) => new DeleteGroup(g)),
  groupId.map((g) => new RecoverGroup(g)),
  fc
    .tuple(groupId, fc.boolean(), adminList, fc.boolean(), fc.constantFrom("", "info1", "info2"))
    .map(([g, ma, a, mi, i]) => new ModifyGroup(g, ma, a, mi, i)),
  fc.tuple(groupId, fc.integer({ min: 0, max: 3 }), fc.boolean()).map(([g, t, n]) => new Send(g, t, n)),
  fc.tuple(groupId, fc.nat()).map(([g, p]) => new DeleteMessage(g, p)),
  fc.tuple(groupId, userId).map(([g, u]) => new Join(g, u)),
  fc.tuple(groupId, userId).map(([g, u]) => new Leave(g, u)),
  // Twice: clock steps make retention and the recovery window matter.
  fc.constantFrom(1000, 3600_000, DAY, 10 * DAY, 29 * DAY, 31 * DAY).map((ms) => new Advance(ms)),
  fc.constantFrom(1000, 3600_000, DAY, 10 * DAY, 29 * DAY, 31 * DAY).map((ms) => new Advance(ms)),
  groupId.map((g) => new Describe(g)),
  fc.tuple(sortType, fc.constantFrom(0, 1, 2), fc.boolean()).map(([s, st, b]) => new ListGroups(s, st, b)),
  fc.tuple(groupId, sortType).map(([g, s]) => new ListMessages(g, s)),
  fc.tuple(groupId, sortType).map(([g, s]) => new ListUsers(g, s)),
];

const emptyModel = (): Model => ({ now: T0, groups: new Map(), order: [], sent: 0 });

// ---------------------------------------------------------------------------------------------------------------

describe("model-based: service in-process", () => {
  it("never diverges from the model; failing calls leave the state untouched; snapshots round-trip", async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(COMMANDS, { maxCommands: 60, size: "max" }), async (cmds) => {
        const service = createService({ accounts: ["acc1"] });
        const target = serviceTarget(service);
        const appId = expectOk(await target.call("CreateLiveMessageApp", {})).AppId as string;
        await fc.asyncModelRun(() => ({ model: emptyModel(), real: { target, appId } }), cmds);
        const snap = service.snapshot();
        const copy = createService();
        copy.restore(JSON.parse(JSON.stringify(snap)));
        expect(copy.snapshot()).toEqual(snap);
      }),
      { numRuns: 150, seed: 20240101 },
    );
  });
});

describe("model-based: the emulator over HTTP (signed V3 requests)", () => {
  const clock = { now: T0 };
  let emulator: Awaited<ReturnType<typeof import("../index").startEmulator>>;

  beforeAll(async () => {
    const { startEmulator } = await import("../index");
    emulator = await startEmulator({ port: 0, throttle: false, seed: 7, clock: () => clock.now });
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it("never diverges from the model", async () => {
    const key = emulator.credentials[0]!;
    await fc.assert(
      fc.asyncProperty(fc.commands(COMMANDS, { maxCommands: 40, size: "max" }), async (cmds) => {
        clock.now = T0;
        expect((await admin(emulator.url, "POST", "/reset")).status).toBe(200);
        const target = httpTarget(emulator.url, key, clock);
        const appId = expectOk(await target.call("CreateLiveMessageApp", {})).AppId as string;
        await fc.asyncModelRun(() => ({ model: emptyModel(), real: { target, appId } }), cmds);
      }),
      { numRuns: 30, seed: 20240102 },
    );
  });
});
