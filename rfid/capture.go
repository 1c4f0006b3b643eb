package rfid

import (
	"bufio"
	"bytes"
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
	var buf [4]string
	f, n := fields(s, buf[:0])
	if n < 3 || n > 4 {
		return Event{}, fmt.Errorf("%w: want 3 or 4 fields, got %d", ErrSyntax, n)
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

// fields appends the first cap(dst) white-space separated fields of s to
// dst, like strings.Fields without allocating, and returns them with the
// number of fields s has.
func fields(s string, dst []string) ([]string, int) {
	n := 0
	for {
		s = strings.TrimLeft(s, " \t\r\n\v\f")
		if s == "" {
			return dst, n
		}
		end := strings.IndexAny(s, " \t\r\n\v\f")
		if end < 0 {
			end = len(s)
		}
		if len(dst) < cap(dst) {
			dst = append(dst, s[:end])
		}
		n++
		s = s[end:]
	}
}

// ReadCapture reads a capture (see the package documentation) and returns
// its events in file order. A malformed line returns a *[ParseError]; a
// line longer than 1024 bytes is an error. It reads line by line and
// allocates at most 8 bytes per byte of capture (the events, 16 bytes
// each for lines of at least 6 bytes, gathered in blocks and copied once;
// checked by TestReadCaptureAllocBound), 16 KB at least.
func ReadCapture(r io.Reader) ([]Event, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256), maxCaptureLine)
	// Events are gathered in fixed-size blocks and copied once at the
	// end: a growing slice would allocate up to five times its final size.
	const block = 1024
	var blocks [][]Event
	cur := make([]Event, 0, block)
	total := 0
	for n := 1; sc.Scan(); n++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 || b[0] == '#' {
			continue
		}
		line := string(b)
		e, err := ParseEvent(line)
		if err != nil {
			if len(line) > 64 {
				line = line[:64]
			}
			return nil, &ParseError{Line: n, Input: line, Err: err}
		}
		if len(cur) == block {
			blocks = append(blocks, cur)
			cur = make([]Event, 0, block)
		}
		cur = append(cur, e)
		total++
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("rfid: reading capture: %w", err)
	}
	if total == 0 {
		return nil, nil
	}
	events := make([]Event, 0, total)
	for _, b := range blocks {
		events = append(events, b...)
	}
	return append(events, cur...), nil
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
