package featureflag

import (
	"strconv"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
)

// Subject is who a flag is checked for. Only the fields a flag uses are
// read; a Subject with only UserID set is bucketed by its user id.
// Evaluation never modifies a Subject or keeps a reference to it.
type Subject struct {
	// UserID identifies a signed-in user. It is matched against "users"
	// and, when it is a decimal number, against user-list files.
	UserID string
	// VisitorID identifies a browser or device; flags with "bucketing":
	// "visitor" (Etsy's "uaid") bucket by it when it is set.
	VisitorID string
	// RequestID is the per-request randomness for flags with "bucketing":
	// "random": each distinct RequestID is an independent draw.
	RequestID string
	// Groups are the groups the subject belongs to ("groups",
	// "exclude_groups").
	Groups []string
	// Staff marks employees (Etsy's "internal"); only staff may use URL
	// overrides.
	Staff bool
	// Admin marks administrators (Etsy's "admin").
	Admin bool
	// Attributes are matched by a flag's "attributes" targeting, such as
	// {"country": "DE"}.
	Attributes map[string]string
	// Overrides are request overrides (see [ParseOverrides]); they apply
	// only to flags with "public_url_override": true and only when Staff
	// or Admin is set.
	Overrides Overrides
}

// Reason says which rule decided a check.
type Reason uint8

// Reasons, in the order the rules are tried (see the package
// documentation's precedence table).
const (
	ReasonUnknown   Reason = iota // no flag of that name: off
	ReasonFixed                   // "enabled" is a string: it decides for everyone
	ReasonOverride                // a staff request override
	ReasonSchedule                // outside the flag's start/end window: off
	ReasonExcluded                // the subject is in an "exclude_groups" group: off
	ReasonUser                    // listed in "users"
	ReasonUserList                // in a "user_files" list
	ReasonGroup                   // in a listed group
	ReasonAdmin                   // "admin" applies
	ReasonInternal                // "internal" applies (staff)
	ReasonTargeting               // attributes do not match "attributes": off
	ReasonNoID                    // no id to bucket by: off
	ReasonRollout                 // bucketed into a percentage
	ReasonOutside                 // bucketed outside every percentage: off
	ReasonKilled                  // the chosen variant is in "killed": off
)

var reasonNames = [...]string{"unknown-flag", "fixed", "override", "schedule", "excluded", "user",
	"user-list", "group", "admin", "internal", "targeting", "no-id", "rollout", "outside", "killed"}

// String returns the reason code, such as "rollout" or "killed".
func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "Reason(" + strconv.Itoa(int(r)) + ")"
}

// Decision is the outcome of one check: the variant served ("" when the
// flag is off for the subject; "on" for flags without variants) and the
// rule that decided it.
type Decision struct {
	Variant string
	Reason  Reason
}

// On reports whether the flag is on (some variant is served).
func (d Decision) On() bool { return d.Variant != "" }

// Bucketing names what a flag hashes to place a subject.
type Bucketing uint8

const (
	// ByUser buckets by Subject.UserID (the default).
	ByUser Bucketing = iota
	// ByVisitor buckets by Subject.VisitorID when it is set, else by
	// UserID ("bucketing": "visitor" or Etsy's "uaid").
	ByVisitor
	// ByRequest buckets by Subject.RequestID ("bucketing": "random").
	ByRequest
)

// noVariant marks a rule that does not apply; offVariant a rule that turns
// the flag off.
const (
	noVariant  int32 = -2
	offVariant int32 = -1
)

type userList struct {
	ids     *roaring.Bitmap
	variant int32
}

type attrRule struct {
	key    string
	values []string
}

// flagDef is one compiled flag; immutable after load.
type flagDef struct {
	name     string
	variants []string // served names; "on" for flags without variants
	pct      []float64
	killed   []bool
	fixed    int32 // variant index, offVariant, or noVariant
	segs     []segment
	layout   Layout
	key      string // bucketing key (salt or name)
	state    uint64 // keyState(key)
	bucket   Bucketing
	users    map[string]int32
	lists    []userList
	groups   map[string]int32
	exclude  []string
	admin    int32
	internal int32
	override bool
	start    time.Time
	end      time.Time
	attrs    []attrRule
	params   map[string]*param
	source   string // canonical form of the effective config, for change reports
}

// variantIndex returns the index of name among the flag's variants.
func (f *flagDef) variantIndex(name string) int32 {
	for i, v := range f.variants {
		if v == name {
			return int32(i)
		}
	}
	return noVariant
}

