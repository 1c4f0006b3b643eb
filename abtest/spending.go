package abtest

import (
	"math"
	"strconv"
)

// Sides says whether a test rejects in one direction (treatment better) or
// both. As everywhere in this package, required values are positional and
// optional ones are struct fields: a zero Sides field of a design or
// options struct means TwoSided, while a zero Sides argument (such as
// [Boundaries]' or [Compare]'s) is refused with [ErrSides].
// Sides is a plain value and safe for concurrent use.
type Sides int

const (
	// OneSided tests for an effect in the preferred direction only.
	OneSided Sides = 1
	// TwoSided tests for an effect in either direction; alpha is the total
	// over both directions.
	TwoSided Sides = 2
)

// String returns "one-sided", "two-sided" or "Sides(n)".
func (s Sides) String() string {
	switch s {
	case OneSided:
		return "one-sided"
	case TwoSided:
		return "two-sided"
	}
	return "Sides(" + strconv.Itoa(int(s)) + ")"
}

// SpendingFunc returns the cumulative type I error spent by information
// fraction t in (0, 1] for a one-sided level alpha. It must be
// non-decreasing in t, at most alpha, and equal alpha at t = 1.
// For two-sided designs each side calls it with alpha/2. The spending
// functions of this package are pure and safe for concurrent use; a
// caller's own function must be too if the design using it is shared.
// A nil SpendingFunc means O'Brien-Fleming-type spending where a default
// is documented ([SpendingDesign], [MonitorOptions]) and is an error
// elsewhere.
type SpendingFunc func(t, alpha float64) float64

// OBrienFlemingSpending is Lan and DeMets' O'Brien-Fleming-type spending
// function α(t) = 2 − 2Φ(z_{1−α/2}/√t) for a one-sided level α. Used by
// a two-sided design, each side spends with α/2, so the total spent is
// 4 − 4Φ(z_{1−α/4}/√t) (the rpact and gsDesign convention); see the
// package documentation for the other convention. It underflows to
// exactly 0 for t below about (z_{1−α/2}/38.5)² (0.0034 for α = 0.025),
// which gives an infinite boundary.
func OBrienFlemingSpending(t, alpha float64) float64 {
	if !(t > 0) {
		return 0
	}
	if t >= 1 {
		return alpha
	}
	return 2 * normSF(normUpperQuantile(alpha/2)/math.Sqrt(t))
}

// PocockSpending is Lan and DeMets' Pocock-type spending function
// α(t) = α·ln(1 + (e − 1)t).
func PocockSpending(t, alpha float64) float64 {
	if !(t > 0) {
		return 0
	}
	if t >= 1 {
		return alpha
	}
	return alpha * math.Log1p((math.E-1)*t)
}

// PowerSpending returns Kim and DeMets' power family α(t) = α·t^rho.
// rho = 1 spends linearly; rho = 3 resembles O'Brien-Fleming, rho = 1
// Pocock. For rho not positive and finite the function returns NaN, which
// [Boundaries] reports as [ErrSpending].
func PowerSpending(rho float64) SpendingFunc {
	return func(t, alpha float64) float64 {
		if !(rho > 0) || math.IsInf(rho, 0) {
			return math.NaN()
		}
		if !(t > 0) {
			return 0
		}
		if t >= 1 {
			return alpha
		}
		return alpha * math.Pow(t, rho)
	}
}

// HwangShihDeCaniSpending returns the Hwang-Shih-DeCani family
// α(t) = α(1 − e^{−γt})/(1 − e^{−γ}) (α·t for γ = 0). γ = −4 resembles
// O'Brien-Fleming, γ = 1 Pocock. A NaN or infinite gamma gives NaN,
// reported by [Boundaries] as [ErrSpending].
func HwangShihDeCaniSpending(gamma float64) SpendingFunc {
	return func(t, alpha float64) float64 {
		if !finite(gamma) {
			return math.NaN()
		}
		if !(t > 0) {
			return 0
		}
		if t >= 1 {
			return alpha
		}
		switch {
		case gamma == 0:
			return alpha * t
		case gamma < 0:
			// (e^{gt} − 1)/(e^g − 1) with g = −γ, rewritten so that
			// e^g cannot overflow for large g.
			g := -gamma
			return alpha * math.Exp(g*(t-1)) * math.Expm1(-g*t) / math.Expm1(-g)
		}
		return alpha * math.Expm1(-gamma*t) / math.Expm1(-gamma)
	}
}
