package abtest

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"math"
	"reflect"
	"runtime"
	"strconv"
	"strings"
)

// Chart geometry, in SVG user units.
const (
	svgW, svgH         = 640, 360
	svgLeft, svgRight  = 64, 16
	svgTop, svgBottom  = 40, 48
	svgFloor           = 1e-6 // lowest p-value drawn on a threshold chart
	maxCurveDesigns    = 8
	maxTrajectoryLooks = 10000
	svgPlotW, svgPlotH = svgW - svgLeft - svgRight, svgH - svgTop - svgBottom
	trajectoryPanelH   = 150
	trajectoryPanelGap = 40
	trajectoryH        = svgTop + 2*trajectoryPanelH + trajectoryPanelGap + svgBottom
)

// curveColor returns the colour of the i-th curve (i < maxCurveDesigns).
func curveColor(i int) string {
	return [maxCurveDesigns]string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f"}[i]
}

// svgNum formats a coordinate with one decimal, so output is byte-stable.
func svgNum(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }

// designLabel names a design for a chart legend; a [Hybrid] says that it
// exceeds its alpha and by how much at the charted looks.
func designLabel(d Design, fr []float64) string {
	switch d := d.(type) {
	case SpendingDesign:
		return fmt.Sprintf("%s, alpha %g", spendingName(d.Spending), orDefaultAlpha(d.Alpha))
	case FixedHorizon:
		return fmt.Sprintf("fixed horizon, alpha %g", orDefaultAlpha(d.Alpha))
	case Naive:
		fp, _ := FalsePositiveRate(d, fr)
		return fmt.Sprintf("naive, alpha %g: EXCEEDS ALPHA (false positives %.3f)", orDefaultAlpha(d.Alpha), fp)
	case Hybrid:
		fp, _ := FalsePositiveRate(d, fr)
		return fmt.Sprintf("hybrid, alpha %g: EXCEEDS ALPHA (false positives %.3f)", orDefaultAlpha(d.Alpha), fp)
	case MSPRT:
		return fmt.Sprintf("mSPRT, alpha %g, horizon %d", d.alpha(), d.Horizon)
	case MillerPlan:
		return fmt.Sprintf("Miller N=%d D=%d", d.N, d.D)
	}
	if st, ok := d.(fmt.Stringer); ok {
		return st.String()
	}
	return fmt.Sprintf("%T", d)
}

// spendingName names a spending function for a legend: the function's
// name for this package's functions ("PocockSpending", "PowerSpending"
// for any of its closures), else "alpha spending".
func spendingName(f SpendingFunc) string {
	if f == nil {
		return "OBrienFlemingSpending"
	}
	fn := runtime.FuncForPC(reflect.ValueOf(f).Pointer())
	if fn == nil {
		return "alpha spending"
	}
	name := fn.Name()
	const pkg = "github.com/craftkit/craftkit/abtest."
	if !strings.HasPrefix(name, pkg) {
		return "alpha spending"
	}
	name = strings.TrimPrefix(name, pkg)
	if i := strings.IndexByte(name, '.'); i >= 0 {
		name = name[:i] // a closure of PowerSpending or HwangShihDeCaniSpending
	}
	return name
}

