/** AddLiveMessageGroupBand (spec §8): mutes 1–30 users individually. */
import type { z } from "zod";
import { MAX_USERS_PER_BAN_CALL, qpsFor } from "../limits";
import { apiResponse, appRequest, idField, idListField } from "./common";
import { defineOperation } from "./define";

export const AddLiveMessageGroupBandRequest = appRequest({
  GroupId: idField(),
  BannedUsers: idListField({ min: 1, max: MAX_USERS_PER_BAN_CALL }),
});

export const AddLiveMessageGroupBandResponse = apiResponse({});

export type AddLiveMessageGroupBandParams = z.input<typeof AddLiveMessageGroupBandRequest>;
export type AddLiveMessageGroupBandResult = z.output<typeof AddLiveMessageGroupBandResponse>;

export const AddLiveMessageGroupBand = defineOperation({
  action: "AddLiveMessageGroupBand",
  method: "POST",
  qps: qpsFor("AddLiveMessageGroupBand"),
  mutates: true,
  retry: "idempotent",
  request: AddLiveMessageGroupBandRequest,
  response: AddLiveMessageGroupBandResponse,
});
