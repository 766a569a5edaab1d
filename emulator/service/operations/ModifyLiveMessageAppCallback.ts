/** §3.5 ModifyLiveMessageAppCallback: sets (or, with an empty value, clears) the event callback URL. */
import { EVENT_CALLBACK_NEED_AUTHENTICATION } from "../behaviour";
import { defineHandler } from "../handler";

export const ModifyLiveMessageAppCallback = defineHandler({
  action: "ModifyLiveMessageAppCallback",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const url = p.str("EventCallbackUrl") ?? "";
    const app = store.requireApp("ModifyLiveMessageAppCallback", appId, dataCenter, ctx);
    app.eventCallbackUrl = url;
    app.modifyTime = ctx.now;
    return {
      AppId: app.appId,
      AppSign: app.appSign,
      // §3.5: omitted when callbacks are off.
      ...(url !== "" ? { EventCallbackUrl: url } : {}),
      EventCallbackNeedAuthentication: EVENT_CALLBACK_NEED_AUTHENTICATION,
    };
  },
});
