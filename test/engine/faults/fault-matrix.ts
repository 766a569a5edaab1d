// The fault matrix (issue 9): resource × lifecycle method × API call × fault kind → what the faulted run leaves in
// the state, and what the next, fault-free run does — under the invariants of ./invariants.ts. One row per case: a new
// case is one line in FAULT_ROWS.
import { CreateLiveMessageApp, CreateLiveMessageGroup, DeleteLiveMessageGroup } from "../../../provider/operations";
import type { OperationResult, StepOp } from "../harness";
import { RESPONSE_TIMEOUT_MS, type FaultRule, type Lane } from "./fault-env";
import { violations, type Violations } from "./invariants";

export type FaultKind =
  /** Error before commit: a refusal the client does not retry (a 4xx); the service did nothing. */
  | "reject"
  /** ServiceUnavailable (503), nothing executed — once, or on every attempt. */
  | "5xx"
  | "5xx-always"
  /** No answer within the attempt timeout; the service executes the call late, after the client gave up. */
  | "timeout"
  | "timeout-always"
  /** Executed and durable, then the connection is dropped: the response is lost. */
  | "drop"
  | "drop-always"
  /** Throttling.User (with x-acs-retry-after): the gateway refused, nothing executed. */
  | "throttle"
  | "throttle-always"
  /** The provider process is killed right before this call (the previous one was answered). */
  | "kill";

export type Resource = "App" | "Group" | "SeedMessage";
export type Method = "create" | "update" | "delete" | "read";

export interface FaultRow {
  resource: Resource;
  method: Method;
  /** The API call the fault hits. */
  call: string;
  fault: FaultKind;
  /** How many calls the row's fault hits (default: once, or every call for the "-always" kinds). */
  count?: number;
  /** Calls of `call` that go through untouched first (e.g. a check-time look-up before the lifecycle's own call). */
  skip?: number;
  /** Faults that take the first calls, before the row's own fault (the emulator applies the first rule that hits). */
  preceded?: readonly FaultRule[];
  /** Further faults in force during the same run. */
  with?: readonly FaultRule[];
  /** Arguments beyond the row's defaults (e.g. a pinned groupId). */
  args?: Record<string, unknown>;
  /**
   * Present before the runs: another stack's app with the same name; a group with the row's pinned groupId (live,
   * or deleted).
   */
  foreign?: "same-named app" | "same-id group" | "deleted same-id group";
  /**
   * What the faulted run leaves: create — "done" (recorded), "recorded" (a partial failure: recorded with init
   * errors), "not recorded"; update/delete/read — "done", or "kept" (it failed and the old state stays).
   */
  first: "done" | "recorded" | "not recorded" | "kept";
  /** The resource's step in the next, fault-free run ("none": no step — it is gone). */
  next: StepOp | "none";
  /** Why, when the row is not self-explanatory. */
  note?: string;
}

const GROUP_READ = "DescribeLiveMessageGroup";

