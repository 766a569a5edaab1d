/**
 * §7.2 SendLiveMessageUser: a one-to-one message. No offline delivery: an offline receiver fails only with
 * HighReliability=true (behaviour.ts). Stored only with Storage=true (default false, unlike group messages).
 */
import { DEFAULT_MSG_TYPE, GENERATED_ID_ALPHABET, GENERATED_MSG_TID_LENGTH, receiverOfflineError } from "../behaviour";
import { generateId } from "../common";
import { defineHandler } from "../handler";
import { retentionMs } from "../state";

export const SendLiveMessageUser = defineHandler({
  action: "SendLiveMessageUser",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const receiverId = p.reqStr("ReceiverId");
    const senderId = p.reqStr("SenderId");
    const senderInfo = p.str("SenderInfo") ?? "";
    const body = p.str("Body") ?? "";
    const msgType = p.int("MsgType") ?? DEFAULT_MSG_TYPE;
    const msgTidParam = p.str("MsgTid");
    const highReliability = p.bool("HighReliability") ?? false;
    const storage = p.bool("Storage") ?? false;
    const app = store.requireApp("SendLiveMessageUser", appId, dataCenter, ctx);
    if (highReliability && !app.userGroups.has(receiverId)) throw receiverOfflineError(receiverId);

    const inbox = app.userMessages.get(receiverId);
    const msgTid = msgTidParam ?? generateId(ctx.random, GENERATED_MSG_TID_LENGTH, GENERATED_ID_ALPHABET, (id) => inbox?.has(id) ?? false);
    if (storage && !inbox?.has(msgTid)) {
      let box = inbox;
      if (!box) app.userMessages.set(receiverId, (box = new Map()));
      // Drop messages past the app's retention (oldest first: Map order is send order).
      const cutoff = ctx.now - retentionMs(app);
      for (const [tid, m] of box) {
        if (m.time >= cutoff) break;
        box.delete(tid);
      }
      box.set(msgTid, { msgTid, msgType, body, senderId, senderInfo, time: ctx.now });
    }
    return { MsgTid: msgTid };
  },
});
