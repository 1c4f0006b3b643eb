package ipdb

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// point is a key of the validation engine: totally ordered with a
// successor and a predecessor, which "innermost wins" flattening needs to
// cut closed intervals. Next of the largest key must return a key that is
// not larger (it may wrap around); Prev is never called on the smallest.
type point[K any] interface {
	Compare(K) int
	Next() K
	Prev() K
}

// row is one closed interval of the engine, with the index of its value
// and where it came from.
type row[K any] struct {
	lo, hi K
	val    uint32 // index into the caller's value table
	src    uint32 // index into the caller's source names
	line   int
}

// problem is one validation finding; the caller turns it into a *ParseError.
type problem[K any] struct {
	r, other row[K]
	kind     error // ErrUnsorted, ErrOverlap or ErrDuplicate
	crossing bool
}

func compareRows[K point[K]](a, b row[K]) int {
	if c := a.lo.Compare(b.lo); c != 0 {
		return c
	}
	if c := b.hi.Compare(a.hi); c != 0 { // outer (longer) first
		return c
	}
	if a.src != b.src { // later input wins ties when flattening
		return int(a.src) - int(b.src)
	}
	return a.line - b.line
}

// settle orders rows by start and checks them. Without innermost, any two
// rows sharing a key are a problem (touching is fine). With innermost,
// nested rows are flattened so that each key takes the value of the
// smallest row containing it (the later of equal rows); rows crossing
// without nesting are problems.
// In strict mode a row starting before its predecessor is a problem too.
// settle may reorder rows in place; the result is disjoint and sorted when
// no problem is returned.
func settle[K point[K]](rows []row[K], strict, innermost bool) ([]row[K], []problem[K]) {
	var probs []problem[K]
	if strict {
		for i := 1; i < len(rows); i++ {
			if rows[i].lo.Compare(rows[i-1].lo) < 0 {
				probs = append(probs, problem[K]{r: rows[i], other: rows[i-1], kind: ErrUnsorted})
			}
		}
	}
	if !slices.IsSortedFunc(rows, compareRows[K]) {
		slices.SortFunc(rows, compareRows[K])
	}
	if innermost {
		return flatten(rows, probs)
	}
	// Rows are sorted by start, so a row overlaps something above it
	// exactly when it starts at or before the furthest end seen so far.
	var widest row[K]
	for i, r := range rows {
		if i > 0 && r.lo.Compare(widest.hi) <= 0 {
			kind := ErrOverlap
			if r.lo.Compare(widest.lo) == 0 && r.hi.Compare(widest.hi) == 0 {
				kind = ErrDuplicate
			}
			probs = append(probs, problem[K]{r: r, other: widest, kind: kind})
		}
		if i == 0 || r.hi.Compare(widest.hi) > 0 {
			widest = r
		}
	}
	return rows, probs
}

// flatten turns laminar (nested or disjoint) sorted rows into disjoint
// segments, innermost row winning; of equal rows the later one (by source,
// then line) counts as inner. Touching segments with the same value are
// merged. It sweeps with a stack of open rows.
func flatten[K point[K]](rows []row[K], probs []problem[K]) ([]row[K], []problem[K]) {
	out := make([]row[K], 0, len(rows))
	var stack []row[K]
	var pos K     // first key not yet emitted
	done := false // pos ran past the largest key
	emitTo := func(t row[K], hi K) {
		if done || pos.Compare(hi) > 0 {
			return
		}
		if n := len(out); n > 0 && out[n-1].val == t.val && out[n-1].hi.Next().Compare(pos) == 0 {
			out[n-1].hi = hi // continues the previous segment of the same owner
			return
		}
		s := t
		s.lo, s.hi = pos, hi
		out = append(out, s)
	}
	closeTop := func() {
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		emitTo(t, t.hi)
		if !done && pos.Compare(t.hi) <= 0 {
			if t.hi.Compare(t.hi.Next()) >= 0 { // t.hi is the largest key
				done = true
			} else {
				pos = t.hi.Next()
			}
		}
	}
	for _, r := range rows {
		for len(stack) > 0 && stack[len(stack)-1].hi.Compare(r.lo) < 0 {
			closeTop()
		}
		if len(stack) > 0 {
			top := stack[len(stack)-1]
			if r.hi.Compare(top.hi) > 0 {
				probs = append(probs, problem[K]{r: r, other: top, kind: ErrOverlap, crossing: true})
				continue
			}
			if pos.Compare(r.lo) < 0 {
				emitTo(top, r.lo.Prev())
			}
		}
		pos, done = r.lo, false
		stack = append(stack, r)
	}
	for len(stack) > 0 {
		closeTop()
	}
	return out, probs
}

