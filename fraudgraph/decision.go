package fraudgraph

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Event is a moment at which checks run.
type Event uint8

// Events.
const (
	// EventSignup is a new account being created (possibly through an invite).
	EventSignup Event = iota + 1
	// EventCreditGrant is a referral credit about to be granted.
	EventCreditGrant
	// EventCheckout is a purchase that would spend credits.
	EventCheckout
)

// String returns the event name.
func (e Event) String() string {
	switch e {
	case EventSignup:
		return "signup"
	case EventCreditGrant:
		return "credit-grant"
	case EventCheckout:
		return "checkout"
	}
	return fmt.Sprintf("Event(%d)", uint8(e))
}

// Action is what a check asks for. Actions are ordered by severity; a
// decision takes the most severe action of its findings.
type Action uint8

// Actions, least severe first.
const (
	// ActionAllow lets the event proceed.
	ActionAllow Action = iota
	// ActionReview lets it proceed and opens a manual review task.
	ActionReview
	// ActionBlockCredit refuses the credit on this event.
	ActionBlockCredit
	// ActionRevokeCredits takes back credits already earned.
	ActionRevokeCredits
	// ActionRemoveReferral removes the account's ability to refer.
	ActionRemoveReferral
	// ActionBan bans the account.
	ActionBan
)

// String returns the action name.
func (a Action) String() string {
	switch a {
	case ActionAllow:
		return "allow"
	case ActionReview:
		return "review"
	case ActionBlockCredit:
		return "block-credit"
	case ActionRevokeCredits:
		return "revoke-credits"
	case ActionRemoveReferral:
		return "remove-referral"
	case ActionBan:
		return "ban"
	}
	return fmt.Sprintf("Action(%d)", uint8(a))
}

// MarshalText returns the action's name, so actions read well in JSON.
func (a Action) MarshalText() ([]byte, error) {
	if a > ActionBan {
		return nil, fmt.Errorf("fraudgraph: unknown action %d", uint8(a))
	}
	return []byte(a.String()), nil
}

// UnmarshalText parses an action name as String returns it.
func (a *Action) UnmarshalText(b []byte) error {
	for x := ActionAllow; x <= ActionBan; x++ {
		if x.String() == string(b) {
			*a = x
			return nil
		}
	}
	return fmt.Errorf("fraudgraph: unknown action %q", b)
}

// Input describes an event to check.
type Input struct {
	Event   Event
	Account uint64    // the account acting
	Inviter uint64    // the inviter credited, if any (0: none)
	At      time.Time // when it happened
}

// Finding is the verdict of one rule.
type Finding struct {
	Rule   string
	Action Action
	Reason string // human-readable, with the numbers that triggered it
}

// Decision is the combined verdict of the rules run for an input.
type Decision struct {
	Input    Input
	Action   Action    // most severe finding, ActionAllow without findings
	Findings []Finding // findings other than allow, by rule name
}

// Check inspects an input. It returns the action it asks for (ActionAllow
// when nothing is wrong) and a reason. Thresholds should be read from th
// on every call so they can change at run time.
//
// The engine may call a Check from several goroutines at once, so it must be
// safe for concurrent use.
type Check func(ctx context.Context, g *Graph, in Input, th *Thresholds) (Action, string, error)

// Rule is a named check registered for some events.
type Rule struct {
	Name   string
	Events []Event
	// Heavy rules run only in [Engine.DecideHeavy], typically from a
	// [Runner], not in the synchronous [Engine.Decide].
	Heavy bool
	Check Check
}

// Thresholds holds named numeric thresholds that can be changed while
// checks run. Reads are lock-free. The zero Thresholds is empty and ready
// to use; it is safe for concurrent use.
type Thresholds struct {
	mu sync.Mutex
	m  atomic.Pointer[map[string]float64]
}

// Set sets threshold name to v.
func (t *Thresholds) Set(name string, v float64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	m := map[string]float64{}
	if old := t.m.Load(); old != nil {
		m = maps.Clone(*old)
	}
	m[name] = v
	t.m.Store(&m)
}

