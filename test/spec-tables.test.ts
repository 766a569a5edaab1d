/**
 * Two readings of the spec, compared. The provider (`provider/limits.ts`, the 29 operation schemas of
 * `provider/operations/`, the retry classification) and the emulator (`emulator/spec/`, its error table) are
 * written independently so that a misreading is not shared; this test puts the same questions to both and fails
 * on any disagreement, which is then settled against `shared/spec/live-message-api.md`.
 *
 * - limits and constants, side by side;
 * - per operation: method, QPS, whether it mutates, and the parameter names;
 * - per parameter: the same probe values (boundaries of every byte, character, range, enum and list limit, the ID
 *   and URL rules, required or not) accepted or refused alike — the provider's zod request schema on the one side,
 *   the emulator's table-driven validator on the other;
 * - error codes: which are worth retrying (spec §11.3), and the code the provider expects for an inactive group;
 * - every emulator success body satisfies the provider's response schema.
 */
import * as P from "../provider/limits";
import { OPERATIONS, validateResponse } from "../provider/operations";
import { classifyApiError } from "../provider/client/retry-policy";
import { INACTIVE_GROUP_ERROR_CODES } from "../provider/resources/seed-message/handler";
import * as E from "../emulator/spec/limits";
import { OPERATION_RULES, type OperationRule, type ParamRule } from "../emulator/spec/operations";
import { ERROR_TABLE } from "../emulator/errors";
import { ParamReader } from "../emulator/service/params";
import { inactiveGroupError } from "../emulator/service/behaviour";
import { Harness } from "../emulator/service/test-support/harness";
import { EmulatorError } from "../emulator/errors";

