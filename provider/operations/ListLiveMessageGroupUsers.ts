/** ListLiveMessageGroupUsers (spec §6.1): token-paged members of a group (none for super groups). */
import { z } from "zod";
import { TOKEN_PAGE_SIZE_MAX, TOKEN_PAGE_SIZE_MIN, qpsFor } from "../limits";
import { apiResponse, appRequest, bool, idField, int64, intField, sortTypeField, str } from "./common";
import { defineOperation } from "./define";

export const ListLiveMessageGroupUsersRequest = appRequest({
  GroupId: idField(),
  PageSize: intField({ min: TOKEN_PAGE_SIZE_MIN, max: TOKEN_PAGE_SIZE_MAX }),
  // By join time.
  SortType: sortTypeField(),
  NextPageToken: intField({ min: 0 }).optional(),
});

export const ListLiveMessageGroupUsersResponse = apiResponse({
  GroupId: str().optional(),
  UserList: z.array(z.looseObject({ UserId: z.string(), UserInfo: str().optional() })).optional(),
  Hasmore: bool().optional(),
  // int64; 0 = no more pages.
  NextPageToken: int64().optional(),
});

export type ListLiveMessageGroupUsersParams = z.input<typeof ListLiveMessageGroupUsersRequest>;
export type ListLiveMessageGroupUsersResult = z.output<typeof ListLiveMessageGroupUsersResponse>;

export const ListLiveMessageGroupUsers = defineOperation({
  action: "ListLiveMessageGroupUsers",
  method: "POST",
  qps: qpsFor("ListLiveMessageGroupUsers"),
  mutates: false,
  retry: "read",
  request: ListLiveMessageGroupUsersRequest,
  response: ListLiveMessageGroupUsersResponse,
});
