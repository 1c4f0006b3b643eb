package alerts

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Columns maps the fields of a [Notification] to the columns of a CSV
// export (header names) or the keys of a JSON export (dotted paths such
// as "fields.host"). Empty entries are not read. Time is required.
type Columns struct {
	Time, Host, Service, State, Type, Output, Contact, URL string
	// TimeLayout parses Time values; empty tries RFC 3339, then
	// "2006-01-02 15:04:05 -0700", "2006-01-02T15:04:05", "2006-01-02
	// 15:04:05"; numbers are Unix seconds (or milliseconds above 1e11).
	TimeLayout string
	// Location is the zone of times without one; nil means UTC.
	Location *time.Location
}

// PagerDutyColumns are the headers of PagerDuty's incident CSV export.
func PagerDutyColumns() Columns {
	return Columns{Time: "created_on", Host: "service_name", Service: "description",
		State: "urgency", Output: "description", Contact: "assigned_to"}
}

// LogstashColumns are the fields of Logstash's legacy grok pattern
// NAGIOS_SERVICE_NOTIFICATION (the contact is in nagios_notifyname;
// nagios_contact holds the notification command) with @timestamp. The
// state field may carry the type, as in "ACKNOWLEDGEMENT (CRITICAL)".
func LogstashColumns() Columns {
	return Columns{Time: "@timestamp", Host: "nagios_hostname", Service: "nagios_service",
		State: "nagios_state", Output: "nagios_message", Contact: "nagios_notifyname"}
}

// ECSColumns are the Elastic Common Schema fields of the current Nagios
// grok patterns: user.name, host.hostname, service.name, service.state,
// message and @timestamp.
func ECSColumns() Columns {
	return Columns{Time: "@timestamp", Host: "host.hostname", Service: "service.name",
		State: "service.state", Output: "message", Contact: "user.name"}
}

// SplunkColumns is a layout for a Splunk export of Nagios notifications:
// _time plus fields named after the Nagios macros (host_name,
// service_description, state, notification_type, output, contact). Map
// your own field extractions with a [Columns] value.
func SplunkColumns() Columns {
	return Columns{Time: "_time", Host: "host_name", Service: "service_description",
		State: "state", Type: "notification_type", Output: "output", Contact: "contact"}
}

// ParsePagerDutyCSV reads a CSV export with a header row (PagerDuty
// incidents, or any alert CSV) and maps its columns with cols. Every
// named column must exist in the header. Rows of at most [MaxLineBytes]
// each; a bad row is a [*ParseError] naming its line.
func ParsePagerDutyCSV(r io.Reader, cols Columns) ([]Notification, error) {
	cr := csv.NewReader(&boundedReader{r: bufio.NewReader(r), max: MaxLineBytes})
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("alerts: csv header: %w", err)
	}
	idx := make(map[string]int, len(head))
	for i, h := range head {
		idx[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	var out []Notification
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			line := 0 // FieldPos may not be called after an error
			if pe, ok := errors.AsType[*csv.ParseError](err); ok {
				line = pe.Line
			}
			return nil, newParseError(line, "", err)
		}
		line, _ := cr.FieldPos(0)
		get := func(col string) (string, error) {
			if col == "" {
				return "", nil
			}
			i, ok := idx[col]
			if !ok {
				return "", &FieldError{Field: col, Err: fmt.Errorf("%w: no such column", ErrMissing)}
			}
			if i >= len(rec) {
				return "", nil
			}
			return rec[i], nil
		}
		n, err := mapFields(get, cols, SourcePagerDuty)
		if err != nil {
			return nil, newParseError(line, strings.Join(rec, ","), err)
		}
		out = append(out, n)
	}
}

