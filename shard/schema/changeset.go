package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/craftkit/craftkit/internal/atomicfile"
)

// FormatVersion is the changeset file format this package writes and reads.
const FormatVersion = 1

// MaxChangesetBytes bounds a changeset file [ReadChangeset] accepts.
const MaxChangesetBytes = 64 << 20

// Status is where a changeset is in its life.
type Status string

// Statuses. A changeset is a draft until linted and dry-run; the runner
// takes it from ready to done (or aborted), through running and paused.
const (
	StatusDraft   Status = "draft"
	StatusFailed  Status = "failed" // lint or dry run failed; see Lint and DryRun
	StatusReady   Status = "ready"  // lint and dry run passed
	StatusRunning Status = "running"
	StatusPaused  Status = "paused"
	StatusDone    Status = "done"
	StatusAborted Status = "aborted" // every side was put back in; the change may be partly applied
)

func (s Status) valid() bool {
	switch s {
	case StatusDraft, StatusFailed, StatusReady, StatusRunning, StatusPaused, StatusDone, StatusAborted:
		return true
	}
	return false
}

// Changeset is a schema change: the recipe (SQL, author, time), its
// checks (lint findings, dry-run result, expected checksums) and the
// record of applying it (status and step log). It is stored as JSON
// ([Changeset.WriteFile], [ReadChangeset]).
//
// A Changeset is not safe for concurrent use; the [Runner] that applies
// it owns it while it runs.
type Changeset struct {
	Format  int       `json:"format"`
	ID      string    `json:"id"`
	Author  string    `json:"author"`
	Created time.Time `json:"created"`
	// SQL is the change: statements separated by ";".
	SQL    string    `json:"sql"`
	Status Status    `json:"status"`
	Lint   []Finding `json:"lint"`
	// Linted is when Lint was filled; zero if never.
	Linted time.Time `json:"linted,omitzero"`
	DryRun *DryRun   `json:"dry_run,omitempty"`
	// Checksums maps each table the change touches to the checksum its
	// definition must have afterwards (see [Checksummer]).
	Checksums map[string]string `json:"checksums,omitempty"`
	Log       []Step            `json:"log"`
}

// DryRun is the result of applying a changeset to a scratch database
// holding the current schema and no data.
type DryRun struct {
	At time.Time `json:"at"`
	OK bool      `json:"ok"`
	// Statements is the number of changeset statements run.
	Statements int `json:"statements"`
	// BaseStatements is the number of schema statements loaded first.
	BaseStatements int              `json:"base_statements"`
	Errors         []StatementError `json:"errors,omitempty"`
	// Checksums, recorded when a Checksummer was given, holds the
	// checksums of the tables the changeset touches before its first
	// statement (index 0) and after each statement i (index i). A runner
	// resuming after a crash uses them to tell whether an interrupted
	// statement ran.
	Checksums []map[string]string `json:"checksums,omitempty"`
}

// StatementError is one statement that failed.
type StatementError struct {
	// Stage is "base" (loading the current schema) or "change".
	Stage string `json:"stage"`
	// Index is the 1-based statement number in its script.
	Index int    `json:"index"`
	Line  int    `json:"line"`
	SQL   string `json:"sql"`
	Err   string `json:"error"`
}

// Step is one entry of a changeset's log.
type Step struct {
	Seq int       `json:"seq"`
	At  time.Time `json:"at"`
	// Side is the side the step concerns ("A", "B"), or "" for the whole run.
	Side string `json:"side,omitempty"`
	// Server names the database, never its DSN.
	Server string `json:"server,omitempty"`
	// Statement is the 1-based changeset statement an "apply" step runs.
	Statement int    `json:"statement,omitempty"`
	Action    string `json:"action"`
	// State is "begin", "ok", "failed", "paused" or "info".
	State  string `json:"state"`
	Detail string `json:"detail,omitempty"`
}

// Step states.
const (
	StateBegin  = "begin"
	StateOK     = "ok"
	StateFailed = "failed"
	StatePaused = "paused"
	StateInfo   = "info"
)

// ErrChangeset reports an invalid changeset file or value.
var ErrChangeset = errors.New("schema: invalid changeset")

// ChangesetError describes what is wrong with a changeset: the file (if
// any), the field and the reason. It matches [ErrChangeset].
type ChangesetError struct {
	Path   string
	Field  string
	Reason string
	Err    error // underlying cause, e.g. a JSON syntax error; may be nil
}

// Error returns e.g. `schema: cs.json: field "author": empty`.
func (e *ChangesetError) Error() string {
	var b strings.Builder
	b.WriteString("schema: ")
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %q: ", e.Field)
	}
	b.WriteString(e.Reason)
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns ErrChangeset and the cause.
func (e *ChangesetError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrChangeset, e.Err}
	}
	return []error{ErrChangeset}
}

