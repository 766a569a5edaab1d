/** §3.1 CreateLiveMessageApp: creates an app in a data center; returns its generated AppId, AppKey and AppSign. */
import { APPS_PER_ACCOUNT } from "../../spec/limits";
import { Errors } from "../../errors";
import {
  APP_ID_LENGTH,
  APP_KEY_LENGTH,
  APP_QUOTA_SPANS_DATA_CENTERS,
  APP_SECRET_ALPHABET,
  APP_SIGN_LENGTH,
  DEFAULT_APP_NAME,
  GENERATED_ID_ALPHABET,
  tooManyAppsError,
} from "../behaviour";
import { generateId } from "../common";
import { defineHandler } from "../handler";
import { randomString } from "../../random";

export const CreateLiveMessageApp = defineHandler({
  action: "CreateLiveMessageApp",
  run(store, p, ctx) {
    // An empty AppName is "not given" (params.ts): the 2–16 character rule applies to names actually chosen.
    const appName = p.str("AppName") ?? DEFAULT_APP_NAME;
    const auditType = p.int("AuditType") ?? 0;
    const auditUrl = p.str("AuditUrl") ?? "";
    if (auditType === 2 && auditUrl === "") throw Errors.inputInvalid("AuditUrl is mandatory when AuditType is 2");
    const eventCallbackUrl = p.str("EventCallbackUrl") ?? "";
    const msgLifeCycle = p.int("MsgLifeCycle") ?? 0;
    const dataCenter = p.dataCenter();

    const owned = store.appsOf(ctx.accountId);
    const count = APP_QUOTA_SPANS_DATA_CENTERS ? owned.length : owned.filter((a) => a.dataCenter === dataCenter).length;
    if (count >= APPS_PER_ACCOUNT) throw tooManyAppsError(ctx.accountId, APPS_PER_ACCOUNT);

    const appId = generateId(ctx.random, APP_ID_LENGTH, GENERATED_ID_ALPHABET, (id) => store.apps.has(id));
    const appKey = randomString(ctx.random, APP_KEY_LENGTH, APP_SECRET_ALPHABET);
    const appSign = randomString(ctx.random, APP_SIGN_LENGTH, APP_SECRET_ALPHABET);
    store.addApp({
      accountId: ctx.accountId,
      appId,
      appName,
      appKey,
      appSign,
      auditType,
      auditUrl,
      eventCallbackUrl,
      msgLifeCycle,
      dataCenter,
      disable: false,
      createTime: ctx.now,
      modifyTime: ctx.now,
      createSeq: store.nextAppSeq++,
      groups: new Map(),
      groupOrder: [],
      nextGroupSeq: 1,
      liveGroupCount: 0,
      userGroups: new Map(),
      userMessages: new Map(),
    });
    return { AppId: appId, AppKey: appKey, AppSign: appSign, DataCenter: dataCenter };
  },
});
