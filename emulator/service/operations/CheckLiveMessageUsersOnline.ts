/** §6.3 CheckLiveMessageUsersOnline: a user is online when they are in any group of the app. */
import { defineHandler } from "../handler";

export const CheckLiveMessageUsersOnline = defineHandler({
  action: "CheckLiveMessageUsersOnline",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const userIds = p.reqList("UserIds");
    const app = store.requireApp("CheckLiveMessageUsersOnline", appId, dataCenter, ctx);
    return { UserList: userIds.map((id) => ({ UserId: id, Online: app.userGroups.has(id) })) };
  },
});
