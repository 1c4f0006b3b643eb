package alerts

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Category groups tags: an alert either needed action or did not, or is
// not classified yet. The zero Category is [Untagged].
type Category uint8

// The tag categories; their String values are "untagged", "action" and
// "noaction".
const (
	Untagged Category = iota
	Action
	NoAction
)

// String returns "untagged", "action" or "noaction".
func (c Category) String() string {
	switch c {
	case Untagged:
		return "untagged"
	case Action:
		return "action"
	case NoAction:
		return "noaction"
	}
	return "Category(" + strconv.Itoa(int(c)) + ")"
}

// MarshalText encodes c as its String.
func (c Category) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText decodes "untagged", "action" or "noaction".
func (c *Category) UnmarshalText(b []byte) error {
	for _, v := range []Category{Untagged, Action, NoAction} {
		if v.String() == string(b) {
			*c = v
			return nil
		}
	}
	return &FieldError{Field: "category", Value: string(b), Err: ErrSyntax}
}

// Tag is one answer to "what did you do about this alert?". Key is what
// classifications store; Label is what people read.
type Tag struct {
	Key      string   `json:"key"`
	Label    string   `json:"label"`
	Category Category `json:"category"`
}

// DefaultTags returns Opsweekly's tag set: Untagged (key ""), three
// action tags (issue, issuetimeperiod, viewissue), five no-action tags
// (incorrecttimeperiod, downtimeexpired, downtimenotset,
// thresholdincorrect, checkfaulty) and N/A (key "na"), which counts as
// untagged. The slice is new on every call.
func DefaultTags() []Tag {
	return []Tag{
		{"", "Untagged", Untagged},
		{"issue", "Action Taken: Service Issue (View clean)", Action},
		{"issuetimeperiod", "Action Taken: Service Issue, timeperiod inappropriate (View clean)", Action},
		{"viewissue", "Action Taken: View issue (network/site outage, service health questionable)", Action},
		{"incorrecttimeperiod", "No Action Taken: Timeperiod not appropriate", NoAction},
		{"downtimeexpired", "No Action Taken: Work ongoing, downtime expired", NoAction},
		{"downtimenotset", "No Action Taken: Work ongoing, downtime not set", NoAction},
		{"thresholdincorrect", "No Action Taken: Threshold adjustment required", NoAction},
		{"checkfaulty", "No Action Taken: Check is faulty/requires modification", NoAction},
		{"na", "N/A", Untagged},
	}
}

// TagSet is a validated, immutable set of tags, in the order given. A
// nil *TagSet behaves as the default set. It is safe for concurrent use.
type TagSet struct {
	tags  []Tag
	index map[string]int
}

// NewTagSet checks tags (unique keys, known categories, labels for
// every tag; the key "" must be [Untagged] if present) and freezes them.
// Extend the default set with append(DefaultTags(), Tag{...}).
func NewTagSet(tags []Tag) (*TagSet, error) {
	s := &TagSet{tags: append([]Tag(nil), tags...), index: make(map[string]int, len(tags))}
	for i, t := range s.tags {
		if _, dup := s.index[t.Key]; dup {
			return nil, &FieldError{Field: "tag", Value: t.Key, Err: fmt.Errorf("%w: duplicate key", ErrSyntax)}
		}
		if t.Category > NoAction {
			return nil, &FieldError{Field: "tag " + t.Key, Value: t.Category.String(), Err: ErrSyntax}
		}
		if t.Key == "" && t.Category != Untagged {
			return nil, &FieldError{Field: "tag", Value: t.Label, Err: fmt.Errorf("%w: empty key must be untagged", ErrSyntax)}
		}
		if strings.TrimSpace(t.Label) == "" {
			return nil, &FieldError{Field: "tag " + t.Key, Err: fmt.Errorf("%w: label", ErrMissing)}
		}
		s.index[t.Key] = i
	}
	if _, ok := s.index[""]; !ok {
		s.index[""] = len(s.tags)
		s.tags = append(s.tags, Tag{"", "Untagged", Untagged})
	}
	return s, nil
}

