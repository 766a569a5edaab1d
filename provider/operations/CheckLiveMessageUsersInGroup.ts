/** CheckLiveMessageUsersInGroup (spec §6.2): which of 1–10 users are in a group. */
import { z } from "zod";
import { MAX_USER_IDS_PER_CHECK, qpsFor } from "../limits";
import { apiResponse, appRequest, bool, idField, idListField } from "./common";
import { defineOperation } from "./define";

export const CheckLiveMessageUsersInGroupRequest = appRequest({
  GroupId: idField(),
  UserIds: idListField({ min: 1, max: MAX_USER_IDS_PER_CHECK }),
});

export const CheckLiveMessageUsersInGroupResponse = apiResponse({
  // `Online` means "is in the group" here (§6.2).
  Users: z.array(z.looseObject({ UserId: z.string(), Online: bool().optional() })).optional(),
});

export type CheckLiveMessageUsersInGroupParams = z.input<typeof CheckLiveMessageUsersInGroupRequest>;
export type CheckLiveMessageUsersInGroupResult = z.output<typeof CheckLiveMessageUsersInGroupResponse>;

export const CheckLiveMessageUsersInGroup = defineOperation({
  action: "CheckLiveMessageUsersInGroup",
  method: "POST",
  qps: qpsFor("CheckLiveMessageUsersInGroup"),
  mutates: false,
  retry: "read",
  request: CheckLiveMessageUsersInGroupRequest,
  response: CheckLiveMessageUsersInGroupResponse,
});
