/** §5.7 ListLiveMessageGroupByPage (GET): page-number paging by creation time, with TotalCount. */
import { BY_PAGE_SIZE_RANGE } from "../../spec/limits";
import { groupListItem, groupStatusFilter } from "../common";
import { defineHandler } from "../handler";
import type { GroupRecord } from "../state";

export const ListLiveMessageGroupByPage = defineHandler({
  action: "ListLiveMessageGroupByPage",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const sortType = p.reqInt("SortType");
    const pageNumber = p.int("PageNumber") ?? 1;
    const pageSize = p.int("PageSize") ?? BY_PAGE_SIZE_RANGE.default;
    const groupStatus = p.int("GroupStatus") ?? 0;
    const app = store.requireApp("ListLiveMessageGroupByPage", appId, dataCenter, ctx);

    const filter = groupStatusFilter(groupStatus);
    const matching = filter ? app.groupOrder.filter(filter) : app.groupOrder;
    const n = matching.length;
    const start = (pageNumber - 1) * pageSize;
    const page: GroupRecord[] = [];
    for (let i = start; i < Math.min(n, start + pageSize); i++) {
      page.push(sortType === 1 ? matching[i]! : matching[n - 1 - i]!);
    }
    return {
      GroupList: page.map(groupListItem),
      TotalCount: n,
      PageNumber: pageNumber,
      PageSize: pageSize,
    };
  },
});
