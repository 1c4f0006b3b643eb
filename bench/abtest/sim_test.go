// Package abtest holds the long simulations of the abtest package, run
// through its public API: go test -run . with CRAFTKIT_LONG=1.
package abtest

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/craftkit/craftkit/abtest"
)

func long(t *testing.T) int {
	if os.Getenv("CRAFTKIT_LONG") != "1" {
		t.Skip("simulation: set CRAFTKIT_LONG=1")
	}
	return 20000
}

// wilson returns the 95 % Wilson interval of k successes in n.
func wilson(k, n int) (lo, hi float64) {
	const z = 1.959963984540054
	p, nf := float64(k)/float64(n), float64(n)
	c := (p + z*z/(2*nf)) / (1 + z*z/nf)
	h := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / (1 + z*z/nf)
	return c - h, c + h
}

// conversionRun feeds days equal daily batches of perDay visitors per arm
// converting at pc and pt and calls look with the cumulative counts after
// each day; it returns whether look ever returned true.
func conversionRun(src rand.Source, days int, perDay float64, pc, pt float64, look func(day int, c, t abtest.Sample) bool) bool {
	bc := distuv.Binomial{N: perDay, P: pc, Src: src}
	bt := distuv.Binomial{N: perDay, P: pt, Src: src}
	var xc, xt, n int64
	for d := 1; d <= days; d++ {
		n += int64(perDay)
		xc += int64(bc.Rand())
		xt += int64(bt.Rand())
		if look(d, abtest.Conversions(n, xc), abtest.Conversions(n, xt)) {
			return true
		}
	}
	return false
}

// An mSPRT planned with PlanMSPRT realises its planned power.
func TestMSPRTPlannedPower(t *testing.T) {
	runs := long(t)
	for _, tc := range []struct{ p, lift float64 }{{0.03, 0.05}, {0.05, 0.03}, {0.02, 0.10}} {
		p1, p2 := tc.p, tc.p*(1+tc.lift)
		pb := (p1 + p2) / 2
		plan, err := abtest.PlanMSPRT((p2-p1)/math.Sqrt(pb*(1-pb)), 0.05, 0.8, nil)
		if err != nil {
			t.Fatal(err)
		}
		perDay := math.Ceil(float64(plan.MSPRT.Horizon) / float64(plan.Looks))
		src := rand.NewPCG(19, uint64(1000*tc.lift))
		hits := 0
		for range runs {
			var av abtest.AlwaysValid
			if conversionRun(src, plan.Looks, perDay, p1, p2, func(_ int, c, tr abtest.Sample) bool {
				r, err := plan.MSPRT.Evaluate(c, tr)
				if err != nil {
					return false
				}
				if err := av.Add(r); err != nil {
					t.Fatal(err)
				}
				return av.PValue <= plan.MSPRT.Alpha
			}) {
				hits++
			}
		}
		lo, hi := wilson(hits, runs)
		got := float64(hits) / float64(runs)
		t.Logf("p %.3f lift %+.0f %%: horizon %d/arm (%d looks of %.0f), mixing %.4g σ: planned power %.4f, realised %.4f [%.4f, %.4f] over %d runs; fixed-horizon sample %.0f",
			tc.p, 100*tc.lift, plan.MSPRT.Horizon, plan.Looks, perDay, plan.MSPRT.Effect, plan.Power, got, lo, hi, runs, plan.FixedN)
		if math.Abs(got-plan.Power) > 0.03 {
			t.Errorf("realised power %.4f, planned %.4f: more than 3 points apart", got, plan.Power)
		}
	}
}

// Hybrid exceeds its alpha; FalsePositiveRate predicts by how much.
func TestHybridFalsePositives(t *testing.T) {
	runs := long(t)
	for _, days := range []int{14, 28} {
		fr := make([]float64, days)
		for i := range fr {
			fr[i] = float64(i+1) / float64(days)
		}
		h := abtest.Hybrid{Alpha: 0.05}
		th, err := h.Thresholds(fr)
		if err != nil {
			t.Fatal(err)
		}
		want, err := abtest.FalsePositiveRate(h, fr)
		if err != nil {
			t.Fatal(err)
		}
		src := rand.NewPCG(62, uint64(days))
		hits := 0
		for range runs {
			if conversionRun(src, days, 20000, 0.03, 0.03, func(d int, c, tr abtest.Sample) bool {
				cmp, err := abtest.Compare(c, tr, 0.05, abtest.TwoSided)
				return err == nil && cmp.PValue <= th[d-1]
			}) {
				hits++
			}
		}
		lo, hi := wilson(hits, runs)
		t.Logf("Hybrid at 0.05, %d daily looks of 20000/arm at 3 %%: false positives %.4f [%.4f, %.4f] over %d runs; FalsePositiveRate %.4f",
			days, float64(hits)/float64(runs), lo, hi, runs, want)
		if want < lo-0.003 || want > hi+0.003 {
			t.Errorf("FalsePositiveRate %.4f outside the simulated interval [%.4f, %.4f]", want, lo, hi)
		}
	}
}
