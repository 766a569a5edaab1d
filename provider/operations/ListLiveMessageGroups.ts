/** ListLiveMessageGroups (spec §5.6): token-paged list of an app's groups. */
import { z } from "zod";
import { qpsFor } from "../limits";
import { GroupListItem, apiResponse, appRequest, bool, groupStatusField, intField, sortTypeField, str } from "./common";
import { defineOperation } from "./define";

export const ListLiveMessageGroupsRequest = appRequest({
  SortType: sortTypeField(),
  GroupStatus: groupStatusField().optional(),
  // int64 in the request although the response's NextpageToken is a string (§5.6); omitted → first page.
  NextPageToken: intField({ min: 0 }).optional(),
});

export const ListLiveMessageGroupsResponse = apiResponse({
  GroupList: z.array(GroupListItem).optional(),
  Hasmore: bool().optional(),
  // A STRING, spelled NextpageToken, present only when Hasmore (§2.4); see mappers.parsePageToken.
  NextpageToken: str().optional(),
});

export type ListLiveMessageGroupsParams = z.input<typeof ListLiveMessageGroupsRequest>;
export type ListLiveMessageGroupsResult = z.output<typeof ListLiveMessageGroupsResponse>;

export const ListLiveMessageGroups = defineOperation({
  action: "ListLiveMessageGroups",
  method: "POST",
  qps: qpsFor("ListLiveMessageGroups"),
  mutates: false,
  retry: "read",
  request: ListLiveMessageGroupsRequest,
  response: ListLiveMessageGroupsResponse,
});
