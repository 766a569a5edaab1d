/**
 * `Group` lifecycle (DESIGN.md semantics table and rule 4). Create is a short sequence of named steps:
 *
 *   1. `claimGroup` → `claimExisting` — a *pinned* groupId is looked up first: somebody else's live group is refused
 *      (or taken over with `adopt`), a deleted one recovered with `recoverDeleted` (or refused with advice). Knowing
 *      that the ID was free before we sent anything is what makes step 2's AlreadyExists decidable.
 *   2. `claimGroup` → `createGroup` — CreateLiveMessageGroup, repeated by the client through lost responses (the
 *      groupId is the idempotency key). AlreadyExists after an attempt that may have been processed is our own group;
 *      otherwise it appeared after step 1: somebody else's. When every attempt fails in a way that may have reached
 *      the service, the outcome is "unconfirmed" — never "nothing happened".
 *   3. `confirmGroup` — DescribeLiveMessageGroup: the group as the service has it, and the proof of an unconfirmed
 *      create (or recover).
 *   4. `convergeClaimed` — for a group we did not just create (adopted, recovered): groupName/creatorId must match;
 *      then administrators and groupInfo are set.
 *
 * Whenever the group may exist and a step fails, the error records it (ResourceInitError with the id and the
 * *desired* inputs, never placeholders, so the next diff plans no replacement); `createTime: 0` marks a group never
 * read back, whose `update` then finishes the create. Read = DescribeLiveMessageGroup (`Delete: true` = gone);
 * update in place = administrators and groupInfo (ModifyLiveMessageGroup); replace = appId, groupId, groupName,
 * creatorId, dataCenter — refused in preview when the groupId is pinned; delete = DeleteLiveMessageGroup.
 */
import { isNotFound } from "../../client/errors";
import { maybeProcessedTracker } from "../../client/call-options";
import { mayHaveBeenProcessed } from "../../client/retry-policy";
import type { LiveClient } from "../../client/live-client";
import { RECOVER_WINDOW_SECONDS, type DataCenter } from "../../limits";
import {
  CreateLiveMessageGroup,
  DeleteLiveMessageGroup,
  DescribeLiveMessageGroup,
  ModifyLiveMessageGroup,
  RecoverLiveMessageDeletedGroup,
} from "../../operations";
import { defaultDataCenter, getClient } from "../config";
import { probeDataCenters, recordedDataCenter } from "../data-center";
import { ResourceError, ResourceErrorCodes, ResourceInitError, describeError } from "../errors";
import { assignGeneratedId, isGenerated, pinnedIdFailures } from "../generated-id";
import { diffFields, type ResourceHandler } from "../handler";
import { log } from "../log";
import { defined, sameValue, type PropertyBag } from "../property-bag";
import { containsUnknown } from "../unknown";
import { groupQuotaFailures } from "../quota/quota";
import { validateFields, type CheckFailure } from "../validate";
import { autonameGroupId, chooseGroupId } from "./autoname";
import {
  GROUP_AUTONAMED_FIELD,
  GROUP_INPUT_FIELDS,
  GROUP_REPLACE_FIELDS,
  GROUP_UPDATE_FIELDS,
  groupRules,
  type GroupInputs,
  type GroupState,
} from "./schema";

type DescribeResult = Awaited<ReturnType<typeof DescribeLiveMessageGroup.invoke>>;
type LiveGroup = Omit<GroupState, "adopt" | "recoverDeleted">;

export { AUTONAME_SUFFIX_LENGTH, autonameGroupId } from "./autoname";

/** Group resource ids are `<appId>/<groupId>`. */
export function groupResourceId(appId: string, groupId: string): string {
  return `${appId}/${groupId}`;
}

export function parseGroupResourceId(id: string): { appId: string; groupId: string } {
  const slash = id.lastIndexOf("/");
  if (slash <= 0 || slash === id.length - 1) {
    throw new ResourceError(
      ResourceErrorCodes.badId,
      `Group id ${JSON.stringify(id)} is not of the form "<appId>/<groupId>"; use that form to import or get a group.`,
    );
  }
  return { appId: id.slice(0, slash), groupId: id.slice(slash + 1) };
}

/** Was `groupId` generated (true) or set by the user (false)? */
export function isAutonamed(bag: PropertyBag): boolean {
  return isGenerated(bag, GROUP_AUTONAMED_FIELD);
}

