package alerts

import (
	"fmt"
	"time"
)

// Rotation says when on-call weeks start: on Weekday at Hour:Minute wall
// time in Location (nil means UTC). Boundaries follow the wall clock
// across daylight-saving changes, so a week that contains a change is
// 167 or 169 hours long. The zero Rotation starts weeks on Sunday at
// 00:00 UTC. Opsweekly's example team starts on "friday 18:00"
// America/New_York.
type Rotation struct {
	Weekday      time.Weekday
	Hour, Minute int
	Location     *time.Location
}

// Week is one on-call week, [Start, End).
type Week struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Contains reports whether t is in the week.
func (w Week) Contains(t time.Time) bool { return !t.Before(w.Start) && t.Before(w.End) }

// String formats the week as "2026-03-06 18:00 → 2026-03-13 18:00 EST".
func (w Week) String() string {
	return w.Start.Format("2006-01-02 15:04") + " → " + w.End.Format("2006-01-02 15:04 MST")
}

func (r Rotation) loc() *time.Location {
	if r.Location == nil {
		return time.UTC
	}
	return r.Location
}

// Check reports an out-of-range weekday, hour or minute.
func (r Rotation) Check() error {
	if r.Weekday < time.Sunday || r.Weekday > time.Saturday || r.Hour < 0 || r.Hour > 23 || r.Minute < 0 || r.Minute > 59 {
		return &FieldError{Field: "rotation", Value: fmt.Sprintf("%v %02d:%02d", r.Weekday, r.Hour, r.Minute), Err: ErrSyntax}
	}
	return nil
}

// start returns the rotation start on the calendar day y-m-d.
func (r Rotation) start(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, r.Hour, r.Minute, 0, 0, r.loc())
}

// Week returns the on-call week containing t.
func (r Rotation) Week(t time.Time) Week {
	lt := t.In(r.loc())
	back := (int(lt.Weekday()) - int(r.Weekday) + 7) % 7
	y, m, d := lt.Date()
	s := r.start(y, m, d-back)
	if s.After(t) {
		s = r.start(y, m, d-back-7)
	}
	sy, sm, sd := s.Date()
	return Week{Start: s, End: r.start(sy, sm, sd+7)}
}

// Next returns the week after w.
func (r Rotation) Next(w Week) Week { return r.Week(w.End) }

// Prev returns the week before w.
func (r Rotation) Prev(w Week) Week { return r.Week(w.Start.Add(-time.Nanosecond)) }

// Weeks returns the weeks that overlap [from, to), oldest first, at
// most 1,000 (about 19 years).
func (r Rotation) Weeks(from, to time.Time) []Week {
	var out []Week
	for w := r.Week(from); w.Start.Before(to) && len(out) < 1000; w = r.Next(w) {
		out = append(out, w)
	}
	return out
}
