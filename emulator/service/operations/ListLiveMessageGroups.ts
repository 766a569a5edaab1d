/** §5.6 ListLiveMessageGroups: token paging by creation time; `NextpageToken` is a STRING, only when `Hasmore`. */
import { LIST_GROUPS_PAGE_SIZE } from "../../../provider/limits";
import { cursorPage, groupListItem, groupStatusFilter } from "../common";
import { defineHandler } from "../handler";

export const ListLiveMessageGroups = defineHandler({
  action: "ListLiveMessageGroups",
  mutating: false,
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const sortType = p.requiredInt("SortType", { oneOf: [1, 2] });
    const groupStatus = p.optionalInt("GroupStatus", { oneOf: [0, 1, 2] }) ?? 0;
    const token = p.optionalInt("NextPageToken", { kind: "int64", min: -1 });
    const app = store.requireApp("ListLiveMessageGroups", appId, dataCenter, ctx);
    const { page, next } = cursorPage(app.groupOrder, (g) => g.createSeq, {
      descending: sortType === 2,
      token,
      size: LIST_GROUPS_PAGE_SIZE,
      filter: groupStatusFilter(groupStatus),
    });
    return {
      GroupList: page.map(groupListItem),
      Hasmore: next !== undefined,
      ...(next !== undefined ? { NextpageToken: String(next) } : {}),
    };
  },
});
