package featureflag

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// KeepLanes returns newDoc with "lanes" written where needed so that
// every variant served by percentage in both oldDoc and newDoc keeps its
// lane of the stable layout, and with it its users (as long as each
// variant fits its lane, see [Stable]). A variant new in newDoc takes the
// lane of one that is gone ("" in lanes marks a free lane) or a new lane
// at the end. Replacing {"A": 50, "B": 50} with {"B": 50, "C": 50} thus
// gets "lanes": ["C", "B"]: B keeps its users and C gets exactly A's.
//
// Only the "lanes" of flags (and environment entries) that need them
// are inserted or replaced; every other byte of newDoc is kept. Flags
// without variant percentages, with the cumulative layout, or new in
// newDoc are left alone. KeepLanes returns an error when either document
// is not a JSON object of flags, or when newDoc loads but the result
// would not.
func KeepLanes(oldDoc, newDoc []byte) ([]byte, error) {
	if len(oldDoc) > MaxConfigBytes || len(newDoc) > MaxConfigBytes {
		return nil, fmt.Errorf("featureflag: KeepLanes: document over %d bytes: %w", MaxConfigBytes, ErrTooLarge)
	}
	old, _, err := scanFlags(oldDoc)
	if err != nil {
		return nil, fmt.Errorf("featureflag: KeepLanes: old document: %w", err)
	}
	cur, order, err := scanFlags(newDoc)
	if err != nil {
		return nil, fmt.Errorf("featureflag: KeepLanes: new document: %w", err)
	}
	var edits []laneEdit
	for _, name := range order {
		nf, of := cur[name], old[name]
		if of == nil {
			continue
		}
		baseLanes, e := nf.keep(of.effective(nil), nf.effective(nil), nil)
		edits = append(edits, e...)
		for _, env := range nf.envOrder {
			ns := nf.envs[env]
			if ns.enabled == nil && !ns.hasLanes {
				continue // inherits everything from the base
			}
			var prev *laneScope // what served env before
			if os, ok := of.envs[env]; ok {
				prev = of.effective(os)
			} else {
				prev = of.effective(nil)
			}
			eff := nf.effective(ns)
			if !ns.hasLanes && baseLanes != nil {
				eff.lanes = baseLanes
			}
			_, e := ns.keep(prev, eff, ns)
			edits = append(edits, e...)
		}
	}
	if len(edits) == 0 {
		return newDoc, nil
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].at > edits[j].at })
	out := slices.Clone(newDoc)
	for _, e := range edits {
		out = slices.Concat(out[:e.at], []byte(e.text), out[e.at+e.cut:])
	}
	if _, err := Parse(newDoc); err == nil {
		if _, err := Parse(out); err != nil {
			return nil, fmt.Errorf("featureflag: KeepLanes: the result does not load: %w", err)
		}
	}
	return out, nil
}

// laneScope is what decides a layout in one flag object or environment
// entry: its variant percentages, lanes and layout, with the byte
// offsets KeepLanes edits.
type laneScope struct {
	vars      []string // variants of "enabled" in order; nil if not a percentage map
	pct       map[string]float64
	enabled   *node
	lanes     []string
	hasLanes  bool
	lanesSpan [2]int // bytes of the lanes value
	end       int    // end of the last member: where lanes are inserted
	layout    string
	object    bool
	envs      map[string]*laneScope
	envOrder  []string
}

// effective returns the layout inputs of env (nil: the base) merged over
// the base, with lanes defaulting to the variants' order.
func (s *laneScope) effective(env *laneScope) *laneScope {
	eff := &laneScope{vars: s.vars, pct: s.pct, lanes: s.lanes, hasLanes: s.hasLanes, layout: s.layout}
	if env != nil {
		if env.enabled != nil {
			eff.vars, eff.pct = env.vars, env.pct
			if !env.object { // a shorthand replaces the whole flag value
				eff.lanes, eff.hasLanes, eff.layout = nil, false, ""
			}
		}
		if env.hasLanes {
			eff.lanes, eff.hasLanes = env.lanes, true
		}
		if env.layout != "" {
			eff.layout = env.layout
		}
	}
	if !eff.hasLanes {
		eff.lanes = eff.vars
	}
	return eff
}

type laneEdit struct {
	at, cut int
	text    string
}

