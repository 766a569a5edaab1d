/**
 * `SeedMessage` inputs and outputs (lowerCamelCase) and their validation rules (spec §7.1 SendLiveMessageGroup).
 */
import { z } from "zod";
import { MESSAGE_BODY_MAX_BYTES, SENDER_META_MAX_BYTES, type DataCenter } from "../../limits";
import { appIdField, boolField, dataCenterField, describeType, idField, intField, stringField } from "../../operations/common";
import type { FieldRules } from "../validate";

/** What to do when the group has no joined user (the service only accepts messages to an active group, §2.4). */
export const WHEN_INACTIVE_MODES = ["fail", "wait", "defer"] as const;
export type WhenInactive = (typeof WHEN_INACTIVE_MODES)[number];
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

/** What a user writes. */
export interface SeedMessageArgs {
  /** The app of the group. Changing it replaces the message. */
  appId: string;
  /** The group's `groupId` (not the Group resource's id). Changing it replaces the message. */
  groupId: string;
  /** The sending user's ID: letters and digits, at most 64 bytes (e.g. "system"). */
  senderId: string;
  /** The message body, at most 15 KB (often JSON). Default "". */
  body?: string;
  /** The message type (an integer the client apps agree on); a group can hold at most 30 distinct types. Default 0. */
  msgType?: number;
  /**
   * The message ID (letters and digits, at most 64 bytes). Default: generated ("seed" + 60 random letters and digits),
   * unique to this resource and this content, and kept in the state, so every retry of the send reuses it and can never
   * duplicate the message. A pinned msgTid must not be in use in the group, and cannot be reused for different content
   * in the same group (the service treats a repeated msgTid as a retry).
   */
  msgTid?: string;
  /** Extension info about the sender, at most 512 bytes. Default "". */
  senderMetaInfo?: string;
  /** Priority; the service's guidance is 1 for likes, 5 for ordinary chat, 1000000 for gifts. Default 1. */
  weight?: number;
  /** How much this message adds to its type's counter (MsgAmount); 0 or more. Default 1. */
  staticsIncrease?: number;
  /** true: not stored (not listed by ListLiveMessageGroupMessages, so refresh cannot see it). Default false. */
  noStorage?: boolean;
  /** true: not kept in the group's recent-message cache. Default false. */
  noCache?: boolean;
  /** The app's data center; default `livemessage:region`, else `cn-shanghai`. Changing it replaces the message. */
  dataCenter?: DataCenter;
  /**
   * When the group has no joined user: "fail" (default) fails the deployment with an explanation; "wait" polls the
   * group until a user joins (up to `waitTimeoutSeconds`); "defer" records the message with `delivered: false` and
   * every later `pulumi up` tries again (shown as an update) until it is sent. Changing it never resends a message.
   */
  whenInactive?: WhenInactive;
  /** `whenInactive: "wait"`: give up after this many seconds (at most 3600). Default 300. */
  waitTimeoutSeconds?: number;
  /** `whenInactive: "wait"`: seconds between two looks at the group (0.1–60). Default 2. */
  waitIntervalSeconds?: number;
}

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

/** Fields of the message itself: any change sends a new message (under a new generated msgTid). */
export const SEED_CONTENT_FIELDS = [
  "appId",
  "groupId",
  "dataCenter",
  "senderId",
  "senderMetaInfo",
  "body",
  "msgType",
  "weight",
  "staticsIncrease",
  "noStorage",
  "noCache",
] as const;
export const SEED_REPLACE_FIELDS = [...SEED_CONTENT_FIELDS, "msgTid"] as const;
/** How to deliver, not what: changed in place, never resends. */
export const SEED_UPDATE_FIELDS = ["whenInactive", "waitTimeoutSeconds", "waitIntervalSeconds"] as const;
export const SEED_INPUT_FIELDS = [...SEED_REPLACE_FIELDS, ...SEED_UPDATE_FIELDS] as const;
/** The field `check` may generate. */
export const SEED_DERIVED_FIELD = "msgTid";
/** Internal inputs the SDK or `check` adds (kept in state, never sent to the API). */
export const SEED_INTERNAL_FIELDS = ["__resourceName", "__defaults"] as const;

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

export const seedMessageRules: FieldRules = {
  fields: {
    appId: appIdField(),
    groupId: idField(),
    senderId: idField(),
    body: stringField({ maxBytes: MESSAGE_BODY_MAX_BYTES }),
    msgType: intField(),
    msgTid: idField(),
    senderMetaInfo: stringField({ maxBytes: SENDER_META_MAX_BYTES }),
    weight: intField(),
    // [U] §7.1 documents no range; a negative increment is refused by the emulator, so it is refused here too.
    staticsIncrease: intField({ min: 0 }),
    noStorage: boolField(),
    noCache: boolField(),
    dataCenter: dataCenterField(),
    whenInactive: whenInactiveField(),
    // At least one second: the group is looked at once more when the time is up.
    waitTimeoutSeconds: secondsField(1, MAX_WAIT_TIMEOUT_SECONDS),
    waitIntervalSeconds: secondsField(MIN_WAIT_INTERVAL_SECONDS, MAX_WAIT_INTERVAL_SECONDS),
  },
  required: ["appId", "groupId", "senderId"],
  internal: SEED_INTERNAL_FIELDS,
};
