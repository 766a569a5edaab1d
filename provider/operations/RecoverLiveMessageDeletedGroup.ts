/** RecoverLiveMessageDeletedGroup (spec §5.5): undeletes a group within 30 days of deletion. */
import type { z } from "zod";
import { qpsFor } from "../limits";
import { apiResponse, appRequest, idField, str } from "./common";
import { defineOperation } from "./define";

export const RecoverLiveMessageDeletedGroupRequest = appRequest({
  GroupId: idField(),
});

export const RecoverLiveMessageDeletedGroupResponse = apiResponse({
  GroupId: str().optional(),
});

export type RecoverLiveMessageDeletedGroupParams = z.input<typeof RecoverLiveMessageDeletedGroupRequest>;
export type RecoverLiveMessageDeletedGroupResult = z.output<typeof RecoverLiveMessageDeletedGroupResponse>;

export const RecoverLiveMessageDeletedGroup = defineOperation({
  action: "RecoverLiveMessageDeletedGroup",
  method: "POST",
  qps: qpsFor("RecoverLiveMessageDeletedGroup"),
  mutates: true,
  retry: "idempotent",
  request: RecoverLiveMessageDeletedGroupRequest,
  response: RecoverLiveMessageDeletedGroupResponse,
});
