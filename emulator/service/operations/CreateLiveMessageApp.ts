/** §3.1 CreateLiveMessageApp: creates an app in a data center; returns its generated AppId, AppKey and AppSign. */
import { APP_NAME_MAX_CHARS, APP_NAME_MIN_CHARS, AUDIT_TYPES, MAX_APPS_PER_ACCOUNT, MSG_LIFE_CYCLES } from "../../../provider/limits";
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
import { optionalCallbackUrl } from "../params";
import { randomString } from "../../random";

export const CreateLiveMessageApp = defineHandler({
  action: "CreateLiveMessageApp",
  mutating: true,
  run(store, p, ctx) {
    // An empty AppName is "not given": the 2–16 character rule applies to names actually chosen.
    const appName = p.raw("AppName")
      ? p.requiredString("AppName", { minChars: APP_NAME_MIN_CHARS, maxChars: APP_NAME_MAX_CHARS })
      : DEFAULT_APP_NAME;
    const auditType = p.optionalInt("AuditType", { oneOf: AUDIT_TYPES }) ?? 0;
    const auditUrl = optionalCallbackUrl(p, "AuditUrl") ?? "";
    if (auditType === 2 && auditUrl === "") throw Errors.inputInvalid("AuditUrl is mandatory when AuditType is 2");
    const eventCallbackUrl = optionalCallbackUrl(p, "EventCallbackUrl") ?? "";
    const msgLifeCycle = p.optionalInt("MsgLifeCycle", { oneOf: MSG_LIFE_CYCLES }) ?? 0;
    const dataCenter = p.dataCenter();

    const owned = store.appsOf(ctx.accountId);
    const count = APP_QUOTA_SPANS_DATA_CENTERS ? owned.length : owned.filter((a) => a.dataCenter === dataCenter).length;
    if (count >= MAX_APPS_PER_ACCOUNT) throw tooManyAppsError(ctx.accountId, MAX_APPS_PER_ACCOUNT);

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
