package alerts

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// Count is a name with a count, as in "top hosts".
type Count struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Item is one notification of a report with its current verdict.
type Item struct {
	ID             string         `json:"id"`
	Notification   Notification   `json:"notification"`
	Classification Classification `json:"classification"` // zero if unclassified
	Classified     bool           `json:"classified"`
	Tag            Tag            `json:"tag"` // the untagged tag if unclassified
}

// WeekReport summarises one on-call week, for one contact or all.
//
// SignalNoise is Action / (Action + NoAction): the share of tagged
// alerts that needed someone; 0 when nothing is tagged (check Tagged).
// Heat counts notifications by weekday (Sunday = 0) and hour in the
// rotation's time zone.
type WeekReport struct {
	Week        Week           `json:"week"`
	Contact     string         `json:"contact,omitempty"`
	Total       int            `json:"total"`
	ByState     map[string]int `json:"by_state"`
	ByTag       map[string]int `json:"by_tag"`
	Action      int            `json:"action"`
	NoAction    int            `json:"noaction"`
	Untagged    int            `json:"untagged"`
	Tagged      int            `json:"tagged"` // Action + NoAction
	SignalNoise float64        `json:"signal_noise"`
	TopHosts    []Count        `json:"top_hosts"`
	TopServices []Count        `json:"top_services"`
	Heat        [7][24]int     `json:"heat"`
	Items       []Item         `json:"items"`
}

// ReportOptions tunes reports. The zero value (or nil) means: all
// contacts, top 10 lists, the rotation given.
type ReportOptions struct {
	// Contact restricts the report to one contact; empty means all.
	Contact string
	// Top is the length of top-N lists; zero means 10.
	Top int
}

func (o *ReportOptions) top() int {
	if o == nil || o.Top <= 0 {
		return 10
	}
	return o.Top
}

func (o *ReportOptions) contact() string {
	if o == nil {
		return ""
	}
	return o.Contact
}

// Item returns notification n (with id) and its current verdict.
func (s *Snapshot) item(id string, n Notification) Item {
	it := Item{ID: id, Notification: n}
	c, ok := s.class[id]
	it.Classification, it.Classified = c, ok
	tag, known := s.tags.Lookup(c.Tag)
	if !known {
		tag = Tag{Key: c.Tag, Label: c.Tag, Category: Untagged}
	}
	it.Tag = tag
	return it
}

// Week computes the report of the on-call week w in rotation r.
func (s *Snapshot) Week(r Rotation, w Week, opts *ReportOptions) *WeekReport {
	rep := &WeekReport{Week: w, Contact: opts.contact(), ByState: map[string]int{}, ByTag: map[string]int{}}
	hosts, services := map[string]int{}, map[string]int{}
	loc := r.loc()
	lo, hi := s.span(w.Start, w.End)
	for k := lo; k < hi; k++ {
		n := s.ns[k]
		if rep.Contact != "" && n.Contact != rep.Contact {
			continue
		}
		id := s.ids[k]
		it := s.item(id, n)
		rep.Items = append(rep.Items, it)
		rep.Total++
		rep.ByState[n.State]++
		rep.ByTag[it.Tag.Key]++
		switch it.Tag.Category {
		case Action:
			rep.Action++
		case NoAction:
			rep.NoAction++
		default:
			rep.Untagged++
		}
		hosts[n.Host]++
		if n.Service != "" {
			services[n.Host+" / "+n.Service]++
		}
		lt := n.Time.In(loc)
		rep.Heat[lt.Weekday()][lt.Hour()]++
	}
	rep.Tagged = rep.Action + rep.NoAction
	if rep.Tagged > 0 {
		rep.SignalNoise = float64(rep.Action) / float64(rep.Tagged)
	}
	rep.TopHosts = topN(hosts, opts.top())
	rep.TopServices = topN(services, opts.top())
	return rep
}