describe("limits: the provider's and the emulator's reading agree", () => {
  const pairs: [string, unknown, unknown][] = [
    ["API version", P.API_VERSION, E.API_VERSION],
    ["actions", [...P.LIVE_MESSAGE_ACTIONS].sort(), [...E.ACTIONS].sort()],
    ["data centers", [...P.DATA_CENTERS], [...E.DATA_CENTERS]],
    ["default data center", P.DEFAULT_DATA_CENTER, E.DEFAULT_DATA_CENTER],
    ["ID max bytes", P.MAX_ID_BYTES, E.ID_MAX_BYTES],
    ["AppName characters", [P.APP_NAME_MIN_CHARS, P.APP_NAME_MAX_CHARS], [E.APP_NAME_CHARS.min, E.APP_NAME_CHARS.max]],
    ["AuditType values", [...P.AUDIT_TYPES], [...E.AUDIT_TYPES]],
    ["MsgLifeCycle → retention days", P.MSG_LIFE_CYCLE_DAYS, E.RETENTION_DAYS_BY_LIFE_CYCLE],
    ["GroupName max bytes", P.GROUP_NAME_MAX_BYTES, E.GROUP_NAME_MAX_BYTES],
    ["GroupInfo max bytes", P.GROUP_INFO_MAX_BYTES, E.GROUP_INFO_MAX_BYTES],
    ["administrators", P.MAX_ADMINISTRATORS, E.ADMINISTRATORS_MAX],
    ["message body max bytes", P.MESSAGE_BODY_MAX_BYTES, E.BODY_MAX_BYTES],
    ["sender meta info max bytes", P.SENDER_META_MAX_BYTES, E.META_INFO_MAX_BYTES],
    ["user meta info max bytes", P.USER_META_MAX_BYTES, E.META_INFO_MAX_BYTES],
    ["apps per account", P.MAX_APPS_PER_ACCOUNT, E.APPS_PER_ACCOUNT],
    ["live groups per app", P.MAX_LIVE_GROUPS_PER_APP, E.LIVE_GROUPS_PER_APP],
    ["message types per group", P.MAX_MSG_TYPES_PER_GROUP, E.MSG_TYPES_PER_GROUP],
    ["super group members", P.SUPER_GROUP_THRESHOLD, E.SUPER_GROUP_MEMBERS],
    ["recovery window (ms)", P.RECOVER_WINDOW_SECONDS * 1000, E.RECOVERY_WINDOW_MS],
    ["user IDs per check", P.MAX_USER_IDS_PER_CHECK, E.CHECK_USER_IDS_MAX],
    ["user IDs per mute call", P.MAX_USERS_PER_BAN_CALL, E.MUTE_USER_IDS_MAX],
    ["page number range", [1, P.PAGE_NUMBER_MAX], [E.PAGE_NUMBER_RANGE.min, E.PAGE_NUMBER_RANGE.max]],
    ["by-page size", [P.BY_PAGE_SIZE_MIN, P.BY_PAGE_SIZE_MAX, P.BY_PAGE_SIZE_DEFAULT], [E.BY_PAGE_SIZE_RANGE.min, E.BY_PAGE_SIZE_RANGE.max, E.BY_PAGE_SIZE_RANGE.default]],
    ["token page size", [P.TOKEN_PAGE_SIZE_MIN, P.TOKEN_PAGE_SIZE_MAX], [E.TOKEN_PAGE_SIZE_RANGE.min, E.TOKEN_PAGE_SIZE_RANGE.max]],
    ["ListLiveMessageApps page size [U]", P.LIST_APPS_PAGE_SIZE, E.APPS_PAGE_SIZE],
    ["ListLiveMessageGroups page size [U]", P.LIST_GROUPS_PAGE_SIZE, E.GROUPS_PAGE_SIZE],
    ["timestamp skew (ms)", P.TIMESTAMP_SKEW_SECONDS * 1000, E.CLOCK_SKEW_MS],
    ["nonce window (ms)", P.NONCE_TTL_SECONDS * 1000, E.NONCE_WINDOW_MS],
    ["QPS per action", Object.fromEntries(P.LIVE_MESSAGE_ACTIONS.map((a) => [a, P.qpsFor(a)])), Object.fromEntries(E.ACTIONS.map((a) => [a, E.qpsOf(a)]))],
  ];
  it.each(pairs)("%s", (_name, provider, emulator) => {
    expect(provider).toEqual(emulator);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Operations and parameters
// ---------------------------------------------------------------------------------------------------------------

type Js = string | number | boolean | string[];
interface Probe {
  /** What is probed, for the failure message. */
  readonly label: string;
  /** The value the provider is given (undefined: the parameter is left out). */
  readonly js: Js | undefined;
  /** The same value on the wire, as the emulator receives it (undefined: absent). */
  readonly wire: string | undefined;
}

const toWire = (v: Js): string => (Array.isArray(v) ? v.join(",") : String(v));
const probe = (label: string, js: Js | undefined): Probe => ({ label, js, wire: js === undefined ? undefined : toWire(js) });
const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `u${i}`);

/** A value both sides must accept, per kind. */
function validValue(r: ParamRule): Js {
  switch (r.kind) {
    case "string":
      return "text";
    case "id":
      return "abc123";
    case "appId":
      return "demo";
    case "appName":
      return "name";
    case "dataCenter":
      return E.DEFAULT_DATA_CENTER;
    case "hookUrl":
      return "https://hooks.example.com/lm";
    case "int":
      return r.oneOf ? r.oneOf[0]! : (r.min ?? 1);
    case "bool":
      return true;
    case "idList":
      return ids(Math.max(1, r.minItems ?? 1));
  }
}

/** Boundary probes of one parameter, derived from the emulator's rule; both sides must agree on each. */
function probes(r: ParamRule): Probe[] {
  const out: Probe[] = [probe("valid", validValue(r)), probe("left out", undefined)];
  const bytes = (n: number, ch = "a"): string => ch.repeat(n);
  switch (r.kind) {
    case "string": {
      out.push(probe("empty", ""));
      if (r.maxBytes !== undefined) {
        out.push(probe("max bytes", bytes(r.maxBytes)), probe("max+1 bytes", bytes(r.maxBytes + 1)));
        // Bytes, not characters: 2-byte characters up to the limit, then one more.
        out.push(probe("max bytes of é", bytes(Math.floor(r.maxBytes / 2), "é")), probe("max+2 bytes of é", bytes(Math.floor(r.maxBytes / 2) + 1, "é")));
      }
      break;
    }
    case "id":
      out.push(
        probe("64 bytes", bytes(64)),
        probe("65 bytes", bytes(65)),
        probe("a dash", "a-b"),
        probe("an underscore", "a_b"),
        probe("a space", "a b"),
        probe("a non-ASCII letter", "é"),
        probe("digits only", "123"),
      );
      if (r.required) out.push(probe("empty", ""));
      break;
    case "appId":
      out.push(probe("64 bytes", bytes(64)), probe("65 bytes", bytes(65)), probe("a space", "a b"), probe("a comma", "a,b"), probe("empty", ""));
      break;
    case "appName":
      out.push(
        probe("min chars", bytes(r.min!)),
        probe("min-1 chars", bytes(r.min! - 1)),
        probe("max chars", bytes(r.max!)),
        probe("max+1 chars", bytes(r.max! + 1)),
        probe("max chars of 汉 (characters, not bytes)", bytes(r.max!, "汉")),
        probe("max+1 chars of 汉", bytes(r.max! + 1, "汉")),
      );
      break;
    case "dataCenter":
      for (const dc of E.DATA_CENTERS) out.push(probe(dc, dc));
      out.push(probe("an unknown data center", "us-west-1"));
      break;
    case "hookUrl":
      for (const [label, url] of [
        ["https", "https://hooks.example.com/a?b=c"],
        ["http with a public IPv4", "http://8.8.8.8/h"],
        ["empty (none)", ""],
        ["ftp", "ftp://example.com/x"],
        ["no scheme", "example.com/x"],
        ["a port", "https://example.com:8443/x"],
        ["the default port spelled out", "http://example.com:80/x"],
        ["10/8", "http://10.1.2.3/x"],
        ["172.16/12", "http://172.20.0.1/x"],
        ["192.168/16", "http://192.168.1.1/x"],
        ["loopback", "http://127.0.0.1/x"],
        ["localhost", "http://localhost/x"],
        ["IPv6 loopback", "http://[::1]/x"],
        ["IPv6 unique-local", "http://[fd00::1]/x"],
        ["not a URL", "hooks"],
      ] as const) {
        out.push(probe(label, url));
      }
      break;
    case "int": {
      out.push(probe("a fraction", 1.5), probe("beyond 2^53", 2 ** 53 + 2));
      if (r.oneOf) {
        for (const v of r.oneOf) out.push(probe(`allowed ${v}`, v));
        out.push(probe("one above the enum", Math.max(...r.oneOf) + 1), probe("one below the enum", Math.min(...r.oneOf) - 1));
      }
      if (r.min !== undefined) out.push(probe("min", r.min), probe("min-1", r.min - 1));
      if (r.max !== undefined) out.push(probe("max", r.max), probe("max+1", r.max + 1));
      if (r.int64 && r.min === undefined && r.max === undefined && !r.oneOf) out.push(probe("negative", -5), probe("beyond int32", 99_999_999_999));
      break;
    }
    case "bool":
      out.push(probe("false", false), probe("a string instead", "yes" as unknown as boolean));
      break;
    case "idList": {
      const min = r.minItems ?? (r.required ? 1 : 0);
      out.push(probe("max items", ids(r.maxItems!)), probe("max+1 items", ids(r.maxItems! + 1)), probe("min items", ids(min)));
      if (min > 0) out.push(probe("min-1 items", ids(min - 1)));
      out.push(probe("an invalid ID", ["ok", "a-b"]), probe("a 65-byte ID", [bytes(65)]));
      break;
    }
  }
  return out;
}

/**
 * Valid values of every required parameter, plus what cross-field rules need: an AuditUrl (AuditType 2 needs one,
 * §3.1) and ModifyAdmin/ModifyInfo = true (§5.3: AdminList/GroupInfo only apply with their flag — the service
 * ignores them otherwise, which the provider turns into a check-time error; see the test below).
 */
function baseParams(op: OperationRule): Record<string, Js> {
  const base: Record<string, Js> = {};
  for (const r of op.params) if (r.required || r.name === "AuditUrl") base[r.name] = validValue(r);
  if (op.action === "ModifyLiveMessageGroup") Object.assign(base, { ModifyAdmin: true, ModifyInfo: true });
  return base;
}

function providerAccepts(action: string, params: Record<string, Js | undefined>): boolean {
  const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
  return OPERATIONS[action]!.request.safeParse(clean).success;
}

function emulatorAccepts(op: OperationRule, params: Record<string, string | undefined>): boolean {
  const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, string>;
  try {
    new ParamReader(clean, op).validate();
    return true;
  } catch (e) {
    if (e instanceof EmulatorError && e.code === "InputInvalid") return false;
    throw e;
  }
}

function requestKeys(action: string): string[] {
  const schema = OPERATIONS[action]!.request as unknown as { shape?: Record<string, unknown> };
  return Object.keys(schema.shape ?? {}).sort();
}

describe("operations: method, QPS, mutation and parameter names agree", () => {
  it.each([...E.ACTIONS])("%s", (action) => {
    const provider = OPERATIONS[action]!;
    const emulator = OPERATION_RULES[action];
    expect({ method: provider.method, qps: provider.qps, mutates: provider.mutates, params: requestKeys(action) }).toEqual({
      method: emulator.method,
      qps: emulator.qps,
      mutates: emulator.mutating,
      params: emulator.params.map((p) => p.name).sort(),
    });
  });
});

describe("parameters: every probe is accepted or refused alike", () => {
  const cases = E.ACTIONS.flatMap((action) => OPERATION_RULES[action].params.map((r) => [action, r.name] as const));
  it.each(cases)("%s %s", (action, name) => {
    const op = OPERATION_RULES[action];
    const rule = op.params.find((r) => r.name === name)!;
    const base = baseParams(op);
    const disagreements: string[] = [];
    for (const p of probes(rule)) {
      const js: Record<string, Js | undefined> = { ...base, [name]: p.js };
      const wire: Record<string, string | undefined> = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, toWire(v)]));
      wire[name] = p.wire;
      const prov = providerAccepts(action, js);
      const emu = emulatorAccepts(op, wire);
      if (prov !== emu) disagreements.push(`${p.label} (${JSON.stringify(p.js)?.slice(0, 40)}): provider ${prov ? "accepts" : "refuses"}, emulator ${emu ? "accepts" : "refuses"}`);
    }
    expect(disagreements).toEqual([]);
  });

  it("§5.3 AdminList/GroupInfo without their Modify flag: ignored by the service (emulator), refused before sending (provider)", () => {
    const h = new Harness();
    const appId = h.createApp();
    h.createGroup(appId, "g1", { GroupInfo: "before" });
    h.call("ModifyLiveMessageGroup", { AppId: appId, GroupId: "g1", GroupInfo: "after" });
    expect(h.call("DescribeLiveMessageGroup", { AppId: appId, GroupId: "g1" }).GroupInfo).toBe("before");
    expect(providerAccepts("ModifyLiveMessageGroup", { AppId: "demo", GroupId: "g1", GroupInfo: "after" })).toBe(false);
  });

  it("AuditUrl is required with AuditType 2 (custom moderation) on both sides", () => {
    const h = new Harness();
    for (const action of ["CreateLiveMessageApp", "ModifyLiveMessageAppAudit"] as const) {
      expect(providerAccepts(action, action === "CreateLiveMessageApp" ? { AuditType: 2 } : { AppId: "demo", AuditType: 2 })).toBe(false);
    }
    expect(h.fail("CreateLiveMessageApp", { AuditType: 2 }).code).toBe("InputInvalid");
    const appId = h.createApp();
    expect(h.fail("ModifyLiveMessageAppAudit", { AppId: appId, AuditType: 2 }).code).toBe("InputInvalid");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------------------

describe("error mapping", () => {
  const apiCodes = Object.entries(ERROR_TABLE).filter(([, row]) => row.source !== "admin");
  it.each(apiCodes)("%s: the provider retries it exactly when the emulator's table calls it transient (spec §11.3)", (code, row) => {
    expect(classifyApiError(code, row.status).retry).toBe(row.transient);
  });

  it("the code the emulator answers for a send to an inactive group is one the provider recognises as such", () => {
    expect(INACTIVE_GROUP_ERROR_CODES.has(inactiveGroupError("g").code)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------------------------

describe("responses: every emulator success body satisfies the provider's response schema", () => {
  it.each([...E.ACTIONS])("%s", (action) => {
    const h = new Harness();
    const appId = h.createApp({ AppName: "main", EventCallbackUrl: "https://cb.example.com/x" });
    for (let i = 0; i < 3; i++) h.createGroup(appId, `g${i}`, { GroupName: `n${i}`, Administrators: ["a1"], CreatorId: "c1" });
    h.join(appId, "g2", "u1", "info");
    for (let i = 0; i < 3; i++) h.call("SendLiveMessageGroup", { AppId: appId, GroupId: "g2", SenderId: "s", MsgType: i, MsgTid: `m${i}` });
    h.call("SendLiveMessageUser", { AppId: appId, ReceiverId: "u1", SenderId: "s", Storage: true, MsgTid: "um1" });
    h.call("BanLiveMessageGroup", { AppId: appId, GroupId: "g2", ExceptUsers: ["u1"] });
    h.call("DeleteLiveMessageGroup", { AppId: appId, GroupId: "g1" });
    const params = {
      AppId: appId,
      GroupId: action === "RecoverLiveMessageDeletedGroup" ? "g1" : "g2",
      SortType: 1,
      PageSize: 10,
      UserIds: ["u1"],
      KickoffUser: "nobody",
      UserId: "u1",
      SenderId: "s1",
      ReceiverId: "u1",
      MessageId: "m1",
      BannedUsers: ["x"],
      UnbannedUsers: ["x"],
      Disable: false,
    };
    const known = new Set(OPERATION_RULES[action].params.map((p) => p.name));
    const body = h.call(action, action === "CreateLiveMessageApp" ? {} : Object.fromEntries(Object.entries(params).filter(([k]) => known.has(k))));
    expect(() => validateResponse(action, { RequestId: "r", ...body })).not.toThrow();
  });
});
