package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/craftkit/craftkit/alerts"
)

// tourAlerts ingests a few Nagios and Icinga 2 log lines, classifies them,
// prints the on-call week's signal/noise, and shows the pager text a disk
// alert carries with its context.
func tourAlerts(w io.Writer) error {
	fmt.Fprintln(w, "alerts: on-call alert classification, signal/noise, and alert context")
	const log = `[1772449200] SERVICE NOTIFICATION: ann;db1;Disk Space;CRITICAL;notify-service-by-email;DISK CRITICAL - free space: /var 900 MB (4% inode 40%):
[1772452800] SERVICE NOTIFICATION: ann;db1;Disk Space;OK;notify-service-by-email;DISK OK
[1772506800] SERVICE NOTIFICATION: ann;web1;HTTP;CRITICAL;mail-service-notification;HTTP CRITICAL - 502 Bad Gateway;
[1772524800] SERVICE NOTIFICATION: ann;web2;Load;WARNING;notify-service-by-email;LOAD WARNING - load average: 9.1, 7.0, 5.2
[1772611200] SERVICE NOTIFICATION: ann;web2;Load;WARNING;notify-service-by-email;LOAD WARNING - load average: 9.4, 7.2, 5.0
`
	ns, err := alerts.ParseNagiosLog(strings.NewReader(log))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  parsed %d notifications (Nagios and Icinga 2 lines mixed)\n", len(ns))
	ctx := context.Background()
	store := &alerts.Memory{}
	if err := store.Append(ctx, alerts.NotificationRecords(ns)); err != nil {
		return err
	}
	review := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	cs := []alerts.Classification{
		{NotificationID: ns[0].ID(), Tag: "issue", Note: "rotated logs on /var", By: "ann", At: review, Sleep: alerts.Asleep},
		{NotificationID: ns[2].ID(), Tag: "issue", Note: "restarted the upstream pool", By: "ann", At: review},
	}
	cs = append(cs, alerts.ClassifyAll([]alerts.Notification{ns[3], ns[4]},
		alerts.Classification{Tag: "thresholdincorrect", Note: "load 9 is normal at backup time", By: "ann", At: review})...)
	if err := store.Append(ctx, alerts.ClassificationRecords(cs)); err != nil {
		return err
	}
	snap, err := alerts.Load(ctx, store, nil)
	if err != nil {
		return err
	}
	rot := alerts.Rotation{Weekday: time.Monday, Hour: 9}
	rep := snap.Week(rot, rot.Week(ns[0].Time), nil)
	fmt.Fprintf(w, "  week %s: %d notifications, %d action, %d no action, signal/noise %.0f%%\n",
		rep.Week, rep.Total, rep.Action, rep.NoAction, rep.SignalNoise*100)
	for _, n := range snap.Noisy(rep.Week.Start, rep.Week.End, &alerts.NoisyOptions{Limit: 1}) {
		fmt.Fprintf(w, "  noisiest: %s/%s -> %s\n", n.Host, n.Service, n.Suggestion)
	}
	disk := alerts.Notification{Time: ns[0].Time, Host: "db1", Service: "Disk Space", State: "CRITICAL",
		Output: "DISK CRITICAL - free space: /var 900 MB (4% inode 40%):", Perfdata: "/var=19100MB;16000;18000;0;20000 /=4000MB;16000;18000;0;20000"}
	m, err := alerts.NewDefaultRegistry().Format(ctx, disk)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  pager: %s\n", alerts.RenderPager(m, 120))
	return nil
}
