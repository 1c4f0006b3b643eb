package featureflag

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Changes reports what a reload changed, by flag name (each list sorted).
type Changes struct {
	Added    []string // flags new in the config
	Removed  []string // flags gone from the config
	Ramped   []string // same variants, different percentages or fixed value
	Variants []string // variants added, removed, renamed or reordered
	Other    []string // other keys changed (users, groups, params, list files, ...)
	// Shifts lists, per flag, the subjects the new config moves from one
	// variant to another when either variant is served by percentage
	// both before and after (a surviving variant loses or gains users
	// who were in another variant): a variant took another's lane or
	// spilled into its space, or the bucketing key changed. Moves from a
	// retired variant to a new one, and to or from off, are not shifts.
	// Empty when every surviving variant keeps exactly its users or only
	// grows or shrinks; [KeepLanes] writes the "lanes" that achieve that.
	Shifts []Shift
}

// A Shift is a share of subjects that a reload moves from variant From
// to variant To of one flag.
type Shift struct {
	Flag     string
	From, To string
	// Share is the fraction of all subjects moved, in (0, 1]; exact for
	// a changed layout, the expected share for a changed bucketing key.
	Share float64
}

// String formats s as "f: 25% of subjects B -> A".
func (s Shift) String() string {
	return fmt.Sprintf("%s: %s%% of subjects %s -> %s", s.Flag, strconv.FormatFloat(100*s.Share, 'g', 4, 64), s.From, s.To)
}

// Empty reports whether nothing changed.
func (c Changes) Empty() bool {
	return len(c.Added)+len(c.Removed)+len(c.Ramped)+len(c.Variants)+len(c.Other)+len(c.Shifts) == 0
}

// String formats c as "added [a b]; ramped [c]" or "no changes".
func (c Changes) String() string {
	var parts []string
	add := func(what string, names []string) {
		if len(names) > 0 {
			parts = append(parts, fmt.Sprintf("%s %v", what, names))
		}
	}
	add("added", c.Added)
	add("removed", c.Removed)
	add("ramped", c.Ramped)
	add("variants changed", c.Variants)
	add("changed", c.Other)
	if len(c.Shifts) > 0 {
		parts = append(parts, fmt.Sprintf("users move between variants %v", c.Shifts))
	}
	if len(parts) == 0 {
		return "no changes"
	}
	return strings.Join(parts, "; ")
}

// Diff reports what changed from old to new; a nil Set counts as empty.
func Diff(old, new *Set) Changes {
	var c Changes
	if old == nil {
		old = &Set{}
	}
	if new == nil {
		new = &Set{}
	}
	for _, name := range new.names {
		of, ok := old.flags[name]
		nf := new.flags[name]
		switch {
		case !ok:
			c.Added = append(c.Added, name)
		case of.source == nf.source:
		case !slices.Equal(of.variants, nf.variants):
			c.Variants = append(c.Variants, name)
		case !slices.Equal(of.pct, nf.pct) || of.fixed != nf.fixed:
			c.Ramped = append(c.Ramped, name)
		default:
			c.Other = append(c.Other, name)
		}
		if ok && of.source != nf.source {
			c.Shifts = append(c.Shifts, shifts(name, of, nf)...)
		}
	}
	for _, name := range old.names {
		if _, ok := new.flags[name]; !ok {
			c.Removed = append(c.Removed, name)
		}
	}
	return c
}

// shifts returns the subjects a change from of to nf moves from one
// variant to another where either is served by percentage in both,
// sorted by From and To.
func shifts(name string, of, nf *flagDef) []Shift {
	if of.bucket == ByRequest || nf.bucket == ByRequest || of.fixed != noVariant || nf.fixed != noVariant {
		return nil // no subject keeps a variant from one request to the next
	}
	served := func(f *flagDef) map[string]uint64 {
		m := map[string]uint64{}
		for _, sg := range f.segs {
			m[f.variants[sg.variant]] += sg.hi - sg.lo
		}
		return m
	}
	was, is := served(of), served(nf)
	moved := map[[2]string]float64{}
	add := func(from, to string, share float64) {
		stays := func(v string) bool { return was[v] > 0 && is[v] > 0 }
		if from != to && (stays(from) || stays(to)) {
			moved[[2]string{from, to}] += share
		}
	}
	scale := float64(posScale)
	if of.key != nf.key || of.bucket != nf.bucket {
		// Every subject is hashed anew: independent positions.
		for v, a := range was {
			for w, b := range is {
				add(v, w, float64(a)/scale*float64(b)/scale)
			}
		}
	} else {
		// Both segment lists are sorted and disjoint: sweep them.
		for i, j := 0, 0; i < len(of.segs) && j < len(nf.segs); {
			a, b := of.segs[i], nf.segs[j]
			if lo, hi := max(a.lo, b.lo), min(a.hi, b.hi); hi > lo {
				add(of.variants[a.variant], nf.variants[b.variant], float64(hi-lo)/scale)
			}
			if a.hi <= b.hi {
				i++
			} else {
				j++
			}
		}
	}
	out := make([]Shift, 0, len(moved))
	for k, share := range moved {
		out = append(out, Shift{Flag: name, From: k[0], To: k[1], Share: share})
	}
	slices.SortFunc(out, func(x, y Shift) int {
		if c := strings.Compare(x.From, y.From); c != 0 {
			return c
		}
		return strings.Compare(x.To, y.To)
	})
	return out
}

