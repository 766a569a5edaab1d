/** DeleteLiveMessageUserMessage (spec §7.5): deletes a stored one-to-one message by its MsgTid. */
import type { z } from "zod";
import { SENDER_META_MAX_BYTES, qpsFor } from "../limits";
import { apiResponse, appRequest, idField, stringField } from "./common";
import { defineOperation } from "./define";

export const DeleteLiveMessageUserMessageRequest = appRequest({
  ReceiverId: idField(),
  // The MsgTid from SendLiveMessageUser.
  MessageId: idField(),
  DeleterId: idField().optional(),
  DeleterInfo: stringField({ maxBytes: SENDER_META_MAX_BYTES }).optional(),
});

export const DeleteLiveMessageUserMessageResponse = apiResponse({});

export type DeleteLiveMessageUserMessageParams = z.input<typeof DeleteLiveMessageUserMessageRequest>;
export type DeleteLiveMessageUserMessageResult = z.output<typeof DeleteLiveMessageUserMessageResponse>;

export const DeleteLiveMessageUserMessage = defineOperation({
  action: "DeleteLiveMessageUserMessage",
  method: "POST",
  qps: qpsFor("DeleteLiveMessageUserMessage"),
  mutates: true,
  retry: "idempotent",
  request: DeleteLiveMessageUserMessageRequest,
  response: DeleteLiveMessageUserMessageResponse,
});
