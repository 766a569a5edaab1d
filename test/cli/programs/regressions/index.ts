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

export const lobbyId = lobby.groupId;
export const lobbyCreated = lobby.createTime;
export const mirrorId = mirror.groupId;
