package rfid

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// maxCaptureLine bounds the length of one capture line.
const maxCaptureLine = 1024

// ParseError is the error of [ReadCapture] for a malformed line. It is not
// modified after creation and safe to share.
type ParseError struct {
	Line  int    // 1-based line number
	Input string // the offending line (truncated to 64 bytes)
	Err   error  // the cause; matches [ErrSyntax]
}

// Error returns e.g. `rfid: line 3: "12 D2 fall": invalid capture syntax: unknown line "D2"`:
// the package prefix once, then the cause.
func (e *ParseError) Error() string {
	return fmt.Sprintf("rfid: line %d: %q: %s", e.Line, e.Input, strings.TrimPrefix(fmt.Sprint(e.Err), "rfid: "))
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// ParseEvent parses one capture line holding an event.
func ParseEvent(s string) (Event, error) {
	f := strings.Fields(s)
	if len(f) < 3 || len(f) > 4 {
		return Event{}, fmt.Errorf("%w: want 3 or 4 fields, got %d", ErrSyntax, len(f))
	}
	var e Event
	if n, err := strconv.ParseInt(f[0], 10, 64); err == nil {
		e.Time = time.Duration(n)
	} else if d, err := time.ParseDuration(f[0]); err == nil {
		e.Time = d
	} else {
		return Event{}, fmt.Errorf("%w: bad time %q", ErrSyntax, f[0])
	}
	switch strings.ToUpper(f[1]) {
	case "D0", "0":
		e.Line = D0
	case "D1", "1":
		e.Line = D1
	default:
		return Event{}, fmt.Errorf("%w: unknown line %q", ErrSyntax, f[1])
	}
	switch strings.ToLower(f[2]) {
	case "fall", "f":
		e.Edge = Falling
	case "rise", "r":
		e.Edge = Rising
	default:
		return Event{}, fmt.Errorf("%w: unknown edge %q", ErrSyntax, f[2])
	}
	if len(f) == 4 {
		n, err := strconv.ParseUint(f[3], 10, 32)
		if err != nil {
			return Event{}, fmt.Errorf("%w: bad sequence number %q", ErrSyntax, f[3])
		}
		e.Seq = uint32(n)
	}
	return e, nil
}

// ReadCapture reads a capture (see the package documentation) and returns
// its events in file order. A malformed line returns a *[ParseError].
func ReadCapture(r io.Reader) ([]Event, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256), maxCaptureLine)
	var events []Event
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		e, err := ParseEvent(line)
		if err != nil {
			if len(line) > 64 {
				line = line[:64]
			}
			return nil, &ParseError{Line: n, Input: line, Err: err}
		}
		events = append(events, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("rfid: reading capture: %w", err)
	}
	return events, nil
}

// WriteCapture writes events in the capture format, after a header comment
// and any further comment lines given.
func WriteCapture(w io.Writer, events []Event, comments ...string) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "# rfid capture: <time ns> <line> <edge> [<seq>]")
	for _, c := range comments {
		for l := range strings.SplitSeq(c, "\n") {
			fmt.Fprintln(bw, "#", l)
		}
	}
	for _, e := range events {
		fmt.Fprintln(bw, e)
	}
	return bw.Flush()
}
