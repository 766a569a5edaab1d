// One isolated LiveMessage environment per CI run: the stack name (e.g. `ci-1234-1`) names everything, so parallel
// runs never collide. Two modes, chosen by config:
//   - dedicated app (default): a new app per run. Free against the emulator; against Alibaba Cloud every run uses up
//     one of the account's 300 apps for good (there is no API to delete an app; destroy only disables it).
//   - shared app (`appId` set): groups are created in an existing app, which this stack never modifies.
import * as pulumi from "@pulumi/pulumi";
import * as livemessage from "pulumi-alicloud-livemessage";

type DataCenter = "cn-shanghai" | "ap-southeast-1";

/** The groups every environment has — edit to fit your test suite. `key` is the key in the `groupIds` output. */
const GROUPS: readonly { key: string; title: string; administrators?: string[]; welcome?: string }[] = [
  { key: "lobby", title: "Lobby", administrators: ["moderator1"], welcome: "Welcome! This is a test environment." },
  { key: "support", title: "Support", administrators: ["agent1"] },
  { key: "events", title: "Events", welcome: "Events will appear here." },
];

/** The provider's default endpoint (root README, Configuration), reported when `livemessage:endpoint` is unset. */
const DEFAULT_ENDPOINT = "https://live.aliyuncs.com";

/** AppName is 2–16 characters: the stack name, cut to 16. */
function appNameFor(stack: string): string {
  const chars = [...stack].slice(0, 16).join("");
  return chars.length >= 2 ? chars : `${chars}-env`;
}

interface EnvironmentApp {
  appId: pulumi.Input<string>;
  dataCenter: pulumi.Input<DataCenter>;
  appKey: pulumi.Output<string>;
  appSign: pulumi.Output<string>;
}

/** Shared mode: read the existing app (never managed by this stack) and refuse one that cannot take traffic. */
async function sharedApp(appId: string, dataCenter: DataCenter | undefined): Promise<EnvironmentApp> {
  let app: livemessage.AppLookup;
  try {
    app = await livemessage.getApp({ appId, ...(dataCenter ? { dataCenter } : {}) });
  } catch (e) {
    throw new pulumi.RunError(`config appId: cannot use the shared app ${appId}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (app.disabled) {
    throw new pulumi.RunError(
      `config appId: the shared app ${appId} (${app.appName}) is disabled, so test users could not join or send. ` +
        `Re-enable it (App resource disabled: false, or ModifyLiveMessageAppDisable), or configure another app.`,
    );
  }
  return { appId: app.appId, dataCenter: app.dataCenter, appKey: app.appKey, appSign: app.appSign };
}

/** Dedicated mode: a new app named after the stack. Destroy disables it (or leaves it, with `retainApp`). */
function dedicatedApp(stack: string, dataCenter: DataCenter | undefined, retain: boolean): EnvironmentApp {
  const app = new livemessage.App("app", { appName: appNameFor(stack), ...(dataCenter ? { dataCenter } : {}) }, { retainOnDelete: retain });
  return { appId: app.appId, dataCenter: app.dataCenter as pulumi.Output<DataCenter>, appKey: app.appKey, appSign: app.appSign };
}

export = async () => {
  const stack = pulumi.getStack();
  const config = new pulumi.Config();
  const sharedAppId = config.get("appId");
  const dataCenter = config.get("dataCenter", { allowedValues: ["cn-shanghai", "ap-southeast-1"] }) as DataCenter | undefined;
  const app = sharedAppId ? await sharedApp(sharedAppId, dataCenter) : dedicatedApp(stack, dataCenter, config.getBoolean("retainApp") ?? false);
  // Groups take the app's data center: the configured literal in dedicated mode (known in every preview), the looked-up one in shared mode.
  const groupDataCenter = sharedAppId ? app.dataCenter : dataCenter;

  const groupIds: Record<string, pulumi.Output<string>> = {};
  const seedMessages: Record<string, { msgTid: pulumi.Output<string>; delivered: pulumi.Output<boolean> }> = {};
  for (const g of GROUPS) {
    // The stack name is part of the logical name, so the generated groupId starts with it (e.g. ci12341lobby + 8
    // random characters): traceable in a shared app, and new on every run — deleted group IDs are never reusable,
    // so a re-run with the same run id must not try to create the IDs its predecessor deleted.
    const group = new livemessage.Group(`${stack}-${g.key}`, {
      appId: app.appId,
      groupName: `${stack} ${g.title}`,
      ...(g.administrators ? { administrators: g.administrators } : {}),
      ...(groupDataCenter ? { dataCenter: groupDataCenter } : {}),
    });
    groupIds[g.key] = group.groupId;
    if (g.welcome) {
      // Nobody has joined a fresh group, and the service only accepts messages into groups with a joined user: defer
      // (recorded undelivered; the next `pulumi up` after a test user joined sends it).
      const seed = new livemessage.SeedMessage(`${stack}-${g.key}-welcome`, {
        appId: app.appId,
        groupId: group.groupId,
        senderId: "system",
        msgType: 1,
        body: JSON.stringify({ text: g.welcome, environment: stack }),
        whenInactive: "defer",
        ...(groupDataCenter ? { dataCenter: groupDataCenter } : {}),
      });
      seedMessages[g.key] = { msgTid: seed.msgTid, delivered: seed.delivered };
    }
  }

  const providerConfig = new pulumi.Config("livemessage");
  return {
    /** "shared-app" or "dedicated-app". */
    mode: sharedAppId ? "shared-app" : "dedicated-app",
    /** Where the test suite sends its API calls. */
    endpoint: providerConfig.get("endpoint") ?? process.env.LIVEMESSAGE_ENDPOINT ?? DEFAULT_ENDPOINT,
    appId: app.appId,
    dataCenter: app.dataCenter,
    /** Group IDs by key (lobby, support, events). */
    groupIds,
    /** Client SDK credentials of the app: secret outputs, never shown in plain text. */
    appKey: pulumi.secret(app.appKey),
    appSign: pulumi.secret(app.appSign),
    seedMessages,
  };
};