/** A recorded group that was never read back (a create whose outcome was not confirmed): `createTime` 0. */
function isUnconfirmed(bag: PropertyBag): boolean {
  return !(typeof bag.createTime === "number" && bag.createTime > 0);
}

/** Administrators compare as a set: the service may return them in another order. */
function sameAdmins(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return sameValue(a, b);
  return sameValue([...a].sort(), [...b].sort());
}

function withDefaults(news: PropertyBag): PropertyBag {
  return {
    ...news,
    groupName: news.groupName ?? "",
    groupInfo: news.groupInfo ?? "",
    administrators: news.administrators ?? [],
    creatorId: news.creatorId ?? "",
    dataCenter: news.dataCenter ?? defaultDataCenter(),
    adopt: news.adopt ?? false,
    recoverDeleted: news.recoverDeleted ?? false,
  };
}

export function groupStateFromDescribe(appId: string, dataCenter: DataCenter, d: DescribeResult): LiveGroup {
  return defined({
    appId,
    groupId: d.GroupId,
    groupName: d.GroupName ?? "",
    groupInfo: d.GroupInfo ?? "",
    administrators: [...(d.AdminList ?? [])],
    creatorId: d.CreatorId ?? "",
    dataCenter,
    createTime: d.Createtime ?? 0,
    superLargeGroup: d.SuperLargeGroup === true,
    onlineUserCounts: d.OnlineUserCounts ?? 0,
    totalTimes: d.TotalTimes ?? 0,
    msgAmount: { ...(d.MsgAmount ?? {}) },
  });
}

/** What we record for a group we could not read: exactly what the program asked for, computed fields zero. */
function assumedState(desired: GroupInputs): LiveGroup {
  return groupStateFromDescribe(desired.appId, desired.dataCenter, {
    RequestId: "",
    GroupId: desired.groupId,
    GroupName: desired.groupName,
    GroupInfo: desired.groupInfo,
    AdminList: [...desired.administrators],
    CreatorId: desired.creatorId,
  });
}

function outputs(desired: GroupInputs, live: LiveGroup, inputs: PropertyBag): PropertyBag {
  return defined({
    ...inputs,
    ...live,
    // Echo the user's administrator order when the set is the same.
    administrators: sameAdmins(live.administrators, desired.administrators) ? desired.administrators : live.administrators,
    adopt: desired.adopt,
    recoverDeleted: desired.recoverDeleted,
  });
}

