package gen

import (
	"math/rand/v2"
	"strconv"
	"time"
	"unsafe"

	"github.com/craftkit/craftkit/fraudgraph"
)

// Config sets the shape of a generated dataset. The zero Config generates
// 10,000 accounts with seed 0.
type Config struct {
	Accounts     int           // accounts; 0 means 10,000
	Seed         uint64        // random seed
	Start        time.Time     // first signup; zero means 2025-01-01 UTC
	Span         time.Duration // signup period; 0 means 365 days
	Rings        float64       // share of accounts in rings; 0 means 0.02
	Households   float64       // share of accounts in households; 0 means 0.3
	PopularShare float64       // share of accounts on a popular IP; 0 means 0.1
}

// KindName returns the name of a fingerprint kind index in
// Dataset.FPKind: "device", "card", "ip" or, in histories,
// "household" (a postal address).
func KindName(k uint8) string {
	switch k {
	case kindDevice:
		return "device"
	case kindCard:
		return "card"
	case kindIP:
		return "ip"
	case kindHousehold:
		return fraudgraph.HouseholdKind
	}
	return "unknown"
}

const (
	kindDevice = iota
	kindCard
	kindIP
	kindHousehold
)

// Value spaces keep unique, household, popular and ring values apart.
const (
	spaceUnique    = 1 << 40
	spaceHousehold = 2 << 40
	spacePopular   = 3 << 40
	spaceRing      = 4 << 40
)

// Dataset is a generated graph in flat arrays. Account ids are 1..N; index
// i of the per-account slices describes account i+1.
//
// Its methods do not modify it, so it is safe for concurrent use as long as
// nobody changes its slices.
type Dataset struct {
	Joined   []uint32 // join time, Unix seconds
	Inviter  []uint32 // inviting account id, 0 for none
	Redeemed []bool   // redeemed a referral credit
	Ring     []int32  // ring number, -1 for legitimate accounts
	Rings    int      // number of rings
	// Household is the household number of legitimate accounts, -1 for
	// none (ring members have none).
	Household []int32

	// Fingerprint presentations: account id, kind index (see KindName) and a
	// numeric value (see Dataset.Value).
	FPAccount []uint32
	FPKind    []uint8 // see KindName
	FPValue   []uint64
}

// Accounts returns the number of accounts.
func (d *Dataset) Accounts() int { return len(d.Joined) }

// Value returns the string form of fingerprint presentation i.
func (d *Dataset) Value(i int) string {
	return strconv.FormatUint(d.FPValue[i], 16)
}

// Hash returns fraudgraph.HashFingerprint of presentation i without
// allocating.
func (d *Dataset) Hash(i int) uint64 {
	var buf [16]byte
	v := d.FPValue[i]
	j := len(buf)
	for {
		j--
		buf[j] = "0123456789abcdef"[v&15]
		v >>= 4
		if v == 0 {
			break
		}
	}
	return fraudgraph.HashFingerprint(KindName(d.FPKind[i]), unsafe.String(&buf[j], len(buf)-j))
}

