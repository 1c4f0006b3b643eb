package rollout

import (
	"math"

	"github.com/craftkit/craftkit/abtest"
	"github.com/craftkit/craftkit/featureflag"
)

// Tally turns exposures and conversions into per-arm [abtest.Sample]s: a
// subject counts once, in the arm (variant, or "" for off) of its first
// exposure, and its conversions count only after that exposure. Values
// are summed per subject, so a Sample's N is exposed subjects and its
// Sum and SumSquares are over per-subject totals (for a 0/1 conversion
// record one conversion of value 1 per subject).
//
// The zero value is ready to use. A Tally is not safe for concurrent use.
type Tally struct {
	arm   map[string]string  // subject -> arm
	total map[string]float64 // subject -> value converted after exposure
}

// Expose records e. Later exposures of the same subject are ignored.
func (t *Tally) Expose(e featureflag.Exposure) {
	if e.Subject == "" {
		return
	}
	if t.arm == nil {
		t.arm, t.total = map[string]string{}, map[string]float64{}
	}
	if _, ok := t.arm[e.Subject]; !ok {
		t.arm[e.Subject] = e.Decision.Variant
	}
}

// Convert adds value for subject; it is ignored (and reports false) if the
// subject has not been exposed, or if value is NaN or infinite (one such
// value would make every later Sample of its arm NaN or infinite).
func (t *Tally) Convert(subject string, value float64) bool {
	if _, ok := t.arm[subject]; !ok || math.IsNaN(value) || math.IsInf(value, 0) {
		return false
	}
	t.total[subject] += value
	return true
}

// Samples returns the Sample of each arm seen, keyed by variant ("" is
// the off arm).
func (t *Tally) Samples() map[string]abtest.Sample {
	out := map[string]abtest.Sample{}
	for subj, arm := range t.arm {
		v := t.total[subj]
		s := out[arm]
		s.N++
		s.Sum += v
		s.SumSquares += v * v
		out[arm] = s
	}
	return out
}
