/** §3.3 ListLiveMessageApps: the caller's apps in one data center, by creation time, token paging. */
import { APPS_PAGE_SIZE } from "../../spec/limits";
import { cursorPage } from "../common";
import { defineHandler } from "../handler";
import { seconds } from "../state";

export const ListLiveMessageApps = defineHandler({
  action: "ListLiveMessageApps",
  run(store, p, ctx) {
    const sortType = p.reqInt("SortType");
    const token = p.int("NextPageToken");
    const dataCenter = p.dataCenter();

    const apps = store.appsOf(ctx.accountId);
    const { page, next } = cursorPage(apps, (a) => a.createSeq, {
      descending: sortType === 2,
      token,
      size: APPS_PAGE_SIZE,
      filter: (a) => a.dataCenter === dataCenter,
    });
    return {
      AppList: page.map((a) => ({
        AppId: a.appId,
        AppName: a.appName,
        AppKey: a.appKey,
        AppSign: a.appSign,
        CreateTime: seconds(a.createTime),
        ModifyTime: seconds(a.modifyTime),
        DataCenter: a.dataCenter,
        MsgLifeCycle: a.msgLifeCycle,
        // §3.3: a STRING here, unlike DescribeLiveMessageApp's bool.
        Disable: String(a.disable),
      })),
      HasMore: next !== undefined,
      // §3.3: NextPageToken only when HasMore.
      ...(next !== undefined ? { NextPageToken: next } : {}),
    };
  },
});
