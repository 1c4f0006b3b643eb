package referral

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
)

// Graph is what a [Programme] asks of the identity graph;
// *fraudgraph.Graph implements it.
type Graph interface {
	ExplainWithin(a, b uint64, q fraudgraph.Query) (fraudgraph.Explanation, error)
	Signals(account uint64, q fraudgraph.Query) (fraudgraph.Signals, error)
	Related(account uint64, q fraudgraph.Query) ([]fraudgraph.Relation, error)
}

var _ Graph = (*fraudgraph.Graph)(nil)

// EventType says what happened.
type EventType uint8

// Event types.
const (
	// Signup is a new account, invited by Event.Inviter when non-zero.
	Signup EventType = iota + 1
	// Purchase is a purchase of Event.Amount by Event.Account.
	Purchase
)

// String returns "signup" or "purchase".
func (t EventType) String() string {
	switch t {
	case Signup:
		return "signup"
	case Purchase:
		return "purchase"
	}
	return fmt.Sprintf("EventType(%d)", uint8(t))
}

// Event is one entry of a programme's history. It is a plain value.
type Event struct {
	Type    EventType
	At      time.Time
	Account uint64
	Inviter uint64 // Signup: the inviter, 0 for none
	Amount  Money  // Purchase: the amount spent
}

// CreditType says which credit a decision is about.
type CreditType uint8

// Credit types.
const (
	// Discount is the invitee's credit on their first qualifying purchase.
	Discount CreditType = iota + 1
	// Reward is the inviter's credit after K invited friends purchased.
	Reward
)

// String returns "discount" or "reward".
func (t CreditType) String() string {
	switch t {
	case Discount:
		return "discount"
	case Reward:
		return "reward"
	}
	return fmt.Sprintf("CreditType(%d)", uint8(t))
}

// MarshalText returns the credit type's name.
func (t CreditType) MarshalText() ([]byte, error) {
	if t != Discount && t != Reward {
		return nil, fmt.Errorf("referral: unknown credit type %d", uint8(t))
	}
	return []byte(t.String()), nil
}

// UnmarshalText parses a credit type's name.
func (t *CreditType) UnmarshalText(b []byte) error {
	switch string(b) {
	case "discount":
		*t = Discount
	case "reward":
		*t = Reward
	default:
		return fmt.Errorf("referral: unknown credit type %q", b)
	}
	return nil
}

// Reason is one rule's contribution to a decision: the rule name (see
// the package doc's table) and the numbers that triggered it.
type Reason struct {
	Rule   string `json:"rule"`
	Detail string `json:"detail"`
}

// Credit is the decision on one credit. It is a plain value.
type Credit struct {
	Type    CreditType
	Account uint64 // who gets the credit
	Inviter uint64 // the inviter of the pair (the account itself for rewards)
	Amount  Money
	// Action is the graded response; the credit is paid for allow and
	// review, withheld otherwise.
	Action fraudgraph.Action
	Paid   bool
	// Score is the risk score in [0, 1] after tolerance and reputation.
	Score float64
	// Stake is the credit plus what the account's identity cluster was
	// paid in the current window.
	Stake Money
	// Tolerated reports that a household tolerance kept shared kinds out
	// of the score.
	Tolerated bool
	Reasons   []Reason
	Task      uint64 // review task opened, 0 for none
}

// Outcome is what processing one event decided. It is a plain value.
type Outcome struct {
	Event   Event
	Credits []Credit
}

// Config configures a [Programme]. It is a plain value.
type Config struct {
	// Rules are the programme's terms and policy; Rules.Currency is
	// required.
	Rules Rules
	// Graph answers the identity questions; nil runs the money rules
	// only (as with Policy.Off).
	Graph Graph
	// Features, when set, answers identity questions from precomputed
	// features first (see [Precompute]); a backtest uses it.
	Features *Features
	// Sink receives review tasks, verdicts and statuses; nil keeps them
	// in memory only.
	Sink Sink
}

// Errors of the programme.
var (
	// ErrEvent reports an invalid event, verdict or query argument.
	ErrEvent = errors.New("referral: invalid event")
	// ErrUnknownTask reports a verdict on a task never opened.
	ErrUnknownTask = errors.New("referral: unknown review task")
	// ErrReviewed reports a second verdict on a task.
	ErrReviewed = errors.New("referral: task already reviewed")
)

