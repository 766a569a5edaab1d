/** §8 UnbanLiveMessageGroup: mute-all off; individual mutes remain. */
import { UNBAN_CLEARS_EXCEPTIONS } from "../behaviour";
import { defineHandler } from "../handler";

export const UnbanLiveMessageGroup = defineHandler({
  action: "UnbanLiveMessageGroup",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const app = store.requireApp("UnbanLiveMessageGroup", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    g.bannedAll = false;
    if (UNBAN_CLEARS_EXCEPTIONS) g.exceptUsers = new Set();
    return {};
  },
});
