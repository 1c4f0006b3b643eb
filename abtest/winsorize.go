package abtest

import (
	"fmt"
	"math"
	"slices"
)

// Quantile returns the q-quantile of all the values of all the given
// slices pooled together, interpolating linearly between order
// statistics (R's default, type 7: the value at position q·(n−1) of the
// sorted values). Pass every arm's values to get a cap for [Winsorize]
// that treats the arms alike. It copies and sorts the values, so it
// allocates 8 bytes per value. It returns an [*ArgError] wrapping
// [ErrProbability] for q outside [0, 1], [ErrArgument] for a non-finite
// value (naming the slice and index) and [ErrNoData] when there are no
// values.
func Quantile(q float64, values ...[]float64) (float64, error) {
	const fn = "Quantile"
	if !(q >= 0 && q <= 1) {
		return 0, argErr(fn, "q", q, ErrProbability)
	}
	n := 0
	for i, vs := range values {
		for j, v := range vs {
			if !finite(v) {
				return 0, argErr(fn, fmt.Sprintf("values[%d][%d]", i, j), v, ErrArgument)
			}
		}
		n += len(vs)
	}
	if n == 0 {
		return 0, ErrNoData
	}
	all := make([]float64, 0, n)
	for _, vs := range values {
		all = append(all, vs...)
	}
	slices.Sort(all)
	h := q * float64(n-1)
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return all[n-1], nil
	}
	return all[lo] + (h-float64(lo))*(all[lo+1]-all[lo]), nil
}

// Winsorize returns the [Sample] of values with every value above ceiling
// replaced by ceiling (upper winsorisation, as for revenue whose few large
// orders dominate the variance). Take the cap from the pooled data of all
// arms ([Quantile] with every arm's values) or fix it before the
// experiment: a cap that does not depend on which arm a unit is in is
// applied to both arms alike, so under no effect the capped arms still
// have the same distribution and the test keeps its level (it then tests
// the capped metric, whose mean is below the raw mean). A cap computed
// per arm would not. A warehouse can do the same with a supplied cap:
// SUM(LEAST(y, cap)) and SUM(POWER(LEAST(y, cap), 2)). It returns an
// [*ArgError] wrapping [ErrArgument] for a NaN cap or a non-finite value.
// It does not allocate.
func Winsorize(values []float64, ceiling float64) (Sample, error) {
	const fn = "Winsorize"
	if math.IsNaN(ceiling) {
		return Sample{}, argErr(fn, "ceiling", ceiling, ErrArgument)
	}
	var s Sample
	for i, v := range values {
		if !finite(v) {
			return Sample{}, argErr(fn, fmt.Sprintf("values[%d]", i), v, ErrArgument)
		}
		v = math.Min(v, ceiling)
		s.N++
		s.Sum += v
		s.SumSquares += v * v
	}
	return s, nil
}
