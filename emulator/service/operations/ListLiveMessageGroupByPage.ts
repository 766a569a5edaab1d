/** §5.7 ListLiveMessageGroupByPage (GET): page-number paging by creation time, with TotalCount. */
import { BY_PAGE_SIZE_DEFAULT, BY_PAGE_SIZE_MAX, BY_PAGE_SIZE_MIN, PAGE_NUMBER_MAX } from "../../../provider/limits";
import { groupListItem, groupStatusFilter } from "../common";
import { defineHandler } from "../handler";
import type { GroupRecord } from "../state";

export const ListLiveMessageGroupByPage = defineHandler({
  action: "ListLiveMessageGroupByPage",
  mutating: false,
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const sortType = p.requiredInt("SortType", { oneOf: [1, 2] });
    const pageNumber = p.optionalInt("PageNumber", { min: 1, max: PAGE_NUMBER_MAX }) ?? 1;
    const pageSize = p.optionalInt("PageSize", { min: BY_PAGE_SIZE_MIN, max: BY_PAGE_SIZE_MAX }) ?? BY_PAGE_SIZE_DEFAULT;
    const groupStatus = p.optionalInt("GroupStatus", { oneOf: [0, 1, 2] }) ?? 0;
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
