/**
 * `Group` (spec §5.1): every field declared once — type, doc, default, what a change does, secret, validation rule.
 * The package schema, the generated SDKs and reference, the TypeScript SDK's types, the handler's validation and
 * replace/update lists, and the native plugin's previews all follow from `groupSpec`.
 */
import { GROUP_INFO_MAX_BYTES, GROUP_NAME_MAX_BYTES, MAX_ADMINISTRATORS, type DataCenter } from "../../limits";
import { appIdField, boolField, dataCenterField, idField, stringField } from "../../operations/common";
import { DataCenterEnum } from "../enums";
import { inputNames, inputRules, replaceNames, updateNames, type ResourceSpec, type SameKeys } from "../fields";
import { optionalIdField, uniqueIdListField } from "../validate";

export const groupSpec = {
  name: "Group",
  doc:
    'A messaging group in an app. Its resource id is `"<appId>/<groupId>"`.\n\n' +
    "`administrators` and `groupInfo` are updated in place; `appId`, `groupId`, `groupName`, `creatorId` and " +
    "`dataCenter` force a replacement. `groupId` is generated from the resource name when omitted (and kept stable); " +
    "a deleted group ID can never be used again, so when you pin `groupId`, a change that would replace the group " +
    "fails the preview with the ways out. Deleting the resource soft-deletes the group (recoverable for 30 days with " +
    "`recoverDeleted`).",
  idFormat: "<appId>/<groupId>",
  examples: [
    {
      title: "A group with two administrators",
      typescript: [
        'import * as livemessage from "pulumi-alicloud-livemessage";',
        "",
        'const app = new livemessage.App("chat", { appName: "chat" });',
        'const lobby = new livemessage.Group("lobby", {',
        "  appId: app.appId,",
        '  groupName: "Lobby",',
        '  administrators: ["ops1", "ops2"],',
        '  groupInfo: JSON.stringify({ topic: "general" }),',
        "});",
        "export const groupId = lobby.groupId;",
      ].join("\n"),
      python: [
        "import json",
        "import pulumi",
        "import pulumi_livemessage as livemessage",
        "",
        'app = livemessage.App("chat", app_name="chat")',
        'lobby = livemessage.Group("lobby",',
        "    app_id=app.app_id,",
        '    group_name="Lobby",',
        '    administrators=["ops1", "ops2"],',
        '    group_info=json.dumps({"topic": "general"}))',
        'pulumi.export("groupId", lobby.group_id)',
      ].join("\n"),
      go: [
        'app, err := livemessage.NewApp(ctx, "chat", &livemessage.AppArgs{AppName: pulumi.String("chat")})',
        "if err != nil {",
        "\treturn err",
        "}",
        'lobby, err := livemessage.NewGroup(ctx, "lobby", &livemessage.GroupArgs{',
        "\tAppId:          app.AppId,",
        '\tGroupName:      pulumi.String("Lobby"),',
        '\tAdministrators: pulumi.StringArray{pulumi.String("ops1"), pulumi.String("ops2")},',
        '\tGroupInfo:      pulumi.String(`{"topic":"general"}`),',
        "})",
        "if err != nil {",
        "\treturn err",
        "}",
        'ctx.Export("groupId", lobby.GroupId)',
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
        "      administrators: [ops1, ops2]",
        "      groupInfo:",
        "        fn::toJSON:",
        "          topic: general",
        "outputs:",
        "  groupId: ${lobby.groupId}",
      ].join("\n"),
    },
  ],
  fields: {
    appId: {
      type: "string",
      input: "required",
      change: "replace",
      doc: "The app the group belongs to. Changing it replaces the group.",
      rule: appIdField(),
    },
    groupId: {
      type: "string",
      input: "optional",
      change: "replace",
      default: { computed: "the resource name (letters and digits) followed by 8 random letters and digits, kept stable across updates" },
      doc:
        "Letters and digits, at most 64 bytes, unique in the app. When omitted it is generated from the resource name " +
        "and kept stable across updates. A deleted group ID can never be used again, so a change that would replace a " +
        "group with a pinned `groupId` fails the preview.",
      rule: idField(),
    },
    groupName: {
      type: "string",
      input: "optional",
      change: "replace",
      default: { value: "" },
      doc: "The group's name, at most 128 bytes. Changing it replaces the group (the API cannot rename).",
      rule: stringField({ maxBytes: GROUP_NAME_MAX_BYTES }),
    },
    groupInfo: {
      type: "string",
      input: "optional",
      change: "update",
      default: { value: "" },
      doc: "Free-form extension data (often JSON), at most 32 KB. Updated in place.",
      rule: stringField({ maxBytes: GROUP_INFO_MAX_BYTES }),
    },
    administrators: {
      type: { array: "string" },
      input: "optional",
      change: "update",
      default: { value: [] },
      unordered: true,
      doc: "Up to 3 administrator user IDs (letters and digits), no duplicates; the order does not matter. Updated in place.",
      rule: uniqueIdListField(MAX_ADMINISTRATORS),
    },
    creatorId: {
      type: "string",
      input: "optional",
      change: "replace",
      default: { value: "" },
      doc: "The creating user's ID (letters and digits, at most 64 bytes). Changing it replaces the group.",
      rule: optionalIdField(),
    },
    dataCenter: {
      type: { enum: DataCenterEnum },
      input: "optional",
      change: "replace",
      default: { region: true },
      doc: "The app's data center; default `livemessage:region`, else `cn-shanghai`. Changing it replaces the group.",
      rule: dataCenterField(),
    },
    adopt: {
      type: "boolean",
      input: "optional",
      change: "update",
      default: { value: false },
      doc: "Take over a group with this `groupId` that already exists (made outside this stack) instead of failing; its administrators and groupInfo are then set to your values.",
      rule: boolField(),
    },
    recoverDeleted: {
      type: "boolean",
      input: "optional",
      change: "update",
      default: { value: false },
      doc: "If this `groupId` belongs to a deleted group (within 30 days of its deletion), recover it instead of failing.",
      rule: boolField(),
    },
    createTime: { type: "integer", stable: true, doc: "When the group was created, Unix seconds." },
    superLargeGroup: { type: "boolean", doc: "True once the group has had more than 2,000 members (its member list is no longer queryable)." },
    onlineUserCounts: { type: "integer", counter: true, doc: "Users online in the group at the last create, update or refresh; never a difference." },
    totalTimes: { type: "integer", counter: true, doc: "Total sessions in the group at the last create, update or refresh; never a difference." },
    msgAmount: { type: { map: "integer" }, counter: true, doc: 'Messages sent per message type ("type" → count) at the last create, update or refresh; never a difference.' },
  },
} satisfies ResourceSpec;

