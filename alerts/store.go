package alerts

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"slices"
	"sync"
)

// Record is one entry of a store: normally exactly one of its pointers
// is set (a record with several is written and read with all of them).
// Unknown top-level JSON fields (written by a newer version) are kept in
// Extra and written back unchanged.
type Record struct {
	Notification   *Notification
	Classification *Classification
	Update         *WeeklyUpdate
	Meeting        *MeetingNotes
	Extra          map[string]json.RawMessage
}

// MarshalJSON writes {"notification": {...}} (the key of each pointer
// set) plus the Extra fields.
func (r Record) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, 1+len(r.Extra))
	for k, v := range r.Extra {
		m[k] = v
	}
	if r.Notification != nil {
		m["notification"] = r.Notification
	}
	if r.Classification != nil {
		m["classification"] = r.Classification
	}
	if r.Update != nil {
		m["update"] = r.Update
	}
	if r.Meeting != nil {
		m["meeting"] = r.Meeting
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads what MarshalJSON writes, keeping unknown fields.
func (r *Record) UnmarshalJSON(b []byte) error {
	// Fast path: the one-key objects this package writes.
	if key, val, ok := singleKey(b); ok {
		var dst any
		*r = Record{}
		switch key {
		case "notification":
			r.Notification = new(Notification)
			dst = r.Notification
		case "classification":
			r.Classification = new(Classification)
			dst = r.Classification
		case "update":
			r.Update = new(WeeklyUpdate)
			dst = r.Update
		case "meeting":
			r.Meeting = new(MeetingNotes)
			dst = r.Meeting
		}
		if dst != nil {
			if err := json.Unmarshal(val, dst); err != nil {
				return fmt.Errorf("%s: %w", key, err)
			}
			return nil
		}
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*r = Record{}
	for _, k := range []string{"notification", "classification", "update", "meeting"} {
		raw, ok := m[k]
		if !ok {
			continue
		}
		delete(m, k)
		var err error
		switch k {
		case "notification":
			r.Notification = new(Notification)
			err = json.Unmarshal(raw, r.Notification)
		case "classification":
			r.Classification = new(Classification)
			err = json.Unmarshal(raw, r.Classification)
		case "update":
			r.Update = new(WeeklyUpdate)
			err = json.Unmarshal(raw, r.Update)
		case "meeting":
			r.Meeting = new(MeetingNotes)
			err = json.Unmarshal(raw, r.Meeting)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	if len(m) > 0 {
		r.Extra = m
	}
	return nil
}

// singleKey reports whether b is a JSON object with exactly one key
// (written without escapes) and returns the key and its raw value. It
// only splits; the value is validated by whoever decodes it.
func singleKey(b []byte) (key string, val []byte, ok bool) {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return "", nil, false
	}
	i := 1
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if i >= len(b) || b[i] != '"' {
		return "", nil, false
	}
	end := bytes.IndexByte(b[i+1:], '"')
	if end < 0 || bytes.IndexByte(b[i+1:i+1+end], '\\') >= 0 {
		return "", nil, false
	}
	key = string(b[i+1 : i+1+end])
	i += end + 2
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if i >= len(b) || b[i] != ':' {
		return "", nil, false
	}
	i++
	start := i
	depth, inStr := 0, false
	for ; i < len(b)-1; i++ {
		c := b[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth < 0 {
				return "", nil, false
			}
		case c == ',' && depth == 0:
			return "", nil, false // a second key
		}
	}
	if inStr || depth != 0 {
		return "", nil, false
	}
	return key, b[start : len(b)-1], true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// Store keeps records, append-only. Append makes a batch durable before
// it returns nil; Scan yields every record in append order, stopping at
// the first error. Implementations must be safe for concurrent use.
// [*File] and [*Memory] implement it; a SQL backend needs one table.
type Store interface {
	Append(ctx context.Context, recs []Record) error
	Scan(ctx context.Context) iter.Seq2[Record, error]
}

// NotificationRecords wraps notifications as records for [Store.Append].
func NotificationRecords(ns []Notification) []Record {
	out := make([]Record, len(ns))
	for i := range ns {
		n := ns[i]
		out[i] = Record{Notification: &n}
	}
	return out
}

// ClassificationRecords wraps classifications as records for
// [Store.Append].
func ClassificationRecords(cs []Classification) []Record {
	out := make([]Record, len(cs))
	for i := range cs {
		c := cs[i]
		out[i] = Record{Classification: &c}
	}
	return out
}

// Memory is an in-memory [Store] for tests and short-lived tools. The
// zero Memory is empty and ready. It is safe for concurrent use.
type Memory struct {
	mu   sync.RWMutex
	recs []Record
}

var _ Store = (*Memory)(nil)

// Append stores a copy of recs.
func (m *Memory) Append(ctx context.Context, recs []Record) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	cp := make([]Record, len(recs))
	for i, r := range recs {
		cp[i] = cloneRecord(r)
	}
	m.mu.Lock()
	m.recs = append(m.recs, cp...)
	m.mu.Unlock()
	return nil
}

// Scan yields copies of the records appended before the call.
func (m *Memory) Scan(ctx context.Context) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		m.mu.RLock()
		recs := m.recs[:len(m.recs):len(m.recs)]
		m.mu.RUnlock()
		for _, r := range recs {
			if err := ctx.Err(); err != nil {
				yield(Record{}, err)
				return
			}
			if !yield(cloneRecord(r), nil) {
				return
			}
		}
	}
}

// Len returns the number of records.
func (m *Memory) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.recs)
}

func cloneRecord(r Record) Record {
	out := Record{Extra: maps.Clone(r.Extra)}
	if r.Notification != nil {
		n := *r.Notification
		n.Labels = maps.Clone(n.Labels)
		out.Notification = &n
	}
	if r.Classification != nil {
		c := *r.Classification
		out.Classification = &c
	}
	if r.Update != nil {
		u := *r.Update
		out.Update = &u
	}
	if r.Meeting != nil {
		mn := *r.Meeting
		out.Meeting = &mn
	}
	return out
}

// sortedKeys is a small helper for deterministic map iteration.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
