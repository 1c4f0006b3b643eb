package alerts

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// MaxLineBytes is the default bound on one log line (64 KiB). Nagios caps
// plugin output at 8 KiB, Icinga 2 logs the first line only.
const MaxLineBytes = 64 << 10

// Dialect is the flavour of a notification log line.
type Dialect uint8

// Log dialects. [DialectAuto] recognises the dialect line by line.
const (
	DialectAuto    Dialect = iota
	DialectNagios          // Nagios Core (and Icinga 1)
	DialectIcinga2         // Icinga 2 compat log: always ";author;comment" or a trailing ";"
)

// ParseOptions tunes [ParseNagiosLogOptions]. The zero value (or nil)
// is strict, auto-detecting, with [MaxLineBytes].
type ParseOptions struct {
	// Lenient skips unparseable notification lines, counting them in
	// [LogResult].Skipped, instead of failing on the first.
	Lenient bool
	// Dialect forces a dialect; zero recognises it per line.
	Dialect Dialect
	// MaxLineBytes bounds a line; zero means [MaxLineBytes]. A longer
	// line is an error (or, when Lenient, skipped).
	MaxLineBytes int
	// Name names the input in errors (e.g. the file name).
	Name string
}

// LogResult is what [ParseNagiosLogOptions] found.
type LogResult struct {
	Notifications []Notification
	Lines         int           // lines read
	Skipped       int           // bad notification lines skipped (Lenient only)
	Errors        []*ParseError // the skipped lines' errors, at most 100
}

// ParseNagiosLog reads a Nagios Core log (nagios.log) or an Icinga 2
// compat log and returns its SERVICE NOTIFICATION and HOST NOTIFICATION
// lines as notifications, in file order. Other lines are ignored. A
// notification line that cannot be parsed stops the read with an error
// that unwraps to [*ParseError] naming its line; use
// [ParseNagiosLogOptions] with Lenient to skip such lines instead.
func ParseNagiosLog(r io.Reader) ([]Notification, error) {
	res, err := ParseNagiosLogOptions(r, nil)
	if err != nil {
		return nil, err
	}
	return res.Notifications, nil
}

// ParseNagiosLogOptions is [ParseNagiosLog] with options; nil means
// defaults.
func ParseNagiosLogOptions(r io.Reader, opts *ParseOptions) (*LogResult, error) {
	var o ParseOptions
	if opts != nil {
		o = *opts
	}
	max := o.MaxLineBytes
	if max <= 0 {
		max = MaxLineBytes
	}
	res := &LogResult{}
	br := bufio.NewReaderSize(r, 64<<10)
	fail := func(pe *ParseError) error {
		pe.Source = o.Name
		if !o.Lenient {
			return pe
		}
		res.Skipped++
		if len(res.Errors) < 100 {
			res.Errors = append(res.Errors, pe)
		}
		return nil
	}
	for {
		line, tooLong, err := readLine(br, max)
		if err == io.EOF && line == nil {
			break
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("alerts: reading line %d: %w", res.Lines+1, err)
		}
		res.Lines++
		if tooLong {
			if isNotificationLine(line) {
				if e := fail(newParseError(res.Lines, string(line), fmt.Errorf("%w: over %d bytes", ErrTooLong, max))); e != nil {
					return nil, e
				}
			}
			continue
		}
		n, ok, perr := ParseNagiosLine(string(line), o.Dialect)
		if perr != nil {
			if e := fail(newParseError(res.Lines, string(line), perr)); e != nil {
				return nil, e
			}
			continue
		}
		if ok {
			res.Notifications = append(res.Notifications, n)
		}
		if err == io.EOF {
			break
		}
	}
	return res, nil
}

