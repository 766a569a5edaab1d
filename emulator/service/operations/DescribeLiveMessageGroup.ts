/** §5.2 DescribeLiveMessageGroup: works on deleted groups too (`Delete: true`, `Deletatime`, `Deletor`). */
import { defineHandler } from "../handler";
import { seconds } from "../state";

export const DescribeLiveMessageGroup = defineHandler({
  action: "DescribeLiveMessageGroup",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const app = store.requireApp("DescribeLiveMessageGroup", appId, dataCenter, ctx);
    const g = store.requireGroup(app, groupId);
    return {
      GroupId: g.groupId,
      GroupName: g.groupName,
      GroupInfo: g.groupInfo,
      CreatorId: g.creatorId,
      AdminList: [...g.adminList],
      Createtime: seconds(g.createTime),
      Delete: g.deleted,
      SuperLargeGroup: g.superLarge,
      // §5.2: counters only while the group exists; deletion details only once deleted.
      ...(g.deleted
        ? { Deletatime: seconds(g.deleteTime), Deletor: g.deletor }
        : {
            OnlineUserCounts: g.members.size,
            TotalTimes: g.totalTimes,
            MsgAmount: Object.fromEntries(g.msgAmount),
          }),
    };
  },
});
