package abtest

import (
	"bytes"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/craftkit/craftkit/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update)
}

func TestWriteCurvesSVG(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteCurvesSVG(&b, 28, SpendingDesign{}, SpendingDesign{Spending: PocockSpending}, Hybrid{}))
	if !strings.Contains(b.String(), "hybrid, alpha 0.05: EXCEEDS ALPHA (false positives 0.061)") {
		t.Errorf("the Hybrid curve is not labelled as exceeding alpha:\n%s", b.String())
	}
	checkGolden(t, "curves.svg", b.Bytes())
	var again bytes.Buffer
	require.NoError(t, WriteCurvesSVG(&again, 28, SpendingDesign{}, SpendingDesign{Spending: PocockSpending}, Hybrid{}))
	if !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Error("two renderings differ")
	}

	plan, err := PlanMiller(0.4, 0.05, 0.8)
	require.NoError(t, err)
	if err := WriteCurvesSVG(&b, 10, SpendingDesign{}, plan); !errors.Is(err, ErrScale) {
		t.Errorf("spending and Miller on one chart: %v, want ErrScale", err)
	}
	if err := WriteCurvesSVG(&b, 10); err == nil {
		t.Error("no designs: no error")
	}
	if err := WriteCurvesSVG(&b, 0, SpendingDesign{}); err == nil {
		t.Error("0 points: no error")
	}
}

func TestWriteTrajectorySVG(t *testing.T) {
	// Deterministic counts: 10 % against 11.5 %, 2000 per arm a day, 14
	// planned daily looks of an O'Brien-Fleming-type design; built here
	// rather than by a Monitor so that the picture tests the drawing only.
	th, err := SpendingDesign{}.Thresholds(equalFractions(14))
	require.NoError(t, err)
	var reports []Report
	nc, xc, nt, xt := int64(0), int64(0), int64(0), int64(0)
	for d := 1; d <= 14; d++ {
		nc, nt = nc+2000, nt+2000
		xc += 200 + int64(d%3)*7
		xt += 230 - int64(d%4)*5
		cmp, err := Compare(Conversions(nc, xc), Conversions(nt, xt), 0.05, TwoSided)
		require.NoError(t, err)
		r := Report{Day: d, Comparison: cmp, Threshold: th[d-1], Lift: cmp.Lift, LiftLow: cmp.LiftLow, LiftHigh: cmp.LiftHigh, Color: Grey}
		if cmp.PValue <= th[d-1] {
			r.Color, r.Stop = Green, true
		}
		reports = append(reports, r)
		if r.Stop {
			break
		}
	}
	var b bytes.Buffer
	require.NoError(t, WriteTrajectorySVG(&b, TwoSided, reports))
	checkGolden(t, "trajectory.svg", b.Bytes())
	if err := WriteTrajectorySVG(&b, 0, reports); !errors.Is(err, ErrSides) {
		t.Errorf("zero sides: %v", err)
	}
	if err := WriteTrajectorySVG(&b, TwoSided, nil); err == nil {
		t.Error("no reports: no error")
	}
	if err := WriteTrajectorySVG(&b, TwoSided, []Report{{Day: 2}, {Day: 2}}); err == nil {
		t.Error("repeated day: no error")
	}
}