func (f *flagDef) result(v int32, r Reason) Decision {
	switch {
	case v < 0:
		return Decision{Reason: r}
	case f.killed[v]:
		return Decision{Reason: ReasonKilled}
	}
	return Decision{Variant: f.variants[v], Reason: r}
}

// decide evaluates the flag for s at time now (read only when the flag
// has a window).
func (f *flagDef) decide(s *Subject, now func() time.Time) Decision {
	if f.fixed != noVariant {
		return f.result(f.fixed, ReasonFixed)
	}
	if f.override && (s.Staff || s.Admin) && len(s.Overrides) > 0 {
		if v, ok := s.Overrides[f.name]; ok {
			return f.overridden(v)
		}
	}
	if !f.start.IsZero() || !f.end.IsZero() {
		t := now()
		if (!f.start.IsZero() && t.Before(f.start)) || (!f.end.IsZero() && !t.Before(f.end)) {
			return Decision{Reason: ReasonSchedule}
		}
	}
	for _, g := range f.exclude {
		if hasGroup(s.Groups, g) {
			return Decision{Reason: ReasonExcluded}
		}
	}
	if f.users != nil && s.UserID != "" {
		if v, ok := f.users[s.UserID]; ok {
			return f.result(v, ReasonUser)
		}
	}
	if len(f.lists) > 0 {
		if id, ok := parseID(s.UserID); ok {
			for _, l := range f.lists {
				if l.ids.Contains(id) {
					return f.result(l.variant, ReasonUserList)
				}
			}
		}
	}
	if f.groups != nil {
		for _, g := range s.Groups {
			if v, ok := f.groups[g]; ok {
				return f.result(v, ReasonGroup)
			}
		}
	}
	if s.Admin && f.admin != noVariant {
		return f.result(f.admin, ReasonAdmin)
	}
	if s.Staff && f.internal != noVariant {
		return f.result(f.internal, ReasonInternal)
	}
	for _, a := range f.attrs {
		if !hasGroup(a.values, s.Attributes[a.key]) {
			return Decision{Reason: ReasonTargeting}
		}
	}
	if len(f.segs) == 0 {
		return Decision{Reason: ReasonOutside}
	}
	id := s.UserID
	switch f.bucket {
	case ByVisitor:
		if s.VisitorID != "" {
			id = s.VisitorID
		}
	case ByRequest:
		id = s.RequestID
	}
	if id == "" {
		return Decision{Reason: ReasonNoID}
	}
	pos := position(f.state, id)
	for _, sg := range f.segs {
		if pos < sg.lo {
			break
		}
		if pos < sg.hi {
			return f.result(sg.variant, ReasonRollout)
		}
	}
	return Decision{Reason: ReasonOutside}
}

// overridden serves a request override value: "off", "on" (the flag's
// first variant) or a variant name. An unknown variant name is served as
// given, as in Etsy, so staff can preview a variant before it ramps.
func (f *flagDef) overridden(v string) Decision {
	switch v {
	case "off":
		return Decision{Reason: ReasonOverride}
	case "", "on":
		return Decision{Variant: f.variants[0], Reason: ReasonOverride}
	}
	if i := f.variantIndex(v); i >= 0 {
		return f.result(i, ReasonOverride)
	}
	return Decision{Variant: v, Reason: ReasonOverride}
}

func hasGroup(groups []string, g string) bool {
	for _, x := range groups {
		if x == g {
			return true
		}
	}
	return false
}

// parseID parses a decimal user id in [0, 2^32) without allocating.
func parseID(s string) (uint32, bool) {
	if len(s) == 0 || len(s) > 10 {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		v = v*10 + uint64(c)
	}
	if v > 1<<32-1 {
		return 0, false
	}
	return uint32(v), true
}

// Evaluate returns the decision for flag and s: the variant served ("" if
// off) and why. An unknown flag is off with [ReasonUnknown]. Evaluate does
// not allocate.
func (t *Set) Evaluate(flag string, s Subject) Decision {
	f := t.flags[flag]
	if f == nil {
		return Decision{Reason: ReasonUnknown}
	}
	return f.decide(&s, t.now)
}

// Enabled reports whether flag is on for s (any variant is served).
func (t *Set) Enabled(flag string, s Subject) bool {
	f := t.flags[flag]
	if f == nil {
		return false
	}
	return f.decide(&s, t.now).Variant != ""
}

// Variant returns the variant of flag served to s: "" when the flag is off,
// "on" for a flag without variants that is on.
func (t *Set) Variant(flag string, s Subject) string {
	f := t.flags[flag]
	if f == nil {
		return ""
	}
	return f.decide(&s, t.now).Variant
}
