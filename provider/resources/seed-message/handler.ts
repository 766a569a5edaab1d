/**
 * `SeedMessage` lifecycle (DESIGN.md semantics table, issue 5):
 * create = SendLiveMessageGroup with a deterministic MsgTid (a retried send is a retry, never a second message),
 * honouring `whenInactive` when the group has no joined user; read = ListLiveMessageGroupMessages (gone → dropped
 * from the stack; `noStorage` or deferred messages keep their last known state); update = only delivery of a
 * deferred message and the delivery settings; any content change replaces; delete = DeleteLiveMessageGroupMessage,
 * best effort.
 */
import { createHash } from "node:crypto";
import { LiveApiError } from "../../client/errors";
import type { LiveClient } from "../../client/live-client";
import {
  DATA_CENTERS,
  MAX_ID_BYTES,
  MAX_MSG_TYPES_PER_GROUP,
  MSG_LIFE_CYCLE_DAYS,
  TIMESTAMP_SKEW_SECONDS,
  TOKEN_PAGE_SIZE_MAX,
  type DataCenter,
} from "../../limits";
import {
  DeleteLiveMessageGroupMessage,
  DescribeLiveMessageApp,
  DescribeLiveMessageGroup,
  ListLiveMessageGroupMessages,
  SendLiveMessageGroup,
} from "../../operations";
import { defaultDataCenter, getClient } from "../config";
import { ResourceError, ResourceErrorCodes, describeError } from "../errors";
import { diffFields, type ResourceHandler } from "../handler";
import { log } from "../log";
import { defined, sameValue, type PropertyBag } from "../property-bag";
import { msgTypeQuotaFailures } from "../quota/quota";
import { UNKNOWN, containsUnknown, isUnknown } from "../unknown";
import { validateFields, type CheckFailure } from "../validate";
import {
  DEFAULT_SEED_MSG_TYPE,
  DEFAULT_STATICS_INCREASE,
  DEFAULT_WAIT_INTERVAL_SECONDS,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  DEFAULT_WEIGHT,
  DEFAULT_WHEN_INACTIVE,
  SEED_CONTENT_FIELDS,
  SEED_DERIVED_FIELD,
  SEED_INPUT_FIELDS,
  SEED_INTERNAL_FIELDS,
  SEED_REPLACE_FIELDS,
  SEED_UPDATE_FIELDS,
  seedMessageRules,
  type SeedMessageInputs,
  type SeedMessageState,
} from "./schema";

type Message = NonNullable<Awaited<ReturnType<typeof ListLiveMessageGroupMessages.invoke>>["MessageList"]>[number];

/** Prefix of a derived msgTid; the rest is hex of SHA-256, cut so the whole is exactly MAX_ID_BYTES (§2.4). */
export const DERIVED_MSG_TID_PREFIX = "seed";
/** Bump to change every derived msgTid (never needed unless the derivation itself changes). */
const DERIVATION_VERSION = 1;
/** `whenInactive: "wait"` logs its progress at most this often (each look is logged at debug level). */
const WAIT_PROGRESS_LOG_MS = 10_000;
/** Upper bound of pages read when looking for one message (50 messages each). */
const MAX_FIND_PAGES = 200;
/** [U] §7.1/§13.2: the error code the service answers for a send to a group nobody joined (the emulator: InputInvalid).
 * A send failing with one of these codes counts as "inactive" only if the group then shows no online user. */
export const INACTIVE_GROUP_ERROR_CODES: ReadonlySet<string> = new Set(["InputInvalid"]);

/**
 * `seed` + 60 hex digits of SHA-256 over the resource name and every content field (defaults filled in): letters and
 * digits, exactly 64 bytes. The same resource with the same content always gets the same msgTid, so a send that is
 * retried — by the client, or by the next `pulumi up` after a failure — is recognised by the service as a retry.
 */
export function deriveMsgTid(resourceName: unknown, inputs: PropertyBag): string {
  const material = JSON.stringify([DERIVATION_VERSION, typeof resourceName === "string" ? resourceName : "", ...SEED_CONTENT_FIELDS.map((f) => inputs[f] ?? null)]);
  const hex = createHash("sha256").update(material, "utf8").digest("hex");
  return DERIVED_MSG_TID_PREFIX + hex.slice(0, MAX_ID_BYTES - DERIVED_MSG_TID_PREFIX.length);
}

