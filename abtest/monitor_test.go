package abtest

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMonitorFinalSpendsTheRest(t *testing.T) {
	m, err := NewMonitor(100000, &MonitorOptions{MinDays: 1})
	require.NoError(t, err)
	// Four days of 10000 per arm with no effect, then the experiment ends
	// at 50 % of its plan.
	for day := 1; day <= 4; day++ {
		n := int64(10000 * day)
		r, err := m.Observe(day, Conversions(n, n/10), Conversions(n, n/10))
		require.NoError(t, err)
		require.False(t, r.Stop)
	}
	peek, err := m.Design().Peek(0.5)
	require.NoError(t, err)
	r, err := m.Final(5, Conversions(50000, 5000), Conversions(50000, 5000))
	require.NoError(t, err)
	assert.True(t, r.Stop)
	assert.Equal(t, HeaderNoChange, r.Header)
	g := m.Design()
	c := g.Bounds()[g.Len()-1]
	assert.Less(t, c, peek, "the final boundary spends more than the spending function would")
	assert.InDelta(t, 0.05, g.Spent(g.Len()-1), 1e-12)
	// The whole design keeps its level: the null crossing probability of
	// the looks taken is alpha.
	op, err := g.OperatingAt(0)
	require.NoError(t, err)
	assert.InDelta(t, 0.05, op.Power, 1e-4)
	// Later calls return the final report.
	again, err := m.Observe(6, Conversions(60000, 6000), Conversions(60000, 6000))
	require.NoError(t, err)
	assert.Equal(t, r.Day, again.Day)

	// Before the minimum run length there is no final look.
	m, err = NewMonitor(100000, nil)
	require.NoError(t, err)
	_, err = m.Final(3, Conversions(30000, 3000), Conversions(30000, 3000))
	assert.ErrorIs(t, err, ErrNoData)
}

func TestMonitorDesigns(t *testing.T) {
	plan, err := PlanMiller(0.1, 0.05, 0.8)
	require.NoError(t, err)
	tests := []struct {
		name   string
		design Design
		sides  Sides
	}{
		{"spending", SpendingDesign{Alpha: 0.05, Spending: PocockSpending}, TwoSided},
		{"fixed", FixedHorizon{Alpha: 0.05}, TwoSided},
		{"msprt", MSPRT{Alpha: 0.05, Horizon: 40000, Effect: 0.01}, TwoSided},
		{"miller", plan, OneSided},
		{"hybrid", Hybrid{Alpha: 0.05}, TwoSided},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewMonitor(40000, &MonitorOptions{Design: tt.design, MDE: 0.1})
			require.NoError(t, err)
			var r Report
			for day := 1; day <= 20; day++ {
				n := int64(2000 * day)
				r, err = m.Observe(day, Conversions(n, n/10), Conversions(n, n*113/1000))
				require.NoError(t, err)
				checkReport(t, r)
				if r.Stop {
					break
				}
			}
			require.True(t, r.Stop, "a 13 %% lift stops every design within its plan")
			assert.Contains(t, []string{HeaderConfident, HeaderInflated}, r.Header)
			assert.Equal(t, EstimatorConditional, r.Estimator)
			assert.Equal(t, tt.sides, m.Design().Sides())
			assert.Greater(t, r.PlannedPower, 0.0)
			want, err := tt.design.Thresholds(m.Design().Info())
			require.NoError(t, err)
			if tt.name != "spending" {
				got := m.Design().Bounds()
				for i, p := range want {
					if p > 0 {
						assert.InDelta(t, normUpperQuantile(p/float64(tt.sides)), got[i], 1e-9, "look %d", i)
					}
				}
			}
		})
	}
}

func TestMonitorPower(t *testing.T) {
	// 10 % baseline, +10 % lift, the target from SampleSize at 80 % power:
	// at the target the fixed-horizon power is 0.8; an O'Brien-Fleming
	// design loses a little.
	n, err := SampleSize(0.1, 0.11, 0.05, 0.8)
	require.NoError(t, err)
	target := int64(math.Ceil(n/10)) * 10
	m, err := NewMonitor(target, &MonitorOptions{MDE: 0.1, MinDays: 1, Design: FixedHorizon{Alpha: 0.05}})
	require.NoError(t, err)
	daily := target / 10
	r, err := m.Observe(2, Conversions(2*daily, 2*daily/10), Conversions(2*daily, 2*daily/10))
	require.NoError(t, err)
	assert.Equal(t, 8, r.DaysToPower)
	assert.Zero(t, r.Power, "a fixed-horizon design cannot decide before its end")
	// Unpooled variance at the observed (equal) rates: close to 0.8.
	assert.InDelta(t, 0.8, r.PlannedPower, 0.02)
	r, err = m.Observe(10, Conversions(target, target/10), Conversions(target, target/10))
	require.NoError(t, err)
	assert.Zero(t, r.DaysToPower)
	assert.InDelta(t, 0.8, r.Power, 0.02)
}

