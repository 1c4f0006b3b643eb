package checkout

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzOpenLedger opens arbitrary ledger files: OpenLedger must not panic,
// must return either a *LineError or a ledger, drop at most a torn last
// line (cutting the file to the records it kept), and a reopened file must
// give the same history without warnings.
func FuzzOpenLedger(f *testing.F) {
	const good = `{"time":"2026-01-05T09:00:00Z","action":"out","tag":"170:50007","device":"Pixel 7","person":"Ada","by":"Ada"}` + "\n"
	const in = `{"time":"2026-01-05T09:01:00Z","action":"in","tag":"170:50007","device":"Pixel 7","person":"Ada","by":"Grace"}` + "\n"
	for _, s := range []string{"", good, good + in, good + in + good[:20], good + "garbage\n", good + "\n\n" + in,
		good + good, "\x00\x00", `{"time":"x"}` + "\n", good[:len(good)-1]} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		path := filepath.Join(t.TempDir(), "l.jsonl")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		l, warnings, err := OpenLedger(path)
		if err != nil {
			if _, ok := errors.AsType[*LineError](err); !ok {
				t.Fatalf("OpenLedger error %T %v, want *LineError", err, err)
			}
			after, _ := os.ReadFile(path)
			if string(after) != string(data) {
				t.Fatalf("OpenLedger changed a file it refused")
			}
			return
		}
		if len(warnings) > 1 {
			t.Fatalf("%d warnings, want at most 1", len(warnings))
		}
		for _, w := range warnings {
			if !errors.Is(w, ErrTorn) {
				t.Fatalf("warning %v does not match ErrTorn", w)
			}
		}
		h := l.History()
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		after, _ := os.ReadFile(path)
		if len(warnings) == 0 && string(after) != string(data) {
			t.Fatalf("OpenLedger changed a file without warning")
		}
		if string(after) != string(data[:len(after)]) {
			t.Fatalf("OpenLedger did more than cut the tail")
		}
		again, warnings, err := OpenLedger(path)
		if err != nil || len(warnings) > 0 {
			t.Fatalf("reopen: %v, %v", err, warnings)
		}
		defer again.Close()
		h2 := again.History()
		if len(h2) != len(h) {
			t.Fatalf("reopen: %d records, want %d", len(h2), len(h))
		}
	})
}

// FuzzLedgerReplay reads arbitrary ledger text in memory (many more runs
// per second than FuzzOpenLedger): replay must not panic, must keep the
// good part a prefix of the input ending at a line end, report a torn
// line only when the input does not end with a new line, and agree with a
// replay of the good part alone.
func FuzzLedgerReplay(f *testing.F) {
	const good = `{"time":"2026-01-05T09:00:00Z","action":"out","tag":"170:50007","device":"Pixel 7","person":"Ada","by":"Ada"}` + "\n"
	const in = `{"time":"2026-01-05T09:01:00Z","action":"in","tag":"170:50007","device":"Pixel 7","person":"Ada","by":"Grace"}` + "\n"
	for _, s := range []string{"", good, good + in, good + in + good[:20], good + "garbage\n", good + " \n" + in,
		good + good, "\x00\x00", `{"time":"x"}` + "\n", good[:len(good)-1], strings.Replace(good, "170:50007", "1:99999999999", 1)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		var l Ledger
		good, torn, err := l.replay(bytes.NewReader(data), "f")
		if err != nil {
			if _, ok := errors.AsType[*LineError](err); !ok {
				t.Fatalf("replay error %T %v, want *LineError", err, err)
			}
			return
		}
		if good < 0 || good > int64(len(data)) || (good > 0 && data[good-1] != '\n') {
			t.Fatalf("good part %d of %d bytes does not end at a line end", good, len(data))
		}
		if (torn != nil) != (good < int64(len(data))) {
			t.Fatalf("torn %v but good part %d of %d bytes", torn, good, len(data))
		}
		if torn != nil && (data[len(data)-1] == '\n' || !errors.Is(torn, ErrTorn)) {
			t.Fatalf("torn warning %v for input ending in %q", torn, data[len(data)-1])
		}
		var again Ledger
		g2, torn2, err := again.replay(bytes.NewReader(data[:good]), "f")
		if err != nil || torn2 != nil || g2 != good || len(again.History()) != len(l.History()) {
			t.Fatalf("replay of the good part: %d, %v, %v; %d records, want %d", g2, torn2, err, len(again.History()), len(l.History()))
		}
	})
}
