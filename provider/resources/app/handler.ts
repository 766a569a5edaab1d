/**
 * `App` lifecycle (DESIGN.md semantics table):
 * create = CreateLiveMessageApp (+ disable when asked); read = DescribeLiveMessageApp; update in place = audit,
 * callback URL, disabled; replace = appName, dataCenter, msgLifeCycle; delete = disable + warning (no delete API).
 *
 * CreateLiveMessageApp has no idempotency key, so it is never sent twice once it may have reached the service
 * (its operation declares "unsafe"). When its answer is lost, create identifies the app it made without guessing:
 * only apps that did not exist when the call began can be ours (`identifyOwnApp`).
 */
import { LiveApiError, isNotFound } from "../../client/errors";
import type { LiveClient } from "../../client/live-client";
import { maybeProcessedTracker } from "../../client/call-options";
import { mayHaveBeenProcessed } from "../../client/retry-policy";
import type { DataCenter } from "../../limits";
import {
  CreateLiveMessageApp,
  DescribeLiveMessageApp,
  ModifyLiveMessageAppAudit,
  ModifyLiveMessageAppCallback,
  ModifyLiveMessageAppDisable,
} from "../../operations";
import { defaultDataCenter, getClient } from "../config";
import { probeDataCenters, recordedDataCenter } from "../data-center";
import { ResourceError, ResourceErrorCodes, ResourceInitError, describeError } from "../errors";
import { diffFields, type ResourceHandler } from "../handler";
import { log } from "../log";
import { defined, type PropertyBag } from "../property-bag";
import { validateFields } from "../validate";
import { isUnknown } from "../unknown";
import { appQuotaFailures } from "../quota/quota";
import { listApps } from "./list-apps";
import { APP_INPUT_FIELDS, APP_REPLACE_FIELDS, APP_UPDATE_FIELDS, appRules, type AppInputs, type AppState } from "./schema";

type DescribeResult = Awaited<ReturnType<typeof DescribeLiveMessageApp.invoke>>;

/** Internal inputs an SDK may add (kept in state, never sent): `__resourceName` identifies the app in the quota tally. */
const APP_INTERNAL_FIELDS = ["__resourceName"] as const;

/**
 * Identifies an app within one provider process for the quota tally: its resource name when the SDK passes one,
 * else its inputs (two apps with identical inputs and no resource name would count once).
 */
function appQuotaKey(news: PropertyBag): string {
  if (typeof news.__resourceName === "string") return `name:${news.__resourceName}`;
  const known = Object.keys(news).filter((k) => news[k] !== undefined).sort();
  return `inputs:${JSON.stringify(known.map((k) => [k, news[k]]))}`;
}

/** Fills defaults; leaves unknowns untouched. */
/**
 * How an existing app gets into a stack: only the native plugin can import (the engine reads an imported resource
 * by its ID alone, and a dynamic resource's provider travels in its inputs — README "Taking over and reading").
 */
const IMPORT_ADVICE =
  'With the native plugin: `pulumi import livemessage:index:App <name> <AppId>` (or the resource option import: "<AppId>"); ' +
  "the dynamic provider cannot import — read the app there with App.get or getApp and use its appId.";

export function appInputsWithDefaults(news: PropertyBag): PropertyBag {
  const auditType = news.auditType ?? 0;
  return {
    ...news,
    dataCenter: news.dataCenter ?? defaultDataCenter(),
    msgLifeCycle: news.msgLifeCycle ?? 0,
    auditType,
    auditUrl: news.auditUrl ?? "",
    eventCallbackUrl: news.eventCallbackUrl ?? "",
    disabled: news.disabled ?? false,
  };
}

