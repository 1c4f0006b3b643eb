// Command alerts runs an on-call review end to end: it ingests a month of
// Nagios/Icinga notifications (embedded from testdata/week.log: four
// synthetic on-call weeks in which the team fixes its noisiest checks),
// stores them in a JSON Lines store, classifies the problems from a small
// CSV of decisions (testdata/decisions.csv: host, service, tag, note),
// prints the last week's report, the signal/noise trend and the noisiest
// alerts as text, and writes the HTML report with its SVG charts to a
// file:
//
//	go run ./examples/alerts
//	go run ./examples/alerts -log /var/log/nagios/nagios.log -decisions mine.csv -html report.html -tz Europe/Berlin
package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/craftkit/craftkit/alerts"
	"github.com/craftkit/craftkit/examples/internal/cli"
	"github.com/craftkit/craftkit/internal/atomicfile"
)

//go:embed testdata/week.log
var sampleLog []byte

//go:embed testdata/decisions.csv
var sampleDecisions []byte

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const usageText = `Usage: alerts [flags]

Ingests notifications from a Nagios or Icinga 2 log, classifies them from a
CSV of decisions (columns host, service, tag, note; tags from Opsweekly's
set), and prints the last on-call week's report and the signal/noise trend.
The HTML report (with SVG charts) is written to -html.

Flags:
`

type options struct {
	log, decisions, store, html, tz, start, by string
}

// run is main with its inputs and outputs injected; it returns the exit
// code: 0 done, 1 failed, 2 bad flags.
func run(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlagSet("alerts", stderr, usageText)
	var o options
	fs.StringVar(&o.log, "log", "", "Nagios or Icinga 2 compat log to ingest (default: the embedded sample)")
	fs.StringVar(&o.decisions, "decisions", "", "CSV of decisions: host,service,tag,note (default: the embedded sample)")
	fs.StringVar(&o.store, "store", "", "JSON Lines store file, created if missing (default: a temporary file)")
	fs.StringVar(&o.html, "html", "", "write the HTML report here (default: alerts-report.html in the temporary directory)")
	fs.StringVar(&o.tz, "tz", "UTC", "time zone of the on-call rotation, e.g. America/New_York")
	fs.StringVar(&o.start, "start", "mon 09:00", "rotation start: weekday and 24-hour time")
	fs.StringVar(&o.by, "by", "oncall", "name recorded as the classifier")
	if err := fs.Parse(args); err != nil {
		return cli.ParseStatus(err)
	}
	prog := cli.Program{Name: "alerts", Stderr: stderr}
	if fs.NArg() > 0 {
		prog.Usage = fs.Usage
		return prog.UsageError(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	rot, err := parseRotation(o.start, o.tz)
	if err != nil {
		return prog.UsageError(err)
	}
	if strings.TrimSpace(o.by) == "" {
		return prog.UsageError(errors.New("-by must not be empty"))
	}
	return prog.Exit(review(context.Background(), o, rot, stdout))
}

// parseRotation reads "mon 09:00" and a zone name.
func parseRotation(start, tz string) (alerts.Rotation, error) {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return alerts.Rotation{}, fmt.Errorf("-tz %q: %w", tz, err)
	}
	day, clock, ok := strings.Cut(strings.TrimSpace(start), " ")
	days := map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
		"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}
	wd, okDay := days[strings.ToLower(day)]
	t, errClock := time.Parse("15:04", clock)
	if !ok || !okDay || errClock != nil {
		return alerts.Rotation{}, fmt.Errorf("-start %q: want a weekday and a time, such as \"fri 18:00\"", start)
	}
	r := alerts.Rotation{Weekday: wd, Hour: t.Hour(), Minute: t.Minute(), Location: loc}
	return r, r.Check()
}

func readInput(path string, sample []byte) ([]byte, string, error) {
	if path == "" {
		return sample, "embedded sample", nil
	}
	b, err := os.ReadFile(path)
	return b, path, err
}

func review(ctx context.Context, o options, rot alerts.Rotation, out io.Writer) error {
	logData, logName, err := readInput(o.log, sampleLog)
	if err != nil {
		return err
	}
	res, err := alerts.ParseNagiosLogOptions(bytes.NewReader(logData), &alerts.ParseOptions{Lenient: true, Name: logName})
	if err != nil {
		return err
	}
	if len(res.Notifications) == 0 {
		return fmt.Errorf("%s: no notifications in %d lines", logName, res.Lines)
	}
	fmt.Fprintf(out, "Ingested %d notifications from %s (%d lines, %d unparseable skipped)\n",
		len(res.Notifications), logName, res.Lines, res.Skipped)

	storePath, cleanup, err := cli.FileOrTemp(o.store, "alerts-example", "alerts.jsonl")
	if err != nil {
		return err
	}
	defer cleanup()
	store, err := alerts.OpenFile(storePath, alerts.FileConfig{})
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Append(ctx, alerts.NotificationRecords(res.Notifications)); err != nil {
		return err
	}

	decData, decName, err := readInput(o.decisions, sampleDecisions)
	if err != nil {
		return err
	}
	cs, err := decide(decData, decName, res.Notifications, o.by)
	if err != nil {
		return err
	}
	if err := store.Append(ctx, alerts.ClassificationRecords(cs)); err != nil {
		return err
	}
	fmt.Fprintf(out, "Classified %d problem notifications from %s\n\n", len(cs), decName)

	snap, err := alerts.Load(ctx, store, nil)
	if err != nil {
		return err
	}
	last := rot.Week(res.Notifications[len(res.Notifications)-1].Time)
	first := rot.Week(res.Notifications[0].Time)
	rep := snap.Week(rot, last, nil)
	trend := snap.Trend(rot, first.Start, last.End, nil)
	noisy := snap.Noisy(first.Start, last.End, &alerts.NoisyOptions{Location: rot.Location, Limit: 5})
	printReport(out, rep, trend, noisy)

	htmlPath := o.html
	if htmlPath == "" {
		htmlPath = filepath.Join(os.TempDir(), "alerts-report.html")
	}
	err = atomicfile.Write(htmlPath, func(w io.Writer) error { return writeHTML(w, rep, trend, noisy) })
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nHTML report with charts: %s\n", htmlPath)
	return nil
}

// decide applies each CSV decision to the problem notifications of its
// host and service (a bulk classification).
func decide(data []byte, name string, ns []alerts.Notification, by string) ([]alerts.Classification, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", name, err)
	}
	if strings.Join(head, ",") != "host,service,tag,note" {
		return nil, fmt.Errorf("%s: header %q, want host,service,tag,note", name, strings.Join(head, ","))
	}
	tags, _ := alerts.NewTagSet(alerts.DefaultTags())
	var out []alerts.Classification
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != 4 {
			return nil, fmt.Errorf("%s: line %d: %d fields, want 4", name, line, len(rec))
		}
		if _, ok := tags.Lookup(rec[2]); !ok {
			return nil, fmt.Errorf("%s: line %d: unknown tag %q", name, line, rec[2])
		}
		var match []alerts.Notification
		for _, n := range ns {
			if n.Host == rec[0] && n.Service == rec[1] && n.Type == alerts.Problem {
				match = append(match, n)
			}
		}
		for i, c := range alerts.ClassifyAll(match, alerts.Classification{Tag: rec[2], Note: rec[3], By: by}) {
			// Classified at the review a week after the notification.
			c.At = match[i].Time.Add(7 * 24 * time.Hour).Truncate(time.Hour)
			out = append(out, c)
		}
	}
}

