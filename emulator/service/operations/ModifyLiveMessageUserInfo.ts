/** §6.5 ModifyLiveMessageUserInfo: updates the user's info in every group they are in; succeeds for unknown users. */
import { MODIFY_USER_INFO_OMITTED_CLEARS, USER_INFO_FAIL_CODE, USER_INFO_FAIL_REASON } from "../behaviour";
import { defineHandler } from "../handler";

export const ModifyLiveMessageUserInfo = defineHandler({
  action: "ModifyLiveMessageUserInfo",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const userId = p.reqStr("UserId");
    const info = p.str("UserMetaInfo");
    const app = store.requireApp("ModifyLiveMessageUserInfo", appId, dataCenter, ctx);

    const successList: { GroupId: string; Success: boolean }[] = [];
    const failList: { GroupId: string; Success: boolean; Code: number; Reason: string }[] = [];
    for (const groupId of app.userGroups.get(userId) ?? []) {
      const g = app.groups.get(groupId);
      const member = g?.members.get(userId);
      if (!g || g.deleted || !member) {
        failList.push({ GroupId: groupId, Success: false, Code: USER_INFO_FAIL_CODE, Reason: USER_INFO_FAIL_REASON });
        continue;
      }
      if (info !== undefined || MODIFY_USER_INFO_OMITTED_CLEARS) member.userInfo = info ?? "";
      successList.push({ GroupId: groupId, Success: true });
    }
    return { SuccessList: successList, FailList: failList };
  },
});
