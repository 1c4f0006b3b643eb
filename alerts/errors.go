package alerts

import (
	"errors"
	"fmt"
)

// Sentinel errors. Parsers wrap them in [*ParseError] or [*FieldError].
var (
	// ErrSyntax reports a notification record whose shape is wrong.
	ErrSyntax = errors.New("alerts: syntax error")
	// ErrUnknownType reports a notification type this package does not know.
	ErrUnknownType = errors.New("alerts: unknown notification type")
	// ErrTooLong reports a line or payload over the documented bound.
	ErrTooLong = errors.New("alerts: input too long")
	// ErrMissing reports a required field that is absent or empty.
	ErrMissing = errors.New("alerts: missing field")
	// ErrUnknownTag reports a classification tag not in the tag set.
	ErrUnknownTag = errors.New("alerts: unknown tag")
	// ErrClosed reports use of a closed store.
	ErrClosed = errors.New("alerts: store closed")
)

// ParseError reports a bad record in line-oriented input: a log line, a
// CSV row, a JSON Lines record. Line counts from 1.
type ParseError struct {
	Source string // file or stream name, if known
	Line   int
	Input  string // the offending text, cut to 120 bytes
	Err    error
}

func (e *ParseError) Error() string {
	src := ""
	if e.Source != "" {
		src = e.Source + ": "
	}
	return fmt.Sprintf("alerts: %sline %d: %q: %v", src, e.Line, e.Input, e.Err)
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

func newParseError(line int, input string, err error) *ParseError {
	if len(input) > 120 {
		input = input[:120]
	}
	return &ParseError{Line: line, Input: input, Err: err}
}

// FieldError reports a bad value in a named field of a structured input
// (an environment variable, a JSON field, a CSV column).
type FieldError struct {
	Field string
	Value string // cut to 120 bytes
	Err   error
}

func (e *FieldError) Error() string {
	v := e.Value
	if len(v) > 120 {
		v = v[:120]
	}
	return fmt.Sprintf("alerts: field %s: %q: %v", e.Field, v, e.Err)
}

// Unwrap returns the cause.
func (e *FieldError) Unwrap() error { return e.Err }
