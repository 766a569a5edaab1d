import * as pulumi from "@pulumi/pulumi";
import { RESOURCE_OUTPUTS, type GroupArgs, type GroupResourceArgs } from "./types";

export type { GroupArgs, GroupResourceArgs };

// The module object itself (not a copy): Pulumi then stores `require("pulumi-alicloud-livemessage/dynamic/group")`.
import groupProvider = require("./dynamic/group");

/**
 * A LiveMessage group in an app. The resource id is `"<appId>/<groupId>"`.
 *
 * `administrators` and `groupInfo` are updated in place; `appId`, `groupId`, `groupName`, `creatorId` and
 * `dataCenter` force a replacement. `groupId` is generated from the resource name when omitted (and kept stable);
 * when you pin it, a change that would force a replacement fails the preview, because a deleted group ID can never
 * be reused. Deleting the resource soft-deletes the group (recoverable for 30 days with `recoverDeleted`).
 *
 * @example
 * const lobby = new livemessage.Group("lobby", { appId: app.appId, groupName: "Lobby", administrators: ["ops1"] });
 */
export class Group extends pulumi.dynamic.Resource {
  declare public readonly appId: pulumi.Output<string>;
  declare public readonly groupId: pulumi.Output<string>;
  declare public readonly groupName: pulumi.Output<string>;
  declare public readonly groupInfo: pulumi.Output<string>;
  declare public readonly administrators: pulumi.Output<string[]>;
  declare public readonly creatorId: pulumi.Output<string>;
  declare public readonly dataCenter: pulumi.Output<string>;
  declare public readonly adopt: pulumi.Output<boolean>;
  declare public readonly recoverDeleted: pulumi.Output<boolean>;
  /** Unix seconds. */
  declare public readonly createTime: pulumi.Output<number>;
  declare public readonly superLargeGroup: pulumi.Output<boolean>;
  /** Refreshed on create, update and refresh; never causes a diff. */
  declare public readonly onlineUserCounts: pulumi.Output<number>;
  /** Refreshed on create, update and refresh; never causes a diff. */
  declare public readonly totalTimes: pulumi.Output<number>;
  /** Messages per message type; refreshed on create, update and refresh; never causes a diff. */
  declare public readonly msgAmount: pulumi.Output<Record<string, number>>;

  constructor(name: string, args: GroupResourceArgs, opts: pulumi.CustomResourceOptions = {}) {
    const props: Record<string, unknown> = { ...args };
    if (opts.id === undefined) props.__resourceName = name; // seeds the generated groupId
    for (const out of RESOURCE_OUTPUTS.Group) {
      if (!(out in props)) props[out] = undefined;
    }
    super(groupProvider, name, props, opts, "livemessage", "Group");
  }

  /** Looks up an existing group by its id `"<appId>/<groupId>"`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Group {
    return new Group(name, {} as GroupResourceArgs, { ...opts, id });
  }
}
