package shard

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Limits on a topology, so that a hostile or broken file cannot exhaust
// memory.
const (
	// MaxTopologySize is the largest topology file ParseTopology reads.
	MaxTopologySize = 16 << 20
	// MaxShards is the largest number of shards in one topology.
	MaxShards = 1 << 16
	// maxName is the longest pair name.
	maxName = 64
)

// Reserved pair names: the index pair and the ticket servers.
const (
	IndexName   = "index"
	TicketsName = "tickets"
)

// A Pair is a master-master pair of databases: sides A and B, both
// writable, replicating both ways. A and B are data source names for the
// caller's Open function; they may carry passwords, so the package never
// prints them.
type Pair struct {
	Name string
	A, B string
	// Weight is the pair's share for the weighted placement policy;
	// 0 means 1.
	Weight float64
}

// Side names one side of a pair: "<pair name>_A" or "<pair name>_B".
func (p Pair) Side(b bool) string {
	if b {
		return p.Name + "_B"
	}
	return p.Name + "_A"
}

// Topology describes one environment's databases: the shards, the index
// pair and the two ticket servers, plus the set of disabled sides.
//
// The databases are fixed when the topology is parsed; the disabled set
// changes through [Topology.Disable], [Topology.Enable] and
// [Topology.SetDisabled], which never leave a pair with both sides out.
// A Topology is safe for concurrent use.
//
// The zero Topology has no pairs and is not useful; use [ParseTopology].
type Topology struct {
	// Environment is the environment the topology was read for, such as
	// "prod", or "" when the file named none.
	Environment string
	// Shards are the data shards in file order. Index i of a shard is its
	// id in routing ([Route].Shard) and in the index table.
	Shards []Pair
	// Index is the index pair ("index_A", "index_B").
	Index Pair
	// Tickets holds the two ticket servers: A gives odd ids, B even ones
	// ("tickets_A", "tickets_B").
	Tickets Pair

	sides  []string       // side names; side s belongs to pair s/2, B when s is odd
	byName map[string]int // side name -> side number
	shards map[string]int // shard name -> shard number

	mu       sync.Mutex // serialises changes of disabled
	disabled atomic.Pointer[sideSet]
}

// sideSet is an immutable set of disabled sides, indexed by side number.
type sideSet struct {
	off []bool
}

// pairs returns the number of pairs: the shards, the index, the tickets.
func (t *Topology) pairs() int { return len(t.Shards) + 2 }

// pair returns pair number p.
func (t *Topology) pair(p int) Pair {
	switch p {
	case len(t.Shards):
		return t.Index
	case len(t.Shards) + 1:
		return t.Tickets
	}
	return t.Shards[p]
}

// indexPair and ticketPair are the pair numbers of the index and tickets.
func (t *Topology) indexPair() int  { return len(t.Shards) }
func (t *Topology) ticketPair() int { return len(t.Shards) + 1 }

// topologyJSON is the file format.
type topologyJSON struct {
	Environment string     `json:"environment,omitempty"`
	Shards      []pairJSON `json:"shards"`
	Index       *pairJSON  `json:"index"`
	Tickets     []string   `json:"tickets"`
	Disabled    []string   `json:"disabled,omitempty"`
}

type pairJSON struct {
	Name   string  `json:"name,omitempty"`
	A      string  `json:"a"`
	B      string  `json:"b"`
	Weight float64 `json:"weight,omitempty"`
}

// ParseTopology reads a topology from JSON:
//
//	{
//	  "environment": "prod",
//	  "shards": [{"name": "shard_001", "a": "<dsn>", "b": "<dsn>", "weight": 1}, ...],
//	  "index": {"a": "<dsn>", "b": "<dsn>"},
//	  "tickets": ["<odd server dsn>", "<even server dsn>"],
//	  "disabled": ["shard_001_A"]
//	}
//
// "environment", "weight" and "disabled" (the sides out at start) are
// optional; other keys are errors, so a misspelt key is not ignored.
// Every problem is reported at once in a *[TopologyError]: duplicate or
// invalid names, missing sides, duplicate DSNs (named by field, never
// printed), unknown or both-sides disabled entries.
func ParseTopology(data []byte) (*Topology, error) {
	if len(data) > MaxTopologySize {
		return nil, &TopologyError{Problems: []Problem{{"file", fmt.Sprintf("%d bytes, more than the %d limit", len(data), MaxTopologySize)}}}
	}
	var f topologyJSON
	if err := decodeStrict(data, &f); err != nil {
		return nil, &TopologyError{Problems: []Problem{{"file", err.Error()}}}
	}
	return f.build()
}

