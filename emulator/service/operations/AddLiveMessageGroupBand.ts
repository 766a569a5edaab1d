/** §8 AddLiveMessageGroupBand: mutes users individually (`BannedUsers`, required, ≤ 30). */
import { defineHandler } from "../handler";

export const AddLiveMessageGroupBand = defineHandler({
  action: "AddLiveMessageGroupBand",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const users = p.reqList("BannedUsers");
    const app = store.requireApp("AddLiveMessageGroupBand", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    for (const u of users) g.bannedUsers.add(u);
    return {};
  },
});
