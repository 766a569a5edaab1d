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

// config `legacy`: "<groupId>" of an existing group of the app, taken into the stack — with `legacyMode` "import" by
// the import resource option, with "adopt" by `adopt: true` — and read (not managed) with Group.get.
const legacy = config.get("legacy");
if (legacy) {
  const adopt = config.get("legacyMode") === "adopt";
  new livemessage.Group("legacy", { appId, groupId: legacy, groupName: "Legacy", ...(adopt ? { adopt: true } : {}) }, adopt ? {} : { import: `${appId}/${legacy}` });
}
const read = config.get("read");
export const readName = read ? livemessage.Group.get("read", `${appId}/${read}`).groupName : undefined;

export const lobbyId = lobby.groupId;
export const lobbyCreated = lobby.createTime;
export const mirrorId = mirror.groupId;
