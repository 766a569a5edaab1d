/** §8 BanLiveMessageGroup: mute-all on, with `ExceptUsers` still allowed to speak (replaces earlier exceptions). */
import { defineHandler } from "../handler";

export const BanLiveMessageGroup = defineHandler({
  action: "BanLiveMessageGroup",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const exceptUsers = p.list("ExceptUsers") ?? [];
    const app = store.requireApp("BanLiveMessageGroup", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    g.bannedAll = true;
    g.exceptUsers = new Set(exceptUsers);
    return {};
  },
});
