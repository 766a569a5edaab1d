/**
 * `SeedMessage` (spec §7.1 SendLiveMessageGroup): every field declared once — type, doc, default, what a change does,
 * secret, validation rule. The package schema, the generated SDKs and reference, the TypeScript SDK's types, the
 * handler's validation and replace/update lists, and the native plugin's previews all follow from `seedMessageSpec`.
 */
import { z } from "zod";
import { MESSAGE_BODY_MAX_BYTES, SENDER_META_MAX_BYTES, type DataCenter } from "../../limits";
import { appIdField, boolField, dataCenterField, describeType, idField, intField, stringField } from "../../operations/common";
import { DataCenterEnum, WHEN_INACTIVE_MODES, WhenInactiveEnum, type WhenInactive } from "../enums";
import { inputNames, inputRules, replaceNames, updateNames, type ResourceSpec, type SameKeys } from "../fields";

export { WHEN_INACTIVE_MODES, type WhenInactive };
export const DEFAULT_WHEN_INACTIVE: WhenInactive = "fail";

/** `whenInactive: "wait"`: how long to wait for a user to join, and how often to look (seconds, fractions allowed). */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 300;
export const MAX_WAIT_TIMEOUT_SECONDS = 3600;
export const DEFAULT_WAIT_INTERVAL_SECONDS = 2;
export const MIN_WAIT_INTERVAL_SECONDS = 0.1;
export const MAX_WAIT_INTERVAL_SECONDS = 60;

/**
 * [U] §7.1: the type the service gives a message sent without `MsgType` is undocumented (the emulator uses 0). A
 * seed message always sends its type explicitly, so this default is what `msgType` means when omitted — and what
 * the 30-types-per-group quota check counts.
 */
export const DEFAULT_SEED_MSG_TYPE = 0;
/** §7.1 documented defaults. */
export const DEFAULT_WEIGHT = 1;
export const DEFAULT_STATICS_INCREASE = 1;

/** A finite number within [min, max]. */
function secondsField(min: number, max: number) {
  return z
    .number({ error: (i) => (i.input === undefined ? "is required (a number of seconds)" : `must be a number of seconds (got ${describeType(i.input)})`) })
    .superRefine((value, ctx) => {
      if (!Number.isFinite(value) || value < min || value > max) {
        ctx.addIssue({ code: "custom", message: `must be between ${min} and ${max} seconds (got ${value})` });
      }
    });
}

function whenInactiveField() {
  const allowed = WHEN_INACTIVE_MODES.map((m) => `"${m}"`).join(", ");
  return z
    .string({ error: (i) => `must be one of ${allowed} (got ${describeType(i.input)})` })
    .superRefine((value, ctx) => {
      if (!(WHEN_INACTIVE_MODES as readonly string[]).includes(value)) {
        ctx.addIssue({ code: "custom", message: `must be one of ${allowed} (got "${value.slice(0, 32)}")` });
      }
    });
}

