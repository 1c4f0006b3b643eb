package alerts_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/craftkit/craftkit/alerts"
)

func ExampleParseNagiosLog() {
	log := `[1772420645] SERVICE NOTIFICATION: ann;db1;Disk;CRITICAL;notify-by-email;DISK CRITICAL - /var 96%
[1772420700] SERVICE ALERT: db1;Disk;CRITICAL;HARD;3;DISK CRITICAL - /var 96%
[1772424245] SERVICE NOTIFICATION: icingaadmin;db1;Disk;RECOVERY;mail-service-notification;DISK OK - /var 60%;
`
	ns, err := alerts.ParseNagiosLog(strings.NewReader(log))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range ns {
		fmt.Printf("%s %s %s/%s %s %q\n", n.Time.Format(time.TimeOnly), n.Source, n.Host, n.Service, n.Type, n.Output)
	}
	// Output:
	// 03:04:05 nagios db1/Disk PROBLEM "DISK CRITICAL - /var 96%"
	// 04:04:05 icinga2 db1/Disk RECOVERY "DISK OK - /var 60%"
}

func ExampleSnapshot_Week() {
	ctx := context.Background()
	store := &alerts.Memory{} // or alerts.OpenFile("alerts.jsonl", alerts.FileConfig{})
	monday := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ns := []alerts.Notification{
		{Time: monday.Add(3 * time.Hour), Contact: "ann", Host: "db1", Service: "Disk", State: "CRITICAL"},
		{Time: monday.Add(27 * time.Hour), Contact: "ann", Host: "web1", Service: "HTTP", State: "WARNING"},
		{Time: monday.Add(40 * time.Hour), Contact: "ann", Host: "web1", Service: "HTTP", State: "WARNING"},
	}
	_ = store.Append(ctx, alerts.NotificationRecords(ns))
	_ = store.Append(ctx, alerts.ClassificationRecords([]alerts.Classification{
		{NotificationID: ns[0].ID(), Tag: "issue", Note: "cleaned /var/log", By: "ann", At: monday.AddDate(0, 0, 7)},
		{NotificationID: ns[1].ID(), Tag: "thresholdincorrect", By: "ann", At: monday.AddDate(0, 0, 7)},
		{NotificationID: ns[2].ID(), Tag: "thresholdincorrect", By: "ann", At: monday.AddDate(0, 0, 7)},
	}))

	snap, err := alerts.Load(ctx, store, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	rot := alerts.Rotation{Weekday: time.Monday, Hour: 9}
	rep := snap.Week(rot, rot.Week(monday), nil)
	fmt.Printf("%d notifications: %d action, %d no action, signal/noise %.2f\n", rep.Total, rep.Action, rep.NoAction, rep.SignalNoise)
	fmt.Println("top host:", rep.TopHosts[0].Name, rep.TopHosts[0].Count)
	// Output:
	// 3 notifications: 1 action, 2 no action, signal/noise 0.33
	// top host: web1 2
}