/** Every row. Read a row as: "<resource> <method>: <call> <fault> → first run <first>, next run <next>". */
export const FAULT_ROWS: readonly FaultRow[] = [
  // Group create (autonamed unless the row pins groupId).
  { resource: "Group", method: "create", call: "CreateLiveMessageGroup", fault: "reject", first: "not recorded", next: "create" },
  { resource: "Group", method: "create", call: "CreateLiveMessageGroup", fault: "5xx", first: "done", next: "same" },
  { resource: "Group", method: "create", call: "CreateLiveMessageGroup", fault: "5xx-always", first: "recorded", next: "update", note: "may have been processed: recorded as unconfirmed, the next update creates it" },
  { resource: "Group", method: "create", call: "CreateLiveMessageGroup", fault: "timeout", first: "done", next: "same" },
  { resource: "Group", method: "create", call: "CreateLiveMessageGroup", fault: "timeout-always", first: "done", next: "same", note: "the late executions made the group; the read-back proves it is ours" },
  { resource: "Group", method: "create", call: "CreateLiveMessageGroup", fault: "drop", first: "done", next: "same" },
  { resource: "Group", method: "create", call: "CreateLiveMessageGroup", fault: "drop-always", first: "done", next: "same", note: "case 1" },
  { resource: "Group", method: "create", call: "CreateLiveMessageGroup", fault: "drop-always", args: { groupId: "pinnedlost1" }, first: "done", next: "same", note: "case 1, pinned" },
  { resource: "Group", method: "create", call: "CreateLiveMessageGroup", fault: "throttle", first: "done", next: "same" },
  { resource: "Group", method: "create", call: "CreateLiveMessageGroup", fault: "throttle-always", first: "not recorded", next: "create" },
  { resource: "Group", method: "create", call: "CreateLiveMessageGroup", fault: "throttle-always", preceded: [{ action: "CreateLiveMessageGroup", mode: "drop-after-commit", count: 1 }], first: "done", next: "same", note: "the last error is throttling, but the first attempt made the group" },
  { resource: "Group", method: "create", call: "CreateLiveMessageGroup", fault: "kill", first: "not recorded", next: "create" },
  { resource: "Group", method: "create", call: GROUP_READ, fault: "5xx-always", with: [{ action: "CreateLiveMessageGroup", mode: "drop-after-commit", count: 1 }], first: "recorded", next: "update", note: "case 2" },
  { resource: "Group", method: "create", call: GROUP_READ, fault: "5xx-always", first: "recorded", next: "update" },
  { resource: "Group", method: "create", call: GROUP_READ, fault: "drop-always", args: { groupId: "pinnedcheck1" }, first: "not recorded", next: "create", note: "the pinned-ID look-up fails before anything is sent" },
  { resource: "Group", method: "create", call: "ListLiveMessageGroupByPage", fault: "kill", first: "not recorded", next: "create", note: "killed in check (the quota look-up), before any write" },
  // Group create taking over an existing group, as the program asks (adopt, recoverDeleted).
  { resource: "Group", method: "create", call: "ModifyLiveMessageGroup", fault: "drop-always", args: { groupId: "adoptme1", adopt: true }, foreign: "same-id group", first: "recorded", next: "update" },
  { resource: "Group", method: "create", call: "ModifyLiveMessageGroup", fault: "5xx", args: { groupId: "adoptme2", adopt: true }, foreign: "same-id group", first: "done", next: "same" },
  { resource: "Group", method: "create", call: "RecoverLiveMessageDeletedGroup", fault: "drop-always", args: { groupId: "gone1", recoverDeleted: true }, foreign: "deleted same-id group", first: "done", next: "same", note: "the read-back shows the recover happened" },
  { resource: "Group", method: "create", call: "RecoverLiveMessageDeletedGroup", fault: "5xx-always", args: { groupId: "gone2", recoverDeleted: true }, foreign: "deleted same-id group", first: "not recorded", next: "create", note: "the read-back shows it did not: nothing of ours exists" },
  // Group update (groupInfo changes: DescribeLiveMessageGroup, ModifyLiveMessageGroup, DescribeLiveMessageGroup).
  { resource: "Group", method: "update", call: "ModifyLiveMessageGroup", fault: "5xx", first: "done", next: "same" },
  { resource: "Group", method: "update", call: "ModifyLiveMessageGroup", fault: "drop-always", first: "kept", next: "update" },
  { resource: "Group", method: "update", call: "ModifyLiveMessageGroup", fault: "reject", first: "kept", next: "update" },
  { resource: "Group", method: "update", call: "ModifyLiveMessageGroup", fault: "timeout", first: "done", next: "same" },
  { resource: "Group", method: "update", call: "ModifyLiveMessageGroup", fault: "kill", first: "kept", next: "update" },
  { resource: "Group", method: "update", call: GROUP_READ, fault: "kill", skip: 1, first: "kept", next: "update", note: "killed after the modification, before reading it back" },
  { resource: "Group", method: "update", call: GROUP_READ, fault: "5xx-always", first: "kept", next: "update" },
  // Group delete.
  { resource: "Group", method: "delete", call: "DeleteLiveMessageGroup", fault: "5xx", first: "done", next: "none" },
  { resource: "Group", method: "delete", call: "DeleteLiveMessageGroup", fault: "drop-always", first: "kept", next: "delete" },
  { resource: "Group", method: "delete", call: "DeleteLiveMessageGroup", fault: "kill", first: "kept", next: "delete" },
  // Group read (refresh): a failed refresh never drops the resource.
  { resource: "Group", method: "read", call: GROUP_READ, fault: "5xx-always", first: "kept", next: "same" },
  { resource: "Group", method: "read", call: GROUP_READ, fault: "drop", first: "done", next: "same" },

  // App create.
  { resource: "App", method: "create", call: "CreateLiveMessageApp", fault: "reject", first: "not recorded", next: "create" },
  { resource: "App", method: "create", call: "CreateLiveMessageApp", fault: "5xx", foreign: "same-named app", first: "not recorded", next: "create", note: "case 3: the foreign app is never taken over" },
  { resource: "App", method: "create", call: "CreateLiveMessageApp", fault: "drop", first: "done", next: "same" },
  { resource: "App", method: "create", call: "CreateLiveMessageApp", fault: "drop-always", foreign: "same-named app", first: "done", next: "same", note: "never re-sent; its own app is the one that did not exist before" },
  { resource: "App", method: "create", call: "CreateLiveMessageApp", fault: "timeout", first: "done", next: "same", note: "executed late: found by looking again" },
  { resource: "App", method: "create", call: "CreateLiveMessageApp", fault: "throttle", first: "done", next: "same" },
  { resource: "App", method: "create", call: "CreateLiveMessageApp", fault: "throttle-always", first: "not recorded", next: "create" },
  { resource: "App", method: "create", call: "CreateLiveMessageApp", fault: "kill", first: "not recorded", next: "create" },
  { resource: "App", method: "create", call: "DescribeLiveMessageApp", fault: "5xx-always", first: "recorded", next: "update" },
  { resource: "App", method: "create", call: "ModifyLiveMessageAppDisable", fault: "5xx-always", args: { disabled: true }, first: "recorded", next: "update" },
  { resource: "App", method: "create", call: "ListLiveMessageApps", fault: "5xx", count: 5, skip: 3, preceded: [{ action: "CreateLiveMessageApp", mode: "drop-after-commit", count: 1 }], first: "done", next: "same", note: "the answer is lost and the first look for the app fails on every attempt: it looks again" },
  { resource: "App", method: "create", call: "ListLiveMessageApps", fault: "5xx-always", first: "not recorded", next: "create", note: "the look-up before the create fails: nothing is sent" },
  // App update (eventCallbackUrl changes).
  { resource: "App", method: "update", call: "ModifyLiveMessageAppCallback", fault: "drop-always", first: "kept", next: "update" },
  { resource: "App", method: "update", call: "ModifyLiveMessageAppCallback", fault: "5xx", first: "done", next: "same" },
  { resource: "App", method: "update", call: "DescribeLiveMessageApp", fault: "kill", skip: 1, first: "kept", next: "update" },
  // App delete (disable).
  { resource: "App", method: "delete", call: "ModifyLiveMessageAppDisable", fault: "5xx-always", first: "kept", next: "delete" },
  { resource: "App", method: "delete", call: "ModifyLiveMessageAppDisable", fault: "drop", first: "done", next: "none" },
  // App read.
  { resource: "App", method: "read", call: "DescribeLiveMessageApp", fault: "5xx-always", first: "kept", next: "same" },

  // SeedMessage create (into a group a user has joined).
  { resource: "SeedMessage", method: "create", call: "SendLiveMessageGroup", fault: "reject", first: "not recorded", next: "create" },
  { resource: "SeedMessage", method: "create", call: "SendLiveMessageGroup", fault: "5xx", first: "done", next: "same" },
  { resource: "SeedMessage", method: "create", call: "SendLiveMessageGroup", fault: "5xx-always", first: "recorded", next: "update", note: "maybe sent, not listed: recorded undelivered, re-sent under the same msgTid" },
  { resource: "SeedMessage", method: "create", call: "SendLiveMessageGroup", fault: "timeout", first: "done", next: "same" },
  { resource: "SeedMessage", method: "create", call: "SendLiveMessageGroup", fault: "drop", first: "done", next: "same" },
  { resource: "SeedMessage", method: "create", call: "SendLiveMessageGroup", fault: "drop-always", first: "done", next: "same", note: "confirmed by the list" },
  { resource: "SeedMessage", method: "create", call: "SendLiveMessageGroup", fault: "throttle-always", first: "not recorded", next: "create" },
  { resource: "SeedMessage", method: "create", call: "SendLiveMessageGroup", fault: "throttle-always", preceded: [{ action: "SendLiveMessageGroup", mode: "drop-after-commit", count: 1 }], first: "done", next: "same", note: "the last error is throttling, but the first attempt sent it" },
  { resource: "SeedMessage", method: "create", call: "SendLiveMessageGroup", fault: "kill", first: "not recorded", next: "create" },
  { resource: "SeedMessage", method: "create", call: "ListLiveMessageGroupMessages", fault: "5xx-always", with: [{ action: "SendLiveMessageGroup", mode: "drop-after-commit" }], first: "recorded", next: "update" },
  { resource: "SeedMessage", method: "create", call: "ListLiveMessageGroupMessages", fault: "5xx-always", first: "recorded", next: "update" },
  { resource: "SeedMessage", method: "create", call: GROUP_READ, fault: "5xx-always", first: "not recorded", next: "create", note: "the online check fails before anything is sent" },
  // SeedMessage delete.
  { resource: "SeedMessage", method: "delete", call: "DeleteLiveMessageGroupMessage", fault: "drop-always", first: "kept", next: "delete" },
  { resource: "SeedMessage", method: "delete", call: "DeleteLiveMessageGroupMessage", fault: "5xx", first: "done", next: "none" },
  // SeedMessage read.
  { resource: "SeedMessage", method: "read", call: "ListLiveMessageGroupMessages", fault: "5xx-always", first: "kept", next: "same" },
];