func TestMonitorFutility(t *testing.T) {
	// No effect, planned +10 %: futility stops well before the target in
	// most runs; with a true +10 % it rarely does.
	opts := MonitorOptions{MDE: 0.1, BetaSpending: OBrienFlemingSpending, MinDays: 1}
	m, err := NewMonitor(30000, &opts)
	require.NoError(t, err)
	var r Report
	for day := 1; day <= 10; day++ {
		n := int64(3000 * day)
		r, err = m.Observe(day, Conversions(n, n/10), Conversions(n, n/10-int64(day)))
		require.NoError(t, err)
		checkReport(t, r)
		if r.Stop {
			break
		}
	}
	require.True(t, r.Stop)
	assert.Equal(t, HeaderFutile, r.Header)
	assert.Less(t, r.Day, 10)
	assert.NotZero(t, r.Futility)
	assert.Equal(t, EstimatorConditional, r.Estimator)

	_, err = NewMonitor(100, &MonitorOptions{BetaSpending: PocockSpending})
	assert.ErrorIs(t, err, ErrArgument)
	_, err = NewMonitor(100, &MonitorOptions{MDE: -1})
	assert.ErrorIs(t, err, ErrArgument)
}

// BenchmarkMonitorUpdate measures one daily update of a Monitor that
// does not stop (the 8th look of an O'Brien-Fleming design).
func BenchmarkMonitorUpdate(b *testing.B) {
	benchMonitorLook8(b, &MonitorOptions{MDE: 0.05}, 3210, false)
}

// BenchmarkMonitorStop measures the update at which a Monitor stops
// early and computes its estimates.
func BenchmarkMonitorStop(b *testing.B) {
	benchMonitorLook8(b, nil, 3600, true)
}

// benchMonitorLook8 times the 8th daily look of a Monitor planned for
// 280000 visitors per arm with opts: seven looks of 20000 more visitors
// per arm a day at 2 % conversion in both arms, then 160000 visitors per
// arm with 3200 control and treated treatment conversions. Each timed
// look starts from a copy of the seven-look Monitor, and it must stop
// exactly when stop is true.
func benchMonitorLook8(b *testing.B, opts *MonitorOptions, treated int64, stop bool) {
	b.ReportAllocs()
	base, err := NewMonitor(280000, opts)
	if err != nil {
		b.Fatal(err)
	}
	for day := 1; day <= 7; day++ {
		n := int64(20000 * day)
		if _, err := base.Observe(day, Conversions(n, n/50), Conversions(n, n/50)); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		b.StopTimer()
		m := *base
		m.gs = base.gs.Clone()
		b.StartTimer()
		r, err := m.Observe(8, Conversions(160000, 3200), Conversions(160000, treated))
		if err != nil || r.Stop != stop {
			b.Fatal(err, r.Stop)
		}
	}
}

// TestMonitorSRMDaily checks healthy experiments every day for 28 days:
// the Monitor's sample-ratio warnings must keep the sequential test's
// level over all those looks (a daily chi-square test at the same level
// warns in about 28 % of them).
func TestMonitorSRMDaily(t *testing.T) {
	const (
		runs  = 200
		days  = 28
		daily = 2000
		level = 0.05
	)
	rng := rand.New(rand.NewPCG(11, 12))
	alarms := 0
	for range runs {
		m, err := NewMonitor(days*daily/2, &MonitorOptions{SRM: &SRMOptions{Alpha: level}, MinDays: days + 1})
		require.NoError(t, err)
		var nc, nt int64
		warned := false
		for day := 1; day <= days; day++ {
			for range daily {
				if rng.IntN(2) == 0 {
					nc++
				} else {
					nt++
				}
			}
			r, err := m.Observe(day, Conversions(nc, nc/10), Conversions(nt, nt/10))
			require.NoError(t, err)
			if strings.Contains(strings.Join(r.Warnings, ";"), "sample ratio mismatch") {
				warned = true
			}
		}
		if warned {
			alarms++
		}
	}
	// Binomial(200, 0.05): mean 10, sd 3.1; 20 is beyond 3 sd.
	assert.LessOrEqual(t, alarms, 20, "false alarms in %d of %d healthy experiments", alarms, runs)
	t.Logf("false alarms in %d of %d healthy experiments at level %.2f", alarms, runs, level)
}
