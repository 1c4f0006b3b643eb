package gen

import (
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/craftkit/craftkit/fraudgraph/referral"
)

// HistoryConfig shapes a generated referral-programme history. The zero
// HistoryConfig generates [Config]'s defaults with the history defaults
// below.
type HistoryConfig struct {
	Config
	// Currency of every purchase; "" means "EUR" (amounts in cents).
	Currency string
	// FamilyInvites is the share of household members (all but the
	// first to join) invited by an earlier member of their household; 0
	// means 0.5.
	FamilyInvites float64
	// HeavyInviters is the number of honest accounts that invite many
	// friends over the year (60 to 150 each); 0 means one per 5,000
	// accounts, at least 2. Small datasets may get fewer: they are drawn
	// from the first tenth of signups outside rings and households.
	HeavyInviters int
}

// History is a generated referral programme: the account graph (with
// household addresses), its events in time order and the ground truth.
//
// It is safe for concurrent use as long as nobody changes its slices.
type History struct {
	*Dataset
	// Events are the signups and purchases, in time order.
	Events []referral.Event
	// Heavy lists the honest heavy inviters.
	Heavy []uint64
}

// GenerateHistory returns the history described by cfg. It starts from
// [Generate]'s dataset for cfg.Config, then, from its own random stream:
//
//   - every household member presents the household's address (kind
//     "household"), and with probability FamilyInvites a member is
//     invited by an earlier member of the household — the families that
//     share a card and an address a generous programme tolerates;
//   - honest heavy inviters, among the first tenth of signups, invite 60
//     to 150 later legitimate accounts spread over the span;
//   - purchases: 60 % of invited legitimate accounts buy for 15 to 160
//     (in major units) 0 to 30 days after signup, and each legitimate
//     account buys again a geometric number of times; ring members who
//     redeem buy once for 30 to 35 within two days of signing up.
//
// Redeemed flags are recomputed: an invited account redeemed when its
// first purchase came to 30 or more. The dataset's graph changes (new
// invites and household fingerprints), so Build and Replay it, not the
// dataset Generate returns.
func GenerateHistory(cfg HistoryConfig) *History {
	d := Generate(cfg.Config)
	n := len(d.Joined)
	cur := cfg.Currency
	if cur == "" {
		cur = "EUR"
	}
	family := or(cfg.FamilyInvites, 0.5)
	heavy := cfg.HeavyInviters
	if heavy <= 0 {
		heavy = max(2, n/5000)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x686973746f7279))
	h := &History{Dataset: d}

	// Households: addresses and family invites.
	members := map[int32][]int{}
	for i, hh := range d.Household {
		if hh >= 0 {
			members[hh] = append(members[hh], i)
			d.FPAccount = append(d.FPAccount, uint32(i+1))
			d.FPKind = append(d.FPKind, kindHousehold)
			d.FPValue = append(d.FPValue, spaceHousehold|uint64(hh))
		}
	}
	for _, hh := range slices.Sorted(maps.Keys(members)) {
		m := members[hh]
		slices.SortFunc(m, func(a, b int) int { return int(d.Joined[a]) - int(d.Joined[b]) })
		for j := 1; j < len(m); j++ {
			if rng.Float64() < family {
				d.Inviter[m[j]] = uint32(m[rng.IntN(j)] + 1)
			}
		}
	}

	// Honest heavy inviters.
	for tries := 0; len(h.Heavy) < heavy && tries < 100*heavy; tries++ {
		a := rng.IntN(max(1, n/10))
		if d.Ring[a] >= 0 || d.Household[a] >= 0 || slices.Contains(h.Heavy, uint64(a+1)) {
			continue
		}
		h.Heavy = append(h.Heavy, uint64(a+1))
		k := 60 + rng.IntN(91)
		for tries := 0; k > 0 && tries < 20*k; tries++ {
			b := rng.IntN(n)
			if d.Ring[b] >= 0 || d.Household[b] >= 0 || d.Joined[b] <= d.Joined[a] || b == a {
				continue
			}
			d.Inviter[b] = uint32(a + 1)
			k--
		}
	}

	// Purchases.
	const day = 24 * 3600
	price := func(lo, hi int) int64 { return int64(lo*100 + rng.IntN((hi-lo)*100)) }
	ev := make([]referral.Event, 0, n*5/2)
	for i := range n {
		id := uint64(i + 1)
		joined := int64(d.Joined[i])
		ev = append(ev, referral.Event{Type: referral.Signup, At: time.Unix(joined, 0).UTC(), Account: id, Inviter: uint64(d.Inviter[i])})
		buy := func(at int64, minor int64) {
			ev = append(ev, referral.Event{Type: referral.Purchase, At: time.Unix(at, 0).UTC(), Account: id, Amount: referral.Money{Minor: minor, Currency: cur}})
		}
		if d.Ring[i] >= 0 {
			d.Redeemed[i] = d.Redeemed[i] && d.Inviter[i] != 0
			if d.Redeemed[i] {
				buy(joined+int64(rng.IntN(2*day)), price(30, 35))
			}
			continue
		}
		d.Redeemed[i] = false
		p := 0.5
		if d.Inviter[i] != 0 {
			p = 0.6
		}
		if rng.Float64() >= p {
			continue // never buys
		}
		at := joined + int64(rng.IntN(30*day))
		amount := price(15, 160)
		d.Redeemed[i] = d.Inviter[i] != 0 && amount >= 3000
		buy(at, amount)
		for rng.Float64() < 0.5 {
			at += int64(day + rng.IntN(60*day))
			buy(at, price(15, 160))
		}
	}
	slices.SortStableFunc(ev, func(a, b referral.Event) int { return a.At.Compare(b.At) })
	h.Events = ev
	return h
}

// HouseholdMember reports whether account id is a legitimate member of a
// household.
func (d *Dataset) HouseholdMember(id uint64) bool {
	return id >= 1 && id <= uint64(len(d.Household)) && d.Household[id-1] >= 0
}
