/**
 * Read-only lookups for programs (`getApp`, `getGroup`, `listGroups` in the SDK): the service's view of an app or
 * group in lowerCamelCase, without managing it.
 */
import type { LiveClient } from "../client/live-client";
import { BY_PAGE_SIZE_MAX, PAGE_NUMBER_MAX, type DataCenter } from "../limits";
import {
  DescribeLiveMessageApp,
  DescribeLiveMessageGroup,
  ListLiveMessageGroupByPage,
  toGroupsByPage,
} from "../operations";
import { appStateFromDescribe } from "./app/handler";
import { groupStateFromDescribe } from "./group/handler";
import { defaultDataCenter } from "./config";
import { probeDataCenters } from "./data-center";
import { ResourceError, ResourceErrorCodes } from "./errors";
import type { AppInfo, GroupInfo, GroupStatus, GroupSummary } from "../../sdk/types";

// The result types are the package's declared ones (provider/resources/package-spec.ts → sdk/types.ts, generated).
export type { AppInfo, GroupInfo, GroupSummary };
export type GroupStatusFilter = GroupStatus;
const GROUP_STATUS: Record<GroupStatusFilter, 0 | 1 | 2> = { all: 0, live: 1, deleted: 2 };

export async function lookupApp(client: LiveClient, args: { appId: string; dataCenter?: DataCenter }): Promise<AppInfo> {
  const found = await probeDataCenters(args.dataCenter, (dc) => DescribeLiveMessageApp.invoke(client, { AppId: args.appId, DataCenter: dc }));
  if (!found) {
    throw new ResourceError(
      ResourceErrorCodes.notFound,
      `App ${args.appId} was not found${args.dataCenter ? ` in data center ${args.dataCenter}` : " in any data center"}; check the AppId and the credentials' account.`,
    );
  }
  const state = appStateFromDescribe(found.value);
  return { ...state, appName: state.appName ?? "", dataCenter: found.value.DataCenter ? state.dataCenter : found.dataCenter };
}

export async function lookupGroup(
  client: LiveClient,
  args: { appId: string; groupId: string; dataCenter?: DataCenter },
): Promise<GroupInfo> {
  const found = await probeDataCenters(args.dataCenter, (dc) =>
    DescribeLiveMessageGroup.invoke(client, { AppId: args.appId, GroupId: args.groupId, DataCenter: dc }),
  );
  if (!found) {
    throw new ResourceError(
      ResourceErrorCodes.notFound,
      `Group ${args.groupId} was not found in app ${args.appId}${args.dataCenter ? ` (data center ${args.dataCenter})` : ""}.`,
    );
  }
  const d = found.value;
  return {
    ...groupStateFromDescribe(args.appId, found.dataCenter, d),
    deleted: d.Delete === true,
    deleteTime: d.Deletatime ?? 0,
    deletedBy: d.Deletor ?? "",
  };
}

/** Every group of an app (all pages), oldest first. */
export async function lookupGroups(
  client: LiveClient,
  args: { appId: string; status?: GroupStatusFilter; dataCenter?: DataCenter },
): Promise<GroupSummary[]> {
  const status = args.status ?? "all";
  if (!(status in GROUP_STATUS)) {
    throw new ResourceError(ResourceErrorCodes.badArgument, `listGroups: status must be "all", "live" or "deleted"; got ${JSON.stringify(status)}.`);
  }
  const dataCenter = args.dataCenter ?? defaultDataCenter();
  const out: GroupSummary[] = [];
  for (let page = 1; page <= PAGE_NUMBER_MAX; page++) {
    const res = toGroupsByPage(
      await ListLiveMessageGroupByPage.invoke(client, {
        AppId: args.appId,
        DataCenter: dataCenter,
        SortType: 1,
        PageNumber: page,
        PageSize: BY_PAGE_SIZE_MAX,
        GroupStatus: GROUP_STATUS[status],
      }),
    );
    for (const g of res.items) {
      out.push({
        groupId: g.groupId,
        groupName: g.groupName ?? "",
        groupInfo: g.groupInfo ?? "",
        creatorId: g.creatorId ?? "",
        administrators: g.administrators,
        createTime: g.createTime ?? 0,
        deleted: g.deleted,
      });
    }
    if (!res.hasMore || res.items.length === 0) break;
  }
  return out;
}
