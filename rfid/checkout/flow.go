package checkout

import (
	"errors"
	"fmt"
	"time"

	"github.com/craftkit/craftkit/rfid"
)

// Defaults for zero [Config] fields.
const (
	// DefaultWindow is how long a first tap waits for its partner.
	DefaultWindow = 60 * time.Second
	// DefaultDedupe is how long repeats of the same tag are ignored;
	// readers resend a tag while it stays near the antenna.
	DefaultDedupe = 3 * time.Second
)

// HeldPolicy says what happens when a person taps a device that someone
// else holds. The zero HeldPolicy is CheckIn. HeldPolicy values are
// constants, safe to share.
type HeldPolicy uint8

// Policies for a device held by someone else.
const (
	// CheckIn returns the device (the tapper brings it back for its
	// holder). It is the zero value.
	CheckIn HeldPolicy = iota
	// Transfer checks the device in from its holder and out to the tapper.
	Transfer
	// Reject refuses and leaves the loan unchanged.
	Reject
)

// String returns "check-in", "transfer" or "reject".
func (p HeldPolicy) String() string {
	switch p {
	case CheckIn:
		return "check-in"
	case Transfer:
		return "transfer"
	case Reject:
		return "reject"
	}
	return fmt.Sprintf("HeldPolicy(%d)", uint8(p))
}

// Kind is the kind of an [Event]. The zero Kind is no kind. Kinds are
// values, safe to share.
type Kind uint8

// Event kinds, each something a lab screen shows.
const (
	// AwaitDevice means a person tapped; the device tap is awaited.
	AwaitDevice Kind = iota + 1
	// AwaitPerson means a device tapped; the person tap is awaited.
	AwaitPerson
	// CheckedOut means the device was lent to the person.
	CheckedOut
	// CheckedIn means the device was returned (Holder is who had it).
	CheckedIn
	// Transferred means the device moved from Holder to Person.
	Transferred
	// Refused means the device is held by Holder and the policy is Reject.
	Refused
	// Expired means a first tap waited longer than the window.
	Expired
	// Duplicate means a repeat of the previous tag within the dedupe window,
	// ignored.
	Duplicate
	// BadRead means the frame was bad or did not decode; tap again.
	BadRead
	// Denied means the card's facility code is not accepted at this site.
	Denied
	// UnknownPerson means a badge in the persons' range that is not enrolled.
	UnknownPerson
	// UnknownDevice means a tag in the devices' range that is not enrolled.
	UnknownDevice
	// UnknownTag means a tag that is not enrolled and not classified.
	UnknownTag
)

