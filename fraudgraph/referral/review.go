package referral

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
)

// Grounds is the evidence behind a task or a status: what was shared,
// how the accounts link, what was at stake. It is a plain value.
type Grounds struct {
	Credit CreditType `json:"credit"`
	Amount Money      `json:"amount"`
	Stake  Money      `json:"stake"`
	Score  float64    `json:"score"`
	// Kinds are the signal kinds that raised the score: fingerprint kinds
	// shared with the inviter, and "ring".
	Kinds []string `json:"kinds"`
	// Paths and Shared are the [fraudgraph.Explanation] of the invitee
	// and their inviter.
	Paths  []fraudgraph.Path     `json:"paths,omitempty"`
	Shared []fraudgraph.Evidence `json:"shared,omitempty"`
	// Signals are the account's ring signals.
	Signals *fraudgraph.Signals `json:"signals,omitempty"`
}

// Task is a manual review task. It is a plain value.
type Task struct {
	ID      uint64            `json:"id"`
	Opened  time.Time         `json:"opened"`
	Account uint64            `json:"account"`
	Inviter uint64            `json:"inviter,omitempty"`
	Action  fraudgraph.Action `json:"action"`
	// Rules are the risk rules that fired (see [Reason]).
	Rules   []string `json:"rules"`
	Reasons []Reason `json:"reasons"`
	Grounds Grounds  `json:"grounds"`
}

// Verdict is a reviewer's outcome on a task. It is a plain value.
type Verdict struct {
	Task     uint64    `json:"task"`
	Reviewer string    `json:"reviewer"`
	At       time.Time `json:"at"`
	Fraud    bool      `json:"fraud"`
	Note     string    `json:"note,omitempty"`
}

// Record is one journal entry: exactly one of its fields is set. It is a
// plain value.
type Record struct {
	Task    *Task    `json:"task,omitempty"`
	Verdict *Verdict `json:"verdict,omitempty"`
	Status  *Status  `json:"status,omitempty"`
}

func (r Record) valid() bool {
	n := 0
	for _, set := range []bool{r.Task != nil, r.Verdict != nil, r.Status != nil} {
		if set {
			n++
		}
	}
	return n == 1
}

// Sink receives the programme's review tasks, verdicts and statuses, in
// order. A [Programme] calls Append with its lock held, from one
// goroutine at a time.
type Sink interface {
	Append(Record) error
}

// MemorySink keeps records in memory. The zero MemorySink is empty and
// ready to use; it is safe for concurrent use.
type MemorySink struct {
	mu   sync.Mutex
	recs []Record
}

// Append stores r.
func (m *MemorySink) Append(r Record) error {
	if !r.valid() {
		return fmt.Errorf("%w: want exactly one of task, verdict and status", ErrJournal)
	}
	m.mu.Lock()
	m.recs = append(m.recs, r)
	m.mu.Unlock()
	return nil
}

// Records returns the records stored so far.
func (m *MemorySink) Records() []Record {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.recs)
}

// ErrJournal reports a damaged journal.
var ErrJournal = errors.New("referral: damaged journal")

// maxLine bounds one journal line.
const maxLine = 1 << 20

// ReadJournal reads a JSON Lines journal as [FileSink] writes it. It
// returns the records and the length of the intact prefix: a last record
// without its newline (a write cut short by a crash) is left out and not
// an error. A complete line that is not a valid record, or a line longer
// than 1 MiB, is an error wrapping [ErrJournal] naming the line.
func ReadJournal(r io.Reader) ([]Record, int64, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var recs []Record
	var good int64
	for line := 1; ; line++ {
		b, err := br.ReadSlice('\n')
		for errors.Is(err, bufio.ErrBufferFull) {
			if len(b) > maxLine {
				return recs, good, fmt.Errorf("%w: line %d longer than %d bytes", ErrJournal, line, maxLine)
			}
			var more []byte
			more, err = br.ReadSlice('\n')
			b = append(slices.Clone(b), more...)
		}
		if err == io.EOF {
			return recs, good, nil // a torn last record, or none
		}
		if err != nil {
			return recs, good, err
		}
		if len(b) > maxLine {
			return recs, good, fmt.Errorf("%w: line %d longer than %d bytes", ErrJournal, line, maxLine)
		}
		var rec Record
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rec); err != nil {
			return recs, good, fmt.Errorf("%w: line %d: %w", ErrJournal, line, err)
		}
		if !rec.valid() {
			return recs, good, fmt.Errorf("%w: line %d: want exactly one of task, verdict and status", ErrJournal, line)
		}
		recs = append(recs, rec)
		good += int64(len(b))
	}
}

