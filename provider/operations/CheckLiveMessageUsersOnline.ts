/** CheckLiveMessageUsersOnline (spec §6.3): which of 1–10 users are online in the app. */
import { z } from "zod";
import { MAX_USER_IDS_PER_CHECK, qpsFor } from "../limits";
import { apiResponse, appRequest, bool, idListField } from "./common";
import { defineOperation } from "./define";

export const CheckLiveMessageUsersOnlineRequest = appRequest({
  UserIds: idListField({ min: 1, max: MAX_USER_IDS_PER_CHECK }),
});

export const CheckLiveMessageUsersOnlineResponse = apiResponse({
  UserList: z.array(z.looseObject({ UserId: z.string(), Online: bool().optional() })).optional(),
});

export type CheckLiveMessageUsersOnlineParams = z.input<typeof CheckLiveMessageUsersOnlineRequest>;
export type CheckLiveMessageUsersOnlineResult = z.output<typeof CheckLiveMessageUsersOnlineResponse>;

export const CheckLiveMessageUsersOnline = defineOperation({
  action: "CheckLiveMessageUsersOnline",
  method: "POST",
  qps: qpsFor("CheckLiveMessageUsersOnline"),
  mutates: false,
  retry: "read",
  request: CheckLiveMessageUsersOnlineRequest,
  response: CheckLiveMessageUsersOnlineResponse,
});