/** SeedMessage resource ids are `<appId>/<groupId>/<msgTid>`. */
export function seedResourceId(appId: string, groupId: string, msgTid: string): string {
  return `${appId}/${groupId}/${msgTid}`;
}

export function parseSeedResourceId(id: string): { appId: string; groupId: string; msgTid: string } {
  // groupId and msgTid are letters and digits; only the appId (issued by the service) could hold a "/".
  const m = /^(.+)\/([A-Za-z0-9]+)\/([A-Za-z0-9]+)$/.exec(id);
  if (!m) {
    throw new ResourceError(
      ResourceErrorCodes.badId,
      `SeedMessage id ${JSON.stringify(id)} is not of the form "<appId>/<groupId>/<msgTid>"; use that form to import or get a seed message.`,
    );
  }
  return { appId: m[1]!, groupId: m[2]!, msgTid: m[3]! };
}

function defaultsOf(bag: PropertyBag): string[] {
  return Array.isArray(bag.__defaults) ? (bag.__defaults as unknown[]).filter((x): x is string => typeof x === "string") : [];
}

/** Was `msgTid` derived (true) or set by the user (false)? */
export function isDerivedMsgTid(bag: PropertyBag): boolean {
  return defaultsOf(bag).includes(SEED_DERIVED_FIELD);
}

function withDefaults(news: PropertyBag): PropertyBag {
  return {
    ...news,
    body: news.body ?? "",
    msgType: news.msgType ?? DEFAULT_SEED_MSG_TYPE,
    senderMetaInfo: news.senderMetaInfo ?? "",
    weight: news.weight ?? DEFAULT_WEIGHT,
    staticsIncrease: news.staticsIncrease ?? DEFAULT_STATICS_INCREASE,
    noStorage: news.noStorage ?? false,
    noCache: news.noCache ?? false,
    dataCenter: news.dataCenter ?? defaultDataCenter(),
    whenInactive: news.whenInactive ?? DEFAULT_WHEN_INACTIVE,
    waitTimeoutSeconds: news.waitTimeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS,
    waitIntervalSeconds: news.waitIntervalSeconds ?? DEFAULT_WAIT_INTERVAL_SECONDS,
  };
}

function sameContent(a: PropertyBag, b: PropertyBag): boolean {
  return SEED_CONTENT_FIELDS.every((f) => sameValue(a[f], b[f]));
}

/** Fields whose change would need the message to be sent again under the same pinned msgTid in the same group. */
const RESEND_FIELDS = ["senderId", "senderMetaInfo", "body", "msgType", "weight", "staticsIncrease", "noStorage", "noCache"] as const;

function isNotFound(e: unknown): boolean {
  return e instanceof LiveApiError && e.code === "ResourceNotExist";
}

interface Where {
  appId: string;
  groupId: string;
  dataCenter: DataCenter;
}

type Delivery = Pick<SeedMessageState, "delivered" | "sentAt" | "seqNumber">;

const NOT_DELIVERED: Delivery = { delivered: false, sentAt: 0, seqNumber: 0 };

function groupGone(where: Where, what: string): ResourceError {
  return new ResourceError(
    ResourceErrorCodes.groupDeleted,
    `Group ${where.groupId} in app ${where.appId} (${where.dataCenter}) does not exist or is deleted, so the seed message cannot be ${what}. ` +
      `Check groupId (it is the group's groupId output, not the Group resource id) and dataCenter; if the group was deleted outside ` +
      `the stack, run \`pulumi refresh\`.`,
  );
}

/** Users online in the group; throws when the group does not exist (or is deleted). */
async function onlineUsers(client: LiveClient, where: Where, what: string): Promise<number> {
  try {
    const d = await DescribeLiveMessageGroup.invoke(client, { AppId: where.appId, GroupId: where.groupId, DataCenter: where.dataCenter });
    if (d.Delete === true) throw groupGone(where, what);
    return d.OnlineUserCounts ?? 0;
  } catch (e) {
    if (isNotFound(e)) throw groupGone(where, what);
    throw e;
  }
}

