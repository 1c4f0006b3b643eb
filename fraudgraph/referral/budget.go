package referral

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// Scope is what one identity cluster, inviter or the whole programme was
// paid in a budget window and can still be paid. It is a plain value.
type Scope struct {
	Paid Money
	// Cap is the per-window cap; Capped is false when the rules set none.
	Cap    Money
	Capped bool
	// WorstCase bounds what the scope can still be paid in the window:
	// the cap's headroom, and for inviters and clusters also the credits
	// their pending invites can still earn. Bounded is false when neither
	// bounds it (the whole programme without a Budget).
	WorstCase Money
	Bounded   bool
}

// Exposure is the worst-case budget around one account. It is a plain
// value.
type Exposure struct {
	Account     uint64
	Start, End  time.Time // the budget window
	Cluster     Scope     // the account and its identity cluster
	ClusterSize int       // accounts in the cluster, the account included
	Inviter     Scope     // the account as an inviter (rewards)
	Programme   Scope
}

// Exposure reports what account's identity cluster, the account as an
// inviter and the whole programme were paid in the budget window holding
// at, and the most they can still be paid in it. The programme keeps
// each account's latest window only, so ask about the current window: an
// earlier one reports what was paid in it as zero.
func (p *Programme) Exposure(ctx context.Context, account uint64, at time.Time) (Exposure, error) {
	if at.IsZero() || account == 0 {
		return Exposure{}, fmt.Errorf("%w: exposure of account %d at %v", ErrEvent, account, at)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	win := p.winOf(at.Unix())
	x := Exposure{Account: account, Start: time.Unix(win*p.r.window, 0).UTC(), End: time.Unix((win+1)*p.r.window, 0).UTC()}
	f, err := p.features(ctx, Reward, account, 0)
	if err != nil {
		return x, err
	}
	members := append([]uint64{account}, f.cluster...)
	x.ClusterSize = len(members)
	var paid, pending int64
	for _, m := range members {
		a := p.accts[m]
		if a == nil {
			continue
		}
		paid += p.paidIn(a, win)
		pending += p.pendingOf(a)
	}
	x.Cluster = p.scope(paid, p.r.ClusterCap, pending, true)
	inv := p.accts[account]
	var rewards, invPending int64
	if inv != nil {
		rewards = p.rewardsIn(inv, win)
		invPending = p.rewardsPending(inv)
	}
	x.Inviter = p.scope(rewards, p.r.InviterCap, invPending, true)
	progPaid := int64(0)
	if p.progWin == win {
		progPaid = p.progPaid
	}
	x.Programme = p.scope(progPaid, p.r.Budget, 0, false)
	return x, nil
}

// scope builds a Scope; pending bounds the worst case when structural.
func (p *Programme) scope(paid, limit, pending int64, structural bool) Scope {
	s := Scope{Paid: p.money(paid), Cap: p.money(limit), Capped: limit > 0, WorstCase: p.money(0)}
	switch {
	case limit > 0 && structural:
		s.WorstCase.Minor = min(max(limit-paid, 0), pending)
		s.Bounded = true
	case limit > 0:
		s.WorstCase.Minor = max(limit-paid, 0)
		s.Bounded = true
	case structural:
		s.WorstCase.Minor = pending
		s.Bounded = true
	}
	return s
}

// rewardsPending is the most an inviter's undecided invites can still
// earn in rewards.
func (p *Programme) rewardsPending(a *account) int64 {
	undecided := int64(a.invites - a.decided)
	return (int64(a.friends)%int64(p.r.k) + undecided) / int64(p.r.k) * p.r.Reward
}

// pendingOf is the most account a can still be paid: its own discount if
// undecided, and its pending rewards.
func (p *Programme) pendingOf(a *account) int64 {
	v := p.rewardsPending(a)
	if a.inviter != 0 && !a.discounted {
		v += p.r.Discount
	}
	return v
}

// Ranking orders [Programme.TopInviters].
type Ranking uint8

// Rankings.
const (
	// ByInvites ranks inviters by out-degree (invites sent).
	ByInvites Ranking = iota
	// ByRedeemed ranks by the credits redeemed through them: their
	// rewards plus their invitees' discounts.
	ByRedeemed
)

// Inviter summarises one inviter. It is a plain value.
type Inviter struct {
	Account  uint64
	Invites  int   // out-degree
	Friends  int   // invitees whose discount was paid
	Rewards  Money // paid to the inviter
	Redeemed Money // rewards plus the invitees' discounts
	// Status is the inviter's status in force (allow when none).
	Status Status
}

// TopInviters returns the n most successful inviters by the ranking, ties
// broken by account id, so they can be congratulated or reviewed.
func (p *Programme) TopInviters(n int, by Ranking) []Inviter {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Inviter
	for id, a := range p.accts {
		if a.invites == 0 {
			continue
		}
		st, _ := p.statuses.current(id)
		out = append(out, Inviter{Account: id, Invites: int(a.invites), Friends: int(a.friends),
			Rewards: p.money(a.rewardsPaid), Redeemed: p.money(a.rewardsPaid + a.inviteesPaid), Status: st})
	}
	key := func(x Inviter) int64 {
		if by == ByRedeemed {
			return x.Redeemed.Minor
		}
		return int64(x.Invites)
	}
	slices.SortFunc(out, func(a, b Inviter) int {
		if c := cmp.Compare(key(b), key(a)); c != 0 {
			return c
		}
		return cmp.Compare(a.Account, b.Account)
	})
	return out[:min(max(n, 0), len(out))]
}
