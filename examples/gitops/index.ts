// GitOps from files: every LiveMessage app, group and seed message of an environment is declared in YAML files kept
// in the repository, `environments/<stack>/apps/*.yaml`. This program only translates them into resources.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as livemessage from "pulumi-alicloud-livemessage";
import { EnvironmentError, loadEnvironment, type AppSpec, type Environment, type GroupSpec } from "./environment";

const config = new pulumi.Config();
// Relative to the project directory (the program's working directory under `pulumi`).
const environmentDir = config.get("environmentDir") ?? path.join("environments", pulumi.getStack());

let environment: Environment;
try {
  // Every file is validated before anything is declared: a bad file fails the run and writes nothing.
  environment = loadEnvironment(environmentDir);
} catch (e) {
  // RunError: Pulumi prints the message alone, without a stack trace of this program.
  throw e instanceof EnvironmentError ? new pulumi.RunError(e.message) : e;
}

/** Only the fields a file sets: the SDK then applies its own defaults to the others. */
function defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

interface DeclaredApp {
  appId: pulumi.Output<string>;
  appName: pulumi.Output<string | undefined>;
  dataCenter: pulumi.Output<string>;
  groupIds: pulumi.Output<string>[];
}

/**
 * Logical names come from the file CONTENTS, never from file names or positions: an app is `<app key>`, a group
 * `<app key>/<groupId>`, a seed message `<app key>/<groupId>/<seed key>`. Renaming a file, reordering groups or
 * keys, or moving a group to another file of the same app therefore changes nothing.
 */
function declareApp(spec: AppSpec): DeclaredApp {
  const app = new livemessage.App(
    spec.key,
    defined({
      appName: spec.appName,
      dataCenter: spec.dataCenter,
      msgLifeCycle: spec.msgLifeCycle,
      auditType: spec.auditType,
      auditUrl: spec.auditUrl,
      eventCallbackUrl: spec.eventCallbackUrl,
      disabled: spec.disabled,
    }),
    { retainOnDelete: spec.retainOnDelete ?? false },
  );
  const groupIds = spec.groups.map((g) => declareGroup(spec, app, g));
  return { appId: app.appId, appName: app.appName, dataCenter: app.dataCenter, groupIds };
}

function declareGroup(appSpec: AppSpec, app: livemessage.App, spec: GroupSpec): pulumi.Output<string> {
  const name = `${appSpec.key}/${spec.groupId}`;
  const group = new livemessage.Group(name, {
    appId: app.appId,
    ...defined({
      // Pinned: GitOps wants IDs that clients can hard-code. See README.md for what pinning means on a replace.
      groupId: spec.groupId,
      groupName: spec.groupName,
      groupInfo: spec.groupInfo,
      administrators: spec.administrators,
      creatorId: spec.creatorId,
      // As written in the app's file (or the provider's default, like the app's): a literal, known in every preview.
      dataCenter: appSpec.dataCenter,
      adopt: spec.adopt,
      recoverDeleted: spec.recoverDeleted,
    }),
  });
  for (const seed of spec.seedMessages) {
    const { key, source: _source, ...args } = seed;
    seedMessages[`${name}/${key}`] = new livemessage.SeedMessage(
      `${name}/${key}`,
      { ...defined({ ...args, dataCenter: appSpec.dataCenter }), appId: app.appId, groupId: group.groupId, senderId: args.senderId },
    );
  }
  return group.groupId;
}

const seedMessages: Record<string, livemessage.SeedMessage> = {};
const declared = Object.fromEntries(environment.apps.map((a) => [a.key, declareApp(a)]));

/** Per app (by key): its ID, name, data center and group IDs. */
export const apps = declared;
/** Per seed message (`<app>/<groupId>/<key>`): its message ID and whether it has been delivered (deferred ones wait for a user). */
export const seeds = Object.fromEntries(
  Object.entries(seedMessages).map(([name, m]) => [name, { msgTid: m.msgTid, delivered: m.delivered }]),
);
/** The files this run read. */
export const files = environment.files;
