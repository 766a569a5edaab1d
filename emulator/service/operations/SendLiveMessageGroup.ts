/**
 * §7.1 SendLiveMessageGroup: needs a live, active group (≥ 1 joined user), at most MSG_TYPES_PER_GROUP
 * distinct MsgTypes; counts MsgAmount (by StaticsIncrease), TotalMessages and SeqNumber; stores the message unless
 * NoStorage and caches it unless NoCache.
 */
import { Errors } from "../../errors";
import { MSG_TYPES_PER_GROUP } from "../../spec/limits";
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
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const senderId = p.reqStr("SenderId");
    const senderInfo = p.str("SenderMetaInfo") ?? "";
    const body = p.str("Body") ?? "";
    const msgType = p.int("MsgType") ?? DEFAULT_MSG_TYPE;
    const msgTidParam = p.str("MsgTid");
    const increase = p.int("StaticsIncrease") ?? DEFAULT_STATICS_INCREASE;
    const weight = p.int("Weight") ?? DEFAULT_WEIGHT;
    const noStorage = p.bool("NoStorage") ?? false;
    const noCache = p.bool("NoCache") ?? false;
    const app = store.requireApp("SendLiveMessageGroup", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    if (g.members.size === 0) throw inactiveGroupError(groupId);
    const muted = g.bannedUsers.has(senderId) || (g.bannedAll && !g.exceptUsers.has(senderId));
    if (MUTES_APPLY_TO_API_SENDS && muted) throw mutedSenderError(senderId);
    if (msgTidParam !== undefined && store.tidUsed(g, msgTidParam) && DUPLICATE_MSG_TID_IS_RETRY) return { MsgTid: msgTidParam };
    const typeKey = String(msgType);
    if (!g.msgAmount.has(typeKey) && g.msgAmount.size >= MSG_TYPES_PER_GROUP) {
      throw Errors.tooManyMsgTypes(groupId, MSG_TYPES_PER_GROUP);
    }
    const msgTid =
      msgTidParam ?? generateId(ctx.random, GENERATED_MSG_TID_LENGTH, GENERATED_ID_ALPHABET, (id) => store.tidUsed(g, id));

    // Everything is checked; from here on the call succeeds.
    store.pruneMessages(app, g, ctx.now);
    if (g.messagesByTid.has(msgTid)) store.removeMessage(g, g.messagesByTid.get(msgTid)!);
    const seq = ++g.seqNumber;
    g.totalMessages++;
    g.msgAmount.set(typeKey, (g.msgAmount.get(typeKey) ?? 0) + increase);
    if (!noStorage) {
      store.storeMessage(g, { msgTid, msgType, body, senderId, senderInfo, weight, seq, time: ctx.now });
    } else {
      store.useTid(g, msgTid);
    }
    if (!noCache) store.cacheMessage(g, msgTid);
    return { MsgTid: msgTid };
  },
});
