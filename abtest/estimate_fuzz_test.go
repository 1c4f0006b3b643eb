package abtest

import (
	"math"
	"testing"
)

// FuzzEstimateStop checks that any stop of a five-look design, with or
// without futility boundaries, gives finite and ordered estimates or an
// error, never a panic.
func FuzzEstimateStop(f *testing.F) {
	f.Add(1, 3.5, 0.01, 0.05, true, false, false)
	f.Add(4, -2.1, 1e-300, 0.5, true, true, false)
	f.Add(0, 40.0, 1e300, 1e-9, false, false, true)
	f.Add(2, -0.3, 1.0, 0.05, false, true, false)
	f.Add(-1, math.NaN(), 1.0, 0.05, false, false, false)
	info, bounds := fiveLookBounds(f)
	fut := []float64{-1, 0, 0.8, 1.4, 1.96}
	f.Fuzz(func(t *testing.T, look int, z, se, alpha float64, two, futility, last bool) {
		s := Stop{Info: info, Look: look, Bounds: bounds[two], Sides: OneSided, Z: z, SE: se, Last: last}
		if two {
			s.Sides = TwoSided
		}
		if futility {
			s.Futility = fut
		}
		e, err := EstimateStop(s, alpha)
		if err != nil {
			return
		}
		for _, iv := range []Interval{e.Stagewise, e.Conditional, e.ConditionalLook} {
			tol := 1e-6 * (math.Abs(iv.Estimate) + se)
			if !finite(iv.Estimate, iv.Low, iv.High) || iv.Low > iv.Estimate+tol || iv.Estimate > iv.High+tol {
				t.Fatalf("EstimateStop(%+v, %v) = %+v", s, alpha, e)
			}
		}
	})
}
