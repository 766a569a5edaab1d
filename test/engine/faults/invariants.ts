// The promise every fault row is held to: what the service has, compared with what the stack recorded.
//   - 0 orphans: every live object this stack's runs made is recorded in the state;
//   - 0 duplicates: no resource has a second live object (a surplus one with the same content);
//   - 0 takeovers: no object that existed before the runs is recorded by the stack or was changed by it;
//   - no unrequested replacement: no replace step, and a recorded resource keeps its id from run to run.
// "Live" means: an app that is not disabled, a group that is not deleted, a stored message. A recorded resource must
// exist (0 phantoms): a recorded app may be disabled, when the program says so.
import type { AppSnapshot, GroupSnapshot, StoreSnapshot } from "../../../emulator/service/state";
import type { OperationResult, ResourceState } from "../harness";
import { APP_TYPE, GROUP_TYPE, SEED_TYPE } from "../support";

interface LiveObject {
  kind: "app" | "group" | "message";
  /** The resource id the stack would record for it. */
  id: string;
  /** What a duplicate would share with it. */
  content: string;
  /** Everything a takeover could change. */
  fingerprint: string;
  live: boolean;
  /** Still there at all (a disabled app still exists: destroy disables, and a program may ask for it). */
  exists: boolean;
}

function groupFingerprint(g: GroupSnapshot): string {
  return JSON.stringify([g.groupName, g.groupInfo, g.creatorId, g.adminList, g.deleted]);
}

function appFingerprint(a: AppSnapshot): string {
  return JSON.stringify([a.appName, a.auditType, a.auditUrl, a.eventCallbackUrl, a.msgLifeCycle, a.disable]);
}

/** Every app, group and stored message of the service, keyed by the resource id it would have. */
export function objectsOf(snapshot: StoreSnapshot): Map<string, LiveObject> {
  const out = new Map<string, LiveObject>();
  for (const a of snapshot.apps) {
    out.set(a.appId, { kind: "app", id: a.appId, content: `app:${a.appName}:${a.dataCenter}`, fingerprint: appFingerprint(a), live: !a.disable, exists: true });
    for (const g of a.groups) {
      const gid = `${a.appId}/${g.groupId}`;
      out.set(gid, { kind: "group", id: gid, content: `group:${a.appId}:${g.groupName}:${g.creatorId}`, fingerprint: groupFingerprint(g), live: !g.deleted, exists: !g.deleted });
      for (const m of g.messages) {
        const mid = `${gid}/${m.msgTid}`;
        out.set(mid, { kind: "message", id: mid, content: `message:${gid}:${m.senderId}:${m.msgType}:${m.body}`, fingerprint: mid, live: true, exists: true });
      }
    }
  }
  return out;
}

export interface Violations {
  orphans: string[];
  duplicates: string[];
  takeovers: string[];
  replacements: string[];
  /** Recorded (without init errors) but not live: a state that claims what the service does not have. */
  phantoms: string[];
}

const TYPES: Readonly<Record<string, LiveObject["kind"]>> = { [APP_TYPE]: "app", [GROUP_TYPE]: "group", [SEED_TYPE]: "message" };

/**
 * `before`: the service before the first run of the row; `after`: now; `state`: the stack's resources now; `runs`:
 * every operation of the row, in order.
 */
export function violations(args: {
  before: StoreSnapshot;
  after: StoreSnapshot;
  state: readonly ResourceState[];
  runs: readonly OperationResult[];
  /** Ids the stack had recorded before the runs (its own objects, not takeovers). */
  own?: readonly string[];
  /** Ids the program explicitly asked to take over (adopt, import). */
  adopted?: readonly string[];
}): Violations {
  const before = objectsOf(args.before);
  const after = objectsOf(args.after);
  const recorded = args.state.filter((r) => r.custom && TYPES[r.type] && r.id && !r.delete);
  const recordedIds = new Set(recorded.map((r) => r.id!));
  const adopted = new Set([...(args.adopted ?? []), ...(args.own ?? [])]);
  const v: Violations = { orphans: [], duplicates: [], takeovers: [], replacements: [], phantoms: [] };

  const recordedContent = new Set([...recordedIds].map((id) => after.get(id)?.content).filter((c): c is string => !!c));
  for (const o of after.values()) {
    if (!o.live || before.get(o.id)?.live || recordedIds.has(o.id)) continue;
    (recordedContent.has(o.content) ? v.duplicates : v.orphans).push(`${o.kind} ${o.id}`);
  }
  for (const [id, old] of before) {
    if (!old.live) continue;
    const now = after.get(id);
    if ((recordedIds.has(id) && !adopted.has(id)) || (now && now.fingerprint !== old.fingerprint && !adopted.has(id))) {
      v.takeovers.push(`${old.kind} ${id}`);
    }
  }
  for (const r of recorded) {
    if ((r.initErrors?.length ?? 0) > 0) continue;
    const o = after.get(r.id!);
    // A seed message that is recorded but not stored: only noStorage or deferred ones may be.
    const unlisted = TYPES[r.type] === "message" && (r.outputs.noStorage === true || r.outputs.delivered === false);
    if (!unlisted && !o?.exists) v.phantoms.push(`${r.type.split(":").pop()} ${r.id}`);
  }
  const ids = new Map<string, string>();
  for (const run of args.runs) {
    for (const s of run.steps) {
      if (s.op === "replace" || s.op === "delete-replaced") v.replacements.push(`${s.op} ${s.name} (run ${args.runs.indexOf(run) + 1})`);
      if (!s.id || !TYPES[s.type]) continue;
      const prev = ids.get(s.urn);
      if (prev && prev !== s.id && s.op !== "delete") v.replacements.push(`${s.name}: id ${prev} → ${s.id}`);
      ids.set(s.urn, s.id);
    }
  }
  return v;
}

export const NO_VIOLATIONS: Violations = { orphans: [], duplicates: [], takeovers: [], replacements: [], phantoms: [] };
