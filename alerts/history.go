package alerts

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// History answers "what did the last person do?" for one alert: its
// past notifications with their verdicts (newest first) and how often
// it fired (problem notifications, one per event however many contacts
// got it) in the 7, 30 and 365 days before Now.
type History struct {
	AlertID  string    `json:"alert_id"`
	Host     string    `json:"host"`
	Service  string    `json:"service"`
	Now      time.Time `json:"now"`
	Items    []Item    `json:"items"`
	Fired7   int       `json:"fired_7d"`
	Fired30  int       `json:"fired_30d"`
	Fired365 int       `json:"fired_365d"`
	// Last is the most recent classification of any notification of the
	// alert (zero if none), LastTag its tag.
	Last    Classification `json:"last"`
	LastTag Tag            `json:"last_tag"`
}

// History returns the history of the alert with the given ID (see
// [Notification.AlertID]) as of now; nothing after now is included.
// At most limit items are returned (0 means 100); the counts cover all.
func (s *Snapshot) History(alertID string, now time.Time, limit int) *History {
	if limit <= 0 {
		limit = 100
	}
	h := &History{AlertID: alertID, Now: now}
	idx := s.byAlert[alertID]
	type event struct {
		sec   int64
		state string
	}
	seen := map[event]bool{}
	for k := len(idx) - 1; k >= 0; k-- {
		n := s.ns[idx[k]]
		if n.Time.After(now) {
			continue
		}
		h.Host, h.Service = n.Host, n.Service
		id := s.ids[idx[k]]
		if len(h.Items) < limit {
			h.Items = append(h.Items, s.item(id, n))
		}
		if c, ok := s.class[id]; ok && c.At.After(h.Last.At) {
			h.Last = c
		}
		if n.Type != Problem {
			continue
		}
		ev := event{n.Time.Unix(), n.State}
		if seen[ev] {
			continue
		}
		seen[ev] = true
		age := now.Sub(n.Time)
		if age < 7*24*time.Hour {
			h.Fired7++
		}
		if age < 30*24*time.Hour {
			h.Fired30++
		}
		if age < 365*24*time.Hour {
			h.Fired365++
		}
	}
	if h.Last.NotificationID != "" {
		h.LastTag, _ = s.tags.Lookup(h.Last.Tag)
	}
	return h
}

// Search returns the notifications whose host, service, output or
// classification note contain every whitespace-separated term of query
// (case-insensitive), newest first, at most limit (0 means 100). An
// empty query matches nothing.
func (s *Snapshot) Search(query string, limit int) []Item {
	if limit <= 0 {
		limit = 100
	}
	terms := strings.Fields(strings.ToLower(query))
	if len(terms) == 0 {
		return nil
	}
	var out []Item
	for i := len(s.ns) - 1; i >= 0 && len(out) < limit; i-- {
		n := s.ns[i]
		id := s.ids[i]
		text := strings.ToLower(n.Host + "\x00" + n.Service + "\x00" + n.Output + "\x00" + s.class[id].Note)
		match := true
		for _, t := range terms {
			if !strings.Contains(text, t) {
				match = false
				break
			}
		}
		if match {
			out = append(out, s.item(id, n))
		}
	}
	return out
}

// Noisy is one alert in the noisy-alert ranking.
type Noisy struct {
	AlertID     string         `json:"alert_id"`
	Host        string         `json:"host"`
	Service     string         `json:"service"`
	Count       int            `json:"count"`
	Action      int            `json:"action"`
	NoAction    int            `json:"noaction"`
	Untagged    int            `json:"untagged"`
	ByTag       map[string]int `json:"by_tag"`
	Night       int            `json:"night"`        // notifications in sleep hours (22-8 local)
	NightAction int            `json:"night_action"` // of which tagged action
	Dominant    string         `json:"dominant"`     // most frequent no-action tag key
	Suggestion  string         `json:"suggestion"`
}

// NoisyOptions tunes [Snapshot.Noisy]. Nil means UTC and 20 alerts.
type NoisyOptions struct {
	Location *time.Location // for night hours; nil means UTC
	Limit    int            // 0 means 20
	Contact  string         // empty means all
}

// Noisy ranks the alerts of [from, to) by no-action notifications (then
// by count) and suggests a fix from the dominant no-action tag:
// thresholdincorrect → adjust the threshold; checkfaulty → fix the
// check; downtimenotset/downtimeexpired → set or extend downtime;
// incorrecttimeperiod → change the notification period; and an alert
// that fired at night but was never actioned at night → email only or
// business hours.
func (s *Snapshot) Noisy(from, to time.Time, opts *NoisyOptions) []Noisy {
	var o NoisyOptions
	if opts != nil {
		o = *opts
	}
	if o.Limit <= 0 {
		o.Limit = 20
	}
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	m := map[string]*Noisy{}
	lo, hi := s.span(from, to)
	for k := lo; k < hi; k++ {
		n := &s.ns[k]
		if o.Contact != "" && n.Contact != o.Contact {
			continue
		}
		a := n.AlertID()
		x := m[a]
		if x == nil {
			x = &Noisy{AlertID: a, Host: n.Host, Service: n.Service, ByTag: map[string]int{}}
			m[a] = x
		}
		x.Count++
		c := s.class[s.ids[k]]
		cat := s.tags.Category(c.Tag)
		x.ByTag[c.Tag]++
		night := WindowOf(n.Time, loc) == SleepHours
		if night {
			x.Night++
		}
		switch cat {
		case Action:
			x.Action++
			if night {
				x.NightAction++
			}
		case NoAction:
			x.NoAction++
		default:
			x.Untagged++
		}
	}
	out := make([]Noisy, 0, len(m))
	for _, x := range m {
		best := 0
		for _, k := range sortedKeys(x.ByTag) {
			if s.tags.Category(k) == NoAction && x.ByTag[k] > best {
				x.Dominant, best = k, x.ByTag[k]
			}
		}
		x.Suggestion = suggest(x)
		out = append(out, *x)
	}
	slices.SortFunc(out, func(a, b Noisy) int {
		if c := cmp.Compare(b.NoAction, a.NoAction); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.AlertID, b.AlertID)
	})
	if len(out) > o.Limit {
		out = out[:o.Limit]
	}
	return out
}

func suggest(x *Noisy) string {
	if x.NoAction == 0 {
		if x.Action > 0 {
			return "keep paging: every tagged notification needed action; fix the cause"
		}
		return "classify these notifications"
	}
	var fix string
	switch x.Dominant {
	case "thresholdincorrect":
		fix = "adjust the threshold"
	case "checkfaulty":
		fix = "fix or replace the check"
	case "downtimenotset", "downtimeexpired":
		fix = "set (or extend) downtime during planned work"
	case "incorrecttimeperiod":
		fix = "change the notification time period"
	default:
		fix = "review why it needed no action (" + x.Dominant + ")"
	}
	if x.Night > 0 && x.NightAction == 0 {
		fix += "; never actioned at night: send by email only or page in business hours only"
	}
	return fix
}