// Value returns threshold name, or def when it was never set.
func (t *Thresholds) Value(name string, def float64) float64 {
	if m := t.m.Load(); m != nil {
		if v, ok := (*m)[name]; ok {
			return v
		}
	}
	return def
}

// Errors of the decision layer.
var (
	// ErrRule reports an invalid or duplicate rule.
	ErrRule = errors.New("fraudgraph: invalid rule")
	// ErrQueueFull reports a full [Runner] queue.
	ErrQueueFull = errors.New("fraudgraph: runner queue full")
	// ErrClosed reports use of a closed [Runner].
	ErrClosed = errors.New("fraudgraph: runner closed")
)

// Engine runs the rules registered for an event and applies their
// decisions to the graph's account flags. It records which rules fired on
// which account so review outcomes give each rule's precision.
//
// The zero Engine is not usable; call [NewEngine]. An Engine is safe for
// concurrent use; rules may be registered while decisions run.
type Engine struct {
	g     *Graph
	th    Thresholds
	rules atomic.Pointer[[]Rule]

	mu    sync.Mutex
	fired map[uint64][]string // rules that fired on an account, pending review
	stats map[string]*RuleStats
}

// RuleStats counts a rule's findings and their review outcomes.
type RuleStats struct {
	Rule      string
	Fired     int // findings other than allow
	Reviewed  int // of which a reviewer judged
	Confirmed int // of which the reviewer confirmed fraud
}

// Precision returns Confirmed/Reviewed, or 0 before any review.
func (s RuleStats) Precision() float64 {
	if s.Reviewed == 0 {
		return 0
	}
	return float64(s.Confirmed) / float64(s.Reviewed)
}

// NewEngine returns an engine deciding on g with no rules.
func NewEngine(g *Graph) *Engine {
	e := &Engine{g: g, fired: map[uint64][]string{}, stats: map[string]*RuleStats{}}
	e.rules.Store(&[]Rule{})
	return e
}

// Thresholds returns the engine's thresholds, passed to every check.
func (e *Engine) Thresholds() *Thresholds { return &e.th }

// Register adds rules. A rule needs a name not yet registered, a Check and
// at least one event.
func (e *Engine) Register(rules ...Rule) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	cur := *e.rules.Load()
	next := slices.Clone(cur)
	for _, r := range rules {
		switch {
		case r.Name == "" || r.Check == nil || len(r.Events) == 0:
			return fmt.Errorf("%w: %q needs a name, a check and events", ErrRule, r.Name)
		case slices.ContainsFunc(next, func(x Rule) bool { return x.Name == r.Name }):
			return fmt.Errorf("%w: %q registered twice", ErrRule, r.Name)
		}
		next = append(next, r)
		e.stats[r.Name] = &RuleStats{Rule: r.Name}
	}
	e.rules.Store(&next)
	return nil
}

// Decide runs the light (not Heavy) rules registered for in.Event, then
// applies the decision (see [Engine.Apply]). A failing check is reported
// in the error, joined with the others; the decision of the remaining
// rules is still returned and applied.
func (e *Engine) Decide(ctx context.Context, in Input) (Decision, error) {
	return e.decide(ctx, in, false)
}

// DecideHeavy is [Engine.Decide] for the Heavy rules.
func (e *Engine) DecideHeavy(ctx context.Context, in Input) (Decision, error) {
	return e.decide(ctx, in, true)
}

func (e *Engine) decide(ctx context.Context, in Input, heavy bool) (Decision, error) {
	d := Decision{Input: in}
	var errs []error
	for _, r := range *e.rules.Load() {
		if r.Heavy != heavy || !slices.Contains(r.Events, in.Event) {
			continue
		}
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		a, reason, err := r.Check(ctx, e.g, in, &e.th)
		if err != nil {
			errs = append(errs, fmt.Errorf("fraudgraph: rule %q: %w", r.Name, err))
			continue
		}
		if a != ActionAllow {
			d.Findings = append(d.Findings, Finding{Rule: r.Name, Action: a, Reason: reason})
			d.Action = max(d.Action, a)
		}
	}
	if err := e.Apply(d); err != nil {
		errs = append(errs, err)
	}
	return d, errors.Join(errs...)
}

