package rfid

import (
	"fmt"
	"slices"
)

// Kind classifies a tag. The zero Kind is Unclassified. Kinds are values,
// safe to share.
type Kind uint8

// Tag kinds.
const (
	// Unclassified is a tag outside every configured range (or any tag
	// when no ranges are configured).
	Unclassified Kind = iota
	// Person is a badge carried by a person.
	Person
	// Device is a tag stuck on a lent device.
	Device
)

// String returns "unclassified", "person" or "device".
func (k Kind) String() string {
	switch k {
	case Unclassified:
		return "unclassified"
	case Person:
		return "person"
	case Device:
		return "device"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Range is an inclusive range of card IDs (see [Card.ID]). The zero Range
// holds only ID 0. Ranges are values, safe to share.
type Range struct {
	First uint64 // the lowest card ID in the range
	Last  uint64 // the highest card ID in the range, inclusive
}

// Contains reports whether id lies in r.
func (r Range) Contains(id uint64) bool { return r.First <= id && id <= r.Last }

// Policy is a site's card policy: the format its readers and tags use, the
// facility codes it accepts, and, optionally, card-number ranges that tell
// persons' badges from device tags (the way some labs buy two batches of
// tags with distinct number ranges).
//
// The zero Policy accepts any facility code of H10301 cards and classifies
// nothing. A Policy is safe for concurrent use as long as it is not
// modified.
type Policy struct {
	// Format is the card format; the zero Format means H10301.
	Format Format
	// Facilities lists the accepted facility codes; empty accepts all.
	Facilities []uint32
	// People and Devices are card-ID ranges classifying tags; both empty
	// disables classification. A card in both is classified Person.
	People, Devices []Range
}

// format returns the policy's format, defaulting to H10301.
func (p *Policy) format() Format {
	if p.Format == 0 {
		return H10301
	}
	return p.Format
}

// Card decodes a frame with the policy's format and checks its facility
// code. Besides the errors of [Frame.Card], it returns an error matching
// [ErrFacility], together with the decoded card, for a facility code the
// site does not accept.
func (p *Policy) Card(f Frame) (Card, error) {
	c, err := f.Card(p.format())
	if err != nil {
		return Card{}, err
	}
	if !p.Allowed(c) {
		return c, fmt.Errorf("%w: %d", ErrFacility, c.Facility)
	}
	return c, nil
}

// Allowed reports whether the card's facility code is accepted.
func (p *Policy) Allowed(c Card) bool {
	return len(p.Facilities) == 0 || slices.Contains(p.Facilities, c.Facility)
}

// Kind classifies a card by the configured ranges.
func (p *Policy) Kind(c Card) Kind {
	id := c.ID()
	for _, r := range p.People {
		if r.Contains(id) {
			return Person
		}
	}
	for _, r := range p.Devices {
		if r.Contains(id) {
			return Device
		}
	}
	return Unclassified
}
