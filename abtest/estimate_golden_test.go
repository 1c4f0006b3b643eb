package abtest

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// goldenStop is one stop of the grid in testdata/estimate_stop.json with
// the estimates EstimateStop returned for it when the file was written
// (solved to 1e-9 of the search range by bracketing and the Illinois
// method).
type goldenStop struct {
	Name string
	Stop Stop `json:"-"`
	// Want holds the stagewise, conditional and conditional-on-look
	// estimates, each as estimate, low and high.
	Want [9]float64
}

func solvedValues(e Estimates) [9]float64 {
	return [9]float64{e.Stagewise.Estimate, e.Stagewise.Low, e.Stagewise.High,
		e.Conditional.Estimate, e.Conditional.Low, e.Conditional.High,
		e.ConditionalLook.Estimate, e.ConditionalLook.Low, e.ConditionalLook.High}
}

// goldenStops returns a grid of stops: two-sided O'Brien-Fleming and
// Pocock designs, daily looks from day 7 of 14, and a one-sided design
// with futility boundaries; each look with Z just past, well past and
// far past its boundary, on the other side, inside the continuation
// region, and declared the last look.
func goldenStops(t *testing.T) []goldenStop {
	t.Helper()
	type design struct {
		name  string
		info  []float64
		sides Sides
		fn    SpendingFunc
		fut   func(c []float64) []float64
	}
	designs := []design{
		{"obf5", equalInfo(5), TwoSided, OBrienFlemingSpending, nil},
		{"pocock8", equalInfo(8), TwoSided, PocockSpending, nil},
		{"daily", equalInfo(14)[6:], TwoSided, OBrienFlemingSpending, nil},
		{"onesided-futility", []float64{0.2, 0.45, 0.7, 1}, OneSided, OBrienFlemingSpending, func(c []float64) []float64 {
			return []float64{math.Inf(-1), 0.2, 0.9, c[3]}
		}},
	}
	var out []goldenStop
	for _, d := range designs {
		b, err := Boundaries(d.info, 0.05, d.sides, d.fn)
		if err != nil {
			t.Fatal(err)
		}
		var fut []float64
		if d.fut != nil {
			fut = d.fut(b)
		}
		for k, c := range b {
			zs := []float64{c + 0.01, c + 0.4, c + 1.5}
			if d.sides == TwoSided {
				zs = append(zs, -c-0.2)
			}
			if fut != nil && !math.IsInf(fut[k], -1) {
				zs = append(zs, fut[k]-0.3)
			}
			if k == len(b)-1 {
				zs = append(zs, c-0.5, 0.3, -1.1)
			}
			for _, z := range zs {
				out = append(out, goldenStop{
					Name: fmt.Sprintf("%s/look%d/z%.3f", d.name, k, z),
					Stop: Stop{Info: d.info, Look: k, Bounds: b, Futility: fut, Sides: d.sides, Z: z, SE: 0.01},
				})
			}
			if k > 0 && k < len(b)-1 {
				out = append(out, goldenStop{
					Name: fmt.Sprintf("%s/look%d/last", d.name, k),
					Stop: Stop{Info: d.info, Look: k, Bounds: b, Futility: fut, Sides: d.sides, Z: 0.5 * c, SE: 0.01, Last: true},
				})
			}
		}
	}
	return out
}

// TestEstimateStopGolden compares EstimateStop with the estimates stored
// in testdata/estimate_stop.json on a grid of stops: every estimate and
// interval end within 1e-4 of the stored one relative to its size (or to
// SE for values near zero). Run with -update to rewrite the file.
func TestEstimateStopGolden(t *testing.T) {
	stops := goldenStops(t)
	path := filepath.Join("testdata", "estimate_stop.json")
	if *update {
		for i := range stops {
			e, err := EstimateStop(stops[i].Stop, 0.05)
			if err != nil {
				t.Fatalf("%s: %v", stops[i].Name, err)
			}
			stops[i].Want = solvedValues(e)
		}
		b, err := json.MarshalIndent(stops, "", "\t")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want []goldenStop
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(stops) {
		t.Fatalf("%d stored stops, the grid has %d (run with -update)", len(want), len(stops))
	}
	worst := 0.0
	for i, w := range want {
		if w.Name != stops[i].Name {
			t.Fatalf("stop %d is %s, stored %s (run with -update)", i, stops[i].Name, w.Name)
		}
		got, err := EstimateStop(stops[i].Stop, 0.05)
		if err != nil {
			t.Fatalf("%s: %v", w.Name, err)
		}
		se := stops[i].Stop.SE
		names := [3]string{"stagewise", "conditional", "look"}
		for j, v := range solvedValues(got) {
			rel := math.Abs(v-w.Want[j]) / math.Max(math.Abs(w.Want[j]), se)
			worst = math.Max(worst, rel)
			if !(rel <= 1e-4) {
				t.Errorf("%s %s value %d: got %v, stored %v", w.Name, names[j/3], j%3, v, w.Want[j])
			}
		}
	}
	t.Logf("%d stops, largest relative difference %.2g", len(want), worst)
}

// TestStopModelExitGrids checks the tilted exit grids against normal
// tails over the stored densities: at every look of every stop in the
// golden grid and drifts across the range where EstimateStop uses them,
// the crossing and tail probabilities agree to 2e-4 of the larger of
// themselves and 1e-9 (the tilted Simpson sums lose relative accuracy in
// deep tails; the test logs the largest difference within 2 sd of the
// base drift and beyond).
func TestStopModelExitGrids(t *testing.T) {
	var worst [2]float64
	for _, g := range goldenStops(t) {
		m, err := newStopModel("test", g.Stop, 0.05)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []float64{-1, -0.6, -0.25, -0.1, 0, 0.1, 0.25, 0.7, 1} {
			eta := m.eta0 + u*m.near
			tier := 0
			if math.Abs(u)*stopNear > 2 {
				tier = 1
			}
			for j := range m.looks {
				_, up, low, obs, ok := m.fast(j, eta)
				if !ok {
					t.Errorf("%s look %d eta %v: exit grids overflow", g.Name, j, eta)
					continue
				}
				s := math.Inf(1)
				if j == m.k {
					s = m.sObs
				}
				reach, up0, low0, tail0 := m.eval(j, eta, s, true)
				if j == m.k && m.kind == condLower {
					tail0 -= reach - up0 - low0 + up0
				}
				for _, c := range [][2]float64{{up, up0}, {low, low0}, {obs, tail0}} {
					rel := math.Abs(c[0]-c[1]) / math.Max(math.Abs(c[1]), 1e-9)
					worst[tier] = math.Max(worst[tier], rel)
					if rel > 2e-4 {
						t.Errorf("%s look %d eta %v: exit grid %v, normal tails %v", g.Name, j, eta, c[0], c[1])
					}
				}
			}
		}
	}
	t.Logf("largest relative difference %.2g within 2 sd, %.2g to 8 sd", worst[0], worst[1])
}
