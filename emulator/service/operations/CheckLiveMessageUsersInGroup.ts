/** §6.2 CheckLiveMessageUsersInGroup: `Online` means "is in this group". */
import { SUPER_GROUP_PRESENCE_CHECKS_WORK } from "../behaviour";
import { defineHandler } from "../handler";

export const CheckLiveMessageUsersInGroup = defineHandler({
  action: "CheckLiveMessageUsersInGroup",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const userIds = p.reqList("UserIds");
    const app = store.requireApp("CheckLiveMessageUsersInGroup", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    const visible = !g.superLarge || SUPER_GROUP_PRESENCE_CHECKS_WORK;
    return { Users: userIds.map((id) => ({ UserId: id, Online: visible && g.members.has(id) })) };
  },
});
