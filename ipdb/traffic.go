package ipdb

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Bounds of a [Traffic] counter.
const (
	// DefaultTrafficKeys is the number of distinct keys a Traffic keeps
	// when [TrafficConfig].Keys is 0.
	DefaultTrafficKeys = 64
	// MaxTrafficKeys is the largest [TrafficConfig].Keys.
	MaxTrafficKeys = 1024
	// DefaultTrafficHours is the number of hours a Traffic keeps when
	// [TrafficConfig].Hours is 0: seven days.
	DefaultTrafficHours = 7 * 24
	// MaxTrafficHours is the largest [TrafficConfig].Hours: 31 days.
	MaxTrafficHours = 31 * 24
	// MaxTrafficKey is the longest key, in bytes, a Traffic keeps under
	// its own name; longer keys are counted as other.
	MaxTrafficKey = 256
)

// ErrTrafficConfig reports a [TrafficConfig] field out of its bounds.
var ErrTrafficConfig = errors.New("ipdb: invalid traffic config")

// TrafficConfig configures [NewTraffic]. The zero value keeps
// [DefaultTrafficKeys] keys over [DefaultTrafficHours] hours.
type TrafficConfig struct {
	// Keys is the number of distinct keys counted under their own name,
	// 1 to MaxTrafficKeys; 0 means DefaultTrafficKeys. Keys seen after
	// that many are counted together as "other".
	Keys int
	// Hours is the number of consecutive hours kept, ending with the
	// newest hour counted, 1 to MaxTrafficHours; 0 means
	// DefaultTrafficHours.
	Hours int
}

// Traffic counts requests by key (an owner name from [Record].Owner, or
// any category the caller chooses) and by hour of the request's time,
// for charts of who calls when. Time is the caller's: each count carries
// the time of its request, so tests and replays of logs count the same
// way as live traffic.
//
// # Bounds
//
// Memory is fixed by the [TrafficConfig]: Hours blocks of (Keys+1)
// 8-byte counters, allocated once per hour as the hour is first counted
// (the default is 168 blocks of 520 bytes, 87 KB; the largest 744 blocks
// of 8,200 bytes, 6.1 MB), plus the key names (at most Keys of at most
// MaxTrafficKey bytes). Keys beyond Keys distinct names, and keys longer
// than MaxTrafficKey bytes, are counted in one "other" bucket. A count
// whose hour is Hours or more before the newest hour counted is added
// to [Traffic.Late] instead; when a new hour starts, the hour Hours
// before it is dropped.
//
// # Cost
//
// Counting a known key in the newest hour allocates nothing and costs a
// map lookup of the key and one atomic add, about 13 ns of CPU time
// (bench/ipdb TestTrafficCPU; BenchmarkTrafficCount's wall time grows
// with the machine's load); older hours of the
// window add a division. The first count of a new key copies the key
// table (O(Keys)); the first count of an hour allocates its block.
// Counts from many goroutines contend when they hit counters of the same
// hour that share a cache line (eight keys a line).
//
// The zero Traffic is not usable; call [NewTraffic]. Traffic is safe for
// concurrent use by multiple goroutines.
type Traffic struct {
	keys, hours int
	names       atomic.Pointer[keyTable]
	full        atomic.Bool // no more keys are admitted
	slots       []atomic.Pointer[hourBlock]
	newest      atomic.Int64              // newest hour counted, or math.MinInt64
	cur         atomic.Pointer[hourBlock] // the block of the newest hour
	late        atomic.Uint64
	mu          sync.Mutex // serialises key admission and hour rotation
}

// keyTable maps keys to counter indexes; it is replaced, never modified,
// once published.
type keyTable struct {
	idx   map[string]int
	names []string
}

// hourBlock holds the counts of one hour: one per key, then other.
type hourBlock struct {
	hour int64 // hours since the Unix epoch
	n    []atomic.Uint64
}

// NewTraffic returns an empty counter. It returns an error wrapping
// [ErrTrafficConfig] when a field of cfg is out of its bounds.
func NewTraffic(cfg TrafficConfig) (*Traffic, error) {
	keys, hours := cfg.Keys, cfg.Hours
	if keys == 0 {
		keys = DefaultTrafficKeys
	}
	if hours == 0 {
		hours = DefaultTrafficHours
	}
	if keys < 1 || keys > MaxTrafficKeys {
		return nil, fmt.Errorf("%w: Keys %d not in 1..%d", ErrTrafficConfig, cfg.Keys, MaxTrafficKeys)
	}
	if hours < 1 || hours > MaxTrafficHours {
		return nil, fmt.Errorf("%w: Hours %d not in 1..%d", ErrTrafficConfig, cfg.Hours, MaxTrafficHours)
	}
	t := &Traffic{keys: keys, hours: hours, slots: make([]atomic.Pointer[hourBlock], hours)}
	t.names.Store(&keyTable{idx: map[string]int{}})
	t.newest.Store(math.MinInt64)
	return t, nil
}

// hourOf returns the hours since the Unix epoch of at, rounded down.
func hourOf(at time.Time) int64 {
	s := at.Unix()
	h := s / 3600
	if s%3600 < 0 {
		h--
	}
	return h
}

// Count counts one request of key at time at.
func (t *Traffic) Count(key string, at time.Time) { t.Add(key, at, 1) }

// CountCategory counts one request from a range of category c at time
// at, under the key c.String() ("crawler", "cloud", ...): a counter fed
// only through CountCategory charts traffic by category, which
// [Hourly.WriteSVG] draws in fixed colours. It does not allocate once the
// category and hour have been seen.
func (t *Traffic) CountCategory(c Category, at time.Time) { t.Add(c.String(), at, 1) }

