package alerts

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"
)

// Snapshot is an immutable, indexed view of a store's records at load
// time: notifications deduplicated by ID and sorted by time, the latest
// classification of each, the weekly updates and meeting notes. Reports
// are computed from it. It is safe for concurrent use.
type Snapshot struct {
	tags     *TagSet
	ns       []Notification // sorted by time, then ID
	ids      []string       // ids[i] = ns[i].ID()
	byID     map[string]int
	byAlert  map[string][]int // indexes into ns, oldest first
	class    map[string]Classification
	updates  []WeeklyUpdate // latest per person and week, sorted by week then person
	meetings []MeetingNotes // latest per week, sorted by week
	skipped  int            // records of unknown kinds
}

// Load reads every record of s into a [Snapshot]. Notifications stored
// twice (the same ID) count once; for a notification classified more
// than once the classification with the latest At wins (the later
// record on a tie). tags nil means the default set.
func Load(ctx context.Context, s Store, tags *TagSet) (*Snapshot, error) {
	b := snapshotBuilder{}
	for r, err := range s.Scan(ctx) {
		if err != nil {
			return nil, err
		}
		b.add(r)
	}
	return b.build(tags), nil
}

// NewSnapshot builds a snapshot from records held in memory.
func NewSnapshot(recs []Record, tags *TagSet) *Snapshot {
	b := snapshotBuilder{}
	for _, r := range recs {
		b.add(r)
	}
	return b.build(tags)
}

type snapshotBuilder struct {
	ns       []Notification
	ids      []string
	seen     map[string]bool
	class    map[string]Classification
	updates  map[[2]string]WeeklyUpdate
	meetings map[int64]MeetingNotes
	skipped  int
}

func (b *snapshotBuilder) add(r Record) {
	if b.seen == nil {
		b.seen = make(map[string]bool)
		b.class = make(map[string]Classification)
		b.updates = make(map[[2]string]WeeklyUpdate)
		b.meetings = make(map[int64]MeetingNotes)
	}
	known := false
	if r.Notification != nil {
		known = true
		id := r.Notification.ID()
		if !b.seen[id] {
			b.seen[id] = true
			b.ns = append(b.ns, *r.Notification)
			b.ids = append(b.ids, id)
		}
	}
	if r.Classification != nil {
		known = true
		c := *r.Classification
		if old, ok := b.class[c.NotificationID]; !ok || !c.At.Before(old.At) {
			b.class[c.NotificationID] = c
		}
	}
	if r.Update != nil {
		known = true
		u := *r.Update
		k := [2]string{u.Person, u.Week.UTC().Format(time.RFC3339)}
		if old, ok := b.updates[k]; !ok || !u.At.Before(old.At) {
			b.updates[k] = u
		}
	}
	if r.Meeting != nil {
		known = true
		m := *r.Meeting
		k := m.Week.Unix()
		if old, ok := b.meetings[k]; !ok || !m.At.Before(old.At) {
			b.meetings[k] = m
		}
	}
	if !known {
		b.skipped++
	}
}

func (b *snapshotBuilder) build(tags *TagSet) *Snapshot {
	s := &Snapshot{tags: tags.orDefault(), ns: b.ns, class: b.class, skipped: b.skipped, byID: make(map[string]int, len(b.ns))}
	if s.class == nil {
		s.class = map[string]Classification{}
	}
	ids := b.ids
	idx := make([]int, len(s.ns))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, c int) bool {
		na, nc := &s.ns[idx[a]], &s.ns[idx[c]]
		if !na.Time.Equal(nc.Time) {
			return na.Time.Before(nc.Time)
		}
		return ids[idx[a]] < ids[idx[c]]
	})
	sorted := make([]Notification, len(s.ns))
	s.ids = make([]string, len(s.ns))
	for i, j := range idx {
		sorted[i] = s.ns[j]
		s.ids[i] = ids[j]
		s.byID[ids[j]] = i
	}
	s.ns = sorted
	s.byAlert = make(map[string][]int)
	for i := range s.ns {
		a := s.ns[i].AlertID()
		s.byAlert[a] = append(s.byAlert[a], i)
	}
	for _, u := range b.updates {
		s.updates = append(s.updates, u)
	}
	slices.SortFunc(s.updates, func(a, c WeeklyUpdate) int {
		if d := a.Week.Compare(c.Week); d != 0 {
			return d
		}
		return strings.Compare(a.Person, c.Person)
	})
	for _, m := range b.meetings {
		s.meetings = append(s.meetings, m)
	}
	slices.SortFunc(s.meetings, func(a, c MeetingNotes) int { return a.Week.Compare(c.Week) })
	return s
}

var _ Source = (*Snapshot)(nil)

// Tags returns the snapshot's tag set.
func (s *Snapshot) Tags() *TagSet { return s.tags }

// Len returns the number of distinct notifications.
func (s *Snapshot) Len() int { return len(s.ns) }

// Notification returns the notification with the given ID.
func (s *Snapshot) Notification(id string) (Notification, bool) {
	i, ok := s.byID[id]
	if !ok {
		return Notification{}, false
	}
	return s.ns[i], true
}

// Classification returns the latest classification of notification id.
func (s *Snapshot) Classification(id string) (Classification, bool) {
	c, ok := s.class[id]
	return c, ok
}

// Category returns the category of notification id's current tag
// ([Untagged] if unclassified).
func (s *Snapshot) Category(id string) Category {
	c, ok := s.class[id]
	if !ok {
		return Untagged
	}
	return s.tags.Category(c.Tag)
}

// Notifications implements [Source] over the stored notifications.
func (s *Snapshot) Notifications(ctx context.Context, contact string, from, to time.Time) ([]Notification, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []Notification
	for _, n := range s.between(from, to) {
		if contact == "" || n.Contact == contact {
			out = append(out, n)
		}
	}
	return out, nil
}

// between returns the sorted notifications in [from, to) (shared; do
// not modify).
func (s *Snapshot) between(from, to time.Time) []Notification {
	i, j := s.span(from, to)
	return s.ns[i:j]
}

// span returns the index range of the notifications in [from, to).
func (s *Snapshot) span(from, to time.Time) (int, int) {
	i := sort.Search(len(s.ns), func(i int) bool { return !s.ns[i].Time.Before(from) })
	j := sort.Search(len(s.ns), func(i int) bool { return !s.ns[i].Time.Before(to) })
	return i, max(i, j)
}

// Updates returns the weekly updates for the week starting at week,
// sorted by person.
func (s *Snapshot) Updates(week time.Time) []WeeklyUpdate {
	var out []WeeklyUpdate
	for _, u := range s.updates {
		if u.Week.Equal(week) {
			out = append(out, u)
		}
	}
	return out
}

// PersonUpdates returns person's weekly updates, oldest week first.
func (s *Snapshot) PersonUpdates(person string) []WeeklyUpdate {
	var out []WeeklyUpdate
	for _, u := range s.updates {
		if u.Person == person {
			out = append(out, u)
		}
	}
	return out
}

// Meeting returns the meeting notes for the week starting at week.
func (s *Snapshot) Meeting(week time.Time) (MeetingNotes, bool) {
	for _, m := range s.meetings {
		if m.Week.Equal(week) {
			return m, true
		}
	}
	return MeetingNotes{}, false
}

// Contacts returns every contact with a notification, sorted.
func (s *Snapshot) Contacts() []string {
	set := map[string]bool{}
	for _, n := range s.ns {
		set[n.Contact] = true
	}
	return sortedKeys(set)
}
