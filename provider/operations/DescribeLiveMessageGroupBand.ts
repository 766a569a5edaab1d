/** DescribeLiveMessageGroupBand (spec §8): reads a group's mute state. */
import type { z } from "zod";
import { qpsFor } from "../limits";
import { apiResponse, appRequest, bool, idField, str, strList } from "./common";
import { defineOperation } from "./define";

export const DescribeLiveMessageGroupBandRequest = appRequest({
  GroupId: idField(),
});

export const DescribeLiveMessageGroupBandResponse = apiResponse({
  GroupId: str().optional(),
  // Lower-case "b" (§2.4).
  IsbannedAll: bool().optional(),
  // Individually muted users.
  BannedUserList: strList().optional(),
  // Exceptions while mute-all is on.
  UnbannedUserList: strList().optional(),
});

export type DescribeLiveMessageGroupBandParams = z.input<typeof DescribeLiveMessageGroupBandRequest>;
export type DescribeLiveMessageGroupBandResult = z.output<typeof DescribeLiveMessageGroupBandResponse>;

export const DescribeLiveMessageGroupBand = defineOperation({
  action: "DescribeLiveMessageGroupBand",
  method: "POST",
  qps: qpsFor("DescribeLiveMessageGroupBand"),
  mutates: false,
  retry: "read",
  request: DescribeLiveMessageGroupBandRequest,
  response: DescribeLiveMessageGroupBandResponse,
});
