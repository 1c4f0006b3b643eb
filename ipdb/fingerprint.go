package ipdb

import "strings"

// Records and matches turn into fingerprints for a graph of accounts
// linked by shared fingerprints, such as fraudgraph's: "signed up from
// a cloud server of Amazon AWS" becomes the fingerprint of kind
// "ipdb-cloud" and value "Amazon AWS", which every account that signed
// up from one of Amazon's servers shares. The functions here only
// compute the kind and value (and a stable hash); the package does not
// depend on any graph. With fraudgraph:
//
//	if rec, ok := robots.Lookup(addr); ok {
//		if kind, value, ok := rec.Fingerprint(); ok {
//			g.AddFingerprint(account, kind, value)
//		}
//	}
//
// A whole cloud links thousands of accounts: give the kinds a low
// weight and a cap in the graph's configuration so that a popular owner
// counts as weak evidence rather than linking everyone, or use
// [Match.Fingerprint], one fingerprint per range, for a narrower link.

// FingerprintKind returns the fingerprint kind of owners of category c:
// "ipdb-" followed by c's name ("ipdb-cloud", "ipdb-crawler", ...). The
// names are stable: they are part of the stored fingerprints.
func (c Category) FingerprintKind() string { return "ipdb-" + c.String() }

// Fingerprint returns the fingerprint of the network r describes: kind
// [Category.FingerprintKind] of its category and its owner as the value
// (as written, case and spaces kept). ok is false for a record without
// an owner, such as the zero Record of a failed lookup.
func (r Record) Fingerprint() (kind, value string, ok bool) {
	if r.Owner == "" {
		return "", "", false
	}
	return r.Category.FingerprintKind(), r.Owner, true
}

// Fingerprint returns the fingerprint of the range m matched: kind
// [Category.FingerprintKind] of its category followed by "-range", and
// the value "owner from-to". Accounts share it only when they came from
// the same range of the same owner. ok is false for the zero Match.
func (m Match) Fingerprint() (kind, value string, ok bool) {
	if !m.Range.From.IsValid() {
		return "", "", false
	}
	var b strings.Builder
	b.WriteString(m.Record.Owner)
	b.WriteByte(' ')
	b.WriteString(m.Range.String())
	return m.Record.Category.FingerprintKind() + "-range", b.String(), true
}

// Key returns a 64-bit hash of r's category and owner (FNV-1a over the
// category's byte, a zero byte and the owner), for callers that key
// their own maps by network or hand graphs a hash instead of a string.
// Keys are stable across releases and machines: records with equal
// category and owner have equal keys whatever their URL and verdict.
func (r Record) Key() uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	h = (h ^ uint64(r.Category)) * prime
	h *= prime // the zero separator byte: h ^ 0 == h
	for i := 0; i < len(r.Owner); i++ {
		h = (h ^ uint64(r.Owner[i])) * prime
	}
	return h
}
