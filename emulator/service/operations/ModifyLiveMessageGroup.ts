/** §5.3 ModifyLiveMessageGroup: AdminList applies only with ModifyAdmin=true, GroupInfo only with ModifyInfo=true. */
import { GROUP_INFO_MAX_BYTES, MAX_ADMINISTRATORS } from "../../../provider/limits";
import { defineHandler } from "../handler";
import { unique } from "../params";

export const ModifyLiveMessageGroup = defineHandler({
  action: "ModifyLiveMessageGroup",
  mutating: true,
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.requiredId("GroupId");
    const modifyAdmin = p.optionalBool("ModifyAdmin") ?? false;
    const adminList = unique(p.optionalIdList("AdminList", { max: MAX_ADMINISTRATORS }) ?? []);
    const modifyInfo = p.optionalBool("ModifyInfo") ?? false;
    const groupInfo = p.optionalString("GroupInfo", { maxBytes: GROUP_INFO_MAX_BYTES }) ?? "";
    const app = store.requireApp("ModifyLiveMessageGroup", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    // AdminList is the full replacement list (§5.3); omitted with ModifyAdmin=true clears the admins.
    if (modifyAdmin) g.adminList = adminList;
    if (modifyInfo) g.groupInfo = groupInfo;
    return {};
  },
});
