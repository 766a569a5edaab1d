/**
 * Emulator admin endpoints under `/_emulator/` — never reachable as API actions (API calls live on `/` only):
 *
 * | method | path | effect |
 * |---|---|---|
 * | GET | `/_emulator/health` | liveness, configuration summary, memory figures |
 * | POST | `/_emulator/reset` | forget all data (logged like a mutation) and the throttle windows |
 * | GET | `/_emulator/state` | the service snapshot as JSON |
 * | POST | `/_emulator/compact` | write a snapshot and empty the log now |
 * | POST | `/_emulator/apps/{appId}/groups/{groupId}/members` | `{"userId","userInfo"?}`: a user joins a group |
 * | DELETE | `/_emulator/apps/{appId}/groups/{groupId}/members/{userId}` | the user leaves the group |
 * | GET, POST, DELETE | `/_emulator/faults` | list, replace (`{"rules":[…]}`), clear fault-injection rules |
 */
import { byteLength, isId, META_INFO_MAX_BYTES } from "./spec/limits";
import { Errors } from "./errors";
import type { FaultRuleState } from "./faults";
import type { MembershipChange } from "./service/types";

export const ADMIN_PREFIX = "/_emulator";

/** What the admin endpoints need from the running emulator. */
export interface AdminTarget {
  health(): Record<string, unknown>;
  reset(): Promise<void>;
  state(): unknown;
  compact(): Promise<Record<string, unknown>>;
  join(change: MembershipChange): Promise<void>;
  leave(change: MembershipChange): Promise<void>;
  listFaults(): FaultRuleState[];
  setFaults(body: unknown): FaultRuleState[];
  clearFaults(): void;
}

export interface AdminResult {
  readonly status: number;
  readonly body: unknown;
}

function segment(raw: string, what: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw Errors.adminBadRequest(`The ${what} in the path is not valid percent-encoding.`);
  }
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (e) {
    throw Errors.adminBadRequest(`The request body is not valid JSON: ${(e as Error).message}`);
  }
}

const MEMBERS = /^\/apps\/([^/]+)\/groups\/([^/]+)\/members(?:\/([^/]+))?\/?$/;

/** Routes one admin request; throws `EmulatorError` for bad requests (rendered as the usual error envelope). */
export async function handleAdmin(target: AdminTarget, method: string, pathname: string, body: Buffer): Promise<AdminResult> {
  const sub = pathname.slice(ADMIN_PREFIX.length).replace(/\/+$/, "") || "/";
  switch (`${method} ${sub}`) {
    case "GET /health":
      return { status: 200, body: target.health() };
    case "POST /reset":
      await target.reset();
      return { status: 200, body: { reset: true } };
    case "GET /state":
      return { status: 200, body: target.state() };
    case "POST /compact":
      return { status: 200, body: await target.compact() };
    case "GET /faults":
      return { status: 200, body: { rules: target.listFaults() } };
    case "POST /faults":
      return { status: 200, body: { rules: target.setFaults(parseJson(body)) } };
    case "DELETE /faults":
      target.clearFaults();
      return { status: 200, body: { rules: [] } };
  }
  const m = MEMBERS.exec(sub);
  if (m) {
    const appId = segment(m[1]!, "appId");
    const groupId = segment(m[2]!, "groupId");
    if (method === "POST" && m[3] === undefined) {
      const input = parseJson(body);
      if (!input || typeof input !== "object" || Array.isArray(input)) {
        throw Errors.adminBadRequest('Expected a JSON object {"userId":"<letters and digits>","userInfo":"<optional string>"}.');
      }
      const { userId, userInfo, ...rest } = input as Record<string, unknown>;
      const unknown = Object.keys(rest);
      if (unknown.length > 0) throw Errors.adminBadRequest(`Unknown field(s): ${unknown.join(", ")}; expected userId and userInfo.`);
      if (typeof userId !== "string" || !isId(userId)) {
        throw Errors.adminBadRequest("userId must be a string of letters and digits, at most 64 bytes.");
      }
      if (userInfo !== undefined && (typeof userInfo !== "string" || byteLength(userInfo) > META_INFO_MAX_BYTES)) {
        throw Errors.adminBadRequest(`userInfo must be a string of at most ${META_INFO_MAX_BYTES} bytes.`);
      }
      const change: MembershipChange = { appId, groupId, userId, ...(userInfo !== undefined ? { userInfo } : {}) };
      await target.join(change);
      return { status: 200, body: { appId, groupId, userId, joined: true } };
    }
    if (method === "DELETE" && m[3] !== undefined) {
      const userId = segment(m[3], "userId");
      await target.leave({ appId, groupId, userId });
      return { status: 200, body: { appId, groupId, userId, left: true } };
    }
  }
  throw Errors.adminNotFound(method, pathname);
}