func (s *TagSet) orDefault() *TagSet {
	if s != nil {
		return s
	}
	d, _ := NewTagSet(DefaultTags())
	return d
}

// Tags returns the tags in order (a copy).
func (s *TagSet) Tags() []Tag {
	return append([]Tag(nil), s.orDefault().tags...)
}

// Lookup returns the tag with the given key.
func (s *TagSet) Lookup(key string) (Tag, bool) {
	s = s.orDefault()
	i, ok := s.index[key]
	if !ok {
		return Tag{}, false
	}
	return s.tags[i], true
}

// Category returns the category of the tag key; unknown keys are
// [Untagged].
func (s *TagSet) Category(key string) Category {
	t, _ := s.Lookup(key)
	return t.Category
}

// SleepState says whether the responder was asleep when the alert came.
// The zero SleepState is [SleepUnknown].
type SleepState uint8

// Sleep states, as Opsweekly records them per alert.
const (
	SleepUnknown SleepState = iota
	Awake
	Asleep // the alert woke the responder
)

// String returns "unknown", "awake" or "asleep".
func (s SleepState) String() string {
	switch s {
	case SleepUnknown:
		return "unknown"
	case Awake:
		return "awake"
	case Asleep:
		return "asleep"
	}
	return "SleepState(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText encodes s as its String.
func (s SleepState) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes "unknown", "awake" or "asleep".
func (s *SleepState) UnmarshalText(b []byte) error {
	for _, v := range []SleepState{SleepUnknown, Awake, Asleep} {
		if v.String() == string(b) {
			*s = v
			return nil
		}
	}
	return &FieldError{Field: "sleep", Value: string(b), Err: ErrSyntax}
}

// Classification is one person's verdict on one notification: a tag, a
// note, the sleep state, who and when. A later classification of the
// same notification replaces an earlier one (the store keeps both).
type Classification struct {
	NotificationID string     `json:"notification"`
	Tag            string     `json:"tag"`
	Note           string     `json:"note,omitempty"`
	Sleep          SleepState `json:"sleep,omitempty"`
	By             string     `json:"by"`
	At             time.Time  `json:"at"`
}

// Check reports a classification that does not fit the tag set: empty
// notification ID or author ([ErrMissing]), unknown tag ([ErrUnknownTag]),
// zero time, or a note over 64 KiB ([ErrTooLong]).
func (s *TagSet) Check(c Classification) error {
	switch {
	case c.NotificationID == "":
		return &FieldError{Field: "notification", Err: ErrMissing}
	case c.By == "":
		return &FieldError{Field: "by", Err: ErrMissing}
	case c.At.IsZero():
		return &FieldError{Field: "at", Err: ErrMissing}
	case len(c.Note) > 64<<10:
		return &FieldError{Field: "note", Value: c.Note, Err: ErrTooLong}
	}
	if _, ok := s.Lookup(c.Tag); !ok {
		return &FieldError{Field: "tag", Value: c.Tag, Err: ErrUnknownTag}
	}
	return nil
}

// ClassifyAll applies one verdict to many notifications (bulk classify:
// "all of these were the same flapping check"): it returns c once per
// notification, with NotificationID set.
func ClassifyAll(ns []Notification, c Classification) []Classification {
	out := make([]Classification, len(ns))
	for i := range ns {
		out[i] = c
		out[i].NotificationID = ns[i].ID()
	}
	return out
}

// WeeklyUpdate is a person's free-text update for one on-call week
// (Week is the week's start). The latest update per person and week
// wins.
type WeeklyUpdate struct {
	Person string    `json:"person"`
	Week   time.Time `json:"week"`
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
}

// MeetingNotes are the notes of the weekly meeting about the week
// starting at Week. The latest notes per week win.
type MeetingNotes struct {
	Week time.Time `json:"week"`
	Text string    `json:"text"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
}
