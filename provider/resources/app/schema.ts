/**
 * `App` inputs and outputs (lowerCamelCase) and their validation rules (spec §3.1).
 */
import type { DataCenter } from "../../limits";
import { appNameField, auditTypeField, boolField, callbackUrlField, dataCenterField, msgLifeCycleField } from "../../operations/common";
import type { FieldRules } from "../validate";

/** What a user writes. */
export interface AppArgs {
  /** Display name, 2–16 characters. Changing it replaces the app (there is no rename API). */
  appName?: string;
  /** `cn-shanghai` (default, or `livemessage:region`) or `ap-southeast-1`. Changing it replaces the app. */
  dataCenter?: DataCenter;
  /** Message retention: 0 = 30 days (default), 1 = 90 days, 2 = 180 days. Changing it replaces the app. */
  msgLifeCycle?: 0 | 1 | 2;
  /** Moderation: 0 none (default), 1 built-in, 2 custom (needs `auditUrl`). Updated in place. */
  auditType?: 0 | 1 | 2;
  /** Custom moderation hook (http/https, no port, no private address); required when `auditType` is 2. */
  auditUrl?: string;
  /** Event callback URL (http/https, no port, no private address); empty turns callbacks off. Updated in place. */
  eventCallbackUrl?: string;
  /** Disable (true) or re-enable (false) the app. Updated in place. */
  disabled?: boolean;
}

/** Inputs after `check`: every default filled in. */
export interface AppInputs {
  appName?: string;
  dataCenter: DataCenter;
  msgLifeCycle: 0 | 1 | 2;
  auditType: 0 | 1 | 2;
  auditUrl: string;
  eventCallbackUrl: string;
  disabled: boolean;
}

/** Outputs: the inputs plus what the service computes. `appKey` and `appSign` are secrets. */
export interface AppState extends AppInputs {
  /** The app ID issued by the service; also the resource id. */
  appId: string;
  /** Secret key for token authentication of client SDK users (a secret output). */
  appKey: string;
  /** Credential string for the client SDK (a secret output). */
  appSign: string;
  /** When the app was created, Unix seconds. */
  createTime: number;
  /** When the app was last modified, Unix seconds. */
  modifyTime: number;
}

export const APP_REPLACE_FIELDS = ["appName", "dataCenter", "msgLifeCycle"] as const;
export const APP_UPDATE_FIELDS = ["auditType", "auditUrl", "eventCallbackUrl", "disabled"] as const;
export const APP_INPUT_FIELDS = [...APP_REPLACE_FIELDS, ...APP_UPDATE_FIELDS] as const;

export const appRules: FieldRules = {
  fields: {
    appName: appNameField(),
    dataCenter: dataCenterField(),
    msgLifeCycle: msgLifeCycleField(),
    auditType: auditTypeField(),
    auditUrl: callbackUrlField({ allowEmpty: true }),
    eventCallbackUrl: callbackUrlField({ allowEmpty: true }),
    disabled: boolField(),
  },
};
