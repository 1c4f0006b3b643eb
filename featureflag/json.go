package featureflag

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The configuration reader is a small JSON parser of its own rather than
// encoding/json: it keeps object keys in document order (Etsy's cumulative
// layout and the stable layout's lanes depend on it), reports duplicate
// keys, records the line of every value for error messages, and bounds
// nesting depth.

type kind uint8

const (
	kNull kind = iota
	kBool
	kNumber
	kString
	kArray
	kObject
)

func (k kind) String() string {
	return [...]string{"null", "boolean", "number", "string", "array", "object"}[k]
}

// node is one parsed JSON value.
type node struct {
	kind kind
	line int
	b    bool
	num  float64
	str  string // string value
	arr  []node
	obj  []member
}

type member struct {
	key string
	val node
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 32

type jsonError struct {
	line int
	msg  string
}

func (e *jsonError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

type reader struct {
	data []byte
	pos  int
	line int
	// Members and elements of the objects and arrays being read, as
	// stacks: each value's are copied out at its end in one allocation.
	members []member
	elems   []node
}

// parseJSON parses one JSON document.
func parseJSON(data []byte) (node, error) {
	r := reader{data: data, line: 1}
	r.space()
	n, err := r.value(0)
	if err != nil {
		return node{}, err
	}
	r.space()
	if r.pos < len(r.data) {
		return node{}, r.errorf("unexpected %q after the document", r.data[r.pos])
	}
	return n, nil
}

func (r *reader) errorf(format string, args ...any) error {
	return &jsonError{line: r.line, msg: fmt.Sprintf(format, args...)}
}

func (r *reader) space() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case '\n':
			r.line++
		case ' ', '\t', '\r':
		default:
			return
		}
		r.pos++
	}
}

func (r *reader) value(depth int) (node, error) {
	if depth > maxDepth {
		return node{}, r.errorf("nesting deeper than %d", maxDepth)
	}
	if r.pos >= len(r.data) {
		return node{}, r.errorf("unexpected end of input")
	}
	line := r.line
	switch c := r.data[r.pos]; {
	case c == '{':
		return r.object(depth)
	case c == '[':
		return r.array(depth)
	case c == '"':
		s, err := r.string()
		return node{kind: kString, line: line, str: s}, err
	case c == '-' || (c >= '0' && c <= '9'):
		return r.number()
	case r.literal("true"):
		return node{kind: kBool, line: line, b: true}, nil
	case r.literal("false"):
		return node{kind: kBool, line: line}, nil
	case r.literal("null"):
		return node{kind: kNull, line: line}, nil
	default:
		return node{}, r.errorf("unexpected %q", c)
	}
}

func (r *reader) literal(s string) bool {
	if len(r.data)-r.pos >= len(s) && string(r.data[r.pos:r.pos+len(s)]) == s {
		r.pos += len(s)
		return true
	}
	return false
}

func (r *reader) object(depth int) (node, error) {
	n := node{kind: kObject, line: r.line}
	var keys map[string]struct{} // set once the object has 16 keys
	base := len(r.members)
	defer func() { r.members = r.members[:base] }()
	r.pos++ // {
	r.space()
	if r.pos < len(r.data) && r.data[r.pos] == '}' {
		r.pos++
		return n, nil
	}
	for {
		r.space()
		if r.pos >= len(r.data) || r.data[r.pos] != '"' {
			return node{}, r.errorf("expected a quoted object key")
		}
		keyLine := r.line
		key, err := r.string()
		if err != nil {
			return node{}, err
		}
		dup := false
		if keys != nil {
			_, dup = keys[key]
			keys[key] = struct{}{}
		} else {
			for _, m := range r.members[base:] {
				dup = dup || m.key == key
			}
			if len(r.members)-base == 16 {
				keys = make(map[string]struct{}, 64)
				for _, m := range r.members[base:] {
					keys[m.key] = struct{}{}
				}
				keys[key] = struct{}{}
			}
		}
		if dup {
			return node{}, &jsonError{line: keyLine, msg: fmt.Sprintf("duplicate key %q", key)}
		}
		r.space()
		if r.pos >= len(r.data) || r.data[r.pos] != ':' {
			return node{}, r.errorf("expected ':' after key %q", key)
		}
		r.pos++
		r.space()
		v, err := r.value(depth + 1)
		if err != nil {
			return node{}, err
		}
		r.members = append(r.members, member{key, v})
		r.space()
		if r.pos >= len(r.data) {
			return node{}, r.errorf("unexpected end of input in object")
		}
		switch r.data[r.pos] {
		case ',':
			r.pos++
		case '}':
			r.pos++
			n.obj = append([]member(nil), r.members[base:]...)
			return n, nil
		default:
			return node{}, r.errorf("expected ',' or '}' in object, found %q", r.data[r.pos])
		}
	}
}

