package alerts

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Level marks how bad a table row or value is. The zero Level is
// [LevelOK].
type Level uint8

// Row levels, used to highlight breaching rows.
const (
	LevelOK Level = iota
	LevelWarning
	LevelCritical
)

// String returns "ok", "warning" or "critical".
func (l Level) String() string {
	switch l {
	case LevelWarning:
		return "warning"
	case LevelCritical:
		return "critical"
	}
	return "ok"
}

// Row is a table row with its level.
type Row struct {
	Cells []string
	Level Level
}

// Table is a small table: a header and rows.
type Table struct {
	Header []string
	Rows   []Row
}

// Link is a hyperlink.
type Link struct {
	Text, URL string
}

// Chart is an SVG chart with an ID (the MIME Content-ID) and a text
// alternative.
type Chart struct {
	ID  string // unique within the message, [a-z0-9.-]
	Alt string
	SVG []byte
}

// Block is one named section of context a formatter adds: preformatted
// lines, a table, charts and links, any of them optional.
type Block struct {
	Title  string
	Lines  []string
	Table  *Table
	Charts []Chart
	Links  []Link
}

// Message is a notification with its context, ready to render as plain
// text, pager text, HTML or MIME (see the Render functions). Every field
// holds plain text; renderers escape.
type Message struct {
	Notification Notification
	Subject      string
	Short        string // pager text before the length limit
	Blocks       []Block
}

// Formatter adds context to a message. Implementations must handle
// every notification [Type] (at least by adding nothing) and must not
// fail on odd plugin output: they leave out what they cannot parse and
// may add a block saying so.
type Formatter interface {
	Format(ctx context.Context, n Notification, m *Message) error
}

// FormatterFunc adapts a function to [Formatter].
type FormatterFunc func(ctx context.Context, n Notification, m *Message) error

// Format calls f.
func (f FormatterFunc) Format(ctx context.Context, n Notification, m *Message) error {
	return f(ctx, n, m)
}

// FormatterLabel is the label that names a notification's formatter,
// from the Nagios service custom variable _message_formatter_name (see
// [ParseEnv]).
const FormatterLabel = "_message_formatter_name"

// Registry picks a formatter per notification: by the notification's
// [FormatterLabel], else by Services (service name → formatter name),
// else by Default; unknown names fall back to the base formatter only.
// The base formatter (subject, pager text, output, long output,
// acknowledgement/downtime/flapping/custom details, links) always runs
// first. Register before use; a Registry is safe for concurrent
// [Registry.Format] calls once registration is over.
type Registry struct {
	// Services maps a service description to a formatter name.
	Services map[string]string
	// Default names the formatter for notifications matched by neither
	// the label nor Services; empty means the base formatter only.
	Default string
	// Extra formatters run after the chosen one, for every notification
	// (for example "frequency").
	Extra []string

	formatters map[string]Formatter
}

// Register adds (or replaces) the formatter called name.
func (r *Registry) Register(name string, f Formatter) {
	if r.formatters == nil {
		r.formatters = make(map[string]Formatter)
	}
	r.formatters[name] = f
}

// Names returns the registered names, sorted.
func (r *Registry) Names() []string {
	return slices.Sorted(maps.Keys(r.formatters))
}

// Choose returns the formatter name for n and whether it is registered.
func (r *Registry) Choose(n Notification) (string, bool) {
	name := n.Labels[FormatterLabel]
	if name == "" {
		name = r.Services[n.Service]
	}
	if name == "" {
		name = r.Default
	}
	_, ok := r.formatters[name]
	return name, ok
}

// Format builds the message for n: the base formatter, then the chosen
// one (if registered), then the Extra ones. A formatter error is
// returned with its name; the message built so far is returned too.
func (r *Registry) Format(ctx context.Context, n Notification) (*Message, error) {
	m := &Message{Notification: n}
	if err := (BaseFormatter{}).Format(ctx, n, m); err != nil {
		return m, err
	}
	names := []string{}
	if name, ok := r.Choose(n); ok {
		names = append(names, name)
	}
	for _, e := range r.Extra {
		if !slices.Contains(names, e) {
			names = append(names, e)
		}
	}
	for _, name := range names {
		f, ok := r.formatters[name]
		if !ok {
			continue
		}
		if err := f.Format(ctx, n, m); err != nil {
			return m, fmt.Errorf("alerts: formatter %s: %w", name, err)
		}
	}
	return m, nil
}

