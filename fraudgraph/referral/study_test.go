package referral_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/craftkit/craftkit/fraudgraph/gen"
	"github.com/craftkit/craftkit/fraudgraph/referral"
)

// studyRules are the programme terms of the generated-history study.
func studyRules() referral.Rules {
	return referral.Rules{
		Currency:   "EUR",
		Discount:   10_00,
		MinSpend:   30_00,
		Reward:     15_00,
		InviterCap: 150_00,
		ClusterCap: 60_00,
	}
}

// studyResult is the outcome of one generated history.
type studyResult struct {
	base, prot           referral.Report
	ringBase, ringLost   int64 // money paid to ring members: unprotected, protected
	hhBase, hhLost       int64 // legitimate household members' credits, and withheld of them
	heavyBase, heavyLost int64
	legitBase, legitLost int64
}

func runStudy(t testing.TB, n int, seed uint64) studyResult {
	t.Helper()
	ctx := context.Background()
	h := gen.GenerateHistory(gen.HistoryConfig{Config: gen.Config{Accounts: n, Seed: seed}})
	g, err := h.Build(fraudgraph.Config{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := referral.Precompute(ctx, g, h.Events)
	if err != nil {
		t.Fatal(err)
	}
	heavy := map[uint64]bool{}
	for _, a := range h.Heavy {
		heavy[a] = true
	}
	var r studyResult
	base := studyRules()
	base.Policy.Off = true
	paid := map[[2]uint64]bool{} // credits paid without protection
	r.base, err = referral.Backtest(ctx, base, referral.Replay{Events: h.Events, Features: f, Fraud: h.Fraud,
		OnCredit: func(c referral.Credit) {
			if !c.Paid {
				return
			}
			paid[[2]uint64{c.Account, uint64(c.Type)}] = true
			switch {
			case h.Fraud(c.Account):
				r.ringBase += c.Amount.Minor
			case h.HouseholdMember(c.Account):
				r.hhBase += c.Amount.Minor
			case heavy[c.Account]:
				r.heavyBase += c.Amount.Minor
			}
			if !h.Fraud(c.Account) {
				r.legitBase += c.Amount.Minor
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	r.prot, err = referral.Backtest(ctx, studyRules(), referral.Replay{Events: h.Events, Features: f, Fraud: h.Fraud,
		OnCredit: func(c referral.Credit) {
			switch {
			case h.Fraud(c.Account):
				if c.Paid {
					r.ringLost += c.Amount.Minor
				}
			case c.Paid:
			case h.HouseholdMember(c.Account):
				r.hhLost += c.Amount.Minor
			case heavy[c.Account]:
				r.heavyLost += c.Amount.Minor
			}
			if !h.Fraud(c.Account) && !c.Paid {
				r.legitLost += c.Amount.Minor
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (r studyResult) String() string {
	pct := func(a, b int64) float64 { return 100 * float64(a) / float64(max(b, 1)) }
	c := r.prot.Confusion
	return fmt.Sprintf("ring money lost %d of %d unprotected (%.2f%%); honest households lost %d of %d (%.2f%%); heavy inviters lost %d of %d (%.2f%%); all legitimate lost %d of %d (%.2f%%)\n"+
		"confusion (credits/amount): fraud withheld %d/%v, fraud paid %d/%v, legit withheld %d/%v, legit paid %d/%v; actions %v; tasks %d; withheld by rule %v",
		r.ringLost, r.ringBase, pct(r.ringLost, r.ringBase), r.hhLost, r.hhBase, pct(r.hhLost, r.hhBase),
		r.heavyLost, r.heavyBase, pct(r.heavyLost, r.heavyBase), r.legitLost, r.legitBase, pct(r.legitLost, r.legitBase),
		c.FraudWithheld.Credits, c.FraudWithheld.Amount, c.FraudPaid.Credits, c.FraudPaid.Amount,
		c.LegitWithheld.Credits, c.LegitWithheld.Amount, c.LegitPaid.Credits, c.LegitPaid.Amount, r.prot.Actions, r.prot.Tasks, r.prot.ByRule)
}

// TestStudy checks the programme's targets on a generated history: money
// lost to rings at most 5 % of the unprotected baseline, honest
// households losing at most 1 % of their legitimate credits. Generator
// and rules were written together: this is a regression check, not a
// promise on real traffic. CRAFTKIT_LONG=1 runs a million accounts.
func TestStudy(t *testing.T) {
	n := 30_000 // smaller histories plant too few rings for a 5 % bound
	if os.Getenv("CRAFTKIT_LONG") != "" {
		n = 1_000_000
	}
	seeds := []uint64{1, 2}
	if os.Getenv("CRAFTKIT_LONG") != "" {
		seeds = []uint64{1, 2, 3}
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := runStudy(t, n, seed)
			t.Log(r)
			if r.ringLost*20 > r.ringBase {
				t.Errorf("ring money lost %d, more than 5%% of the unprotected %d", r.ringLost, r.ringBase)
			}
			if r.hhLost*100 > r.hhBase {
				t.Errorf("honest households lost %d, more than 1%% of their %d", r.hhLost, r.hhBase)
			}
		})
	}
}