// FileSink appends records to a JSON Lines file, one record per line,
// and syncs the file after each, so an acknowledged record survives a
// crash of the process or the machine.
//
// The zero FileSink is not usable; call [OpenFile]. A FileSink is safe
// for concurrent use.
type FileSink struct {
	mu   sync.Mutex
	f    *os.File
	recs []Record
	torn int64
	buf  []byte
}

// OpenFile opens or creates the journal name. It reads the records
// already there (see [FileSink.Records]); a torn last record is cut off
// the file (see [FileSink.Torn]), a damaged one is an error.
func OpenFile(name string) (*FileSink, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("referral: %w", err)
	}
	recs, good, err := ReadJournal(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	end, err := f.Seek(0, io.SeekEnd)
	if err == nil && end > good {
		if err = f.Truncate(good); err == nil {
			err = f.Sync()
		}
	}
	if err == nil {
		_, err = f.Seek(good, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("referral: %s: %w", name, err)
	}
	return &FileSink{f: f, recs: recs, torn: end - good}, nil
}

// Records returns the records the file held when it was opened.
func (s *FileSink) Records() []Record { return slices.Clone(s.recs) }

// Torn returns the number of bytes of a torn last record cut off when the
// file was opened.
func (s *FileSink) Torn() int64 { return s.torn }

// Append writes r as one line and syncs the file.
func (s *FileSink) Append(r Record) error {
	if !r.valid() {
		return fmt.Errorf("%w: want exactly one of task, verdict and status", ErrJournal)
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("referral: journal: %w", err)
	}
	if len(b) >= maxLine {
		return fmt.Errorf("%w: record of %d bytes, more than %d", ErrJournal, len(b), maxLine)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return errors.New("referral: journal closed")
	}
	s.buf = append(append(s.buf[:0], b...), '\n')
	if _, err := s.f.Write(s.buf); err != nil {
		return fmt.Errorf("referral: journal: %w", err)
	}
	if err := s.f.Sync(); err != nil {
		return fmt.Errorf("referral: journal: %w", err)
	}
	return nil
}

// Close closes the file.
func (s *FileSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}

// Tally counts a rule's or a signal kind's review tasks and verdicts. It
// is a plain value.
type Tally struct {
	Name      string
	Tasks     int // tasks opened where it fired
	Reviewed  int // of which a reviewer judged
	Confirmed int // of which the reviewer confirmed fraud
}

// Precision returns Confirmed/Reviewed, or 0 before any review.
func (t Tally) Precision() float64 {
	if t.Reviewed == 0 {
		return 0
	}
	return float64(t.Confirmed) / float64(t.Reviewed)
}

type taskState struct {
	t       Task
	verdict *Verdict
}

type reviews struct {
	next  uint64
	tasks map[uint64]*taskState
	order []uint64
}

func (r *reviews) init() { r.tasks = map[uint64]*taskState{} }

// riskRules are the reasons that open tasks and are tallied.
func riskRule(rule string) bool { return rule == "self-referral" || rule == "ring" }

// escalate opens a review task and statuses for a risky credit.
func (p *Programme) escalate(c *Credit, ev evidence, at int64) error {
	t := Task{Opened: time.Unix(at, 0).UTC(), Account: c.Account, Inviter: c.Inviter, Action: c.Action,
		Reasons: slices.Clone(c.Reasons), Grounds: Grounds{Credit: c.Type, Amount: c.Amount, Stake: c.Stake, Score: c.Score, Kinds: ev.kinds}}
	for _, r := range c.Reasons {
		if riskRule(r.Rule) && !slices.Contains(t.Rules, r.Rule) {
			t.Rules = append(t.Rules, r.Rule)
		}
	}
	if f := ev.f; f != nil {
		if f.pair != nil {
			t.Grounds.Paths, t.Grounds.Shared = f.pair.Paths, f.pair.Evidence
		}
		if f.hasSig {
			s := f.sig
			t.Grounds.Signals = &s
		}
	}
	p.reviews.next++
	t.ID = p.reviews.next
	c.Task = t.ID
	err := p.addTask(t)
	// Statuses: the account gets the action; removing referral ability
	// lands on the inviter.
	target, action := c.Account, min(c.Action, fraudgraph.ActionBlockCredit)
	if c.Action == fraudgraph.ActionBan {
		action = fraudgraph.ActionBan
	}
	if c.Type == Reward && c.Action == fraudgraph.ActionRemoveReferral {
		action = fraudgraph.ActionRemoveReferral
	}
	st := Status{Account: target, Action: action, At: t.Opened, By: ByProgramme, Reasons: t.Reasons, Task: t.ID, Grounds: &t.Grounds}
	err = errors.Join(err, p.setStatus(st, false))
	if c.Type == Discount && c.Action >= fraudgraph.ActionRemoveReferral {
		st := Status{Account: c.Inviter, Action: fraudgraph.ActionRemoveReferral, At: t.Opened, By: ByProgramme, Reasons: t.Reasons, Task: t.ID, Grounds: &t.Grounds}
		err = errors.Join(err, p.setStatus(st, false))
	}
	return err
}

func (p *Programme) tally(m map[string]*Tally, name string) *Tally {
	t := m[name]
	if t == nil {
		t = &Tally{Name: name}
		m[name] = t
	}
	return t
}

// addTask stores a task, tallies it and journals it.
func (p *Programme) addTask(t Task) error {
	p.reviews.tasks[t.ID] = &taskState{t: t}
	p.reviews.order = append(p.reviews.order, t.ID)
	p.reviews.next = max(p.reviews.next, t.ID)
	for _, r := range t.Rules {
		p.tally(p.ruleStats, r).Tasks++
	}
	for _, k := range t.Grounds.Kinds {
		p.tally(p.kindStats, k).Tasks++
	}
	if p.sink == nil {
		return nil
	}
	return p.sink.Append(Record{Task: &t})
}

// Review records a reviewer's verdict on a task: the task's rules and
// signal kinds count a reviewed task (confirmed when v.Fraud), and the
// account gets a new status by v.Reviewer that supersedes the current
// one — confirmed fraud keeps the action, a cleared account returns to
// allow — without erasing the history. Unknown tasks return
// [ErrUnknownTask], a second verdict [ErrReviewed].
func (p *Programme) Review(v Verdict) error {
	if v.Reviewer == "" || v.At.IsZero() {
		return fmt.Errorf("%w: verdict on task %d needs a reviewer and a time", ErrEvent, v.Task)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.review(v, true)
}

func (p *Programme) review(v Verdict, journal bool) error {
	ts := p.reviews.tasks[v.Task]
	switch {
	case ts == nil:
		return fmt.Errorf("%w: %d", ErrUnknownTask, v.Task)
	case ts.verdict != nil:
		return fmt.Errorf("%w: %d by %s at %v", ErrReviewed, v.Task, ts.verdict.Reviewer, ts.verdict.At)
	}
	ts.verdict = &v
	for _, r := range ts.t.Rules {
		t := p.tally(p.ruleStats, r)
		t.Reviewed++
		if v.Fraud {
			t.Confirmed++
		}
	}
	for _, k := range ts.t.Grounds.Kinds {
		t := p.tally(p.kindStats, k)
		t.Reviewed++
		if v.Fraud {
			t.Confirmed++
		}
	}
	if !journal {
		return nil
	}
	var err error
	if p.sink != nil {
		err = p.sink.Append(Record{Verdict: &v})
	}
	cur, _ := p.statuses.current(ts.t.Account)
	st := Status{Account: ts.t.Account, At: v.At, By: v.Reviewer, Task: v.Task, Grounds: &ts.t.Grounds}
	if v.Fraud {
		st.Action = max(cur.Action, fraudgraph.ActionBlockCredit)
		st.Reasons = []Reason{{"review", "confirmed fraud" + note(v.Note)}}
	} else {
		st.Action = fraudgraph.ActionAllow
		st.Reasons = []Reason{{"review", "cleared" + note(v.Note)}}
	}
	return errors.Join(err, p.setStatus(st, true))
}

func note(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}

// Task returns a review task and its verdict (nil before review).
func (p *Programme) Task(id uint64) (Task, *Verdict, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ts := p.reviews.tasks[id]
	if ts == nil {
		return Task{}, nil, false
	}
	return ts.t, ts.verdict, true
}

// Tasks returns the open (not yet reviewed) tasks, oldest first.
func (p *Programme) Tasks() []Task {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Task
	for _, id := range p.reviews.order {
		if ts := p.reviews.tasks[id]; ts.verdict == nil {
			out = append(out, ts.t)
		}
	}
	return out
}

// RuleStats returns per-rule review tallies, by name.
func (p *Programme) RuleStats() []Tally { return p.tallies(p.ruleStats) }

// KindStats returns per-signal-kind review tallies, by name: the
// calibration of each kind of evidence.
func (p *Programme) KindStats() []Tally { return p.tallies(p.kindStats) }

func (p *Programme) tallies(m map[string]*Tally) []Tally {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Tally, 0, len(m))
	for _, t := range m {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b Tally) int { return cmpString(a.Name, b.Name) })
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// DayVolume is the review volume of one UTC day. It is a plain value.
type DayVolume struct {
	Day       time.Time
	Tasks     int   // tasks opened that day
	Reviewed  int   // of which reviewed (by now)
	Confirmed int   // of which confirmed fraud
	Cost      Money // Tasks × the cost per review
}

// Volume is a review-volume report. It is a plain value.
type Volume struct {
	Days                       []DayVolume
	Tasks, Reviewed, Confirmed int
	Precision                  float64 // Confirmed/Reviewed
	Cost                       Money
	TasksPerDay                float64 // over the days of the period
}

// ReviewVolume reports the tasks opened in [from, to) per UTC day, their
// precision so far and their cost at costPerReview each.
func (p *Programme) ReviewVolume(from, to time.Time, costPerReview Money) (Volume, error) {
	if !to.After(from) || costPerReview.Minor < 0 || costPerReview.Minor > maxMinor {
		return Volume{}, fmt.Errorf("%w: review volume from %v to %v at %v per review", ErrEvent, from, to, costPerReview)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	byDay := map[int64]*DayVolume{}
	v := Volume{Cost: Money{0, costPerReview.Currency}}
	for _, id := range p.reviews.order {
		ts := p.reviews.tasks[id]
		if ts.t.Opened.Before(from) || !ts.t.Opened.Before(to) {
			continue
		}
		day := ts.t.Opened.Unix() / 86400
		d := byDay[day]
		if d == nil {
			d = &DayVolume{Day: time.Unix(day*86400, 0).UTC(), Cost: Money{0, costPerReview.Currency}}
			byDay[day] = d
		}
		d.Tasks++
		d.Cost.Minor += costPerReview.Minor
		v.Tasks++
		if ts.verdict != nil {
			d.Reviewed++
			v.Reviewed++
			if ts.verdict.Fraud {
				d.Confirmed++
				v.Confirmed++
			}
		}
	}
	for _, d := range byDay {
		v.Days = append(v.Days, *d)
	}
	slices.SortFunc(v.Days, func(a, b DayVolume) int { return a.Day.Compare(b.Day) })
	v.Cost.Minor = int64(v.Tasks) * costPerReview.Minor
	if v.Reviewed > 0 {
		v.Precision = float64(v.Confirmed) / float64(v.Reviewed)
	}
	v.TasksPerDay = float64(v.Tasks) / max(1, to.Sub(from).Hours()/24)
	return v, nil
}
