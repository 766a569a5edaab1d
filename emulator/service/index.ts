/**
 * The emulator's service layer: the LiveMessage data model and the 29 operations of spec §1, behind the
 * `LiveMessageService` contract of ./types.ts (used by the HTTP layer, which adds signatures, throttling, faults,
 * durability and the RequestId).
 *
 *     const service = createService({ accounts: ["1234"] });
 *     service.execute("CreateLiveMessageApp", { AppName: "demo" }, ctx); // { AppId, AppKey, AppSign, DataCenter }
 *
 * Unverified behaviour ([U] in the spec) is decided in ./behaviour.ts.
 */
import { byteLength, isId, META_INFO_MAX_BYTES, SUPER_GROUP_MEMBERS } from "../spec/limits";
import { Errors } from "../errors";
import { disabledAppError, JOIN_ALLOWED_ON_DISABLED_APP, REJOIN_COUNTS_SESSION } from "./behaviour";
import type { OperationHandler } from "./handler";
import { HANDLERS } from "./operations";
import { ParamReader } from "./params";
import { Store, type AppRecord, type GroupRecord } from "./state";
import type { CallContext, LiveMessageService, MembershipChange, ServiceOptions, WireParams } from "./types";
import { createViews } from "./views";

export type { CallContext, Command, LiveMessageService, MembershipChange, ServiceOptions, WireParams } from "./types";
export { HANDLERS } from "./operations";
export type { AppView, GroupListView, GroupView, MemberView, MessageListView, MessageView, ServiceViews } from "./views";

/**
 * Creates an empty service. `options.accounts` names the accounts the HTTP layer authenticates; the service serves
 * any account id it is called with (each sees only its own apps), so the list is informational.
 */
export function createService(_options: ServiceOptions = {}): LiveMessageService {
  const store = new Store();
  const handlers = new Map<string, OperationHandler>(HANDLERS.map((h) => [h.action, h]));

  /** The app and live group a membership change addresses (by app id, whatever the account; admin endpoint). */
  function membershipTarget(change: MembershipChange): { app: AppRecord; group: GroupRecord | undefined } {
    const app = store.apps.get(change.appId);
    if (!app) throw Errors.resourceNotExist(`app ${change.appId}`);
    const group = app.groups.get(change.groupId);
    if (!group) throw Errors.resourceNotExist(`group ${change.groupId}`);
    return { app, group: group.deleted ? undefined : group };
  }

  const service: LiveMessageService = {
    actions: new Set(handlers.keys()),

    isMutating(action) {
      return handlers.get(action)?.mutating ?? false;
    },

    execute(action: string, params: WireParams, ctx: CallContext) {
      const handler = handlers.get(action);
      if (!handler) throw Errors.invalidAction(action);
      return handler.run(store, new ParamReader(params, handler.rule).validate(), ctx);
    },

    join(change, now) {
      if (!isId(change.userId)) throw Errors.inputInvalid("userId must be letters and digits, at most 64 bytes");
      if (change.userInfo !== undefined && byteLength(change.userInfo) > META_INFO_MAX_BYTES) {
        throw Errors.inputInvalid(`userInfo exceeds ${META_INFO_MAX_BYTES} bytes`);
      }
      const { app, group } = membershipTarget(change);
      if (!group) throw Errors.resourceNotExist(`group ${change.groupId} (it is deleted)`);
      if (app.disable && !JOIN_ALLOWED_ON_DISABLED_APP) throw disabledAppError(app.appId);
      const member = group.members.get(change.userId);
      if (member) {
        // Already a member: a reconnect updates the info (§2.4 "gs" reconnect event), counting no new member.
        if (change.userInfo !== undefined) member.userInfo = change.userInfo;
        if (REJOIN_COUNTS_SESSION) group.totalTimes++;
        return;
      }
      store.addMember(app, group, change.userId, change.userInfo ?? "", now, SUPER_GROUP_MEMBERS);
    },

    leave(change) {
      const { app, group } = membershipTarget(change);
      if (group) store.removeMember(app, group, change.userId);
    },

    reset() {
      store.reset();
    },

    snapshot() {
      return store.snapshot();
    },

    restore(snapshot) {
      store.restore(snapshot);
    },

    views: createViews(store),
  };
  return service;
}
