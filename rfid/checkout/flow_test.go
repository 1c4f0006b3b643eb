package checkout

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/craftkit/craftkit/rfid"
)

// clock is a manual clock for tests.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time          { return c.t }
func (c *clock) Advance(d time.Duration) { c.t = c.t.Add(d) }

var t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

func card(n uint32) rfid.Card { return rfid.Card{Facility: 170, Number: n} }

const (
	ada, grace, linus = 1001, 1002, 1003
	pixel, ipad       = 50007, 50012
	stranger, newDev  = 1777, 50999
)

// fixture returns a flow with three persons and two devices enrolled.
func fixture(t *testing.T, held HeldPolicy, salt []byte) (*Flow, *Ledger, *clock) {
	t.Helper()
	dir := NewDirectory(salt)
	for n, name := range map[uint32]string{ada: "Ada", grace: "Grace", linus: "Linus"} {
		require.NoError(t, dir.AddPerson(card(n), name))
	}
	require.NoError(t, dir.AddDevice(card(pixel), "Pixel 7"))
	require.NoError(t, dir.AddDevice(card(ipad), "iPad"))
	site := &rfid.Policy{
		Facilities: []uint32{170},
		People:     []rfid.Range{{First: 1000, Last: 1999}},
		Devices:    []rfid.Range{{First: 50000, Last: 59999}},
	}
	clk := &clock{t: t0}
	l := &Ledger{}
	return New(dir, l, &Config{Held: held, Site: site, Now: clk.Now}), l, clk
}

// step is one tap (or tick) of a scenario and the event kinds it yields.
type step struct {
	after time.Duration // clock advance before the step
	tag   uint32        // 0: Tick
	fac   uint32        // facility, 0 means 170
	want  []Kind
}

func run(t *testing.T, f *Flow, clk *clock, steps []step) []Event {
	t.Helper()
	var all []Event
	for i, s := range steps {
		clk.Advance(s.after)
		var evs []Event
		if s.tag == 0 {
			evs = f.Tick()
		} else {
			c := card(s.tag)
			if s.fac != 0 {
				c.Facility = s.fac
			}
			evs = f.Tap(c)
		}
		var kinds []Kind
		for _, e := range evs {
			kinds = append(kinds, e.Kind)
		}
		assert.Equal(t, s.want, kinds, "step %d (tag %d): events %v", i, s.tag, evs)
		all = append(all, evs...)
	}
	return all
}

