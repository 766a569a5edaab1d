/** §5.5 RecoverLiveMessageDeletedGroup: within RECOVERY_WINDOW_MS of deletion; counts against the group quota. */
import { LIVE_GROUPS_PER_APP, RECOVERY_WINDOW_MS } from "../../spec/limits";
import { Errors } from "../../errors";
import { RECOVER_LIVE_GROUP_SUCCEEDS, deletedGroupError, recoverWindowExpiredError } from "../behaviour";
import { defineHandler } from "../handler";

export const RecoverLiveMessageDeletedGroup = defineHandler({
  action: "RecoverLiveMessageDeletedGroup",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const app = store.requireApp("RecoverLiveMessageDeletedGroup", appId, dataCenter, ctx);
    const g = store.requireGroup(app, groupId);
    if (!g.deleted) {
      if (RECOVER_LIVE_GROUP_SUCCEEDS) return { GroupId: groupId };
      throw deletedGroupError(groupId);
    }
    if (ctx.now - g.deleteTime > RECOVERY_WINDOW_MS) throw recoverWindowExpiredError(groupId);
    if (app.liveGroupCount >= LIVE_GROUPS_PER_APP) throw Errors.tooManyGroups(app.appId, LIVE_GROUPS_PER_APP);
    g.deleted = false;
    g.deleteTime = 0;
    g.deletor = "";
    app.liveGroupCount++;
    return { GroupId: groupId };
  },
});
