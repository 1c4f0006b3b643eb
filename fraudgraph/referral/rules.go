package referral

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
)

// Rules are a referral programme's terms and its fraud policy, as data:
// they can be stored as JSON ([ParseRules]), reviewed, and replayed over
// history ([Backtest]) before they go live.
//
// Amounts are minor units of Currency. Zero fields mean the documented
// defaults, so the zero Rules (with a currency) is a programme paying
// nothing. It is a plain value.
type Rules struct {
	// Currency is the ISO 4217 code of every amount; events in another
	// currency are refused with [ErrCurrency].
	Currency string `json:"currency"`
	// Discount is the invitee's credit on their first purchase of at
	// least MinSpend (capped at the purchase amount).
	Discount int64 `json:"discount"`
	// MinSpend is the smallest purchase that earns the invitee's discount.
	MinSpend int64 `json:"min_spend"`
	// Reward is the inviter's credit each time FriendsPerReward more of
	// their invitees made a qualifying purchase whose discount was paid.
	Reward int64 `json:"reward"`
	// FriendsPerReward is K in "reward the inviter after K invited
	// friends purchase". Zero means 2.
	FriendsPerReward int `json:"friends_per_reward"`
	// InviterCap caps the rewards paid to one inviter per window. Zero
	// means no cap.
	InviterCap int64 `json:"inviter_cap"`
	// ClusterCap caps the credits (discounts and rewards) paid to one
	// identity cluster — an account and the accounts sharing a
	// fingerprint with it — per window. Zero means no cap.
	ClusterCap int64 `json:"cluster_cap"`
	// Budget caps the credits the whole programme pays per window. Zero
	// means no cap.
	Budget int64 `json:"budget"`
	// Window is the budget period; windows are aligned on the Unix epoch.
	// Zero means 30 days.
	Window time.Duration `json:"-"`
	// Policy is the graph-based fraud policy.
	Policy Policy `json:"policy"`
}

// Policy turns graph evidence into graded responses. The zero Policy
// means [DefaultPolicy]'s kinds and responses.
//
// It is a plain value.
type Policy struct {
	// Off disables every graph check: only the money rules apply. It is
	// the unprotected baseline of a backtest.
	Off bool `json:"off,omitempty"`
	// Kinds sets the policy per fingerprint kind; entries override
	// [DefaultKinds]. Kinds named nowhere weigh 0.5 and are never
	// tolerated.
	Kinds map[string]KindPolicy `json:"kinds,omitempty"`
	// Responses is the ladder from risk score and amount at stake to an
	// action; nil means [DefaultResponses].
	Responses []Response `json:"responses,omitempty"`
	// RingMinBurst is the number of related signups within the graph's
	// burst window from which a high [fraudgraph.Signals] score counts as
	// ring risk. Zero means 2.
	RingMinBurst int `json:"ring_min_burst,omitempty"`
	// RingBurstShare is the share of the related accounts that must have
	// joined in the burst for ring risk to count when the account shares
	// no strong or payment fingerprint with anyone: friend groups grow
	// slowly, rings join together. Zero means 0.3.
	RingBurstShare float64 `json:"ring_burst_share,omitempty"`
	// Reputation lowers the risk of accounts with a good history.
	Reputation Reputation `json:"reputation"`
}

// KindPolicy is the policy for one fingerprint kind shared by an invitee
// and their inviter. It is a plain value.
type KindPolicy struct {
	// Weight is the evidence weight of sharing a fingerprint of this kind,
	// in (0, 1]. Zero means 0.5.
	Weight float64 `json:"weight"`
	// Household is how many credits a household (a shared
	// [fraudgraph.HouseholdKind] fingerprint) may redeem while sharing
	// this kind is tolerated: 0 never tolerates it, a negative value
	// always does.
	Household int `json:"household"`
}

// Response is one step of the ladder: risk at least MinScore with at
// least MinStake minor units at stake asks for Action. The most severe
// matching step wins. It is a plain value.
type Response struct {
	MinScore float64           `json:"min_score"`
	MinStake int64             `json:"min_stake"`
	Action   fraudgraph.Action `json:"action"`
}

// Reputation lowers the risk score of an account with a good history: at
// least MinAge since signup, at least MinPurchases purchases, and no
// status beyond allow. The zero Reputation means MinAge 180 days,
// MinPurchases 3 and Factor 0.5.
//
// It is a plain value.
type Reputation struct {
	MinAge       time.Duration `json:"-"`
	MinPurchases int           `json:"min_purchases"`
	// Factor multiplies the risk score, in [0, 1].
	Factor float64 `json:"factor"`
}

