package shard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/craftkit/craftkit/internal/atomicfile"
)

// MaxSideFileSize is the largest disabled-sides file read.
const MaxSideFileSize = 1 << 20

// ParseSideFile reads a disabled-sides file: one side name per line,
// blank lines and lines starting with '#' ignored. A non-empty file must
// end with a newline, so a file caught half-written (cut inside its last
// line) is refused rather than applied; write the file atomically with
// [WriteSideFile] so that a cut at a line boundary cannot happen either.
func ParseSideFile(data []byte) ([]string, error) {
	if len(data) > MaxSideFileSize {
		return nil, fmt.Errorf("%w: %d bytes, more than the %d limit", ErrSideFile, len(data), MaxSideFileSize)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		return nil, fmt.Errorf("%w: no newline at the end (file incomplete)", ErrSideFile)
	}
	var sides []string
	line := 0
	for l := range bytes.Lines(data) {
		line++
		s := strings.TrimSpace(string(l))
		if s == "" || s[0] == '#' {
			continue
		}
		if strings.ContainsAny(s, " \t") || len(s) > maxName+2 {
			return nil, fmt.Errorf("%w: line %d: %s is not a side name", ErrSideFile, line, quote(s))
		}
		sides = append(sides, s)
	}
	return sides, nil
}

// WriteSideFile writes sides to path atomically (a temporary file in the
// same directory, synced, then renamed over path), so a reader sees the
// old file or the new one, never a mix.
func WriteSideFile(path string, sides []string) error {
	var b strings.Builder
	b.WriteString("# disabled sides, one per line\n")
	for _, s := range sides {
		b.WriteString(s)
		b.WriteByte('\n')
	}
	return atomicfile.WriteBytes(path, []byte(b.String()))
}

// A SideFile keeps a topology's disabled set in step with a file. An
// absent file means every side is in. A file that is incomplete,
// malformed, names an unknown side or would take out both sides of a
// pair is rejected whole and the previous state kept.
//
// Call [SideFile.Reload] to re-read the file now, or [SideFile.Run] to
// poll it. A SideFile is safe for concurrent use.
type SideFile struct {
	// Path is the file's path.
	Path string
	// Topology receives the disabled set.
	Topology *Topology
	// Interval is Run's polling period; 0 means one second.
	Interval time.Duration
	// OnError, if set, receives every rejected file or read error from
	// Run; the previous state stays in force.
	OnError func(error)
	// OnChange, if set, receives the new disabled set after each applied
	// change.
	OnChange func(disabled []string)

	mu      sync.Mutex
	last    []byte // content last applied; nil = absent file applied
	applied bool
}

// Reload reads the file and applies it if it changed. It reports whether
// the disabled set changed; on error the previous state is kept.
func (f *SideFile) Reload() (changed bool, err error) {
	if f.Topology == nil {
		return false, errors.New("shard: SideFile has no Topology")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	data, err := readLimited(f.Path, MaxSideFileSize)
	absent := errors.Is(err, fs.ErrNotExist)
	if err != nil && !absent {
		return false, fmt.Errorf("shard: disabled-sides file %s: %w", f.Path, err)
	}
	if f.applied && bytes.Equal(data, f.last) && (data == nil) == (f.last == nil) {
		return false, nil
	}
	var sides []string
	if !absent {
		if sides, err = ParseSideFile(data); err != nil {
			return false, fmt.Errorf("%s: %w", f.Path, err)
		}
	}
	before := f.Topology.Disabled()
	if err := f.Topology.SetDisabled(sides); err != nil {
		return false, fmt.Errorf("shard: disabled-sides file %s rejected, previous state kept: %w", f.Path, err)
	}
	if absent {
		data = nil
	} else if data == nil {
		data = []byte{}
	}
	f.last, f.applied = data, true
	after := f.Topology.Disabled()
	changed = !slices.Equal(before, after)
	if changed && f.OnChange != nil {
		f.OnChange(after)
	}
	return changed, nil
}

// Run reloads the file every Interval until ctx is done, reporting
// rejected files to OnError. It returns ctx's error.
func (f *SideFile) Run(ctx context.Context) error {
	iv := f.Interval
	if iv <= 0 {
		iv = time.Second
	}
	tick := time.NewTicker(iv)
	defer tick.Stop()
	for {
		if _, err := f.Reload(); err != nil && f.OnError != nil {
			f.OnError(err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// Disable takes sides out through the file, for every process that reads
// it: it re-reads the file, checks that its set plus sides is valid (the
// rules of [Topology.Disable]), writes the new set with [WriteSideFile]
// and applies it here. On error neither the file nor the topology
// changes. With Enable it makes a *SideFile the side control of a
// schema-change runner (shard/schema.SideControl). Run one writer of a
// file at a time: two writers racing can lose one's change.
func (f *SideFile) Disable(sides []string) error { return f.change(sides, true) }

// Enable puts sides back in through the file, as [SideFile.Disable] takes
// them out; an unknown side name is an error wrapping [ErrUnknownSide].
func (f *SideFile) Enable(sides []string) error { return f.change(sides, false) }

func (f *SideFile) change(sides []string, off bool) error {
	if _, err := f.Reload(); err != nil {
		return err
	}
	t := f.Topology
	var errs []error
	for _, name := range sides {
		if _, ok := t.byName[name]; !ok {
			errs = append(errs, &SideError{Side: name, Err: ErrUnknownSide})
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	next := t.Disabled()
	for _, name := range sides {
		i := slices.Index(next, name)
		switch {
		case off && i < 0:
			next = append(next, name)
		case !off && i >= 0:
			next = slices.Delete(next, i, i+1)
		}
	}
	if err := t.CheckDisabled(next); err != nil {
		return err
	}
	if err := WriteSideFile(f.Path, next); err != nil {
		return fmt.Errorf("shard: writing disabled-sides file %s: %w", f.Path, err)
	}
	_, err := f.Reload()
	return err
}

// readLimited reads at most limit bytes of path, failing beyond.
func readLimited(path string, limit int64) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("more than %d bytes", limit)
	}
	return data, nil
}