// account is the programme's state of one account.
type account struct {
	joined    int64 // Unix seconds
	inviter   uint64
	purchases int32
	// discount decided (paid or withheld)
	discounted bool
	// as inviter: invites, discounts decided for invitees, friends whose
	// discount was paid, rewards decided
	invites, decided, friends, rewards int32
	// credits paid as beneficiary: window index and amounts in it
	win           int64
	paidWin       int64
	rewardsWin    int64
	paid          int64
	rewardsPaid   int64
	inviteesPaid  int64 // discounts paid to this account's invitees
	tolerated     int32 // credits paid to invitees under household tolerance
	status        fraudgraph.Action
	everFlagged   bool
	signupCounted bool
}

// creditLog is the compact record of a decided credit, for metrics.
type creditLog struct {
	at        int64
	account   uint64
	amount    int64
	score     float32
	action    fraudgraph.Action
	paid      bool
	tolerated bool
	typ       CreditType
}

// Programme runs a referral programme: it replays or receives events,
// decides every credit with reasons, enforces the budgets, opens review
// tasks, keeps per-account status histories and reports.
//
// The zero Programme is not usable; call [New]. A Programme is safe for
// concurrent use: calls are serialised by one mutex, graph queries
// included.
type Programme struct {
	mu    sync.Mutex
	r     resolved
	g     Graph
	feat  *Features
	sink  Sink
	accts map[uint64]*account
	log   []creditLog

	progWin   int64 // window index of progPaid
	progPaid  int64
	ruleStats map[string]*Tally
	kindStats map[string]*Tally
	reviews   reviews
	statuses  statuses
}

// New returns a programme with cfg's rules, or an error wrapping
// [ErrRules] when they are invalid.
func New(cfg Config) (*Programme, error) {
	if err := cfg.Rules.Validate(); err != nil {
		return nil, err
	}
	p := &Programme{r: resolve(cfg.Rules), g: cfg.Graph, feat: cfg.Features, sink: cfg.Sink,
		accts: map[uint64]*account{}, ruleStats: map[string]*Tally{}, kindStats: map[string]*Tally{}}
	p.reviews.init()
	p.statuses.init()
	return p, nil
}

// Rules returns the programme's rules.
func (p *Programme) Rules() Rules { return p.r.Rules }

func (p *Programme) acct(id uint64) *account {
	a := p.accts[id]
	if a == nil {
		a = &account{}
		p.accts[id] = a
	}
	return a
}

func (p *Programme) winOf(at int64) int64 {
	if at < 0 {
		return (at+1)/p.r.window - 1
	}
	return at / p.r.window
}

