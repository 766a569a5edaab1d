/**
 * Quota checks that need live counts, run from `check` so that `pulumi preview` fails before any write (issue 5,
 * DESIGN.md rule 5). Spec §2.4: at most 5,000 live groups per app, 300 apps per account, 30 message types per group.
 *
 * How the count works, per provider process (= one preview or one update):
 * - live counts are looked up once per account / app / group and cached, so the cost is a few calls per app however
 *   many resources there are; the first look-up happens before this process created anything of that kind;
 * - every resource checked WITHOUT prior state (a create, or the create half of a replacement — the old one still
 *   exists while the new one is made) is added to a tally, keyed so that a resource checked twice counts once; its
 *   position in the tally decides whether it is the one over the limit, so exactly the surplus resources fail;
 * - unknown key values (preview), a disabled knob (`livemessage:quotaChecks: false`) or a failed look-up (logged as
 *   a warning: the create itself will still meet the service's quota) skip the check. Refresh and destroy never call
 *   `check`, so they are never blocked.
 */
import { isNotFound } from "../../client/errors";
import type { LiveClient } from "../../client/live-client";
import { DATA_CENTERS, MAX_APPS_PER_ACCOUNT, MAX_LIVE_GROUPS_PER_APP, MAX_MSG_TYPES_PER_GROUP } from "../../limits";
import { DescribeLiveMessageApp, DescribeLiveMessageGroup, ListLiveMessageGroupByPage } from "../../operations";
import { listApps } from "../app/list-apps";
import { getClient, getProviderConfig } from "../config";
import { describeError } from "../errors";
import { log } from "../log";
import type { PropertyBag } from "../property-bag";
import { containsUnknown } from "../unknown";
import type { CheckFailure } from "../validate";

/** `4998` → `"4,998"` (no dependency on the process locale). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A resource without prior state is about to be created (also the create half of a replacement). */
export function isNewResource(olds: PropertyBag): boolean {
  return Object.keys(olds).length === 0;
}

/** Whether the live quota checks run (`livemessage:quotaChecks`, default true). */
export function quotaChecksEnabled(): boolean {
  return getProviderConfig().quotaChecks !== false;
}

interface AppGroups {
  /** Live groups of the app (undefined: the look-up failed). */
  live?: Promise<number | undefined>;
  /** Planned creates: key → 1-based position. */
  readonly planned: Map<string, number>;
  name?: Promise<string | undefined>;
}

interface GroupTypes {
  existing?: Promise<ReadonlySet<string> | undefined>;
  /** Planned seed messages: key → message type, in the order they were checked. */
  readonly planned: Map<string, string>;
}

interface AccountQuota {
  apps?: Promise<number | undefined>;
  readonly plannedApps: Map<string, number>;
  readonly groups: Map<string, AppGroups>;
  readonly types: Map<string, GroupTypes>;
}

// Keyed by client: getClient() hands out one client per (endpoint, AccessKeyId) per process, i.e. one per account.
let accounts = new WeakMap<LiveClient, AccountQuota>();
let warnedNoClient = false;

/** Forgets every tally and cached count (tests; a provider process starts empty anyway). */
export function resetQuotaState(): void {
  accounts = new WeakMap();
  warnedNoClient = false;
}

function accountOf(client: LiveClient): AccountQuota {
  let a = accounts.get(client);
  if (!a) {
    a = { plannedApps: new Map(), groups: new Map(), types: new Map() };
    accounts.set(client, a);
  }
  return a;
}

/** Position of `key` in the tally, registering it when new (so a resource checked twice counts once). */
function register(tally: Map<string, number>, key: string): number {
  let at = tally.get(key);
  if (at === undefined) {
    at = tally.size + 1;
    tally.set(key, at);
  }
  return at;
}