/** The service's view of an app as outputs (inputs echoed from the live values). */
export function appStateFromDescribe(d: DescribeResult): AppState {
  return defined({
    appId: d.AppId,
    appName: d.AppName === undefined || d.AppName === "" ? undefined : d.AppName,
    dataCenter: (d.DataCenter ?? "cn-shanghai") as DataCenter,
    msgLifeCycle: (d.MsgLifeCycle ?? 0) as 0 | 1 | 2,
    auditType: (d.AuditType ?? 0) as 0 | 1 | 2,
    auditUrl: d.AuditType === 2 ? (d.AuditUrl ?? "") : "",
    eventCallbackUrl: d.EventCallbackUrl ?? "",
    disabled: d.Disable === true,
    appKey: d.AppKey ?? "",
    appSign: d.AppSign ?? "",
    createTime: d.CreateTime ?? 0,
    modifyTime: d.ModifyTime ?? 0,
  });
}

function inputsOf(state: AppState): PropertyBag {
  const out: PropertyBag = {};
  for (const f of APP_INPUT_FIELDS) if (state[f] !== undefined) out[f] = state[f];
  return out;
}

async function describe(client: LiveClient, appId: string, dataCenter: DataCenter): Promise<AppState> {
  return appStateFromDescribe(await DescribeLiveMessageApp.invoke(client, { AppId: appId, DataCenter: dataCenter }));
}

/** Applies the in-place settings that differ between `current` and `desired`. */
async function applySettings(client: LiveClient, appId: string, current: AppState, desired: AppInputs): Promise<void> {
  const base = { AppId: appId, DataCenter: desired.dataCenter };
  // Re-enable first and disable last: [U] the service may refuse changes to a disabled app.
  if (current.disabled && !desired.disabled) {
    await ModifyLiveMessageAppDisable.invoke(client, { ...base, Disable: false });
  }
  if (current.auditType !== desired.auditType || (desired.auditType === 2 && current.auditUrl !== desired.auditUrl)) {
    await ModifyLiveMessageAppAudit.invoke(client, {
      ...base,
      AuditType: desired.auditType,
      ...(desired.auditType === 2 ? { AuditUrl: desired.auditUrl } : {}),
    });
  }
  if (current.eventCallbackUrl !== desired.eventCallbackUrl) {
    await ModifyLiveMessageAppCallback.invoke(client, { ...base, EventCallbackUrl: desired.eventCallbackUrl });
  }
  if (!current.disabled && desired.disabled) {
    await ModifyLiveMessageAppDisable.invoke(client, { ...base, Disable: desired.disabled });
  }
}

/**
 * After a CreateLiveMessageApp that may have reached the service without an answer we could read: how often, and how
 * far apart, to look for the app it made. A request that timed out may still be executed by the service a moment
 * later, so a lost response is looked for a few times; a 5xx (the service answered) once. A look that fails (the list
 * itself failing) is repeated, up to `maxLooks`. [U] how late the service may execute a request after the client gave
 * up is undocumented: change these here.
 */
export const APP_CREATE_LOOKUP = Object.freeze({ looksAfterNoAnswer: 4, looksAfterServerError: 1, maxLooks: 8, intervalMs: 1500 });

/**
 * Apps this provider process created or identified as a resource's own: never a candidate for another resource's
 * lost create (two App resources of one deployment may share a name).
 */
const claimedApps = new Set<string>();

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Could the lost request still be executed after we stopped waiting (no answer at all, rather than a 5xx)? */
function noAnswer(e: unknown): boolean {
  return !(e instanceof LiveApiError);
}

/**
 * Identifies the app a CreateLiveMessageApp made whose answer we did not get, without guessing: a candidate has the
 * desired name, retention and data center, did not exist before the call began (`before`), and is no other resource's.
 * Exactly one → ours. None → nothing was created. Several → an error listing them, with `import` as the way out.
 */
