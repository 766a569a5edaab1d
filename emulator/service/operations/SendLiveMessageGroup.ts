/**
 * §7.1 SendLiveMessageGroup: needs a live, active group (≥ 1 joined user), at most MAX_MSG_TYPES_PER_GROUP
 * distinct MsgTypes; counts MsgAmount (by StaticsIncrease), TotalMessages and SeqNumber; stores the message unless
 * NoStorage and caches it unless NoCache.
 */
import {
  MAX_MSG_TYPES_PER_GROUP,
  MESSAGE_BODY_MAX_BYTES,
  SENDER_META_MAX_BYTES,
} from "../../../provider/limits";
import { Errors } from "../../errors";
import {
  DEFAULT_MSG_TYPE,
  DUPLICATE_MSG_TID_IS_RETRY,
  GENERATED_ID_ALPHABET,
  GENERATED_MSG_TID_LENGTH,
  inactiveGroupError,
  MUTES_APPLY_TO_API_SENDS,
  mutedSenderError,
} from "../behaviour";
import { generateId } from "../common";
import { defineHandler } from "../handler";

/** §7.1 documented defaults. */
const DEFAULT_STATICS_INCREASE = 1;
const DEFAULT_WEIGHT = 1;

export const SendLiveMessageGroup = defineHandler({
  action: "SendLiveMessageGroup",
  mutating: true,
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.requiredId("GroupId");
    const senderId = p.requiredId("SenderId");
    const senderInfo = p.optionalString("SenderMetaInfo", { maxBytes: SENDER_META_MAX_BYTES }) ?? "";
    const body = p.optionalString("Body", { maxBytes: MESSAGE_BODY_MAX_BYTES }) ?? "";
    const msgType = p.optionalInt("MsgType", { kind: "int64" }) ?? DEFAULT_MSG_TYPE;
    const msgTidParam = p.optionalId("MsgTid");
    const increase = p.optionalInt("StaticsIncrease", { kind: "int64", min: 0 }) ?? DEFAULT_STATICS_INCREASE;
    const weight = p.optionalInt("Weight", { kind: "int64" }) ?? DEFAULT_WEIGHT;
    const noStorage = p.optionalBool("NoStorage") ?? false;
    const noCache = p.optionalBool("NoCache") ?? false;
    const app = store.requireApp("SendLiveMessageGroup", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    if (g.members.size === 0) throw inactiveGroupError(groupId);
    const muted = g.bannedUsers.has(senderId) || (g.bannedAll && !g.exceptUsers.has(senderId));
    if (MUTES_APPLY_TO_API_SENDS && muted) throw mutedSenderError(senderId);
    if (msgTidParam !== undefined && g.usedTids.has(msgTidParam) && DUPLICATE_MSG_TID_IS_RETRY) return { MsgTid: msgTidParam };
    const typeKey = String(msgType);
    if (!g.msgAmount.has(typeKey) && g.msgAmount.size >= MAX_MSG_TYPES_PER_GROUP) {
      throw Errors.tooManyMsgTypes(groupId, MAX_MSG_TYPES_PER_GROUP);
    }
    const msgTid =
      msgTidParam ?? generateId(ctx.random, GENERATED_MSG_TID_LENGTH, GENERATED_ID_ALPHABET, (id) => g.usedTids.has(id));

    // Everything is checked; from here on the call succeeds.
    store.pruneMessages(app, g, ctx.now);
    if (g.messagesByTid.has(msgTid)) store.removeMessage(g, g.messagesByTid.get(msgTid)!);
    const seq = ++g.seqNumber;
    g.totalMessages++;
    g.msgAmount.set(typeKey, (g.msgAmount.get(typeKey) ?? 0) + increase);
    g.usedTids.add(msgTid);
    if (!noStorage) {
      store.storeMessage(g, { msgTid, msgType, body, senderId, senderInfo, weight, seq, time: ctx.now });
    }
    if (!noCache) store.cacheMessage(g, msgTid);
    return { MsgTid: msgTid };
  },
});