// Generate returns the dataset described by cfg.
func Generate(cfg Config) *Dataset {
	n := cfg.Accounts
	if n <= 0 {
		n = 10_000
	}
	start := cfg.Start
	if start.IsZero() {
		start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	span := cfg.Span
	if span <= 0 {
		span = 365 * 24 * time.Hour
	}
	ringShare := or(cfg.Rings, 0.02)
	hhShare := or(cfg.Households, 0.3)
	popShare := or(cfg.PopularShare, 0.1)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6672617564))

	d := &Dataset{
		Joined:    make([]uint32, n),
		Inviter:   make([]uint32, n),
		Redeemed:  make([]bool, n),
		Ring:      make([]int32, n),
		Household: make([]int32, n),
		FPAccount: make([]uint32, 0, n*27/10),
		FPKind:    make([]uint8, 0, n*27/10),
		FPValue:   make([]uint64, 0, n*27/10),
	}
	add := func(i int, kind uint8, v uint64) {
		d.FPAccount = append(d.FPAccount, uint32(i+1))
		d.FPKind = append(d.FPKind, kind)
		d.FPValue = append(d.FPValue, v)
	}
	t0 := uint32(start.Unix())
	step := float64(span/time.Second) / float64(n)
	for i := range n {
		d.Joined[i] = t0 + uint32(float64(i)*step)
		d.Ring[i] = -1
		d.Household[i] = -1
	}

	// Plant rings first so legitimate generation can skip their members.
	inRing := int(float64(n) * ringShare)
	for placed := 0; placed+4 <= inRing; {
		size := min(4+rng.IntN(17), inRing-placed)
		ring := int32(d.Rings)
		d.Rings++
		placed += size
		// Members: random accounts not yet in a ring; they all sign up
		// within six hours of the burst start (ids keep no time order).
		burst := t0 + uint32(rng.Float64()*float64(span/time.Second))
		members := make([]int, 0, size)
		for len(members) < size {
			m := rng.IntN(n)
			if d.Ring[m] >= 0 {
				continue
			}
			d.Ring[m] = ring
			members = append(members, m)
		}
		for j, m := range members {
			d.Joined[m] = burst + uint32(rng.IntN(6*3600))
			d.Redeemed[m] = rng.Float64() < 0.95
			switch {
			case j == 0:
			case rng.Float64() < 0.15: // signed up without an invite
			case ring%2 == 0: // star
				d.Inviter[m] = uint32(members[0] + 1)
			default: // chain
				d.Inviter[m] = uint32(members[j-1] + 1)
			}
		}
		devices, cards, ips := 1+rng.IntN(3), 1+rng.IntN(3), 1+rng.IntN(2)
		base := spaceRing | uint64(ring)<<4
		for _, m := range members {
			if rng.Float64() < 0.7 {
				add(m, kindDevice, base|uint64(rng.IntN(devices)))
			} else {
				add(m, kindDevice, spaceUnique|uint64(m))
			}
			if rng.Float64() < 0.6 {
				add(m, kindCard, base|8|uint64(rng.IntN(cards)))
			} else if rng.Float64() < 0.5 {
				add(m, kindCard, spaceUnique|uint64(m))
			}
			if rng.Float64() < 0.7 {
				add(m, kindIP, base|12|uint64(rng.IntN(ips)))
			} else {
				add(m, kindIP, spaceUnique|uint64(m))
			}
		}
	}

	households := max(1, int(float64(n)*hhShare/3))
	popular := max(10, n/3000)
	zipf := rand.NewZipf(rng, 1.1, 1, uint64(popular-1))
	for i := range n {
		if d.Ring[i] >= 0 {
			continue
		}
		switch {
		case i > 0 && rng.Float64() < 0.5:
			if rng.Float64() < 0.03 && i+1 < n {
				// A party: this account's inviter also invites the next
				// few signups.
				inv := uint32(rng.IntN(i) + 1)
				for k := i; k < min(n, i+2+rng.IntN(4)); k++ {
					if d.Ring[k] < 0 && d.Inviter[k] == 0 {
						d.Inviter[k] = inv
					}
				}
			} else if d.Inviter[i] == 0 {
				d.Inviter[i] = uint32(rng.IntN(i) + 1)
			}
		}
		d.Redeemed[i] = d.Inviter[i] != 0 && rng.Float64() < 0.3
		hh := -1
		if rng.Float64() < hhShare {
			hh = rng.IntN(households)
			d.Household[i] = int32(hh)
		}
		if hh >= 0 && rng.Float64() < 0.5 {
			add(i, kindDevice, spaceHousehold|uint64(hh))
		} else {
			add(i, kindDevice, spaceUnique|uint64(i))
		}
		switch {
		case hh >= 0 && rng.Float64() < 0.3:
			add(i, kindCard, spaceHousehold|uint64(hh))
		case rng.Float64() < 0.7:
			add(i, kindCard, spaceUnique|uint64(i))
		}
		if hh >= 0 {
			add(i, kindIP, spaceHousehold|uint64(hh))
		} else {
			add(i, kindIP, spaceUnique|uint64(i))
		}
		if rng.Float64() < popShare {
			add(i, kindIP, spacePopular|zipf.Uint64())
		}
	}
	return d
}

