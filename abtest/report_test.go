package abtest

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMonitorStatuses(t *testing.T) {
	tests := []struct {
		name       string
		o          MonitorOptions
		day        int
		c, tr      Sample
		status     string
		header     string
		color      Color
		stop       bool
		warnPrefix string
	}{
		{"before min days", MonitorOptions{}, 3, Conversions(6000, 600), Conversions(6000, 700),
			StatusWaiting, HeaderNotPowered, Grey, false, ""},
		{"burn-in", MonitorOptions{BurnIn: 500}, 8, Conversions(400, 40), Conversions(400, 44),
			StatusWaiting, HeaderNotPowered, Grey, false, "burn-in"},
		{"not enough data", MonitorOptions{}, 8, Conversions(10000, 1000), Conversions(10000, 1020),
			StatusNotEnough, HeaderNotPowered, Grey, false, ""},
		{"no change", MonitorOptions{}, 8, Conversions(20000, 2000), Conversions(20000, 2010),
			StatusNoChange, HeaderNoChange, Grey, true, ""},
		{"confident", MonitorOptions{}, 8, Conversions(20000, 2000), Conversions(20000, 2200),
			"+10.0 %", HeaderConfident, Green, true, ""},
		{"confident decrease", MonitorOptions{}, 8, Conversions(20000, 2000), Conversions(20000, 1800),
			"-10.0 %", HeaderConfident, Red, true, ""},
		{"lower is better", MonitorOptions{LowerIsBetter: true}, 8, Conversions(20000, 2000), Conversions(20000, 1800),
			"-10.0 %", HeaderConfident, Green, true, ""},
		{"srm", MonitorOptions{}, 8, Conversions(10600, 1000), Conversions(9400, 1000),
			StatusNotEnough, HeaderNotPowered, Grey, false, "sample ratio mismatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewMonitor(20000, &tt.o)
			require.NoError(t, err)
			r, err := m.Observe(tt.day, tt.c, tt.tr)
			require.NoError(t, err)
			checkReport(t, r)
			assert.Equal(t, tt.status, r.Status)
			assert.Equal(t, tt.header, r.Header)
			assert.Equal(t, tt.color, r.Color)
			assert.Equal(t, tt.stop, r.Stop)
			if tt.warnPrefix != "" {
				require.NotEmpty(t, r.Warnings)
				assert.True(t, strings.HasPrefix(r.Warnings[0], tt.warnPrefix), "%q", r.Warnings)
			}
		})
	}
}

func TestMonitorEarlyStopHaircut(t *testing.T) {
	m, err := NewMonitor(40000, nil)
	require.NoError(t, err)
	var r Report
	for day := 1; day <= 20; day++ {
		n := int64(2000 * day)
		r, err = m.Observe(day, Conversions(n, n/10), Conversions(n, n*109/1000))
		require.NoError(t, err)
		if r.Stop {
			break
		}
	}
	require.True(t, r.Stop)
	assert.Equal(t, HeaderInflated, r.Header)
	assert.Less(t, r.Haircut, 1.0)
	assert.Less(t, r.Lift, r.RawLift)
	assert.Equal(t, formatLift(r.Lift), r.Status)
	assert.Equal(t, Green, r.Color)
	// Later looks return the stopping report.
	again, err := m.Observe(30, Conversions(1, 1), Conversions(1, 1))
	require.NoError(t, err)
	assert.Equal(t, r.Status, again.Status)
}

func TestMonitorUnderflowWarning(t *testing.T) {
	m, err := NewMonitor(10_000_000, &MonitorOptions{MinDays: 1, BurnIn: 10})
	require.NoError(t, err)
	r, err := m.Observe(1, Conversions(100, 10), Conversions(100, 30))
	require.NoError(t, err)
	assert.Equal(t, StatusNotEnough, r.Status)
	assert.Zero(t, r.Threshold)
	assert.Contains(t, strings.Join(r.Warnings, ";"), "boundary underflowed")
}

func TestMonitorErrors(t *testing.T) {
	_, err := NewMonitor(1, nil)
	assert.ErrorIs(t, err, ErrArgument)
	_, err = NewMonitor(100, &MonitorOptions{Alpha: 2})
	assert.ErrorIs(t, err, ErrAlpha)
	m, err := NewMonitor(100, nil)
	require.NoError(t, err)
	_, err = m.Observe(1, Sample{N: -1}, Sample{})
	assert.ErrorIs(t, err, ErrArgument)
	_, err = m.Observe(0, Sample{}, Sample{})
	assert.ErrorIs(t, err, ErrArgument)
	// A rejected day can be sent again with corrected data.
	_, err = m.Observe(1, Conversions(50, 5), Conversions(50, 6))
	assert.NoError(t, err, "day 1 after a rejected day 1")
	// Counts that shrink after a look are rejected without consuming the day.
	m, err = NewMonitor(1000, &MonitorOptions{MinDays: 1, BurnIn: 10})
	require.NoError(t, err)
	_, err = m.Observe(1, Conversions(400, 40), Conversions(400, 44))
	require.NoError(t, err)
	_, err = m.Observe(2, Conversions(300, 30), Conversions(300, 33))
	assert.ErrorIs(t, err, ErrInfo)
	_, err = m.Observe(2, Conversions(500, 50), Conversions(500, 55))
	assert.NoError(t, err)
}

func TestFormatLift(t *testing.T) {
	assert.Equal(t, "+3.2 %", formatLift(0.032))
	assert.Equal(t, "-1.1 %", formatLift(-0.011))
}

func checkReport(t *testing.T, r Report) {
	t.Helper()
	for name, v := range map[string]float64{
		"Lift": r.Lift, "LiftLow": r.LiftLow, "LiftHigh": r.LiftHigh, "RawLift": r.RawLift,
		"Haircut": r.Haircut, "PValue": r.PValue, "Threshold": r.Threshold, "Fraction": r.Fraction,
	} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("Report.%s = %v", name, v)
		}
	}
	if r.Status == "" || r.Header == "" || r.Color == "" {
		t.Fatalf("empty text in %+v", r)
	}
}
