/** §5.6 ListLiveMessageGroups: token paging by creation time; `NextpageToken` is a STRING, only when `Hasmore`. */
import { GROUPS_PAGE_SIZE } from "../../spec/limits";
import { cursorPage, groupListItem, groupStatusFilter } from "../common";
import { defineHandler } from "../handler";

export const ListLiveMessageGroups = defineHandler({
  action: "ListLiveMessageGroups",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const sortType = p.reqInt("SortType");
    const groupStatus = p.int("GroupStatus") ?? 0;
    const token = p.int("NextPageToken");
    const app = store.requireApp("ListLiveMessageGroups", appId, dataCenter, ctx);
    const { page, next } = cursorPage(app.groupOrder, (g) => g.createSeq, {
      descending: sortType === 2,
      token,
      size: GROUPS_PAGE_SIZE,
      filter: groupStatusFilter(groupStatus),
    });
    return {
      GroupList: page.map(groupListItem),
      Hasmore: next !== undefined,
      ...(next !== undefined ? { NextpageToken: String(next) } : {}),
    };
  },
});
