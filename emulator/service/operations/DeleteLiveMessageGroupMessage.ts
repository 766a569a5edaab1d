/** §7.4 DeleteLiveMessageGroupMessage: removes a stored group message by its MsgTid; idempotent (behaviour.ts). */
import { MAX_ID_BYTES, USER_META_MAX_BYTES } from "../../../provider/limits";
import { Errors } from "../../errors";
import { DELETE_UNKNOWN_MESSAGE_SUCCEEDS } from "../behaviour";
import { defineHandler } from "../handler";

export const DeleteLiveMessageGroupMessage = defineHandler({
  action: "DeleteLiveMessageGroupMessage",
  mutating: true,
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.requiredId("GroupId");
    const messageId = p.requiredId("MessageId");
    p.optionalString("DeleterId", { maxBytes: MAX_ID_BYTES });
    p.optionalString("DeleterInfo", { maxBytes: USER_META_MAX_BYTES });
    const app = store.requireApp("DeleteLiveMessageGroupMessage", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    const m = g.messagesByTid.get(messageId);
    if (m) store.removeMessage(g, m);
    else if (!DELETE_UNKNOWN_MESSAGE_SUCCEEDS) throw Errors.resourceNotExist(`message ${messageId}`);
    return { GroupId: groupId, MessageId: messageId };
  },
});
