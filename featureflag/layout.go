package featureflag

import (
	"math"
	"slices"
)

// Layout says how a flag's variant percentages map to bucket positions.
type Layout uint8

const (
	// Stable is the default layout. Variant i (in the order the config
	// lists them, or at its place in the flag's "lanes" list) starts at
	// lane anchor i of the van der Corput sequence
	// 0, 1/2, 1/4, 3/4, 1/8, ... and claims its percentage of the free
	// positions from there, clockwise, after the variants listed before
	// it. While every variant fits between its anchor and the next
	// occupied one (two variants up to 50 % each, four up to 25 %, ...),
	// ramping, adding, killing or replacing variants in place moves no
	// user between variants that stay, and ramping a variant up keeps all
	// of its users. A variant that outgrows its lane spills into free
	// space after the next lane; only spilled users can move when the
	// variants listed before it change.
	Stable Layout = iota
	// Cumulative is Etsy's layout, opt-in with "layout": "cumulative":
	// variant i covers [sum of earlier percentages, that plus its own).
	// Ramping {foo: 1, bar: 1} to {foo: 5, bar: 5} moves every bar user
	// into foo.
	Cumulative
)

// String returns "stable" or "cumulative".
func (l Layout) String() string {
	if l == Cumulative {
		return "cumulative"
	}
	return "stable"
}

// segment is a run of positions [lo, hi) serving one variant.
type segment struct {
	lo, hi  uint64
	variant int32
}

// amount converts a percentage to a number of positions.
func amount(pct float64) uint64 {
	if pct >= 100 {
		return posScale
	}
	if pct <= 0 {
		return 0
	}
	return uint64(math.Round(pct / 100 * float64(posScale)))
}

// buildLayout returns the sorted segments for percentages given in list
// order; pct must sum to at most 100. In the stable layout variant i
// owns lane lane[i] (lane i when lane is nil), and variants claim their
// positions in lane order.
func buildLayout(l Layout, pct []float64, lane []int) []segment {
	var segs []segment
	if l == Cumulative {
		var lo uint64
		for i, p := range pct {
			hi := min(lo+amount(p), posScale)
			if hi > lo {
				segs = append(segs, segment{lo, hi, int32(i)})
			}
			lo = hi
		}
		return segs
	}
	order := make([]int, len(pct))
	for i := range order {
		order[i] = i
	}
	laneOf := func(i int) int { return i }
	if lane != nil {
		laneOf = func(i int) int { return lane[i] }
		slices.SortFunc(order, func(a, b int) int { return lane[a] - lane[b] })
	}
	var total uint64
	for _, i := range order {
		want := min(amount(pct[i]), posScale-total)
		total += want
		segs = claim(segs, anchor(laneOf(i)), want, int32(i))
	}
	slices.SortFunc(segs, func(a, b segment) int {
		switch {
		case a.lo < b.lo:
			return -1
		case a.lo > b.lo:
			return 1
		}
		return 0
	})
	return merge(segs)
}

// claim takes want free positions clockwise from start, skipping taken
// ones (segs need not be sorted), and returns segs with the new runs.
func claim(segs []segment, start, want uint64, v int32) []segment {
	cur := start
	for guard := 0; want > 0 && guard < 4*len(segs)+8; guard++ {
		// Skip a taken run containing cur.
		moved := true
		for moved {
			moved = false
			for _, s := range segs {
				if cur >= s.lo && cur < s.hi {
					cur = s.hi
					moved = true
				}
			}
			if cur >= posScale {
				cur = 0
				moved = true
			}
		}
		next := posScale // start of the next taken run after cur
		for _, s := range segs {
			if s.lo > cur && s.lo < next {
				next = s.lo
			}
		}
		take := min(want, next-cur)
		segs = append(segs, segment{cur, cur + take, v})
		want -= take
		cur += take
		if cur >= posScale {
			cur = 0
		}
	}
	return segs
}

// merge joins adjacent sorted runs of the same variant.
func merge(segs []segment) []segment {
	out := segs[:0]
	for _, s := range segs {
		if s.hi == s.lo {
			continue
		}
		if n := len(out); n > 0 && out[n-1].hi == s.lo && out[n-1].variant == s.variant {
			out[n-1].hi = s.hi
			continue
		}
		out = append(out, s)
	}
	return out
}
