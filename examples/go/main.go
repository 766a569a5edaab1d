// The quickstart in Go: one messaging app and three groups in it, with the generated Go SDK of the native
// livemessage plugin (../../sdks/go/livemessage).
package main

import (
	"encoding/json"

	livemessage "github.com/alicloud-livemessage/pulumi-alicloud-livemessage/sdks/go/livemessage"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		// One messaging app…
		app, err := livemessage.NewApp(ctx, "chat", &livemessage.AppArgs{
			AppName:    pulumi.String("chat"),
			DataCenter: livemessage.DataCenterCnShanghai,
		})
		if err != nil {
			return err
		}

		// …and three groups in it. `GroupId` is generated from the resource name (and kept stable) unless you set it.
		lobby, err := livemessage.NewGroup(ctx, "lobby", &livemessage.GroupArgs{
			AppId:          app.AppId,
			GroupName:      pulumi.String("Lobby"),
			Administrators: pulumi.StringArray{pulumi.String("ops1")},
		})
		if err != nil {
			return err
		}
		topic, err := json.Marshal(map[string]string{"topic": "help"})
		if err != nil {
			return err
		}
		support, err := livemessage.NewGroup(ctx, "support", &livemessage.GroupArgs{
			AppId:     app.AppId,
			GroupName: pulumi.String("Support"),
			GroupInfo: pulumi.String(string(topic)),
		})
		if err != nil {
			return err
		}
		announcements, err := livemessage.NewGroup(ctx, "announcements", &livemessage.GroupArgs{
			AppId:          app.AppId,
			GroupName:      pulumi.String("Announcements"),
			Administrators: pulumi.StringArray{pulumi.String("ops1"), pulumi.String("ops2")},
		})
		if err != nil {
			return err
		}

		ctx.Export("appId", app.AppId)
		ctx.Export("groupIds", pulumi.StringMap{
			"lobby":         lobby.GroupId,
			"support":       support.GroupId,
			"announcements": announcements.GroupId,
		})
		return nil
	})
}
