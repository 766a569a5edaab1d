/** DeleteLiveMessageGroup (spec §5.4): soft-deletes a group (recoverable for 30 days). */
import type { z } from "zod";
import { qpsFor } from "../limits";
import { apiResponse, appRequest, idField, str } from "./common";
import { defineOperation } from "./define";

export const DeleteLiveMessageGroupRequest = appRequest({
  GroupId: idField(),
  // Becomes the group's `Deletor`.
  OperatorId: idField().optional(),
});

export const DeleteLiveMessageGroupResponse = apiResponse({
  GroupId: str().optional(),
});

export type DeleteLiveMessageGroupParams = z.input<typeof DeleteLiveMessageGroupRequest>;
export type DeleteLiveMessageGroupResult = z.output<typeof DeleteLiveMessageGroupResponse>;

export const DeleteLiveMessageGroup = defineOperation({
  action: "DeleteLiveMessageGroup",
  method: "POST",
  qps: qpsFor("DeleteLiveMessageGroup"),
  mutates: true,
  retry: "idempotent",
  request: DeleteLiveMessageGroupRequest,
  response: DeleteLiveMessageGroupResponse,
});
