/** BanLiveMessageGroup (spec §8): turns mute-all on, with up to 30 exceptions. */
import type { z } from "zod";
import { MAX_USERS_PER_BAN_CALL, qpsFor } from "../limits";
import { apiResponse, appRequest, idField, idListField } from "./common";
import { defineOperation } from "./define";

export const BanLiveMessageGroupRequest = appRequest({
  GroupId: idField(),
  ExceptUsers: idListField({ min: 0, max: MAX_USERS_PER_BAN_CALL }).optional(),
});

export const BanLiveMessageGroupResponse = apiResponse({});

export type BanLiveMessageGroupParams = z.input<typeof BanLiveMessageGroupRequest>;
export type BanLiveMessageGroupResult = z.output<typeof BanLiveMessageGroupResponse>;

export const BanLiveMessageGroup = defineOperation({
  action: "BanLiveMessageGroup",
  method: "POST",
  qps: qpsFor("BanLiveMessageGroup"),
  mutates: true,
  retry: "idempotent",
  request: BanLiveMessageGroupRequest,
  response: BanLiveMessageGroupResponse,
});