async function identifyOwnApp(client: LiveClient, desired: AppInputs, before: ReadonlySet<string>, cause: unknown): Promise<string> {
  const looks = noAnswer(cause) ? APP_CREATE_LOOKUP.looksAfterNoAnswer : APP_CREATE_LOOKUP.looksAfterServerError;
  const name = desired.appName ?? "";
  // A look that fails tells nothing: it is repeated (up to `maxLooks` in all) rather than ending the search.
  let lookFailure: unknown;
  let look = 0;
  while (look < looks || (lookFailure !== undefined && look < APP_CREATE_LOOKUP.maxLooks)) {
    if (look++ > 0) await sleep(APP_CREATE_LOOKUP.intervalMs);
    let apps;
    try {
      apps = await listApps(client, desired.dataCenter);
      lookFailure = undefined;
    } catch (e) {
      lookFailure = e;
      continue;
    }
    const candidates = apps.filter(
      (a) => !before.has(a.AppId) && !claimedApps.has(a.AppId) && (a.AppName ?? "") === name && (a.MsgLifeCycle ?? 0) === desired.msgLifeCycle,
    );
    if (candidates.length === 1) return candidates[0]!.AppId;
    if (candidates.length > 1) {
      const list = candidates.map((a) => `${a.AppId}${a.CreateTime ? ` (created ${new Date(a.CreateTime * 1000).toISOString()})` : ""}`).join(", ");
      throw new ResourceError(
        ResourceErrorCodes.appCandidates,
        `Creating app ${JSON.stringify(name)} got no usable answer (${describeError(cause)}), and ${candidates.length} new apps with ` +
          `this name appeared in ${desired.dataCenter} while it ran: ${list}. This provider cannot tell which one is this ` +
          `resource's, and never guesses. ${IMPORT_ADVICE} Take the right one (the others may belong to another deployment), then ` +
          `run \`pulumi up\` again.`,
        cause,
      );
    }
  }
  if (lookFailure !== undefined) {
    throw new ResourceError(
      ResourceErrorCodes.appAmbiguousCreate,
      `Creating app ${JSON.stringify(name)} failed in a way that may have reached the service (${describeError(cause)}), and ` +
        `looking for the app it may have made failed too (${describeError(lookFailure)}). Nothing is recorded. Check ListLiveMessageApps ` +
        `in ${desired.dataCenter} for a new app named ${JSON.stringify(name)}: if there is one, take it instead of creating ` +
        `another (${IMPORT_ADVICE}); otherwise run \`pulumi up\` again.`,
      cause,
    );
  }
  throw new ResourceError(
    ResourceErrorCodes.appAmbiguousCreate,
    `Creating app ${JSON.stringify(name)} failed (${describeError(cause)}); it may have reached the service, but no new app with ` +
      `this name appeared in ${desired.dataCenter} (looked ${look} time${look > 1 ? "s" : ""}), so nothing was created and ` +
      `nothing is recorded. CreateLiveMessageApp has no idempotency key, so it is never sent twice for one attempt: run ` +
      `\`pulumi up\` again.`,
    cause,
  );
}

