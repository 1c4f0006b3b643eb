package alerts

import (
	"cmp"
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
	for _, n := range s.between(w.Start, w.End) {
		if rep.Contact != "" && n.Contact != rep.Contact {
			continue
		}
		id := n.ID()
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
		for _, n := range s.between(w.Start, w.End) {
			if contact != "" && n.Contact != contact {
				continue
			}
			p.Total++
			switch s.Category(n.ID()) {
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
