/** §5.3 ModifyLiveMessageGroup: AdminList applies only with ModifyAdmin=true, GroupInfo only with ModifyInfo=true. */
import { defineHandler } from "../handler";
import { unique } from "../params";

export const ModifyLiveMessageGroup = defineHandler({
  action: "ModifyLiveMessageGroup",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const modifyAdmin = p.bool("ModifyAdmin") ?? false;
    const adminList = unique(p.list("AdminList") ?? []);
    const modifyInfo = p.bool("ModifyInfo") ?? false;
    const groupInfo = p.str("GroupInfo") ?? "";
    const app = store.requireApp("ModifyLiveMessageGroup", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    // AdminList is the full replacement list (§5.3); omitted with ModifyAdmin=true clears the admins.
    if (modifyAdmin) g.adminList = adminList;
    if (modifyInfo) g.groupInfo = groupInfo;
    return {};
  },
});
