/** §5.5 RecoverLiveMessageDeletedGroup: within RECOVER_WINDOW_SECONDS of deletion; counts against the group quota. */
import { MAX_LIVE_GROUPS_PER_APP, RECOVER_WINDOW_SECONDS } from "../../../provider/limits";
import { Errors } from "../../errors";
import { RECOVER_LIVE_GROUP_SUCCEEDS, deletedGroupError, recoverWindowExpiredError } from "../behaviour";
import { defineHandler } from "../handler";

export const RecoverLiveMessageDeletedGroup = defineHandler({
  action: "RecoverLiveMessageDeletedGroup",
  mutating: true,
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.requiredId("GroupId");
    const app = store.requireApp("RecoverLiveMessageDeletedGroup", appId, dataCenter, ctx);
    const g = store.requireGroup(app, groupId);
    if (!g.deleted) {
      if (RECOVER_LIVE_GROUP_SUCCEEDS) return { GroupId: groupId };
      throw deletedGroupError(groupId);
    }
    if (ctx.now - g.deleteTime > RECOVER_WINDOW_SECONDS * 1000) throw recoverWindowExpiredError(groupId);
    if (app.liveGroupCount >= MAX_LIVE_GROUPS_PER_APP) throw Errors.tooManyGroups(app.appId, MAX_LIVE_GROUPS_PER_APP);
    g.deleted = false;
    g.deleteTime = 0;
    g.deletor = "";
    app.liveGroupCount++;
    return { GroupId: groupId };
  },
});
