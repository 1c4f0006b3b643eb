package alerts_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/craftkit/craftkit/alerts"
)

// BenchmarkFileAppendClassifications appends classifications in batches
// of 100 with an fsync per batch; classifications/s is the figure the
// issue names (target >= 10,000).
func BenchmarkFileAppendClassifications(b *testing.B) {
	b.ReportAllocs()
	s, err := alerts.OpenFile(filepath.Join(b.TempDir(), "bench.jsonl"), alerts.FileConfig{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	batch := make([]alerts.Classification, 100)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range batch {
		n := alerts.Notification{Host: "web01", Service: "Disk", Time: at.Add(time.Duration(i) * time.Minute)}
		batch[i] = alerts.Classification{NotificationID: n.ID(), Tag: "thresholdincorrect", Note: "raise to 95%", By: "ann", At: at}
	}
	recs := alerts.ClassificationRecords(batch)
	ctx := context.Background()
	for b.Loop() {
		if err := s.Append(ctx, recs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "classifications/s")
}

func BenchmarkParseNagiosLine(b *testing.B) {
	b.ReportAllocs()
	line := "[1368738002] SERVICE NOTIFICATION: ops;web01;Disk Space;CRITICAL;notify-service-by-email;DISK CRITICAL - free space: / 7002 MB (18% inode 60%)"
	for b.Loop() {
		if _, ok, err := alerts.ParseNagiosLine(line, alerts.DialectAuto); !ok || err != nil {
			b.Fatal(err)
		}
	}
}

// TestParseNagiosLineAllocs pins the per-line cost of the log parser:
// one allocation, the field slice (strings are views of the line).
func TestParseNagiosLineAllocs(t *testing.T) {
	line := "[1368738002] SERVICE NOTIFICATION: ops;web01;Disk Space;CRITICAL;notify-service-by-email;DISK CRITICAL - free space: / 7002 MB (18% inode 60%)"
	allocs := testing.AllocsPerRun(100, func() {
		if _, ok, err := alerts.ParseNagiosLine(line, alerts.DialectAuto); !ok || err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Errorf("ParseNagiosLine allocates %v times per line, want at most 1", allocs)
	}
	other := "[1368738001] SERVICE ALERT: web01;Disk Space;CRITICAL;HARD;3;DISK CRITICAL"
	if a := testing.AllocsPerRun(100, func() { alerts.ParseNagiosLine(other, alerts.DialectAuto) }); a != 0 {
		t.Errorf("ParseNagiosLine allocates %v times for a non-notification line, want 0", a)
	}
}