func (r *reader) array(depth int) (node, error) {
	n := node{kind: kArray, line: r.line}
	base := len(r.elems)
	defer func() { r.elems = r.elems[:base] }()
	r.pos++ // [
	r.space()
	if r.pos < len(r.data) && r.data[r.pos] == ']' {
		r.pos++
		return n, nil
	}
	for {
		r.space()
		v, err := r.value(depth + 1)
		if err != nil {
			return node{}, err
		}
		r.elems = append(r.elems, v)
		r.space()
		if r.pos >= len(r.data) {
			return node{}, r.errorf("unexpected end of input in array")
		}
		switch r.data[r.pos] {
		case ',':
			r.pos++
		case ']':
			r.pos++
			n.arr = append([]node(nil), r.elems[base:]...)
			return n, nil
		default:
			return node{}, r.errorf("expected ',' or ']' in array, found %q", r.data[r.pos])
		}
	}
}

func (r *reader) number() (node, error) {
	line, start := r.line, r.pos
	if r.data[r.pos] == '-' {
		r.pos++
	}
	digits := func() int {
		s := r.pos
		for r.pos < len(r.data) && r.data[r.pos] >= '0' && r.data[r.pos] <= '9' {
			r.pos++
		}
		return r.pos - s
	}
	intStart := r.pos
	if nd := digits(); nd == 0 || (nd > 1 && r.data[intStart] == '0') {
		return node{}, r.errorf("invalid number %q", r.data[start:r.pos])
	}
	if r.pos < len(r.data) && r.data[r.pos] == '.' {
		r.pos++
		if digits() == 0 {
			return node{}, r.errorf("invalid number %q", r.data[start:r.pos])
		}
	}
	if r.pos < len(r.data) && (r.data[r.pos] == 'e' || r.data[r.pos] == 'E') {
		r.pos++
		if r.pos < len(r.data) && (r.data[r.pos] == '+' || r.data[r.pos] == '-') {
			r.pos++
		}
		if digits() == 0 {
			return node{}, r.errorf("invalid number %q", r.data[start:r.pos])
		}
	}
	f, err := strconv.ParseFloat(string(r.data[start:r.pos]), 64)
	if err != nil {
		return node{}, &jsonError{line: line, msg: fmt.Sprintf("number %s out of range", r.data[start:r.pos])}
	}
	return node{kind: kNumber, line: line, num: f}, nil
}

// string reads a quoted string at r.pos (which holds '"').
func (r *reader) string() (string, error) {
	r.pos++
	start := r.pos
	// Fast path: no escapes.
	for r.pos < len(r.data) {
		c := r.data[r.pos]
		if c == '"' {
			s := r.data[start:r.pos]
			r.pos++
			if !utf8.Valid(s) {
				return "", r.errorf("invalid UTF-8 in string")
			}
			return intern(s), nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", r.errorf("control character in string")
		}
		r.pos++
	}
	buf := append([]byte(nil), r.data[start:r.pos]...)
	for r.pos < len(r.data) {
		c := r.data[r.pos]
		switch {
		case c == '"':
			r.pos++
			if !utf8.Valid(buf) {
				return "", r.errorf("invalid UTF-8 in string")
			}
			return string(buf), nil
		case c < 0x20:
			return "", r.errorf("control character in string")
		case c != '\\':
			buf = append(buf, c)
			r.pos++
			continue
		}
		r.pos++
		if r.pos >= len(r.data) {
			break
		}
		e := r.data[r.pos]
		r.pos++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			c1, ok := r.hex4()
			if !ok {
				return "", r.errorf("invalid \\u escape")
			}
			if utf16.IsSurrogate(c1) {
				if r.pos+1 < len(r.data) && r.data[r.pos] == '\\' && r.data[r.pos+1] == 'u' {
					r.pos += 2
					c2, ok := r.hex4()
					if !ok {
						return "", r.errorf("invalid \\u escape")
					}
					c1 = utf16.DecodeRune(c1, c2)
				} else {
					c1 = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, c1)
		default:
			return "", r.errorf("invalid escape '\\%c'", e)
		}
	}
	return "", r.errorf("unterminated string")
}

func (r *reader) hex4() (rune, bool) {
	if len(r.data)-r.pos < 4 {
		return 0, false
	}
	var v rune
	for _, c := range r.data[r.pos : r.pos+4] {
		v <<= 4
		switch {
		case c >= '0' && c <= '9':
			v |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			v |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			v |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	r.pos += 4
	return v, true
}

// intern returns the config keys and words that recur in every flag
// without allocating.
func intern(b []byte) string {
	switch string(b) {
	case "enabled":
		return "enabled"
	case "users":
		return "users"
	case "groups":
		return "groups"
	case "admin":
		return "admin"
	case "internal":
		return "internal"
	case "on":
		return "on"
	case "off":
		return "off"
	case "public_url_override":
		return "public_url_override"
	case "bucketing":
		return "bucketing"
	case "params":
		return "params"
	case "type":
		return "type"
	case "default":
		return "default"
	case "variants":
		return "variants"
	case "environments":
		return "environments"
	case "start":
		return "start"
	case "end":
		return "end"
	case "attributes":
		return "attributes"
	}
	return string(b)
}
