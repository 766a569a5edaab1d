/** SendLiveMessageUser (spec §7.2): sends a message to one online user. */
import type { z } from "zod";
import { MESSAGE_BODY_MAX_BYTES, SENDER_META_MAX_BYTES, qpsFor } from "../limits";
import { apiResponse, appRequest, boolField, idField, intField, str, stringField } from "./common";
import { defineOperation } from "./define";

export const SendLiveMessageUserRequest = appRequest({
  ReceiverId: idField(),
  SenderId: idField(),
  // Named SenderInfo here, SenderMetaInfo on group messages (§7.1 vs §7.2).
  SenderInfo: stringField({ maxBytes: SENDER_META_MAX_BYTES }).optional(),
  Body: stringField({ maxBytes: MESSAGE_BODY_MAX_BYTES }).optional(),
  MsgType: intField().optional(),
  MsgTid: idField().optional(),
  HighReliability: boolField().optional(),
  // Default false, the opposite of group messages' NoStorage (§7.2).
  Storage: boolField().optional(),
});

export const SendLiveMessageUserResponse = apiResponse({
  MsgTid: str().optional(),
});

export type SendLiveMessageUserParams = z.input<typeof SendLiveMessageUserRequest>;
export type SendLiveMessageUserResult = z.output<typeof SendLiveMessageUserResponse>;

export const SendLiveMessageUser = defineOperation({
  action: "SendLiveMessageUser",
  method: "POST",
  qps: qpsFor("SendLiveMessageUser"),
  mutates: true,
  // With MsgTid the service takes a repeat for a retry of the same message (§11.3); without it, a repeat is a second message.
  retry: { idempotencyKey: "MsgTid" },
  request: SendLiveMessageUserRequest,
  response: SendLiveMessageUserResponse,
});
