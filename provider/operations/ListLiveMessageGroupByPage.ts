/** ListLiveMessageGroupByPage (spec §5.7): page-number paging; the only GET operation (§2.1). */
import { z } from "zod";
import { BY_PAGE_SIZE_MAX, BY_PAGE_SIZE_MIN, PAGE_NUMBER_MAX, qpsFor } from "../limits";
import { GroupListItem, apiResponse, appRequest, groupStatusField, int64, intField, sortTypeField } from "./common";
import { defineOperation } from "./define";

export const ListLiveMessageGroupByPageRequest = appRequest({
  SortType: sortTypeField(),
  PageNumber: intField({ min: 1, max: PAGE_NUMBER_MAX }).optional(),
  PageSize: intField({ min: BY_PAGE_SIZE_MIN, max: BY_PAGE_SIZE_MAX }).optional(),
  GroupStatus: groupStatusField().optional(),
});

export const ListLiveMessageGroupByPageResponse = apiResponse({
  GroupList: z.array(GroupListItem).optional(),
  TotalCount: int64().optional(),
  PageNumber: int64().optional(),
  PageSize: int64().optional(),
});

export type ListLiveMessageGroupByPageParams = z.input<typeof ListLiveMessageGroupByPageRequest>;
export type ListLiveMessageGroupByPageResult = z.output<typeof ListLiveMessageGroupByPageResponse>;

export const ListLiveMessageGroupByPage = defineOperation({
  action: "ListLiveMessageGroupByPage",
  method: "GET",
  qps: qpsFor("ListLiveMessageGroupByPage"),
  mutates: false,
  retry: "read",
  request: ListLiveMessageGroupByPageRequest,
  response: ListLiveMessageGroupByPageResponse,
});
