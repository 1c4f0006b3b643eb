package featureflag

import (
	"strconv"
	"time"
)

// ValueType is the type of a flag parameter.
type ValueType uint8

// Parameter types; the zero ValueType marks the zero [Value] (no value).
const (
	NoValue ValueType = iota
	Number
	String
	Duration
	Bool
)

var valueTypeNames = [...]string{"none", "number", "string", "duration", "bool"}

// String returns "number", "string", "duration", "bool" or "none".
func (t ValueType) String() string {
	if int(t) < len(valueTypeNames) {
		return valueTypeNames[t]
	}
	return "ValueType(" + strconv.Itoa(int(t)) + ")"
}

// Value is a typed flag parameter, such as a header's max-age that ramps
// with the flag. The zero Value has type [NoValue] and reads as 0, "",
// 0 s and false. Accessors of the wrong type return the zero of theirs.
type Value struct {
	typ ValueType
	num float64
	str string
	dur time.Duration
	b   bool
}

// Type returns the value's type.
func (v Value) Type() ValueType { return v.typ }

// Float returns a number parameter.
func (v Value) Float() float64 { return v.num }

// Str returns a string parameter.
func (v Value) Str() string { return v.str }

// Duration returns a duration parameter.
func (v Value) Duration() time.Duration { return v.dur }

// Bool returns a bool parameter.
func (v Value) Bool() bool { return v.b }

// String formats the value as it would be written in the config.
func (v Value) String() string {
	switch v.typ {
	case Number:
		return strconv.FormatFloat(v.num, 'g', -1, 64)
	case String:
		return strconv.Quote(v.str)
	case Duration:
		return v.dur.String()
	case Bool:
		return strconv.FormatBool(v.b)
	}
	return "none"
}

// param is one compiled parameter of a flag.
type param struct {
	def       Value
	byVariant map[string]Value
}

// Value returns parameter param of flag for s, with the flag's decision:
// the value given for the served variant under "variants", else the
// parameter's "default" (also when the flag is off). It returns the zero
// Value when the flag or the parameter does not exist. Value does not
// allocate.
func (t *Set) Value(flag, param string, s Subject) (Value, Decision) {
	f := t.flags[flag]
	if f == nil {
		return Value{}, Decision{Reason: ReasonUnknown}
	}
	d := f.decide(&s, t.now)
	p := f.params[param]
	if p == nil {
		return Value{}, d
	}
	if d.Variant != "" {
		if v, ok := p.byVariant[d.Variant]; ok {
			return v, d
		}
	}
	return p.def, d
}
