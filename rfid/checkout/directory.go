package checkout

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/craftkit/craftkit/rfid"
)

// Directory holds the enrolled persons and devices: which tag belongs to
// whom and to what. With a salt, persons' tag IDs are stored only as
// HMAC-SHA256(salt, tag ID), so a leaked directory does not reveal badge
// numbers that open doors elsewhere on site; device tags are stored in the
// clear.
//
// The zero Directory is not usable; create one with [NewDirectory]. A
// Directory is safe for concurrent use.
type Directory struct {
	salt    []byte
	mu      sync.RWMutex
	people  map[string]string // person key -> name
	devices map[string]string // card -> name
}

// NewDirectory returns an empty directory. A non-empty salt makes it store
// persons' tag IDs salted and hashed; nil stores them in the clear.
func NewDirectory(salt []byte) *Directory {
	return &Directory{salt: append([]byte(nil), salt...), people: map[string]string{}, devices: map[string]string{}}
}

// PersonKey returns the key under which a person's tag is stored: the hex
// HMAC-SHA256 of the card ID under the salt, or the card ID ("fac:num")
// without salt.
func (d *Directory) PersonKey(c rfid.Card) string {
	if len(d.salt) == 0 {
		return c.String()
	}
	m := hmac.New(sha256.New, d.salt)
	m.Write([]byte(c.String()))
	return hex.EncodeToString(m.Sum(nil))
}

// AddPerson enrolls a person's tag. It returns an error matching
// [ErrEnrolled] if the tag is already enrolled.
func (d *Directory) AddPerson(c rfid.Card, name string) error {
	k := d.PersonKey(c)
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, dup := d.people[k]; dup {
		return fmt.Errorf("%w: person tag for %q", ErrEnrolled, name)
	}
	if _, dup := d.devices[c.String()]; dup {
		return fmt.Errorf("%w: tag %v is a device", ErrEnrolled, c)
	}
	d.people[k] = name
	return nil
}

// AddDevice enrolls a device's tag. It returns an error matching
// [ErrEnrolled] if the tag is already enrolled.
func (d *Directory) AddDevice(c rfid.Card, name string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, dup := d.devices[c.String()]; dup {
		return fmt.Errorf("%w: device tag %v", ErrEnrolled, c)
	}
	if _, dup := d.people[d.PersonKey(c)]; dup {
		return fmt.Errorf("%w: tag %v is a person's", ErrEnrolled, c)
	}
	d.devices[c.String()] = name
	return nil
}

// Person returns the name of the person whose tag c is.
func (d *Directory) Person(c rfid.Card) (name string, ok bool) {
	k := d.PersonKey(c)
	d.mu.RLock()
	defer d.mu.RUnlock()
	name, ok = d.people[k]
	return name, ok
}

// Device returns the name of the device whose tag c is.
func (d *Directory) Device(c rfid.Card) (name string, ok bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	name, ok = d.devices[c.String()]
	return name, ok
}
