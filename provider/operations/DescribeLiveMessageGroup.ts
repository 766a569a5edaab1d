/** DescribeLiveMessageGroup (spec §5.2): one group, live or deleted. */
import { z } from "zod";
import { qpsFor } from "../limits";
import { apiResponse, appRequest, bool, idField, int64, str, strList } from "./common";
import { defineOperation } from "./define";

export const DescribeLiveMessageGroupRequest = appRequest({
  GroupId: idField(),
});

export const DescribeLiveMessageGroupResponse = apiResponse({
  // Required: the handlers key their state on it.
  GroupId: str(),
  GroupName: str().optional(),
  GroupInfo: str().optional(),
  CreatorId: str().optional(),
  AdminList: strList().optional(),
  // Lower-case "t" (§2.4).
  Createtime: int64().optional(),
  Delete: bool().optional(),
  SuperLargeGroup: bool().optional(),
  // Only while the group exists.
  OnlineUserCounts: int64().optional(),
  TotalTimes: int64().optional(),
  // Message type (as a string key) → count, e.g. {"1":20,"2":30}.
  MsgAmount: z.record(z.string(), z.number()).optional(),
  // Only when deleted; the spelling is the service's (§2.4).
  Deletatime: int64().optional(),
  Deletor: str().optional(),
});

export type DescribeLiveMessageGroupParams = z.input<typeof DescribeLiveMessageGroupRequest>;
export type DescribeLiveMessageGroupResult = z.output<typeof DescribeLiveMessageGroupResponse>;

export const DescribeLiveMessageGroup = defineOperation({
  action: "DescribeLiveMessageGroup",
  method: "POST",
  qps: qpsFor("DescribeLiveMessageGroup"),
  mutates: false,
  retry: "read",
  request: DescribeLiveMessageGroupRequest,
  response: DescribeLiveMessageGroupResponse,
});