// Process applies one event and decides the credits it earns: a signup
// records the invite; a purchase of at least MinSpend by an invitee
// decides their discount and, every FriendsPerReward paid discounts, the
// inviter's reward. Invalid events return an error wrapping [ErrEvent]
// (or [ErrCurrency]) and change nothing. Graph errors for accounts the
// graph does not know are not errors: such accounts have no evidence.
func (p *Programme) Process(ctx context.Context, ev Event) (Outcome, error) {
	if err := p.check(ev); err != nil {
		return Outcome{Event: ev}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.process(ctx, ev)
}

func (p *Programme) check(ev Event) error {
	switch {
	case ev.Account == 0:
		return fmt.Errorf("%w: account 0 at %v", ErrEvent, ev.At)
	case ev.At.IsZero():
		return fmt.Errorf("%w: account %d: %s without a time", ErrEvent, ev.Account, ev.Type)
	case ev.Type == Signup && ev.Inviter == ev.Account:
		return fmt.Errorf("%w: account %d invited itself", ErrEvent, ev.Account)
	case ev.Type == Purchase:
		if ev.Amount.Currency != p.r.Currency {
			return fmt.Errorf("%w: account %d: purchase in %q, programme in %s", ErrCurrency, ev.Account, ev.Amount.Currency, p.r.Currency)
		}
		if err := checkAmount(fmt.Sprintf("account %d: purchase", ev.Account), ev.Amount.Minor); err != nil {
			return fmt.Errorf("%w: %w", ErrEvent, err)
		}
	case ev.Type != Signup:
		return fmt.Errorf("%w: account %d: type %v", ErrEvent, ev.Account, ev.Type)
	}
	return nil
}

func (p *Programme) process(ctx context.Context, ev Event) (Outcome, error) {
	out := Outcome{Event: ev}
	at := ev.At.Unix()
	a := p.acct(ev.Account)
	if ev.Type == Signup {
		if !a.signupCounted {
			a.signupCounted = true
			a.joined = at
			if ev.Inviter != 0 && a.inviter == 0 {
				a.inviter = ev.Inviter
				p.acct(ev.Inviter).invites++
			}
		}
		return out, nil
	}
	a.purchases++
	if a.inviter == 0 || a.discounted || ev.Amount.Minor < p.r.MinSpend || p.r.Discount == 0 {
		return out, nil
	}
	a.discounted = true
	inv := p.acct(a.inviter)
	inv.decided++
	c, err := p.decide(ctx, Discount, ev.Account, a, a.inviter, min(p.r.Discount, ev.Amount.Minor), at)
	out.Credits = append(out.Credits, c)
	if err != nil || !c.Paid {
		return out, err
	}
	inv.friends++
	if p.r.Reward == 0 || int(inv.friends)%p.r.k != 0 {
		return out, nil
	}
	inv.rewards++
	c, err = p.decide(ctx, Reward, a.inviter, inv, a.inviter, p.r.Reward, at)
	out.Credits = append(out.Credits, c)
	return out, err
}

// decide decides one credit of amount to beneficiary id (state a) at
// Unix time at.
func (p *Programme) decide(ctx context.Context, typ CreditType, id uint64, a *account, inviter uint64, amount int64, at int64) (Credit, error) {
	c := Credit{Type: typ, Account: id, Inviter: inviter, Amount: Money{amount, p.r.Currency}}
	win := p.winOf(at)
	if p.progWin != win {
		p.progWin, p.progPaid = win, 0
	}
	f, err := p.features(ctx, typ, id, inviter)
	cluster := p.paidIn(a, win)
	for _, m := range f.cluster {
		if ma := p.accts[m]; ma != nil {
			cluster += p.paidIn(ma, win)
		}
	}
	c.Stake = Money{amount + cluster, p.r.Currency}
	withhold := func(rule, detail string) {
		c.Action = max(c.Action, fraudgraph.ActionBlockCredit)
		c.Reasons = append(c.Reasons, Reason{rule, detail})
	}
	// Eligibility and money rules.
	if typ == Reward && a.status >= fraudgraph.ActionRemoveReferral {
		withhold("no-referral", fmt.Sprintf("inviter %d has status %s", id, a.status))
	}
	if typ == Discount && a.status >= fraudgraph.ActionBan {
		withhold("banned", fmt.Sprintf("account %d is banned", id))
	}
	if p.r.Budget > 0 && p.progPaid+amount > p.r.Budget {
		withhold("programme-budget", fmt.Sprintf("programme paid %v this window, budget %v", p.money(p.progPaid), p.money(p.r.Budget)))
	}
	if typ == Reward && p.r.InviterCap > 0 && p.rewardsIn(a, win)+amount > p.r.InviterCap {
		withhold("inviter-cap", fmt.Sprintf("inviter %d was rewarded %v this window, cap %v", id, p.money(p.rewardsIn(a, win)), p.money(p.r.InviterCap)))
	}
	if p.r.ClusterCap > 0 && cluster+amount > p.r.ClusterCap {
		withhold("cluster-cap", fmt.Sprintf("identity cluster (%d account(s)) was paid %v this window, cap %v", len(f.cluster)+1, p.money(cluster), p.money(p.r.ClusterCap)))
	}
	var ev evidence
	if !p.r.Policy.Off {
		ev = p.assess(&c, f, id, a, inviter, at)
		if resp := p.r.respond(c.Score, c.Stake.Minor); resp > fraudgraph.ActionAllow {
			c.Action = max(c.Action, resp)
		}
	}
	c.Paid = c.Action <= fraudgraph.ActionReview
	if c.Paid {
		p.pay(a, win, amount, typ)
		if typ == Discount {
			p.acct(inviter).inviteesPaid += amount
			if c.Tolerated {
				p.acct(inviter).tolerated++
			}
		}
	}
	p.log = append(p.log, creditLog{at: at, account: id, amount: amount, score: float32(c.Score), action: c.Action, paid: c.Paid, tolerated: c.Tolerated, typ: typ})
	if ev.risky {
		if serr := p.escalate(&c, ev, at); serr != nil {
			err = errors.Join(err, serr)
		}
	}
	return c, err
}

func (p *Programme) money(v int64) Money { return Money{v, p.r.Currency} }

func (p *Programme) paidIn(a *account, win int64) int64 {
	if a.win != win {
		return 0
	}
	return a.paidWin
}

func (p *Programme) rewardsIn(a *account, win int64) int64 {
	if a.win != win {
		return 0
	}
	return a.rewardsWin
}

func (p *Programme) pay(a *account, win, amount int64, typ CreditType) {
	if a.win != win {
		a.win, a.paidWin, a.rewardsWin = win, 0, 0
	}
	a.paidWin += amount
	if typ == Reward {
		a.rewardsWin += amount
		a.rewardsPaid += amount
	}
	a.paid += amount
	p.progPaid += amount
}

// evidence is what the policy found, kept for tasks and statuses.
type evidence struct {
	risky bool
	kinds []string
	f     *features
}

// assess scores a credit: self-referral evidence between invitee and
// inviter (after household tolerance), ring signals, reputation.
func (p *Programme) assess(c *Credit, f *features, id uint64, a *account, inviter uint64, at int64) evidence {
	ev := evidence{f: f}
	self := 0.0
	if c.Type == Discount && f.pair != nil {
		household := false
		for _, e := range f.pair.Evidence {
			if e.Kind == fraudgraph.HouseholdKind && e.Shared > 0 {
				household = true
			}
		}
		tol := p.acct(inviter).tolerated
		direct := 1.0
		var shared, kept []string
		for _, e := range f.pair.Evidence {
			if e.Shared == 0 || e.Kind == fraudgraph.KindInvite {
				continue
			}
			kp := p.r.kind(e.Kind)
			if household && (kp.Household < 0 || int(tol) < kp.Household) {
				kept = append(kept, e.Kind)
				continue
			}
			w := kp.Weight
			if e.Shared == e.Supernodes {
				w /= 4
			}
			for range e.Shared {
				direct *= 1 - w
			}
			shared = append(shared, e.Kind)
		}
		self = 1 - direct
		if p.r.respond(self, c.Stake.Minor) == fraudgraph.ActionAllow {
			shared = nil // too weak to act on: not a reason
		}
		if len(kept) > 0 {
			if slices.ContainsFunc(kept, func(k string) bool { return p.r.kind(k).Household >= 0 }) {
				c.Tolerated = true
			}
			c.Reasons = append(c.Reasons, Reason{"household-tolerance", fmt.Sprintf("inviter %d shares %v within a household; %d credits tolerated so far", inviter, kept, tol)})
		}
		if len(shared) > 0 {
			ev.kinds = append(ev.kinds, shared...)
			c.Reasons = append(c.Reasons, Reason{"self-referral", fmt.Sprintf("inviter %d shares %v with the invitee (score %.2f)", inviter, shared, self)})
		}
	}
	ring := 0.0
	sg := f.sig
	if f.hasSig && sg.Burst >= p.r.burst && float64(sg.Burst) >= p.r.share*float64(sg.Related) {
		ring = f.sig.Score
		if p.r.respond(ring, c.Stake.Minor) > fraudgraph.ActionAllow {
			ev.kinds = append(ev.kinds, "ring")
			c.Reasons = append(c.Reasons, Reason{"ring", fmt.Sprintf("ring score %.2f: %d related, %d joined in a burst, %d share payment, %d strong links, %d redeemed, %d flagged",
				f.sig.Score, f.sig.Related, f.sig.Burst, f.sig.SharedPayment, f.sig.StrongLinks, f.sig.Redeemed, f.sig.Flagged)})
		}
	}
	c.Score = max(self, ring)
	rp := p.r.rep
	if c.Score > 0 && a.purchases >= int32(rp.MinPurchases) && a.joined != 0 && at-a.joined >= int64(rp.MinAge/time.Second) && !a.everFlagged {
		c.Score *= rp.Factor
		c.Reasons = append(c.Reasons, Reason{"reputation", fmt.Sprintf("account %d: %d purchases over %v, never flagged; score x%.2f", id, a.purchases, time.Duration(at-a.joined)*time.Second, rp.Factor)})
	}
	ev.risky = p.r.respond(c.Score, c.Stake.Minor) > fraudgraph.ActionAllow
	return ev
}
