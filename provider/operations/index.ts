/**
 * Registry of the 29 LiveMessage operations (spec §1): one module per action, named exactly after it, each declaring
 * its HTTP method, QPS and retry safety. The client does not import this: `invoke` passes what a call needs.
 */
import { parseResponse, type Operation } from "./define";
import { CreateLiveMessageApp } from "./CreateLiveMessageApp";
import { DescribeLiveMessageApp } from "./DescribeLiveMessageApp";
import { ListLiveMessageApps } from "./ListLiveMessageApps";
import { ModifyLiveMessageAppAudit } from "./ModifyLiveMessageAppAudit";
import { ModifyLiveMessageAppCallback } from "./ModifyLiveMessageAppCallback";
import { ModifyLiveMessageAppDisable } from "./ModifyLiveMessageAppDisable";
import { CreateLiveMessageGroup } from "./CreateLiveMessageGroup";
import { DescribeLiveMessageGroup } from "./DescribeLiveMessageGroup";
import { ModifyLiveMessageGroup } from "./ModifyLiveMessageGroup";
import { DeleteLiveMessageGroup } from "./DeleteLiveMessageGroup";
import { RecoverLiveMessageDeletedGroup } from "./RecoverLiveMessageDeletedGroup";
import { ListLiveMessageGroups } from "./ListLiveMessageGroups";
import { ListLiveMessageGroupByPage } from "./ListLiveMessageGroupByPage";
import { ListLiveMessageGroupUsers } from "./ListLiveMessageGroupUsers";
import { CheckLiveMessageUsersInGroup } from "./CheckLiveMessageUsersInGroup";
import { CheckLiveMessageUsersOnline } from "./CheckLiveMessageUsersOnline";
import { KickLiveMessageGroupUser } from "./KickLiveMessageGroupUser";
import { ModifyLiveMessageUserInfo } from "./ModifyLiveMessageUserInfo";
import { SendLiveMessageGroup } from "./SendLiveMessageGroup";
import { SendLiveMessageUser } from "./SendLiveMessageUser";
import { ListLiveMessageGroupMessages } from "./ListLiveMessageGroupMessages";
import { DeleteLiveMessageGroupMessage } from "./DeleteLiveMessageGroupMessage";
import { DeleteLiveMessageUserMessage } from "./DeleteLiveMessageUserMessage";
import { BanLiveMessageGroup } from "./BanLiveMessageGroup";
import { UnbanLiveMessageGroup } from "./UnbanLiveMessageGroup";
import { AddLiveMessageGroupBand } from "./AddLiveMessageGroupBand";
import { RemoveLiveMessageGroupBand } from "./RemoveLiveMessageGroupBand";
import { ModifyLiveMessageGroupBand } from "./ModifyLiveMessageGroupBand";
import { DescribeLiveMessageGroupBand } from "./DescribeLiveMessageGroupBand";

export * from "./define";
export { APP_ID_MAX_BYTES, AUDIT_TYPE_CUSTOM, GroupListItem, describeType, idProblem } from "./common";
export * from "./mappers";
export * from "./CreateLiveMessageApp";
export * from "./DescribeLiveMessageApp";
export * from "./ListLiveMessageApps";
export * from "./ModifyLiveMessageAppAudit";
export * from "./ModifyLiveMessageAppCallback";
export * from "./ModifyLiveMessageAppDisable";
export * from "./CreateLiveMessageGroup";
export * from "./DescribeLiveMessageGroup";
export * from "./ModifyLiveMessageGroup";
export * from "./DeleteLiveMessageGroup";
export * from "./RecoverLiveMessageDeletedGroup";
export * from "./ListLiveMessageGroups";
export * from "./ListLiveMessageGroupByPage";
export * from "./ListLiveMessageGroupUsers";
export * from "./CheckLiveMessageUsersInGroup";
export * from "./CheckLiveMessageUsersOnline";
export * from "./KickLiveMessageGroupUser";
export * from "./ModifyLiveMessageUserInfo";
export * from "./SendLiveMessageGroup";
export * from "./SendLiveMessageUser";
export * from "./ListLiveMessageGroupMessages";
export * from "./DeleteLiveMessageGroupMessage";
export * from "./DeleteLiveMessageUserMessage";
export * from "./BanLiveMessageGroup";
export * from "./UnbanLiveMessageGroup";
export * from "./AddLiveMessageGroupBand";
export * from "./RemoveLiveMessageGroupBand";
export * from "./ModifyLiveMessageGroupBand";
export * from "./DescribeLiveMessageGroupBand";

// One import per operation module (spec §1 order); every module is listed in `ALL`.
const ALL: readonly Operation[] = [
  CreateLiveMessageApp,
  DescribeLiveMessageApp,
  ListLiveMessageApps,
  ModifyLiveMessageAppAudit,
  ModifyLiveMessageAppCallback,
  ModifyLiveMessageAppDisable,
  CreateLiveMessageGroup,
  DescribeLiveMessageGroup,
  ModifyLiveMessageGroup,
  DeleteLiveMessageGroup,
  RecoverLiveMessageDeletedGroup,
  ListLiveMessageGroups,
  ListLiveMessageGroupByPage,
  ListLiveMessageGroupUsers,
  CheckLiveMessageUsersInGroup,
  CheckLiveMessageUsersOnline,
  KickLiveMessageGroupUser,
  ModifyLiveMessageUserInfo,
  SendLiveMessageGroup,
  SendLiveMessageUser,
  ListLiveMessageGroupMessages,
  DeleteLiveMessageGroupMessage,
  DeleteLiveMessageUserMessage,
  BanLiveMessageGroup,
  UnbanLiveMessageGroup,
  AddLiveMessageGroupBand,
  RemoveLiveMessageGroupBand,
  ModifyLiveMessageGroupBand,
  DescribeLiveMessageGroupBand,
];

export const OPERATIONS: Readonly<Record<string, Operation>> = Object.freeze(
  Object.fromEntries(ALL.map((op) => [op.action, op])),
);

export function getOperation(action: string): Operation | undefined {
  return Object.prototype.hasOwnProperty.call(OPERATIONS, action) ? OPERATIONS[action] : undefined;
}

/**
 * Validates a success body against the action's response schema. Unknown actions pass through unchanged.
 * Throws `LiveResponseError` naming the action and the first offending field.
 */
export function validateResponse(action: string, body: unknown): unknown {
  const op = getOperation(action);
  return op ? parseResponse(op, body) : body;
}
