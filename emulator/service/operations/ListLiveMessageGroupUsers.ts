/**
 * §6.1 ListLiveMessageGroupUsers: members by join time with token paging (`NextPageToken` 0 = no more). A super
 * group (§2.4) has no queryable member list.
 */
import { cursorPage } from "../common";
import { defineHandler } from "../handler";

export const ListLiveMessageGroupUsers = defineHandler({
  action: "ListLiveMessageGroupUsers",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const pageSize = p.reqInt("PageSize");
    const sortType = p.reqInt("SortType");
    const token = p.int("NextPageToken");
    const app = store.requireApp("ListLiveMessageGroupUsers", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);
    if (g.superLarge) return { GroupId: g.groupId, UserList: [], Hasmore: false, NextPageToken: 0 };

    // Map iteration order is join order, i.e. ascending joinSeq.
    const { page, next } = cursorPage([...g.members.values()], (m) => m.joinSeq, {
      descending: sortType === 2,
      token,
      size: pageSize,
    });
    return {
      GroupId: g.groupId,
      UserList: page.map((m) => ({ UserId: m.userId, UserInfo: m.userInfo })),
      Hasmore: next !== undefined,
      NextPageToken: next ?? 0,
    };
  },
});
