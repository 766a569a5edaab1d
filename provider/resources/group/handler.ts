/**
 * `Group` lifecycle (DESIGN.md semantics table and rule 4):
 * create = CreateLiveMessageGroup with AlreadyExists/AlreadyDelete handling (our own lost create or `adopt` →
 * take over; deleted ID → fail with advice or `recoverDeleted`); read = DescribeLiveMessageGroup (`Delete: true`
 * = gone); update in place = administrators and groupInfo (ModifyLiveMessageGroup); replace = appId, groupId,
 * groupName, creatorId, dataCenter — refused in preview when the groupId is pinned; delete = DeleteLiveMessageGroup.
 */
import { LiveApiError } from "../../client/errors";
import type { LiveClient } from "../../client/live-client";
import { DATA_CENTERS, MAX_ID_BYTES, RECOVER_WINDOW_SECONDS, type DataCenter } from "../../limits";
import {
  CreateLiveMessageGroup,
  DeleteLiveMessageGroup,
  DescribeLiveMessageGroup,
  ModifyLiveMessageGroup,
  RecoverLiveMessageDeletedGroup,
} from "../../operations";
import { defaultDataCenter, getClient } from "../config";
import { ResourceError, ResourceErrorCodes, ResourceInitError, describeError } from "../errors";
import { diffFields, type ResourceHandler } from "../handler";
import { defined, sameValue, type PropertyBag } from "../property-bag";
import { containsUnknown } from "../unknown";
import { groupQuotaFailures } from "../quota/quota";
import { randomChars } from "../request-context";
import { validateFields, type CheckFailure } from "../validate";
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

/** Length of the random part of a generated groupId. */
export const AUTONAME_SUFFIX_LENGTH = 8;
const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789";

/** `<resource name, letters and digits only><8 random letters/digits>`, at most 64 bytes. */
export function autonameGroupId(resourceName: unknown): string {
  const base = (typeof resourceName === "string" ? resourceName : "").replace(/[^A-Za-z0-9]/g, "") || "group";
  // Seeded by the engine's randomSeed on the native path (the same in preview and up), random otherwise.
  const suffix = randomChars(AUTONAME_SUFFIX_LENGTH, ALPHANUMERIC, "groupId");
  return base.slice(0, MAX_ID_BYTES - AUTONAME_SUFFIX_LENGTH) + suffix;
}

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

function isNotFound(e: unknown): boolean {
  return e instanceof LiveApiError && e.code === "ResourceNotExist";
}

function defaultsOf(bag: PropertyBag): string[] {
  return Array.isArray(bag.__defaults) ? (bag.__defaults as unknown[]).filter((x): x is string => typeof x === "string") : [];
}

