package referral

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
)

// ByProgramme is the Status.By of statuses the programme sets itself.
const ByProgramme = "programme"

// Status is one entry of an account's status history: the action in
// force from At, who set it, why, and on which grounds. Entries are never
// removed or edited; a newer entry supersedes an older one, and the older
// one then names who superseded it and when.
//
// It is a plain value.
type Status struct {
	Seq     uint64            `json:"seq"`
	Account uint64            `json:"account"`
	Action  fraudgraph.Action `json:"action"`
	At      time.Time         `json:"at"`
	By      string            `json:"by"`
	Reasons []Reason          `json:"reasons"`
	Task    uint64            `json:"task,omitempty"`
	Grounds *Grounds          `json:"grounds,omitempty"`
	// SupersededBy and SupersededAt name the entry's successor; they are
	// filled in histories, not journaled.
	SupersededBy string    `json:"superseded_by,omitempty"`
	SupersededAt time.Time `json:"superseded_at,omitzero"`
}

type statuses struct {
	seq uint64
	m   map[uint64][]Status
}

func (s *statuses) init() { s.m = map[uint64][]Status{} }

func (s *statuses) current(account uint64) (Status, bool) {
	h := s.m[account]
	if len(h) == 0 {
		return Status{Account: account}, false
	}
	return h[len(h)-1], true
}

// setStatus appends st to its account's history. Programme statuses
// never lower the action in force (a banned account stays banned when a
// later credit only asks for review); reviewer statuses (review true) set
// it as given.
func (p *Programme) setStatus(st Status, review bool) error {
	cur, ok := p.statuses.current(st.Account)
	if !review && ok {
		st.Action = max(st.Action, cur.Action)
	}
	p.statuses.seq++
	st.Seq = p.statuses.seq
	p.appendStatus(st)
	if p.sink == nil {
		return nil
	}
	return p.sink.Append(Record{Status: &st})
}

func (p *Programme) appendStatus(st Status) {
	h := p.statuses.m[st.Account]
	if n := len(h); n > 0 {
		h[n-1].SupersededBy, h[n-1].SupersededAt = st.By, st.At
	}
	st.SupersededBy, st.SupersededAt = "", time.Time{}
	p.statuses.m[st.Account] = append(h, st)
	p.statuses.seq = max(p.statuses.seq, st.Seq)
	a := p.acct(st.Account)
	a.status = st.Action
	if st.Action >= fraudgraph.ActionBlockCredit {
		a.everFlagged = true
	}
}

// Current returns the status in force for account; ok is false (and the
// status is allow) when it never had one.
func (p *Programme) Current(account uint64) (st Status, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.statuses.current(account)
}

// History returns account's status history, oldest first, with each
// superseded entry naming its successor's author and time.
func (p *Programme) History(account uint64) []Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.statuses.m[account])
}

// ExportStatuses writes every status history as JSON Lines, by account,
// oldest entry first.
func (p *Programme) ExportStatuses(w io.Writer) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, a := range slices.Sorted(maps.Keys(p.statuses.m)) {
		for _, st := range p.statuses.m[a] {
			if err := enc.Encode(st); err != nil {
				return fmt.Errorf("referral: export: %w", err)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("referral: export: %w", err)
	}
	return nil
}

// Restore loads journaled records (from [FileSink.Records] or
// [MemorySink.Records]) into a programme, typically a new one after a
// restart: tasks, verdicts and status histories come back, with the
// review tallies they imply. Records are not journaled again. Money state
// is not journaled: replay the event history to rebuild it. A verdict
// without its task, or a task or status number seen twice, returns an
// error wrapping [ErrJournal].
func (p *Programme) Restore(records []Record) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for i, r := range records {
		switch {
		case !r.valid():
			errs = append(errs, fmt.Errorf("%w: record %d: want exactly one of task, verdict and status", ErrJournal, i))
		case r.Task != nil:
			if _, dup := p.reviews.tasks[r.Task.ID]; dup || r.Task.ID == 0 {
				errs = append(errs, fmt.Errorf("%w: record %d: task %d seen twice or zero", ErrJournal, i, r.Task.ID))
				continue
			}
			_ = p.addTaskRestored(*r.Task)
		case r.Verdict != nil:
			if err := p.review(*r.Verdict, false); err != nil {
				errs = append(errs, fmt.Errorf("%w: record %d: %w", ErrJournal, i, err))
			}
		case r.Status != nil:
			if r.Status.Seq <= p.statuses.seq && r.Status.Seq != 0 && p.seen(r.Status.Account, r.Status.Seq) {
				errs = append(errs, fmt.Errorf("%w: record %d: status %d seen twice", ErrJournal, i, r.Status.Seq))
				continue
			}
			p.appendStatus(*r.Status)
		}
	}
	return errors.Join(errs...)
}

func (p *Programme) seen(account, seq uint64) bool {
	return slices.ContainsFunc(p.statuses.m[account], func(s Status) bool { return s.Seq == seq })
}

func (p *Programme) addTaskRestored(t Task) error {
	sink := p.sink
	p.sink = nil
	defer func() { p.sink = sink }()
	return p.addTask(t)
}
