package referral

import (
	"context"
	"fmt"

	"github.com/craftkit/craftkit/fraudgraph"
)

// Cell is one cell of a [Confusion] table. It is a plain value.
type Cell struct {
	Credits int
	Amount  Money
}

// Confusion crosses the credits of a backtest with the labels: fraud or
// legitimate beneficiary, credit withheld or paid. It is a plain value.
type Confusion struct {
	FraudWithheld, FraudPaid, LegitWithheld, LegitPaid Cell
}

// Report is the outcome of a [Backtest]. It is a plain value.
type Report struct {
	Events  int
	Credits int
	// Actions counts credits by action (index: fraudgraph.Action).
	Actions [fraudgraph.ActionBan + 1]int
	// Tasks counts the review tasks the run opened.
	Tasks    int
	Paid     Money
	Withheld Money
	// Saved is what was withheld from fraudulent beneficiaries, Lost what
	// was paid to them, WronglyWithheld what was withheld from legitimate
	// ones.
	Saved, Lost, WronglyWithheld Money
	Confusion                    Confusion
	// ByRule counts the withheld credits each rule gave a reason for.
	ByRule map[string]int
}

// Replay is the history a [Backtest] replays. It is a plain value.
type Replay struct {
	// Events are replayed in order.
	Events []Event
	// Features is the precomputed graph evidence (see [Precompute]); nil
	// replays the money rules only.
	Features *Features
	// Fraud reports whether a beneficiary is fraudulent: the review
	// labels. Nil labels every account legitimate.
	Fraud func(account uint64) bool
	// OnCredit, when set, sees every credit decided.
	OnCredit func(Credit)
}

// Backtest replays h through a new programme with candidate rules and
// scores every credit against the labels, so thresholds are tuned on
// history before they go live. Invalid events stop the replay with their
// error. It checks ctx every 4096 events.
func Backtest(ctx context.Context, candidate Rules, h Replay) (Report, error) {
	p, err := New(Config{Rules: candidate, Features: h.Features})
	if err != nil {
		return Report{}, err
	}
	cur := candidate.Currency
	rep := Report{ByRule: map[string]int{}}
	for _, m := range []*Money{&rep.Paid, &rep.Withheld, &rep.Saved, &rep.Lost, &rep.WronglyWithheld,
		&rep.Confusion.FraudWithheld.Amount, &rep.Confusion.FraudPaid.Amount, &rep.Confusion.LegitWithheld.Amount, &rep.Confusion.LegitPaid.Amount} {
		m.Currency = cur
	}
	fraud := h.Fraud
	for i, ev := range h.Events {
		if i%4096 == 0 && ctx.Err() != nil {
			return rep, ctx.Err()
		}
		out, err := p.Process(ctx, ev)
		if err != nil {
			return rep, fmt.Errorf("referral: backtest event %d: %w", i, err)
		}
		rep.Events++
		for _, c := range out.Credits {
			if h.OnCredit != nil {
				h.OnCredit(c)
			}
			rep.Credits++
			rep.Actions[c.Action]++
			if c.Task != 0 {
				rep.Tasks++
			}
			bad := fraud != nil && fraud(c.Account)
			cell := &rep.Confusion.LegitPaid
			switch {
			case bad && c.Paid:
				cell = &rep.Confusion.FraudPaid
				rep.Lost.Minor += c.Amount.Minor
			case bad:
				cell = &rep.Confusion.FraudWithheld
				rep.Saved.Minor += c.Amount.Minor
			case !c.Paid:
				cell = &rep.Confusion.LegitWithheld
				rep.WronglyWithheld.Minor += c.Amount.Minor
			}
			cell.Credits++
			cell.Amount.Minor += c.Amount.Minor
			if c.Paid {
				rep.Paid.Minor += c.Amount.Minor
				continue
			}
			rep.Withheld.Minor += c.Amount.Minor
			for _, r := range c.Reasons {
				if r.Rule != "household-tolerance" && r.Rule != "reputation" {
					rep.ByRule[r.Rule]++
				}
			}
		}
	}
	return rep, nil
}