/**
 * Looks for a stored message by msgTid, newest first, narrowed by type and (when known) a window around its send
 * time. "absent" when every matching page was read; "unsure" when the page bound was reached first.
 */
async function findMessage(
  client: LiveClient,
  where: Where,
  msgTid: string,
  hint: { msgType?: number; sentAt?: number; maxPages?: number },
): Promise<Message | "absent" | "unsure"> {
  let token: number | undefined;
  const maxPages = hint.maxPages ?? MAX_FIND_PAGES;
  for (let page = 0; page < maxPages; page++) {
    const res = await ListLiveMessageGroupMessages.invoke(client, {
      AppId: where.appId,
      GroupId: where.groupId,
      DataCenter: where.dataCenter,
      PageSize: TOKEN_PAGE_SIZE_MAX,
      SortType: 2,
      ...(hint.msgType !== undefined ? { MsgType: hint.msgType } : {}),
      // The service's clock may differ from ours by as much as the gateway tolerates (§10.1).
      ...(hint.sentAt ? { BeginTime: Math.max(0, hint.sentAt - TIMESTAMP_SKEW_SECONDS), EndTime: hint.sentAt + TIMESTAMP_SKEW_SECONDS } : {}),
      ...(token !== undefined ? { NextPageToken: token } : {}),
    });
    const hit = (res.MessageList ?? []).find((m) => m.MsgTid === msgTid);
    if (hit) return hit;
    if (!res.Hasmore || !res.NextPageToken) return "absent";
    token = res.NextPageToken;
  }
  return "unsure";
}

function sendError(e: unknown, desired: SeedMessageInputs, where: Where): unknown {
  if (e instanceof LiveApiError && e.code === "ErrorTooManyMsgTypes") {
    return new ResourceError(
      ResourceErrorCodes.quota,
      `Group ${where.groupId} already has ${MAX_MSG_TYPES_PER_GROUP} message types, the most a group can have, and msgType ` +
        `${desired.msgType} is not one of them. Use one of the group's existing types (its msgAmount output lists them) or send to another group.`,
      e,
    );
  }
  if (isNotFound(e)) return groupGone(where, "sent");
  return e;
}

/** Sends once the group is active, or handles an inactive group as `whenInactive` says. */
async function deliver(client: LiveClient, desired: SeedMessageInputs, label: string): Promise<Delivery> {
  const where: Where = { appId: desired.appId, groupId: desired.groupId, dataCenter: desired.dataCenter };
  const timeoutMs = desired.waitTimeoutSeconds * 1000;
  const intervalMs = desired.waitIntervalSeconds * 1000;
  const started = Date.now();
  let lastProgress = -Infinity;
  for (let look = 1; ; look++) {
    let online = await onlineUsers(client, where, "sent");
    if (online > 0) {
      try {
        return await send(client, desired, where);
      } catch (e) {
        // The service's answer for an inactive group is [U]: treat the send's error as "inactive" only when the
        // group indeed shows nobody online now; anything else is a real failure.
        if (!(e instanceof LiveApiError && INACTIVE_GROUP_ERROR_CODES.has(e.code))) throw sendError(e, desired, where);
        online = await onlineUsers(client, where, "sent");
        if (online > 0) throw sendError(e, desired, where);
      }
    }
    const elapsedMs = Date.now() - started;
    switch (desired.whenInactive) {
      case "defer":
        log.info(
          `Group ${where.groupId} has no joined users; seed message ${label} is recorded as not delivered (whenInactive: "defer") ` +
            `and every later \`pulumi up\` tries again until a user has joined.`,
        );
        return NOT_DELIVERED;
      case "wait":
        if (elapsedMs >= timeoutMs) {
          throw new ResourceError(
            ResourceErrorCodes.groupInactive,
            `Gave up waiting for a user to join group ${where.groupId} in app ${where.appId} after ${desired.waitTimeoutSeconds} s ` +
              `(whenInactive: "wait", ${look} looks); seed message ${label} was not sent. Have a user join the group and run ` +
              `\`pulumi up\` again, raise waitTimeoutSeconds, or set whenInactive: "defer" to record it as not delivered and send it later.`,
          );
        }
        if (Date.now() - lastProgress >= WAIT_PROGRESS_LOG_MS) {
          lastProgress = Date.now();
          log.info(
            `Waiting for a user to join group ${where.groupId} to send seed message ${label} ` +
              `(nobody online; ${Math.floor(elapsedMs / 1000)} s of ${desired.waitTimeoutSeconds} s; looking every ${desired.waitIntervalSeconds} s).`,
          );
        } else {
          log.debug(`Group ${where.groupId} still has no joined users (look ${look}).`);
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, timeoutMs - elapsedMs))));
        continue;
      default:
        throw new ResourceError(
          ResourceErrorCodes.groupInactive,
          `Group ${where.groupId} in app ${where.appId} has no joined users, and the service accepts messages to a group only while ` +
            `at least one user is in it, so seed message ${label} was not sent. Choose what should happen with whenInactive: ` +
            `"wait" looks at the group until a user joins (for up to waitTimeoutSeconds, default ${DEFAULT_WAIT_TIMEOUT_SECONDS} s), ` +
            `"defer" records the message as not delivered (delivered: false) and every later \`pulumi up\` tries again until it is sent; ` +
            `or have a user join the group and run \`pulumi up\` again.`,
        );
    }
  }
}

