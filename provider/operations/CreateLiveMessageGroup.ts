/** CreateLiveMessageGroup (spec §5.1): creates a group; an existing ID answers AlreadyExists instead of failing. */
import type { z } from "zod";
import { GROUP_INFO_MAX_BYTES, GROUP_NAME_MAX_BYTES, MAX_ADMINISTRATORS, qpsFor } from "../limits";
import { apiResponse, appRequest, bool, idField, idListField, str, stringField } from "./common";
import { defineOperation } from "./define";

export const CreateLiveMessageGroupRequest = appRequest({
  GroupId: idField(),
  GroupName: stringField({ maxBytes: GROUP_NAME_MAX_BYTES }).optional(),
  GroupInfo: stringField({ maxBytes: GROUP_INFO_MAX_BYTES }).optional(),
  Administrators: idListField({ min: 0, max: MAX_ADMINISTRATORS }).optional(),
  CreatorId: idField().optional(),
});

export const CreateLiveMessageGroupResponse = apiResponse({
  GroupId: str().optional(),
  // §2.4 reuse rule: AlreadyExists for an existing ID; AlreadyDelete too when that group is deleted.
  AlreadyExists: bool().optional(),
  AlreadyDelete: bool().optional(),
});

export type CreateLiveMessageGroupParams = z.input<typeof CreateLiveMessageGroupRequest>;
export type CreateLiveMessageGroupResult = z.output<typeof CreateLiveMessageGroupResponse>;

export const CreateLiveMessageGroup = defineOperation({
  action: "CreateLiveMessageGroup",
  method: "POST",
  qps: qpsFor("CreateLiveMessageGroup"),
  mutates: true,
  // The caller-chosen GroupId makes a repeat harmless: it answers AlreadyExists (§2.4), which the caller interprets.
  retry: { idempotencyKey: "GroupId" },
  request: CreateLiveMessageGroupRequest,
  response: CreateLiveMessageGroupResponse,
});
