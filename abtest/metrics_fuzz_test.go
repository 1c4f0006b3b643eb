package abtest

import (
	"math"
	"testing"
)

// FuzzCompareJoint feeds arbitrary sufficient statistics to CompareRatio
// and CompareCUPED: they never panic, and whatever they accept gives
// finite results with p-values in [0, 1] and intervals around the
// estimate.
func FuzzCompareJoint(f *testing.F) {
	f.Add(int64(3000), 7439.0, 36511.39, 28891.0, 3828059.04, 145309.91, int64(3000), 7627.0, 39640.37, 31035.0, 4315455.58, 168035.11)
	f.Add(int64(3), 6.0, 8.0, 14.0, 30.0, 40.0, int64(2), 0.0, 0.0, 0.0, 0.0, 0.0)
	f.Add(int64(2), 1.0, 1.0, 1.0, 1.0, 1.0, int64(5), 5.0, 5.0, 5.0, 5.0, 5.0)
	f.Fuzz(func(t *testing.T, n0 int64, x0, y0, xx0, yy0, xy0 float64, n1 int64, x1, y1, xx1, yy1, xy1 float64) {
		c := Joint{N: n0, SumX: x0, SumY: y0, SumXX: xx0, SumYY: yy0, SumXY: xy0}
		tr := Joint{N: n1, SumX: x1, SumY: y1, SumXX: xx1, SumYY: yy1, SumXY: xy1}
		check := func(name string, r Comparison) {
			if !finite(r.Diff, r.SE, r.Z, r.PValue, r.DiffLow, r.DiffHigh, r.Lift, r.LiftLow, r.LiftHigh) {
				t.Fatalf("%s(%+v, %+v) = %+v: not finite", name, c, tr, r)
			}
			if r.PValue < 0 || r.PValue > 1 || !(r.DiffLow <= r.Diff && r.Diff <= r.DiffHigh) {
				t.Fatalf("%s(%+v, %+v) = %+v: p-value or interval out of order", name, c, tr, r)
			}
		}
		if r, err := CompareRatio(c, tr, 0.05, TwoSided); err == nil {
			check("CompareRatio", r)
		}
		if r, err := CompareCUPED(c, tr, 0.05, TwoSided); err == nil {
			check("CompareCUPED", r.Comparison)
			if math.IsNaN(r.VarianceReduction) || r.VarianceReduction > 1 {
				t.Fatalf("CompareCUPED(%+v, %+v): variance reduction %v", c, tr, r.VarianceReduction)
			}
		}
	})
}
