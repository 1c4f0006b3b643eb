package checkout

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
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
	Device string    // device name
	Person string    // the holder: who takes the device out, or who held it
	By     string    // who tapped; differs from Person when someone else checks a device in
}

// Loan is a device currently out. Loans are values, safe to share.
type Loan struct {
	Device string    // the device's name
	Person string    // who holds it
	Since  time.Time // when it was checked out
}

// Ledger is the append-only history of check-outs and check-ins, with the
// derived state of who holds what.
//
// The zero Ledger is an empty ledger ready to use. A Ledger is safe for
// concurrent use: a screen may query it while a [Flow] appends to it.
type Ledger struct {
	mu      sync.RWMutex
	records []Record
	loans   map[string]Loan // by device
}

// Append adds a record. A check-out of a device that is out returns an
// error matching [ErrHeld]; a check-in of a device not held by r.Person
// returns [ErrNotHeld]. Nothing is appended on error.
func (l *Ledger) Append(r Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.loans == nil {
		l.loans = map[string]Loan{}
	}
	cur, out := l.loans[r.Device]
	switch r.Action {
	case Out:
		if out {
			return fmt.Errorf("%w: %s held by %s", ErrHeld, r.Device, cur.Person)
		}
		l.loans[r.Device] = Loan{Device: r.Device, Person: r.Person, Since: r.Time}
	case In:
		if !out || cur.Person != r.Person {
			return fmt.Errorf("%w: %s, %s", ErrNotHeld, r.Device, r.Person)
		}
		delete(l.loans, r.Device)
	default:
		return fmt.Errorf("checkout: invalid action %v", r.Action)
	}
	if r.By == "" {
		r.By = r.Person
	}
	l.records = append(l.records, r)
	return nil
}

// Holder returns the loan of a device, if it is out.
func (l *Ledger) Holder(device string) (Loan, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	ln, ok := l.loans[device]
	return ln, ok
}

// Loans returns the devices currently out, sorted by device name: who has
// what.
func (l *Ledger) Loans() []Loan {
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := make([]Loan, 0, len(l.loans))
	for _, ln := range l.loans {
		out = append(out, ln)
	}
	slices.SortFunc(out, func(a, b Loan) int { return cmp.Compare(a.Device, b.Device) })
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