func TestFlowScenarios(t *testing.T) {
	sec := time.Second
	tests := []struct {
		name  string
		held  HeldPolicy
		steps []step
		loans []Loan
	}{
		{
			name:  "person then device checks out",
			steps: []step{{0, ada, 0, []Kind{AwaitDevice}}, {2 * sec, pixel, 0, []Kind{CheckedOut}}},
			loans: []Loan{{Tag: card(pixel), Device: "Pixel 7", Person: "Ada", Since: t0.Add(2 * sec)}},
		},
		{
			name:  "device then person checks out",
			steps: []step{{0, ipad, 0, []Kind{AwaitPerson}}, {5 * sec, grace, 0, []Kind{CheckedOut}}},
			loans: []Loan{{Tag: card(ipad), Device: "iPad", Person: "Grace", Since: t0.Add(5 * sec)}},
		},
		{
			name: "holder taps again: checked in",
			steps: []step{
				{0, ada, 0, []Kind{AwaitDevice}}, {sec, pixel, 0, []Kind{CheckedOut}},
				{time.Hour, pixel, 0, []Kind{AwaitPerson}}, {sec, ada, 0, []Kind{CheckedIn}},
			},
			loans: []Loan{},
		},
		{
			name: "second person tap replaces the first",
			steps: []step{
				{0, ada, 0, []Kind{AwaitDevice}}, {10 * sec, grace, 0, []Kind{AwaitDevice}},
				{sec, ipad, 0, []Kind{CheckedOut}},
			},
			loans: []Loan{{Tag: card(ipad), Device: "iPad", Person: "Grace", Since: t0.Add(11 * sec)}},
		},
		{
			name: "duplicate within dedupe window ignored, sliding",
			steps: []step{
				{0, ada, 0, []Kind{AwaitDevice}}, {2 * sec, ada, 0, []Kind{Duplicate}},
				{2 * sec, ada, 0, []Kind{Duplicate}}, {4 * sec, ada, 0, []Kind{AwaitDevice}},
			},
			loans: []Loan{},
		},
		{
			name: "dedupe window boundary: a repeat exactly 3 s later counts",
			steps: []step{
				{0, ada, 0, []Kind{AwaitDevice}}, {3*sec - 1, ada, 0, []Kind{Duplicate}},
				{3 * sec, ada, 0, []Kind{AwaitDevice}},
			},
			loans: []Loan{},
		},
		{
			name: "window boundary: a partner exactly 60 s later completes",
			steps: []step{
				{0, ada, 0, []Kind{AwaitDevice}}, {60 * sec, 0, 0, nil}, {0, pixel, 0, []Kind{CheckedOut}},
			},
			loans: []Loan{{Tag: card(pixel), Device: "Pixel 7", Person: "Ada", Since: t0.Add(60 * sec)}},
		},
		{
			name: "foreign cards are deduplicated too",
			steps: []step{
				{0, ada, 99, []Kind{Denied}}, {sec, ada, 99, []Kind{Duplicate}}, {0, ada, 0, []Kind{AwaitDevice}},
			},
			loans: []Loan{},
		},
		{
			name: "window expires on tick and on the next tap",
			steps: []step{
				{0, ada, 0, []Kind{AwaitDevice}}, {60 * sec, 0, 0, nil}, {sec, 0, 0, []Kind{Expired}},
				{0, ipad, 0, []Kind{AwaitPerson}}, {61 * sec, grace, 0, []Kind{Expired, AwaitDevice}},
			},
			loans: []Loan{},
		},
		{
			name: "unknown tags",
			steps: []step{
				{0, stranger, 0, []Kind{UnknownPerson}}, {5 * sec, newDev, 0, []Kind{UnknownDevice}},
				{5 * sec, 7, 0, []Kind{UnknownTag}}, {5 * sec, ada, 99, []Kind{Denied}},
			},
			loans: []Loan{},
		},
		{
			name: "held by someone else: check in (default)",
			held: CheckIn,
			steps: []step{
				{0, ada, 0, []Kind{AwaitDevice}}, {sec, pixel, 0, []Kind{CheckedOut}},
				{time.Minute, grace, 0, []Kind{AwaitDevice}}, {sec, pixel, 0, []Kind{CheckedIn}},
			},
			loans: []Loan{},
		},
		{
			name: "held by someone else: transfer",
			held: Transfer,
			steps: []step{
				{0, ada, 0, []Kind{AwaitDevice}}, {sec, pixel, 0, []Kind{CheckedOut}},
				{time.Minute, grace, 0, []Kind{AwaitDevice}}, {sec, pixel, 0, []Kind{Transferred}},
			},
			loans: []Loan{{Tag: card(pixel), Device: "Pixel 7", Person: "Grace", Since: t0.Add(62 * sec)}},
		},
		{
			name: "held by someone else: reject",
			held: Reject,
			steps: []step{
				{0, ada, 0, []Kind{AwaitDevice}}, {sec, pixel, 0, []Kind{CheckedOut}},
				{time.Minute, pixel, 0, []Kind{AwaitPerson}}, {sec, linus, 0, []Kind{Refused}},
			},
			loans: []Loan{{Tag: card(pixel), Device: "Pixel 7", Person: "Ada", Since: t0.Add(sec)}},
		},
	}
	for _, tt := range tests {
		for _, salt := range [][]byte{nil, []byte("lab salt")} {
			t.Run(fmt.Sprintf("%s/salted=%v", tt.name, salt != nil), func(t *testing.T) {
				f, l, clk := fixture(t, tt.held, salt)
				run(t, f, clk, tt.steps)
				assert.Equal(t, tt.loans, l.Loans())
			})
		}
	}
}

func TestFlowFrames(t *testing.T) {
	f, _, _ := fixture(t, CheckIn, nil)
	raw, err := rfid.H10301.Encode(170, ada)
	require.NoError(t, err)
	evs := f.Frame(rfid.Frame{Raw: raw, Bits: 26})
	require.Len(t, evs, 1)
	assert.Equal(t, AwaitDevice, evs[0].Kind)
	assert.Equal(t, "Ada: now tap the device", evs[0].String())

	evs = f.Frame(rfid.Frame{Raw: raw, Bits: 25, Fault: rfid.FaultLostEdge})
	require.Len(t, evs, 1)
	assert.Equal(t, BadRead, evs[0].Kind)
	assert.ErrorIs(t, evs[0].Err, rfid.ErrLostEdge)

	evs = f.Frame(rfid.Frame{Raw: raw ^ 1<<3, Bits: 26})
	require.Len(t, evs, 1)
	assert.ErrorIs(t, evs[0].Err, rfid.ErrParity)

	other, _ := rfid.H10301.Encode(99, ada)
	evs = f.Frame(rfid.Frame{Raw: other, Bits: 26})
	require.Len(t, evs, 1)
	assert.Equal(t, Denied, evs[0].Kind)
	assert.ErrorIs(t, evs[0].Err, rfid.ErrFacility)
	assert.Equal(t, rfid.Card{Facility: 99, Number: ada}, evs[0].Card)

	// A foreign card held at the reader repeats like any other.
	evs = f.Frame(rfid.Frame{Raw: other, Bits: 26})
	require.Len(t, evs, 1)
	assert.Equal(t, Duplicate, evs[0].Kind)
}

