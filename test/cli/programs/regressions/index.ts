// Groups with generated IDs in an app the stack does not manage (config `appId`), so the same app outlives a destroy;
// `mirror` depends on computed outputs of `lobby`.
import * as pulumi from "@pulumi/pulumi";
import * as livemessage from "pulumi-alicloud-livemessage";

const config = new pulumi.Config();
const appId = config.require("appId");
const lobby = new livemessage.Group("lobby", {
  appId,
  groupName: config.get("groupName") ?? "Lobby",
  administrators: config.getObject<string[]>("admins") ?? ["ops1"],
});
const mirror = new livemessage.Group("mirror", {
  appId,
  groupInfo: pulumi.interpolate`lobby created ${lobby.createTime}, super large: ${lobby.superLargeGroup}`,
});

// config `adopt`: "<groupId>" of an existing group of the app, taken into the stack with the import resource option.
const adopt = config.get("adopt");
if (adopt) new livemessage.Group("legacy", { appId, groupId: adopt, groupName: "Legacy" }, { import: `${appId}/${adopt}` });

export const lobbyId = lobby.groupId;
export const lobbyCreated = lobby.createTime;
export const mirrorId = mirror.groupId;
