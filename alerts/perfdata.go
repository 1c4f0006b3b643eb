package alerts

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MaxPerfdataBytes bounds the perfdata string [ParsePerfdata] accepts.
const MaxPerfdataBytes = 64 << 10

// Perf is one performance-data item, label=value[UOM];warn;crit;min;max,
// as the Nagios plugin guidelines define it. Min and Max are NaN when
// absent.
type Perf struct {
	Label string
	Value float64
	UOM   string // "", "s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB", "c" ...
	Warn  Threshold
	Crit  Threshold
	Min   float64
	Max   float64
}

// Threshold is a Nagios range: the check alerts when the value lies
// outside [Low, High] (or inside it, when Inside is set, written "@").
// The zero Threshold is unset (Raw empty) and never breached.
type Threshold struct {
	Raw    string
	Low    float64 // -Inf for "~"
	High   float64 // +Inf when open
	Inside bool
}

// Breached reports whether v triggers t.
func (t Threshold) Breached(v float64) bool {
	if t.Raw == "" {
		return false
	}
	in := v >= t.Low && v <= t.High
	if t.Inside {
		return in
	}
	return !in
}

// ParseThreshold parses a Nagios range: "10" (outside 0..10), "10:"
// (below 10), "~:10" (above 10), "10:20" (outside 10..20), "@10:20"
// (inside 10..20). The empty string is the unset threshold.
func ParseThreshold(s string) (Threshold, error) {
	t := Threshold{Raw: s}
	if s == "" {
		return t, nil
	}
	r := s
	if strings.HasPrefix(r, "@") {
		t.Inside, r = true, r[1:]
	}
	lo, hi, colon := strings.Cut(r, ":")
	if !colon {
		lo, hi = "0", lo
	}
	var err error
	switch lo {
	case "~":
		t.Low = math.Inf(-1)
	case "":
		t.Low = 0
	default:
		if t.Low, err = parseNum(lo); err != nil {
			return Threshold{}, fmt.Errorf("%w: threshold %q", ErrSyntax, s)
		}
	}
	if hi == "" {
		t.High = math.Inf(1)
	} else if t.High, err = parseNum(hi); err != nil {
		return Threshold{}, fmt.Errorf("%w: threshold %q", ErrSyntax, s)
	}
	if t.Low > t.High {
		return Threshold{}, fmt.Errorf("%w: threshold %q: start above end", ErrSyntax, s)
	}
	return t, nil
}

func parseNum(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, ErrSyntax
	}
	return v, nil
}

// ParsePerfdata parses a plugin's performance data: space-separated
// label=value[UOM][;warn[;crit[;min[;max]]]] items, labels optionally in
// single quotes (two quotes for a literal one). A value of "U"
// (undetermined) yields NaN. Input over [MaxPerfdataBytes] is refused.
func ParsePerfdata(s string) ([]Perf, error) {
	if len(s) > MaxPerfdataBytes {
		return nil, fmt.Errorf("%w: perfdata over %d bytes", ErrTooLong, MaxPerfdataBytes)
	}
	var out []Perf
	i := 0
	for {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i >= len(s) {
			return out, nil
		}
		var label string
		if s[i] == '\'' {
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(s) {
					return nil, fmt.Errorf("%w: perfdata: unterminated quote at byte %d", ErrSyntax, i)
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			label = b.String()
			i = j + 1
			if i >= len(s) || s[i] != '=' {
				return nil, fmt.Errorf("%w: perfdata: '=' expected after label %q", ErrSyntax, label)
			}
		} else {
			eq := strings.IndexAny(s[i:], "= ")
			if eq < 0 || s[i+eq] != '=' {
				return nil, fmt.Errorf("%w: perfdata: '=' expected in %q", ErrSyntax, cut(s[i:], 40))
			}
			label = s[i : i+eq]
			i += eq
		}
		i++ // '='
		end := strings.IndexByte(s[i:], ' ')
		if end < 0 {
			end = len(s) - i
		}
		item := s[i : i+end]
		i += end
		p, err := parsePerfItem(label, item)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
}

func parsePerfItem(label, item string) (Perf, error) {
	p := Perf{Label: label, Min: math.NaN(), Max: math.NaN()}
	if label == "" {
		return p, fmt.Errorf("%w: perfdata: empty label", ErrSyntax)
	}
	f := strings.Split(item, ";")
	if len(f) > 5 {
		return p, fmt.Errorf("%w: perfdata %q: %d fields, want at most 5", ErrSyntax, label, len(f))
	}
	v := f[0]
	if v == "U" {
		p.Value = math.NaN()
	} else {
		j := 0
		for j < len(v) && strings.IndexByte("0123456789.-+eE", v[j]) >= 0 {
			j++
		}
		// "1e" followed by a unit letter: back off an exponent without digits.
		for j > 0 && (v[j-1] == 'e' || v[j-1] == 'E') {
			j--
		}
		num, err := parseNum(v[:j])
		if err != nil {
			return p, fmt.Errorf("%w: perfdata %q: bad value %q", ErrSyntax, label, v)
		}
		p.Value, p.UOM = num, v[j:]
	}
	var err error
	if len(f) > 1 {
		if p.Warn, err = ParseThreshold(f[1]); err != nil {
			return p, fmt.Errorf("perfdata %q warn: %w", label, err)
		}
	}
	if len(f) > 2 {
		if p.Crit, err = ParseThreshold(f[2]); err != nil {
			return p, fmt.Errorf("perfdata %q crit: %w", label, err)
		}
	}
	for k, dst := range []*float64{&p.Min, &p.Max} {
		if len(f) > 3+k && f[3+k] != "" {
			if *dst, err = parseNum(f[3+k]); err != nil {
				return p, fmt.Errorf("%w: perfdata %q: bad min/max %q", ErrSyntax, label, f[3+k])
			}
		}
	}
	return p, nil
}

func cut(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
