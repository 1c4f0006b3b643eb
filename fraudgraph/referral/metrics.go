package referral

import (
	"fmt"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
)

// Period holds a programme's metrics over one period. It is a plain value.
type Period struct {
	Start, End time.Time
	Signups    int // accounts that signed up
	Invited    int // of which through an invite
	// Fraud counts signups whose status in force is block-credit or
	// worse (confirmed by review or not yet reviewed).
	Fraud int
	// Growth is Signups - Fraud: growth filtered of fraud.
	Growth int
	// FraudRate is Fraud/Signups.
	FraudRate float64
	Paid      Money // credits paid
	Withheld  Money // credits withheld
	// AcceptedRisk is the part of Paid the programme paid knowingly: credits
	// paid with a risk score of 0.5 or more (sent to review) or under a
	// household tolerance.
	AcceptedRisk Money
	// CostPerGrowth is Paid/Growth, the credits spent per account of real
	// growth; zero without growth.
	CostPerGrowth Money
}

// Metrics reports the programme per period in [from, to), for a
// scheduled review: growth filtered of fraud, spend on accepted risk and
// the programme's cost by fraud rate. Periods are period long from from;
// at most 10,000 are returned.
func (p *Programme) Metrics(from, to time.Time, period time.Duration) ([]Period, error) {
	if period <= 0 || !to.After(from) || to.Sub(from)/period >= 10_000 {
		return nil, fmt.Errorf("%w: metrics from %v to %v by %v (at most 10,000 periods)", ErrEvent, from, to, period)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	n := int((to.Sub(from) + period - 1) / period)
	out := make([]Period, n)
	for i := range out {
		out[i].Start = from.Add(time.Duration(i) * period)
		out[i].End = out[i].Start.Add(period)
		if out[i].End.After(to) {
			out[i].End = to
		}
		out[i].Paid, out[i].Withheld, out[i].AcceptedRisk, out[i].CostPerGrowth = p.money(0), p.money(0), p.money(0), p.money(0)
	}
	idx := func(at int64) int {
		t := time.Unix(at, 0)
		if t.Before(from) || !t.Before(to) {
			return -1
		}
		return int(t.Sub(from) / period)
	}
	for _, a := range p.accts {
		if !a.signupCounted {
			continue
		}
		i := idx(a.joined)
		if i < 0 {
			continue
		}
		out[i].Signups++
		if a.inviter != 0 {
			out[i].Invited++
		}
		if a.status >= fraudgraph.ActionBlockCredit {
			out[i].Fraud++
		}
	}
	for _, c := range p.log {
		i := idx(c.at)
		if i < 0 {
			continue
		}
		if !c.paid {
			out[i].Withheld.Minor += c.amount
			continue
		}
		out[i].Paid.Minor += c.amount
		if c.score >= 0.5 || c.tolerated {
			out[i].AcceptedRisk.Minor += c.amount
		}
	}
	for i := range out {
		o := &out[i]
		o.Growth = o.Signups - o.Fraud
		if o.Signups > 0 {
			o.FraudRate = float64(o.Fraud) / float64(o.Signups)
		}
		if o.Growth > 0 {
			o.CostPerGrowth.Minor = o.Paid.Minor / int64(o.Growth)
		}
	}
	return out, nil
}