export function rowTitle(row: FaultRow): string {
  const extra = [
    row.preceded?.length ? `after ${row.preceded.map((w) => `${w.action} ${w.mode}${w.count ? ` ×${w.count}` : ""}`).join(", ")}` : "",
    row.count ? `×${row.count}` : "",
    row.skip ? `after ${row.skip} untouched` : "",
    row.with?.length ? `with ${row.with.map((w) => `${w.action} ${w.mode}${w.count ? ` ×${w.count}` : ""}`).join(", ")}` : "", row.args ? JSON.stringify(row.args) : "", row.foreign ?? ""].filter(Boolean);
  return `${row.resource} ${row.method}: ${row.call} ${row.fault}${extra.length ? ` (${extra.join("; ")})` : ""} → ${row.first}, then ${row.next}`;
}

/** The emulator rules for one fault kind on one call. */
export function rulesFor(row: FaultRow): FaultRule[] {
  const once = (r: FaultRule): FaultRule => ({ ...r, count: 1 });
  const base: Record<Exclude<FaultKind, "kill">, FaultRule> = {
    reject: once({ action: row.call, mode: "error", code: "Forbidden.InjectedFault", status: 403 }),
    "5xx": once({ action: row.call, mode: "error", code: "ServiceUnavailable" }),
    "5xx-always": { action: row.call, mode: "error", code: "ServiceUnavailable" },
    timeout: once({ action: row.call, mode: "latency", latencyMs: RESPONSE_TIMEOUT_MS + 500 }),
    "timeout-always": { action: row.call, mode: "latency", latencyMs: RESPONSE_TIMEOUT_MS + 500 },
    drop: once({ action: row.call, mode: "drop-after-commit" }),
    "drop-always": { action: row.call, mode: "drop-after-commit" },
    throttle: once({ action: row.call, mode: "error", code: "Throttling.User" }),
    "throttle-always": { action: row.call, mode: "error", code: "Throttling.User" },
  };
  const rules: FaultRule[] = [...(row.preceded ?? [])];
  if (row.skip) rules.push({ action: row.call, mode: "latency", latencyMs: 0, count: row.skip });
  if (row.fault !== "kill") rules.push(row.count ? { ...base[row.fault], count: row.count } : base[row.fault]);
  return [...rules, ...(row.with ?? [])];
}

