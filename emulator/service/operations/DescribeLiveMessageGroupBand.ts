/** §8 DescribeLiveMessageGroupBand: the group's mute state. */
import { defineHandler } from "../handler";

export const DescribeLiveMessageGroupBand = defineHandler({
  action: "DescribeLiveMessageGroupBand",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const app = store.requireApp("DescribeLiveMessageGroupBand", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    return {
      GroupId: g.groupId,
      IsbannedAll: g.bannedAll,
      BannedUserList: [...g.bannedUsers],
      UnbannedUserList: [...g.exceptUsers],
    };
  },
});
