/**
 * §8 ModifyLiveMessageGroupBand: sets the mute state in one call — `BannedAll`, `BannnedUsers` (sic, three n's)
 * and `ExceptUsers` (only with BannedAll=true). Replace or merge: MODIFY_BAND_SEMANTICS in behaviour.ts.
 */
import { MODIFY_BAND_SEMANTICS } from "../behaviour";
import { defineHandler } from "../handler";

export const ModifyLiveMessageGroupBand = defineHandler({
  action: "ModifyLiveMessageGroupBand",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const bannedAll = p.bool("BannedAll");
    const banned = p.list("BannnedUsers") ?? [];
    const except = p.list("ExceptUsers") ?? [];
    const app = store.requireApp("ModifyLiveMessageGroupBand", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    if (MODIFY_BAND_SEMANTICS === "replace") {
      g.bannedAll = bannedAll ?? false;
      g.bannedUsers = new Set(banned);
      g.exceptUsers = new Set(g.bannedAll ? except : []);
    } else {
      g.bannedAll = bannedAll ?? g.bannedAll;
      for (const u of banned) g.bannedUsers.add(u);
      if (!g.bannedAll) g.exceptUsers = new Set();
      else for (const u of except) g.exceptUsers.add(u);
    }
    return {};
  },
});