async function send(client: LiveClient, desired: SeedMessageInputs, where: Where): Promise<Delivery> {
  await SendLiveMessageGroup.invoke(client, {
    AppId: where.appId,
    GroupId: where.groupId,
    DataCenter: where.dataCenter,
    SenderId: desired.senderId,
    ...(desired.senderMetaInfo ? { SenderMetaInfo: desired.senderMetaInfo } : {}),
    Body: desired.body,
    MsgType: desired.msgType,
    // The idempotency handle: the client's retries and any later attempt send the same MsgTid (spec §11.3).
    MsgTid: desired.msgTid,
    StaticsIncrease: desired.staticsIncrease,
    Weight: desired.weight,
    NoStorage: desired.noStorage,
    NoCache: desired.noCache,
  });
  const sentAt = Math.floor(Date.now() / 1000);
  if (desired.noStorage) return { delivered: true, sentAt, seqNumber: 0 };
  // Read it back for the service's own timestamp and sequence number (one page: it is the newest of its type).
  const found = await findMessage(client, where, desired.msgTid, { msgType: desired.msgType, sentAt, maxPages: 1 }).catch(() => "unsure" as const);
  if (typeof found === "object") return { delivered: true, sentAt: found.Timestamp ?? sentAt, seqNumber: found.SeqNumber ?? 0 };
  if (found === "absent") {
    log.warn(
      `SendLiveMessageGroup accepted seed message ${desired.msgTid}, but ListLiveMessageGroupMessages does not list it (yet). If a ` +
        `message with this msgTid was sent to group ${where.groupId} before and deleted, the service took this send for a retry and ` +
        `stored nothing: set another msgTid (or change the content) to send it again.`,
    );
  }
  return { delivered: true, sentAt, seqNumber: 0 };
}

function outputs(inputs: PropertyBag, delivery: Delivery): PropertyBag {
  return defined({ ...withDefaults(inputs), ...delivery });
}

/** The input fields (and internal fields) of a state, for `read`'s returned inputs. */
function inputsOf(props: PropertyBag): PropertyBag {
  const out: PropertyBag = {};
  for (const f of [...SEED_INPUT_FIELDS, ...SEED_INTERNAL_FIELDS]) if (props[f] !== undefined) out[f] = props[f];
  return out;
}

/** Did a stored message simply expire (the app's retention, MsgLifeCycle) rather than get deleted? */
async function expired(client: LiveClient, where: Where, sentAt: number): Promise<boolean> {
  if (!sentAt) return false;
  const app = await DescribeLiveMessageApp.invoke(client, { AppId: where.appId, DataCenter: where.dataCenter }).catch(() => undefined);
  const days = MSG_LIFE_CYCLE_DAYS[app?.MsgLifeCycle ?? 0] ?? MSG_LIFE_CYCLE_DAYS[0]!;
  return Date.now() / 1000 - sentAt >= days * 86400;
}

