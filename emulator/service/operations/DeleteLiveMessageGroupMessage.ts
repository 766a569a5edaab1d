/** §7.4 DeleteLiveMessageGroupMessage: removes a stored group message by its MsgTid; idempotent (behaviour.ts). */
import { Errors } from "../../errors";
import { DELETE_UNKNOWN_MESSAGE_SUCCEEDS } from "../behaviour";
import { defineHandler } from "../handler";

export const DeleteLiveMessageGroupMessage = defineHandler({
  action: "DeleteLiveMessageGroupMessage",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const messageId = p.reqStr("MessageId");
    p.str("DeleterId");
    p.str("DeleterInfo");
    const app = store.requireApp("DeleteLiveMessageGroupMessage", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    const m = g.messagesByTid.get(messageId);
    if (m) store.removeMessage(g, m);
    else if (!DELETE_UNKNOWN_MESSAGE_SUCCEEDS) throw Errors.resourceNotExist(`message ${messageId}`);
    return { GroupId: groupId, MessageId: messageId };
  },
});