// readLine returns the next line without its terminator (and a trailing
// \r), reading at most max bytes of it; the rest of a longer line is
// discarded and tooLong set, with the first max bytes returned.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		frag, e := br.ReadSlice('\n')
		if len(buf)+len(frag) > max+1 && !tooLong {
			tooLong = true
			room := max - len(buf)
			if room > 0 {
				buf = append(buf, frag[:room]...)
			}
		} else if !tooLong {
			buf = append(buf, frag...)
		}
		if e == bufio.ErrBufferFull {
			continue
		}
		if e != nil {
			if len(buf) == 0 && !tooLong {
				return nil, false, e
			}
			err = e
		}
		break
	}
	buf = bytes.TrimSuffix(buf, []byte("\n"))
	buf = bytes.TrimSuffix(buf, []byte("\r"))
	return buf, tooLong, err
}

const (
	svcPrefix  = "SERVICE NOTIFICATION: "
	hostPrefix = "HOST NOTIFICATION: "
)

func isNotificationLine(b []byte) bool {
	i := bytes.IndexByte(b, ']')
	if i < 0 {
		return false
	}
	rest := bytes.TrimLeft(b[i+1:], " ")
	return bytes.HasPrefix(rest, []byte(svcPrefix)) || bytes.HasPrefix(rest, []byte(hostPrefix))
}

// ParseNagiosLine parses one log line. It returns ok false (and no error)
// for lines that are not notifications, and an error for a notification
// line that cannot be parsed. The dialect is recognised from the line
// unless d forces one.
//
// Nagios Core writes
//
//	[ts] SERVICE NOTIFICATION: contact;host;service;STATE;command;output
//	[ts] SERVICE NOTIFICATION: contact;host;service;ACKNOWLEDGEMENT (STATE);command;output;author;comment
//
// (author and comment for acknowledgements and custom notifications
// only; OK or UP for recoveries; "TYPE (STATE)" for the other types), and
// Icinga 2
//
//	[ts] SERVICE NOTIFICATION: user;host;service;RECOVERY;command;output;
//	[ts] HOST NOTIFICATION: user;host;DOWN (DOWN);command;output;author;comment
//
// Output may contain ';': the fields before it are counted from the left
// and author and comment from the right. A service problem line (WARNING,
// CRITICAL, UNKNOWN) ending in ';' is read as Icinga 2 in auto mode, so a
// Nagios output that itself ends in ';' loses that ';' unless
// [DialectNagios] is forced.
func ParseNagiosLine(line string, d Dialect) (Notification, bool, error) {
	var n Notification
	if !strings.HasPrefix(line, "[") {
		return n, false, nil
	}
	end := strings.IndexByte(line, ']')
	if end < 0 {
		return n, false, nil
	}
	rest := strings.TrimLeft(line[end+1:], " ")
	var host bool
	switch {
	case strings.HasPrefix(rest, svcPrefix):
		rest = rest[len(svcPrefix):]
	case strings.HasPrefix(rest, hostPrefix):
		rest, host = rest[len(hostPrefix):], true
	default:
		return n, false, nil
	}
	ts, err := strconv.ParseInt(line[1:end], 10, 64)
	if err != nil || ts < 0 || ts > 1<<40 {
		return n, false, fmt.Errorf("%w: bad timestamp %q", ErrSyntax, line[1:end])
	}
	n.Time = time.Unix(ts, 0).UTC()

	head := 4 // contact;host;service;typestate;command
	if host {
		head = 3
	}
	parts := strings.SplitN(rest, ";", head+2)
	if len(parts) < head+1 {
		return n, false, fmt.Errorf("%w: %d fields, want at least %d", ErrSyntax, len(parts), head+1)
	}
	n.Contact, n.Host = parts[0], parts[1]
	if !host {
		n.Service = parts[2]
	}
	typeState := parts[head-1]
	// parts[head] is the command; parts[head+1] the output and what follows.
	out := ""
	hasOut := len(parts) == head+2
	if hasOut {
		out = parts[head+1]
	}
	if n.Contact == "" || n.Host == "" || (!host && n.Service == "") {
		return n, false, fmt.Errorf("%w: empty contact, host or service", ErrSyntax)
	}
	word, paren, hasParen, err := splitTypeState(typeState)
	if err != nil {
		return n, false, err
	}
	typ, isType := ParseType(word)
	if isType && typ == Problem && !hasParen {
		return n, false, fmt.Errorf("%w: PROBLEM without a state", ErrSyntax)
	}
	var state string
	switch {
	case isType && hasParen:
		n.Type, state = typ, paren
	case isType: // Icinga 2 service line: no state given
		n.Type = typ
		if typ == Recovery {
			state = "OK"
		}
	case isState(word):
		state = word
		if state == "OK" || state == "UP" {
			n.Type = Recovery
		}
		if hasParen && paren != word {
			return n, false, fmt.Errorf("%w: state %q with %q", ErrSyntax, word, paren)
		}
	default:
		return n, false, fmt.Errorf("%w: %q", ErrUnknownType, word)
	}
	if state != "" && !isState(state) {
		return n, false, fmt.Errorf("%w: unknown state %q", ErrSyntax, state)
	}
	n.State = state

	if d == DialectAuto {
		d = recogniseDialect(host, word, isType, hasParen, out)
	}
	n.Source = SourceNagios
	if d == DialectIcinga2 {
		n.Source = SourceIcinga2
	}
	switch {
	case n.Type == Acknowledgement || n.Type == Custom:
		// Both dialects append ";author;comment".
		i := strings.LastIndexByte(out, ';')
		if i < 0 {
			return n, false, fmt.Errorf("%w: %s without author and comment", ErrSyntax, n.Type)
		}
		out, n.Comment = out[:i], out[i+1:]
		j := strings.LastIndexByte(out, ';')
		if j < 0 {
			return n, false, fmt.Errorf("%w: %s without author", ErrSyntax, n.Type)
		}
		out, n.Author = out[:j], out[j+1:]
	case d == DialectIcinga2:
		if !hasOut || !strings.HasSuffix(out, ";") {
			return n, false, fmt.Errorf("%w: Icinga 2 line without the trailing ';'", ErrSyntax)
		}
		out = out[:len(out)-1]
	}
	n.Output = out
	return n, true, nil
}