// NewDefaultRegistry returns a registry with the formatters of this
// package under their nagios-herald names: "check_disk", "check_cpu",
// "check_load", "check_memory" (the data-free ones; add "graphs" and
// "frequency" with their providers yourself). It chooses check_disk,
// check_cpu and check_memory for the services "Disk Space", "CPU" and
// "Memory".
func NewDefaultRegistry() *Registry {
	r := &Registry{Services: map[string]string{"Disk Space": "check_disk", "CPU": "check_cpu", "Memory": "check_memory", "Load": "check_load"}}
	r.Register("check_disk", &DiskFormatter{})
	r.Register("check_cpu", FormatterFunc(formatCPU))
	r.Register("check_load", FormatterFunc(formatLoad))
	r.Register("check_memory", FormatterFunc(formatMemory))
	return r
}

// BaseFormatter writes what every message has: the subject, the pager
// text, the output, long output, the author and comment of
// acknowledgements and custom notifications, and the notification's URL.
type BaseFormatter struct{}

// Format fills the base sections of m.
func (BaseFormatter) Format(_ context.Context, n Notification, m *Message) error {
	what := n.Host
	kind := "Host"
	if n.Service != "" {
		what = n.Host + "/" + n.Service
		kind = "Service"
	}
	state := n.State
	if state == "" {
		state = "UNKNOWN"
	}
	var verb string
	switch n.Type {
	case Problem:
		verb = "is " + state
	case Recovery:
		verb = "recovered (" + state + ")"
	case Acknowledgement:
		verb = "acknowledged (" + state + ")"
	case FlappingStart:
		verb = "started flapping (" + state + ")"
	case FlappingStop:
		verb = "stopped flapping (" + state + ")"
	case FlappingDisabled:
		verb = "flap detection disabled (" + state + ")"
	case DowntimeStart:
		verb = "entered scheduled downtime (" + state + ")"
	case DowntimeEnd:
		verb = "left scheduled downtime (" + state + ")"
	case DowntimeCancelled:
		verb = "scheduled downtime cancelled (" + state + ")"
	case Custom:
		verb = "custom notification (" + state + ")"
	default:
		verb = n.Type.String() + " (" + state + ")"
	}
	m.Subject = fmt.Sprintf("** %s %s Alert: %s %s **", n.Type, kind, what, verb)
	m.Short = fmt.Sprintf("%s %s %s: %s", n.Type, what, state, firstLine(n.Output))
	lines := []string{
		"Time: " + n.Time.UTC().Format(time.RFC1123Z),
		"Host: " + n.Host,
	}
	if n.Service != "" {
		lines = append(lines, "Service: "+n.Service)
	}
	lines = append(lines, "State: "+state, "Type: "+n.Type.String())
	if n.Author != "" || n.Comment != "" {
		lines = append(lines, "By: "+n.Author, "Comment: "+n.Comment)
		m.Short += " [" + n.Author + ": " + n.Comment + "]"
	}
	m.Blocks = append(m.Blocks, Block{Title: "Alert", Lines: lines})
	if n.Output != "" {
		m.Blocks = append(m.Blocks, Block{Title: "Output", Lines: strings.Split(n.Output, "\n")})
	}
	if strings.TrimSpace(n.LongOutput) != "" {
		m.Blocks = append(m.Blocks, Block{Title: "Details", Lines: strings.Split(strings.Trim(n.LongOutput, "\n"), "\n")})
	}
	if n.URL != "" {
		m.Blocks = append(m.Blocks, Block{Title: "Links", Links: []Link{{Text: "Runbook / notes", URL: n.URL}}})
	}
	return nil
}
