/** §7.5 DeleteLiveMessageUserMessage: removes a stored one-to-one message; idempotent (behaviour.ts). */
import { Errors } from "../../errors";
import { DELETE_UNKNOWN_MESSAGE_SUCCEEDS } from "../behaviour";
import { defineHandler } from "../handler";

export const DeleteLiveMessageUserMessage = defineHandler({
  action: "DeleteLiveMessageUserMessage",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const receiverId = p.reqStr("ReceiverId");
    const messageId = p.reqStr("MessageId");
    p.str("DeleterId");
    p.str("DeleterInfo");
    const app = store.requireApp("DeleteLiveMessageUserMessage", appId, dataCenter, ctx);
    const inbox = app.userMessages.get(receiverId);
    if (inbox?.delete(messageId)) {
      if (inbox.size === 0) app.userMessages.delete(receiverId);
    } else if (!DELETE_UNKNOWN_MESSAGE_SUCCEEDS) {
      throw Errors.resourceNotExist(`message ${messageId}`);
    }
    return {};
  },
});
