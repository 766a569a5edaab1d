import * as pulumi from "@pulumi/pulumi";
import { RESOURCE_OUTPUTS, type SeedMessageArgs, type SeedMessageResourceArgs, type WhenInactive } from "./types";

export type { SeedMessageArgs, SeedMessageResourceArgs, WhenInactive };

// The module object itself (not a copy): Pulumi then stores `require("pulumi-alicloud-livemessage/dynamic/seed-message")`.
import seedMessageProvider = require("./dynamic/seed-message");

/**
 * A message sent once into a LiveMessage group (SendLiveMessageGroup), e.g. a welcome or pinned notice. The resource
 * id is `"<appId>/<groupId>/<msgTid>"`.
 *
 * `msgTid` is generated (and kept in the state) unless you set it, so a retried send never duplicates
 * the message. The service accepts messages only while at least one user has joined the group: `whenInactive` says
 * what happens otherwise — `"fail"` (default), `"wait"` (poll until a user joins, up to `waitTimeoutSeconds`) or
 * `"defer"` (recorded with `delivered: false`; every later `pulumi up` tries again, shown as an update). Any change of
 * the content sends a new message and deletes the old one; deleting the resource deletes the message (best effort).
 *
 * @example
 * new livemessage.SeedMessage("welcome", { appId: app.appId, groupId: lobby.groupId, senderId: "system",
 *   body: JSON.stringify({ text: "Welcome!" }), msgType: 1, whenInactive: "defer" });
 */
export class SeedMessage extends pulumi.dynamic.Resource {
  declare public readonly appId: pulumi.Output<string>;
  /** The group's groupId. */
  declare public readonly groupId: pulumi.Output<string>;
  declare public readonly senderId: pulumi.Output<string>;
  declare public readonly body: pulumi.Output<string>;
  declare public readonly msgType: pulumi.Output<number>;
  /** The message ID: the one you set, else generated ("seed" + 60 random letters and digits) and kept in the state. */
  declare public readonly msgTid: pulumi.Output<string>;
  declare public readonly senderMetaInfo: pulumi.Output<string>;
  declare public readonly weight: pulumi.Output<number>;
  declare public readonly staticsIncrease: pulumi.Output<number>;
  declare public readonly noStorage: pulumi.Output<boolean>;
  declare public readonly noCache: pulumi.Output<boolean>;
  declare public readonly dataCenter: pulumi.Output<string>;
  declare public readonly whenInactive: pulumi.Output<WhenInactive>;
  declare public readonly waitTimeoutSeconds: pulumi.Output<number>;
  declare public readonly waitIntervalSeconds: pulumi.Output<number>;
  /** False while a deferred message waits for a user to join the group. */
  declare public readonly delivered: pulumi.Output<boolean>;
  /** Unix seconds when it was sent; 0 until delivered. */
  declare public readonly sentAt: pulumi.Output<number>;
  /** Its sequence number in the group (stored messages; 0 when unknown). */
  declare public readonly seqNumber: pulumi.Output<number>;

  constructor(name: string, args: SeedMessageResourceArgs, opts: pulumi.CustomResourceOptions = {}) {
    const props: Record<string, unknown> = { ...args };
    if (opts.id === undefined) props.__resourceName = name; // names the message in log lines and the quota tally
    for (const out of RESOURCE_OUTPUTS.SeedMessage) {
      if (!(out in props)) props[out] = undefined;
    }
    super(seedMessageProvider, name, props, opts, "livemessage", "SeedMessage");
  }

  /** Looks up an existing (stored) group message by its id `"<appId>/<groupId>/<msgTid>"`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): SeedMessage {
    return new SeedMessage(name, {} as SeedMessageResourceArgs, { ...opts, id });
  }
}
