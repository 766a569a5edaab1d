/** CreateLiveMessageApp (spec §3.1): creates an app; the only way to obtain an AppId. */
import type { z } from "zod";
import { qpsFor } from "../limits";
import {
  accountRequest,
  apiResponse,
  appNameField,
  auditTypeField,
  callbackUrlField,
  msgLifeCycleField,
  requireAuditUrlForCustomAudit,
  str,
} from "./common";
import { defineOperation } from "./define";

export const CreateLiveMessageAppRequest = accountRequest({
  AppName: appNameField().optional(),
  AuditType: auditTypeField().optional(),
  AuditUrl: callbackUrlField({ allowEmpty: true }).optional(),
  // "" = event callbacks off (§3.1).
  EventCallbackUrl: callbackUrlField({ allowEmpty: true }).optional(),
  MsgLifeCycle: msgLifeCycleField().optional(),
}).superRefine(requireAuditUrlForCustomAudit);

export const CreateLiveMessageAppResponse = apiResponse({
  AppId: str(),
  // Secrets (§3.1): never log them; the resource layer marks them secret.
  AppKey: str().optional(),
  AppSign: str().optional(),
  DataCenter: str().optional(),
});

export type CreateLiveMessageAppParams = z.input<typeof CreateLiveMessageAppRequest>;
export type CreateLiveMessageAppResult = z.output<typeof CreateLiveMessageAppResponse>;

export const CreateLiveMessageApp = defineOperation({
  action: "CreateLiveMessageApp",
  method: "POST",
  qps: qpsFor("CreateLiveMessageApp"),
  mutates: true,
  // No idempotency token exists: a lost response must be looked up, never answered by sending the create again.
  retry: "unsafe",
  request: CreateLiveMessageAppRequest,
  response: CreateLiveMessageAppResponse,
});
