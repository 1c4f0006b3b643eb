package ipdb

import (
	"fmt"
	"iter"
	"math"
	"time"
)

// TimeTable is an immutable table of disjoint half-open time intervals
// [start, end), each with a value, built by a [TimeBuilder]. It is the
// same machinery as [Intervals], keyed by Unix nanoseconds: an interval
// [start, end) is stored as the closed interval [start, end-1ns], so
// intervals may touch (one ends where the next starts).
//
// The zero TimeTable is empty. TimeTable is safe for concurrent use.
type TimeTable[V any] struct {
	t Intervals[int64, V]
}

// Len returns the number of intervals.
func (t *TimeTable[V]) Len() int { return t.t.Len() }

// Find returns the value of the interval containing at, and whether there is one.
func (t *TimeTable[V]) Find(at time.Time) (V, bool) {
	if !inNanoRange(at) {
		var zero V
		return zero, false
	}
	return t.t.Find(at.UnixNano())
}

// All yields the intervals in increasing order as start, end (exclusive)
// and value. Times are in UTC.
func (t *TimeTable[V]) All() iter.Seq2[[2]time.Time, V] {
	return func(yield func([2]time.Time, V) bool) {
		for iv, v := range t.t.All() {
			span := [2]time.Time{time.Unix(0, iv.Lo).UTC(), time.Unix(0, iv.Hi).UTC().Add(time.Nanosecond)}
			if !yield(span, v) {
				return
			}
		}
	}
}

// TimeBuilder collects half-open time intervals and freezes them into a
// [TimeTable]. Times must lie within the range of int64 Unix nanoseconds
// (years 1678 to 2262); others are reported as ErrTime. Its zero value is
// ready to use.
//
// TimeBuilder is not safe for concurrent use.
type TimeBuilder[V any] struct {
	// Strict refuses unsorted input instead of sorting it.
	Strict bool
	// Innermost flattens nested intervals, the innermost winning.
	Innermost bool

	b     IntervalBuilder[int64, V]
	probs problems
}

// Add appends the interval [start, end) with value v. An empty or reversed
// interval (end not after start) is reported by Build as ErrReversed.
func (b *TimeBuilder[V]) Add(start, end time.Time, v V) {
	line := len(b.b.vals) + 1
	in := start.Format(time.RFC3339Nano) + "/" + end.Format(time.RFC3339Nano)
	switch {
	case !inNanoRange(start) || !inNanoRange(end):
		b.b.vals = append(b.b.vals, v)
		b.probs.add(&ParseError{Line: line, Input: in, Err: ErrTime})
	case !end.After(start):
		b.b.vals = append(b.b.vals, v)
		b.probs.add(&ParseError{Line: line, Input: in, Err: fmt.Errorf("%w: empty interval", ErrReversed)})
	default:
		b.b.Add(start.UnixNano(), end.UnixNano()-1, v)
	}
}

// Build validates the intervals and returns the frozen table, or every
// problem found joined into one error whose parts are *ParseError.
// The builder is empty afterwards.
func (b *TimeBuilder[V]) Build() (*TimeTable[V], error) {
	b.b.Strict, b.b.Innermost = b.Strict, b.Innermost
	b.b.format = func(ns int64) string { return time.Unix(0, ns).UTC().Format(time.RFC3339Nano) }
	found := b.probs
	b.probs = problems{}
	errs := found.errs
	t, err := b.b.Build()
	if err != nil || found.len() > 0 {
		if err != nil {
			errs = append(errs, err.(interface{ Unwrap() []error }).Unwrap()...)
		}
		return nil, report(errs, found.more)
	}
	return &TimeTable[V]{t: *t}, nil
}

func inNanoRange(t time.Time) bool {
	const minSec, maxSec = math.MinInt64 / int64(time.Second), math.MaxInt64 / int64(time.Second)
	s := t.Unix()
	return s > minSec && s < maxSec
}