export const seedMessageSpec = {
  name: "SeedMessage",
  doc:
    'A message sent once into a group (SendLiveMessageGroup) when an environment is provisioned, e.g. a welcome or a pinned notice. Its resource id is `"<appId>/<groupId>/<msgTid>"`.\n\n' +
    "`msgTid` is generated (and kept in the state) unless you set it, so a retried send never duplicates the message. The service accepts messages only while at least one user has joined the group: `whenInactive` says " +
    'what happens otherwise — `"fail"` (default), `"wait"` (look until a user joins, up to `waitTimeoutSeconds`) or ' +
    '`"defer"` (recorded with `delivered: false`; every later `pulumi up` tries again, shown as an update). Any change ' +
    "of the content sends a new message and deletes the old one; deleting the resource deletes the message (best effort).",
  idFormat: "<appId>/<groupId>/<msgTid>",
  examples: [
    {
      title: "A welcome message, sent once somebody has joined",
      typescript: [
        'import * as livemessage from "pulumi-alicloud-livemessage";',
        "",
        'const app = new livemessage.App("chat", { appName: "chat" });',
        'const lobby = new livemessage.Group("lobby", { appId: app.appId, groupName: "Lobby" });',
        'new livemessage.SeedMessage("welcome", {',
        "  appId: app.appId,",
        "  groupId: lobby.groupId,",
        '  senderId: "system",',
        '  body: JSON.stringify({ text: "Welcome!" }),',
        "  msgType: 1,",
        '  whenInactive: "defer",',
        "});",
      ].join("\n"),
      python: [
        "import json",
        "import pulumi_livemessage as livemessage",
        "",
        'app = livemessage.App("chat", app_name="chat")',
        'lobby = livemessage.Group("lobby", app_id=app.app_id, group_name="Lobby")',
        'livemessage.SeedMessage("welcome",',
        "    app_id=app.app_id,",
        "    group_id=lobby.group_id,",
        '    sender_id="system",',
        '    body=json.dumps({"text": "Welcome!"}),',
        "    msg_type=1,",
        '    when_inactive="defer")',
      ].join("\n"),
      go: [
        'app, err := livemessage.NewApp(ctx, "chat", &livemessage.AppArgs{AppName: pulumi.String("chat")})',
        "if err != nil {",
        "\treturn err",
        "}",
        'lobby, err := livemessage.NewGroup(ctx, "lobby", &livemessage.GroupArgs{AppId: app.AppId, GroupName: pulumi.String("Lobby")})',
        "if err != nil {",
        "\treturn err",
        "}",
        '_, err = livemessage.NewSeedMessage(ctx, "welcome", &livemessage.SeedMessageArgs{',
        "\tAppId:        app.AppId,",
        "\tGroupId:      lobby.GroupId,",
        '\tSenderId:     pulumi.String("system"),',
        '\tBody:         pulumi.String(`{"text":"Welcome!"}`),',
        "\tMsgType:      pulumi.Int(1),",
        "\tWhenInactive: livemessage.WhenInactiveDefer,",
        "})",
        "if err != nil {",
        "\treturn err",
        "}",
      ].join("\n"),
      yaml: [
        "resources:",
        "  chat:",
        "    type: livemessage:index:App",
        "    properties:",
        "      appName: chat",
        "  lobby:",
        "    type: livemessage:index:Group",
        "    properties:",
        "      appId: ${chat.appId}",
        "      groupName: Lobby",
        "  welcome:",
        "    type: livemessage:index:SeedMessage",
        "    properties:",
        "      appId: ${chat.appId}",
        "      groupId: ${lobby.groupId}",
        "      senderId: system",
        "      body:",
        "        fn::toJSON:",
        "          text: Welcome!",
        "      msgType: 1",
        "      whenInactive: defer",
      ].join("\n"),
    },
  ],
  fields: {
    appId: { type: "string", input: "required", change: "replace", doc: "The app of the group. Changing it replaces the message.", rule: appIdField() },
    groupId: {
      type: "string",
      input: "required",
      change: "replace",
      doc: "The group's `groupId` (not the Group resource's id). Changing it replaces the message.",
      rule: idField(),
    },
    senderId: {
      type: "string",
      input: "required",
      change: "replace",
      doc: 'The sending user\'s ID: letters and digits, at most 64 bytes (e.g. "system").',
      rule: idField(),
    },
    body: {
      type: "string",
      input: "optional",
      change: "replace",
      default: { value: "" },
      doc: "The message body, at most 15 KB (often JSON).",
      rule: stringField({ maxBytes: MESSAGE_BODY_MAX_BYTES }),
    },
    msgType: {
      type: "integer",
      input: "optional",
      change: "replace",
      default: { value: DEFAULT_SEED_MSG_TYPE },
      doc: `The message type, an integer the client apps agree on; a group holds at most 30 distinct types. Default ${DEFAULT_SEED_MSG_TYPE}.`,
      rule: intField(),
    },
    msgTid: {
      type: "string",
      input: "optional",
      change: "replace",
      default: { computed: '"seed" followed by 60 random letters and digits, new for every new content' },
      doc:
        "The message ID (letters and digits, at most 64 bytes). When omitted it is generated — unique to this resource " +
        "and this content — and kept in the state, so every retry of the send reuses it and can never duplicate the " +
        "message. A pinned msgTid must not be in use in the group, and cannot be reused for different content in the " +
        "same group (the service treats a repeated msgTid as a retry).",
      rule: idField(),
    },
    senderMetaInfo: {
      type: "string",
      input: "optional",
      change: "replace",
      default: { value: "" },
      doc: "Extension info about the sender, at most 512 bytes.",
      rule: stringField({ maxBytes: SENDER_META_MAX_BYTES }),
    },
    weight: {
      type: "integer",
      input: "optional",
      change: "replace",
      default: { value: DEFAULT_WEIGHT },
      doc: `Priority; the service suggests 1 for likes, 5 for chat, 1000000 for gifts. Default ${DEFAULT_WEIGHT}.`,
      rule: intField(),
    },
    staticsIncrease: {
      type: "integer",
      input: "optional",
      change: "replace",
      default: { value: DEFAULT_STATICS_INCREASE },
      doc: `How much the message adds to its type's counter (the group's \`msgAmount\`), 0 or more. Default ${DEFAULT_STATICS_INCREASE}.`,
      // [U] §7.1 documents no range; a negative increment is refused by the emulator, so it is refused here too.
      rule: intField({ min: 0 }),
    },
    noStorage: {
      type: "boolean",
      input: "optional",
      change: "replace",
      default: { value: false },
      doc: "true: not stored, so not listed by ListLiveMessageGroupMessages (and refresh cannot see it).",
      rule: boolField(),
    },
    noCache: {
      type: "boolean",
      input: "optional",
      change: "replace",
      default: { value: false },
      doc: "true: not kept in the group's recent-message cache.",
      rule: boolField(),
    },
    dataCenter: {
      type: { enum: DataCenterEnum },
      input: "optional",
      change: "replace",
      default: { region: true },
      doc: "The app's data center; default `livemessage:region`, else `cn-shanghai`. Changing it replaces the message.",
      rule: dataCenterField(),
    },
    whenInactive: {
      type: { enum: WhenInactiveEnum },
      input: "optional",
      change: "update",
      default: { value: DEFAULT_WHEN_INACTIVE },
      doc:
        'When the group has no joined user: "fail" (default) fails the deployment with an explanation; "wait" looks at ' +
        'the group until a user joins (up to `waitTimeoutSeconds`); "defer" records the message with `delivered: false` ' +
        "and every later `pulumi up` tries again until it is sent. Changing it never resends a message.",
      rule: whenInactiveField(),
    },
    waitTimeoutSeconds: {
      type: "number",
      input: "optional",
      change: "update",
      default: { value: DEFAULT_WAIT_TIMEOUT_SECONDS },
      doc: `With \`whenInactive: "wait"\`: give up after this many seconds (1–${MAX_WAIT_TIMEOUT_SECONDS}). Default ${DEFAULT_WAIT_TIMEOUT_SECONDS}.`,
      // At least one second: the group is looked at once more when the time is up.
      rule: secondsField(1, MAX_WAIT_TIMEOUT_SECONDS),
    },
    waitIntervalSeconds: {
      type: "number",
      input: "optional",
      change: "update",
      default: { value: DEFAULT_WAIT_INTERVAL_SECONDS },
      doc: `With \`whenInactive: "wait"\`: seconds between two looks at the group (${MIN_WAIT_INTERVAL_SECONDS}–${MAX_WAIT_INTERVAL_SECONDS}). Default ${DEFAULT_WAIT_INTERVAL_SECONDS}.`,
      rule: secondsField(MIN_WAIT_INTERVAL_SECONDS, MAX_WAIT_INTERVAL_SECONDS),
    },
    delivered: { type: "boolean", doc: "False while a deferred message waits for a user to join the group." },
    sentAt: { type: "integer", doc: "When the message was sent, Unix seconds (the service's timestamp when it is stored); 0 until delivered." },
    seqNumber: { type: "integer", doc: "The message's sequence number in the group (stored messages); 0 when unknown or not delivered." },
  },
} satisfies ResourceSpec;