// Apply records a decision's findings for review statistics and sets the
// account's flags: FlagFlagged for any action beyond allow, FlagNoReferral
// for ActionRemoveReferral and FlagBanned for ActionBan. Revoking and
// blocking credits is the caller's business (the decision says so).
func (e *Engine) Apply(d Decision) error {
	if d.Action == ActionAllow {
		return nil
	}
	e.mu.Lock()
	for _, f := range d.Findings {
		if s := e.stats[f.Rule]; s != nil {
			s.Fired++
		}
		if !slices.Contains(e.fired[d.Input.Account], f.Rule) {
			e.fired[d.Input.Account] = append(e.fired[d.Input.Account], f.Rule)
		}
	}
	e.mu.Unlock()
	f := FlagFlagged
	if d.Action >= ActionRemoveReferral {
		f |= FlagNoReferral
	}
	if d.Action == ActionBan {
		f |= FlagBanned
	}
	return e.g.SetFlags(d.Input.Account, f)
}

// RecordReview records a reviewer's verdict on an account: every rule that
// fired on it since the last review counts one reviewed finding, confirmed
// when fraud is true. Confirmed accounts get FlagConfirmedFraud; cleared
// ones lose FlagFlagged, FlagBanned and FlagNoReferral.
func (e *Engine) RecordReview(account uint64, fraud bool) error {
	e.mu.Lock()
	for _, name := range e.fired[account] {
		if s := e.stats[name]; s != nil {
			s.Reviewed++
			if fraud {
				s.Confirmed++
			}
		}
	}
	delete(e.fired, account)
	e.mu.Unlock()
	if fraud {
		return e.g.SetFlags(account, FlagConfirmedFraud)
	}
	return e.g.ClearFlags(account, FlagFlagged|FlagBanned|FlagNoReferral)
}

// RuleStats returns per-rule counts, by rule name.
func (e *Engine) RuleStats() []RuleStats {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]RuleStats, 0, len(e.stats))
	for _, s := range e.stats {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b RuleStats) int {
		if a.Rule < b.Rule {
			return -1
		}
		return 1
	})
	return out
}

// Growth filters accounts for growth metrics: it yields the accounts that
// are neither flagged, banned nor confirmed fraud (unknown accounts are
// yielded: they have no flags).
func (g *Graph) Growth(accounts iter.Seq[uint64]) iter.Seq[uint64] {
	return func(yield func(uint64) bool) {
		for a := range accounts {
			if f, _ := g.Flags(a); f&(FlagFlagged|FlagBanned|FlagConfirmedFraud) != 0 {
				continue
			}
			if !yield(a) {
				return
			}
		}
	}
}

// DefaultRules returns a starter rule set reading these thresholds (default
// in parentheses):
//
//   - "self-referral" (signup, credit grant): inviter and invitee share a
//     strong or payment fingerprint; blocks the credit when the noisy-or
//     of their direct links' weights (the invite included, as in
//     [Graph.Explain]'s score) reaches "self_referral_score" (0.75).
//     Within a household (a shared [HouseholdKind] fingerprint) whose
//     members redeemed fewer than "household_redemptions" (3) credits,
//     shared cards, devices and IPs are tolerated and not counted.
//   - "ring" (heavy; signup, credit grant): [Graph.Signals] within 2 hops
//     reaching "ring_review" (0.9), with at least "ring_min_burst" (2)
//     related signups in the burst window and at least one related account that
//     redeemed credits and also does (of the first "ring_peers_checked",
//     20) → review; with
//     "ring_ban" (0.97) and two such peers → ban.
//   - "flagged-neighbours" (checkout): blocks the credit when at least
//     "flagged_neighbours" (2) related accounts are flagged.
//   - "referral-farm" (credit grant): removes the inviter's referral
//     ability when "farm_invitees" (3) of its invitees within 1 hop are
//     flagged.
func DefaultRules() []Rule {
	return []Rule{
		{Name: "self-referral", Events: []Event{EventSignup, EventCreditGrant}, Check: checkSelfReferral},
		{Name: "ring", Events: []Event{EventSignup, EventCreditGrant}, Heavy: true, Check: checkRing},
		{Name: "flagged-neighbours", Events: []Event{EventCheckout}, Check: checkFlaggedNeighbours},
		{Name: "referral-farm", Events: []Event{EventCreditGrant}, Check: checkReferralFarm},
	}
}