// NewChangeset returns a draft changeset.
func NewChangeset(id, author, sql string, created time.Time) (*Changeset, error) {
	c := &Changeset{Format: FormatVersion, ID: id, Author: author, Created: created.UTC(), SQL: sql,
		Status: StatusDraft, Lint: []Finding{}, Log: []Step{}}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// Validate checks the fields a changeset must have.
func (c *Changeset) Validate() error {
	switch {
	case c.Format != FormatVersion:
		return &ChangesetError{Field: "format", Reason: fmt.Sprintf("version %d, want %d", c.Format, FormatVersion)}
	case strings.TrimSpace(c.ID) == "" || strings.ContainsAny(c.ID, "/\\\x00"):
		return &ChangesetError{Field: "id", Reason: fmt.Sprintf("%q: want a non-empty name without slashes", c.ID)}
	case strings.TrimSpace(c.Author) == "":
		return &ChangesetError{Field: "author", Reason: "empty"}
	case c.Created.IsZero():
		return &ChangesetError{Field: "created", Reason: "missing"}
	case strings.TrimSpace(c.SQL) == "":
		return &ChangesetError{Field: "sql", Reason: "empty"}
	case !c.Status.valid():
		return &ChangesetError{Field: "status", Reason: fmt.Sprintf("unknown status %q", c.Status)}
	}
	for i, s := range c.Log {
		if s.Seq != i+1 {
			return &ChangesetError{Field: "log", Reason: fmt.Sprintf("entry %d has seq %d", i+1, s.Seq)}
		}
	}
	return nil
}

// RunLint lints the changeset's SQL, records the findings and sets the
// status to failed when a finding is an error (a draft stays a draft
// otherwise, until [Changeset.RunDryRun] passes).
func (c *Changeset) RunLint(opts *Options, now time.Time) []Finding {
	c.Lint = Lint(c.SQL, opts)
	if c.Lint == nil {
		c.Lint = []Finding{}
	}
	c.Linted = now.UTC()
	if Failed(c.Lint) {
		c.Status = StatusFailed
	}
	c.AddStep(Step{At: now, Action: "lint", State: okOrFailed(!Failed(c.Lint)),
		Detail: fmt.Sprintf("%d findings", len(c.Lint))})
	return c.Lint
}

func okOrFailed(ok bool) string {
	if ok {
		return StateOK
	}
	return StateFailed
}

// AddStep appends s to the log, numbering it.
func (c *Changeset) AddStep(s Step) {
	s.Seq = len(c.Log) + 1
	s.At = s.At.UTC()
	c.Log = append(c.Log, s)
}

// Tables returns the tables the changeset's SQL creates or alters, in
// order of first mention.
func (c *Changeset) Tables() []string {
	m := read(c.SQL)
	var out []string
	for _, t := range m.order {
		if !slices.Contains(out, t.name) {
			out = append(out, t.name)
		}
	}
	return out
}

// Marshal returns the changeset as indented JSON.
func (c *Changeset) Marshal() ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("schema: encoding changeset %q: %w", c.ID, err)
	}
	return append(b, '\n'), nil
}

// ParseChangeset decodes and validates a changeset. Unknown fields are errors.
func ParseChangeset(data []byte) (*Changeset, error) {
	var c Changeset
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, &ChangesetError{Reason: "malformed JSON", Err: err}
	}
	if dec.More() {
		return nil, &ChangesetError{Reason: "data after the changeset object"}
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Lint == nil {
		c.Lint = []Finding{}
	}
	if c.Log == nil {
		c.Log = []Step{}
	}
	return &c, nil
}

// ReadChangeset reads a changeset file of at most [MaxChangesetBytes].
// Errors name the path.
func ReadChangeset(path string) (*Changeset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxChangesetBytes+1))
	if err != nil {
		return nil, fmt.Errorf("schema: reading %s: %w", path, err)
	}
	if len(data) > MaxChangesetBytes {
		return nil, &ChangesetError{Path: path, Reason: fmt.Sprintf("file over %d bytes", MaxChangesetBytes)}
	}
	c, err := ParseChangeset(data)
	if err != nil {
		var ce *ChangesetError
		if errors.As(err, &ce) {
			ce.Path = path
		}
		return nil, err
	}
	return c, nil
}

// WriteFile stores the changeset at path atomically: it writes a
// temporary file in the same directory, syncs it, renames it over path
// and syncs the directory, so a crash leaves the old or the new record,
// never a torn one.
func (c *Changeset) WriteFile(path string) error {
	data, err := c.Marshal()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(path, data); err != nil {
		return fmt.Errorf("schema: writing %s: %w", path, err)
	}
	return nil
}
