package featureflag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// Sentinel errors. Every configuration problem is a [*FieldError] whose
// Err is one of these, so callers can branch with errors.Is and still read
// the path and line with errors.AsType.
var (
	// ErrSyntax reports a document that is not valid JSON.
	ErrSyntax = errors.New("featureflag: invalid JSON")
	// ErrUnknownKey reports a key the configuration format does not define.
	ErrUnknownKey = errors.New("featureflag: unknown key")
	// ErrType reports a value of the wrong JSON type.
	ErrType = errors.New("featureflag: wrong type")
	// ErrValue reports a value of the right type outside its allowed set
	// or range (a percentage of 120, a bucketing of "dice", a bad time).
	ErrValue = errors.New("featureflag: invalid value")
	// ErrFile reports a user-list file that cannot be read or parsed.
	ErrFile = errors.New("featureflag: bad user-list file")
	// ErrTooLarge reports input beyond a documented limit ([MaxConfigBytes],
	// [MaxFlags], [MaxVariants], [MaxListIDs], [MaxListBytes]).
	ErrTooLarge = errors.New("featureflag: input too large")
	// ErrOverride reports a malformed override list such as "a:b:c".
	ErrOverride = errors.New("featureflag: invalid override")
)

// FieldError is one configuration problem: where it is (the dotted path of
// the value, such as "checkout_v2.enabled", and its line in the document
// or list file) and what is wrong. Err is one of the package's sentinels.
type FieldError struct {
	File string // list file the problem is in; empty for the config document
	Line int    // 1-based line; 0 when unknown
	Path string // dotted path of the value, e.g. "checkout_v2.enabled"
	Msg  string // what is wrong, e.g. "variant percentages sum to 120"
	Err  error  // sentinel, e.g. ErrValue
}

// Error returns "featureflag: line 3: checkout_v2.enabled: variant
// percentages sum to 120" (the file name replaces "line" for list files).
func (e *FieldError) Error() string {
	loc := ""
	switch {
	case e.File != "" && e.Line > 0:
		loc = fmt.Sprintf("%s:%d: ", e.File, e.Line)
	case e.File != "":
		loc = e.File + ": "
	case e.Line > 0:
		loc = fmt.Sprintf("line %d: ", e.Line)
	}
	path := ""
	if e.Path != "" {
		path = e.Path + ": "
	}
	return "featureflag: " + loc + path + e.Msg
}

// Unwrap returns the sentinel.
func (e *FieldError) Unwrap() error { return e.Err }

// maxErrors bounds how many problems one load reports.
const maxErrors = 200

// problems accumulates every configuration error of one load.
type problems struct {
	errs    []error
	seen    map[FieldError]bool
	dropped int
}

func (p *problems) add(e *FieldError) {
	if p.seen == nil {
		p.seen = map[FieldError]bool{}
	}
	key := *e
	key.Err = nil
	if p.seen[key] {
		return
	}
	p.seen[key] = true
	if len(p.errs) >= maxErrors {
		p.dropped++
		return
	}
	p.errs = append(p.errs, e)
}

// lined is a node or a node pointer: something with a document line.
type lined interface{ lineNo() int }

func (n node) lineNo() int { return n.line }

func (p *problems) at(n lined, path string, sentinel error, format string, args ...any) {
	p.add(&FieldError{Line: n.lineNo(), Path: path, Msg: fmt.Sprintf(format, args...), Err: sentinel})
}

func (p *problems) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(p.errs, func(a, b error) int {
		return cmp.Compare(a.(*FieldError).Line, b.(*FieldError).Line)
	})
	if p.dropped > 0 {
		p.errs = append(p.errs, &FieldError{Msg: fmt.Sprintf("%d more problems not shown", p.dropped), Err: ErrTooLarge})
	}
	return errors.Join(p.errs...)
}