func or(v, d float64) float64 {
	if v <= 0 {
		return d
	}
	return v
}

// Sink receives a dataset; *fraudgraph.Graph implements it.
//
// [Dataset.Replay] calls a Sink from a single goroutine.
type Sink interface {
	AddAccount(id uint64, at time.Time) error
	AddInvite(inviter, invitee uint64, at time.Time) error
	AddFingerprintHash(account uint64, kind string, h uint64) error
}

// Replay adds the dataset to s account by account (signup, invite,
// fingerprints) and marks redeemed accounts when s is a *fraudgraph.Graph.
func (d *Dataset) Replay(s Sink) error {
	for i := range d.Joined {
		if err := s.AddAccount(uint64(i+1), time.Unix(int64(d.Joined[i]), 0)); err != nil {
			return err
		}
		if inv := d.Inviter[i]; inv != 0 {
			if err := s.AddInvite(uint64(inv), uint64(i+1), time.Unix(int64(d.Joined[i]), 0)); err != nil {
				return err
			}
		}
	}
	for i := range d.FPAccount {
		if err := s.AddFingerprintHash(uint64(d.FPAccount[i]), KindName(d.FPKind[i]), d.Hash(i)); err != nil {
			return err
		}
	}
	if g, ok := s.(*fraudgraph.Graph); ok {
		return d.MarkRedeemed(g)
	}
	return nil
}

// Build bulk-loads the dataset into a new graph with a fraudgraph.Builder
// and marks redeemed accounts.
func (d *Dataset) Build(cfg fraudgraph.Config) (*fraudgraph.Graph, error) {
	b := fraudgraph.NewBuilder(cfg)
	n := len(d.Joined)
	b.Grow(n, n, len(d.FPAccount))
	for i := range n {
		b.AddAccount(uint64(i+1), time.Unix(int64(d.Joined[i]), 0))
	}
	for i, inv := range d.Inviter {
		if inv != 0 {
			b.AddInvite(uint64(inv), uint64(i+1), time.Unix(int64(d.Joined[i]), 0))
		}
	}
	for i := range d.FPAccount {
		b.AddFingerprintHash(uint64(d.FPAccount[i]), KindName(d.FPKind[i]), d.Hash(i))
	}
	g, err := b.Graph()
	if err != nil {
		return g, err
	}
	return g, d.MarkRedeemed(g)
}

// MarkRedeemed sets fraudgraph.FlagRedeemed on the accounts that redeemed.
func (d *Dataset) MarkRedeemed(g *fraudgraph.Graph) error {
	for i, r := range d.Redeemed {
		if r {
			if err := g.SetFlags(uint64(i+1), fraudgraph.FlagRedeemed); err != nil {
				return err
			}
		}
	}
	return nil
}

// Fraud reports whether account id belongs to a planted ring.
func (d *Dataset) Fraud(id uint64) bool {
	return id >= 1 && id <= uint64(len(d.Ring)) && d.Ring[id-1] >= 0
}

// Score compares a set of flagged accounts with the planted rings.
type Score struct {
	TruePositives, FalsePositives, FalseNegatives int
	Precision, Recall                             float64
}

// Evaluate scores the accounts for which flagged returns true against the
// ground truth, account by account.
func (d *Dataset) Evaluate(flagged func(id uint64) bool) Score {
	var s Score
	for i := range d.Ring {
		f, truth := flagged(uint64(i+1)), d.Ring[i] >= 0
		switch {
		case f && truth:
			s.TruePositives++
		case f:
			s.FalsePositives++
		case truth:
			s.FalseNegatives++
		}
	}
	if p := s.TruePositives + s.FalsePositives; p > 0 {
		s.Precision = float64(s.TruePositives) / float64(p)
	}
	if t := s.TruePositives + s.FalseNegatives; t > 0 {
		s.Recall = float64(s.TruePositives) / float64(t)
	}
	return s
}
