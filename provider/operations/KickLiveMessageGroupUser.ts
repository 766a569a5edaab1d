/** KickLiveMessageGroupUser (spec §6.4): removes one user from a group. */
import type { z } from "zod";
import { qpsFor } from "../limits";
import { apiResponse, appRequest, idField } from "./common";
import { defineOperation } from "./define";

export const KickLiveMessageGroupUserRequest = appRequest({
  GroupId: idField(),
  KickoffUser: idField(),
});

export const KickLiveMessageGroupUserResponse = apiResponse({});

export type KickLiveMessageGroupUserParams = z.input<typeof KickLiveMessageGroupUserRequest>;
export type KickLiveMessageGroupUserResult = z.output<typeof KickLiveMessageGroupUserResponse>;

export const KickLiveMessageGroupUser = defineOperation({
  action: "KickLiveMessageGroupUser",
  method: "POST",
  qps: qpsFor("KickLiveMessageGroupUser"),
  mutates: true,
  retry: "idempotent",
  request: KickLiveMessageGroupUserRequest,
  response: KickLiveMessageGroupUserResponse,
});
