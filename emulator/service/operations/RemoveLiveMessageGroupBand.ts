/** §8 RemoveLiveMessageGroupBand: lifts individual mutes (`UnbannedUsers`, required, ≤ 30). */
import { defineHandler } from "../handler";

export const RemoveLiveMessageGroupBand = defineHandler({
  action: "RemoveLiveMessageGroupBand",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const users = p.reqList("UnbannedUsers");
    const app = store.requireApp("RemoveLiveMessageGroupBand", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    for (const u of users) g.bannedUsers.delete(u);
    return {};
  },
});