// TestFlowReplacement checks the Holder field of Await events: the
// replaced pending tap, and nothing when the same tag is tapped again
// after the dedupe window.
func TestFlowReplacement(t *testing.T) {
	f, _, clk := fixture(t, CheckIn, nil)
	evs := run(t, f, clk, []step{
		{0, ada, 0, []Kind{AwaitDevice}}, {5 * time.Second, ada, 0, []Kind{AwaitDevice}},
		{5 * time.Second, grace, 0, []Kind{AwaitDevice}},
		{0, pixel, 0, []Kind{CheckedOut}}, {time.Minute, ipad, 0, []Kind{AwaitPerson}},
		{5 * time.Second, ipad, 0, []Kind{AwaitPerson}},
	})
	assert.Equal(t, "Ada: now tap the device", evs[1].String())
	assert.Equal(t, "Grace (instead of Ada): now tap the device", evs[2].String())
	assert.Equal(t, "iPad: now tap your badge", evs[5].String())
}

// TestNegativeWindow checks that a negative window means the default
// rather than one in which no second tap could ever pair.
func TestNegativeWindow(t *testing.T) {
	dir := NewDirectory(nil)
	require.NoError(t, dir.AddPerson(card(ada), "Ada"))
	require.NoError(t, dir.AddDevice(card(pixel), "Pixel 7"))
	clk := &clock{t: t0}
	f := New(dir, &Ledger{}, &Config{Window: -time.Second, Now: clk.Now})
	run(t, f, clk, []step{{0, ada, 0, []Kind{AwaitDevice}}, {10 * time.Second, pixel, 0, []Kind{CheckedOut}}})
}

func TestNewPanicsWithoutLedger(t *testing.T) {
	assert.Panics(t, func() { New(NewDirectory(nil), nil, nil) })
	assert.Panics(t, func() { New(nil, &Ledger{}, nil) })
}

func TestDirectorySalted(t *testing.T) {
	d := NewDirectory([]byte("s3cret"))
	require.NoError(t, d.AddPerson(card(ada), "Ada"))
	assert.ErrorIs(t, d.AddPerson(card(ada), "Ada again"), ErrEnrolled)
	assert.ErrorIs(t, d.AddDevice(card(ada), "phone"), ErrEnrolled)
	k := d.PersonKey(card(ada))
	assert.Len(t, k, 64)
	assert.NotContains(t, k, "1001")
	assert.NotEqual(t, k, NewDirectory([]byte("other")).PersonKey(card(ada)), "salt must change the key")
	for stored := range d.people {
		assert.Equal(t, k, stored, "only the hash is stored")
	}
	name, ok := d.Person(card(ada))
	assert.True(t, ok)
	assert.Equal(t, "Ada", name)
	assert.Equal(t, "170:1001", NewDirectory(nil).PersonKey(card(ada)))
}

func TestLedger(t *testing.T) {
	var l Ledger
	require.NoError(t, l.Append(Record{Time: t0, Action: Out, Tag: card(ipad), Device: "iPad", Person: "Ada"}))
	require.NoError(t, l.Append(Record{Time: t0.Add(time.Hour), Action: Out, Tag: card(pixel), Device: "Pixel 7", Person: "Grace"}))
	assert.ErrorIs(t, l.Append(Record{Time: t0, Action: Out, Tag: card(ipad), Device: "iPad", Person: "Grace"}), ErrHeld)
	assert.ErrorIs(t, l.Append(Record{Time: t0, Action: In, Tag: card(ipad), Device: "iPad", Person: "Grace"}), ErrNotHeld)
	assert.ErrorIs(t, l.Append(Record{Time: t0, Action: In, Tag: card(newDev), Device: "Nokia", Person: "Grace"}), ErrNotHeld)
	assert.ErrorIs(t, l.Append(Record{Time: t0, Action: Out, Tag: card(newDev), Device: "\xff", Person: "Grace"}), ErrRecord)
	assert.ErrorIs(t, l.Append(Record{Time: t0, Tag: card(newDev), Device: "Nokia", Person: "Grace"}), ErrRecord)

	now := t0.Add(25 * time.Hour)
	assert.Equal(t, []Loan{{Tag: card(ipad), Device: "iPad", Person: "Ada", Since: t0}}, l.Overdue(now, 24*time.Hour))
	assert.Len(t, l.Overdue(now, time.Hour), 2)
	require.NoError(t, l.Append(Record{Time: now, Action: In, Tag: card(ipad), Device: "iPad", Person: "Ada"}))
	assert.Empty(t, l.Overdue(now, 24*time.Hour))
	h := l.History()
	require.Len(t, h, 3)
	assert.Equal(t, "Ada", h[2].By, "By defaults to Person")
}

// TestLedgerConcurrent appends and queries from several goroutines; run
// with -race.
func TestLedgerConcurrent(t *testing.T) {
	var l Ledger
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			dev := fmt.Sprintf("dev%d", g)
			tag := card(uint32(50000 + g))
			for i := range 200 {
				at := t0.Add(time.Duration(i) * time.Second)
				assert.NoError(t, l.Append(Record{Time: at, Action: Out, Tag: tag, Device: dev, Person: "p"}))
				_ = l.Loans()
				_ = l.Overdue(at, time.Minute)
				assert.NoError(t, l.Append(Record{Time: at, Action: In, Tag: tag, Device: dev, Person: "p"}))
			}
		})
	}
	wg.Wait()
	assert.Len(t, l.History(), 1600)
	assert.Empty(t, l.Loans())
}
