/** ModifyLiveMessageUserInfo (spec §6.5): sets a user's extension info in every group the user is in. */
import { z } from "zod";
import { USER_META_MAX_BYTES, qpsFor } from "../limits";
import { apiResponse, appRequest, bool, idField, int64, str, stringField } from "./common";
import { defineOperation } from "./define";

export const ModifyLiveMessageUserInfoRequest = appRequest({
  UserId: idField(),
  UserMetaInfo: stringField({ maxBytes: USER_META_MAX_BYTES }).optional(),
});

export const ModifyLiveMessageUserInfoResponse = apiResponse({
  SuccessList: z.array(z.looseObject({ GroupId: str().optional(), Success: bool().optional() })).optional(),
  FailList: z
    .array(
      z.looseObject({
        GroupId: str().optional(),
        Success: bool().optional(),
        // An integer code, e.g. 440 with Reason "group not exists or already deleted".
        Code: int64().optional(),
        Reason: str().optional(),
      }),
    )
    .optional(),
});

export type ModifyLiveMessageUserInfoParams = z.input<typeof ModifyLiveMessageUserInfoRequest>;
export type ModifyLiveMessageUserInfoResult = z.output<typeof ModifyLiveMessageUserInfoResponse>;

export const ModifyLiveMessageUserInfo = defineOperation({
  action: "ModifyLiveMessageUserInfo",
  method: "POST",
  qps: qpsFor("ModifyLiveMessageUserInfo"),
  mutates: true,
  retry: "idempotent",
  request: ModifyLiveMessageUserInfoRequest,
  response: ModifyLiveMessageUserInfoResponse,
});
