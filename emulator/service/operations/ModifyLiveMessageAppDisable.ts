/** §3.6 ModifyLiveMessageAppDisable: disables or re-enables an app (there is no delete API for apps). */
import { DEFAULT_DISABLE_PARAM } from "../behaviour";
import { defineHandler } from "../handler";

export const ModifyLiveMessageAppDisable = defineHandler({
  action: "ModifyLiveMessageAppDisable",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const disable = p.bool("Disable") ?? DEFAULT_DISABLE_PARAM;
    const app = store.requireApp("ModifyLiveMessageAppDisable", appId, dataCenter, ctx);
    app.disable = disable;
    app.modifyTime = ctx.now;
    return { AppId: app.appId, AppSign: app.appSign, Disable: app.disable };
  },
});
