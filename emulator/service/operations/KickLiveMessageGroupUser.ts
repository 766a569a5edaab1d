/** §6.4 KickLiveMessageGroupUser: removes one user from the group (they may join again; behaviour.ts). */
import { Errors } from "../../errors";
import { KICK_NON_MEMBER_SUCCEEDS } from "../behaviour";
import { defineHandler } from "../handler";

export const KickLiveMessageGroupUser = defineHandler({
  action: "KickLiveMessageGroupUser",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const userId = p.reqStr("KickoffUser");
    const app = store.requireApp("KickLiveMessageGroupUser", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    if (!g.members.has(userId) && !KICK_NON_MEMBER_SUCCEEDS) throw Errors.resourceNotExist(`user ${userId} in group ${groupId}`);
    store.removeMember(app, g, userId);
    return {};
  },
});