// keep compares the lanes that served before (prev) with those that
// will serve (eff) and, when a surviving variant would change lane or
// eff is not valid, returns the edit writing new lanes into s (the
// scope's own object). It returns the lanes now in force in s.
func (s *laneScope) keep(prev, eff, target *laneScope) ([]string, []laneEdit) {
	if target == nil {
		target = s
	}
	if eff.vars == nil || prev.vars == nil || eff.layout == "cumulative" || prev.layout == "cumulative" || !target.object {
		if s.hasLanes {
			return s.lanes, nil
		}
		return nil, nil
	}
	if keepsLanes(prev, eff) && validLanes(eff) {
		if target.hasLanes {
			return target.lanes, nil
		}
		return nil, nil
	}
	// Free the lanes of variants gone, then place new ones in free lanes.
	want := slices.Clone(prev.lanes)
	for i, v := range want {
		if _, ok := eff.pct[v]; !ok {
			want[i] = ""
		}
	}
	for _, v := range eff.vars {
		if slices.Contains(want, v) {
			continue
		}
		if i := slices.Index(want, ""); i >= 0 {
			want[i] = v
		} else {
			want = append(want, v)
		}
	}
	for len(want) > 0 && want[len(want)-1] == "" {
		want = want[:len(want)-1]
	}
	quoted := make([]string, len(want))
	for i, v := range want {
		b, _ := json.Marshal(v)
		quoted[i] = string(b)
	}
	list := "[" + strings.Join(quoted, ", ") + "]"
	if target.hasLanes {
		return want, []laneEdit{{at: target.lanesSpan[0], cut: target.lanesSpan[1] - target.lanesSpan[0], text: list}}
	}
	return want, []laneEdit{{at: target.end, text: `, "lanes": ` + list}}
}

// keepsLanes reports whether every variant served by percentage under
// both prev and eff owns the same lane in both.
func keepsLanes(prev, eff *laneScope) bool {
	for _, v := range eff.vars {
		if eff.pct[v] <= 0 || prev.pct[v] <= 0 {
			continue
		}
		if slices.Index(prev.lanes, v) != slices.Index(eff.lanes, v) {
			return false
		}
	}
	return true
}

// validLanes reports whether eff's lanes name only its variants, each
// once, and every variant with a percentage.
func validLanes(eff *laneScope) bool {
	seen := map[string]bool{}
	for _, v := range eff.lanes {
		if v == "" {
			continue
		}
		if _, ok := eff.pct[v]; !ok || seen[v] {
			return false
		}
		seen[v] = true
	}
	for _, v := range eff.vars {
		if eff.pct[v] > 0 && !seen[v] {
			return false
		}
	}
	return true
}

// scanFlags reads a config document's flags with the byte offsets of
// their members, in document order.
func scanFlags(data []byte) (map[string]*laneScope, []string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil, errors.New("not a JSON object")
	}
	flags := map[string]*laneScope{}
	var order []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		name, _ := t.(string)
		s, err := scanScope(dec, data, true)
		if err != nil {
			return nil, nil, fmt.Errorf("flag %q: %w", name, err)
		}
		if _, dup := flags[name]; !dup {
			order = append(order, name)
		}
		flags[name] = s
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, err
	}
	return flags, order, nil
}

// valueStart returns the offset of the value after a key ending at off.
func valueStart(data []byte, off int) int {
	for off < len(data) && (data[off] == ':' || data[off] == ' ' || data[off] == '\t' || data[off] == '\n' || data[off] == '\r') {
		off++
	}
	return off
}

// scanScope reads one flag value or environment entry.
func scanScope(dec *json.Decoder, data []byte, top bool) (*laneScope, error) {
	start := valueStart(data, int(dec.InputOffset()))
	s := &laneScope{}
	if start >= len(data) || data[start] != '{' {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		s.setEnabled(raw)
		return s, nil
	}
	s.object = true
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	s.end = int(dec.InputOffset())
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := t.(string)
		vstart := valueStart(data, int(dec.InputOffset()))
		if key == "environments" && top && vstart < len(data) && data[vstart] == '{' {
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			s.envs = map[string]*laneScope{}
			for dec.More() {
				t, err := dec.Token()
				if err != nil {
					return nil, err
				}
				env, _ := t.(string)
				es, err := scanScope(dec, data, false)
				if err != nil {
					return nil, fmt.Errorf("environment %q: %w", env, err)
				}
				s.envs[env] = es
				s.envOrder = append(s.envOrder, env)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			s.end = int(dec.InputOffset())
			continue
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		s.end = int(dec.InputOffset())
		switch key {
		case "enabled":
			s.setEnabled(raw)
		case "lanes":
			s.hasLanes, s.lanesSpan = true, [2]int{vstart, s.end}
			json.Unmarshal(raw, &s.lanes) // a malformed list is for Parse to report
		case "layout":
			json.Unmarshal(raw, &s.layout)
		}
	}
	if _, err := dec.Token(); err != nil { // }
		return nil, err
	}
	return s, nil
}

// setEnabled records an "enabled" value: its variant percentages when it
// is an object of numbers.
func (s *laneScope) setEnabled(raw []byte) {
	n, err := parseJSON(raw)
	if err != nil {
		return
	}
	s.enabled = &n
	if n.kind != kObject {
		return
	}
	s.pct = map[string]float64{}
	for _, m := range n.obj {
		if m.val.kind != kNumber {
			s.vars, s.pct = nil, nil
			return
		}
		s.vars = append(s.vars, m.key)
		s.pct[m.key] = m.val.num
	}
}
