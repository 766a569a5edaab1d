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
 * | POST | `/_emulator/faults/rules` | append rules (`{"rules":[…]}`); the others keep their counts |
 * | DELETE | `/_emulator/faults/rules/{index}` | remove one rule |
 * | GET | `/_emulator/overview` | accounts and their apps (no secrets), counters of the change feed |
 * | GET | `/_emulator/apps/{appId}/groups` | the app's groups with members and counters (`?filter=&offset=&limit=`) |
 * | GET | `/_emulator/apps/{appId}/groups/{groupId}/messages` | the group's newest stored messages (`?limit=`) |
 * | GET | `/_emulator/apps/{appId}/credentials` | AppKey and AppSign (see server.ts for who may read them) |
 *
 * Served by server.ts itself: `GET /_emulator/session` (whether a token is needed and the caller has it),
 * `GET /_emulator/events` (server-sent change events, events.ts) and the dashboard's files at `/_emulator/ui/`.
 * Who may call them is decided in server.ts (admin token, same-origin and JSON-only writes).
 */
import { APP_ID_MAX_BYTES, byteLength, isId, META_INFO_MAX_BYTES } from "./spec/limits";
import { Errors } from "./errors";
import type { FaultRuleState } from "./faults";
import type { RequestEntry, RequestQuery } from "./metrics";
import type { MembershipChange } from "./service/types";
import type { AppView, GroupListView, GroupQuery, MessageListView } from "./service/views";
import type { ChangeCounters } from "./events";

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
  /** Appends rules (`{"rules":[…]}`) to the current ones. */
  addFaults(body: unknown): FaultRuleState[];
  /** Removes the rule at `index`; false when there is none. */
  removeFault(index: number): boolean;
  overview(): Overview;
  groups(appId: string, query: GroupQuery): GroupListView;
  messages(appId: string, groupId: string, limit: number | undefined): MessageListView;
  credentials(appId: string): { readonly appId: string; readonly appKey: string; readonly appSign: string };
}

/** `GET /_emulator/overview`: what the dashboard's first column shows, cheap enough to fetch on every change. */
export interface Overview {
  readonly changes: ChangeCounters;
  /** ms since the epoch, by the emulator's clock (deadlines and ages on the page are relative to it). */
  readonly now: number;
  /** The configured accounts in order (the first is the default one), then any other account that owns an app. */
  readonly accounts: readonly { readonly accountId: string; readonly accessKeyIds: readonly string[]; readonly apps: readonly AppView[] }[];
  /** The actions of this service (for the fault and request-log filters). */
  readonly actions: readonly string[];
  readonly emulator: {
    readonly seed: number;
    readonly durable: boolean;
    readonly dataDir: string | null;
    readonly throttle: boolean;
    readonly verifySignatures: boolean;
    readonly adminToken: boolean;
    readonly requestLogSize: number;
  };
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
  "POST   /_emulator/faults/rules {\"rules\":[…]}   DELETE /_emulator/faults/rules/{index}",
  "GET    /_emulator/overview",
  "GET    /_emulator/apps/{appId}/groups?filter=&offset=&limit=",
  "GET    /_emulator/apps/{appId}/groups/{groupId}/messages?limit=",
  "GET    /_emulator/apps/{appId}/credentials",
  "GET    /_emulator/session   GET /_emulator/events (server-sent events)",
  "GET    /_emulator/ui/   (the dashboard)",
];

/** Refuses query parameters outside `known` (a typo must not silently mean "no filter"). */
function checkQuery(search: URLSearchParams, known: readonly string[]): void {
  const unknown = [...search.keys()].filter((k) => !known.includes(k));
  if (unknown.length > 0) throw Errors.adminBadRequest(`Unknown query parameter(s): ${unknown.join(", ")}; allowed: ${known.join(", ") || "none"}.`);
}

function intParam(search: URLSearchParams, name: string): number | undefined {
  const v = search.get(name);
  if (v === null) return undefined;
  if (!/^\d{1,9}$/.test(v)) throw Errors.adminBadRequest(`${name} must be a non-negative integer.`);
  return Number(v);
}

function requestQuery(search: URLSearchParams): RequestQuery {
  checkQuery(search, ["action", "account", "code", "status", "throttled", "limit"]);
  const int = (name: string): number | undefined => intParam(search, name);
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
const GROUPS = /^\/apps\/([^/]+)\/groups$/;
const MESSAGES = /^\/apps\/([^/]+)\/groups\/([^/]+)\/messages$/;
const CREDENTIALS = /^\/apps\/([^/]+)\/credentials$/;
const FAULT_RULE = /^\/faults\/rules\/([^/]+)$/;

/** The app ID of a path: only well-formed IDs get further (§2.4; AppId: [U] rule of spec/operations.ts — no
 * whitespace or commas, at most 64 bytes). */
function appIdOf(raw: string): string {
  const appId = segment(raw, "appId");
  if (appId === "" || /[\s,/\\]/.test(appId) || byteLength(appId) > APP_ID_MAX_BYTES) {
    throw Errors.adminBadRequest(`appId in the path must be an app ID (no whitespace, commas or slashes, at most ${APP_ID_MAX_BYTES} bytes).`);
  }
  return appId;
}

function groupIdOf(raw: string): string {
  const groupId = segment(raw, "groupId");
  if (!isId(groupId)) throw Errors.adminBadRequest("groupId in the path must be letters and digits, at most 64 bytes.");
  return groupId;
}

/** The read-only dashboard views (GET only). */
function handleView(target: AdminTarget, sub: string, search: URLSearchParams): AdminResult | undefined {
  if (sub === "/overview") {
    checkQuery(search, []);
    return { status: 200, body: target.overview() };
  }
  let m = GROUPS.exec(sub);
  if (m) {
    checkQuery(search, ["filter", "offset", "limit"]);
    const filter = search.get("filter");
    const offset = intParam(search, "offset");
    const limit = intParam(search, "limit");
    const query: GroupQuery = { ...(filter !== null ? { filter } : {}), ...(offset !== undefined ? { offset } : {}), ...(limit !== undefined ? { limit } : {}) };
    return { status: 200, body: target.groups(appIdOf(m[1]!), query) };
  }
  m = MESSAGES.exec(sub);
  if (m) {
    checkQuery(search, ["limit"]);
    return { status: 200, body: target.messages(appIdOf(m[1]!), groupIdOf(m[2]!), intParam(search, "limit")) };
  }
  m = CREDENTIALS.exec(sub);
  if (m) {
    checkQuery(search, []);
    return { status: 200, body: target.credentials(appIdOf(m[1]!)) };
  }
  return undefined;
}

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
    case "POST /faults/rules":
      return { status: 200, body: { rules: target.addFaults(parseJson(body)) } };
  }
  if (method === "GET") {
    const view = handleView(target, sub, new URLSearchParams(search));
    if (view) return view;
  }
  const rule = method === "DELETE" ? FAULT_RULE.exec(sub) : null;
  if (rule) {
    if (!/^\d{1,6}$/.test(rule[1]!)) throw Errors.adminBadRequest("The rule index in the path must be a non-negative integer.");
    const index = Number(rule[1]);
    if (!target.removeFault(index)) throw Errors.adminBadRequest(`There is no fault rule at index ${index} (GET /_emulator/faults lists them).`);
    return { status: 200, body: { rules: target.listFaults() } };
  }
  const m = MEMBERS.exec(sub);
  if (m) {
    // The path names what the log will record: only well-formed IDs get that far.
    const appId = appIdOf(m[1]!);
    const groupId = groupIdOf(m[2]!);
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