/** Inputs after `check`: defaults filled in, `groupId` generated when omitted. */
export interface GroupInputs {
  appId: string;
  groupId: string;
  groupName: string;
  groupInfo: string;
  administrators: string[];
  creatorId: string;
  dataCenter: DataCenter;
  adopt: boolean;
  recoverDeleted: boolean;
}

/** Outputs: the inputs plus what the service computes. Counters are refreshed but never cause a diff. */
export interface GroupState extends GroupInputs {
  /** When the group was created, Unix seconds. */
  createTime: number;
  /** True once the group has had more than 2,000 members (its member list is no longer queryable). */
  superLargeGroup: boolean;
  /** Users online in the group (at the last create, update or refresh). */
  onlineUserCounts: number;
  /** Total sessions. */
  totalTimes: number;
  /** Messages sent per message type ("type" → count). */
  msgAmount: Record<string, number>;
}

/** `GroupState` names exactly the declared fields: adding a field to one and not the other does not compile. */
export const GROUP_STATE_IS_DECLARED: SameKeys<GroupState, typeof groupSpec.fields> = true;

export const GROUP_REPLACE_FIELDS = replaceNames(groupSpec);
export const GROUP_UPDATE_FIELDS = updateNames(groupSpec);
export const GROUP_INPUT_FIELDS = inputNames(groupSpec);
/** Fields whose values a user can pin; `groupId` is the only one that is generated. */
export const GROUP_AUTONAMED_FIELD = "groupId";

/** Internal inputs the SDK or `check` adds (kept in state, never sent to the API). */
export const GROUP_INTERNAL_FIELDS = ["__resourceName", "__defaults"] as const;

export const groupRules = inputRules(groupSpec, GROUP_INTERNAL_FIELDS);
