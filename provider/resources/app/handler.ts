/**
 * `App` lifecycle (DESIGN.md semantics table):
 * create = CreateLiveMessageApp (+ disable when asked); read = DescribeLiveMessageApp; update in place = audit,
 * callback URL, disabled; replace = appName, dataCenter, msgLifeCycle; delete = disable + warning (no delete API).
 */
import { LiveApiError, LiveNetworkError, LiveTimeoutError } from "../../client/errors";
import type { LiveClient } from "../../client/live-client";
import { DATA_CENTERS, type DataCenter } from "../../limits";
import {
  CreateLiveMessageApp,
  DescribeLiveMessageApp,
  ListLiveMessageApps,
  ModifyLiveMessageAppAudit,
  ModifyLiveMessageAppCallback,
  ModifyLiveMessageAppDisable,
} from "../../operations";
import { defaultDataCenter, getClient } from "../config";
import { ResourceError, ResourceErrorCodes, ResourceInitError, describeError } from "../errors";
import { diffFields, type ResourceHandler } from "../handler";
import { log } from "../log";
import { defined, type PropertyBag } from "../property-bag";
import { validateFields } from "../validate";
import { isUnknown } from "../unknown";
import { appQuotaFailures } from "../quota/quota";
import { APP_INPUT_FIELDS, APP_REPLACE_FIELDS, APP_UPDATE_FIELDS, appRules, type AppInputs, type AppState } from "./schema";

type DescribeResult = Awaited<ReturnType<typeof DescribeLiveMessageApp.invoke>>;

/** How far back (seconds) an unconfirmed create looks for the app it may have made. */
const UNCONFIRMED_CREATE_LOOKBACK_SECONDS = 120;

function isNotFound(e: unknown): boolean {
  return e instanceof LiveApiError && e.code === "ResourceNotExist";
}

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

/**
 * Describes an app, trying the given data center first and — when the caller did not pin one (import by id) —
 * the others. Returns undefined when the app exists nowhere.
 */
async function findApp(client: LiveClient, appId: string, dataCenter: DataCenter | undefined): Promise<AppState | undefined> {
  const order = dataCenter ? [dataCenter] : [defaultDataCenter(), ...DATA_CENTERS.filter((d) => d !== defaultDataCenter())];
  for (const dc of order) {
    try {
      return await describe(client, appId, dc);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return undefined;
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
 * CreateLiveMessageApp has no idempotency token, so the client does not resend it after a failure where the
 * service may have acted. Look for the app such a lost create may have made: same name and data center, created
 * since just before we sent it. Exactly one match is adopted; otherwise the failure is reported with advice.
 */
async function findUnconfirmedCreate(client: LiveClient, desired: AppInputs, sentAtSeconds: number): Promise<string | undefined> {
  if (!desired.appName) return undefined;
  const matches: string[] = [];
  let token: number | undefined;
  for (let page = 0; page < 5; page++) {
    const res = await ListLiveMessageApps.invoke(client, {
      SortType: 2,
      DataCenter: desired.dataCenter,
      ...(token !== undefined ? { NextPageToken: token } : {}),
    });
    let older = false;
    for (const app of res.AppList ?? []) {
      if ((app.CreateTime ?? 0) < sentAtSeconds - UNCONFIRMED_CREATE_LOOKBACK_SECONDS) {
        older = true;
        continue;
      }
      if (app.AppName === desired.appName) matches.push(app.AppId);
    }
    if (older || !res.HasMore || res.NextPageToken === undefined) break;
    token = res.NextPageToken;
  }
  return matches.length === 1 ? matches[0] : undefined;
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
    const sentAt = Math.floor(Date.now() / 1000);
    let appId: string;
    try {
      const res = await CreateLiveMessageApp.invoke(
        client,
        {
          ...(desired.appName ? { AppName: desired.appName } : {}),
          AuditType: desired.auditType,
          ...(desired.auditType === 2 ? { AuditUrl: desired.auditUrl } : {}),
          ...(desired.eventCallbackUrl ? { EventCallbackUrl: desired.eventCallbackUrl } : {}),
          MsgLifeCycle: desired.msgLifeCycle,
          DataCenter: desired.dataCenter,
        },
      );
      appId = res.AppId;
    } catch (e) {
      const unconfirmed =
        e instanceof LiveNetworkError || e instanceof LiveTimeoutError || (e instanceof LiveApiError && e.httpStatus >= 500);
      if (!unconfirmed) throw e;
      const found = await findUnconfirmedCreate(client, desired, sentAt).catch(() => undefined);
      if (!found) {
        throw new ResourceError(
          ResourceErrorCodes.appAmbiguousCreate,
          `Creating app ${JSON.stringify(desired.appName ?? "")} may or may not have succeeded (${describeError(e)}), and no matching ` +
            `new app could be found. Check ListLiveMessageApps for a new app with this name; if there is one, import it ` +
            `(opts.import = its AppId) instead of creating another, otherwise run the update again.`,
          e,
        );
      }
      log.info(`CreateLiveMessageApp's response was lost; found the app it created (${found}) and took it over.`);
      appId = found;
    }
    let state: AppState | undefined;
    try {
      state = await describe(client, appId, desired.dataCenter);
      await applySettings(client, appId, state, desired);
      state = await describe(client, appId, desired.dataCenter);
    } catch (e) {
      // The app exists: record it (Pulumi keeps it in state) and let the next update finish the settings.
      const known = state ? { ...state } : { ...desired, appId, appKey: "", appSign: "", createTime: 0, modifyTime: 0 };
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
    const pinned = typeof props.dataCenter === "string" ? (props.dataCenter as DataCenter) : undefined;
    const state = await findApp(client, id, pinned);
    if (!state) return { id: "", props: {}, inputs: {} };
    return { id, props: defined({ ...state }), inputs: inputsOf(state) };
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
    const dataCenter = (typeof props.dataCenter === "string" ? props.dataCenter : defaultDataCenter()) as DataCenter;
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

