/** §8 BanLiveMessageGroup: mute-all on, with `ExceptUsers` still allowed to speak (replaces earlier exceptions). */
import { MAX_USERS_PER_BAN_CALL } from "../../../provider/limits";
import { defineHandler } from "../handler";

export const BanLiveMessageGroup = defineHandler({
  action: "BanLiveMessageGroup",
  mutating: true,
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.requiredId("GroupId");
    const exceptUsers = p.optionalIdList("ExceptUsers", { max: MAX_USERS_PER_BAN_CALL }) ?? [];
    const app = store.requireApp("BanLiveMessageGroup", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    g.bannedAll = true;
    g.exceptUsers = new Set(exceptUsers);
    return {};
  },
});
