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

// Record is one entry of a store: exactly one of its pointers is set.
// Unknown top-level JSON fields (written by a newer version) are kept in
// Extra and written back unchanged.
type Record struct {
	Notification   *Notification
	Classification *Classification
	Update         *WeeklyUpdate
	Meeting        *MeetingNotes
	Extra          map[string]json.RawMessage
}

// MarshalJSON writes {"notification": {...}} (or the key of whichever
// pointer is set) plus the Extra fields.
func (r Record) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, 1+len(r.Extra))
	for k, v := range r.Extra {
		m[k] = v
	}
	switch {
	case r.Notification != nil:
		m["notification"] = r.Notification
	case r.Classification != nil:
		m["classification"] = r.Classification
	case r.Update != nil:
		m["update"] = r.Update
	case r.Meeting != nil:
		m["meeting"] = r.Meeting
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads what MarshalJSON writes, keeping unknown fields.
func (r *Record) UnmarshalJSON(b []byte) error {
	// Fast path: only known keys.
	var known struct {
		Notification   *Notification   `json:"notification"`
		Classification *Classification `json:"classification"`
		Update         *WeeklyUpdate   `json:"update"`
		Meeting        *MeetingNotes   `json:"meeting"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&known); err == nil {
		*r = Record{Notification: known.Notification, Classification: known.Classification, Update: known.Update, Meeting: known.Meeting}
		return nil
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
