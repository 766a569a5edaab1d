import * as livemessage from "pulumi-alicloud-livemessage";

// One messaging app…
const app = new livemessage.App("chat", { appName: "chat", dataCenter: "cn-shanghai" });

// …and three groups in it. `groupId` is generated from the resource name (and kept stable) unless you set it.
const lobby = new livemessage.Group("lobby", {
  appId: app.appId,
  groupName: "Lobby",
  administrators: ["ops1"],
});
const support = new livemessage.Group("support", {
  appId: app.appId,
  groupName: "Support",
  groupInfo: JSON.stringify({ topic: "help" }),
});
const announcements = new livemessage.Group("announcements", {
  appId: app.appId,
  groupName: "Announcements",
  administrators: ["ops1", "ops2"],
});

export const appId = app.appId;
export const groupIds = {
  lobby: lobby.groupId,
  support: support.groupId,
  announcements: announcements.groupId,
};