// DefaultKinds returns the default kind policies: card (weight 0.9,
// tolerated in households up to 3 redemptions), device (0.8, 3), email
// (0.7, never), phone (0.7, never), household (0.4, always) and ip (0.3,
// always). The weights are [fraudgraph.DefaultKinds]'.
func DefaultKinds() map[string]KindPolicy {
	m := map[string]KindPolicy{}
	for k, v := range fraudgraph.DefaultKinds() {
		m[k] = KindPolicy{Weight: v.Weight}
	}
	m["card"] = KindPolicy{Weight: m["card"].Weight, Household: 3}
	m["device"] = KindPolicy{Weight: m["device"].Weight, Household: 3}
	m["household"] = KindPolicy{Weight: m["household"].Weight, Household: -1}
	m["ip"] = KindPolicy{Weight: m["ip"].Weight, Household: -1}
	return m
}

// DefaultResponses returns the default ladder: review from score 0.5;
// block the credit from 0.8; remove the inviter's referral ability from
// 0.8 with 100.00 at stake; ban from 0.95 with 300.00 at stake (amounts
// in minor units of a two-decimal currency).
func DefaultResponses() []Response {
	return []Response{
		{MinScore: 0.5, Action: fraudgraph.ActionReview},
		{MinScore: 0.8, Action: fraudgraph.ActionBlockCredit},
		{MinScore: 0.8, MinStake: 100_00, Action: fraudgraph.ActionRemoveReferral},
		{MinScore: 0.95, MinStake: 300_00, Action: fraudgraph.ActionBan},
	}
}

// DefaultPolicy returns the policy the zero Policy stands for.
func DefaultPolicy() Policy {
	return Policy{Kinds: DefaultKinds(), Responses: DefaultResponses(), RingMinBurst: 2, RingBurstShare: 0.3,
		Reputation: Reputation{MinAge: 180 * 24 * time.Hour, MinPurchases: 3, Factor: 0.5}}
}

// ErrRules reports invalid [Rules].
var ErrRules = errors.New("referral: invalid rules")

// MarshalJSON encodes r with durations as strings ("720h0m0s").
func (r Rules) MarshalJSON() ([]byte, error) {
	type plain Rules
	j := struct {
		plain
		Window string `json:"window,omitempty"`
		MinAge string `json:"reputation_min_age,omitempty"`
	}{plain: plain(r)}
	if r.Window != 0 {
		j.Window = r.Window.String()
	}
	if r.Policy.Reputation.MinAge != 0 {
		j.MinAge = r.Policy.Reputation.MinAge.String()
	}
	return json.Marshal(j)
}

// maxRulesSize bounds the JSON [ParseRules] accepts.
const maxRulesSize = 1 << 20