func printReport(w io.Writer, rep *alerts.WeekReport, trend []alerts.TrendPoint, noisy []alerts.Noisy) {
	fmt.Fprintf(w, "On-call week %s\n", rep.Week)
	fmt.Fprintf(w, "  %d notifications: %d action, %d no action, %d untagged; signal/noise %s\n",
		rep.Total, rep.Action, rep.NoAction, rep.Untagged, pct(rep.SignalNoise, rep.Tagged))
	tags := alerts.DefaultTags()
	for _, t := range tags {
		if c := rep.ByTag[t.Key]; c > 0 {
			fmt.Fprintf(w, "  %3d  %s\n", c, t.Label)
		}
	}
	fmt.Fprint(w, "  top hosts:")
	for _, c := range rep.TopHosts {
		fmt.Fprintf(w, " %s (%d)", c.Name, c.Count)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "\nSignal/noise by week")
	for _, p := range trend {
		bar := strings.Repeat("#", p.Action) + strings.Repeat("-", p.NoAction)
		fmt.Fprintf(w, "  %s  action %2d  no action %2d  s/n %5s  %s\n", p.Week.Start.Format("2006-01-02"), p.Action, p.NoAction, pct(p.SignalNoise, p.Action+p.NoAction), bar)
	}
	fmt.Fprintln(w, "\nNoisiest alerts")
	for _, n := range noisy {
		fmt.Fprintf(w, "  %-22s %2d no action of %2d: %s\n", n.Host+"/"+n.Service, n.NoAction, n.Count, n.Suggestion)
	}
}

func pct(v float64, tagged int) string {
	if tagged == 0 {
		return "n/a"
	}
	return strconv.Itoa(int(v*100+0.5)) + "%"
}

const reportHTML = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>On-call week {{.Rep.Week}}</title>
<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}</style></head>
<body><h1>On-call week {{.Rep.Week}}</h1>
<p>{{.Rep.Total}} notifications: {{.Rep.Action}} action, {{.Rep.NoAction}} no action, {{.Rep.Untagged}} untagged; signal/noise {{.SN}}.</p>
<p><img src="{{.Trend}}" alt="weekly signal/noise trend"></p>
<p><img src="{{.Heat}}" alt="notifications by weekday and hour"></p>
<h2>Notifications</h2>
<table><tr><th>Time</th><th>Host</th><th>Service</th><th>State</th><th>Output</th><th>Tag</th><th>Note</th></tr>
{{range .Rep.Items}}<tr><td>{{.Notification.Time.Format "Mon 15:04"}}</td><td>{{.Notification.Host}}</td><td>{{.Notification.Service}}</td><td>{{.Notification.State}}</td><td>{{.Notification.Output}}</td><td>{{.Tag.Label}}</td><td>{{.Classification.Note}}</td></tr>
{{end}}</table>
<h2>Noisiest alerts</h2><ul>{{range .Noisy}}<li>{{.Host}}/{{.Service}}: {{.NoAction}} of {{.Count}} needed no action. {{.Suggestion}}</li>{{end}}</ul>
</body></html>
`

func writeHTML(w io.Writer, rep *alerts.WeekReport, trend []alerts.TrendPoint, noisy []alerts.Noisy) error {
	t := template.Must(template.New("report").Parse(reportHTML))
	img := func(svg []byte) template.URL {
		// An SVG shown through <img> runs no script; base64 keeps it inside the attribute.
		return template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(svg))
	}
	return t.Execute(w, map[string]any{
		"Rep":   rep,
		"SN":    pct(rep.SignalNoise, rep.Tagged),
		"Trend": img(alerts.TrendChart("Signal/noise by week", trend)),
		"Heat":  img(alerts.HeatMap("Notifications by weekday and hour", rep.Heat)),
		"Noisy": noisy,
	})
}
