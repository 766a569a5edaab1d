/**
 * §5.1 CreateLiveMessageGroup. Re-creating an existing ID is not an error (§2.4): a live group answers
 * `AlreadyExists: true, AlreadyDelete: false` and is left unchanged; a deleted one answers
 * `AlreadyExists: true, AlreadyDelete: true` and stays deleted (deleted IDs are only recoverable, never reused).
 */
import { LIVE_GROUPS_PER_APP } from "../../spec/limits";
import { Errors } from "../../errors";
import { defineHandler } from "../handler";
import { unique } from "../params";
import { newGroup } from "../state";

export const CreateLiveMessageGroup = defineHandler({
  action: "CreateLiveMessageGroup",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const groupName = p.str("GroupName") ?? "";
    const groupInfo = p.str("GroupInfo") ?? "";
    const administrators = unique(p.list("Administrators") ?? []);
    const creatorId = p.str("CreatorId") ?? "";
    const app = store.requireApp("CreateLiveMessageGroup", appId, dataCenter, ctx);

    const existing = app.groups.get(groupId);
    if (existing) return { GroupId: groupId, AlreadyExists: true, AlreadyDelete: existing.deleted };
    if (app.liveGroupCount >= LIVE_GROUPS_PER_APP) throw Errors.tooManyGroups(app.appId, LIVE_GROUPS_PER_APP);

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
