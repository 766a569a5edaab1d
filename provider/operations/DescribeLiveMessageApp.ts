/** DescribeLiveMessageApp (spec §3.2): reads one app's settings and credentials. */
import type { z } from "zod";
import { qpsFor } from "../limits";
import { apiResponse, appRequest, bool, int64, str } from "./common";
import { defineOperation } from "./define";

export const DescribeLiveMessageAppRequest = appRequest({});

export const DescribeLiveMessageAppResponse = apiResponse({
  AppId: str(),
  AppName: str().optional(),
  AppKey: str().optional(),
  AppSign: str().optional(),
  AuditType: int64().optional(),
  // Only when AuditType=2.
  AuditUrl: str().optional(),
  // Empty or absent = callbacks off.
  EventCallbackUrl: str().optional(),
  MsgLifeCycle: int64().optional(),
  DataCenter: str().optional(),
  // A boolean here, unlike ListLiveMessageApps' string `Disable` (§3.2 vs §3.3).
  Disable: bool().optional(),
  CreateTime: int64().optional(),
  ModifyTime: int64().optional(),
});

export type DescribeLiveMessageAppParams = z.input<typeof DescribeLiveMessageAppRequest>;
export type DescribeLiveMessageAppResult = z.output<typeof DescribeLiveMessageAppResponse>;

export const DescribeLiveMessageApp = defineOperation({
  action: "DescribeLiveMessageApp",
  method: "POST",
  qps: qpsFor("DescribeLiveMessageApp"),
  mutates: false,
  retry: "read",
  request: DescribeLiveMessageAppRequest,
  response: DescribeLiveMessageAppResponse,
});