// String returns the kind's name, e.g. "checked-out".
func (k Kind) String() string {
	names := [...]string{"", "await-device", "await-person", "checked-out", "checked-in", "transferred",
		"refused", "expired", "duplicate", "bad-read", "denied", "unknown-person", "unknown-device", "unknown-tag"}
	if int(k) < len(names) && k != 0 {
		return names[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Event is something that happened at the reader, for the UI. The zero
// Event has no kind. Events are values, safe to share.
type Event struct {
	Kind   Kind      // what happened
	Time   time.Time // when, by Config.Now
	Person string    // the person involved, if known
	Device string    // the device involved, if known
	Holder string    // the previous holder (CheckedIn, Transferred, Refused) or the replaced pending tap (Await*)
	Card   rfid.Card // the tapped card (not set for Expired)
	Err    error     // why, for BadRead and Denied
}

// String renders the event as a line of the lab screen.
func (e Event) String() string {
	switch e.Kind {
	case AwaitDevice:
		if e.Holder != "" {
			return fmt.Sprintf("%s (instead of %s): now tap the device", e.Person, e.Holder)
		}
		return fmt.Sprintf("%s: now tap the device", e.Person)
	case AwaitPerson:
		if e.Holder != "" {
			return fmt.Sprintf("%s (instead of %s): now tap your badge", e.Device, e.Holder)
		}
		return fmt.Sprintf("%s: now tap your badge", e.Device)
	case CheckedOut:
		return fmt.Sprintf("%s checked OUT to %s", e.Device, e.Person)
	case CheckedIn:
		if e.Holder != e.Person {
			return fmt.Sprintf("%s checked IN by %s for %s", e.Device, e.Person, e.Holder)
		}
		return fmt.Sprintf("%s checked IN by %s", e.Device, e.Person)
	case Transferred:
		return fmt.Sprintf("%s transferred from %s to %s", e.Device, e.Holder, e.Person)
	case Refused:
		return fmt.Sprintf("%s is held by %s: ask them to check it in", e.Device, e.Holder)
	case Expired:
		return fmt.Sprintf("timed out waiting for the second tap (%s)", first(e.Person, e.Device))
	case Duplicate:
		return fmt.Sprintf("(repeat of %v ignored)", e.Card)
	case BadRead:
		return fmt.Sprintf("bad read, please tap again (%v)", e.Err)
	case Denied:
		return fmt.Sprintf("card %v is not from this site", e.Card)
	case UnknownPerson:
		return fmt.Sprintf("badge %v is not enrolled: ask the lab staff to enrol you", e.Card)
	case UnknownDevice:
		return fmt.Sprintf("device tag %v is not registered", e.Card)
	case UnknownTag:
		return fmt.Sprintf("unknown tag %v", e.Card)
	}
	return e.Kind.String()
}

// first returns a, or b when a is empty.
func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Config configures a [Flow]; [New] copies it. The zero value (and a nil *Config) means a
// 60 s window, a 3 s dedupe window, the CheckIn policy, the wall clock and
// the zero [rfid.Policy].
type Config struct {
	// Window is how long the first tap waits for the second; 0 or a
	// negative value means DefaultWindow. A second tap exactly Window after the first still
	// pairs with it.
	Window time.Duration
	// Dedupe is how long repeats of the same tag are ignored; 0 means
	// DefaultDedupe, a negative value disables deduplication. Each ignored
	// repeat restarts the window, so a tag left on the reader stays
	// ignored; a repeat exactly Dedupe after the previous read counts.
	Dedupe time.Duration
	// Held decides what a tap on a device held by someone else does.
	Held HeldPolicy
	// Site decodes frames and classifies unknown tags; nil means the zero
	// rfid.Policy (H10301, any facility, no classification).
	Site *rfid.Policy
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// pending is a first tap waiting for its partner.
type pending struct {
	name string
	card rfid.Card
	at   time.Time
}

// Flow is the two-tap check-out state machine of a device-lab reader: a
// person's badge and a device's tag, tapped in either order within the
// window, check the device out to the person, or back in if the person
// holds it. Decisions are recorded in a [Ledger]; tags are looked up in a
// [Directory].
//
// A Flow reads time only through Config.Now and starts no goroutines; call
// [Flow.Tick] now and then (every second or so) to expire a lone first
// tap. A Flow is not safe for concurrent use.
type Flow struct {
	dir    *Directory
	ledger *Ledger
	cfg    Config
	site   *rfid.Policy

	person, device pending // zero name: none

	lastCard rfid.Card
	lastAt   time.Time
	seen     bool
}

// New returns a flow over a directory and a ledger. It panics if dir or
// ledger is nil.
func New(dir *Directory, ledger *Ledger, cfg *Config) *Flow {
	if dir == nil || ledger == nil {
		panic("checkout: New needs a Directory and a Ledger")
	}
	var c Config
	if cfg != nil {
		c = *cfg
	}
	if c.Window <= 0 {
		c.Window = DefaultWindow
	}
	if c.Dedupe == 0 {
		c.Dedupe = DefaultDedupe
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	site := c.Site
	if site == nil {
		site = &rfid.Policy{}
	}
	return &Flow{dir: dir, ledger: ledger, cfg: c, site: site}
}

// Frame handles a frame from the decoder: a bad or undecodable frame
// yields BadRead; a decoded card is handled as by [Flow.Tap], so a card
// from another site is Denied, or a Duplicate when repeated within the
// dedupe window.
func (f *Flow) Frame(fr rfid.Frame) []Event {
	now := f.cfg.Now()
	evs := f.expire(now, nil)
	c, err := f.site.Card(fr)
	if err != nil && !errors.Is(err, rfid.ErrFacility) {
		return append(evs, Event{Kind: BadRead, Time: now, Err: err})
	}
	return append(evs, f.tap(now, c)...)
}

// Tap handles a decoded card: a repeat within the dedupe window is a
// Duplicate, a facility code the site's policy does not accept is Denied,
// and an enrolled badge or device tag moves the flow on.
func (f *Flow) Tap(c rfid.Card) []Event {
	now := f.cfg.Now()
	return append(f.expire(now, nil), f.tap(now, c)...)
}

// Tick expires a first tap that waited longer than the window.
func (f *Flow) Tick() []Event { return f.expire(f.cfg.Now(), nil) }

// Pending returns the names of the waiting person and device taps, empty
// when none.
func (f *Flow) Pending() (person, device string) { return f.person.name, f.device.name }

// expire appends Expired events for first taps older than the window.
func (f *Flow) expire(now time.Time, evs []Event) []Event {
	if f.person.name != "" && now.Sub(f.person.at) > f.cfg.Window {
		evs = append(evs, Event{Kind: Expired, Time: now, Person: f.person.name})
		f.person = pending{}
	}
	if f.device.name != "" && now.Sub(f.device.at) > f.cfg.Window {
		evs = append(evs, Event{Kind: Expired, Time: now, Device: f.device.name})
		f.device = pending{}
	}
	return evs
}

// tap handles a card at now.
func (f *Flow) tap(now time.Time, c rfid.Card) []Event {
	if f.seen && c == f.lastCard && f.cfg.Dedupe > 0 && now.Sub(f.lastAt) < f.cfg.Dedupe {
		f.lastAt = now // a tag held at the reader keeps being ignored
		return []Event{{Kind: Duplicate, Time: now, Card: c}}
	}
	f.seen, f.lastCard, f.lastAt = true, c, now
	if !f.site.Allowed(c) {
		return []Event{{Kind: Denied, Time: now, Card: c, Err: fmt.Errorf("%w: %d", rfid.ErrFacility, c.Facility)}}
	}
	if name, ok := f.dir.Person(c); ok {
		prev := replaced(f.person, c)
		f.person = pending{name: name, card: c, at: now}
		if f.device.name != "" {
			return f.complete(now, c)
		}
		return []Event{{Kind: AwaitDevice, Time: now, Person: name, Holder: prev, Card: c}}
	}
	if name, ok := f.dir.Device(c); ok {
		prev := replaced(f.device, c)
		f.device = pending{name: name, card: c, at: now}
		if f.person.name != "" {
			return f.complete(now, c)
		}
		return []Event{{Kind: AwaitPerson, Time: now, Device: name, Holder: prev, Card: c}}
	}
	switch f.site.Kind(c) {
	case rfid.Person:
		return []Event{{Kind: UnknownPerson, Time: now, Card: c}}
	case rfid.Device:
		return []Event{{Kind: UnknownDevice, Time: now, Card: c}}
	}
	return []Event{{Kind: UnknownTag, Time: now, Card: c}}
}

// replaced returns the name of a pending tap that a tap of card c
// replaces, or "" when there was none or it is the same tag again.
func replaced(p pending, c rfid.Card) string {
	if p.card == c {
		return ""
	}
	return p.name
}

// complete decides a pending person and device pair.
func (f *Flow) complete(now time.Time, c rfid.Card) []Event {
	person, device, tag := f.person.name, f.device.name, f.device.card
	f.person, f.device = pending{}, pending{}
	ev := Event{Time: now, Person: person, Device: device, Card: c}
	loan, out := f.ledger.Holder(tag)
	var err error
	switch {
	case !out:
		ev.Kind = CheckedOut
		err = f.ledger.Append(Record{Time: now, Action: Out, Tag: tag, Device: device, Person: person})
	case loan.Person == person:
		ev.Kind, ev.Holder = CheckedIn, person
		err = f.ledger.Append(Record{Time: now, Action: In, Tag: tag, Device: device, Person: person})
	default:
		ev.Holder = loan.Person
		switch f.cfg.Held {
		case Reject:
			ev.Kind = Refused
		case Transfer:
			ev.Kind = Transferred
			// Two records; only a concurrent writer taking the device
			// between them can make the second fail; the check-in then
			// stands and the flow reports the error as a BadRead.
			err = f.ledger.Append(Record{Time: now, Action: In, Tag: tag, Device: device, Person: loan.Person, By: person})
			if err == nil {
				err = f.ledger.Append(Record{Time: now, Action: Out, Tag: tag, Device: device, Person: person})
			}
		default:
			ev.Kind = CheckedIn
			err = f.ledger.Append(Record{Time: now, Action: In, Tag: tag, Device: device, Person: loan.Person, By: person})
		}
	}
	if err != nil {
		// Another writer changed the ledger between Holder and Append.
		return []Event{{Kind: BadRead, Time: now, Person: person, Device: device, Card: c, Err: err}}
	}
	return []Event{ev}
}
