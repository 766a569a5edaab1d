/**
 * §6.1 ListLiveMessageGroupUsers: members by join time with token paging (`NextPageToken` 0 = no more). A super
 * group (§2.4) has no queryable member list.
 */
import { TOKEN_PAGE_SIZE_MAX, TOKEN_PAGE_SIZE_MIN } from "../../../provider/limits";
import { cursorPage } from "../common";
import { defineHandler } from "../handler";

export const ListLiveMessageGroupUsers = defineHandler({
  action: "ListLiveMessageGroupUsers",
  mutating: false,
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.requiredId("GroupId");
    const pageSize = p.requiredInt("PageSize", { min: TOKEN_PAGE_SIZE_MIN, max: TOKEN_PAGE_SIZE_MAX });
    const sortType = p.requiredInt("SortType", { oneOf: [1, 2] });
    const token = p.optionalInt("NextPageToken", { kind: "int64", min: -1 });
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