// ParseEnvironment reads one environment from a file holding several:
//
//	{"environments": {"dev": {...topology...}, "prod": {...}}}
//
// The returned topology's Environment is env.
func ParseEnvironment(data []byte, env string) (*Topology, error) {
	if len(data) > MaxTopologySize {
		return nil, &TopologyError{Problems: []Problem{{"file", fmt.Sprintf("%d bytes, more than the %d limit", len(data), MaxTopologySize)}}}
	}
	var f struct {
		Environments map[string]json.RawMessage `json:"environments"`
	}
	if err := decodeStrict(data, &f); err != nil {
		return nil, &TopologyError{Problems: []Problem{{"file", err.Error()}}}
	}
	raw, ok := f.Environments[env]
	if !ok {
		names := slices.Sorted(func(yield func(string) bool) {
			for k := range f.Environments {
				if !yield(quote(k)) {
					return
				}
			}
		})
		return nil, &TopologyError{Problems: []Problem{{"environments", fmt.Sprintf("no environment %s (have %s)", quote(env), strings.Join(names, ", "))}}}
	}
	var t topologyJSON
	if err := decodeStrict(raw, &t); err != nil {
		return nil, &TopologyError{Problems: []Problem{{"environments." + env, err.Error()}}}
	}
	if t.Environment != "" && t.Environment != env {
		return nil, &TopologyError{Problems: []Problem{{"environments." + env + ".environment", fmt.Sprintf("says %s", quote(t.Environment))}}}
	}
	t.Environment = env
	return t.build()
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return redactJSONError(err)
	}
	if dec.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}

// redactJSONError keeps a decoding error's position and kind but drops
// any quoted input, which may be a DSN.
func redactJSONError(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("JSON syntax error at byte %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("field %q: want %s, have JSON %s", te.Field, te.Type, te.Value)
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "json: unknown field ") {
		return errors.New(strings.TrimPrefix(msg, "json: "))
	}
	return errors.New("malformed JSON")
}

func (f *topologyJSON) build() (*Topology, error) {
	var probs []Problem
	add := func(field, format string, args ...any) {
		probs = append(probs, Problem{field, fmt.Sprintf(format, args...)})
	}
	t := &Topology{Environment: f.Environment}
	if len(f.Shards) == 0 {
		add("shards", "no shards")
	}
	if len(f.Shards) > MaxShards {
		add("shards", "%d shards, more than the %d limit", len(f.Shards), MaxShards)
		f.Shards = f.Shards[:MaxShards]
	}
	dsns := map[string]string{} // dsn -> field that first used it
	checkDSN := func(field, dsn string) {
		if dsn == "" {
			add(field, "missing DSN")
			return
		}
		if first, ok := dsns[dsn]; ok {
			add(field, "same DSN as %s", first)
			return
		}
		dsns[dsn] = field
	}
	t.shards = make(map[string]int, len(f.Shards))
	for i, s := range f.Shards {
		field := fmt.Sprintf("shards[%d]", i)
		if err := checkName(s.Name); err != nil {
			add(field+".name", "%v", err)
		} else if j, ok := t.shards[s.Name]; ok {
			add(field+".name", "duplicate name %s (also shards[%d])", quote(s.Name), j)
		} else {
			t.shards[s.Name] = i
		}
		checkDSN(field+".a", s.A)
		checkDSN(field+".b", s.B)
		if s.Weight < 0 || s.Weight != s.Weight || s.Weight > 1e9 {
			add(field+".weight", "weight %v outside [0, 1e9]", s.Weight)
		}
		t.Shards = append(t.Shards, Pair(s))
	}
	if f.Index == nil {
		add("index", "missing")
		f.Index = &pairJSON{}
	} else {
		if f.Index.Name != "" && f.Index.Name != IndexName {
			add("index.name", "must be %s or absent", quote(IndexName))
		}
		checkDSN("index.a", f.Index.A)
		checkDSN("index.b", f.Index.B)
	}
	t.Index = Pair{Name: IndexName, A: f.Index.A, B: f.Index.B}
	switch len(f.Tickets) {
	case 2:
		checkDSN("tickets[0]", f.Tickets[0])
		checkDSN("tickets[1]", f.Tickets[1])
		t.Tickets = Pair{Name: TicketsName, A: f.Tickets[0], B: f.Tickets[1]}
	default:
		add("tickets", "%d ticket servers, want 2 (odd and even)", len(f.Tickets))
		t.Tickets = Pair{Name: TicketsName}
	}
	t.sides = make([]string, 0, 2*t.pairs())
	t.byName = make(map[string]int, 2*t.pairs())
	for p := range t.pairs() {
		for _, b := range []bool{false, true} {
			name := t.pair(p).Side(b)
			t.byName[name] = len(t.sides)
			t.sides = append(t.sides, name)
		}
	}
	set, err := t.makeSet(nil, f.Disabled)
	for _, e := range joined(err) {
		add("disabled", "%s", strings.TrimPrefix(e.Error(), "shard: "))
	}
	if len(probs) > 0 {
		return nil, &TopologyError{Problems: probs}
	}
	t.disabled.Store(set)
	return t, nil
}

