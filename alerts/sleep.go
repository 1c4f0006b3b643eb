package alerts

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Window is a PagerDuty interruption window: when in the responder's
// day a notification arrived. The zero Window is [BusinessHours].
type Window uint8

// The interruption windows: business hours 8-18 Monday to Friday; off
// hours 18-22 Monday to Friday and 8-22 at weekends; sleep hours 22-8
// every day.
const (
	BusinessHours Window = iota
	OffHours
	SleepHours
)

// String returns "business", "offhours" or "sleep".
func (w Window) String() string {
	switch w {
	case BusinessHours:
		return "business"
	case OffHours:
		return "offhours"
	case SleepHours:
		return "sleep"
	}
	return fmt.Sprintf("Window(%d)", int(w))
}

// MarshalText encodes w as its String.
func (w Window) MarshalText() ([]byte, error) { return []byte(w.String()), nil }

// WindowOf returns the window of t in loc (nil means UTC).
func WindowOf(t time.Time, loc *time.Location) Window {
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	h := lt.Hour()
	switch {
	case h >= 22 || h < 8:
		return SleepHours
	case lt.Weekday() == time.Saturday || lt.Weekday() == time.Sunday || h >= 18:
		return OffHours
	}
	return BusinessHours
}

// Interruptions counts notifications per window.
type Interruptions struct {
	Business int `json:"business"`
	OffHours int `json:"offhours"`
	Sleep    int `json:"sleep"`
}

// CountWindows counts ns by interruption window in loc (the
// responder's time zone; nil means UTC). Use it when no sleep data
// exists.
func CountWindows(ns []Notification, loc *time.Location) Interruptions {
	var c Interruptions
	for _, n := range ns {
		switch WindowOf(n.Time, loc) {
		case BusinessHours:
			c.Business++
		case OffHours:
			c.OffHours++
		default:
			c.Sleep++
		}
	}
	return c
}

// SleepPeriod is one stretch of sleep from a tracker, [Start, End).
type SleepPeriod struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// MaxSleepPeriods bounds the periods one sleep log may hold.
const MaxSleepPeriods = 100_000

// ParseSleepLog reads sleep periods as CSV (a header with "start" and
// "end" columns, RFC 3339 times) or JSON (an array of {"start","end"}
// objects), detected from the first non-space byte. Periods are
// validated (end after start, at most 24 h) and returned sorted.
// Overlapping periods are an error.
func ParseSleepLog(r io.Reader) ([]SleepPeriod, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxPayloadBytes+1))
	if err != nil {
		return nil, fmt.Errorf("alerts: reading sleep log: %w", err)
	}
	if len(body) > MaxPayloadBytes {
		return nil, fmt.Errorf("%w: sleep log over %d bytes", ErrTooLong, MaxPayloadBytes)
	}
	trimmed := bytes.TrimSpace(body)
	var ps []SleepPeriod
	lines := []int{}
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if err := json.Unmarshal(trimmed, &ps); err != nil {
			return nil, fmt.Errorf("%w: sleep log: %w", ErrSyntax, err)
		}
		for i := range ps {
			lines = append(lines, i+1)
		}
	} else {
		cr := csv.NewReader(bytes.NewReader(body))
		head, err := cr.Read()
		if err != nil {
			return nil, fmt.Errorf("alerts: sleep log header: %w", err)
		}
		si, ei := slices.Index(head, "start"), slices.Index(head, "end")
		if si < 0 || ei < 0 {
			return nil, &FieldError{Field: "sleep log header", Value: strings.Join(head, ","), Err: ErrMissing}
		}
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				line := 0 // FieldPos may not be called after an error
				if pe, ok := errors.AsType[*csv.ParseError](err); ok {
					line = pe.Line
				}
				return nil, newParseError(line, "", err)
			}
			line, _ := cr.FieldPos(0)
			if si >= len(rec) || ei >= len(rec) {
				return nil, newParseError(line, strings.Join(rec, ","), ErrMissing)
			}
			s, err1 := time.Parse(time.RFC3339, rec[si])
			e, err2 := time.Parse(time.RFC3339, rec[ei])
			if err1 != nil || err2 != nil {
				return nil, newParseError(line, strings.Join(rec, ","), fmt.Errorf("%w: times must be RFC 3339", ErrSyntax))
			}
			ps = append(ps, SleepPeriod{s, e})
			lines = append(lines, line)
		}
	}
	if len(ps) > MaxSleepPeriods {
		return nil, fmt.Errorf("%w: over %d sleep periods", ErrTooLong, MaxSleepPeriods)
	}
	for i, p := range ps {
		if !p.End.After(p.Start) || p.End.Sub(p.Start) > 24*time.Hour {
			return nil, newParseError(lines[i], p.Start.Format(time.RFC3339)+","+p.End.Format(time.RFC3339), fmt.Errorf("%w: sleep period must end after it starts, within 24 h", ErrSyntax))
		}
	}
	slices.SortFunc(ps, func(a, b SleepPeriod) int { return a.Start.Compare(b.Start) })
	for i := 1; i < len(ps); i++ {
		if ps[i].Start.Before(ps[i-1].End) {
			return nil, fmt.Errorf("%w: sleep periods overlap at %v", ErrSyntax, ps[i].Start)
		}
	}
	return ps, nil
}