/** Inputs after `check`: defaults filled in, `msgTid` generated when omitted. */
export interface SeedMessageInputs {
  appId: string;
  groupId: string;
  senderId: string;
  body: string;
  msgType: number;
  msgTid: string;
  senderMetaInfo: string;
  weight: number;
  staticsIncrease: number;
  noStorage: boolean;
  noCache: boolean;
  dataCenter: DataCenter;
  whenInactive: WhenInactive;
  waitTimeoutSeconds: number;
  waitIntervalSeconds: number;
}

/** Outputs: the inputs plus the delivery state. */
export interface SeedMessageState extends SeedMessageInputs {
  /** False while a deferred message waits for the group to become active, or while a send is not yet confirmed. */
  delivered: boolean;
  /** When the message was sent (Unix seconds; the service's timestamp when it is stored); 0 until it is sent. */
  sentAt: number;
  /** The message's sequence number in the group (stored messages; 0 when unknown or not delivered). */
  seqNumber: number;
}

/** `SeedMessageState` names exactly the declared fields: adding a field to one and not the other does not compile. */
export const SEED_STATE_IS_DECLARED: SameKeys<SeedMessageState, typeof seedMessageSpec.fields> = true;

export const SEED_REPLACE_FIELDS = replaceNames(seedMessageSpec);
/** How to deliver, not what: changed in place, never resends. */
export const SEED_UPDATE_FIELDS = updateNames(seedMessageSpec);
export const SEED_INPUT_FIELDS = inputNames(seedMessageSpec);
/** Fields of the message itself: any change sends a new message (under a new generated msgTid). */
export const SEED_CONTENT_FIELDS = SEED_REPLACE_FIELDS.filter((f) => f !== "msgTid");
/** The field `check` may generate. */
export const SEED_DERIVED_FIELD = "msgTid";
/** Internal inputs the SDK or `check` adds (kept in state, never sent to the API). */
export const SEED_INTERNAL_FIELDS = ["__resourceName", "__defaults"] as const;

export const seedMessageRules = inputRules(seedMessageSpec, SEED_INTERNAL_FIELDS);
