/** §8 AddLiveMessageGroupBand: mutes users individually (`BannedUsers`, required, ≤ 30). */
import { MAX_USERS_PER_BAN_CALL } from "../../../provider/limits";
import { defineHandler } from "../handler";

export const AddLiveMessageGroupBand = defineHandler({
  action: "AddLiveMessageGroupBand",
  mutating: true,
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.requiredId("GroupId");
    const users = p.requiredIdList("BannedUsers", { max: MAX_USERS_PER_BAN_CALL });
    const app = store.requireApp("AddLiveMessageGroupBand", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    for (const u of users) g.bannedUsers.add(u);
    return {};
  },
});