// sharedFP is a fingerprint two accounts share directly.
type sharedFP struct {
	kind     string
	weight   float64 // kind weight, down-weighted for supernodes
	payment  bool
	accounts int // accounts presenting it
	redeemed int // of which flagged FlagRedeemed (counted for households only)
}

// HouseholdKind is the fingerprint kind naming a household or postal
// address. Accounts sharing one are one household to the default rules'
// tolerance.
const HouseholdKind = "household"

// householdTolerated lists the kinds a household shares legitimately: a
// family pays with one card, uses one tablet and one home connection.
func householdTolerated(kind string, payment bool) bool {
	return payment || kind == HouseholdKind || kind == "device" || kind == "ip"
}

// shared returns the fingerprints accounts a and b both presented and
// whether one invited the other.
func (g *Graph) shared(a, b uint64) ([]sharedFP, bool, error) {
	da, err := g.dense(a)
	if err != nil {
		return nil, false, err
	}
	db, err := g.dense(b)
	if err != nil {
		return nil, false, err
	}
	st := g.st.Load()
	kinds := *g.kinds.Load()
	invited := false
	st.eachInvite(da, func(v uint32) bool {
		invited = v&^inviterBit == db
		return !invited
	})
	var buf [16]uint32
	afps := buf[:0]
	st.eachFingerprint(da, func(f uint32) bool { afps = append(afps, f); return len(afps) < 256 })
	var out []sharedFP
	st.eachFingerprint(db, func(f uint32) bool {
		if !slices.Contains(afps, f) {
			return true
		}
		info := g.fpInfo.load(f)
		k := kinds[info>>24]
		s := sharedFP{kind: k.name, weight: k.Weight, payment: k.Payment, accounts: int(info & countMask)}
		if s.accounts > int(k.cap) {
			s.weight /= math.Log2(float64(s.accounts))
		}
		if k.name == HouseholdKind {
			st.eachMember(f, func(v uint32) bool {
				if g.flagsOf(v)&FlagRedeemed != 0 {
					s.redeemed++
				}
				return s.redeemed < 1<<16
			})
		}
		out = append(out, s)
		return len(out) < 256
	})
	return out, invited, nil
}

func checkSelfReferral(_ context.Context, g *Graph, in Input, th *Thresholds) (Action, string, error) {
	if in.Inviter == 0 {
		return ActionAllow, "", nil
	}
	sh, invited, err := g.shared(in.Inviter, in.Account)
	if err != nil {
		return ActionAllow, "", err
	}
	// A household within its tolerance keeps its shared card, device and
	// IP: a referral programme should trust families to share a credit card.
	household := -1
	for _, s := range sh {
		if s.kind == HouseholdKind {
			household = max(household, s.redeemed)
		}
	}
	tolerance := th.Value("household_redemptions", 3)
	tolerated := household >= 0 && float64(household) < tolerance
	limit := th.Value("self_referral_score", 0.75)
	direct := 1.0 // as in Explain: the noisy-or of every direct link
	if invited {
		direct = 1 - (*g.kinds.Load())[0].Weight
	}
	var strong []string
	var counts []int
	for _, s := range sh {
		if tolerated && householdTolerated(s.kind, s.payment) {
			continue
		}
		direct *= 1 - s.weight
		if !s.payment && s.weight < strongWeight {
			continue
		}
		if i := slices.Index(strong, s.kind); i >= 0 {
			counts[i]++
		} else {
			strong, counts = append(strong, s.kind), append(counts, 1)
		}
	}
	shown := make([]string, len(strong))
	for i, k := range strong {
		shown[i] = fmt.Sprintf("%d %s", counts[i], k)
	}
	score := 1 - direct
	if len(strong) == 0 || score < limit {
		return ActionAllow, "", nil
	}
	why := fmt.Sprintf("inviter %d shares %v with the invitee (score %.2f >= %.2f)", in.Inviter, shown, score, limit)
	if household >= 0 && !tolerated {
		why += fmt.Sprintf("; their household already redeemed %d credits (tolerance %.0f)", household, tolerance)
	}
	return ActionBlockCredit, why, nil
}

