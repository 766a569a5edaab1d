/** SendLiveMessageGroup (spec §7.1): sends a message to an active group. */
import type { z } from "zod";
import { MESSAGE_BODY_MAX_BYTES, SENDER_META_MAX_BYTES, qpsFor } from "../limits";
import { apiResponse, appRequest, boolField, idField, intField, str, stringField } from "./common";
import { defineOperation } from "./define";

export const SendLiveMessageGroupRequest = appRequest({
  GroupId: idField(),
  SenderId: idField(),
  SenderMetaInfo: stringField({ maxBytes: SENDER_META_MAX_BYTES }).optional(),
  Body: stringField({ maxBytes: MESSAGE_BODY_MAX_BYTES }).optional(),
  // int64; at most MAX_MSG_TYPES_PER_GROUP distinct values per group (checked by the service, §2.4).
  MsgType: intField().optional(),
  // Caller-chosen message ID: the idempotency handle for retries and the key for deletion (§11.3).
  MsgTid: idField().optional(),
  StaticsIncrease: intField().optional(),
  Weight: intField().optional(),
  NoStorage: boolField().optional(),
  NoCache: boolField().optional(),
});

export const SendLiveMessageGroupResponse = apiResponse({
  MsgTid: str().optional(),
});

export type SendLiveMessageGroupParams = z.input<typeof SendLiveMessageGroupRequest>;
export type SendLiveMessageGroupResult = z.output<typeof SendLiveMessageGroupResponse>;

export const SendLiveMessageGroup = defineOperation({
  action: "SendLiveMessageGroup",
  method: "POST",
  qps: qpsFor("SendLiveMessageGroup"),
  mutates: true,
  // With MsgTid the service takes a repeat for a retry of the same message (§11.3); without it, a repeat is a second message.
  retry: { idempotencyKey: "MsgTid" },
  request: SendLiveMessageGroupRequest,
  response: SendLiveMessageGroupResponse,
});