interface Spec {
  apps?: unknown[];
  groups?: unknown[];
  seeds?: unknown[];
}

/**
 * The program of a row: its one resource, named "r", with the row's arguments (`changed`: the update's goal). The
 * spec holds placeholders for what differs from row to row, so one capture of the real program serves many rows.
 */
async function programFor(lane: Lane, row: FaultRow, id: number): Promise<{ spec: (changed: boolean) => Spec; values: Record<string, string>; adopted: string[] }> {
  if (row.resource === "App") {
    const appName = `app${id}`;
    if (row.foreign) await CreateLiveMessageApp.invoke(lane.client, { AppName: appName });
    return {
      spec: (changed) => ({ apps: [{ name: "r", args: { appName: "@appName@", eventCallbackUrl: `https://hooks.example.com/${changed ? "b" : "a"}`, ...row.args } }] }),
      values: { "@appName@": appName },
      adopted: [],
    };
  }
  const appId = (await CreateLiveMessageApp.invoke(lane.client, { AppName: `host${id}` })).AppId;
  if (row.resource === "Group") {
    const groupId = typeof row.args?.groupId === "string" ? row.args.groupId : "";
    if (row.foreign === "same-id group" || row.foreign === "deleted same-id group") {
      await CreateLiveMessageGroup.invoke(lane.client, { AppId: appId, GroupId: groupId, GroupName: "G", Administrators: row.foreign === "same-id group" ? ["them"] : ["ops1"] });
      if (row.foreign === "deleted same-id group") await DeleteLiveMessageGroup.invoke(lane.client, { AppId: appId, GroupId: groupId });
    }
    return {
      spec: (changed) => ({ groups: [{ name: "r", appId: "@appId@", args: { groupName: "G", administrators: ["ops1"], groupInfo: changed ? '{"v":2}' : "{}", ...row.args } }] }),
      values: { "@appId@": appId },
      // Taking over is what the program asked for here; anything else taken over is a violation.
      adopted: row.args?.adopt === true || row.args?.recoverDeleted === true ? [`${appId}/${groupId}`] : [],
    };
  }
  const groupId = `room${id}`;
  await CreateLiveMessageGroup.invoke(lane.client, { AppId: appId, GroupId: groupId });
  await lane.join(appId, groupId, "viewer1");
  return {
    spec: () => ({ seeds: [{ name: "r", appId: "@appId@", args: { groupId: "@groupId@", senderId: "system", body: "hello", msgType: 1, ...row.args } }] }),
    values: { "@appId@": appId, "@groupId@": groupId },
    adopted: [],
  };
}