export const appHandler: ResourceHandler = {
  async check(olds, news) {
    const inputs = appInputsWithDefaults(news);
    const failures = validateFields(inputs, { ...appRules, internal: APP_INTERNAL_FIELDS });
    if (!isUnknown(inputs.auditType) && inputs.auditType === 2 && !isUnknown(inputs.auditUrl) && inputs.auditUrl === "") {
      failures.push({
        property: "auditUrl",
        reason: "auditUrl is required when auditType is 2 (custom moderation): set it to your moderation hook's http(s) URL, or choose auditType 0 or 1.",
      });
    }
    if (!isUnknown(inputs.auditType) && inputs.auditType !== 2 && !isUnknown(inputs.auditUrl) && inputs.auditUrl !== "") {
      failures.push({
        property: "auditUrl",
        reason: "auditUrl is only used with auditType 2 (custom moderation): set auditType to 2, or remove auditUrl.",
      });
    }
    // The 300-apps-per-account quota needs a live count: only for otherwise valid input (issue 5).
    if (failures.length === 0) failures.push(...(await appQuotaFailures(olds, { key: appQuotaKey(news) })));
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const { changes, replaces } = diffFields(olds, appInputsWithDefaults(news), { replace: APP_REPLACE_FIELDS, update: APP_UPDATE_FIELDS });
    return { changes, replaces };
  },

  async create(inputs) {
    const desired = inputs as unknown as AppInputs;
    const client = await getClient();
    // What existed before the call began is never ours: the only safe way to recognise our own app after a lost answer.
    const before = new Set((await listApps(client, desired.dataCenter)).map((a) => a.AppId));
    let appId: string;
    const attempts = maybeProcessedTracker();
    try {
      const res = await CreateLiveMessageApp.invoke(client, {
        ...(desired.appName ? { AppName: desired.appName } : {}),
        AuditType: desired.auditType,
        ...(desired.auditType === 2 ? { AuditUrl: desired.auditUrl } : {}),
        ...(desired.eventCallbackUrl ? { EventCallbackUrl: desired.eventCallbackUrl } : {}),
        MsgLifeCycle: desired.msgLifeCycle,
        DataCenter: desired.dataCenter,
      }, { onRetry: attempts.onRetry });
      appId = res.AppId;
    } catch (e) {
      // Certainly not created by any attempt (refused, throttled throughout, a bug of ours): nothing to look for.
      if (!attempts.any && !mayHaveBeenProcessed(e)) throw e;
      appId = await identifyOwnApp(client, desired, before, e);
      log.info(`CreateLiveMessageApp got no usable answer, but exactly one new app matches it (${appId}): it is this create's.`);
    }
    claimedApps.add(appId);
    let state: AppState | undefined;
    try {
      state = await describe(client, appId, desired.dataCenter);
      await applySettings(client, appId, state, desired);
      state = await describe(client, appId, desired.dataCenter);
    } catch (e) {
      // The app exists: record it (Pulumi keeps it in state) and let the next update finish the settings. Unread, it
      // is recorded as the program asked (never placeholders, which would plan a replacement).
      const known = state ? { ...state, appName: desired.appName ?? state.appName } : { ...desired, appId, appKey: "", appSign: "", createTime: 0, modifyTime: 0 };
      throw new ResourceInitError(
        appId,
        defined({ ...known }),
        `App ${appId} was created, but applying its settings failed: ${describeError(e)}. It is recorded in the stack; run \`pulumi up\` again to finish.`,
        e,
      );
    }
    return { id: appId, outs: defined({ ...state, appName: desired.appName ?? state.appName }) };
  },

  async read(id, props) {
    const client = await getClient();
    const found = await probeDataCenters(recordedDataCenter(props), (dc) => describe(client, id, dc));
    if (!found) return { id: "", props: {}, inputs: {} };
    return { id, props: defined({ ...found.value }), inputs: inputsOf(found.value) };
  },

  async update(id, olds, news) {
    const desired = appInputsWithDefaults(news) as unknown as AppInputs;
    const client = await getClient();
    const current = await describe(client, id, desired.dataCenter);
    await applySettings(client, id, current, desired);
    const state = await describe(client, id, desired.dataCenter);
    return { outs: defined({ ...olds, ...state, appName: desired.appName ?? state.appName }) };
  },

  async delete(id, props) {
    const client = await getClient();
    const dataCenter = recordedDataCenter(props) ?? defaultDataCenter();
    try {
      await ModifyLiveMessageAppDisable.invoke(client, { AppId: id, DataCenter: dataCenter, Disable: true });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    log.warn(
      `App ${id} was disabled, not deleted: Alibaba Cloud has no API to delete a LiveMessage app, and a disabled app ` +
        `still counts toward the 300-apps-per-account quota. To leave apps untouched when they leave the stack, ` +
        `set the resource option retainOnDelete: true.`,
    );
  },
};

