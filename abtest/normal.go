package abtest

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

const invSqrt2Pi = 0.3989422804014327 // 1/sqrt(2π)

// normCDF returns Φ(x), the standard normal distribution function.
func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// normSF returns 1-Φ(x) without cancellation in the upper tail.
func normSF(x float64) float64 { return 0.5 * math.Erfc(x/math.Sqrt2) }

// normPDF returns φ(x).
func normPDF(x float64) float64 { return invSqrt2Pi * math.Exp(-0.5*x*x) }

// normQuantile returns Φ⁻¹(p) for p in [0, 1]; ±Inf at the ends.
func normQuantile(p float64) float64 {
	if !(p > 0) {
		return math.Inf(-1)
	}
	if p >= 1 {
		return math.Inf(1)
	}
	return mathext.NormalQuantile(p)
}

// normUpperQuantile returns z with 1-Φ(z) = q, accurate for tiny q.
func normUpperQuantile(q float64) float64 { return -normQuantile(q) }

// finite reports whether all values are finite numbers.
func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// inUnit reports whether x lies strictly between 0 and 1.
func inUnit(x float64) bool { return x > 0 && x < 1 }
