import * as pulumi from "@pulumi/pulumi";
import { RESOURCE_OUTPUTS, SECRET_OUTPUTS, type AppArgs, type AppResourceArgs } from "./types";

export type { AppArgs, AppResourceArgs };

// The module object itself (not a copy): Pulumi then stores `require("pulumi-alicloud-livemessage/dynamic/app")`.
import appProvider = require("./dynamic/app");

/**
 * A LiveMessage (interactive messaging) app.
 *
 * Replaced when `appName`, `dataCenter` or `msgLifeCycle` change; moderation (`auditType`, `auditUrl`), the event
 * callback URL and `disabled` are updated in place. Alibaba Cloud has no API to delete an app: deleting this
 * resource DISABLES the app (and warns); use the `retainOnDelete` resource option to leave it untouched.
 *
 * @example
 * const app = new livemessage.App("chat", { appName: "chat", dataCenter: "cn-shanghai" });
 */
export class App extends pulumi.dynamic.Resource {
  /**
   * The app ID issued by the service. It is the resource id, and derived from it: a dependent resource sees it
   * as known during a preview that only updates the app (Pulumi previews of dynamic resources drop computed outputs).
   */
  public readonly appId: pulumi.Output<string>;
  /** The app's name (defaults to the resource name, cut to 16 characters). */
  declare public readonly appName: pulumi.Output<string | undefined>;
  declare public readonly dataCenter: pulumi.Output<string>;
  /** 0 = 30 days, 1 = 90 days, 2 = 180 days of message retention. */
  declare public readonly msgLifeCycle: pulumi.Output<number>;
  declare public readonly auditType: pulumi.Output<number>;
  declare public readonly auditUrl: pulumi.Output<string>;
  declare public readonly eventCallbackUrl: pulumi.Output<string>;
  declare public readonly disabled: pulumi.Output<boolean>;
  /** Secret used for token authentication of client SDK users. Secret output. */
  declare public readonly appKey: pulumi.Output<string>;
  /** Credential string for the client SDK. Secret output. */
  declare public readonly appSign: pulumi.Output<string>;
  /** Unix seconds. */
  declare public readonly createTime: pulumi.Output<number>;
  /** Unix seconds. */
  declare public readonly modifyTime: pulumi.Output<number>;

  constructor(name: string, args: AppResourceArgs = {}, opts: pulumi.CustomResourceOptions = {}) {
    const looksUp = opts.id !== undefined;
    const props: Record<string, unknown> = looksUp
      ? { ...args }
      : { appName: defaultAppName(name), ...args, __resourceName: name }; // keys the quota tally
    // appId is not registered: it is the resource id (see `appId` above).
    for (const out of RESOURCE_OUTPUTS.App.filter((o) => o !== "appId")) {
      if (!(out in props)) props[out] = undefined;
    }
    super(
      appProvider,
      name,
      props,
      { ...opts, additionalSecretOutputs: [...new Set([...(opts.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS.App])] },
      "livemessage",
      "App",
    );
    this.appId = this.id;
  }

  /** Looks up an existing app by its AppId (`pulumi refresh`-style read; the app is not managed). */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): App {
    return new App(name, {}, { ...opts, id });
  }
}

/** AppName must be 2–16 characters: the resource name, cut to 16; undefined when shorter than 2. */
function defaultAppName(name: string): string | undefined {
  const chars = [...name].slice(0, 16);
  return chars.length >= 2 ? chars.join("") : undefined;
}