// problemError turns a finding into a *ParseError naming both rows;
// describe returns a row's source name and printable range.
func problemError[K any](p problem[K], describe func(row[K]) (src, input string)) error {
	src, in := describe(p.r)
	var cause error
	if p.kind != ErrUnsorted {
		osrc, oin := describe(p.other)
		cause = &OverlapError{
			Source:    osrc,
			Line:      p.other.line,
			Input:     oin,
			Duplicate: p.kind == ErrDuplicate,
			Crossing:  p.crossing,
		}
	} else {
		cause = fmt.Errorf("%w: starts before line %d", ErrUnsorted, p.other.line)
	}
	return &ParseError{Source: src, Line: p.r.line, Input: in, Err: cause}
}

// firstProblems orders validation findings by source name and line and
// returns the first MaxProblems of them with the number left out, so that
// only those are turned into errors.
func firstProblems[K any](probs []problem[K], name func(src uint32) string) ([]problem[K], int) {
	if len(probs) <= MaxProblems && name == nil {
		return probs, 0
	}
	slices.SortStableFunc(probs, func(a, b problem[K]) int {
		if name != nil && a.r.src != b.r.src {
			if c := strings.Compare(name(a.r.src), name(b.r.src)); c != 0 {
				return c
			}
		}
		return a.r.line - b.r.line
	})
	if len(probs) <= MaxProblems {
		return probs, 0
	}
	return probs[:MaxProblems], len(probs) - MaxProblems
}

// moreProblems is the last part of a report that kept MaxProblems
// problems: how many others there were.
type moreProblems int

func (n moreProblems) Error() string { return fmt.Sprintf("ipdb: and %d more problems", int(n)) }

// problems collects the *ParseError values of a builder, keeping the
// first MaxProblems and counting the others. The zero value is empty.
type problems struct {
	errs []error
	more int
}

func (p *problems) add(err error) {
	if len(p.errs) < MaxProblems {
		p.errs = append(p.errs, err)
		return
	}
	p.more++
}

func (p *problems) len() int { return len(p.errs) + p.more }

// report orders the problems by source and line, keeps the first
// MaxProblems and returns them joined, ending with a count of the rest;
// nil when there are none. A moreProblems among errs (from a nested
// builder) adds to the count.
func report(errs []error, more int) error {
	kept := errs[:0]
	for _, e := range errs {
		if n, ok := e.(moreProblems); ok {
			more += int(n)
			continue
		}
		kept = append(kept, e)
	}
	errs = kept
	if len(errs) == 0 && more == 0 {
		return nil
	}
	sortErrors(errs)
	if len(errs) > MaxProblems {
		more += len(errs) - MaxProblems
		clear(errs[MaxProblems:])
		errs = errs[:MaxProblems]
	}
	if more > 0 {
		errs = append(errs, moreProblems(more))
	}
	return errors.Join(errs...)
}

// quoteBytes returns text as a string, or when it is longer than
// MaxQuote its first MaxQuote bytes (cut at a character boundary)
// followed by "..." and the full length.
func quoteBytes(text []byte) string {
	if len(text) <= MaxQuote {
		return string(text)
	}
	cut := MaxQuote
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d bytes)", text[:cut], len(text))
}

// quoteStart returns the start of a line too long to read whole: at most
// MaxQuote bytes, followed by "..." when cut.
func quoteStart(text []byte) string {
	if len(text) <= MaxQuote {
		return string(text)
	}
	cut := MaxQuote
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return string(text[:cut]) + "..."
}

// sortErrors orders problems by source and line, so reports read top down.
func sortErrors(errs []error) {
	slices.SortStableFunc(errs, func(a, b error) int {
		pa, _ := a.(*ParseError)
		pb, _ := b.(*ParseError)
		if pa == nil || pb == nil {
			return 0
		}
		if c := strings.Compare(pa.Source, pb.Source); c != 0 {
			return c
		}
		return pa.Line - pb.Line
	})
}