export const seedMessageHandler: ResourceHandler = {
  async check(olds, news) {
    const inputs = withDefaults(news);
    const failures: CheckFailure[] = [];
    const userSetTid = news.msgTid !== undefined && news.msgTid !== null;
    if (userSetTid) {
      inputs.__defaults = defaultsOf(news).filter((f) => f !== SEED_DERIVED_FIELD);
    } else {
      if (containsUnknown(SEED_CONTENT_FIELDS.map((f) => inputs[f])) || isUnknown(news.__resourceName)) {
        inputs.msgTid = UNKNOWN; // derived at apply time, once every content field is known
      } else {
        // Keep an existing derived msgTid while the content is the same (e.g. a rename with an alias is no new message).
        const oldsWithDefaults = withDefaults(olds);
        const reuse = isDerivedMsgTid(olds) && typeof olds.msgTid === "string" && sameContent(oldsWithDefaults, inputs) ? olds.msgTid : undefined;
        inputs.msgTid = reuse ?? deriveMsgTid(news.__resourceName, inputs);
      }
      inputs.__defaults = [...new Set([...defaultsOf(news), SEED_DERIVED_FIELD])];
    }
    failures.push(...validateFields(inputs, seedMessageRules));

    // A pinned msgTid cannot carry new content in the same group: the service takes a repeated msgTid for a retry (and
    // deleting the old message would delete the new one). Fail the preview and say how to proceed.
    const hadState = typeof olds.msgTid === "string";
    if (hadState && userSetTid && !isDerivedMsgTid(olds) && olds.msgTid === inputs.msgTid) {
      const o = withDefaults(olds);
      const sameGroup = ["appId", "groupId", "dataCenter"].every((f) => sameValue(o[f], inputs[f]));
      if (sameGroup) {
        for (const f of RESEND_FIELDS) {
          if (containsUnknown(inputs[f]) || sameValue(o[f], inputs[f])) continue;
          failures.push({
            property: f,
            reason:
              `changing ${f} sends a new message, but msgTid ${String(inputs.msgTid)} is pinned and already used in group ` +
              `${String(inputs.groupId)}; the service would take the new send for a retry of the old one. Set a new msgTid, ` +
              `or remove msgTid to have one derived from the content, or revert ${f} to ${JSON.stringify(o[f])}.`,
          });
        }
      }
    }
    // Quotas need live counts: only for otherwise valid input (no noise, and no API calls for bad input).
    if (failures.length === 0) {
      const key = typeof news.__resourceName === "string" ? `name:${news.__resourceName}` : `tid:${String(inputs.msgTid)}`;
      failures.push(
        ...(await msgTypeQuotaFailures(olds, {
          appId: inputs.appId,
          groupId: inputs.groupId,
          dataCenter: inputs.dataCenter,
          msgType: inputs.msgType,
          key,
        })),
      );
    }
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const desired = withDefaults(news);
    const { changed, replaces } = diffFields(olds, desired, { replace: SEED_REPLACE_FIELDS, update: SEED_UPDATE_FIELDS });
    // A deferred message not yet delivered shows as an update on every `pulumi up`, which then tries to send it.
    const pending = olds.delivered === false && replaces.length === 0;
    return { changes: changed.length > 0 || pending, replaces };
  },

  async create(inputs) {
    const desired = withDefaults(inputs) as unknown as SeedMessageInputs;
    const id = seedResourceId(desired.appId, desired.groupId, desired.msgTid);
    const client = await getClient();
    const delivery = await deliver(client, desired, labelOf(inputs, desired));
    return { id, outs: outputs(inputs, delivery) };
  },

  async read(id, props) {
    const { appId, groupId, msgTid } = parseSeedResourceId(id);
    const client = await getClient();
    const imported = props.msgTid === undefined;
    if (!imported && (props.delivered === false || props.noStorage === true)) {
      // Nothing the service can show: a deferred message was never sent; a noStorage message is never listed.
      return { id, props: defined({ ...props }), inputs: inputsOf(props) };
    }
    const pinned = typeof props.dataCenter === "string" ? (props.dataCenter as DataCenter) : undefined;
    const order = pinned ? [pinned] : [defaultDataCenter(), ...DATA_CENTERS.filter((d) => d !== defaultDataCenter())];
    for (const dataCenter of order) {
      const where: Where = { appId, groupId, dataCenter };
      let found: Message | "absent" | "unsure";
      try {
        found = await findMessage(client, where, msgTid, {
          msgType: typeof props.msgType === "number" ? props.msgType : undefined,
          sentAt: typeof props.sentAt === "number" ? props.sentAt : undefined,
        });
      } catch (e) {
        if (isNotFound(e)) continue; // the group (or app) is gone here
        throw e;
      }
      if (found === "unsure") {
        log.warn(`Could not find seed message ${msgTid} within ${MAX_FIND_PAGES} pages of group ${groupId}; keeping its last known state.`);
        return { id, props: defined({ ...props }), inputs: inputsOf(props) };
      }
      if (found === "absent") {
        if (!imported && (await expired(client, where, Number(props.sentAt ?? 0)))) {
          log.info(`Seed message ${msgTid} is past the app's message retention and no longer listed; keeping its last known state.`);
          return { id, props: defined({ ...props }), inputs: inputsOf(props) };
        }
        return { id: "", props: {}, inputs: {} };
      }
      const live: PropertyBag = {
        appId,
        groupId,
        dataCenter,
        msgTid,
        senderId: found.Sender?.UserId ?? props.senderId,
        senderMetaInfo: found.Sender?.UserInfo ?? props.senderMetaInfo ?? "",
        body: found.Body ?? props.body ?? "",
        msgType: found.MsgType ?? props.msgType,
      };
      const keep: PropertyBag = imported ? { __defaults: [] } : props;
      const next = outputs({ ...keep, ...live }, { delivered: true, sentAt: found.Timestamp ?? Number(props.sentAt ?? 0), seqNumber: found.SeqNumber ?? 0 });
      return { id, props: next, inputs: inputsOf(next) };
    }
    return { id: "", props: {}, inputs: {} };
  },

  async update(_id, olds, news) {
    const desired = withDefaults(news) as unknown as SeedMessageInputs;
    if (olds.delivered !== false) {
      // Delivered already: only how-to-deliver settings changed (content changes are replacements).
      return { outs: outputs(news, { delivered: true, sentAt: Number(olds.sentAt ?? 0), seqNumber: Number(olds.seqNumber ?? 0) }) };
    }
    const client = await getClient();
    const delivery = await deliver(client, desired, labelOf(news, desired));
    return { outs: outputs(news, delivery) };
  },

  async delete(id, props) {
    if (props.delivered === false) return; // never sent: nothing to delete
    const { appId, groupId, msgTid } = parseSeedResourceId(id);
    const dataCenter = (typeof props.dataCenter === "string" ? props.dataCenter : defaultDataCenter()) as DataCenter;
    const client = await getClient();
    try {
      await DeleteLiveMessageGroupMessage.invoke(client, { AppId: appId, GroupId: groupId, MessageId: msgTid, DataCenter: dataCenter });
    } catch (e) {
      if (isNotFound(e)) return; // the group (and with it the message) is gone already
      // Best effort: a refusal (4xx) must not block a destroy; a transient failure is thrown so that a retry finishes it.
      if (e instanceof LiveApiError && e.httpStatus >= 400 && e.httpStatus < 500 && !e.retryable) {
        log.warn(`Could not delete seed message ${msgTid} from group ${groupId}: ${describeError(e)}. It is dropped from the stack; it expires with the app's message retention.`);
        return;
      }
      throw e;
    }
  },
};

/** How log lines name the message: the resource name when known, else its msgTid. */
function labelOf(inputs: PropertyBag, desired: SeedMessageInputs): string {
  return typeof inputs.__resourceName === "string" ? `"${inputs.__resourceName}" (${desired.msgTid})` : desired.msgTid;
}
