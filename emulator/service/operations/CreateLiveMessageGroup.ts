/**
 * §5.1 CreateLiveMessageGroup. Re-creating an existing ID is not an error (§2.4): a live group answers
 * `AlreadyExists: true, AlreadyDelete: false` and is left unchanged; a deleted one answers
 * `AlreadyExists: true, AlreadyDelete: true` and stays deleted (deleted IDs are only recoverable, never reused).
 */
import { GROUP_INFO_MAX_BYTES, GROUP_NAME_MAX_BYTES, MAX_ADMINISTRATORS, MAX_LIVE_GROUPS_PER_APP } from "../../../provider/limits";
import { Errors } from "../../errors";
import { defineHandler } from "../handler";
import { unique } from "../params";
import { newGroup } from "../state";

export const CreateLiveMessageGroup = defineHandler({
  action: "CreateLiveMessageGroup",
  mutating: true,
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.requiredId("GroupId");
    const groupName = p.optionalString("GroupName", { maxBytes: GROUP_NAME_MAX_BYTES }) ?? "";
    const groupInfo = p.optionalString("GroupInfo", { maxBytes: GROUP_INFO_MAX_BYTES }) ?? "";
    const administrators = unique(p.optionalIdList("Administrators", { max: MAX_ADMINISTRATORS }) ?? []);
    const creatorId = p.optionalId("CreatorId") ?? "";
    const app = store.requireApp("CreateLiveMessageGroup", appId, dataCenter, ctx);

    const existing = app.groups.get(groupId);
    if (existing) return { GroupId: groupId, AlreadyExists: true, AlreadyDelete: existing.deleted };
    if (app.liveGroupCount >= MAX_LIVE_GROUPS_PER_APP) throw Errors.tooManyGroups(app.appId, MAX_LIVE_GROUPS_PER_APP);

    store.addGroup(
      app,
      newGroup({
        groupId,
        groupName,
        groupInfo,
        creatorId,
        adminList: administrators,
        createTime: ctx.now,
        createSeq: app.nextGroupSeq++,
      }),
    );
    return { GroupId: groupId, AlreadyExists: false, AlreadyDelete: false };
  },
});