// WatcherConfig configures a [Watcher]; zero fields mean the defaults.
type WatcherConfig struct {
	// Interval between polls of the config and list files; zero means 1 s.
	Interval time.Duration
	// Options for each load. A nil FS resolves user-list files relative
	// to the config file's directory.
	Options Options
	// OnReload, if set, is called after each successful reload that
	// changed something, with the new Set and what changed.
	OnReload func(*Set, Changes)
	// OnError, if set, is called when a changed config is rejected; the
	// last good Set keeps serving.
	OnError func(error)
}

// Watcher serves the latest good [Set] loaded from a config file and
// reloads it when the file (or a user-list file it references) changes.
// Checks through [Watcher.Set] never wait for a reload: each reload
// builds a new Set and swaps a pointer. A Watcher is safe for concurrent
// use; run at most one [Watcher.Run] at a time.
type Watcher struct {
	path string
	cfg  WatcherConfig
	set  atomic.Pointer[Set]

	mu    sync.Mutex // serializes reloads
	stamp string     // content hash of the config and stats of its list files
}

// NewWatcher loads the config at path and returns a Watcher serving it.
// It returns the load error if the first config is bad; it starts no
// goroutine (call [Watcher.Run]).
func NewWatcher(path string, cfg WatcherConfig) (*Watcher, error) {
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	if cfg.Options.FS == nil {
		cfg.Options.FS = os.DirFS(filepath.Dir(path))
	}
	w := &Watcher{path: path, cfg: cfg}
	if _, err := w.Reload(); err != nil {
		return nil, err
	}
	return w, nil
}

// read reads the config file, at most MaxConfigBytes+1 bytes of it.
func (w *Watcher) read() ([]byte, error) {
	f, err := os.Open(w.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAllLimited(f, MaxConfigBytes)
}

// Set returns the Set currently served. It never blocks.
func (w *Watcher) Set() *Set { return w.set.Load() }

// Reload checks the files now and reloads if they changed since the last
// good or rejected load. It returns what changed, or the load error (the
// old Set keeps serving; OnError is called with it too).
func (w *Watcher) Reload() (Changes, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	data, err := w.read()
	if errors.Is(err, ErrTooLarge) {
		err = fmt.Errorf("featureflag: config %s is more than %d bytes: %w", w.path, MaxConfigBytes, err)
		w.report(err)
		return Changes{}, err
	}
	if err != nil {
		err = fmt.Errorf("featureflag: reading config: %w", err)
		w.report(err)
		return Changes{}, err
	}
	old := w.set.Load()
	stamp := w.stampOf(data, old)
	if old != nil && stamp == w.stamp {
		return Changes{}, nil
	}
	w.stamp = stamp
	next, err := Load(data, &w.cfg.Options)
	if err != nil {
		err = fmt.Errorf("config %s rejected, keeping the previous one: %w", w.path, err)
		w.report(err)
		return Changes{}, err
	}
	// The new set may reference other list files: restamp with them.
	w.stamp = w.stampOf(data, next)
	w.set.Store(next)
	ch := Diff(old, next)
	if old != nil && !ch.Empty() && w.cfg.OnReload != nil {
		w.cfg.OnReload(next, ch)
	}
	return ch, nil
}

func (w *Watcher) report(err error) {
	if w.cfg.OnError != nil {
		w.cfg.OnError(err)
	}
}

// stampOf summarizes the config bytes and the size and modification time
// of the list files s references.
func (w *Watcher) stampOf(data []byte, s *Set) string {
	h := fnv.New64a()
	h.Write(data)
	var b strings.Builder
	fmt.Fprintf(&b, "%x", h.Sum64())
	if s != nil {
		for _, f := range s.files {
			if st, err := fs.Stat(w.cfg.Options.FS, f); err == nil {
				fmt.Fprintf(&b, ";%s:%d:%d", f, st.Size(), st.ModTime().UnixNano())
			} else {
				fmt.Fprintf(&b, ";%s:missing", f)
			}
		}
	}
	return b.String()
}

// Run polls every Interval until ctx is done and returns ctx's error.
// Reload errors go to OnError; Run keeps polling.
func (w *Watcher) Run(ctx context.Context) error {
	t := time.NewTicker(w.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			_, _ = w.Reload() // errors were reported to OnError
		}
	}
}