// topN returns the n largest counts, ties by name.
func topN(m map[string]int, n int) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{k, v})
	}
	slices.SortFunc(out, func(a, b Count) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// TrendPoint is one week of a trend: action, no-action and untagged
// counts and the week's signal/noise.
type TrendPoint struct {
	Week        Week    `json:"week"`
	Total       int     `json:"total"`
	Action      int     `json:"action"`
	NoAction    int     `json:"noaction"`
	Untagged    int     `json:"untagged"`
	SignalNoise float64 `json:"signal_noise"` // 0 when nothing tagged
}

// Trend returns one point per rotation week overlapping [from, to)
// (the year report: pass a year). Weeks without notifications are
// included with zero counts.
func (s *Snapshot) Trend(r Rotation, from, to time.Time, opts *ReportOptions) []TrendPoint {
	var out []TrendPoint
	contact := opts.contact()
	for _, w := range r.Weeks(from, to) {
		p := TrendPoint{Week: w}
		lo, hi := s.span(w.Start, w.End)
		for k := lo; k < hi; k++ {
			if contact != "" && s.ns[k].Contact != contact {
				continue
			}
			p.Total++
			switch s.Category(s.ids[k]) {
			case Action:
				p.Action++
			case NoAction:
				p.NoAction++
			default:
				p.Untagged++
			}
		}
		if t := p.Action + p.NoAction; t > 0 {
			p.SignalNoise = float64(p.Action) / float64(t)
		}
		out = append(out, p)
	}
	return out
}

// PersonalReport is one person's on-call record over a range: weekly
// trend of their notifications, totals, their noisiest alerts, their
// weekly updates and interruption windows in their zone.
type PersonalReport struct {
	Person      string         `json:"person"`
	Weeks       []TrendPoint   `json:"weeks"`
	Total       int            `json:"total"`
	Action      int            `json:"action"`
	NoAction    int            `json:"noaction"`
	Untagged    int            `json:"untagged"`
	SignalNoise float64        `json:"signal_noise"`
	TopAlerts   []Count        `json:"top_alerts"`
	Updates     []WeeklyUpdate `json:"updates"`
	Windows     Interruptions  `json:"windows"`
}

// Personal computes person's report over [from, to); loc is their time
// zone for the interruption windows (nil means UTC). Only weeks in
// which they received notifications are listed.
func (s *Snapshot) Personal(r Rotation, person string, from, to time.Time, loc *time.Location) *PersonalReport {
	p := &PersonalReport{Person: person}
	for _, tp := range s.Trend(r, from, to, &ReportOptions{Contact: person}) {
		if tp.Total == 0 {
			continue
		}
		p.Weeks = append(p.Weeks, tp)
		p.Total += tp.Total
		p.Action += tp.Action
		p.NoAction += tp.NoAction
		p.Untagged += tp.Untagged
	}
	if t := p.Action + p.NoAction; t > 0 {
		p.SignalNoise = float64(p.Action) / float64(t)
	}
	ns, _ := s.Notifications(context.Background(), person, from, to)
	counts := map[string]int{}
	for _, n := range ns {
		counts[n.Host+" / "+n.Service]++
	}
	p.TopAlerts = topN(counts, 10)
	p.Windows = CountWindows(ns, loc)
	for _, u := range s.PersonUpdates(person) {
		if !u.Week.Before(from) && u.Week.Before(to) {
			p.Updates = append(p.Updates, u)
		}
	}
	return p
}

// MeetingReport is the page of the weekly meeting: last week's report
// for everyone, key stats beside the week before, the trend of the
// last 12 weeks, everyone's weekly update and the meeting notes.
type MeetingReport struct {
	Week            Week           `json:"week"`
	Report          *WeekReport    `json:"report"`
	Previous        TrendPoint     `json:"previous"`
	SignalNoiseDiff float64        `json:"signal_noise_diff"` // this week minus the previous
	Trend           []TrendPoint   `json:"trend"`
	Updates         []WeeklyUpdate `json:"updates"`
	Notes           MeetingNotes   `json:"notes"`
	HasNotes        bool           `json:"has_notes"`
	Noisy           []Noisy        `json:"noisy"`
}

// MeetingReport assembles the meeting page for week w.
func (s *Snapshot) MeetingReport(r Rotation, w Week) *MeetingReport {
	m := &MeetingReport{Week: w, Report: s.Week(r, w, nil)}
	from := w.Start
	for range 11 {
		from = r.Prev(r.Week(from)).Start
	}
	m.Trend = s.Trend(r, from, w.End, nil)
	if len(m.Trend) >= 2 {
		m.Previous = m.Trend[len(m.Trend)-2]
	}
	m.SignalNoiseDiff = m.Report.SignalNoise - m.Previous.SignalNoise
	m.Updates = s.Updates(w.Start)
	m.Notes, m.HasNotes = s.Meeting(w.Start)
	m.Noisy = s.Noisy(w.Start, w.End, &NoisyOptions{Location: r.Location, Limit: 5})
	return m
}
