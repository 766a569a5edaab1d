/** ModifyLiveMessageAppDisable (spec §3.6): disables or re-enables an app (there is no delete). */
import type { z } from "zod";
import { qpsFor } from "../limits";
import { apiResponse, appRequest, bool, boolField, str } from "./common";
import { defineOperation } from "./define";

export const ModifyLiveMessageAppDisableRequest = appRequest({
  Disable: boolField().optional(),
});

export const ModifyLiveMessageAppDisableResponse = apiResponse({
  AppId: str().optional(),
  AppSign: str().optional(),
  Disable: bool().optional(),
});

export type ModifyLiveMessageAppDisableParams = z.input<typeof ModifyLiveMessageAppDisableRequest>;
export type ModifyLiveMessageAppDisableResult = z.output<typeof ModifyLiveMessageAppDisableResponse>;

export const ModifyLiveMessageAppDisable = defineOperation({
  action: "ModifyLiveMessageAppDisable",
  method: "POST",
  qps: qpsFor("ModifyLiveMessageAppDisable"),
  mutates: true,
  retry: "idempotent",
  request: ModifyLiveMessageAppDisableRequest,
  response: ModifyLiveMessageAppDisableResponse,
});
