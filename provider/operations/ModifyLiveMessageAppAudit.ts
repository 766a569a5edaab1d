/** ModifyLiveMessageAppAudit (spec §3.4): changes an app's moderation mode. */
import type { z } from "zod";
import { qpsFor } from "../limits";
import {
  apiResponse,
  appRequest,
  auditTypeField,
  bool,
  callbackUrlField,
  int64,
  requireAuditUrlForCustomAudit,
  str,
} from "./common";
import { defineOperation } from "./define";

export const ModifyLiveMessageAppAuditRequest = appRequest({
  AuditType: auditTypeField().optional(),
  AuditUrl: callbackUrlField({ allowEmpty: true }).optional(),
}).superRefine(requireAuditUrlForCustomAudit);

export const ModifyLiveMessageAppAuditResponse = apiResponse({
  AppId: str().optional(),
  AppSign: str().optional(),
  AuditType: int64().optional(),
  // Only for AuditType=2.
  AuditUrl: str().optional(),
  AuditNeedAuthentication: bool().optional(),
});

export type ModifyLiveMessageAppAuditParams = z.input<typeof ModifyLiveMessageAppAuditRequest>;
export type ModifyLiveMessageAppAuditResult = z.output<typeof ModifyLiveMessageAppAuditResponse>;

export const ModifyLiveMessageAppAudit = defineOperation({
  action: "ModifyLiveMessageAppAudit",
  method: "POST",
  qps: qpsFor("ModifyLiveMessageAppAudit"),
  mutates: true,
  retry: "idempotent",
  request: ModifyLiveMessageAppAuditRequest,
  response: ModifyLiveMessageAppAuditResponse,
});
