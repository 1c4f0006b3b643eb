package featureflag

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func TestWatcherReload(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "flags.json")
	writeFile(t, path, `{"a": 10, "b": {"enabled": {"x": 10}}, "c": "on", "d": {"enabled": 5, "users": ["u"]}}`)
	writeFile(t, filepath.Join(dir, "beta.txt"), "1\n2\n")
	var reloads []Changes
	var errs []error
	w, err := NewWatcher(path, WatcherConfig{
		OnReload: func(_ *Set, c Changes) { reloads = append(reloads, c) },
		OnError:  func(err error) { errs = append(errs, err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if ch, err := w.Reload(); err != nil || !ch.Empty() {
		t.Fatalf("Reload of an unchanged file = %v, %v", ch, err)
	}
	first := w.Set()
	writeFile(t, path, `{"a": 50, "b": {"enabled": {"x": 10, "y": 10}}, "d": {"enabled": 5, "users": ["v"]}, "e": {"user_files": ["beta.txt"]}}`)
	ch, err := w.Reload()
	if err != nil {
		t.Fatal(err)
	}
	want := Changes{Added: []string{"e"}, Removed: []string{"c"}, Ramped: []string{"a"}, Variants: []string{"b"}, Other: []string{"d"}}
	if ch.String() != want.String() || len(reloads) != 1 || reloads[0].String() != want.String() {
		t.Errorf("Reload = %v (callbacks %v), want %v", ch, reloads, want)
	}
	if w.Set() == first || !w.Set().Enabled("e", Subject{UserID: "2"}) {
		t.Errorf("new set not served")
	}
	// A bad config is rejected whole; the last good one keeps serving.
	good := w.Set()
	writeFile(t, path, `{"a": 150, "b": "on"}`)
	if _, err := w.Reload(); err == nil || len(errs) != 1 {
		t.Fatalf("Reload of a bad config: err %v, OnError calls %d", err, len(errs))
	}
	if w.Set() != good {
		t.Errorf("bad config replaced the served set")
	}
	// A changed list file reloads too.
	writeFile(t, filepath.Join(dir, "beta.txt"), "1\n2\n3\n")
	writeFile(t, path, `{"a": 50, "b": {"enabled": {"x": 10, "y": 10}}, "d": {"enabled": 5, "users": ["v"]}, "e": {"user_files": ["beta.txt"]}}`)
	if _, err := w.Reload(); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "beta.txt"), later, later); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "beta.txt"), "1\n2\n3\n4\n")
	ch, err = w.Reload()
	if err != nil || ch.String() != "changed [e]" || !w.Set().Enabled("e", Subject{UserID: "4"}) {
		t.Errorf("list file change: %v, %v", ch, err)
	}
	if _, err := NewWatcher(filepath.Join(dir, "missing.json"), WatcherConfig{}); err == nil {
		t.Errorf("NewWatcher of a missing file succeeded")
	}
}

func TestWatcherRun(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "flags.json")
	writeFile(t, path, `{"a": 10}`)
	synctest.Test(t, func(t *testing.T) {
		var got atomic.Value
		w, err := NewWatcher(path, WatcherConfig{Interval: time.Minute, OnReload: func(_ *Set, c Changes) { got.Store(c.String()) }})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- w.Run(ctx) }()
		writeFile(t, path, `{"a": 20}`)
		time.Sleep(30 * time.Second)
		synctest.Wait()
		if got.Load() != nil {
			t.Errorf("reloaded before the interval")
		}
		time.Sleep(31 * time.Second)
		synctest.Wait()
		if got.Load() != "ramped [a]" {
			t.Errorf("after one interval: %v, want ramped [a]", got.Load())
		}
		cancel()
		if err := <-done; err != context.Canceled {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
	})
}

// TestWatcherConcurrent runs checks on many goroutines while the config
// is reloaded; run it with -race. Every check must see one whole config:
// flags a and b are always at the same percentage.
func TestWatcherConcurrent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "flags.json")
	cfg := func(p int) string {
		return `{"a": ` + strconv.Itoa(p) + `, "b": {"enabled": ` + strconv.Itoa(p) + `, "salt": "a"}}`
	}
	writeFile(t, path, cfg(0))
	w, err := NewWatcher(path, WatcherConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var checks atomic.Int64
	for g := range 4 {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				s := w.Set()
				sub := Subject{UserID: strconv.Itoa(g*1_000_000 + i%5000)}
				if s.Enabled("a", sub) != s.Enabled("b", sub) {
					t.Errorf("torn config: a and b disagree for %s", sub.UserID)
					return
				}
				checks.Add(1)
			}
		})
	}
	for p := 1; p <= 100; p++ {
		writeFile(t, path, cfg(p))
		if _, err := w.Reload(); err != nil {
			t.Fatal(err)
		}
	}
	stop.Store(true)
	wg.Wait()
	if got := w.Set().Percentages("a"); got[0] != 100 {
		t.Errorf("final percentage %v, want 100", got)
	}
	t.Logf("%d checks during 100 reloads", checks.Load())
}