func checkRing(_ context.Context, g *Graph, in Input, th *Thresholds) (Action, string, error) {
	q := Query{MaxHops: 2}
	s, err := g.Signals(in.Account, q)
	if err != nil {
		return ActionAllow, "", err
	}
	review, ban := th.Value("ring_review", 0.9), th.Value("ring_ban", 0.97)
	if s.Score < review || float64(s.Burst) < th.Value("ring_min_burst", 2) {
		return ActionAllow, "", nil
	}
	// A ring has more than one suspect: count related accounts that
	// redeemed credits and score as high (among the first
	// ring_peers_checked), as Graph.Rings groups suspects. A lone high
	// score is usually a friend group's burst.
	rel, err := g.Related(in.Account, q)
	if err != nil {
		return ActionAllow, "", err
	}
	peers := 0
	for i, r := range rel {
		if i == int(th.Value("ring_peers_checked", 20)) {
			break
		}
		if f, _ := g.Flags(r.Account); f&FlagRedeemed == 0 {
			continue // rings exist to redeem credits
		}
		if ps, err := g.Signals(r.Account, q); err == nil && ps.Score >= review {
			peers++
		}
	}
	why := fmt.Sprintf("ring score %.3f with %d suspect peers: %d related, %d joined within the burst window, %d share payment, %d strong links, %d redeemed",
		s.Score, peers, s.Related, s.Burst, s.SharedPayment, s.StrongLinks, s.Redeemed)
	switch {
	case peers == 0:
		return ActionAllow, "", nil
	case s.Score >= ban && peers >= 2:
		return ActionBan, why, nil
	}
	return ActionReview, why, nil
}

func checkFlaggedNeighbours(_ context.Context, g *Graph, in Input, th *Thresholds) (Action, string, error) {
	s, err := g.Signals(in.Account, Query{MaxHops: 2})
	if err != nil {
		return ActionAllow, "", err
	}
	if limit := th.Value("flagged_neighbours", 2); float64(s.Flagged) >= limit {
		return ActionBlockCredit, fmt.Sprintf("%d related accounts are flagged (>= %.0f)", s.Flagged, limit), nil
	}
	return ActionAllow, "", nil
}

func checkReferralFarm(_ context.Context, g *Graph, in Input, th *Thresholds) (Action, string, error) {
	if in.Inviter == 0 {
		return ActionAllow, "", nil
	}
	rel, err := g.Related(in.Inviter, Query{MaxHops: 1, Via: ViaInvites, Window: -1})
	if err != nil {
		return ActionAllow, "", err
	}
	n := 0
	for _, r := range rel {
		if f, _ := g.Flags(r.Account); f&(FlagFlagged|FlagBanned|FlagConfirmedFraud) != 0 {
			n++
		}
	}
	if limit := th.Value("farm_invitees", 3); float64(n) >= limit {
		return ActionRemoveReferral, fmt.Sprintf("inviter %d has %d flagged invite links (>= %.0f)", in.Inviter, n, limit), nil
	}
	return ActionAllow, "", nil
}
