/** ModifyLiveMessageGroupBand (spec §8): sets mute-all, exceptions and individual mutes in one call. */
import type { z } from "zod";
import { MAX_USERS_PER_BAN_CALL, qpsFor } from "../limits";
import { apiResponse, appRequest, boolField, idField, idListField } from "./common";
import { defineOperation } from "./define";

export const ModifyLiveMessageGroupBandRequest = appRequest({
  GroupId: idField(),
  BannedAll: boolField().optional(),
  // Three n's: the service's spelling (§2.2, §2.4).
  BannnedUsers: idListField({ min: 0, max: MAX_USERS_PER_BAN_CALL }).optional(),
  // Exceptions under mute-all (used with BannedAll=true; merge vs replace is [U], so not enforced here).
  ExceptUsers: idListField({ min: 0, max: MAX_USERS_PER_BAN_CALL }).optional(),
});

export const ModifyLiveMessageGroupBandResponse = apiResponse({});

export type ModifyLiveMessageGroupBandParams = z.input<typeof ModifyLiveMessageGroupBandRequest>;
export type ModifyLiveMessageGroupBandResult = z.output<typeof ModifyLiveMessageGroupBandResponse>;

export const ModifyLiveMessageGroupBand = defineOperation({
  action: "ModifyLiveMessageGroupBand",
  method: "POST",
  qps: qpsFor("ModifyLiveMessageGroupBand"),
  mutates: true,
  retry: "idempotent",
  request: ModifyLiveMessageGroupBandRequest,
  response: ModifyLiveMessageGroupBandResponse,
});
