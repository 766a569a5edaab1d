/** UnbanLiveMessageGroup (spec §8): turns mute-all off; individual mutes remain. */
import type { z } from "zod";
import { qpsFor } from "../limits";
import { apiResponse, appRequest, idField } from "./common";
import { defineOperation } from "./define";

export const UnbanLiveMessageGroupRequest = appRequest({
  GroupId: idField(),
});

export const UnbanLiveMessageGroupResponse = apiResponse({});

export type UnbanLiveMessageGroupParams = z.input<typeof UnbanLiveMessageGroupRequest>;
export type UnbanLiveMessageGroupResult = z.output<typeof UnbanLiveMessageGroupResponse>;

export const UnbanLiveMessageGroup = defineOperation({
  action: "UnbanLiveMessageGroup",
  method: "POST",
  qps: qpsFor("UnbanLiveMessageGroup"),
  mutates: true,
  retry: "idempotent",
  request: UnbanLiveMessageGroupRequest,
  response: UnbanLiveMessageGroupResponse,
});