/** Was `groupId` generated (true) or set by the user (false)? */
export function isAutonamed(bag: PropertyBag): boolean {
  return defaultsOf(bag).includes(GROUP_AUTONAMED_FIELD);
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

export function groupStateFromDescribe(appId: string, dataCenter: DataCenter, d: DescribeResult): Omit<GroupState, "adopt" | "recoverDeleted"> {
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

/** The replace-forcing fields (other than appId and groupId) whose known values differ. */
function changedReplaceFields(olds: PropertyBag, news: PropertyBag): string[] {
  return ["groupName", "creatorId", "dataCenter"].filter(
    (f) => !containsUnknown(news[f]) && olds[f] !== undefined && !sameValue(olds[f], news[f]),
  );
}

async function describe(client: LiveClient, appId: string, groupId: string, dataCenter: DataCenter): Promise<DescribeResult> {
  return DescribeLiveMessageGroup.invoke(client, { AppId: appId, GroupId: groupId, DataCenter: dataCenter });
}

/** The group's state, or undefined when it does not exist or is soft-deleted. */
async function findGroup(
  client: LiveClient,
  appId: string,
  groupId: string,
  dataCenter: DataCenter | undefined,
): Promise<{ d: DescribeResult; dataCenter: DataCenter } | undefined> {
  const order = dataCenter ? [dataCenter] : [defaultDataCenter(), ...DATA_CENTERS.filter((x) => x !== defaultDataCenter())];
  for (const dc of order) {
    try {
      const d = await describe(client, appId, groupId, dc);
      return d.Delete === true ? undefined : { d, dataCenter: dc };
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return undefined;
}

/** Brings administrators and groupInfo of an existing group to the desired values. */
async function applySettings(client: LiveClient, desired: GroupInputs, current: { administrators: unknown; groupInfo: unknown }): Promise<void> {
  const modifyAdmin = !sameAdmins(current.administrators, desired.administrators);
  const modifyInfo = current.groupInfo !== desired.groupInfo;
  if (!modifyAdmin && !modifyInfo) return;
  await ModifyLiveMessageGroup.invoke(client, {
    AppId: desired.appId,
    GroupId: desired.groupId,
    DataCenter: desired.dataCenter,
    ...(modifyAdmin ? { ModifyAdmin: true, AdminList: desired.administrators } : {}),
    ...(modifyInfo ? { ModifyInfo: true, GroupInfo: desired.groupInfo } : {}),
  });
}

function outputs(desired: GroupInputs, live: Omit<GroupState, "adopt" | "recoverDeleted">, inputs: PropertyBag): PropertyBag {
  return defined({
    ...inputs,
    ...live,
    // Echo the user's administrator order when the set is the same.
    administrators: sameAdmins(live.administrators, desired.administrators) ? desired.administrators : live.administrators,
    adopt: desired.adopt,
    recoverDeleted: desired.recoverDeleted,
  });
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

export const groupHandler: ResourceHandler = {
  async check(olds, news) {
    const inputs = withDefaults(news);
    const failures: CheckFailure[] = [];
    const userSetId = news.groupId !== undefined && news.groupId !== null;
    if (userSetId) {
      inputs.__defaults = defaultsOf(news).filter((f) => f !== GROUP_AUTONAMED_FIELD);
    } else {
      // Keep a generated ID stable across updates; generate a fresh one for a new resource or a replacement (the
      // engine calls check again with empty olds before creating a replacement).
      const reuse = isAutonamed(olds) && typeof olds.groupId === "string" ? olds.groupId : undefined;
      inputs.groupId = reuse ?? autonameGroupId(news.__resourceName);
      inputs.__defaults = [...new Set([...defaultsOf(news), GROUP_AUTONAMED_FIELD])];
    }
    failures.push(...validateFields(inputs, groupRules));

    // A pinned groupId cannot be replaced in place: the old group's ID would be deleted and is never reusable, and the
    // new group would need that very ID. Fail the preview and say how to proceed (DESIGN.md semantics table).
    const hadState = typeof olds.groupId === "string";
    if (hadState && userSetId && !isAutonamed(olds) && olds.groupId === inputs.groupId && sameValue(olds.appId, inputs.appId)) {
      const oldsWithDefaults = withDefaults(olds);
      for (const f of changedReplaceFields(oldsWithDefaults, inputs)) {
        failures.push({
          property: f,
          reason:
            `changing ${f} requires replacing group ${String(inputs.groupId)} (the API cannot change it), but its groupId is ` +
            `pinned, and a deleted group ID can never be reused, so the replacement could not take the same ID. ` +
            `To proceed, either choose a new groupId, or remove groupId to have one generated (the group is then ` +
            `replaced by a new one), or revert ${f} to ${JSON.stringify(oldsWithDefaults[f])}.`,
        });
      }
    }
    // The 5,000-live-groups-per-app quota needs a live count: only for otherwise valid input (issue 5). A generated
    // groupId changes on every check, so an autonamed group is known by its resource name in the tally.
    if (failures.length === 0) {
      const key = userSetId ? `id:${String(inputs.groupId)}` : `name:${String(news.__resourceName ?? inputs.groupId)}`;
      failures.push(...(await groupQuotaFailures(olds, { appId: inputs.appId, dataCenter: inputs.dataCenter, key })));
    }
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const desired = withDefaults(news);
    const { replaces, changed } = diffFields(olds, desired, { replace: GROUP_REPLACE_FIELDS, update: GROUP_UPDATE_FIELDS });
    // Administrators are a set; a different order is not a change.
    const real = changed.filter((f) => f !== "administrators" || containsUnknown(desired.administrators) || !sameAdmins(olds.administrators, desired.administrators));
    return { changes: real.length > 0, replaces };
  },

  async create(inputs) {
    const desired = withDefaults(inputs) as unknown as GroupInputs;
    const id = groupResourceId(desired.appId, desired.groupId);
    const client = await getClient();
    let mayHaveCreated = false;
    const res = await CreateLiveMessageGroup.invoke(
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
      { onRetry: (r) => (mayHaveCreated ||= r.mayHaveSucceeded) },
    );

    let takeover = false;
    if (res.AlreadyExists && res.AlreadyDelete) {
      if (!desired.recoverDeleted) {
        const d = await describe(client, desired.appId, desired.groupId, desired.dataCenter).catch(() => undefined);
        throw new ResourceError(ResourceErrorCodes.groupDeleted, deletedGroupAdvice(desired, d));
      }
      await RecoverLiveMessageDeletedGroup.invoke(client, { AppId: desired.appId, GroupId: desired.groupId, DataCenter: desired.dataCenter });
      takeover = true;
    } else if (res.AlreadyExists) {
      // Ours when an earlier attempt of this very call may have been processed (its response was lost), or when the
      // user asked to adopt. Otherwise somebody else's group: refuse to take it silently.
      if (!mayHaveCreated && !desired.adopt) {
        throw new ResourceError(
          ResourceErrorCodes.groupExists,
          `Group ${desired.groupId} already exists in app ${desired.appId} and was not created by this stack. ` +
            `Set adopt: true to take it over (its administrators and groupInfo are then set to the values in your program), ` +
            `import it with the resource option import: "${id}", choose another groupId, or omit groupId to have one generated.`,
        );
      }
      takeover = true;
    }

    let live: Omit<GroupState, "adopt" | "recoverDeleted"> | undefined;
    try {
      let d = await describe(client, desired.appId, desired.groupId, desired.dataCenter);
      live = groupStateFromDescribe(desired.appId, desired.dataCenter, d);
      if (takeover) {
        const mismatch = (["groupName", "creatorId"] as const).filter((f) => live![f] !== desired[f]);
        if (mismatch.length > 0) {
          throw new ResourceError(
            ResourceErrorCodes.groupMismatch,
            `Group ${desired.groupId} exists with ${mismatch.map((f) => `${f} ${JSON.stringify(live![f])}`).join(" and ")}, ` +
              `which cannot be changed; set ${mismatch.join(" and ")} to match in your program to take it over, or use another groupId.`,
          );
        }
        await applySettings(client, desired, live);
        d = await describe(client, desired.appId, desired.groupId, desired.dataCenter);
        live = groupStateFromDescribe(desired.appId, desired.dataCenter, d);
      }
    } catch (e) {
      if (!takeover && !live) {
        // Created, but we could not read it back: still record it so it is not orphaned.
        throw new ResourceInitError(id, defined({ ...inputs, createTime: 0, superLargeGroup: false, onlineUserCounts: 0, totalTimes: 0, msgAmount: {} }),
          `Group ${desired.groupId} was created, but reading it back failed: ${describeError(e)}. It is recorded in the stack; run \`pulumi up\` again.`, e);
      }
      if (e instanceof ResourceError && !res.AlreadyDelete) throw e;
      // Taken over (or recovered) but not yet in the desired state: record it; the next update finishes the job.
      throw new ResourceInitError(
        id,
        outputs(desired, live ?? groupStateFromDescribe(desired.appId, desired.dataCenter, { GroupId: desired.groupId } as DescribeResult), inputs),
        `Group ${desired.groupId} ${res.AlreadyDelete ? "was recovered" : "was taken over"}, but bringing it to the desired state failed: ${describeError(e)}. ` +
          `It is recorded in the stack; fix the cause and run \`pulumi up\` again.`,
        e,
      );
    }
    return { id, outs: outputs(desired, live, inputs) };
  },

  async read(id, props) {
    const { appId, groupId } = parseGroupResourceId(id);
    const client = await getClient();
    const pinned = typeof props.dataCenter === "string" ? (props.dataCenter as DataCenter) : undefined;
    const found = await findGroup(client, appId, groupId, pinned);
    if (!found) return { id: "", props: {}, inputs: {} };
    const live = groupStateFromDescribe(appId, found.dataCenter, found.d);
    const keep: PropertyBag = {};
    for (const k of ["adopt", "recoverDeleted", "__resourceName", "__defaults"]) if (props[k] !== undefined) keep[k] = props[k];
    const desired = withDefaults({ ...keep, ...live }) as unknown as GroupInputs;
    const outs = outputs(desired, live, keep);
    // Keep the user's administrator order when only the order differs, so a refresh shows no false drift.
    if (Array.isArray(props.administrators) && sameAdmins(props.administrators, live.administrators)) {
      outs.administrators = props.administrators;
    }
    const inputs: PropertyBag = { ...keep };
    for (const f of GROUP_INPUT_FIELDS) if (outs[f] !== undefined) inputs[f] = outs[f];
    return { id, props: outs, inputs: defined(inputs) };
  },

  async update(_id, _olds, news) {
    const desired = withDefaults(news) as unknown as GroupInputs;
    const client = await getClient();
    // Compare with the live group, not the last recorded outputs: a change made outside the stack since the last
    // refresh must not hide a needed modification.
    const before = await describe(client, desired.appId, desired.groupId, desired.dataCenter).catch((e: unknown) => {
      if (isNotFound(e)) return { GroupId: desired.groupId, Delete: true } as DescribeResult;
      throw e;
    });
    if (before.Delete === true) {
      throw new ResourceError(
        ResourceErrorCodes.groupDeleted,
        `Group ${desired.groupId} in app ${desired.appId} no longer exists (deleted outside this stack). ` +
          `Run \`pulumi refresh\` to drop it from the stack, then \`pulumi up\` to create it again (with another groupId if it was pinned).`,
      );
    }
    const current = groupStateFromDescribe(desired.appId, desired.dataCenter, before);
    await applySettings(client, desired, current);
    const after = await describe(client, desired.appId, desired.groupId, desired.dataCenter);
    return { outs: outputs(desired, groupStateFromDescribe(desired.appId, desired.dataCenter, after), news) };
  },

  async delete(id, props) {
    const { appId, groupId } = parseGroupResourceId(id);
    const dataCenter = (typeof props.dataCenter === "string" ? props.dataCenter : defaultDataCenter()) as DataCenter;
    const client = await getClient();
    try {
      await DeleteLiveMessageGroup.invoke(client, { AppId: appId, GroupId: groupId, DataCenter: dataCenter });
    } catch (e) {
      if (isNotFound(e)) return; // already gone: deleting is done
      throw e;
    }
  },
};

