import { DEFAULT_QPS, LIVE_MESSAGE_ACTIONS, MUTE_QPS } from "../limits";
import type { ApiParams } from "../client/call-options";
import { OPERATIONS, getOperation, retrySafetyOf } from "./index";
import * as ops from "./index";

// Spec §1, listed literally.
const SPEC_ACTIONS = [
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
];

const TEN_QPS = [
  "BanLiveMessageGroup",
  "UnbanLiveMessageGroup",
  "AddLiveMessageGroupBand",
  "RemoveLiveMessageGroupBand",
  "ModifyLiveMessageGroupBand",
];

const READ_ONLY = [
  "DescribeLiveMessageApp",
  "ListLiveMessageApps",
  "DescribeLiveMessageGroup",
  "ListLiveMessageGroups",
  "ListLiveMessageGroupByPage",
  "ListLiveMessageGroupUsers",
  "CheckLiveMessageUsersInGroup",
  "CheckLiveMessageUsersOnline",
  "ListLiveMessageGroupMessages",
  "DescribeLiveMessageGroupBand",
];

describe("operation registry", () => {
  it("holds exactly the 29 actions of spec §1", () => {
    expect(SPEC_ACTIONS).toHaveLength(29);
    expect(Object.keys(OPERATIONS).sort()).toEqual([...SPEC_ACTIONS].sort());
  });

  it("does not claim the operations the spec says do not exist", () => {
    for (const a of ["DeleteLiveMessageApp", "UpdateLiveMessageApp", "UpdateLiveMessageAppCallback", "ListLiveMessageGroupByCreatorId"]) {
      expect(getOperation(a)).toBeUndefined();
    }
    // Own-property lookup only.
    expect(getOperation("toString")).toBeUndefined();
    expect(getOperation("__proto__")).toBeUndefined();
  });

  it.each(SPEC_ACTIONS)("%s: registered under its own name, exported from index under that name", (action) => {
    const op = getOperation(action)!;
    expect(op).toBeDefined();
    expect(op.action).toBe(action);
    expect((ops as Record<string, unknown>)[action]).toBe(op);
    // Request/response schemas and their exports.
    expect(typeof op.request.safeParse).toBe("function");
    expect(typeof op.response.safeParse).toBe("function");
    expect((ops as Record<string, unknown>)[`${action}Request`]).toBe(op.request);
    expect((ops as Record<string, unknown>)[`${action}Response`]).toBe(op.response);
  });

  it.each(SPEC_ACTIONS)("%s: method GET only for ListLiveMessageGroupByPage (§2.1)", (action) => {
    expect(getOperation(action)!.method).toBe(action === "ListLiveMessageGroupByPage" ? "GET" : "POST");
  });

  it.each(SPEC_ACTIONS)("%s: QPS 10 for Ban/Unban/Add/Remove/Modify…Band, else 50 (§1)", (action) => {
    const expected = TEN_QPS.includes(action) ? 10 : 50;
    expect(getOperation(action)!.qps).toBe(expected);
    expect(expected === 10 ? MUTE_QPS : DEFAULT_QPS).toBe(expected);
  });

  it.each(SPEC_ACTIONS)("%s: mutates unless it only reads", (action) => {
    const op = getOperation(action)!;
    expect(op.mutates).toBe(!READ_ONLY.includes(action));
    expect(op.mutates).toBe(/^(Create|Modify|Delete|Recover|Send|Kick|Ban|Unban|Add|Remove)/.test(action));
  });

  // Issue 9, case 5: retry safety is declared on each operation (spec §11.3), not assumed. A read is "read"; a write
  // is "idempotent" only when repeating it cannot act twice; a create or send without its idempotency key is not.
  it.each(SPEC_ACTIONS)("%s: declares its retry safety, and a mutation is never 'read'", (action) => {
    const op = getOperation(action)!;
    expect(op.retry).toBeDefined();
    if (!op.mutates) expect(op.retry).toBe("read");
    else expect(op.retry).not.toBe("read");
  });

  it("CreateLiveMessageApp is never repeatable; Send* only with MsgTid; CreateLiveMessageGroup always (GroupId is required)", () => {
    const at = (action: string, params: Record<string, unknown>) => retrySafetyOf(getOperation(action)!, params as ApiParams);
    expect(at("CreateLiveMessageApp", { AppName: "chat" })).toBe("at-most-once");
    expect(at("SendLiveMessageGroup", { AppId: "a", GroupId: "g", SenderId: "s" })).toBe("at-most-once");
    expect(at("SendLiveMessageGroup", { AppId: "a", GroupId: "g", SenderId: "s", MsgTid: "" })).toBe("at-most-once");
    expect(at("SendLiveMessageGroup", { AppId: "a", GroupId: "g", SenderId: "s", MsgTid: "m1" })).toBe("idempotent");
    expect(at("SendLiveMessageUser", { AppId: "a", ReceiverId: "r", SenderId: "s" })).toBe("at-most-once");
    expect(at("SendLiveMessageUser", { AppId: "a", ReceiverId: "r", SenderId: "s", MsgTid: "m1" })).toBe("idempotent");
    expect(at("CreateLiveMessageGroup", { AppId: "a", GroupId: "g" })).toBe("idempotent");
    expect(at("DescribeLiveMessageGroup", { AppId: "a", GroupId: "g" })).toBe("idempotent");
    expect(at("ModifyLiveMessageGroup", { AppId: "a", GroupId: "g" })).toBe("idempotent");
  });
});

describe("the shared action inventory", () => {
  it("limits.LIVE_MESSAGE_ACTIONS is exactly spec §1 (the list other modules and tests use)", () => {
    expect([...LIVE_MESSAGE_ACTIONS]).toEqual(SPEC_ACTIONS);
  });
});
