/** §8 RemoveLiveMessageGroupBand: lifts individual mutes (`UnbannedUsers`, required, ≤ 30). */
import { MAX_USERS_PER_BAN_CALL } from "../../../provider/limits";
import { defineHandler } from "../handler";

export const RemoveLiveMessageGroupBand = defineHandler({
  action: "RemoveLiveMessageGroupBand",
  mutating: true,
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.requiredId("GroupId");
    const users = p.requiredIdList("UnbannedUsers", { max: MAX_USERS_PER_BAN_CALL });
    const app = store.requireApp("RemoveLiveMessageGroupBand", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    for (const u of users) g.bannedUsers.delete(u);
    return {};
  },
});
