package checkout

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/craftkit/craftkit/rfid"
)

// Errors of the ledger and directory.
var (
	// ErrHeld reports a check-out of a device that is already out.
	ErrHeld = errors.New("checkout: device already checked out")
	// ErrNotHeld reports a check-in of a device that the named person
	// does not hold.
	ErrNotHeld = errors.New("checkout: device not held by that person")
	// ErrEnrolled reports a tag that is already enrolled.
	ErrEnrolled = errors.New("checkout: tag already enrolled")
	// ErrRecord reports a record that cannot be stored: an invalid
	// action, a name that is not valid UTF-8, or more than
	// [MaxRecordSize] bytes once encoded.
	ErrRecord = errors.New("checkout: invalid record")
	// ErrClosed reports an Append to a ledger whose file was closed.
	ErrClosed = errors.New("checkout: ledger closed")
	// ErrTorn marks the warning about a torn last line of a ledger file,
	// dropped by [OpenLedger].
	ErrTorn = errors.New("checkout: torn last record dropped")
)

// Action is what a ledger record does. The zero Action is invalid.
// Actions are values, safe to share.
type Action uint8

// Ledger actions.
const (
	// Out lends a device to a person.
	Out Action = iota + 1
	// In returns a device.
	In
)

// String returns "out" or "in".
func (a Action) String() string {
	switch a {
	case Out:
		return "out"
	case In:
		return "in"
	}
	return fmt.Sprintf("Action(%d)", uint8(a))
}

// Record is one entry of the ledger's history. Records are values, safe to
// share.
type Record struct {
	Time   time.Time // when the taps completed
	Action Action    // Out or In
	Tag    rfid.Card // the device's tag: loans are keyed by it
	Device string    // the device's name, for people; two devices may share one
	Person string    // the holder: who takes the device out, or who held it
	By     string    // who tapped; differs from Person when someone else checks a device in
}

// Loan is a device currently out. Loans are values, safe to share.
type Loan struct {
	Tag    rfid.Card // the device's tag
	Device string    // the device's name
	Person string    // who holds it
	Since  time.Time // when it was checked out
}

// Ledger is the append-only history of check-outs and check-ins, with the
// derived state of who holds what. Loans are keyed by the device's tag,
// so two devices of the same name are two loans.
//
// The zero Ledger is an empty ledger that lives in memory only; a ledger
// from [OpenLedger] also appends every record to a file before [Ledger.Append]
// returns. A Ledger is safe for concurrent use: a screen may query it
// while a [Flow] appends to it.
type Ledger struct {
	mu      sync.RWMutex
	records []Record
	loans   map[rfid.Card]Loan // by device tag
	file    *ledgerFile        // nil: memory only
}

// Append adds a record. A check-out of a device (by tag) that is out
// returns an error matching [ErrHeld]; a check-in of a device not held by
// r.Person returns [ErrNotHeld]; a name that is not valid UTF-8 or a
// record longer than [MaxRecordSize] once encoded returns [ErrRecord]. A
// ledger with a file writes and syncs the record to it first, and returns
// the error of the write, if any. Nothing is appended on error.
func (l *Ledger) Append(r Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if r.By == "" {
		r.By = r.Person
	}
	if err := l.check(r); err != nil {
		return err
	}
	if l.file != nil {
		if err := l.file.append(r); err != nil {
			return err
		}
	}
	l.apply(r)
	return nil
}

// check reports why r cannot be appended, or nil.
func (l *Ledger) check(r Record) error {
	cur, out := l.loans[r.Tag]
	switch r.Action {
	case Out:
		if out {
			return fmt.Errorf("%w: %s (%v) held by %s", ErrHeld, r.Device, r.Tag, cur.Person)
		}
	case In:
		if !out || cur.Person != r.Person {
			return fmt.Errorf("%w: %s (%v), %s", ErrNotHeld, r.Device, r.Tag, r.Person)
		}
	default:
		return fmt.Errorf("%w: invalid action %v", ErrRecord, r.Action)
	}
	for _, s := range [...]string{r.Device, r.Person, r.By} {
		if !utf8.ValidString(s) {
			return fmt.Errorf("%w: name %q is not valid UTF-8", ErrRecord, s)
		}
	}
	return nil
}

// apply adds a checked record.
func (l *Ledger) apply(r Record) {
	if l.loans == nil {
		l.loans = map[rfid.Card]Loan{}
	}
	switch r.Action {
	case Out:
		l.loans[r.Tag] = Loan{Tag: r.Tag, Device: r.Device, Person: r.Person, Since: r.Time}
	case In:
		delete(l.loans, r.Tag)
	}
	l.records = append(l.records, r)
}

// Holder returns the loan of the device with tag tag, if it is out.
func (l *Ledger) Holder(tag rfid.Card) (Loan, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	ln, ok := l.loans[tag]
	return ln, ok
}

// Loans returns the devices currently out, sorted by device name, then
// tag: who has what.
func (l *Ledger) Loans() []Loan {
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := make([]Loan, 0, len(l.loans))
	for _, ln := range l.loans {
		out = append(out, ln)
	}
	slices.SortFunc(out, func(a, b Loan) int {
		return cmp.Or(cmp.Compare(a.Device, b.Device), cmp.Compare(a.Tag.Facility, b.Tag.Facility), cmp.Compare(a.Tag.ID(), b.Tag.ID()))
	})
	return out
}

// Overdue returns the loans older than maxAge at now, oldest first.
func (l *Ledger) Overdue(now time.Time, maxAge time.Duration) []Loan {
	var out []Loan
	for _, ln := range l.Loans() {
		if now.Sub(ln.Since) > maxAge {
			out = append(out, ln)
		}
	}
	slices.SortStableFunc(out, func(a, b Loan) int { return a.Since.Compare(b.Since) })
	return out
}

// History returns a copy of all records, oldest first.
func (l *Ledger) History() []Record {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return slices.Clone(l.records)
}
