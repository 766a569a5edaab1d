/** ListLiveMessageApps (spec §3.3): token-paged list of the account's apps. */
import { z } from "zod";
import { qpsFor } from "../limits";
import { accountRequest, apiResponse, bool, int64, intField, sortTypeField, str } from "./common";
import { defineOperation } from "./define";

export const ListLiveMessageAppsRequest = accountRequest({
  SortType: sortTypeField(),
  // Omitted or -1 → first page (§3.3).
  NextPageToken: intField({ min: -1 }).optional(),
});

export const LiveMessageAppListItem = z.looseObject({
  AppId: z.string(),
  AppName: str().optional(),
  AppKey: str().optional(),
  AppSign: str().optional(),
  CreateTime: int64().optional(),
  ModifyTime: int64().optional(),
  DataCenter: str().optional(),
  MsgLifeCycle: int64().optional(),
  // A STRING here ("true"/"false"), unlike DescribeLiveMessageApp (§3.3); see mappers.parseDisableFlag.
  Disable: str().optional(),
});

export const ListLiveMessageAppsResponse = apiResponse({
  AppList: z.array(LiveMessageAppListItem).optional(),
  // `HasMore` (capital M) here, `Hasmore` elsewhere (§2.4).
  HasMore: bool().optional(),
  // int64, present only when HasMore.
  NextPageToken: int64().optional(),
});

export type ListLiveMessageAppsParams = z.input<typeof ListLiveMessageAppsRequest>;
export type ListLiveMessageAppsResult = z.output<typeof ListLiveMessageAppsResponse>;

export const ListLiveMessageApps = defineOperation({
  action: "ListLiveMessageApps",
  method: "POST",
  qps: qpsFor("ListLiveMessageApps"),
  mutates: false,
  retry: "read",
  request: ListLiveMessageAppsRequest,
  response: ListLiveMessageAppsResponse,
});
