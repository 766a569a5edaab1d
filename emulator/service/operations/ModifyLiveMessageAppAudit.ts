/** §3.4 ModifyLiveMessageAppAudit: changes the app's moderation type and custom moderation URL. */
import { Errors } from "../../errors";
import { AUDIT_NEED_AUTHENTICATION, MODIFY_AUDIT_KEEPS_TYPE_WHEN_OMITTED } from "../behaviour";
import { defineHandler } from "../handler";

export const ModifyLiveMessageAppAudit = defineHandler({
  action: "ModifyLiveMessageAppAudit",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const auditTypeParam = p.int("AuditType");
    const auditUrlParam = p.str("AuditUrl") ?? "";
    if (auditTypeParam === 2 && auditUrlParam === "") throw Errors.inputInvalid("AuditUrl is mandatory when AuditType is 2");
    const app = store.requireApp("ModifyLiveMessageAppAudit", appId, dataCenter, ctx);

    const auditType = auditTypeParam ?? (MODIFY_AUDIT_KEEPS_TYPE_WHEN_OMITTED ? app.auditType : 0);
    const auditUrl = auditUrlParam !== "" ? auditUrlParam : auditType === 2 ? app.auditUrl : "";
    if (auditType === 2 && auditUrl === "") throw Errors.inputInvalid("AuditUrl is mandatory when AuditType is 2");
    app.auditType = auditType;
    app.auditUrl = auditUrl;
    app.modifyTime = ctx.now;
    return {
      AppId: app.appId,
      AppSign: app.appSign,
      AuditType: app.auditType,
      ...(app.auditType === 2 ? { AuditUrl: app.auditUrl } : {}),
      AuditNeedAuthentication: AUDIT_NEED_AUTHENTICATION,
    };
  },
});