async function client(): Promise<LiveClient | undefined> {
  try {
    return await getClient();
  } catch (e) {
    if (!warnedNoClient) {
      warnedNoClient = true;
      log.warn(`Skipped the LiveMessage quota checks: ${describeError(e)} (the operations themselves will report this).`);
    }
    return undefined;
  }
}

/** Runs a look-up once; a failure is logged (once, as it is cached) and makes the check skip. */
function guarded<T>(what: string, run: () => Promise<T>): Promise<T | undefined> {
  return run().catch((e: unknown) => {
    log.warn(`Skipped the ${what} check: the look-up failed (${describeError(e)}). The service enforces the quota when the resource is created.`);
    return undefined;
  });
}

function known(...values: unknown[]): boolean {
  return values.every((v) => v !== undefined && v !== null && !containsUnknown(v));
}

// ---------------------------------------------------------------------------------------------------------------
// 300 apps per account

/** Apps of the account over every data center (the quota is per account, spec §2.4). */
async function countApps(c: LiveClient): Promise<number> {
  const ids = new Set<string>();
  for (const dc of DATA_CENTERS) for (const app of await listApps(c, dc)) ids.add(app.AppId);
  return ids.size;
}

/**
 * The 300-apps-per-account quota for an `App` about to be created. `key` identifies the resource within this
 * process. The failure is reported on `appName`: the property that names the app that would be one too many
 * (`dataCenter` would suggest another region helps, but the quota spans data centers).
 */
