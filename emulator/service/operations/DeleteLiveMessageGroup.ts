/** §5.4 DeleteLiveMessageGroup: soft delete (recoverable for RECOVERY_WINDOW_MS); idempotent (behaviour.ts). */
import { Errors } from "../../errors";
import { DELETE_GROUP_REMOVES_MEMBERS, DELETE_UNKNOWN_GROUP_SUCCEEDS } from "../behaviour";
import { defineHandler } from "../handler";

export const DeleteLiveMessageGroup = defineHandler({
  action: "DeleteLiveMessageGroup",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const operatorId = p.str("OperatorId") ?? "";
    const app = store.requireApp("DeleteLiveMessageGroup", appId, dataCenter, ctx);
    const g = app.groups.get(groupId);
    if (!g) {
      if (DELETE_UNKNOWN_GROUP_SUCCEEDS) return { GroupId: groupId };
      throw Errors.resourceNotExist(`group ${groupId}`);
    }
    if (g.deleted) return { GroupId: groupId };
    g.deleted = true;
    g.deleteTime = ctx.now;
    g.deletor = operatorId;
    app.liveGroupCount--;
    if (DELETE_GROUP_REMOVES_MEMBERS) store.removeAllMembers(app, g);
    return { GroupId: groupId };
  },
});
