package featureflag

import (
	"fmt"
	"slices"
	"strings"
)

// MaxOverrides bounds the flags one override list may name.
const MaxOverrides = 64

// Overrides are per-request flag overrides: flag name to "on", "off" or a
// variant name. A nil Overrides overrides nothing.
type Overrides map[string]string

// ParseOverrides parses Etsy's URL override syntax, a comma-separated
// list such as "a,b:x,c:off": a alone means "on", b:x serves variant x,
// c:off turns c off. Empty items are skipped. It returns an error
// wrapping [ErrOverride] for an item with two colons, an empty name or
// value, a flag named twice ("a,a:off"), or more than [MaxOverrides]
// items; the error quotes at most 40 bytes of the item.
func ParseOverrides(s string) (Overrides, error) {
	if s == "" {
		return nil, nil
	}
	if strings.Count(s, ",") >= MaxOverrides {
		return nil, fmt.Errorf("%w: more than %d items", ErrOverride, MaxOverrides)
	}
	o := Overrides{}
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, val, found := strings.Cut(item, ":")
		name, val = strings.TrimSpace(name), strings.TrimSpace(val)
		if !found {
			val = "on"
		}
		if name == "" || val == "" || strings.Contains(val, ":") {
			return nil, fmt.Errorf("%w: %q", ErrOverride, truncate([]byte(item)))
		}
		if _, dup := o[name]; dup {
			return nil, fmt.Errorf("%w: flag %q named twice", ErrOverride, truncate([]byte(name)))
		}
		o[name] = val
	}
	return o, nil
}

// String formats o in the syntax ParseOverrides reads, sorted by name.
func (o Overrides) String() string {
	names := make([]string, 0, len(o))
	for n := range o {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(n)
		if v := o[n]; v != "on" {
			b.WriteByte(':')
			b.WriteString(v)
		}
	}
	return b.String()
}
