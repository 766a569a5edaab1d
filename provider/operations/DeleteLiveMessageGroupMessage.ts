/** DeleteLiveMessageGroupMessage (spec §7.4): deletes a stored group message by its MsgTid. */
import type { z } from "zod";
import { SENDER_META_MAX_BYTES, qpsFor } from "../limits";
import { apiResponse, appRequest, idField, str, stringField } from "./common";
import { defineOperation } from "./define";

export const DeleteLiveMessageGroupMessageRequest = appRequest({
  GroupId: idField(),
  // The MsgTid used when sending.
  MessageId: idField(),
  DeleterId: idField().optional(),
  // ≤ 512 B, the same limit as sender meta info (§7.4).
  DeleterInfo: stringField({ maxBytes: SENDER_META_MAX_BYTES }).optional(),
});

export const DeleteLiveMessageGroupMessageResponse = apiResponse({
  GroupId: str().optional(),
  MessageId: str().optional(),
});

export type DeleteLiveMessageGroupMessageParams = z.input<typeof DeleteLiveMessageGroupMessageRequest>;
export type DeleteLiveMessageGroupMessageResult = z.output<typeof DeleteLiveMessageGroupMessageResponse>;

export const DeleteLiveMessageGroupMessage = defineOperation({
  action: "DeleteLiveMessageGroupMessage",
  method: "POST",
  qps: qpsFor("DeleteLiveMessageGroupMessage"),
  mutates: true,
  retry: "idempotent",
  request: DeleteLiveMessageGroupMessageRequest,
  response: DeleteLiveMessageGroupMessageResponse,
});
