/** §3.2 DescribeLiveMessageApp: the app's settings (works on disabled apps). */
import { defineHandler } from "../handler";
import { seconds } from "../state";

export const DescribeLiveMessageApp = defineHandler({
  action: "DescribeLiveMessageApp",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const app = store.requireApp("DescribeLiveMessageApp", appId, dataCenter, ctx);
    return {
      AppId: app.appId,
      AppName: app.appName,
      AppKey: app.appKey,
      AppSign: app.appSign,
      AuditType: app.auditType,
      // §3.2: AuditUrl only for custom moderation.
      ...(app.auditType === 2 ? { AuditUrl: app.auditUrl } : {}),
      EventCallbackUrl: app.eventCallbackUrl,
      MsgLifeCycle: app.msgLifeCycle,
      DataCenter: app.dataCenter,
      Disable: app.disable,
      CreateTime: seconds(app.createTime),
      ModifyTime: seconds(app.modifyTime),
    };
  },
});
