"""The quickstart in Python: one messaging app and three groups in it, with the generated Python SDK of the
native livemessage plugin (../../sdks/python)."""
import json

import pulumi
import pulumi_livemessage as livemessage

# One messaging app…
app = livemessage.App("chat", app_name="chat", data_center=livemessage.DataCenter.CN_SHANGHAI)

# …and three groups in it. `group_id` is generated from the resource name (and kept stable) unless you set it.
lobby = livemessage.Group("lobby", app_id=app.app_id, group_name="Lobby", administrators=["ops1"])
support = livemessage.Group("support",
    app_id=app.app_id,
    group_name="Support",
    group_info=json.dumps({"topic": "help"}, separators=(",", ":")))
announcements = livemessage.Group("announcements",
    app_id=app.app_id,
    group_name="Announcements",
    administrators=["ops1", "ops2"])

pulumi.export("appId", app.app_id)
pulumi.export("groupIds", {
    "lobby": lobby.group_id,
    "support": support.group_id,
    "announcements": announcements.group_id,
})