// joined splits an errors.Join result.
func joined(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// checkName reports whether s is a valid shard name: 1 to 64 bytes of
// [a-z0-9_], not a reserved name.
func checkName(s string) error {
	if s == "" {
		return errors.New("missing name")
	}
	if len(s) > maxName {
		return fmt.Errorf("name longer than %d bytes", maxName)
	}
	for i := range len(s) {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return fmt.Errorf("name %s: only a-z, 0-9, '_' and '-' allowed", quote(s))
		}
	}
	if s == IndexName || s == TicketsName {
		return fmt.Errorf("name %s is reserved", quote(s))
	}
	return nil
}

// Sides returns every side name: the shards' in order, then index_A,
// index_B, tickets_A, tickets_B.
func (t *Topology) Sides() []string { return slices.Clone(t.sides) }

// ShardID returns the number of the named shard (its position in
// Shards), and whether it exists.
func (t *Topology) ShardID(name string) (int, bool) {
	i, ok := t.shards[name]
	return i, ok
}

// DSN returns the data source name of a side. It is for opening
// connections only: never log it.
func (t *Topology) DSN(side string) (string, error) {
	s, ok := t.byName[side]
	if !ok {
		return "", &SideError{Side: side, Err: ErrUnknownSide}
	}
	p := t.pair(s / 2)
	if s%2 == 1 {
		return p.B, nil
	}
	return p.A, nil
}

// Disabled returns the disabled side names in topology order.
func (t *Topology) Disabled() []string {
	set := t.disabled.Load()
	var out []string
	for s, off := range set.off {
		if off {
			out = append(out, t.sides[s])
		}
	}
	return out
}

// IsDisabled reports whether the named side is disabled; unknown names
// are not.
func (t *Topology) IsDisabled(side string) bool {
	s, ok := t.byName[side]
	return ok && t.disabled.Load().off[s]
}

// sideOff reports whether side number s is disabled.
func (t *Topology) sideOff(s int) bool { return t.disabled.Load().off[s] }

// Disable adds sides to the disabled set. It returns nil when the result
// is valid; otherwise it changes nothing and returns an error wrapping
// [ErrUnknownSide] for each unknown name and [ErrBothSides] for each
// shard, the index pair or the ticket servers that would lose both sides.
func (t *Topology) Disable(sides []string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	set, err := t.makeSet(t.disabled.Load(), sides)
	if err != nil {
		return err
	}
	t.disabled.Store(set)
	return nil
}

// Enable removes sides from the disabled set. Unknown names are an error
// wrapping [ErrUnknownSide] and change nothing.
func (t *Topology) Enable(sides []string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	cur := t.disabled.Load()
	next := &sideSet{off: slices.Clone(cur.off)}
	var errs []error
	for _, name := range sides {
		s, ok := t.byName[name]
		if !ok {
			errs = append(errs, &SideError{Side: name, Err: ErrUnknownSide})
			continue
		}
		next.off[s] = false
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	t.disabled.Store(next)
	return nil
}

// SetDisabled replaces the disabled set with sides, under the same rules
// as [Topology.Disable]; on error the previous set is kept.
func (t *Topology) SetDisabled(sides []string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	set, err := t.makeSet(nil, sides)
	if err != nil {
		return err
	}
	t.disabled.Store(set)
	return nil
}

// CheckDisabled reports whether sides is a valid disabled set, without
// changing anything.
func (t *Topology) CheckDisabled(sides []string) error {
	_, err := t.makeSet(nil, sides)
	return err
}

// makeSet returns base (nil = empty) plus sides, or every reason the
// result is invalid.
func (t *Topology) makeSet(base *sideSet, sides []string) (*sideSet, error) {
	next := &sideSet{off: make([]bool, len(t.sides))}
	if base != nil {
		copy(next.off, base.off)
	}
	var errs []error
	for _, name := range sides {
		s, ok := t.byName[name]
		if !ok {
			errs = append(errs, &SideError{Side: name, Err: ErrUnknownSide})
			continue
		}
		next.off[s] = true
	}
	for p := range t.pairs() {
		if next.off[2*p] && next.off[2*p+1] {
			errs = append(errs, &SideError{Side: t.pair(p).Name, Err: ErrBothSides})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return next, nil
}
