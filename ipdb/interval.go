package ipdb

import (
	"fmt"
	"iter"
)

// Integer is the set of key types of an [Intervals] table. Integer keys
// have a successor, which lets closed intervals touch and nested intervals
// be flattened exactly; times and addresses map onto them ([TimeBuilder],
// [Builder]).
type Integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr
}

// num adapts an Integer to the validation engine. Next wraps at the
// largest value, as Go integer arithmetic does.
type num[K Integer] struct{ v K }

func (a num[K]) Compare(b num[K]) int {
	switch {
	case a.v < b.v:
		return -1
	case a.v > b.v:
		return 1
	}
	return 0
}
func (a num[K]) Next() num[K] { return num[K]{a.v + 1} }
func (a num[K]) Prev() num[K] { return num[K]{a.v - 1} }

// Interval is the closed interval [Lo, Hi] of keys. It is a plain value,
// safe to copy and to share between goroutines.
type Interval[K Integer] struct {
	Lo, Hi K
}

// Contains reports whether Lo <= k <= Hi.
func (iv Interval[K]) Contains(k K) bool { return iv.Lo <= k && k <= iv.Hi }

// Intervals is an immutable table of disjoint closed intervals, each with
// a value, built by an [IntervalBuilder]. Lookups binary-search the sorted
// starts (three comparisons at most per step: below, above, inside).
//
// The zero Intervals is an empty table. Intervals is safe for concurrent
// use by multiple goroutines.
type Intervals[K Integer, V any] struct {
	lo, hi []K
	vals   []V
}

// Len returns the number of intervals.
func (t *Intervals[K, V]) Len() int { return len(t.lo) }

// Find returns the value of the interval containing k, and whether there is one.
func (t *Intervals[K, V]) Find(k K) (V, bool) {
	// Three-way search for disjoint intervals: go left if the row starts
	// above k, right if it ends below k, else found.
	lo, hi := 0, len(t.lo)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch {
		case t.lo[m] > k:
			hi = m
		case t.hi[m] < k:
			lo = m + 1
		default:
			return t.vals[m], true
		}
	}
	var zero V
	return zero, false
}

// All yields the intervals in increasing order with their values.
func (t *Intervals[K, V]) All() iter.Seq2[Interval[K], V] {
	return func(yield func(Interval[K], V) bool) {
		for i := range t.lo {
			if !yield(Interval[K]{t.lo[i], t.hi[i]}, t.vals[i]) {
				return
			}
		}
	}
}

// IntervalBuilder collects closed intervals and freezes them into an
// [Intervals] table. Its zero value is ready to use and accepts unsorted
// input; set the fields before calling Build.
//
// IntervalBuilder is not safe for concurrent use.
type IntervalBuilder[K Integer, V any] struct {
	// Strict refuses unsorted input (ErrUnsorted) instead of sorting it.
	Strict bool
	// Innermost accepts nested intervals and flattens them so that each key
	// takes the value of the smallest interval containing it; of equal
	// intervals the one added later wins. Intervals that cross without
	// nesting are still refused.
	Innermost bool

	rows   []row[num[K]]
	vals   []V
	probs  problems
	format func(K) string // renders keys in errors; nil means fmt.Sprint
}

func (b *IntervalBuilder[K, V]) show(lo, hi K) string {
	if b.format != nil {
		return b.format(lo) + "-" + b.format(hi)
	}
	return fmt.Sprint(lo, "-", hi)
}

// Add appends the closed interval [lo, hi] with value v. Its row number in
// errors is the number of Add calls so far. Problems are reported by Build.
func (b *IntervalBuilder[K, V]) Add(lo, hi K, v V) {
	line := len(b.vals) + 1
	b.vals = append(b.vals, v)
	if lo > hi {
		if len(b.probs.errs) >= MaxProblems {
			b.probs.more++
			return
		}
		b.probs.add(&ParseError{Line: line, Input: b.show(lo, hi), Err: ErrReversed})
		return
	}
	b.rows = append(b.rows, row[num[K]]{lo: num[K]{lo}, hi: num[K]{hi}, val: uint32(line - 1), line: line})
}

// Build validates the intervals and returns the frozen table, or every
// problem found (overlaps naming both rows, reversed intervals, unsorted
// rows in strict mode) joined into one error whose parts are *ParseError.
// The builder is empty afterwards and may be reused.
func (b *IntervalBuilder[K, V]) Build() (*Intervals[K, V], error) {
	rows, vals, found := b.rows, b.vals, b.probs
	b.rows, b.vals, b.probs = nil, nil, problems{}
	errs := found.errs
	rows, probs := settle(rows, b.Strict, b.Innermost)
	probs, more := firstProblems(probs, nil)
	for _, p := range probs {
		errs = append(errs, problemError(p, func(r row[num[K]]) (string, string) {
			return "", b.show(r.lo.v, r.hi.v)
		}))
	}
	if err := report(errs, found.more+more); err != nil {
		return nil, err
	}
	t := &Intervals[K, V]{
		lo:   make([]K, len(rows)),
		hi:   make([]K, len(rows)),
		vals: make([]V, len(rows)),
	}
	for i, r := range rows {
		t.lo[i], t.hi[i], t.vals[i] = r.lo.v, r.hi.v, vals[r.val]
	}
	return t, nil
}
