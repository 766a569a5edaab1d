/**
 * `SeedMessage` lifecycle (DESIGN.md semantics table, issue 5):
 * create = SendLiveMessageGroup with a msgTid that is unique per resource instance and revision (generated in `check`,
 * stored in state, the same for every retry of one create — so a retried send is a retry, never a second message),
 * honouring `whenInactive` when the group has no joined user, then confirmed: the stored message must be ours (a
 * msgTid collision is detected, never reported as delivered); read = ListLiveMessageGroupMessages (gone → dropped
 * from the stack; `noStorage` or deferred messages keep their last known state); update = only delivery of a deferred
 * or unconfirmed message and the delivery settings; any content change replaces; delete =
 * DeleteLiveMessageGroupMessage, best effort.
 */
import { LiveApiError, isNotFound } from "../../client/errors";
import type { LiveClient } from "../../client/live-client";
import { maybeProcessedTracker } from "../../client/call-options";
import { mayHaveBeenProcessed } from "../../client/retry-policy";
import {
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
import { probeDataCenters, recordedDataCenter } from "../data-center";
import { ResourceError, ResourceErrorCodes, ResourceInitError, describeError } from "../errors";
import { assignGeneratedId, isGenerated, pinnedIdFailures, randomIdPart } from "../generated-id";
import { diffFields, type ResourceHandler } from "../handler";
import { log } from "../log";
import { defined, sameValue, type PropertyBag } from "../property-bag";
import { msgTypeQuotaFailures } from "../quota/quota";
import { containsUnknown } from "../unknown";
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

/** Prefix of a generated msgTid; the rest is random letters and digits, so the whole is exactly MAX_ID_BYTES (§2.4). */
export const DERIVED_MSG_TID_PREFIX = "seed";
/** `whenInactive: "wait"` logs its progress at most this often (each look is logged at debug level). */
const WAIT_PROGRESS_LOG_MS = 10_000;
/** Upper bound of pages read when looking for one message (50 messages each). */
const MAX_FIND_PAGES = 200;
/** Pages read to confirm a send (its type, around its send time): ample unless hundreds of its type arrive at once. */
const CONFIRM_PAGES = 5;
/** [U] §7.1/§13.2: the error code the service answers for a send to a group nobody joined (the emulator: InputInvalid).
 * A send failing with one of these codes counts as "inactive" only if the group then shows no online user. */
export const INACTIVE_GROUP_ERROR_CODES: ReadonlySet<string> = new Set(["InputInvalid"]);

/**
 * `seed` + 60 random letters and digits: exactly 64 bytes, unique per resource instance and revision. (It used to be a
 * hash of the resource name and content, so content A → B → A reused A's msgTid — the service took the third send for
 * a retry and stored nothing — and two stacks with the same content shared one message.)
 */
export function generateMsgTid(): string {
  return DERIVED_MSG_TID_PREFIX + randomIdPart(MAX_ID_BYTES - DERIVED_MSG_TID_PREFIX.length);
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

/** Was `msgTid` generated (true) or set by the user (false)? */
export function isDerivedMsgTid(bag: PropertyBag): boolean {
  return isGenerated(bag, SEED_DERIVED_FIELD);
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

/** Unix seconds now. */
function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The list window for a message sent between `from` and `to` (Unix seconds), allowing for the service's clock. */
function sendWindow(from: number, to: number = from): { from: number; to: number } {
  // The service's clock may differ from ours by as much as the gateway tolerates (§10.1).
  return { from: Math.max(0, from - TIMESTAMP_SKEW_SECONDS), to: to + TIMESTAMP_SKEW_SECONDS };
}

/**
 * Looks for a stored message by msgTid, newest first, narrowed by type and (when known) a window of send times.
 * "absent" when every matching page was read; "unsure" when the page bound was reached first.
 */
async function findMessage(
  client: LiveClient,
  where: Where,
  msgTid: string,
  hint: { msgType?: number; window?: { from: number; to: number }; maxPages?: number },
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
      ...(hint.window ? { BeginTime: hint.window.from, EndTime: hint.window.to } : {}),
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

/**
 * Sends once the group is active, or handles an inactive group as `whenInactive` says. `attempt` says how this send
 * relates to earlier ones (see `sendAndConfirm`).
 */
async function deliver(client: LiveClient, desired: SeedMessageInputs, label: string, attempt: SendAttempt): Promise<Delivery> {
  const where: Where = { appId: desired.appId, groupId: desired.groupId, dataCenter: desired.dataCenter };
  const timeoutMs = desired.waitTimeoutSeconds * 1000;
  const intervalMs = desired.waitIntervalSeconds * 1000;
  // A retry of a send that may have reached the service: if the group already holds it, it is delivered — whether or
  // not anybody is in the group now.
  if (attempt.kind === "retry") {
    const found = await findMessage(client, where, desired.msgTid, { msgType: desired.msgType, window: sendWindow(attempt.since, nowSeconds()), maxPages: CONFIRM_PAGES }).catch(() => "unsure" as const);
    if (typeof found === "object" && isThisMessage(found, desired)) return { delivered: true, sentAt: found.Timestamp ?? attempt.since, seqNumber: found.SeqNumber ?? 0 };
  }
  const started = Date.now();
  let lastProgress = -Infinity;
  for (let look = 1; ; look++) {
    let online = await onlineUsers(client, where, "sent");
    if (online > 0) {
      try {
        return await sendAndConfirm(client, desired, where, attempt);
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

/**
 * How a send relates to earlier ones: `first` — nothing with this msgTid was sent by this resource before (a pinned
 * msgTid is then checked to be unused); `retry` — an earlier send of this very message may have reached the service at
 * `since` (Unix seconds), so a message with this msgTid and this content is ours.
 */
type SendAttempt = { kind: "first"; pinned: boolean } | { kind: "retry"; since: number };

/** A send that may have reached the service but could not be confirmed: recorded (create) or kept pending (update). */
class SendUnconfirmedError extends ResourceError {
  // Its own brand: `instanceof` goes by kind (errors.ts), and every ResourceError would match otherwise.
  static override readonly kindName: string = "SendUnconfirmedError";
  constructor(
    readonly since: number,
    message: string,
    cause: unknown,
  ) {
    super(ResourceErrorCodes.sendUnconfirmed, message, cause);
  }
}

/** Whether a listed message is the one `desired` describes (what the list returns of it). */
function isThisMessage(m: Message, desired: SeedMessageInputs): boolean {
  return (
    (m.Body ?? "") === desired.body &&
    (m.MsgType ?? DEFAULT_SEED_MSG_TYPE) === desired.msgType &&
    (m.Sender?.UserId ?? "") === desired.senderId &&
    (m.Sender?.UserInfo ?? "") === desired.senderMetaInfo
  );
}

function collision(desired: SeedMessageInputs, where: Where, detail: string): ResourceError {
  return new ResourceError(
    ResourceErrorCodes.msgTidCollision,
    `msgTid ${desired.msgTid} collides in group ${where.groupId}: ${detail} The service takes a repeated msgTid for a retry ` +
      `of the first message and stores nothing new, so this seed message is NOT delivered and nothing is recorded. Set another ` +
      `msgTid, or remove msgTid to have a unique one generated.`,
  );
}

/**
 * SendLiveMessageGroup, then the proof: the group must list a message with this msgTid and this content. A message
 * with this msgTid but other content, or none at all although the send was accepted, is a collision (the service
 * treated the send as a retry of an older message) — never "delivered". A send that may have reached the service but
 * cannot be confirmed throws `SendUnconfirmedError`. `noStorage` messages are never listed and cannot be confirmed.
 */
async function sendAndConfirm(client: LiveClient, desired: SeedMessageInputs, where: Where, attempt: SendAttempt): Promise<Delivery> {
  if (attempt.kind === "first" && attempt.pinned) await ensureMsgTidUnused(client, desired, where);
  const startedAt = attempt.kind === "retry" ? attempt.since : nowSeconds();
  let lost: unknown;
  const sent = maybeProcessedTracker();
  try {
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
    }, { onRetry: sent.onRetry });
  } catch (e) {
    // Certainly not sent (by any attempt): an ordinary failure, nothing to record. Possibly sent: confirm it below.
    if (!sent.any && !mayHaveBeenProcessed(e)) throw e;
    lost = e;
  }
  const unconfirmed = (why: string, cause: unknown): SendUnconfirmedError =>
    new SendUnconfirmedError(
      startedAt,
      `Seed message ${desired.msgTid} may have been sent to group ${where.groupId}, but ${why}. It is recorded as not delivered ` +
        `(delivered: false); the next \`pulumi up\` sends it again under the same msgTid, which the service takes for a retry, ` +
        `and confirms it.`,
      cause,
    );
  if (desired.noStorage) {
    if (lost) throw unconfirmed(`the send got no answer (${describeError(lost)}), and a noStorage message cannot be looked up`, lost);
    return { delivered: true, sentAt: nowSeconds(), seqNumber: 0 };
  }
  let found: Message | "absent" | "unsure";
  try {
    found = await findMessage(client, where, desired.msgTid, { msgType: desired.msgType, window: sendWindow(startedAt, nowSeconds()), maxPages: CONFIRM_PAGES });
  } catch (e) {
    throw unconfirmed(`${lost ? `the send got no answer (${describeError(lost)}) and ` : ""}confirming it failed (${describeError(e)})`, lost ?? e);
  }
  if (typeof found === "object") {
    if (!isThisMessage(found, desired)) {
      throw collision(desired, where, `the group already holds another message with it (from ${found.Sender?.UserId ?? "unknown sender"}, sent at ${found.Timestamp ?? "?"}).`);
    }
    return { delivered: true, sentAt: found.Timestamp ?? startedAt, seqNumber: found.SeqNumber ?? 0 };
  }
  if (lost) throw unconfirmed(`the send got no answer (${describeError(lost)}) and the group does not list it (yet)`, lost);
  if (found === "absent") {
    throw collision(desired, where, "the service accepted the send but stores no message under it, so it was used before in this group (perhaps by a message since deleted).");
  }
  log.warn(`Seed message ${desired.msgTid} was accepted, but ${CONFIRM_PAGES} pages of group ${where.groupId} did not reach it; it is taken as delivered.`);
  return { delivered: true, sentAt: startedAt, seqNumber: 0 };
}

/** A pinned msgTid must not be in use in the group before our first send: a message that existed before is never ours. */
async function ensureMsgTidUnused(client: LiveClient, desired: SeedMessageInputs, where: Where): Promise<void> {
  const found = await findMessage(client, where, desired.msgTid, {});
  if (typeof found === "object") {
    throw collision(desired, where, `the group already holds a message with it${isThisMessage(found, desired) ? " and the same content (another stack's, or sent outside this one)" : ""} (sent at ${found.Timestamp ?? "?"}).`);
  }
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
    // A new message (or a replacement: check runs again with empty olds) gets a fresh msgTid; an update keeps it while
    // the content is the same (e.g. only a delivery setting changed), so a retry of one send always reuses it.
    const { pinned } = assignGeneratedId(
      {
        field: SEED_DERIVED_FIELD,
        generate: generateMsgTid,
        stillApplies: (o, i) => (containsUnknown(SEED_CONTENT_FIELDS.map((f) => i[f])) ? undefined : sameContent(withDefaults(o), i)),
      },
      olds,
      news,
      inputs,
    );
    failures.push(...validateFields(inputs, seedMessageRules));

    // A pinned msgTid cannot carry new content in the same group: the service takes a repeated msgTid for a retry (and
    // deleting the old message would delete the new one). Fail the preview and say how to proceed.
    failures.push(
      ...pinnedIdFailures({
        field: SEED_DERIVED_FIELD,
        olds: withDefaults(olds),
        inputs,
        pinned,
        scope: ["appId", "groupId", "dataCenter"],
        changing: RESEND_FIELDS,
        reason: (f, old) =>
          `changing ${f} sends a new message, but msgTid ${String(inputs.msgTid)} is pinned and already used in group ` +
          `${String(inputs.groupId)}; the service would take the new send for a retry of the old one. Set a new msgTid, ` +
          `or remove msgTid to have a unique one generated, or revert ${f} to ${JSON.stringify(old)}.`,
      }),
    );
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
    try {
      const delivery = await deliver(client, desired, labelOf(inputs, desired), { kind: "first", pinned: !isDerivedMsgTid(inputs) });
      return { id, outs: outputs(inputs, delivery) };
    } catch (e) {
      // Possibly sent: record it with its msgTid, so the next `pulumi up` retries this very send instead of a new one.
      if (e instanceof SendUnconfirmedError) throw new ResourceInitError(id, outputs(inputs, { delivered: false, sentAt: e.since, seqNumber: 0 }), e.message, e);
      throw e;
    }
  },

  async read(id, props) {
    const { appId, groupId, msgTid } = parseSeedResourceId(id);
    const client = await getClient();
    const imported = props.msgTid === undefined;
    if (!imported && (props.delivered === false || props.noStorage === true)) {
      // Nothing the service can show: a deferred message was never sent; a noStorage message is never listed.
      return { id, props: defined({ ...props }), inputs: inputsOf(props) };
    }
    const sentAt = typeof props.sentAt === "number" && props.sentAt > 0 ? props.sentAt : undefined;
    // The first data center where the group exists answers; ResourceNotExist (group or app gone there) tries the next.
    const probed = await probeDataCenters(recordedDataCenter(props), (dataCenter) =>
      findMessage(client, { appId, groupId, dataCenter }, msgTid, {
        msgType: typeof props.msgType === "number" ? props.msgType : undefined,
        window: sentAt ? sendWindow(sentAt) : undefined,
      }),
    );
    if (!probed) return { id: "", props: {}, inputs: {} };
    const { value: found, dataCenter } = probed;
    if (found === "unsure") {
      log.warn(`Could not find seed message ${msgTid} within ${MAX_FIND_PAGES} pages of group ${groupId}; keeping its last known state.`);
      return { id, props: defined({ ...props }), inputs: inputsOf(props) };
    }
    if (found === "absent") {
      if (!imported && (await expired(client, { appId, groupId, dataCenter }, Number(props.sentAt ?? 0)))) {
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
  },

  async update(_id, olds, news) {
    const desired = withDefaults(news) as unknown as SeedMessageInputs;
    if (olds.delivered !== false) {
      // Delivered already: only how-to-deliver settings changed (content changes are replacements).
      return { outs: outputs(news, { delivered: true, sentAt: Number(olds.sentAt ?? 0), seqNumber: Number(olds.seqNumber ?? 0) }) };
    }
    const client = await getClient();
    // A deferred message was never sent (sentAt 0); an unconfirmed one may have been, at sentAt: then this is its retry.
    const since = Number(olds.sentAt ?? 0);
    const attempt: SendAttempt = since > 0 ? { kind: "retry", since } : { kind: "first", pinned: !isDerivedMsgTid(news) };
    const delivery = await deliver(client, desired, labelOf(news, desired), attempt);
    return { outs: outputs(news, delivery) };
  },

  async delete(id, props) {
    if (props.delivered === false) return; // never sent: nothing to delete
    const { appId, groupId, msgTid } = parseSeedResourceId(id);
    const dataCenter = recordedDataCenter(props) ?? defaultDataCenter();
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