export interface RowOutcome {
  first: FaultRow["first"];
  next: StepOp | "none";
  /** The next run (and, when it changed something, one more) succeeded, and the final run changed nothing. */
  converged: boolean;
  violations: Violations;
  /** For the failure message. */
  detail: string;
}

function stepOf(r: OperationResult): StepOp | "none" {
  return r.steps.find((s) => s.name === "r")?.op ?? "none";
}

/** Runs one row on a lane that has just been reset. */
export async function runRow(lane: Lane, row: FaultRow, id: number): Promise<RowOutcome> {
  const { stack } = lane;
  const program = await programFor(lane, row, id);
  const registrations = (changed: boolean, present = true) => lane.registrations(present ? program.spec(changed) : {}, program.values);
  const runs: OperationResult[] = [];
  const log = (what: string, r: OperationResult): string => `${what}: ${r.error ?? "ok"} [${r.steps.map((s) => `${s.name}:${s.op}`).join(", ")}]`;
  const details: string[] = [];

  // Set-up: what must exist before the faulted run (for update, delete and read rows: the resource itself).
  if (row.method !== "create") {
    const setup = await stack.up(await registrations(false));
    if (setup.error) throw new Error(`set-up failed: ${setup.error}`);
  }
  const goal = await registrations(row.method === "update", row.method !== "delete");
  const before = lane.snapshot();
  const recordedBefore = stack.resource("r");

  // The faulted run.
  await lane.setFaults(rulesFor(row));
  lane.armKill(row.fault === "kill" ? { action: row.call, nth: (row.skip ?? 0) + 1 } : undefined);
  const faulted = row.method === "read" ? await stack.refresh() : await stack.up(goal);
  lane.armKill(undefined);
  await lane.setFaults([]);
  runs.push(faulted);
  details.push(log("faulted run", faulted));
  if (row.fault === "kill" && !lane.killed()) details.push(`the kill before ${row.call} never fired`);

  const now = stack.resource("r");
  let first: FaultRow["first"];
  if (row.method === "create") first = !now ? "not recorded" : (now.initErrors?.length ?? 0) > 0 ? "recorded" : "done";
  else if (row.method === "delete") first = now ? "kept" : "done";
  else first = faulted.error ? "kept" : "done";
  if (first === "kept" && row.method !== "delete" && JSON.stringify(now?.outputs) !== JSON.stringify(recordedBefore?.outputs)) {
    details.push("a failed run changed the recorded state");
    first = "done";
  }

  // Late executions (timeout faults) land before the next run; the next run gets a fresh provider process, as with
  // every `pulumi up`.
  if (row.fault.startsWith("timeout")) await new Promise((r) => setTimeout(r, 700));
  await stack.restartProvider();

  // The next, fault-free run; then, if it changed anything, one more that must change nothing.
  const next = row.method === "read" ? await stack.refresh() : await stack.up(goal);
  runs.push(next);
  details.push(log("next run", next));
  let converged = !next.error;
  if (row.method === "read") {
    converged &&= stack.resource("r") !== undefined;
  } else if (row.method !== "delete" && stepOf(next) !== "same") {
    const final = await stack.up(goal);
    runs.push(final);
    details.push(log("final run", final));
    converged &&= !final.error && stepOf(final) === "same" && (stack.resource("r")?.initErrors?.length ?? 0) === 0;
  }
  if (row.method === "delete") converged &&= stack.resource("r") === undefined;

  const own = recordedBefore?.id ? [recordedBefore.id] : [];
  const v = violations({ before, after: lane.snapshot(), state: stack.resources, runs, own, adopted: program.adopted });
  return { first, next: stepOf(next), converged, violations: v, detail: details.join("\n") };
}
