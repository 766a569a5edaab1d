/** ModifyLiveMessageAppCallback (spec §3.5): sets or clears ("") an app's event callback URL. */
import type { z } from "zod";
import { qpsFor } from "../limits";
import { apiResponse, appRequest, bool, callbackUrlField, str } from "./common";
import { defineOperation } from "./define";

export const ModifyLiveMessageAppCallbackRequest = appRequest({
  EventCallbackUrl: callbackUrlField({ allowEmpty: true }).optional(),
});

export const ModifyLiveMessageAppCallbackResponse = apiResponse({
  AppId: str().optional(),
  AppSign: str().optional(),
  // Omitted when callbacks are off.
  EventCallbackUrl: str().optional(),
  EventCallbackNeedAuthentication: bool().optional(),
});

export type ModifyLiveMessageAppCallbackParams = z.input<typeof ModifyLiveMessageAppCallbackRequest>;
export type ModifyLiveMessageAppCallbackResult = z.output<typeof ModifyLiveMessageAppCallbackResponse>;

export const ModifyLiveMessageAppCallback = defineOperation({
  action: "ModifyLiveMessageAppCallback",
  method: "POST",
  qps: qpsFor("ModifyLiveMessageAppCallback"),
  mutates: true,
  retry: "idempotent",
  request: ModifyLiveMessageAppCallbackRequest,
  response: ModifyLiveMessageAppCallbackResponse,
});
