/**
 * Emulator admin endpoints under `/_emulator/` — never reachable as API actions (API calls live on `/` only):
 *
 * | method | path | effect |
 * |---|---|---|
 * | GET | `/_emulator/health` | liveness, configuration summary, log and compaction figures, per-account request counts |
 * | GET | `/_emulator/metrics` | requests, throttles and errors per account and action (Prometheus text format) |
 * | GET | `/_emulator/requests` | the last API calls, newest first (`?action=&account=&code=&status=&throttled=&limit=`) |
 * | POST | `/_emulator/reset` | forget all data (logged like a mutation) and the throttle windows |
 * | GET | `/_emulator/state` | the service snapshot as JSON |
 * | POST | `/_emulator/compact` | write a snapshot and empty the log now |
 * | POST | `/_emulator/apps/{appId}/groups/{groupId}/members` | `{"userId","userInfo"?}`: a user joins a group |
 * | DELETE | `/_emulator/apps/{appId}/groups/{groupId}/members/{userId}` | the user leaves the group |
 * | GET, POST, DELETE | `/_emulator/faults` | list, replace (`{"rules":[…]}`), clear fault-injection rules |
 *
 * Who may call them is decided in server.ts (admin token, same-origin and JSON-only writes).
 */
import { APP_ID_MAX_BYTES, byteLength, isId, META_INFO_MAX_BYTES } from "./spec/limits";
import { Errors } from "./errors";
import type { FaultRuleState } from "./faults";
import type { RequestEntry, RequestQuery } from "./metrics";
import type { MembershipChange } from "./service/types";

export const ADMIN_PREFIX = "/_emulator";

/** What the admin endpoints need from the running emulator. */
export interface AdminTarget {
  /** `resetEventLoopDelay`: start a new event-loop delay window after this answer (`?reset=eventLoopDelay`). */
  health(resetEventLoopDelay?: boolean): Record<string, unknown>;
  reset(): Promise<void>;
  state(): unknown;
  compact(): Promise<Record<string, unknown>>;
  join(change: MembershipChange): Promise<void>;
  leave(change: MembershipChange): Promise<void>;
  listFaults(): FaultRuleState[];
  setFaults(body: unknown): FaultRuleState[];
  clearFaults(): void;
  metrics(): string;
  requests(q: RequestQuery): RequestEntry[];
}

export interface AdminResult {
  readonly status: number;
  readonly body: unknown;
  /** Set for non-JSON answers (the metrics text); `body` is then a string. */
  readonly contentType?: string;
}

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Every admin endpoint, for `--help` and the 404 answer. */
export const ADMIN_ENDPOINTS: readonly string[] = [
  "GET    /_emulator/health[?reset=eventLoopDelay]",
  "GET    /_emulator/metrics",
  "GET    /_emulator/requests?action=&account=&code=&status=&throttled=&limit=",
  "GET    /_emulator/state",
  "POST   /_emulator/reset",
  "POST   /_emulator/compact",
  "POST   /_emulator/apps/{appId}/groups/{groupId}/members   {\"userId\":\"…\",\"userInfo\":\"…\"}",
  "DELETE /_emulator/apps/{appId}/groups/{groupId}/members/{userId}",
  "GET    /_emulator/faults   POST /_emulator/faults {\"rules\":[…]}   DELETE /_emulator/faults",
];

function requestQuery(search: URLSearchParams): RequestQuery {
  const known = new Set(["action", "account", "code", "status", "throttled", "limit"]);
  const unknown = [...search.keys()].filter((k) => !known.has(k));
  if (unknown.length > 0) throw Errors.adminBadRequest(`Unknown query parameter(s): ${unknown.join(", ")}; allowed: ${[...known].join(", ")}.`);
  const int = (name: string): number | undefined => {
    const v = search.get(name);
    if (v === null) return undefined;
    if (!/^\d{1,9}$/.test(v)) throw Errors.adminBadRequest(`${name} must be a non-negative integer.`);
    return Number(v);
  };
  const throttled = search.get("throttled");
  if (throttled !== null && throttled !== "true" && throttled !== "false") throw Errors.adminBadRequest("throttled must be true or false.");
  const q: { -readonly [K in keyof RequestQuery]: RequestQuery[K] } = {};
  for (const k of ["action", "account", "code"] as const) {
    const v = search.get(k);
    if (v !== null) q[k] = v;
  }
  const status = int("status");
  if (status !== undefined) q.status = status;
  const limit = int("limit");
  if (limit !== undefined) q.limit = limit;
  if (throttled !== null) q.throttled = throttled === "true";
  return q;
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
export async function handleAdmin(target: AdminTarget, method: string, pathname: string, body: Buffer, search = ""): Promise<AdminResult> {
  const sub = pathname.slice(ADMIN_PREFIX.length).replace(/\/+$/, "") || "/";
  switch (`${method} ${sub}`) {
    case "GET /health": {
      const reset = new URLSearchParams(search).get("reset");
      if (reset !== null && reset !== "eventLoopDelay") throw Errors.adminBadRequest("reset may only be eventLoopDelay.");
      return { status: 200, body: target.health(reset === "eventLoopDelay") };
    }
    case "GET /metrics":
      return { status: 200, body: target.metrics(), contentType: PROMETHEUS_CONTENT_TYPE };
    case "GET /requests":
      return { status: 200, body: { requests: target.requests(requestQuery(new URLSearchParams(search))) } };
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
    // The path names what the log will record: only well-formed IDs get that far (§2.4; AppId: [U] rule of
    // spec/operations.ts — no whitespace or commas, at most 64 bytes).
    if (appId === "" || /[\s,/\\]/.test(appId) || byteLength(appId) > APP_ID_MAX_BYTES) {
      throw Errors.adminBadRequest(`appId in the path must be an app ID (no whitespace, commas or slashes, at most ${APP_ID_MAX_BYTES} bytes).`);
    }
    if (!isId(groupId)) throw Errors.adminBadRequest("groupId in the path must be letters and digits, at most 64 bytes.");
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
      // Exactly the join rule: the leave is logged, and a user that cannot join cannot leave.
      if (!isId(userId)) throw Errors.adminBadRequest("userId must be a string of letters and digits, at most 64 bytes.");
      await target.leave({ appId, groupId, userId });
      return { status: 200, body: { appId, groupId, userId, left: true } };
    }
  }
  throw Errors.adminNotFound(method, pathname);
}
