package abtest

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPlanMSPRT(t *testing.T) {
	// +5 % on a 3 % conversion rate.
	p1, p2 := 0.03, 0.0315
	pb := (p1 + p2) / 2
	effect := (p2 - p1) / math.Sqrt(pb*(1-pb))
	plan, err := PlanMSPRT(effect, 0.05, 0.8, nil)
	require.NoError(t, err)
	t.Logf("plan: %+v (horizon/fixed %.3f)", plan, float64(plan.MSPRT.Horizon)/plan.FixedN)
	if math.Abs(plan.Power-0.8) > 0.005 {
		t.Errorf("Power = %v, want 0.8", plan.Power)
	}
	if r := float64(plan.MSPRT.Horizon) / plan.FixedN; r < 1.05 || r > 3 {
		t.Errorf("horizon %d is %.2f× the fixed sample %.0f", plan.MSPRT.Horizon, r, plan.FixedN)
	}
	if plan.Warning != "" {
		t.Errorf("planned horizon warns: %s", plan.Warning)
	}
	// The plan's own thresholds at its looks give its power back.
	th, err := plan.MSPRT.Thresholds(equalFractions(plan.Looks))
	require.NoError(t, err)
	for i, p := range th {
		if !(p > 0 && p < 0.05) {
			t.Fatalf("threshold %d = %v", i, p)
		}
	}

	// At the fixed-horizon sample the mSPRT loses more than 10 points.
	short, err := PlanMSPRT(effect, 0.05, 0.8, &MSPRTOptions{Horizon: int64(plan.FixedN)})
	require.NoError(t, err)
	t.Logf("at the fixed sample: power %.3f, fixed %.3f: %s", short.Power, short.FixedPower, short.Warning)
	if short.Warning == "" || short.FixedPower-short.Power <= 0.10 {
		t.Errorf("no warning at the fixed-horizon sample: %+v", short)
	}
	// Its mixing is tuned to the shorter horizon: more power there than
	// the long plan's mixing gives.
	if short.Power < 0.5 {
		t.Errorf("power at the fixed sample %v, want above 0.5", short.Power)
	}
}

func TestPlanMSPRTErrors(t *testing.T) {
	tests := []struct {
		name                 string
		effect, alpha, power float64
		o                    *MSPRTOptions
		want                 error
	}{
		{"zero effect", 0, 0.05, 0.8, nil, ErrArgument},
		{"NaN effect", math.NaN(), 0.05, 0.8, nil, ErrArgument},
		{"alpha 1", 0.1, 1, 0.8, nil, ErrAlpha},
		{"alpha 0 (positional: required)", 0.1, 0, 0.8, nil, ErrAlpha},
		{"power 0", 0.1, 0.05, 0, nil, ErrPower},
		{"power below alpha", 0.1, 0.05, 0.01, nil, ErrPower},
		{"looks", 0.1, 0.05, 0.8, &MSPRTOptions{Looks: 1001}, ErrArgument},
		{"burn-in", 0.1, 0.05, 0.8, &MSPRTOptions{BurnIn: -1}, ErrArgument},
		{"horizon", 0.1, 0.05, 0.8, &MSPRTOptions{Horizon: -1}, ErrArgument},
		{"tiny effect", 1e-9, 0.05, 0.8, nil, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PlanMSPRT(tt.effect, tt.alpha, tt.power, tt.o)
			if !errors.Is(err, tt.want) {
				t.Errorf("PlanMSPRT = %v, want %v", err, tt.want)
			}
		})
	}
}
