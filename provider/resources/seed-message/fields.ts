/**
 * `SeedMessage`: every field declared once (type, doc, default, change, secret, rule) — spec §7.1.
 */
import { MESSAGE_BODY_MAX_BYTES, SENDER_META_MAX_BYTES } from "../../limits";
import { appIdField, boolField, dataCenterField, idField, intField, stringField } from "../../operations/common";
import { DataCenterEnum, WhenInactiveEnum } from "../enums";
import type { ResourceSpec } from "../fields";
import {
  DEFAULT_SEED_MSG_TYPE,
  DEFAULT_STATICS_INCREASE,
  DEFAULT_WAIT_INTERVAL_SECONDS,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  DEFAULT_WEIGHT,
  DEFAULT_WHEN_INACTIVE,
  MAX_WAIT_INTERVAL_SECONDS,
  MAX_WAIT_TIMEOUT_SECONDS,
  MIN_WAIT_INTERVAL_SECONDS,
  seedMessageRules,
} from "./schema";

const rule = (name: string) => seedMessageRules.fields[name]!;

export const seedMessageSpec: ResourceSpec = {
  name: "SeedMessage",
  doc:
    'A message sent once into a group (SendLiveMessageGroup) when an environment is provisioned, e.g. a welcome or a pinned notice. Its resource id is `"<appId>/<groupId>/<msgTid>"`.\n\n' +
    "`msgTid` is derived from the resource name and the content unless you set it, so a retried send never duplicates " +
    "the message. The service accepts messages only while at least one user has joined the group: `whenInactive` says " +
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
      default: { computed: 'derived from the resource name and the content: "seed" followed by 60 hex digits' },
      doc:
        "The message ID (letters and digits, at most 64 bytes). Default: derived from the resource name and the " +
        'content ("seed" + 60 hex digits), so a retried send can never duplicate the message. A pinned msgTid cannot ' +
        "be reused for different content in the same group (the service treats a repeated msgTid as a retry).",
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
      rule: rule("staticsIncrease"),
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
      rule: rule("whenInactive"),
    },
    waitTimeoutSeconds: {
      type: "number",
      input: "optional",
      change: "update",
      default: { value: DEFAULT_WAIT_TIMEOUT_SECONDS },
      doc: `With \`whenInactive: "wait"\`: give up after this many seconds (1–${MAX_WAIT_TIMEOUT_SECONDS}). Default ${DEFAULT_WAIT_TIMEOUT_SECONDS}.`,
      rule: rule("waitTimeoutSeconds"),
    },
    waitIntervalSeconds: {
      type: "number",
      input: "optional",
      change: "update",
      default: { value: DEFAULT_WAIT_INTERVAL_SECONDS },
      doc: `With \`whenInactive: "wait"\`: seconds between two looks at the group (${MIN_WAIT_INTERVAL_SECONDS}–${MAX_WAIT_INTERVAL_SECONDS}). Default ${DEFAULT_WAIT_INTERVAL_SECONDS}.`,
      rule: rule("waitIntervalSeconds"),
    },
    delivered: { type: "boolean", doc: "False while a deferred message waits for a user to join the group." },
    sentAt: { type: "integer", doc: "When the message was sent, Unix seconds (the service's timestamp when it is stored); 0 until delivered." },
    seqNumber: { type: "integer", doc: "The message's sequence number in the group (stored messages); 0 when unknown or not delivered." },
  },
};