// WriteCurvesSVG draws the threshold curves of designs (1 to 8, all of
// the same [Scale], else [ErrScale]) at points equally spaced looks
// ([ThresholdCurve]) as an SVG chart: information fraction across,
// nominal p-value up on a log scale from 1e-6, one coloured line each,
// with a legend. A [Hybrid] or [Naive] is labelled as exceeding its alpha
// with its false-positive rate at those looks ([FalsePositiveRate]); a
// [SpendingDesign] is named by its spending function and a caller's design
// by its String method if it has one. The output is deterministic (one decimal per coordinate). Errors of w are
// returned.
func WriteCurvesSVG(w io.Writer, points int, designs ...Design) error {
	const fn = "WriteCurvesSVG"
	if len(designs) < 1 || len(designs) > maxCurveDesigns {
		return argErr(fn, "len(designs)", float64(len(designs)), ErrArgument)
	}
	curves := make([][]CurvePoint, len(designs))
	top := svgFloor
	for i, d := range designs {
		if d == nil {
			return nilErr(fn, fmt.Sprintf("designs[%d]", i), "design", ErrArgument)
		}
		if err := sameScale(fn, fmt.Sprintf("designs[%d]", i), d.Scale(), designs[0].Scale()); err != nil {
			return err
		}
		c, err := ThresholdCurve(d, points)
		if err != nil {
			return err
		}
		curves[i] = c
		for _, p := range c {
			top = math.Max(top, math.Min(p.Threshold, 1))
		}
	}
	fr := equalFractions(points)
	lt := math.Ceil(math.Log10(top)*2) / 2 // top of the axis, to half a decade
	lb := math.Log10(svgFloor)
	x := func(t float64) float64 { return svgLeft + t*svgPlotW }
	y := func(p float64) float64 {
		l := math.Max(math.Log10(p), lb)
		return svgTop + (lt-l)/(lt-lb)*svgPlotH
	}
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", svgW, svgH, svgW, svgH)
	fmt.Fprintf(b, `<title>Threshold curves (%s)</title>`+"\n", designs[0].Scale())
	fmt.Fprintf(b, `<rect width="%d" height="%d" fill="white"/>`+"\n", svgW, svgH)
	for l := math.Floor(lt); l >= lb; l-- {
		yy := svgNum(y(math.Pow(10, l)))
		fmt.Fprintf(b, `<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#ddd"/><text x="%d" y="%s" text-anchor="end" dy="4">1e%d</text>`+"\n", svgLeft, yy, svgW-svgRight, yy, svgLeft-6, yy, int(l))
	}
	for i := 0; i <= 4; i++ {
		t := float64(i) / 4
		fmt.Fprintf(b, `<text x="%s" y="%d" text-anchor="middle">%d %%</text>`+"\n", svgNum(x(t)), svgH-svgBottom+16, 25*i)
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle">share of the planned sample (%s)</text>`+"\n", svgLeft+svgPlotW/2, svgH-12, designs[0].Scale().Unit)
	fmt.Fprintf(b, `<text x="14" y="%d" transform="rotate(-90 14 %d)" text-anchor="middle">p-value needed (%s)</text>`+"\n", svgTop+svgPlotH/2, svgTop+svgPlotH/2, designs[0].Scale().Sides)
	for i, c := range curves {
		col := curveColor(i)
		path := ""
		for _, p := range c {
			if !(p.Threshold > 0) {
				continue
			}
			cmd := "L"
			if path == "" {
				cmd = "M"
			}
			path += cmd + svgNum(x(p.Fraction)) + " " + svgNum(y(math.Min(p.Threshold, 1))) + " "
		}
		if path != "" {
			fmt.Fprintf(b, `<path d="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", path[:len(path)-1], col)
		}
		ly := svgTop - 24 + 13*i
		if len(designs) > 2 {
			ly = svgTop + 8 + 13*i
		}
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="12" height="3" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n", svgLeft+8, ly-4, col, svgLeft+24, ly, html.EscapeString(designLabel(designs[i], fr)))
	}
	fmt.Fprintln(b, `</svg>`)
	return b.Flush()
}

// WriteTrajectorySVG draws an experiment's trajectory from the reports of
// its looks (at most 10000, in order, as a [Monitor] returned them) as an
// SVG chart of two panels over the days: above, the shown lift with its
// interval (Report.Lift, LiftLow, LiftHigh; the estimator changes after a
// stop, see [Report].Estimator); below, the z statistic of each look
// with its boundaries, c being the z-scale form of Report.Threshold read
// with sides (the Monitor's: ±c for TwoSided, +c for OneSided). Looks
// still waiting on data are drawn without boundary. The output is
// deterministic. Errors of w are returned.
func WriteTrajectorySVG(w io.Writer, sides Sides, reports []Report) error {
	const fn = "WriteTrajectorySVG"
	if err := checkSides(fn, sides); err != nil {
		return err
	}
	if len(reports) < 1 || len(reports) > maxTrajectoryLooks {
		return argErr(fn, "len(reports)", float64(len(reports)), ErrArgument)
	}
	lastDay := 0
	for i, r := range reports {
		if r.Day <= lastDay {
			return argErr(fn, fmt.Sprintf("reports[%d].Day", i), float64(r.Day), ErrArgument)
		}
		lastDay = r.Day
	}
	// Axis ranges.
	lmax, zmax := 0.01, 3.0
	bound := func(r Report) float64 {
		if !(r.Threshold > 0) {
			return math.NaN()
		}
		return normUpperQuantile(math.Min(r.Threshold, 1) / float64(sides))
	}
	for _, r := range reports {
		for _, v := range []float64{r.Lift, r.LiftLow, r.LiftHigh} {
			if finite(v) {
				lmax = math.Max(lmax, math.Abs(v))
			}
		}
		if finite(r.Comparison.Z) {
			zmax = math.Max(zmax, math.Abs(r.Comparison.Z))
		}
		if c := bound(r); finite(c) {
			zmax = math.Max(zmax, c)
		}
	}
	lmax = math.Min(lmax*1.1, 10)
	zmax = math.Min(zmax*1.1, 20)
	x := func(day int) float64 { return svgLeft + float64(day)/float64(lastDay)*svgPlotW }
	panel := func(top int, v, vmax float64) float64 {
		v = math.Max(-vmax, math.Min(vmax, v))
		return float64(top) + (vmax-v)/(2*vmax)*trajectoryPanelH
	}
	top1, top2 := svgTop, svgTop+trajectoryPanelH+trajectoryPanelGap
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", svgW, trajectoryH, svgW, trajectoryH)
	fmt.Fprintln(b, `<title>Experiment trajectory</title>`)
	fmt.Fprintf(b, `<rect width="%d" height="%d" fill="white"/>`+"\n", svgW, trajectoryH)
	for _, p := range []struct {
		top        int
		vmax       float64
		name, unit string
	}{{top1, lmax, "lift and interval", "%"}, {top2, zmax, "z and boundaries", ""}} {
		zero := svgNum(panel(p.top, 0, p.vmax))
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#999"/>`+"\n", svgLeft, p.top, svgPlotW, trajectoryPanelH)
		fmt.Fprintf(b, `<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#999" stroke-dasharray="3 3"/>`+"\n", svgLeft, zero, svgW-svgRight, zero)
		fmt.Fprintf(b, `<text x="%d" y="%d">%s</text>`+"\n", svgLeft, p.top-6, p.name)
		for _, v := range []float64{-p.vmax, 0, p.vmax} {
			label := strconv.FormatFloat(v, 'f', 1, 64)
			if p.unit == "%" {
				label = strconv.FormatFloat(100*v, 'f', 1, 64) + " %"
			}
			fmt.Fprintf(b, `<text x="%d" y="%s" text-anchor="end" dy="4">%s</text>`+"\n", svgLeft-6, svgNum(panel(p.top, v, p.vmax)), label)
		}
	}
	var up, lo string
	for _, r := range reports {
		xx := svgNum(x(r.Day))
		if r.Status != StatusWaiting && (r.LiftLow != 0 || r.LiftHigh != 0) {
			fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="3"/>`+"\n",
				xx, svgNum(panel(top1, r.LiftLow, lmax)), xx, svgNum(panel(top1, r.LiftHigh, lmax)), barFill(r.Color))
		}
		fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="2.5" fill="black"/>`+"\n", xx, svgNum(panel(top1, r.Lift, lmax)))
		if finite(r.Comparison.Z) && r.Comparison.SE > 0 {
			fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="2.5" fill="black"/>`+"\n", xx, svgNum(panel(top2, r.Comparison.Z, zmax)))
		}
		if c := bound(r); finite(c) {
			cmd := "L"
			if up == "" {
				cmd = "M"
			}
			up += cmd + xx + " " + svgNum(panel(top2, c, zmax)) + " "
			lo += cmd + xx + " " + svgNum(panel(top2, -c, zmax)) + " "
		}
	}
	if up != "" {
		fmt.Fprintf(b, `<path d="%s" fill="none" stroke="#d62728" stroke-width="1.5"/>`+"\n", up[:len(up)-1])
		if sides == TwoSided {
			fmt.Fprintf(b, `<path d="%s" fill="none" stroke="#d62728" stroke-width="1.5"/>`+"\n", lo[:len(lo)-1])
		}
	}
	for d := 0; d <= lastDay; d += max(1, lastDay/7) {
		fmt.Fprintf(b, `<text x="%s" y="%d" text-anchor="middle">%d</text>`+"\n", svgNum(x(d)), trajectoryH-svgBottom+16, d)
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle">day</text>`+"\n", svgLeft+svgPlotW/2, trajectoryH-12)
	fmt.Fprintln(b, `</svg>`)
	return b.Flush()
}

// barFill returns the SVG colour of a report's bar colour.
func barFill(c Color) string {
	switch c {
	case Green:
		return "#2ca02c"
	case Red:
		return "#d62728"
	}
	return "#999999"
}
