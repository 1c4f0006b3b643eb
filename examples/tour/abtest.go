package main

import (
	"fmt"
	"io"

	"github.com/craftkit/craftkit/abtest"
)

// tourABTest shows why peeking needs a design: the exact false-positive
// rate of checking a p-value after every pair of visitors, then the same
// with an alpha-spending design, and a daily report.
func tourABTest(w io.Writer) error {
	fmt.Fprintln(w, "abtest: sequential A/B tests that stay honest when people peek")
	const pairs, alpha = 200, 0.1
	naive, err := abtest.DesignRule(abtest.Naive{Alpha: alpha}, pairs, abtest.TwoSided)
	if err != nil {
		return err
	}
	fpr, err := abtest.AuditConversion(0.5, pairs, naive)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  peeking at p < %.2f after each of %d pairs: false-positive rate %.3f (exact)\n", alpha, pairs, fpr)
	seq, err := abtest.DesignRule(abtest.SpendingDesign{Alpha: alpha}, pairs, abtest.TwoSided)
	if err != nil {
		return err
	}
	fpr, err = abtest.AuditConversion(0.5, pairs, seq)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  same peeks with O'Brien-Fleming-type spending:     false-positive rate %.3f\n", fpr)

	b, err := abtest.Boundaries([]float64{0.2, 0.4, 0.6, 0.8, 1}, 0.05, abtest.TwoSided, abtest.OBrienFlemingSpending)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  5-look boundaries (z): %.3f\n", b)
	plan, err := abtest.PlanMiller(0.4, 0.05, 0.8)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  Miller's test for +40 %%: stop when T−C reaches %d, give up at %d conversions\n", plan.D, plan.N)

	daily := make([]float64, 14)
	for i := range daily {
		daily[i] = float64(i+1) / 14
	}
	for _, d := range []abtest.Design{abtest.SpendingDesign{}, abtest.Hybrid{}} {
		fpr, err := abtest.FalsePositiveRate(d, daily)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-22T looked at daily for 14 days: false-positive rate %.4f\n", d, fpr)
	}

	m, err := abtest.NewMonitor(20000, &abtest.MonitorOptions{MDE: 0.1})
	if err != nil {
		return err
	}
	for day := 1; day <= 8; day++ {
		n := int64(2500 * day)
		r, err := m.Observe(day, abtest.Conversions(n, n/10), abtest.Conversions(n, n*109/1000))
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  day %d: %-15s | %s (days to the target: %d)\n", day, r.Status, r.Header, r.DaysToPower)
		if r.Stop {
			fmt.Fprintf(w, "  raw lift %+.1f %%; shown %+.1f %% [%+.1f %%, %+.1f %%], the %s; power for +10 %% at this look %.2f\n",
				100*r.RawLift, 100*r.Lift, 100*r.LiftLow, 100*r.LiftHigh, r.Estimator, r.Power)
			break
		}
	}
	return nil
}
