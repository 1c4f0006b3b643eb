package alerts

import (
	"encoding/hex"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Type is what a notification announces: a problem, a recovery, an
// acknowledgement and so on. The zero Type is [Problem].
type Type uint8

// The notification types of Nagios Core and Icinga 2 (Icinga 2 says
// FLAPPINGEND where Nagios says FLAPPINGSTOP; both map to [FlappingStop]).
const (
	Problem Type = iota
	Recovery
	Acknowledgement
	FlappingStart
	FlappingStop
	FlappingDisabled
	DowntimeStart
	DowntimeEnd
	DowntimeCancelled
	Custom
	numTypes
)

// typeName returns the Nagios spelling of t, "" if t is out of range.
func typeName(t Type) string {
	switch t {
	case Problem:
		return "PROBLEM"
	case Recovery:
		return "RECOVERY"
	case Acknowledgement:
		return "ACKNOWLEDGEMENT"
	case FlappingStart:
		return "FLAPPINGSTART"
	case FlappingStop:
		return "FLAPPINGSTOP"
	case FlappingDisabled:
		return "FLAPPINGDISABLED"
	case DowntimeStart:
		return "DOWNTIMESTART"
	case DowntimeEnd:
		return "DOWNTIMEEND"
	case DowntimeCancelled:
		return "DOWNTIMECANCELLED"
	case Custom:
		return "CUSTOM"
	}
	return ""
}

// Types lists every notification type in declaration order.
func Types() []Type {
	out := make([]Type, numTypes)
	for i := range out {
		out[i] = Type(i)
	}
	return out
}

// String returns the Nagios spelling of t, such as "PROBLEM" or
// "DOWNTIMECANCELLED".
func (t Type) String() string {
	if n := typeName(t); n != "" {
		return n
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// ParseType returns the type named s (Nagios or Icinga 2 spelling, any
// case; FLAPPINGEND is [FlappingStop]).
func ParseType(s string) (Type, bool) {
	u := strings.ToUpper(strings.TrimSpace(s))
	if u == "FLAPPINGEND" {
		return FlappingStop, true
	}
	for t := range numTypes {
		if typeName(t) == u {
			return t, true
		}
	}
	return 0, false
}

// MarshalText encodes t as its name.
func (t Type) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText decodes a name written by MarshalText.
func (t *Type) UnmarshalText(b []byte) error {
	v, ok := ParseType(string(b))
	if !ok {
		return &FieldError{Field: "type", Value: string(b), Err: ErrUnknownType}
	}
	*t = v
	return nil
}

// Sources of notifications, as set in [Notification].Source by the
// parsers of this package.
const (
	SourceNagios       = "nagios"       // Nagios Core log line
	SourceIcinga2      = "icinga2"      // Icinga 2 compat log line
	SourceEnv          = "nagios-env"   // Nagios or Icinga 1 notification environment
	SourceAlertmanager = "alertmanager" // Prometheus Alertmanager webhook
	SourcePagerDuty    = "pagerduty"    // PagerDuty incidents CSV
	SourceLogstash     = "logstash"     // Logstash/Elasticsearch export
	SourceSplunk       = "splunk"       // Splunk export
)

// Notification is one message sent to one contact about one alert: the
// unit an on-call engineer classifies. Host and Service identify the
// alert (Service is empty for host notifications); State is the
// monitoring system's state word (CRITICAL, WARNING, UNKNOWN, OK, DOWN,
// UP, UNREACHABLE, or FIRING/RESOLVED for Alertmanager).
//
// The zero Notification is empty; it has an ID like any other.
type Notification struct {
	Time       time.Time         `json:"time"`
	Source     string            `json:"source,omitempty"`
	Contact    string            `json:"contact,omitempty"`
	Host       string            `json:"host"`
	Service    string            `json:"service,omitempty"`
	State      string            `json:"state"`
	Type       Type              `json:"type"`
	Output     string            `json:"output,omitempty"`
	LongOutput string            `json:"long_output,omitempty"`
	Perfdata   string            `json:"perfdata,omitempty"`
	Labels     map[string]string `json:"labels,omitempty"`
	URL        string            `json:"url,omitempty"`
	Author     string            `json:"author,omitempty"`
	Comment    string            `json:"comment,omitempty"`
}

// AlertID returns the stable identity of the alert n is about: the same
// for every notification of one host and service (or, for Alertmanager,
// one alert name and instance) whatever its time, contact, type or
// source. It is 16 hex digits of a 64-bit FNV-1a hash.
func (n *Notification) AlertID() string {
	h := fnv.New64a()
	h.Write([]byte(n.Host))
	h.Write([]byte{0})
	h.Write([]byte(n.Service))
	return hex.EncodeToString(h.Sum(nil))
}

// ID returns the stable identity of this one notification: alert, time
// (to the second, as logs record it), type, state and contact. A
// classification refers to a notification by this ID. 16 hex digits.
func (n *Notification) ID() string {
	h := fnv.New64a()
	for _, s := range []string{n.Host, n.Service, strconv.FormatInt(n.Time.Unix(), 10), n.Type.String(), n.State, n.Contact} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Alert is one alert event announced to one or more contacts: Nagios
// writes one log line per contact, and [Dedup] folds them into one Alert.
type Alert struct {
	// Notification is the first notification of the group, Contact cleared.
	Notification Notification
	// Contacts counts the notifications each contact received.
	Contacts map[string]int
	// Count is the number of notifications folded in (the sum of Contacts).
	Count int
}

// Dedup folds notifications that announce the same event (same alert,
// type, state and time to the second) to several contacts into one
// [Alert] each, keeping per-contact counts. Alerts come out in the order
// of their first notification.
func Dedup(ns []Notification) []Alert {
	type key struct {
		alert, state string
		typ          Type
		sec          int64
	}
	idx := make(map[key]int)
	var out []Alert
	for _, n := range ns {
		k := key{n.AlertID(), n.State, n.Type, n.Time.Unix()}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			first := n
			first.Contact = ""
			first.Labels = maps.Clone(n.Labels)
			out = append(out, Alert{Notification: first, Contacts: make(map[string]int)})
		}
		out[i].Contacts[n.Contact]++
		out[i].Count++
	}
	return out
}

// ContactNames returns the contacts of a in sorted order.
func (a *Alert) ContactNames() []string {
	return slices.Sorted(maps.Keys(a.Contacts))
}
