/**
 * What the native provider needs to know about each resource kind beyond its handler: the type token, which inputs
 * force a replacement, which outputs are secret, computed, or stable through an update, and the defaults `check`
 * fills in (left out of the inputs of an imported resource, so generated code shows only what differs).
 */
import { appHandler } from "../provider/resources/app/handler";
import { APP_INPUT_FIELDS, APP_REPLACE_FIELDS } from "../provider/resources/app/schema";
import { defaultDataCenter } from "../provider/resources/config";
import { groupHandler } from "../provider/resources/group/handler";
import { GROUP_INPUT_FIELDS, GROUP_REPLACE_FIELDS } from "../provider/resources/group/schema";
import type { ResourceHandler } from "../provider/resources/handler";
import type { PropertyBag } from "../provider/resources/property-bag";
import { seedMessageHandler } from "../provider/resources/seed-message/handler";
import {
  DEFAULT_SEED_MSG_TYPE,
  DEFAULT_STATICS_INCREASE,
  DEFAULT_WAIT_INTERVAL_SECONDS,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  DEFAULT_WEIGHT,
  DEFAULT_WHEN_INACTIVE,
  SEED_INPUT_FIELDS,
  SEED_REPLACE_FIELDS,
} from "../provider/resources/seed-message/schema";

export const PACKAGE = "livemessage";

export interface NativeResourceKind {
  readonly token: string;
  readonly handler: ResourceHandler;
  readonly inputFields: readonly string[];
  readonly replaceFields: readonly string[];
  /** Inputs compared as sets (the service may return them in another order). */
  readonly unorderedInputs: readonly string[];
  /** Outputs that are always secret. */
  readonly secretOutputs: readonly string[];
  /** Outputs the service computes: unknown in the preview of a create. */
  readonly computedOutputs: readonly string[];
  /** Computed outputs an in-place update never changes: kept known in the preview of an update. */
  readonly stableOutputs: readonly string[];
  /** The values `check` fills in for omitted inputs. */
  defaults(): PropertyBag;
  /** What the dynamic SDK's class does to the inputs on the program side, done here for the native path. */
  prepare?(news: PropertyBag, resourceName: string): PropertyBag;
}

/** AppName must be 2–16 characters: the resource name, cut to 16; none when shorter than 2. */
export function defaultAppName(resourceName: string): string | undefined {
  const chars = [...resourceName].slice(0, 16);
  return chars.length >= 2 ? chars.join("") : undefined;
}

export const NATIVE_RESOURCES: readonly NativeResourceKind[] = [
  {
    token: `${PACKAGE}:index:App`,
    handler: appHandler,
    inputFields: APP_INPUT_FIELDS,
    replaceFields: APP_REPLACE_FIELDS,
    unorderedInputs: [],
    secretOutputs: ["appKey", "appSign"],
    computedOutputs: ["appId", "appKey", "appSign", "createTime", "modifyTime"],
    stableOutputs: ["appId", "appKey", "appSign", "createTime"],
    defaults: () => ({ dataCenter: defaultDataCenter(), msgLifeCycle: 0, auditType: 0, auditUrl: "", eventCallbackUrl: "", disabled: false }),
    prepare(news, resourceName) {
      const appName = news.appName ?? defaultAppName(resourceName);
      return appName === undefined ? news : { ...news, appName };
    },
  },
  {
    token: `${PACKAGE}:index:Group`,
    handler: groupHandler,
    inputFields: GROUP_INPUT_FIELDS,
    replaceFields: GROUP_REPLACE_FIELDS,
    unorderedInputs: ["administrators"],
    secretOutputs: [],
    computedOutputs: ["createTime", "superLargeGroup", "onlineUserCounts", "totalTimes", "msgAmount"],
    stableOutputs: ["createTime"],
    defaults: () => ({
      groupName: "",
      groupInfo: "",
      administrators: [],
      creatorId: "",
      dataCenter: defaultDataCenter(),
      adopt: false,
      recoverDeleted: false,
    }),
  },
  {
    token: `${PACKAGE}:index:SeedMessage`,
    handler: seedMessageHandler,
    inputFields: SEED_INPUT_FIELDS,
    replaceFields: SEED_REPLACE_FIELDS,
    unorderedInputs: [],
    secretOutputs: [],
    computedOutputs: ["delivered", "sentAt", "seqNumber"],
    stableOutputs: [],
    defaults: () => ({
      body: "",
      msgType: DEFAULT_SEED_MSG_TYPE,
      senderMetaInfo: "",
      weight: DEFAULT_WEIGHT,
      staticsIncrease: DEFAULT_STATICS_INCREASE,
      noStorage: false,
      noCache: false,
      dataCenter: defaultDataCenter(),
      whenInactive: DEFAULT_WHEN_INACTIVE,
      waitTimeoutSeconds: DEFAULT_WAIT_TIMEOUT_SECONDS,
      waitIntervalSeconds: DEFAULT_WAIT_INTERVAL_SECONDS,
    }),
  },
];
