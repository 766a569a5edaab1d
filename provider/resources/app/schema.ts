/**
 * `App` (spec §3.1): every field declared once — type, doc, default, what a change does, secret, validation rule.
 * The package schema, the generated SDKs and reference, the TypeScript SDK's types, the handler's validation and
 * replace/update lists, and the native plugin's secrets and previews all follow from `appSpec`.
 */
import type { DataCenter } from "../../limits";
import { appNameField, auditTypeField, boolField, callbackUrlField, dataCenterField, msgLifeCycleField } from "../../operations/common";
import { AuditTypeEnum, DataCenterEnum, MsgLifeCycleEnum } from "../enums";
import { inputNames, inputRules, replaceNames, updateNames, type ResourceSpec, type SameKeys } from "../fields";

const URL_RULES = "http:// or https://, no port, not a private or loopback address";

export const appSpec = {
  name: "App",
  doc:
    "A LiveMessage (interactive messaging) app: the container of groups, with its own keys for the client SDKs.\n\n" +
    "Changing `appName`, `dataCenter` or `msgLifeCycle` replaces the app (the API cannot change them); moderation " +
    "(`auditType`, `auditUrl`), the event callback URL and `disabled` are updated in place. Alibaba Cloud has no API " +
    "to delete an app: deleting this resource **disables** the app and warns; set the `retainOnDelete` resource " +
    "option to leave it untouched instead.",
  idFormat: "<appId>",
  examples: [
    {
      title: "An app in Shanghai that keeps messages 90 days",
      typescript: [
        'import * as livemessage from "pulumi-alicloud-livemessage";',
        "",
        'const app = new livemessage.App("chat", { appName: "chat", dataCenter: "cn-shanghai", msgLifeCycle: 1 });',
        "export const appId = app.appId;",
        "export const appKey = app.appKey; // a secret output",
      ].join("\n"),
      python: [
        "import pulumi",
        "import pulumi_livemessage as livemessage",
        "",
        'app = livemessage.App("chat", app_name="chat", data_center="cn-shanghai", msg_life_cycle=1)',
        'pulumi.export("appId", app.app_id)',
        'pulumi.export("appKey", app.app_key)  # a secret output',
      ].join("\n"),
      go: [
        "app, err := livemessage.NewApp(ctx, \"chat\", &livemessage.AppArgs{",
        '\tAppName:      pulumi.String("chat"),',
        "\tDataCenter:   livemessage.DataCenterCnShanghai,",
        "\tMsgLifeCycle: livemessage.MsgLifeCycleDays90,",
        "})",
        "if err != nil {",
        "\treturn err",
        "}",
        'ctx.Export("appId", app.AppId)',
        'ctx.Export("appKey", app.AppKey) // a secret output',
      ].join("\n"),
      yaml: [
        "resources:",
        "  chat:",
        "    type: livemessage:index:App",
        "    properties:",
        "      appName: chat",
        "      dataCenter: cn-shanghai",
        "      msgLifeCycle: 1",
        "outputs:",
        "  appId: ${chat.appId}",
        "  appKey: ${chat.appKey} # a secret output",
      ].join("\n"),
    },
  ],
  fields: {
    appName: {
      type: "string",
      input: "optional",
      change: "replace",
      default: { computed: "the resource name, cut to 16 characters" },
      maybeAbsent: true,
      doc: "The app's display name, 2–16 characters. Changing it replaces the app (there is no rename API).",
      rule: appNameField(),
    },
    dataCenter: {
      type: { enum: DataCenterEnum },
      input: "optional",
      change: "replace",
      default: { region: true },
      doc: "The data center: `cn-shanghai` or `ap-southeast-1`; default `livemessage:region`, else `cn-shanghai`. Changing it replaces the app.",
      rule: dataCenterField(),
    },
    msgLifeCycle: {
      type: { enum: MsgLifeCycleEnum },
      input: "optional",
      change: "replace",
      default: { value: 0 },
      doc: "Message retention: 0 = 30 days (default), 1 = 90 days, 2 = 180 days. Changing it replaces the app.",
      rule: msgLifeCycleField(),
    },
    auditType: {
      type: { enum: AuditTypeEnum },
      input: "optional",
      change: "update",
      default: { value: 0 },
      doc: "Moderation: 0 none (default), 1 built-in, 2 custom (needs `auditUrl`). Updated in place.",
      rule: auditTypeField(),
    },
    auditUrl: {
      type: "string",
      input: "optional",
      change: "update",
      default: { value: "" },
      doc: `The custom moderation hook, required with \`auditType\` 2 and only then (${URL_RULES}). Updated in place.`,
      rule: callbackUrlField({ allowEmpty: true }),
    },
    eventCallbackUrl: {
      type: "string",
      input: "optional",
      change: "update",
      default: { value: "" },
      doc: `Where the service posts login, logout, join and leave events (${URL_RULES}); empty turns callbacks off. Updated in place.`,
      rule: callbackUrlField({ allowEmpty: true }),
    },
    disabled: {
      type: "boolean",
      input: "optional",
      change: "update",
      default: { value: false },
      doc: "Disable (true) or re-enable (false) the app: a disabled app takes no runtime traffic. Updated in place.",
      rule: boolField(),
    },
    appId: { type: "string", stable: true, doc: "The app ID issued by the service; also the resource id." },
    appKey: { type: "string", secret: true, stable: true, doc: "The key for token authentication of client SDK users (a secret)." },
    appSign: { type: "string", secret: true, stable: true, doc: "The credential string for the client SDK (a secret)." },
    createTime: { type: "integer", stable: true, doc: "When the app was created, Unix seconds." },
    modifyTime: { type: "integer", doc: "When the app was last modified, Unix seconds." },
  },
} satisfies ResourceSpec;

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

/** `AppState` names exactly the declared fields: adding a field to one and not the other does not compile. */
export const APP_STATE_IS_DECLARED: SameKeys<AppState, typeof appSpec.fields> = true;

export const APP_REPLACE_FIELDS = replaceNames(appSpec);
export const APP_UPDATE_FIELDS = updateNames(appSpec);
export const APP_INPUT_FIELDS = inputNames(appSpec);
export const appRules = inputRules(appSpec);
