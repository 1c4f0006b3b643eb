//go:build unix

package featureflag

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWatcherRefusesEndlessConfig points a Watcher at a named pipe that
// never ends: it must stop after MaxConfigBytes+1 bytes with ErrTooLarge
// naming the file, rather than read until memory runs out.
func TestWatcherRefusesEndlessConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flags.json")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		buf := make([]byte, 1<<16)
		for i := range buf {
			buf[i] = ' '
		}
		for {
			if _, err := f.Write(buf); err != nil {
				return // the reader closed its end
			}
		}
	}()
	_, err := NewWatcher(path, WatcherConfig{})
	<-done
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), path) {
		t.Fatalf("NewWatcher(endless pipe) = %v, want ErrTooLarge naming %s", err, path)
	}
}