// ParseJSONExport reads a Logstash/Elasticsearch or Splunk export:
// NDJSON (one object a line), a JSON array of objects, an Elasticsearch
// search response ({"hits":{"hits":[{"_source":{...}}]}}) or Splunk's
// export lines ({"result":{...}}). Fields are mapped with cols; source
// is stored in each notification's Source. At most [MaxPayloadBytes].
func ParseJSONExport(r io.Reader, source string, cols Columns) ([]Notification, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxPayloadBytes+1))
	if err != nil {
		return nil, fmt.Errorf("alerts: reading export: %w", err)
	}
	if len(body) > MaxPayloadBytes {
		return nil, fmt.Errorf("%w: export over %d bytes", ErrTooLong, MaxPayloadBytes)
	}
	trimmed := bytes.TrimSpace(body)
	var docs []map[string]any
	var lines []int
	switch {
	case len(trimmed) == 0:
		return nil, nil
	case trimmed[0] == '[':
		if err := json.Unmarshal(trimmed, &docs); err != nil {
			return nil, newParseError(1, "", fmt.Errorf("%w: %w", ErrSyntax, err))
		}
		for i := range docs {
			lines = append(lines, i+1)
		}
	default:
		var es struct {
			Hits *struct {
				Hits []struct {
					Source map[string]any `json:"_source"`
				} `json:"hits"`
			} `json:"hits"`
		}
		if json.Unmarshal(trimmed, &es) == nil && es.Hits != nil {
			for i, h := range es.Hits.Hits {
				docs = append(docs, h.Source)
				lines = append(lines, i+1)
			}
			break
		}
		for i, l := range bytes.Split(body, []byte("\n")) {
			l = bytes.TrimSpace(l)
			if len(l) == 0 {
				continue
			}
			var d map[string]any
			if err := json.Unmarshal(l, &d); err != nil {
				return nil, newParseError(i+1, string(l), fmt.Errorf("%w: %w", ErrSyntax, err))
			}
			if res, ok := d["result"].(map[string]any); ok {
				d = res
			}
			docs = append(docs, d)
			lines = append(lines, i+1)
		}
	}
	out := make([]Notification, 0, len(docs))
	for i, d := range docs {
		get := func(path string) (string, error) {
			if path == "" {
				return "", nil
			}
			return jsonPath(d, path), nil
		}
		n, err := mapFields(get, cols, source)
		if err != nil {
			return nil, newParseError(lines[i], "", err)
		}
		out = append(out, n)
	}
	return out, nil
}

func jsonPath(d map[string]any, path string) string {
	if v, ok := d[path]; ok {
		return scalar(v)
	}
	cur := any(d)
	for part := range strings.SplitSeq(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = m[part]
	}
	return scalar(cur)
}

func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		if len(x) > 0 {
			return scalar(x[0])
		}
	}
	return ""
}

func mapFields(get func(string) (string, error), c Columns, source string) (Notification, error) {
	n := Notification{Source: source}
	if c.Time == "" {
		return n, &FieldError{Field: "time", Err: fmt.Errorf("%w: no time column", ErrMissing)}
	}
	for _, f := range []struct {
		col string
		dst *string
	}{{c.Host, &n.Host}, {c.Service, &n.Service}, {c.State, &n.State}, {c.Output, &n.Output},
		{c.Contact, &n.Contact}, {c.URL, &n.URL}} {
		v, err := get(f.col)
		if err != nil {
			return n, err
		}
		*f.dst = v
	}
	if c.Service == c.Output && c.Service != "" { // PagerDuty: description is both
		n.Service = firstLine(n.Service)
	}
	ts, err := get(c.Time)
	if err != nil {
		return n, err
	}
	if n.Time, err = parseExportTime(ts, c); err != nil {
		return n, &FieldError{Field: c.Time, Value: ts, Err: err}
	}
	if n.Host == "" {
		return n, &FieldError{Field: c.Host, Err: ErrMissing}
	}
	n.State = strings.ToUpper(n.State)
	typ, err := get(c.Type)
	if err != nil {
		return n, err
	}
	if typ != "" {
		t, ok := ParseType(typ)
		if !ok {
			return n, &FieldError{Field: c.Type, Value: typ, Err: ErrUnknownType}
		}
		n.Type = t
		return n, nil
	}
	// The state field may carry the type, as Nagios logs it:
	// "ACKNOWLEDGEMENT (CRITICAL)", "FLAPPINGSTART (OK)", "RECOVERY".
	if word, paren, hasParen, err := splitTypeState(n.State); err == nil {
		if t, ok := ParseType(word); ok {
			n.Type, n.State = t, paren
			if !hasParen && t == Recovery {
				n.State = "OK"
			}
			return n, nil
		}
	}
	if n.State == "OK" || n.State == "UP" || n.State == "RESOLVED" {
		n.Type = Recovery
	}
	return n, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func parseExportTime(s string, c Columns) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, ErrMissing
	}
	loc := c.Location
	if loc == nil {
		loc = time.UTC
	}
	if c.TimeLayout != "" {
		t, err := time.ParseInLocation(c.TimeLayout, s, loc)
		if err != nil {
			return time.Time{}, ErrSyntax
		}
		return t.UTC(), nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if math.IsNaN(f) || f < 0 || f > 1e14 {
			return time.Time{}, ErrSyntax
		}
		if f > 1e11 {
			return time.UnixMilli(int64(f)).UTC(), nil
		}
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
	}
	for _, l := range []string{time.RFC3339Nano, "2006-01-02 15:04:05 -0700", "2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, ErrSyntax
}

// boundedReader fails a read once a single line grows past max bytes, so
// encoding/csv cannot be made to buffer an unbounded record.
type boundedReader struct {
	r    *bufio.Reader
	max  int
	line int
}

func (b *boundedReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	for _, c := range p[:n] {
		if c == '\n' {
			b.line = 0
			continue
		}
		b.line++
		if b.line > b.max {
			return 0, fmt.Errorf("%w: line over %d bytes", ErrTooLong, b.max)
		}
	}
	return n, err
}
