package abtest

import "math"

// maxLooks bounds the number of looks of a design (10000 looks take
// one to four seconds; the cost grows faster than linearly beyond).
const maxLooks = 10000

// maxRepeatedLooks bounds the looks of the functions that integrate over
// the whole design many times: [PocockConstant] and
// [OBrienFlemingConstant] (about 60 passes) and [AdjustEstimate] (about
// 400 passes).
const maxRepeatedLooks = 1000

// PocockConstant returns the constant boundary c of Pocock's (1977)
// two-sided design with k equally spaced looks and total level alpha:
// reject at look j when |Z_j| ≥ c. For k = 5 and alpha = 0.05 it is 2.413.
// It returns an error for alpha outside (0, 1) or k below 1, and
// [ErrTooLarge] for k above 1000. The constant is found by repeated
// integration over all k looks on a fine grid: about 0.01 s for k = 5,
// 0.3 s for k = 100 and 3.5 s for k = 1000 on an idle 2-core machine.
func PocockConstant(k int, alpha float64) (float64, error) {
	return classicConstant("PocockConstant", k, alpha, func(j int) float64 { return 1 })
}

// OBrienFlemingConstant returns the constant C of O'Brien and Fleming's
// (1979) two-sided design with k equally spaced looks and total level
// alpha: the boundary at look j (1-based) is C·√(k/j). For k = 5 and
// alpha = 0.05 it is 2.040. Errors and cost are as for [PocockConstant].
func OBrienFlemingConstant(k int, alpha float64) (float64, error) {
	return classicConstant("OBrienFlemingConstant", k, alpha, func(j int) float64 {
		return math.Sqrt(float64(k) / float64(j))
	})
}

// classicConstant solves P(some |Z_j| ≥ C·shape(j)) = alpha by bisection
// refined with the Illinois method.
func classicConstant(fn string, k int, alpha float64, shape func(j int) float64) (float64, error) {
	if err := checkAlpha(fn, alpha); err != nil {
		return 0, err
	}
	if k < 1 {
		return 0, argErr(fn, "k", float64(k), ErrInfo)
	}
	if k > maxRepeatedLooks {
		return 0, argErr(fn, "k", float64(k), ErrTooLarge)
	}
	t := equalFractions(k)
	sh := make([]float64, k)
	for j := range sh {
		sh[j] = shape(j + 1)
	}
	c := make([]float64, k)
	var out passOut
	res := resolution{rho: 8, perZ: 80}
	cross := func(x float64) float64 {
		for j := range c {
			c[j] = x * sh[j]
		}
		forward(pass{info: t, upper: c, sides: TwoSided, res: res}, &out)
		s := 0.0
		for j := range out.up {
			s += out.up[j] + out.low[j]
		}
		return s - alpha
	}
	// The single-look and Bonferroni constants bracket the answer for the
	// Pocock shape; widen generously for other shapes.
	lo := normUpperQuantile(alpha/2) / sh[0] * 0.5
	hi := normUpperQuantile(alpha/(2*float64(k))) * 1.5
	flo, fhi := cross(lo), cross(hi)
	for range 100 {
		if fhi > 0 {
			hi *= 1.5
			fhi = cross(hi)
			continue
		}
		if flo < 0 {
			lo *= 0.5
			flo = cross(lo)
			continue
		}
		break
	}
	kept := 0 // +1: lo was replaced last, −1: hi was
	for range 100 {
		// Regula falsi with the Illinois modification (halve the value
		// at an end kept twice in a row, so neither end stalls), bisection
		// while the bracket is wide.
		x := hi - fhi*(hi-lo)/(fhi-flo)
		if !(x > lo && x < hi) || hi-lo > 0.5 {
			x = 0.5 * (lo + hi)
		}
		fx := cross(x)
		if fx > 0 {
			lo, flo = x, fx
			if kept == 1 {
				fhi /= 2
			}
			kept = 1
		} else {
			hi, fhi = x, fx
			if kept == -1 {
				flo /= 2
			}
			kept = -1
		}
		if math.Abs(fx) < 1e-15*alpha || hi-lo < 1e-12 {
			return x, nil
		}
	}
	return 0.5 * (lo + hi), nil
}