/** The group's Describe result, or undefined when the service has no group with this ID (not even a deleted one). */
async function describeIfAny(client: LiveClient, desired: GroupInputs): Promise<DescribeResult | undefined> {
  try {
    return await DescribeLiveMessageGroup.invoke(client, { AppId: desired.appId, GroupId: desired.groupId, DataCenter: desired.dataCenter });
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

function deletedGroupAdvice(desired: GroupInputs, d?: DescribeResult): string {
  const when = d?.Deletatime ? ` on ${new Date(d.Deletatime * 1000).toISOString()}` : "";
  const days = RECOVER_WINDOW_SECONDS / 86400;
  return (
    `Group ${desired.groupId} in app ${desired.appId} was deleted${when}, and deleted group IDs can never be used again. ` +
    `Either set recoverDeleted: true to recover it (possible within ${days} days of its deletion), choose another groupId, ` +
    `or omit groupId to have one generated.`
  );
}

function foreignGroupError(desired: GroupInputs): ResourceError {
  return new ResourceError(
    ResourceErrorCodes.groupExists,
    `Group ${desired.groupId} already exists in app ${desired.appId} and was not created by this stack. ` +
      `Set adopt: true to take it over (its administrators and groupInfo are then set to the values in your program; ` +
      `also the way out if an earlier \`pulumi up\` of this stack was killed while creating it), choose another groupId, ` +
      `or omit groupId to have one generated. (The import resource option does not work for dynamic resources.)`,
  );
}

/** A generated ID found taken at create time (chosen while the app could not be looked up, or a concurrent create). */
function generatedIdTaken(desired: GroupInputs): ResourceError {
  return new ResourceError(
    ResourceErrorCodes.groupExists,
    `The generated groupId ${desired.groupId} is already held by a live or deleted group in app ${desired.appId} ` +
      `(chosen while that could not be checked, or another deployment took it meanwhile). Nothing was changed, and ` +
      `the other group was not touched; run \`pulumi up\` again to have the next free ID chosen.`,
  );
}

/**
 * Outputs an in-place update leaves as they are. `diff` names them as `stables`; today's engine ignores stables for
 * dynamic providers, which is why `check` also carries them into the inputs (see previewOutputs).
 */
const GROUP_STABLE_OUTPUTS = ["appId", "groupId", "createTime", "superLargeGroup"] as const;

/**
 * In a preview, the engine gives a dynamic resource that is updated in place its checked inputs as its outputs,
 * so every computed output would be unknown and dependents would show spurious changes. When `check` sees an
 * in-place update coming, it therefore adds the group's live `createTime` and `superLargeGroup` to the inputs (one
 * DescribeLiveMessageGroup; nothing when it fails). `diff` never compares them, and the update returns fresh ones.
 * The counters are left out: they move on their own, and in a preview of an update they are honestly unknown.
 */
async function previewOutputs(olds: PropertyBag, inputs: PropertyBag): Promise<PropertyBag> {
  const { replaces, changed } = diffFields(withDefaults(olds), inputs, { replace: GROUP_REPLACE_FIELDS, update: GROUP_UPDATE_FIELDS });
  if (replaces.length > 0 || changed.length === 0 || typeof inputs.appId !== "string" || typeof inputs.groupId !== "string") return {};
  try {
    const d = await describeIfAny(await getClient(), inputs as unknown as GroupInputs);
    if (!d || d.Delete === true) return {};
    const { createTime, superLargeGroup } = groupStateFromDescribe(inputs.appId, inputs.dataCenter as DataCenter, d);
    return { createTime, superLargeGroup };
  } catch {
    return {}; // the outputs are then unknown in the preview, as without this
  }
}

/**
 * How this create came to have its group: made by this call ("created"), or an existing one the user asked for
 * ("adopted", "recovered"). "unconfirmed": every attempt failed in a way that may have reached the service.
 */
type Claim =
  | { kind: "created" }
  | { kind: "adopted"; existing: DescribeResult | undefined }
  /** `lost`: the recover's answer was lost; the read-back tells whether it happened. */
  | { kind: "recovered"; lost?: unknown }
  | { kind: "unconfirmed"; cause: unknown };

/** Steps 1 and 2: the group this create is about — an existing one (pinned IDs only), or a new one. */
async function claimGroup(client: LiveClient, desired: GroupInputs, autonamed: boolean): Promise<Claim> {
  const existing = autonamed ? undefined : await describeIfAny(client, desired);
  return existing ? claimExisting(client, desired, existing) : createGroup(client, desired, false, autonamed);
}

/** Step 1: a group that already has this ID is refused, adopted or recovered, as the inputs say. */
async function claimExisting(client: LiveClient, desired: GroupInputs, existing: DescribeResult): Promise<Claim> {
  if (existing.Delete === true) {
    if (!desired.recoverDeleted) throw new ResourceError(ResourceErrorCodes.groupDeleted, deletedGroupAdvice(desired, existing));
    const attempts = maybeProcessedTracker();
    try {
      await RecoverLiveMessageDeletedGroup.invoke(client, { AppId: desired.appId, GroupId: desired.groupId, DataCenter: desired.dataCenter }, { onRetry: attempts.onRetry });
    } catch (e) {
      if (!attempts.any && !mayHaveBeenProcessed(e)) throw e;
      return { kind: "recovered", lost: e };
    }
    return { kind: "recovered" };
  }
  if (!desired.adopt) throw foreignGroupError(desired);
  return { kind: "adopted", existing };
}

/**
 * Step 2: CreateLiveMessageGroup. `ours`: the ID is already recorded as this resource's (finishing an unconfirmed
 * create), so AlreadyExists is ours whatever the attempts did.
 */
async function createGroup(client: LiveClient, desired: GroupInputs, ours: boolean, autonamed = false): Promise<Claim> {
  const attempts = maybeProcessedTracker();
  let res;
  try {
    res = await CreateLiveMessageGroup.invoke(
      client,
      {
        AppId: desired.appId,
        GroupId: desired.groupId,
        DataCenter: desired.dataCenter,
        ...(desired.groupName ? { GroupName: desired.groupName } : {}),
        ...(desired.groupInfo ? { GroupInfo: desired.groupInfo } : {}),
        ...(desired.administrators.length ? { Administrators: desired.administrators } : {}),
        ...(desired.creatorId ? { CreatorId: desired.creatorId } : {}),
      },
      { onRetry: attempts.onRetry },
    );
  } catch (e) {
    if (ours || attempts.any || mayHaveBeenProcessed(e)) return { kind: "unconfirmed", cause: e };
    throw e;
  }
  const mayHaveCreated = ours || attempts.any;
  // A generated ID someone holds (live or deleted) is never adopted or recovered: check chose it as free (./autoname).
  if (autonamed && res.AlreadyExists && (res.AlreadyDelete || !mayHaveCreated)) throw generatedIdTaken(desired);
  if (res.AlreadyExists && res.AlreadyDelete) {
    return claimExisting(client, desired, (await describeIfAny(client, desired)) ?? ({ GroupId: desired.groupId, Delete: true } as DescribeResult));
  }
  // AlreadyExists with no attempt of ours possibly processed: the group appeared after step 1 — not ours.
  if (res.AlreadyExists && !mayHaveCreated) {
    if (!desired.adopt) throw foreignGroupError(desired);
    return { kind: "adopted", existing: undefined };
  }
  return { kind: "created" };
}

/** Step 3: the group as the service has it; undefined when it does not exist (or is deleted). */
async function readBack(client: LiveClient, desired: GroupInputs): Promise<LiveGroup | undefined> {
  const d = await describeIfAny(client, desired);
  return d && d.Delete !== true ? groupStateFromDescribe(desired.appId, desired.dataCenter, d) : undefined;
}

/** Step 4: an adopted or recovered group is brought to the desired state (its name and creator cannot change). */
async function converge(client: LiveClient, desired: GroupInputs, live: LiveGroup): Promise<LiveGroup> {
  const mismatch = (["groupName", "creatorId"] as const).filter((f) => live[f] !== desired[f]);
  if (mismatch.length > 0) {
    throw new ResourceError(
      ResourceErrorCodes.groupMismatch,
      `Group ${desired.groupId} exists with ${mismatch.map((f) => `${f} ${JSON.stringify(live[f])}`).join(" and ")}, ` +
        `which cannot be changed; set ${mismatch.join(" and ")} to match in your program to take it over, or use another groupId.`,
    );
  }
  if (!(await applySettings(client, desired, live))) return live;
  return (await readBack(client, desired)) ?? live;
}

/** Brings administrators and groupInfo of an existing group to the desired values; false when nothing differed. */
async function applySettings(client: LiveClient, desired: GroupInputs, current: { administrators: unknown; groupInfo: unknown }): Promise<boolean> {
  const modifyAdmin = !sameAdmins(current.administrators, desired.administrators);
  const modifyInfo = current.groupInfo !== desired.groupInfo;
  if (!modifyAdmin && !modifyInfo) return false;
  await ModifyLiveMessageGroup.invoke(client, {
    AppId: desired.appId,
    GroupId: desired.groupId,
    DataCenter: desired.dataCenter,
    ...(modifyAdmin ? { ModifyAdmin: true, AdminList: desired.administrators } : {}),
    ...(modifyInfo ? { ModifyInfo: true, GroupInfo: desired.groupInfo } : {}),
  });
  return true;
}

/**
 * Step 3 for create: the read-back. A group that may exist is recorded when it cannot be read (never orphaned); a
 * create whose answers were all lost is proven by the group's existence; a recover whose answer was lost and that
 * did not happen is an ordinary failure (nothing of ours exists).
 */
async function confirmGroup(client: LiveClient, desired: GroupInputs, inputs: PropertyBag, claim: Claim): Promise<LiveGroup> {
  const assumed = claim.kind === "adopted" && claim.existing ? groupStateFromDescribe(desired.appId, desired.dataCenter, claim.existing) : undefined;
  let live: LiveGroup | undefined;
  try {
    live = await readBack(client, desired);
  } catch (e) {
    const what = {
      created: "was created, but reading it back failed",
      unconfirmed: "may have been created (its create got no answer), and it could not be confirmed",
      adopted: "was taken over, but reading it failed",
      recovered: "was recovered, but reading it back failed",
    }[claim.kind];
    throw recordedFailure(desired, inputs, assumed, what, e);
  }
  if (live) {
    if (claim.kind === "unconfirmed") log.info(`CreateLiveMessageGroup got no answer, but group ${desired.groupId} exists: it is this create's.`);
    return live;
  }
  if (claim.kind === "recovered" && claim.lost) throw claim.lost;
  if (claim.kind === "unconfirmed") throw recordedFailure(desired, inputs, undefined, "is not confirmed yet", unconfirmedError(desired, claim.cause));
  throw recordedFailure(desired, inputs, assumed, `disappeared right after it was ${claim.kind}`, new ResourceError(ResourceErrorCodes.groupDeleted, "not found"));
}

/** Step 4 for create: an adopted or recovered group, brought to the desired state; failures after the claim are recorded. */
async function convergeClaimed(client: LiveClient, desired: GroupInputs, inputs: PropertyBag, claim: Claim, live: LiveGroup): Promise<LiveGroup> {
  try {
    return await converge(client, desired, live);
  } catch (e) {
    // Refusing to take over a group that is not ours records nothing: it stays somebody else's.
    if (e instanceof ResourceError && e.code === ResourceErrorCodes.groupMismatch && claim.kind === "adopted") throw e;
    throw recordedFailure(desired, inputs, live, `was ${claim.kind === "adopted" ? "taken over" : "recovered"}, but bringing it to the desired state failed`, e);
  }
}

/** The partial failure that records a group which exists, or may exist, so that it is never orphaned. */
function recordedFailure(desired: GroupInputs, inputs: PropertyBag, live: LiveGroup | undefined, what: string, cause: unknown): ResourceInitError {
  return new ResourceInitError(
    groupResourceId(desired.appId, desired.groupId),
    outputs(desired, live ?? assumedState(desired), inputs),
    `Group ${desired.groupId} ${what}: ${describeError(cause)}. It is recorded in the stack; fix the cause if it is yours ` +
      `and run \`pulumi up\` again, which finishes the job.`,
    cause,
  );
}

function unconfirmedError(desired: GroupInputs, cause: unknown): ResourceError {
  return new ResourceError(
    ResourceErrorCodes.groupUnconfirmed,
    `Creating group ${desired.groupId} in app ${desired.appId} got no answer (${describeError(cause)}), and the group does not ` +
      `exist yet; it stays recorded as not yet confirmed. Run \`pulumi up\` again to create it (or confirm it, if the earlier ` +
      `request arrives late).`,
    cause,
  );
}

export const groupHandler: ResourceHandler = {
  async check(olds, news) {
    const inputs = withDefaults(news);
    const failures: CheckFailure[] = [];
    const kept = isGenerated(olds, GROUP_AUTONAMED_FIELD) && typeof olds.groupId === "string";
    const { pinned } = assignGeneratedId({ field: GROUP_AUTONAMED_FIELD, generate: () => autonameGroupId(news.__resourceName) }, olds, news, inputs);
    failures.push(...validateFields(inputs, groupRules));
    // A new generated ID (a new group, a replacement): the first candidate the app never held (./autoname.ts).
    if (!pinned && !kept && failures.length === 0) {
      const chosen = await chooseGroupId(news.__resourceName, inputs.appId, inputs.dataCenter);
      inputs.groupId = chosen.groupId;
      if (chosen.failure) failures.push({ property: "groupId", reason: chosen.failure });
    }

    // A pinned groupId cannot be replaced in place: the old group's ID would be deleted and is never reusable, and the
    // new group would need that very ID. Fail the preview and say how to proceed (DESIGN.md semantics table).
    const oldsWithDefaults = withDefaults(olds);
    failures.push(
      ...pinnedIdFailures({
        field: GROUP_AUTONAMED_FIELD,
        olds: oldsWithDefaults,
        inputs,
        pinned,
        scope: ["appId"],
        changing: ["groupName", "creatorId", "dataCenter"],
        reason: (f, old) =>
          `changing ${f} requires replacing group ${String(inputs.groupId)} (the API cannot change it), but its groupId is ` +
          `pinned, and a deleted group ID can never be reused, so the replacement could not take the same ID. ` +
          `To proceed, either choose a new groupId, or remove groupId to have one generated (the group is then ` +
          `replaced by a new one), or revert ${f} to ${JSON.stringify(old)}.`,
      }),
    );
    // The 5,000-live-groups-per-app quota needs a live count: only for otherwise valid input (issue 5). An autonamed
    // group is known by its resource name in the tally (its ID may move on to another candidate).
    if (failures.length === 0) {
      const key = pinned ? `id:${String(inputs.groupId)}` : `name:${String(news.__resourceName ?? inputs.groupId)}`;
      failures.push(...(await groupQuotaFailures(olds, { appId: inputs.appId, dataCenter: inputs.dataCenter, key })));
    }
    if (failures.length === 0 && typeof olds.groupId === "string") Object.assign(inputs, await previewOutputs(olds, inputs));
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const desired = withDefaults(news);
    const { replaces, changed } = diffFields(olds, desired, { replace: GROUP_REPLACE_FIELDS, update: GROUP_UPDATE_FIELDS });
    // Administrators are a set; a different order is not a change.
    const real = changed.filter((f) => f !== "administrators" || containsUnknown(desired.administrators) || !sameAdmins(olds.administrators, desired.administrators));
    const changes = real.length > 0;
    return { changes, replaces, ...(changes && replaces.length === 0 ? { stables: [...GROUP_STABLE_OUTPUTS] } : {}) };
  },

  async create(inputs) {
    const desired = withDefaults(inputs) as unknown as GroupInputs;
    const client = await getClient();
    const claim = await claimGroup(client, desired, isAutonamed(inputs));
    const live = await confirmGroup(client, desired, inputs, claim);
    const final = claim.kind === "adopted" || claim.kind === "recovered" ? await convergeClaimed(client, desired, inputs, claim, live) : live;
    return { id: groupResourceId(desired.appId, desired.groupId), outs: outputs(desired, final, inputs) };
  },

  async read(id, props) {
    const { appId, groupId } = parseGroupResourceId(id);
    const client = await getClient();
    const found = await probeDataCenters(recordedDataCenter(props), (dataCenter) =>
      DescribeLiveMessageGroup.invoke(client, { AppId: appId, GroupId: groupId, DataCenter: dataCenter }),
    );
    const keep: PropertyBag = {};
    for (const k of ["adopt", "recoverDeleted", "__resourceName", "__defaults"]) if (props[k] !== undefined) keep[k] = props[k];
    if (!found) {
      // A create that was never confirmed keeps its record (and its ID): the next `pulumi up` finishes it.
      if (Object.keys(props).length > 0 && isUnconfirmed(props)) return { id, props: defined({ ...props }), inputs: inputsOf(props, keep) };
      return { id: "", props: {}, inputs: {} };
    }
    if (found.value.Delete === true) return { id: "", props: {}, inputs: {} };
    const live = groupStateFromDescribe(appId, found.dataCenter, found.value);
    const desired = withDefaults({ ...keep, ...live }) as unknown as GroupInputs;
    const outs = outputs(desired, live, keep);
    // Keep the user's administrator order when only the order differs, so a refresh shows no false drift.
    if (Array.isArray(props.administrators) && sameAdmins(props.administrators, live.administrators)) {
      outs.administrators = props.administrators;
    }
    return { id, props: outs, inputs: inputsOf(outs, keep) };
  },

  async update(_id, olds, news) {
    const desired = withDefaults(news) as unknown as GroupInputs;
    const client = await getClient();
    // Compare with the live group, not the last recorded outputs: a change made outside the stack since the last
    // refresh must not hide a needed modification.
    let before = await describeIfAny(client, desired);
    if (!before && isUnconfirmed(olds)) {
      // An earlier create of this resource got no answer and never saw the group: finish that create now.
      const claim = await createGroup(client, desired, true);
      if (claim.kind === "unconfirmed") throw unconfirmedError(desired, claim.cause);
      before = await describeIfAny(client, desired);
    }
    if (!before || before.Delete === true) {
      throw new ResourceError(
        ResourceErrorCodes.groupDeleted,
        `Group ${desired.groupId} in app ${desired.appId} no longer exists (deleted outside this stack). ` +
          `Run \`pulumi refresh\` to drop it from the stack, then \`pulumi up\` to create it again (with another groupId if it was pinned).`,
      );
    }
    const current = groupStateFromDescribe(desired.appId, desired.dataCenter, before);
    const after = (await applySettings(client, desired, current)) ? ((await readBack(client, desired)) ?? current) : current;
    return { outs: outputs(desired, after, news) };
  },

  async delete(id, props) {
    const { appId, groupId } = parseGroupResourceId(id);
    const dataCenter = recordedDataCenter(props) ?? defaultDataCenter();
    const client = await getClient();
    try {
      await DeleteLiveMessageGroup.invoke(client, { AppId: appId, GroupId: groupId, DataCenter: dataCenter });
    } catch (e) {
      if (isNotFound(e)) return; // already gone (or an unconfirmed create that never happened): deleting is done
      throw e;
    }
  },
};

/** The input fields of a state (and the internal keys kept), for `read`'s returned inputs. */
function inputsOf(outs: PropertyBag, keep: PropertyBag): PropertyBag {
  const inputs: PropertyBag = { ...keep };
  for (const f of GROUP_INPUT_FIELDS) if (outs[f] !== undefined) inputs[f] = outs[f];
  return defined(inputs);
}
