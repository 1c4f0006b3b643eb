package abtest

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Sentinel errors. Functions wrap them with details; test with errors.Is.
var (
	// ErrAlpha reports a significance level outside (0, 1) or not a number.
	ErrAlpha = errors.New("abtest: alpha must be in (0, 1)")
	// ErrPower reports a power outside (0, 1) or not a number, or one so
	// low that a test at the given level reaches it without any data.
	ErrPower = errors.New("abtest: power must be in (0, 1) and above the test's level")
	// ErrInfo reports missing, non-increasing or out-of-range information
	// fractions, or two looks closer than [MinSpacing] where a design is
	// computed by numerical integration.
	ErrInfo = errors.New("abtest: information fractions must be increasing and in (0, 1]")
	// ErrProbability reports a rate outside (0, 1) or not a number.
	ErrProbability = errors.New("abtest: probability must be in (0, 1)")
	// ErrEqualRates reports that the two rates to distinguish are equal.
	ErrEqualRates = errors.New("abtest: rates must differ")
	// ErrSides reports a Sides value other than OneSided or TwoSided.
	ErrSides = errors.New("abtest: sides must be OneSided or TwoSided")
	// ErrSpending reports a spending function that returned NaN, a negative
	// or decreasing value, or more than alpha.
	ErrSpending = errors.New("abtest: invalid spending function value")
	// ErrArgument reports another invalid argument (NaN, Inf, negative count, ...).
	ErrArgument = errors.New("abtest: invalid argument")
	// ErrTooLarge reports a plan or design whose size exceeds the
	// package's limits (e.g. more than 10000 looks).
	ErrTooLarge = errors.New("abtest: plan too large")
	// ErrSample reports sufficient statistics no data can have: more
	// conversions than units, negative conversions, a sum of squares below
	// Sum²/N (a negative variance) or a sum in an empty arm.
	ErrSample = errors.New("abtest: impossible sample")
	// ErrScale reports designs combined or compared although they read
	// their thresholds differently: one-sided against two-sided, or
	// fractions of visitors against fractions of conversions (see
	// [Scale]).
	ErrScale = errors.New("abtest: designs of different sides or units cannot be combined")
	// ErrNoData reports a sample too small to estimate what was asked.
	ErrNoData = errors.New("abtest: not enough data")
)

// ArgError describes an invalid argument: which one, its value, and the
// sentinel it violates (returned by Unwrap). Test for it with
// errors.AsType[*ArgError]; it is not modified after it is returned.
type ArgError struct {
	Func  string  // function or method name, e.g. "Boundaries"
	Arg   string  // argument name, e.g. "alpha" or "info[3]"
	Value float64 // offending value (NaN for a nil argument)
	Err   error   // sentinel, e.g. ErrAlpha
	// Reason, when set, is the whole description after the function
	// name, e.g. "spending function is nil" or
	// "treatment: 20 conversions out of 10 units".
	Reason string
}

// Error returns a message like `abtest: Boundaries: alpha = 1.5: alpha
// must be in (0, 1)`, or `abtest: Boundaries: spending function is nil`
// when Reason is set.
func (e *ArgError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("abtest: %s: %s", e.Func, e.Reason)
	}
	cause := "invalid argument"
	if e.Err != nil {
		cause = strings.TrimPrefix(e.Err.Error(), "abtest: ")
	}
	return fmt.Sprintf("abtest: %s: %s = %v: %s", e.Func, e.Arg, e.Value, cause)
}

// Unwrap returns the sentinel.
func (e *ArgError) Unwrap() error { return e.Err }

func argErr(fn, arg string, v float64, err error) error {
	return &ArgError{Func: fn, Arg: arg, Value: v, Err: err}
}

// reasonErr is argErr with a full description of the problem.
func reasonErr(fn, arg string, v float64, err error, format string, a ...any) error {
	return &ArgError{Func: fn, Arg: arg, Value: v, Err: err, Reason: fmt.Sprintf(format, a...)}
}

// nilErr reports a nil function or value argument, described by what.
func nilErr(fn, arg, what string, sentinel error) error {
	return reasonErr(fn, arg, math.NaN(), sentinel, "%s is nil", what)
}

func checkAlpha(fn string, alpha float64) error {
	if !inUnit(alpha) {
		return argErr(fn, "alpha", alpha, ErrAlpha)
	}
	return nil
}

func checkPower(fn string, power float64) error {
	if !inUnit(power) {
		return argErr(fn, "power", power, ErrPower)
	}
	return nil
}

func checkProb(fn, name string, p float64) error {
	if !inUnit(p) {
		return argErr(fn, name, p, ErrProbability)
	}
	return nil
}

func checkSides(fn string, s Sides) error {
	if s != OneSided && s != TwoSided {
		return argErr(fn, "sides", float64(s), ErrSides)
	}
	return nil
}

// checkInfo validates increasing information fractions in (0, 1].
func checkInfo(fn string, info []float64) error {
	if len(info) == 0 {
		return argErr(fn, "len(info)", 0, ErrInfo)
	}
	prev := 0.0
	for i, t := range info {
		if !(t > prev) || t > 1 || !finite(t) {
			return argErr(fn, fmt.Sprintf("info[%d]", i), t, ErrInfo)
		}
		prev = t
	}
	return nil
}

// checkSpacing reports the first two consecutive looks closer than MinSpacing.
func checkSpacing(fn string, info []float64) error {
	for i := 1; i < len(info); i++ {
		if closeLooks(info[i-1], info[i]) {
			return reasonErr(fn, fmt.Sprintf("info[%d]", i), info[i], ErrInfo,
				"info[%d] = %v is closer than MinSpacing (%v) to info[%d] = %v", i, info[i], MinSpacing, i-1, info[i-1])
		}
	}
	return nil
}
