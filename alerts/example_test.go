package alerts_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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

func ExampleOpenFile() {
	dir, _ := os.MkdirTemp("", "alerts")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	store, err := alerts.OpenFile(filepath.Join(dir, "alerts.jsonl"), alerts.FileConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	n := alerts.Notification{Time: time.Date(2026, 3, 2, 3, 4, 5, 0, time.UTC), Contact: "ann", Host: "db1", Service: "Disk", State: "CRITICAL"}
	c := alerts.Classification{NotificationID: n.ID(), Tag: "thresholdincorrect", Note: "raise to 95%", By: "ann", At: n.Time.AddDate(0, 0, 7)}
	// One batch, one fsync: durable when Append returns nil.
	if err := store.Append(ctx, []alerts.Record{{Notification: &n}, {Classification: &c}}); err != nil {
		fmt.Println(err)
		return
	}
	snap, err := alerts.Load(ctx, store, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	got, _ := snap.Classification(n.ID())
	fmt.Println(snap.Len(), got.Tag, snap.Category(n.ID()))
	// Output:
	// 1 thresholdincorrect noaction
}

func ExampleRegistry_Format() {
	n := alerts.Notification{
		Time: time.Date(2026, 3, 2, 3, 4, 5, 0, time.UTC), Host: "db1", Service: "Disk Space", State: "CRITICAL",
		Output:   "DISK CRITICAL - free space: /var 900 MB (4% inode 40%):",
		Perfdata: "/var=19100MB;16000;18000;0;20000 /=4000MB;16000;18000;0;20000",
	}
	m, err := alerts.NewDefaultRegistry().Format(context.Background(), n)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Subject)
	fmt.Println(alerts.RenderPager(m, 80))
	// Output:
	// ** PROBLEM Service Alert: db1/Disk Space is CRITICAL **
	// PROBLEM db1/Disk Space CRITICAL: DISK CRITICAL - free space: /var 900 MB (4%…
}

func ExampleDecodeWebhook() {
	body := `{"version":"4","status":"firing","receiver":"pager",
	  "alerts":[{"status":"firing","labels":{"alertname":"DiskFull","instance":"db1:9100"},
	             "annotations":{"summary":"/var 96% full"},"startsAt":"2026-03-02T03:04:05Z"},
	            {"status":"resolved","labels":{"alertname":"HighLoad","instance":"web1:9100"},
	             "startsAt":"2026-03-02T01:00:00Z","endsAt":"2026-03-02T02:00:00Z"}]}`
	m, err := alerts.DecodeWebhook(strings.NewReader(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range m.Notifications() {
		fmt.Println(n.Time.Format(time.TimeOnly), n.Contact, n.Host, n.Service, n.State, n.Output)
	}
	// Output:
	// 03:04:05 pager db1:9100 DiskFull FIRING /var 96% full
	// 02:00:00 pager web1:9100 HighLoad RESOLVED
}
