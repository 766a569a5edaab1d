/**
 * Every app of the account in one data center (ListLiveMessageApps, spec §3.3, token-paged, page size set by the
 * service). Shared by the app-quota count and by App create's search for the app a lost response made.
 */
import type { LiveClient } from "../../client/live-client";
import type { DataCenter } from "../../limits";
import { ListLiveMessageApps, type ListLiveMessageAppsResult } from "../../operations";

export type AppListItem = NonNullable<ListLiveMessageAppsResult["AppList"]>[number];

/** Safety bound for paging (300 apps per account are 15 pages of 20). */
export const MAX_APP_LIST_PAGES = 100;

export async function listApps(client: LiveClient, dataCenter: DataCenter): Promise<AppListItem[]> {
  const apps: AppListItem[] = [];
  const seen = new Set<number>();
  let token: number | undefined;
  for (let page = 0; page < MAX_APP_LIST_PAGES; page++) {
    const res = await ListLiveMessageApps.invoke(client, { SortType: 1, DataCenter: dataCenter, ...(token !== undefined ? { NextPageToken: token } : {}) });
    apps.push(...(res.AppList ?? []));
    if (!res.HasMore || res.NextPageToken === undefined || seen.has(res.NextPageToken)) break;
    seen.add(res.NextPageToken);
    token = res.NextPageToken;
  }
  return apps;
}
