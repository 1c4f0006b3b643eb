// Command alerts-web serves the on-call review of package alerts/web on
// the loopback interface: it seeds a JSON Lines store with a sample month
// of Nagios notifications (testdata/week.log, the synthetic weeks of
// examples/alerts, moved so that the last of them is last week; the
// earlier weeks classified from testdata/decisions.csv), accepts
// Alertmanager webhooks posted to /webhook, and prints its URL:
//
//	go run ./examples/alerts-web -user cho
//
// (cho was on call last week in the sample; ann and bob the weeks before.)
//
// -user fixes the identity of every browser request, for local demos
// only. Without it the user comes from a header (-header, default
// X-Forwarded-User) that a reverse proxy in front must set and strip from
// clients. The webhook endpoint takes no identity (Alertmanager sends
// none) and wants Content-Type: application/json.
package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/craftkit/craftkit/alerts"
	"github.com/craftkit/craftkit/alerts/web"
	"github.com/craftkit/craftkit/examples/internal/cli"
)

//go:embed testdata/week.log
var sampleLog []byte

//go:embed testdata/decisions.csv
var sampleDecisions []byte

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	port      int
	user      string
	header    string
	store     string
	zone      string
	viewer    string
	admins    string
	receivers string
	noSample  bool
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := cli.NewFlagSet("alerts-web", stderr, "Usage: alerts-web [flags]\n\nServes the on-call review on 127.0.0.1 and prints its URL.\n\n")
	o := &options{}
	fs.IntVar(&o.port, "port", 0, "TCP port on 127.0.0.1 (0 picks a free one)")
	fs.StringVar(&o.user, "user", "", "fixed identity for every request (local demos only)")
	fs.StringVar(&o.header, "header", "X-Forwarded-User", "request header naming the user, set by your reverse proxy (used when -user is empty)")
	fs.StringVar(&o.store, "store", "", "JSON Lines store (default: a new file in a temporary directory)")
	fs.StringVar(&o.zone, "zone", "UTC", "time zone of the on-call rotation (weeks start Monday 09:00)")
	fs.StringVar(&o.viewer, "tz", "", "time zone to show times in (default: the rotation's)")
	fs.StringVar(&o.admins, "admins", "", "comma-separated users who may classify and edit for anyone")
	fs.StringVar(&o.receivers, "receivers", "oncall", "comma-separated Alertmanager receivers every user answers for")
	fs.BoolVar(&o.noSample, "no-sample", false, "do not seed an empty store with the sample month")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.port < 0 || o.port > 65535 {
		return nil, fmt.Errorf("-port %d: want 0-65535", o.port)
	}
	if o.user == "" && o.header == "" {
		return nil, errors.New("-user or -header is required")
	}
	if strings.ContainsAny(o.user, "\x00\r\n") {
		return nil, fmt.Errorf("-user %q: control characters", o.user)
	}
	return o, nil
}

func splitList(s string) []string {
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	prog := cli.Program{Name: "alerts-web", Stderr: stderr}
	o, err := parseFlags(args, stderr)
	if err != nil {
		return prog.UsageError(err)
	}
	return prog.Exit(serve(ctx, o, stdout))
}

func serve(ctx context.Context, o *options, stdout io.Writer) error {
	rotLoc, err := time.LoadLocation(o.zone)
	if err != nil {
		return fmt.Errorf("-zone %q: %w", o.zone, err)
	}
	viewLoc := rotLoc
	if o.viewer != "" {
		if viewLoc, err = time.LoadLocation(o.viewer); err != nil {
			return fmt.Errorf("-tz %q: %w", o.viewer, err)
		}
	}
	path, cleanup, err := cli.FileOrTemp(o.store, "alerts-web-", "alerts.jsonl")
	if err != nil {
		return err
	}
	defer cleanup()
	store, err := alerts.OpenFile(path, alerts.FileConfig{})
	if err != nil {
		return err
	}
	defer store.Close()
	rot := alerts.Rotation{Weekday: time.Monday, Hour: 9, Location: rotLoc}
	if !o.noSample {
		if err := seed(ctx, store, rot, time.Now()); err != nil {
			return err
		}
	}
	admins, receivers := splitList(o.admins), splitList(o.receivers)
	h, err := web.New(store, &web.Options{
		Identity: func(r *http.Request) (string, bool) {
			if o.user != "" {
				return o.user, true
			}
			u := r.Header.Get(o.header)
			return u, u != ""
		},
		Admin:    func(u string) bool { return slices.Contains(admins, u) },
		Contacts: func(u string) []string { return append([]string{u}, receivers...) },
		Rotation: rot,
		Zone:     func(string) *time.Location { return viewLoc },
	})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/", h)
	mux.Handle("/webhook", jsonOnly(&alerts.WebhookHandler{
		Receive: func(ctx context.Context, ns []alerts.Notification, _ *alerts.WebhookMessage) error {
			return store.Append(ctx, alerts.NotificationRecords(ns))
		},
	}))
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", o.port))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "serving the on-call review on http://%s/ (store %s)\n", ln.Addr(), path)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	<-errc
	return nil
}

// jsonOnly refuses webhook posts that are not JSON: a web page cannot
// send application/json to another origin without a preflight, so a
// browser cannot be used to post alerts into the store.
func jsonOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
				http.Error(w, "want Content-Type: application/json", http.StatusUnsupportedMediaType)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// seed fills an empty store with the sample: the log's weeks moved by
// whole weeks so that its last notification falls in last week, and the
// weeks before classified from the decisions.
func seed(ctx context.Context, store alerts.Store, rot alerts.Rotation, now time.Time) error {
	for _, err := range store.Scan(ctx) {
		if err != nil {
			return err
		}
		return nil // not empty
	}
	ns, err := alerts.ParseNagiosLog(bytes.NewReader(sampleLog))
	if err != nil {
		return fmt.Errorf("sample log: %w", err)
	}
	last := ns[0].Time
	for _, n := range ns {
		if n.Time.After(last) {
			last = n.Time
		}
	}
	target := rot.Prev(rot.Week(now))
	weeks := int(target.End.Sub(last) / (7 * 24 * time.Hour))
	for i := range ns {
		ns[i].Time = ns[i].Time.AddDate(0, 0, 7*weeks)
	}
	rows, err := csv.NewReader(bytes.NewReader(sampleDecisions)).ReadAll()
	if err != nil {
		return fmt.Errorf("sample decisions: %w", err)
	}
	var cs []alerts.Classification
	for _, row := range rows[1:] {
		var match []alerts.Notification
		for _, n := range ns {
			if n.Host == row[0] && n.Service == row[1] && n.Time.Before(target.Start) && n.Type == alerts.Problem {
				match = append(match, n)
			}
		}
		cs = append(cs, alerts.ClassifyAll(match, alerts.Classification{Tag: row[2], Note: row[3], By: "sample", At: target.Start})...)
	}
	recs := append(alerts.NotificationRecords(ns), alerts.ClassificationRecords(cs)...)
	return store.Append(ctx, recs)
}