// ParseRules parses and validates rules in the JSON form MarshalJSON
// writes: amounts in minor units, "window" and "reputation_min_age" as Go
// durations, actions by name. Unknown fields, trailing data, documents
// over 1 MiB and invalid values are refused with an error wrapping
// [ErrRules] that names the field.
func ParseRules(data []byte) (Rules, error) {
	if len(data) > maxRulesSize {
		return Rules{}, fmt.Errorf("%w: %d bytes of JSON, more than %d", ErrRules, len(data), maxRulesSize)
	}
	type plain Rules
	var j struct {
		plain
		Window string `json:"window"`
		MinAge string `json:"reputation_min_age"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return Rules{}, fmt.Errorf("%w: %w", ErrRules, err)
	}
	if dec.More() {
		return Rules{}, fmt.Errorf("%w: data after the JSON object", ErrRules)
	}
	r := Rules(j.plain)
	for _, d := range []struct {
		name string
		s    string
		to   *time.Duration
	}{{"window", j.Window, &r.Window}, {"reputation_min_age", j.MinAge, &r.Policy.Reputation.MinAge}} {
		if d.s == "" {
			continue
		}
		v, err := time.ParseDuration(d.s)
		if err != nil {
			return Rules{}, fmt.Errorf("%w: %s: %w", ErrRules, d.name, err)
		}
		*d.to = v
	}
	return r, r.Validate()
}

// Validate reports the first invalid field of r, wrapping [ErrRules].
func (r Rules) Validate() error {
	bad := func(field string, v any, why string) error {
		return fmt.Errorf("%w: %s %v: %s", ErrRules, field, v, why)
	}
	if !validCurrency(r.Currency) {
		return bad("currency", fmt.Sprintf("%q", r.Currency), "want an ISO 4217 code such as EUR")
	}
	for _, a := range []struct {
		name string
		v    int64
	}{{"discount", r.Discount}, {"min_spend", r.MinSpend}, {"reward", r.Reward}, {"inviter_cap", r.InviterCap}, {"cluster_cap", r.ClusterCap}, {"budget", r.Budget}} {
		if a.v < 0 || a.v > maxMinor {
			return bad(a.name, a.v, fmt.Sprintf("want 0 to %d minor units", int64(maxMinor)))
		}
	}
	if r.FriendsPerReward < 0 || r.FriendsPerReward > 1000 {
		return bad("friends_per_reward", r.FriendsPerReward, "want 0 to 1000")
	}
	if r.Window < 0 || r.Window > 10*366*24*time.Hour || (r.Window > 0 && r.Window < time.Second) {
		return bad("window", r.Window, "want 1s to 10 years, or 0 for 30 days")
	}
	p := r.Policy
	for _, k := range slices.Sorted(maps.Keys(p.Kinds)) {
		kp := p.Kinds[k]
		if k == "" || len(k) > 64 {
			return bad("policy kind", fmt.Sprintf("%q", k), "want a name of 1 to 64 bytes")
		}
		if math.IsNaN(kp.Weight) || kp.Weight < 0 || kp.Weight > 1 {
			return bad("policy kind "+k+" weight", kp.Weight, "want 0 to 1")
		}
	}
	if len(p.Responses) > 64 {
		return bad("policy responses", len(p.Responses), "want at most 64 steps")
	}
	for i, s := range p.Responses {
		if math.IsNaN(s.MinScore) || s.MinScore < 0 || s.MinScore > 1 {
			return bad(fmt.Sprintf("policy response %d min_score", i), s.MinScore, "want 0 to 1")
		}
		if s.MinStake < 0 || s.MinStake > maxMinor {
			return bad(fmt.Sprintf("policy response %d min_stake", i), s.MinStake, "want 0 or more minor units")
		}
		if s.Action > fraudgraph.ActionBan || s.Action == fraudgraph.ActionRevokeCredits {
			return bad(fmt.Sprintf("policy response %d action", i), s.Action, "want allow, review, block-credit, remove-referral or ban")
		}
	}
	if math.IsNaN(p.RingBurstShare) || p.RingBurstShare < 0 || p.RingBurstShare > 1 {
		return bad("policy ring_burst_share", p.RingBurstShare, "want 0 to 1")
	}
	if p.RingMinBurst < 0 || p.RingMinBurst > 1<<20 {
		return bad("policy ring_min_burst", p.RingMinBurst, "want 0 or more")
	}
	rp := p.Reputation
	if rp.MinAge < 0 || rp.MinPurchases < 0 || math.IsNaN(rp.Factor) || rp.Factor < 0 || rp.Factor > 1 {
		return bad("policy reputation", fmt.Sprintf("%+v", rp), "want non-negative age and purchases, factor 0 to 1")
	}
	return nil
}

// resolved is Rules with defaults applied.
type resolved struct {
	Rules
	k      int
	window int64 // seconds
	kinds  map[string]KindPolicy
	ladder []Response
	burst  int
	share  float64
	rep    Reputation
}

func resolve(r Rules) resolved {
	d := DefaultPolicy()
	v := resolved{Rules: r, k: r.FriendsPerReward, window: int64(r.Window / time.Second)}
	if v.k == 0 {
		v.k = 2
	}
	if v.window == 0 {
		v.window = 30 * 24 * 3600
	}
	v.kinds = d.Kinds
	for k, kp := range r.Policy.Kinds {
		if kp.Weight == 0 {
			kp.Weight = 0.5
		}
		v.kinds[k] = kp
	}
	v.ladder = r.Policy.Responses
	if v.ladder == nil {
		v.ladder = d.Responses
	}
	v.burst = r.Policy.RingMinBurst
	if v.burst == 0 {
		v.burst = d.RingMinBurst
	}
	v.share = r.Policy.RingBurstShare
	if v.share == 0 {
		v.share = d.RingBurstShare
	}
	v.rep = r.Policy.Reputation
	if v.rep.MinAge == 0 {
		v.rep.MinAge = d.Reputation.MinAge
	}
	if v.rep.MinPurchases == 0 {
		v.rep.MinPurchases = d.Reputation.MinPurchases
	}
	if v.rep.Factor == 0 {
		v.rep.Factor = d.Reputation.Factor
	}
	return v
}

// respond returns the most severe action of the ladder for score and
// stake.
func (v *resolved) respond(score float64, stake int64) fraudgraph.Action {
	a := fraudgraph.ActionAllow
	for _, s := range v.ladder {
		if score >= s.MinScore && stake >= s.MinStake {
			a = max(a, s.Action)
		}
	}
	return a
}

// kind returns the policy of a kind.
func (v *resolved) kind(name string) KindPolicy {
	if kp, ok := v.kinds[name]; ok {
		return kp
	}
	return KindPolicy{Weight: 0.5}
}