// recogniseDialect decides the dialect of a line from its type/state
// field and, where that is ambiguous, its trailing ';'.
func recogniseDialect(host bool, word string, isType, hasParen bool, out string) Dialect {
	u := strings.ToUpper(word)
	switch {
	case u == "FLAPPINGEND", u == "RECOVERY":
		return DialectIcinga2
	case !host && hasParen: // Icinga 2 never puts a state in parentheses on service lines
		return DialectNagios
	case !host && isType: // a bare type word is Icinga 2's
		return DialectIcinga2
	case !host && (u == "OK"): // Icinga 2 says RECOVERY
		return DialectNagios
	case host && !hasParen: // Icinga 2 host lines always carry "(STATE)"
		return DialectNagios
	case host && !isType: // "DOWN (DOWN)"
		return DialectIcinga2
	}
	if strings.HasSuffix(out, ";") {
		return DialectIcinga2
	}
	return DialectNagios
}

func splitTypeState(s string) (word, paren string, hasParen bool, err error) {
	s = strings.TrimSpace(s)
	i := strings.IndexByte(s, '(')
	if i < 0 {
		if s == "" {
			return "", "", false, fmt.Errorf("%w: empty notification type", ErrSyntax)
		}
		return s, "", false, nil
	}
	if !strings.HasSuffix(s, ")") {
		return "", "", false, fmt.Errorf("%w: unbalanced parenthesis in %q", ErrSyntax, s)
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1 : len(s)-1]), true, nil
}

func isState(s string) bool {
	switch s {
	case "OK", "WARNING", "CRITICAL", "UNKNOWN", "UP", "DOWN", "UNREACHABLE", "PENDING":
		return true
	}
	return false
}
