/**
 * §7.2 SendLiveMessageUser: a one-to-one message. No offline delivery: an offline receiver fails only with
 * HighReliability=true (behaviour.ts). Stored only with Storage=true (default false, unlike group messages).
 */
import { MESSAGE_BODY_MAX_BYTES, SENDER_META_MAX_BYTES } from "../../../provider/limits";
import { DEFAULT_MSG_TYPE, GENERATED_ID_ALPHABET, GENERATED_MSG_TID_LENGTH, receiverOfflineError } from "../behaviour";
import { generateId } from "../common";
import { defineHandler } from "../handler";
import { retentionMs } from "../state";

export const SendLiveMessageUser = defineHandler({
  action: "SendLiveMessageUser",
  mutating: true,
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const receiverId = p.requiredId("ReceiverId");
    const senderId = p.requiredId("SenderId");
    const senderInfo = p.optionalString("SenderInfo", { maxBytes: SENDER_META_MAX_BYTES }) ?? "";
    const body = p.optionalString("Body", { maxBytes: MESSAGE_BODY_MAX_BYTES }) ?? "";
    const msgType = p.optionalInt("MsgType", { kind: "int64" }) ?? DEFAULT_MSG_TYPE;
    const msgTidParam = p.optionalId("MsgTid");
    const highReliability = p.optionalBool("HighReliability") ?? false;
    const storage = p.optionalBool("Storage") ?? false;
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
