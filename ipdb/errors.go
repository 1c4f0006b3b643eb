package ipdb

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every problem reported by a builder or a loader is a
// [*ParseError] whose Err wraps one of these, so callers can branch with
// errors.Is and still read the line with errors.As.
var (
	// ErrSyntax reports a malformed address, prefix or range.
	ErrSyntax = errors.New("ipdb: invalid range")
	// ErrReversed reports a range whose start is after its end.
	ErrReversed = errors.New("ipdb: start after end")
	// ErrMixedFamily reports a range with one IPv4 and one IPv6 end.
	ErrMixedFamily = errors.New("ipdb: mixed address families")
	// ErrOverlap reports two rows covering a common key.
	ErrOverlap = errors.New("ipdb: overlapping ranges")
	// ErrDuplicate reports two rows with the same start and end.
	// An *OverlapError with Duplicate set matches both ErrDuplicate and ErrOverlap.
	ErrDuplicate = errors.New("ipdb: duplicate range")
	// ErrUnsorted reports, in strict mode, a row starting before the row above it.
	ErrUnsorted = errors.New("ipdb: input not sorted")
	// ErrColumn reports a CSV row lacking a configured column.
	ErrColumn = errors.New("ipdb: missing column")
	// ErrField reports a category or verdict field that names none of
	// the known values (see [ParseCategory], [ParseVerdict]).
	ErrField = errors.New("ipdb: invalid field")
	// ErrCSV reports a CSV syntax error (for example a stray quote).
	ErrCSV = errors.New("ipdb: malformed CSV")
	// ErrTime reports a time outside the range a time table can hold
	// (years 1678 to 2262, see [TimeBuilder]).
	ErrTime = errors.New("ipdb: time out of range")
	// ErrCorrupt reports binary table data that fails validation: bad
	// magic, version, length or checksum, or contents that are not a valid table.
	ErrCorrupt = errors.New("ipdb: corrupt table data")
	// ErrLineTooLong reports an input line (a CSV record) longer than
	// [MaxLine] bytes; reading stops there.
	ErrLineTooLong = errors.New("ipdb: line too long")
)

// Bounds on what reading and building keep, so that no input makes an
// error or the heap grow beyond a fixed size.
const (
	// MaxProblems is how many problems a [Builder] (and so [Load]) keeps
	// and reports in detail; the error counts the others in one line
	// ("and 12345 more problems").
	MaxProblems = 100
	// MaxQuote is how many bytes of an offending input a [ParseError]
	// keeps; longer inputs are cut (at a character boundary) and marked
	// with "..." and their full length.
	MaxQuote = 64
	// MaxLine is the longest line (CSV record, line of a prefix list) the
	// readers accept, in bytes without the line end.
	MaxLine = 64 << 10
)

// ParseError describes one problem in one input row. Builders and loaders
// return all problems at once, joined with errors.Join; errors.As finds the
// first, errors.Is matches the sentinel in Err. A returned ParseError is
// never modified again, so it may be read from several goroutines.
type ParseError struct {
	Source string // name of the input (file name), or "" when unnamed
	Line   int    // 1-based line (row number for rows added in code)
	Input  string // the offending line as written (cut to MaxQuote bytes), the range for overlaps and rows added in code, or ""
	Err    error  // the cause; wraps a sentinel such as ErrOverlap
}

// Error returns a message of the form
// `ipdb: line 12: "10.0.0.0-": invalid range: <cause>`.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("ipdb: ")
	if e.Source != "" {
		b.WriteString(e.Source)
		b.WriteString(" ")
	}
	fmt.Fprintf(&b, "line %d: ", e.Line)
	if e.Input != "" {
		fmt.Fprintf(&b, "%q: ", e.Input)
	}
	b.WriteString(trimPrefix(e.Err))
	return b.String()
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// OverlapError is the cause (the Err of a [*ParseError]) when a row overlaps
// another: it names the other row, so both rows are identified. Like
// ParseError it is never modified once returned and may be read concurrently.
type OverlapError struct {
	Source    string // input of the other row
	Line      int    // line of the other row
	Input     string // the other row's range
	Duplicate bool   // the two rows have the same start and end
	Crossing  bool   // the rows overlap without one containing the other
}

// Error returns a message such as `overlaps line 7 "10.0.0.0-10.0.255.255"`.
func (e *OverlapError) Error() string {
	what := "overlapping ranges: overlaps"
	switch {
	case e.Duplicate:
		what = "duplicate range: repeats"
	case e.Crossing:
		what = "overlapping ranges: crosses"
	}
	src := ""
	if e.Source != "" {
		src = e.Source + " "
	}
	return fmt.Sprintf("%s %sline %d %q", what, src, e.Line, e.Input)
}

// Unwrap returns ErrDuplicate and ErrOverlap for duplicates, ErrOverlap otherwise.
func (e *OverlapError) Unwrap() []error {
	if e.Duplicate {
		return []error{ErrDuplicate, ErrOverlap}
	}
	return []error{ErrOverlap}
}

// trimPrefix renders err without the package prefix of the sentinels, so
// that wrapped messages read "ipdb: line 3: ...: start after end".
func trimPrefix(err error) string {
	if err == nil {
		return "<nil>"
	}
	return strings.ReplaceAll(err.Error(), "ipdb: ", "")
}