// Add counts n requests of key at time at. It does not allocate once key
// and the hour of at have been seen.
func (t *Traffic) Add(key string, at time.Time, n uint64) {
	t.add(t.index(key), hourOf(at), n)
}

func (t *Traffic) add(i int, h int64, n uint64) {
	if b := t.cur.Load(); b != nil && b.hour == h { // the newest hour: no division
		b.n[i].Add(n)
		return
	}
	s := h % int64(t.hours)
	if s < 0 {
		s += int64(t.hours)
	}
	b := t.slots[s].Load()
	if b == nil || b.hour != h {
		if b = t.rotate(s, h); b == nil {
			t.late.Add(n)
			return
		}
	}
	b.n[i].Add(n)
}

// rotate returns the block of hour h in slot s, starting it when h is
// newer than what the slot holds, or nil when h is too old to keep.
// A count that raced with the start of a newer hour in the same slot
// may land in the dropped block: it belonged to an hour that leaves the
// window at that instant.
func (t *Traffic) rotate(s, h int64) *hourBlock {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.slots[s].Load()
	if b != nil && b.hour == h {
		return b
	}
	newest := t.newest.Load()
	if b != nil && b.hour > h || newest != math.MinInt64 && h <= newest-int64(t.hours) {
		return nil
	}
	b = &hourBlock{hour: h, n: make([]atomic.Uint64, t.keys+1)}
	t.slots[s].Store(b)
	if h > newest {
		t.newest.Store(h)
		t.cur.Store(b)
	}
	return b
}

// index returns the counter index of key, admitting it when there is
// room; t.keys is the other bucket.
func (t *Traffic) index(key string) int {
	if i, ok := t.names.Load().idx[key]; ok {
		return i
	}
	if len(key) > MaxTrafficKey || t.full.Load() {
		return t.keys
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	kt := t.names.Load()
	if i, ok := kt.idx[key]; ok {
		return i
	}
	if len(kt.names) >= t.keys {
		t.full.Store(true)
		return t.keys
	}
	next := &keyTable{idx: make(map[string]int, len(kt.idx)+1), names: make([]string, len(kt.names), len(kt.names)+1)}
	for k, v := range kt.idx {
		next.idx[k] = v
	}
	copy(next.names, kt.names)
	key = strings.Clone(key) // do not keep the caller's buffer
	next.idx[key] = len(next.names)
	next.names = append(next.names, key)
	t.names.Store(next)
	return next.idx[key]
}

// Late returns the number of requests counted with a time Hours or more
// before the newest hour counted, which no hour of the window holds.
func (t *Traffic) Late() uint64 { return t.late.Load() }

// Hourly returns the counts of the n hours ending with the hour holding
// end (n <= 0 or above the configured Hours means Hours). Hours the
// counter does not hold (dropped, or never counted) are zero. Counts
// made while Hourly runs may or may not be included.
func (t *Traffic) Hourly(end time.Time, n int) *Hourly {
	if n <= 0 || n > t.hours {
		n = t.hours
	}
	last := hourOf(end)
	first := last - int64(n) + 1
	kt := t.names.Load()
	out := &Hourly{
		Start:  time.Unix(first*3600, 0).UTC(),
		Keys:   slices.Clone(kt.names),
		Counts: make([][]uint64, len(kt.names)),
		Other:  make([]uint64, n),
		Late:   t.late.Load(),
	}
	for k := range out.Counts {
		out.Counts[k] = make([]uint64, n)
	}
	for j := range n {
		h := first + int64(j)
		s := h % int64(t.hours)
		if s < 0 {
			s += int64(t.hours)
		}
		b := t.slots[s].Load()
		if b == nil || b.hour != h {
			continue
		}
		for k := range out.Counts {
			out.Counts[k][j] = b.n[k].Load()
		}
		out.Other[j] = b.n[t.keys].Load()
	}
	return out
}

// Merge adds the counts of o, the whole window of its newest hour, to t,
// key by key and hour by hour (o's other bucket to t's other bucket, its
// late count to t's), as if they had been counted in t; keys t has no
// room for are counted as other. Merging counters of several processes
// or shards gives the counts of all. o is read as [Traffic.Hourly]
// reads it; o may be t (doubling it).
func (t *Traffic) Merge(o *Traffic) {
	newest := o.newest.Load()
	if newest == math.MinInt64 {
		t.late.Add(o.late.Load())
		return
	}
	h := o.Hourly(time.Unix(newest*3600, 0), o.hours)
	first := hourOf(h.Start)
	for k, name := range h.Keys {
		i := -1
		for j, c := range h.Counts[k] {
			if c == 0 {
				continue
			}
			if i < 0 {
				i = t.index(name)
			}
			t.add(i, first+int64(j), c)
		}
	}
	for j, c := range h.Other {
		if c != 0 {
			t.add(t.keys, first+int64(j), c)
		}
	}
	t.late.Add(h.Late)
}

// Hourly is a snapshot of a [Traffic] counter over consecutive hours,
// as [Traffic.Hourly] returns it. It is a plain value: safe to read from
// several goroutines, not to modify concurrently.
type Hourly struct {
	Start  time.Time  // start of the first hour, UTC
	Keys   []string   // keys in the order they were first counted
	Counts [][]uint64 // Counts[k][j]: requests of Keys[k] in hour j
	Other  []uint64   // Other[j]: requests of keys counted as other in hour j
	Late   uint64     // the counter's Late at the time of the snapshot
}

// Hours returns the number of hours of h.
func (h *Hourly) Hours() int { return len(h.Other) }

// Total returns the sum of all counts of h (Late not included).
func (h *Hourly) Total() uint64 {
	var n uint64
	for _, c := range h.Counts {
		for _, v := range c {
			n += v
		}
	}
	for _, v := range h.Other {
		n += v
	}
	return n
}