export async function appQuotaFailures(olds: PropertyBag, planned: { key: string }): Promise<CheckFailure[]> {
  if (!quotaChecksEnabled() || !isNewResource(olds)) return [];
  const c = await client();
  if (!c) return [];
  const account = accountOf(c);
  const position = register(account.plannedApps, planned.key);
  account.apps ??= guarded(`${formatCount(MAX_APPS_PER_ACCOUNT)}-apps-per-account quota`, () => countApps(c));
  const live = await account.apps;
  if (live === undefined || live + position <= MAX_APPS_PER_ACCOUNT) return [];
  return [
    {
      property: "appName",
      reason:
        `the account has ${formatCount(live)} LiveMessage apps; this deployment creates ${formatCount(account.plannedApps.size)} more; ` +
        `the limit is ${formatCount(MAX_APPS_PER_ACCOUNT)} apps per account (in all data centers, disabled apps included). ` +
        `There is no API to delete an app, so reuse an existing one (read it with App.get or getApp and use its appId), ` +
        `create fewer apps, or ask Alibaba Cloud to remove unused apps or raise the quota.`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// 5,000 live groups per app

async function appLabel(c: LiveClient, groups: AppGroups, appId: string, dataCenter: string): Promise<string> {
  // Only looked up when a failure is reported: zero extra calls in the common case.
  groups.name ??= DescribeLiveMessageApp.invoke(c, { AppId: appId, DataCenter: dataCenter })
    .then((d) => d.AppName || undefined)
    .catch(() => undefined);
  const name = await groups.name;
  return name ? `app ${JSON.stringify(name)} (${appId})` : `app ${appId}`;
}

/**
 * The 5,000-live-groups-per-app quota for a `Group` about to be created; reported on `appId`. `key` identifies the
 * resource (its pinned groupId, else its resource name — a generated groupId changes on every check).
 */
export async function groupQuotaFailures(
  olds: PropertyBag,
  planned: { appId: unknown; dataCenter: unknown; key: string },
): Promise<CheckFailure[]> {
  const { appId, dataCenter } = planned;
  if (!quotaChecksEnabled() || !isNewResource(olds) || !known(appId, dataCenter)) return [];
  if (typeof appId !== "string" || typeof dataCenter !== "string") return [];
  const c = await client();
  if (!c) return [];
  const account = accountOf(c);
  const appKey = `${dataCenter}/${appId}`;
  let groups = account.groups.get(appKey);
  if (!groups) {
    groups = { planned: new Map() };
    account.groups.set(appKey, groups);
  }
  const position = register(groups.planned, planned.key);
  groups.live ??= guarded(`${formatCount(MAX_LIVE_GROUPS_PER_APP)}-live-groups-per-app quota for app ${appId}`, async () => {
    const res = await ListLiveMessageGroupByPage.invoke(c, { AppId: appId, DataCenter: dataCenter, SortType: 1, GroupStatus: 1, PageSize: 1 });
    return res.TotalCount ?? 0;
  });
  const live = await groups.live;
  if (live === undefined || live + position <= MAX_LIVE_GROUPS_PER_APP) return [];
  const label = await appLabel(c, groups, appId, dataCenter);
  return [
    {
      property: "appId",
      reason:
        `${label} has ${formatCount(live)} live groups; this deployment creates ${formatCount(groups.planned.size)} more; ` +
        `the limit is ${formatCount(MAX_LIVE_GROUPS_PER_APP)} live groups per app. Delete groups the app no longer needs ` +
        `(deleted groups do not count), put some of the new groups in another app, or create fewer groups.`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// 30 message types per group

/**
 * The 30-message-types-per-group quota for a `SeedMessage` about to be sent; reported on `msgType`. Existing types
 * are the keys of the group's message counters (DescribeLiveMessageGroup `MsgAmount`); a group that does not exist
 * yet has none. A seed whose type the group already has never fails.
 */
export async function msgTypeQuotaFailures(
  olds: PropertyBag,
  planned: { appId: unknown; groupId: unknown; dataCenter: unknown; msgType: unknown; key: string },
): Promise<CheckFailure[]> {
  const { appId, groupId, dataCenter, msgType } = planned;
  if (!quotaChecksEnabled() || !isNewResource(olds) || !known(appId, groupId, dataCenter, msgType)) return [];
  if (typeof appId !== "string" || typeof groupId !== "string" || typeof dataCenter !== "string" || typeof msgType !== "number") return [];
  const c = await client();
  if (!c) return [];
  const account = accountOf(c);
  const groupKey = `${dataCenter}/${appId}/${groupId}`;
  let types = account.types.get(groupKey);
  if (!types) {
    types = { planned: new Map() };
    account.types.set(groupKey, types);
  }
  const type = String(msgType);
  if (!types.planned.has(planned.key)) types.planned.set(planned.key, type);
  types.existing ??= guarded(`${MAX_MSG_TYPES_PER_GROUP}-message-types-per-group quota for group ${groupId}`, async () => {
    try {
      const d = await DescribeLiveMessageGroup.invoke(c, { AppId: appId, GroupId: groupId, DataCenter: dataCenter });
      return new Set(d.Delete === true ? [] : Object.keys(d.MsgAmount ?? {}));
    } catch (e) {
      if (isNotFound(e)) return new Set<string>(); // created later in this deployment: no types yet
      throw e;
    }
  });
  const existing = await types.existing;
  const mine = types.planned.get(planned.key)!;
  if (!existing || existing.has(mine)) return [];
  // The distinct new types planned up to and including this seed decide whether it is one too many.
  const before = new Set<string>();
  for (const [k, t] of types.planned) {
    if (!existing.has(t)) before.add(t);
    if (k === planned.key) break;
  }
  if (existing.size + before.size <= MAX_MSG_TYPES_PER_GROUP) return [];
  const allNew = [...new Set([...types.planned.values()].filter((t) => !existing.has(t)))];
  return [
    {
      property: "msgType",
      reason:
        `group ${groupId} has ${formatCount(existing.size)} message types; this deployment's seed messages add ${formatCount(allNew.length)} more ` +
        `(${allNew.join(", ")}); the limit is ${formatCount(MAX_MSG_TYPES_PER_GROUP)} message types per group. Use one of the group's ` +
        `existing types for msgType${existing.size ? ` (${[...existing].sort((a, b) => Number(a) - Number(b)).join(", ")})` : ""}, ` +
        `send this message to another group, or use fewer distinct types.`,
    },
  ];
}
