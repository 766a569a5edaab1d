/** RemoveLiveMessageGroupBand (spec §8): unmutes 1–30 individually muted users. */
import type { z } from "zod";
import { MAX_USERS_PER_BAN_CALL, qpsFor } from "../limits";
import { apiResponse, appRequest, idField, idListField } from "./common";
import { defineOperation } from "./define";

export const RemoveLiveMessageGroupBandRequest = appRequest({
  GroupId: idField(),
  UnbannedUsers: idListField({ min: 1, max: MAX_USERS_PER_BAN_CALL }),
});

export const RemoveLiveMessageGroupBandResponse = apiResponse({});

export type RemoveLiveMessageGroupBandParams = z.input<typeof RemoveLiveMessageGroupBandRequest>;
export type RemoveLiveMessageGroupBandResult = z.output<typeof RemoveLiveMessageGroupBandResponse>;

export const RemoveLiveMessageGroupBand = defineOperation({
  action: "RemoveLiveMessageGroupBand",
  method: "POST",
  qps: qpsFor("RemoveLiveMessageGroupBand"),
  mutates: true,
  retry: "idempotent",
  request: RemoveLiveMessageGroupBandRequest,
  response: RemoveLiveMessageGroupBandResponse,
});
