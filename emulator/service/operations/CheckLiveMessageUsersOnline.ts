/** §6.3 CheckLiveMessageUsersOnline: a user is online when they are in any group of the app. */
import { MAX_USER_IDS_PER_CHECK } from "../../../provider/limits";
import { defineHandler } from "../handler";

export const CheckLiveMessageUsersOnline = defineHandler({
  action: "CheckLiveMessageUsersOnline",
  mutating: false,
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const userIds = p.requiredIdList("UserIds", { max: MAX_USER_IDS_PER_CHECK });
    const app = store.requireApp("CheckLiveMessageUsersOnline", appId, dataCenter, ctx);
    return { UserList: userIds.map((id) => ({ UserId: id, Online: app.userGroups.has(id) })) };
  },
});