// SleepOptions tunes [Sleep]. The zero value (or nil) means a 10-minute
// wake grace, 4 hours before sleep counts as abandoned, and UTC.
type SleepOptions struct {
	// Grace: an alert up to Grace after a period ends still woke the
	// responder (trackers notice waking late). Zero means 10 minutes.
	Grace time.Duration
	// Abandon: not asleep again within Abandon of being woken is
	// "sleep abandoned". Zero means 4 hours.
	Abandon time.Duration
	// Location is the responder's zone, for the window counts.
	Location *time.Location
}

// SleepImpact is what one notification did to the responder's sleep.
type SleepImpact struct {
	Notification Notification  `json:"notification"`
	Woken        bool          `json:"woken"`
	Abandoned    bool          `json:"abandoned"`
	TimeToSleep  time.Duration `json:"time_to_sleep"` // woken and back asleep only
}

// SleepReport is Opsweekly's sleep summary for a set of notifications.
type SleepReport struct {
	Notifications   int           `json:"notifications"`
	Woken           int           `json:"woken"`
	MeanTimeToSleep time.Duration `json:"mean_time_to_sleep"` // over woken, not abandoned
	TimeAwake       time.Duration `json:"time_awake"`         // woken until asleep (or Abandon)
	Abandoned       int           `json:"abandoned"`
	Windows         Interruptions `json:"windows"`
	Impacts         []SleepImpact `json:"impacts"`
}

// Sleep measures the sleep lost to ns given the responder's sleep
// periods (sorted, as [ParseSleepLog] returns them). A notification
// woke the responder if it came during a period or within Grace after
// its end, and no earlier notification already woke them from that
// period. Time to sleep runs from the notification to the start of the
// next period; none within Abandon means sleep abandoned, counted as
// Abandon of time awake. Without sleep data, use the Windows counts.
func Sleep(ns []Notification, periods []SleepPeriod, opts *SleepOptions) *SleepReport {
	var o SleepOptions
	if opts != nil {
		o = *opts
	}
	if o.Grace <= 0 {
		o.Grace = 10 * time.Minute
	}
	if o.Abandon <= 0 {
		o.Abandon = 4 * time.Hour
	}
	sorted := slices.Clone(ns)
	slices.SortStableFunc(sorted, func(a, b Notification) int { return a.Time.Compare(b.Time) })
	rep := &SleepReport{Notifications: len(sorted), Windows: CountWindows(sorted, o.Location)}
	used := map[int]bool{} // periods that already woke the responder
	var sum time.Duration
	back := 0
	for _, n := range sorted {
		imp := SleepImpact{Notification: n}
		// The last period starting at or before n.Time.
		i := sortSearchPeriods(periods, n.Time) - 1
		if i >= 0 && !used[i] && !n.Time.After(periods[i].End.Add(o.Grace)) {
			used[i] = true
			imp.Woken = true
			rep.Woken++
			if i+1 < len(periods) && periods[i+1].Start.Sub(n.Time) <= o.Abandon {
				imp.TimeToSleep = periods[i+1].Start.Sub(n.Time)
				sum += imp.TimeToSleep
				back++
				rep.TimeAwake += imp.TimeToSleep
			} else {
				imp.Abandoned = true
				rep.Abandoned++
				rep.TimeAwake += o.Abandon
			}
		}
		rep.Impacts = append(rep.Impacts, imp)
	}
	if back > 0 {
		rep.MeanTimeToSleep = sum / time.Duration(back)
	}
	return rep
}

// sortSearchPeriods returns the number of periods starting at or before t.
func sortSearchPeriods(ps []SleepPeriod, t time.Time) int {
	lo, hi := 0, len(ps)
	for lo < hi {
		m := (lo + hi) / 2
		if !ps[m].Start.After(t) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// SleepStateAt returns the sleep state at t from a sorted sleep log, to
// pre-fill [Classification].Sleep: [Asleep] inside a period, [Awake]
// outside, [SleepUnknown] with no periods at all.
func SleepStateAt(periods []SleepPeriod, t time.Time) SleepState {
	if len(periods) == 0 {
		return SleepUnknown
	}
	i := sortSearchPeriods(periods, t) - 1
	if i >= 0 && t.Before(periods[i].End) {
		return Asleep
	}
	return Awake
}
