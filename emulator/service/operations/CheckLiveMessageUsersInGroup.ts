/** §6.2 CheckLiveMessageUsersInGroup: `Online` means "is in this group". */
import { MAX_USER_IDS_PER_CHECK } from "../../../provider/limits";
import { SUPER_GROUP_PRESENCE_CHECKS_WORK } from "../behaviour";
import { defineHandler } from "../handler";

export const CheckLiveMessageUsersInGroup = defineHandler({
  action: "CheckLiveMessageUsersInGroup",
  mutating: false,
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.requiredId("GroupId");
    const userIds = p.requiredIdList("UserIds", { max: MAX_USER_IDS_PER_CHECK });
    const app = store.requireApp("CheckLiveMessageUsersInGroup", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    const visible = !g.superLarge || SUPER_GROUP_PRESENCE_CHECKS_WORK;
    return { Users: userIds.map((id) => ({ UserId: id, Online: visible && g.members.has(id) })) };
  },
});
