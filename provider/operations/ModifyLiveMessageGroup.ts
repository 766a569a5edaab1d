/** ModifyLiveMessageGroup (spec §5.3): replaces a group's admin list and/or info. */
import type { z } from "zod";
import { GROUP_INFO_MAX_BYTES, MAX_ADMINISTRATORS, qpsFor } from "../limits";
import { apiResponse, appRequest, boolField, idField, idListField, stringField } from "./common";
import { defineOperation } from "./define";

export const ModifyLiveMessageGroupRequest = appRequest({
  GroupId: idField(),
  ModifyAdmin: boolField().optional(),
  // Full replacement list; applied only when ModifyAdmin is true.
  AdminList: idListField({ min: 0, max: MAX_ADMINISTRATORS }).optional(),
  ModifyInfo: boolField().optional(),
  // Applied only when ModifyInfo is true.
  GroupInfo: stringField({ maxBytes: GROUP_INFO_MAX_BYTES }).optional(),
}).superRefine((value, ctx) => {
  // §5.3: the service silently ignores AdminList/GroupInfo without their flag; sending one that way is a bug.
  if (value.AdminList !== undefined && value.ModifyAdmin !== true) {
    ctx.addIssue({ code: "custom", path: ["AdminList"], message: "is ignored by the service unless ModifyAdmin is true; set ModifyAdmin: true" });
  }
  if (value.GroupInfo !== undefined && value.ModifyInfo !== true) {
    ctx.addIssue({ code: "custom", path: ["GroupInfo"], message: "is ignored by the service unless ModifyInfo is true; set ModifyInfo: true" });
  }
});

export const ModifyLiveMessageGroupResponse = apiResponse({});

export type ModifyLiveMessageGroupParams = z.input<typeof ModifyLiveMessageGroupRequest>;
export type ModifyLiveMessageGroupResult = z.output<typeof ModifyLiveMessageGroupResponse>;

export const ModifyLiveMessageGroup = defineOperation({
  action: "ModifyLiveMessageGroup",
  method: "POST",
  qps: qpsFor("ModifyLiveMessageGroup"),
  mutates: true,
  retry: "idempotent",
  request: ModifyLiveMessageGroupRequest,
  response: ModifyLiveMessageGroupResponse,
});
