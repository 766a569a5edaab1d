/** Registry of the 29 emulated LiveMessage operations (spec §1), one module per action, named after it. */
import type { OperationHandler } from "../handler";
import { AddLiveMessageGroupBand } from "./AddLiveMessageGroupBand";
import { BanLiveMessageGroup } from "./BanLiveMessageGroup";
import { CheckLiveMessageUsersInGroup } from "./CheckLiveMessageUsersInGroup";
import { CheckLiveMessageUsersOnline } from "./CheckLiveMessageUsersOnline";
import { CreateLiveMessageApp } from "./CreateLiveMessageApp";
import { CreateLiveMessageGroup } from "./CreateLiveMessageGroup";
import { DeleteLiveMessageGroup } from "./DeleteLiveMessageGroup";
import { DeleteLiveMessageGroupMessage } from "./DeleteLiveMessageGroupMessage";
import { DeleteLiveMessageUserMessage } from "./DeleteLiveMessageUserMessage";
import { DescribeLiveMessageApp } from "./DescribeLiveMessageApp";
import { DescribeLiveMessageGroup } from "./DescribeLiveMessageGroup";
import { DescribeLiveMessageGroupBand } from "./DescribeLiveMessageGroupBand";
import { KickLiveMessageGroupUser } from "./KickLiveMessageGroupUser";
import { ListLiveMessageApps } from "./ListLiveMessageApps";
import { ListLiveMessageGroupByPage } from "./ListLiveMessageGroupByPage";
import { ListLiveMessageGroupMessages } from "./ListLiveMessageGroupMessages";
import { ListLiveMessageGroupUsers } from "./ListLiveMessageGroupUsers";
import { ListLiveMessageGroups } from "./ListLiveMessageGroups";
import { ModifyLiveMessageAppAudit } from "./ModifyLiveMessageAppAudit";
import { ModifyLiveMessageAppCallback } from "./ModifyLiveMessageAppCallback";
import { ModifyLiveMessageAppDisable } from "./ModifyLiveMessageAppDisable";
import { ModifyLiveMessageGroup } from "./ModifyLiveMessageGroup";
import { ModifyLiveMessageGroupBand } from "./ModifyLiveMessageGroupBand";
import { ModifyLiveMessageUserInfo } from "./ModifyLiveMessageUserInfo";
import { RecoverLiveMessageDeletedGroup } from "./RecoverLiveMessageDeletedGroup";
import { RemoveLiveMessageGroupBand } from "./RemoveLiveMessageGroupBand";
import { SendLiveMessageGroup } from "./SendLiveMessageGroup";
import { SendLiveMessageUser } from "./SendLiveMessageUser";
import { UnbanLiveMessageGroup } from "./UnbanLiveMessageGroup";

export const HANDLERS: readonly OperationHandler[] = [
  AddLiveMessageGroupBand,
  BanLiveMessageGroup,
  CheckLiveMessageUsersInGroup,
  CheckLiveMessageUsersOnline,
  CreateLiveMessageApp,
  CreateLiveMessageGroup,
  DeleteLiveMessageGroup,
  DeleteLiveMessageGroupMessage,
  DeleteLiveMessageUserMessage,
  DescribeLiveMessageApp,
  DescribeLiveMessageGroup,
  DescribeLiveMessageGroupBand,
  KickLiveMessageGroupUser,
  ListLiveMessageApps,
  ListLiveMessageGroupByPage,
  ListLiveMessageGroupMessages,
  ListLiveMessageGroupUsers,
  ListLiveMessageGroups,
  ModifyLiveMessageAppAudit,
  ModifyLiveMessageAppCallback,
  ModifyLiveMessageAppDisable,
  ModifyLiveMessageGroup,
  ModifyLiveMessageGroupBand,
  ModifyLiveMessageUserInfo,
  RecoverLiveMessageDeletedGroup,
  RemoveLiveMessageGroupBand,
  SendLiveMessageGroup,
  SendLiveMessageUser,
  UnbanLiveMessageGroup,
];
