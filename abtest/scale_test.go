package abtest

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every design of this package says how its thresholds are read.
func TestDesignScale(t *testing.T) {
	plan, err := PlanMiller(0.4, 0.05, 0.8)
	require.NoError(t, err)
	tests := []struct {
		name string
		d    Design
		want Scale
	}{
		{"spending", SpendingDesign{}, Scale{TwoSided, UnitVisitors}},
		{"spending one-sided", SpendingDesign{Sides: OneSided}, Scale{OneSided, UnitVisitors}},
		{"fixed", FixedHorizon{}, Scale{TwoSided, UnitVisitors}},
		{"naive one-sided", Naive{Sides: OneSided}, Scale{OneSided, UnitVisitors}},
		{"hybrid", Hybrid{}, Scale{TwoSided, UnitVisitors}},
		{"msprt", MSPRT{Horizon: 1000}, Scale{TwoSided, UnitVisitors}},
		{"miller", plan, Scale{OneSided, UnitConversions}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.Scale(); got != tt.want {
				t.Errorf("Scale() = %v, want %v", got, tt.want)
			}
			// The zero Alpha means DefaultAlpha: every design works.
			if _, err := tt.d.Thresholds([]float64{0.5, 1}); err != nil {
				t.Errorf("Thresholds: %v", err)
			}
		})
	}
}

// Designs that read thresholds differently are not combined.
func TestHybridRefusesMixedScales(t *testing.T) {
	plan, err := PlanMiller(0.4, 0.05, 0.8)
	require.NoError(t, err)
	fr := []float64{0.5, 1}
	tests := []struct {
		name string
		h    Hybrid
		ok   bool
	}{
		{"miller", Hybrid{Sequential: plan}, false},
		{"one-sided in two-sided", Hybrid{Sequential: SpendingDesign{Sides: OneSided}}, false},
		{"two-sided in one-sided", Hybrid{Sequential: SpendingDesign{}, Sides: OneSided}, false},
		{"one-sided", Hybrid{Sequential: SpendingDesign{Sides: OneSided}, Sides: OneSided}, true},
		{"msprt", Hybrid{Sequential: MSPRT{Horizon: 1000}}, true},
		{"default", Hybrid{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.h.Thresholds(fr)
			if tt.ok {
				require.NoError(t, err)
				return
			}
			if !errors.Is(err, ErrScale) {
				t.Fatalf("Thresholds = %v, want ErrScale", err)
			}
		})
	}
	if _, err := DesignRule(plan, 100, OneSided); !errors.Is(err, ErrScale) {
		t.Errorf("DesignRule(MillerPlan) = %v, want ErrScale", err)
	}
	if _, err := DesignRule(SpendingDesign{}, 100, OneSided); !errors.Is(err, ErrScale) {
		t.Errorf("DesignRule(two-sided design, OneSided) = %v, want ErrScale", err)
	}
}

// FalsePositiveRate agrees with the exact audit where both apply, gives
// alpha for spending designs and measures how far Hybrid exceeds it.
func TestFalsePositiveRate(t *testing.T) {
	daily := func(k int) []float64 { return equalFractions(k) }
	tests := []struct {
		name   string
		d      Design
		looks  int
		lo, hi float64
	}{
		{"spending 14", SpendingDesign{}, 14, 0.0499, 0.0501},
		{"spending one-sided 28", SpendingDesign{Sides: OneSided, Alpha: 0.025}, 28, 0.02495, 0.02505},
		{"fixed", FixedHorizon{}, 14, 0.0499, 0.0501},
		{"hybrid 14", Hybrid{}, 14, 0.0596, 0.0606},
		{"hybrid 28", Hybrid{}, 28, 0.0604, 0.0614},
		{"naive 5, Armitage et al. 0.142", Naive{}, 5, 0.1412, 0.1422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FalsePositiveRate(tt.d, daily(tt.looks))
			require.NoError(t, err)
			t.Logf("%s: %.5f", tt.name, got)
			if !(got >= tt.lo && got <= tt.hi) {
				t.Errorf("FalsePositiveRate(%s, %d looks) = %v, want in [%v, %v]", tt.name, tt.looks, got, tt.lo, tt.hi)
			}
		})
	}
	if _, err := FalsePositiveRate(nil, daily(3)); err == nil {
		t.Error("FalsePositiveRate(nil) succeeded")
	}
	if _, err := FalsePositiveRate(Naive{}, []float64{0.5, math.NaN()}); !errors.Is(err, ErrInfo) {
		t.Errorf("FalsePositiveRate(NaN fraction) = %v, want ErrInfo", err)
	}
}
