/** ListLiveMessageGroupMessages (spec §7.3): token-paged stored messages of a group. */
import { z } from "zod";
import { TOKEN_PAGE_SIZE_MAX, TOKEN_PAGE_SIZE_MIN, qpsFor } from "../limits";
import { apiResponse, appRequest, bool, idField, int64, intField, sortTypeField, str } from "./common";
import { defineOperation } from "./define";

export const ListLiveMessageGroupMessagesRequest = appRequest({
  GroupId: idField(),
  PageSize: intField({ min: TOKEN_PAGE_SIZE_MIN, max: TOKEN_PAGE_SIZE_MAX }),
  // By send time.
  SortType: sortTypeField(),
  // Unix seconds; negative values are rejected (no documented meaning).
  BeginTime: intField({ min: 0 }).optional(),
  EndTime: intField({ min: 0 }).optional(),
  MsgType: intField().optional(),
  NextPageToken: intField({ min: 0 }).optional(),
});

export const LiveMessageGroupMessage = z.looseObject({
  MsgTid: str().optional(),
  MsgType: int64().optional(),
  Body: str().optional(),
  SeqNumber: int64().optional(),
  Timestamp: int64().optional(),
  TotalMessages: int64().optional(),
  Sender: z.looseObject({ UserId: str().optional(), UserInfo: str().optional() }).optional(),
});

export const ListLiveMessageGroupMessagesResponse = apiResponse({
  GroupId: str().optional(),
  MessageList: z.array(LiveMessageGroupMessage).optional(),
  Hasmore: bool().optional(),
  // int64; 0 = no more pages.
  NextPageToken: int64().optional(),
});

export type ListLiveMessageGroupMessagesParams = z.input<typeof ListLiveMessageGroupMessagesRequest>;
export type ListLiveMessageGroupMessagesResult = z.output<typeof ListLiveMessageGroupMessagesResponse>;

export const ListLiveMessageGroupMessages = defineOperation({
  action: "ListLiveMessageGroupMessages",
  method: "POST",
  qps: qpsFor("ListLiveMessageGroupMessages"),
  mutates: false,
  retry: "read",
  request: ListLiveMessageGroupMessagesRequest,
  response: ListLiveMessageGroupMessagesResponse,
});
