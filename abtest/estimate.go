package abtest

import (
	"math"
	"strconv"
)

// Stop describes where a group sequential experiment stopped, for
// [EstimateStop]. It is a plain value; EstimateStop only reads it.
type Stop struct {
	// Info holds the information fractions of the design's looks, in
	// (0, 1] and increasing: the looks taken, the stopping look Info[Look],
	// and the looks that were planned after it, ending with the planned
	// last look. Without the looks after the stop (Look = len(Info)−1 for
	// an early stop) only the estimate given the exact stopping look is
	// conditional on stopping early (see [Estimates]).
	Info []float64
	// Look is the 0-based index of the stopping look in Info.
	Look int
	// Bounds holds the z-scale efficacy boundaries of those looks: reject
	// when Z ≥ Bounds[k] (or Z ≤ −Bounds[k] for a two-sided design);
	// +Inf where no decision was possible.
	Bounds []float64
	// Futility optionally holds z-scale futility boundaries: the
	// experiment stopped for futility at look k when Z ≤ Futility[k]
	// (−Inf where there was none). Nil means no futility stopping. Give
	// them only when they were obeyed: an experiment that ran on through
	// a non-binding futility boundary is described without it.
	Futility []float64
	Sides    Sides   // zero means TwoSided
	Z        float64 // z statistic at the stopping look; positive favours treatment
	SE       float64 // standard error of the effect estimate at the stopping look
	// Last marks the stopping look as the experiment's end whatever Z was
	// (a final look before the plan's end): the experiment did not stop
	// there because a boundary was crossed, and the looks after it in Info
	// are ignored. The planned last look, or one whose Z crossed no
	// boundary, is always the last.
	Last bool
}

// Interval is an estimate with a confidence interval, in the effect's
// units. It is a plain value.
type Interval struct {
	Estimate  float64
	Low, High float64
}

// Estimates holds the effect estimates after a sequential stop, in the
// effect's units (the raw estimate is Z·SE). It is a plain value.
type Estimates struct {
	// Raw is the maximum-likelihood estimate Z·SE, biased away from zero
	// after an early stop.
	Raw float64
	// Repeated is the raw estimate with the repeated confidence interval
	// at the stopping look's boundary, Raw ± Bounds[k]·SE (Jennison and
	// Turnbull): the intervals of all looks cover the truth together with
	// probability at least the design's 1 − alpha, whenever the
	// experiment stops, but each is wide. Infinite where the boundary is.
	Repeated Interval
	// Stagewise is the median-unbiased estimate and the 1 − alpha
	// confidence interval by stagewise ordering (Tsiatis, Rosner and Mehta
	// 1984; Jennison and Turnbull 2000, chapter 8), as rpact and gsDesign
	// report them: over all experiments the estimate is below the truth
	// half the time and the interval covers it with probability
	// 1 − alpha, and the interval excludes zero exactly when the design
	// rejected. Among experiments that stopped early the estimate is
	// still too large on average.
	Stagewise Interval
	// Conditional is the median-unbiased estimate and the 1 − alpha
	// interval conditional on how the experiment ended: stopped early (at
	// a boundary before the planned last look), with outcomes ordered
	// stagewise among early stops, or ran to its last look. Among early
	// stops the estimate is below the truth half the time and the
	// interval covers it with probability 1 − alpha, and so over the
	// experiments that ran to the end and over all experiments: it removes
	// the winner's curse of an early stop. Its interval is wider than the
	// stagewise one and may include zero after a significant early stop.
	// It needs the looks planned after the stop (Stop.Info); without them
	// it equals ConditionalLook.
	Conditional Interval
	// ConditionalLook is the median-unbiased estimate and interval
	// conditional on the exact stopping look (and on stopping there):
	// exact for every look, but more variable than Conditional; after a
	// stop close to its boundary the estimate is pulled far towards zero.
	ConditionalLook Interval
}

// EstimateStop returns the effect estimates and 1 − alpha confidence
// intervals after an experiment described by s stopped. All intervals
// come from the normal model of the z statistics (Brownian motion on the
// information scale) and assume the looks and boundaries were fixed by
// information, not chosen after seeing the data.
//
// It returns an error naming the field for Info that is empty, not
// increasing, outside (0, 1] or with looks closer than [MinSpacing],
// Bounds or Futility of the wrong length or NaN, a negative two-sided
// boundary, a futility boundary above the efficacy one, a non-finite Z,
// an SE that is not positive and finite, invalid Sides or alpha, and
// [ErrTooLarge] for more than 1000 looks or grids beyond 2²¹ points in
// all. For |Z| above 25, so far beyond any boundary that stopping selects
// nothing, every estimate is the fixed-sample one.
//
// It runs one integration over the looks, which also stores each look's
// sub-density beyond its boundaries, then about 60 evaluations, each a
// pass of sums over the stored grids (with normal tails only for trial
// effects more than 8 standard deviations from the raw estimate), so its
// cost grows linearly with the looks in Info: about 0.4 ms of CPU for a
// stop at the third of eight looks.
func EstimateStop(s Stop, alpha float64) (Estimates, error) {
	const fn = "EstimateStop"
	m, err := newStopModel(fn, s, alpha)
	if err != nil {
		return Estimates{}, err
	}
	k := s.Look
	raw := s.Z * s.SE
	scale := s.SE * math.Sqrt(s.Info[k]) // effect = η·scale
	e := Estimates{Raw: raw}
	c := s.Bounds[k]
	e.Repeated = Interval{Estimate: raw, Low: raw - c*s.SE, High: raw + c*s.SE}
	if math.IsInf(c, 1) {
		e.Repeated.Low, e.Repeated.High = math.Inf(-1), math.Inf(1)
	}
	if math.Abs(s.Z) > stopBase {
		// So far beyond any boundary that stopping selects nothing: the
		// fixed-sample estimate and interval, to rounding.
		h := normUpperQuantile(alpha/2) * s.SE
		fixed := Interval{Estimate: raw, Low: raw - h, High: raw + h}
		e.Stagewise, e.Conditional, e.ConditionalLook = fixed, fixed, fixed
		if !finite(raw, fixed.Low, fixed.High) {
			return Estimates{}, argErr(fn, "SE", s.SE, ErrArgument)
		}
		return e, nil
	}
	// Each estimate starts from the raw one, each interval end from the
	// estimate shifted by the fixed-sample half-width.
	sd := 1 / math.Sqrt(s.Info[k])
	q := normUpperQuantile(alpha / 2)
	for _, f := range []struct {
		g   func(float64) float64
		dst *Interval
	}{{m.stagewise, &e.Stagewise}, {m.conditional, &e.ConditionalLook}, {m.early, &e.Conditional}} {
		est := m.solve(f.g, 0.5, m.eta0, sd)
		f.dst.Estimate = est * scale
		f.dst.Low = m.solve(f.g, alpha/2, est-q*sd, sd) * scale
		f.dst.High = m.solve(f.g, 1-alpha/2, est+q*sd, sd) * scale
	}
	if !finite(raw, e.Stagewise.Estimate, e.Stagewise.Low, e.Stagewise.High,
		e.Conditional.Estimate, e.Conditional.Low, e.Conditional.High,
		e.ConditionalLook.Estimate, e.ConditionalLook.Low, e.ConditionalLook.High) {
		return Estimates{}, argErr(fn, "SE", s.SE, ErrArgument)
	}
	return e, nil
}

// Limits of the stored model: grids span the continuation region within
// stopWidth standard deviations of the null and of the base drift, and
// the drifts tried stay within stopReach standard deviations (at the
// stopping look) of the base drift, so that likelihood ratios stay within
// float64 range.
const (
	stopWidth  = 12.0
	stopReach  = 20.0
	stopBase   = 25.0    // base drift at most this many sd from zero
	stopPoints = 1 << 21 // stored grid points in all
	// Exit grids reach stopExitSD increment sds beyond the farthest
	// mean of any drift in the search range, with stopExitRho points
	// per increment sd.
	stopExitSD = 12.0
	// Drifts within stopNear standard deviations (at the stopping look)
	// of the base drift use the exit grids; beyond, the tilted grids lose
	// accuracy and normal tails over the stored densities take over.
	stopNear    = 6.0
	stopExitRho = 16.0
)

// stopModel holds the continuation sub-densities of the score S_j = Z_j√t_j
// before each look j under a base drift eta0; densities under another
// drift θ follow by the likelihood ratio exp((θ−η0)x − (θ²−η0²)t/2), so
// each evaluation is a pass over stored grids without convolutions.
type stopModel struct {
	eta0  float64
	looks []stopLook
	k     int     // stopping look; looks after it are planned ones
	sObs  float64 // observed score at the stopping look
	near  float64 // drifts within this of eta0 use the exit grids
	kind  int     // conditioning event at the stopping look
	lo    float64 // drift search range
	hi    float64
}

const (
	condReach = iota // condition on reaching the last look
	condUpper        // on crossing the upper boundary there
	condLower        // on crossing the lower (efficacy or futility) boundary there
)

type stopLook struct {
	t, tPrev, sig float64
	bu, bl        float64 // score-scale boundaries, ±Inf for none
	lo, h         float64 // grid of the previous look's continuation density
	wf            []float64
	// Sub-densities of S_j under the base drift above bu and below bl,
	// and at the stopping look above the observed score (or, after a
	// lower crossing, between it and bl).
	up, low, tail exitGrid
}

func newStopModel(fn string, s Stop, alpha float64) (*stopModel, error) {
	if s.Sides == 0 {
		s.Sides = TwoSided
	}
	if err := checkSides(fn, s.Sides); err != nil {
		return nil, err
	}
	if err := checkAlpha(fn, alpha); err != nil {
		return nil, err
	}
	if len(s.Info) > maxRepeatedLooks {
		return nil, argErr(fn, "len(Info)", float64(len(s.Info)), ErrTooLarge)
	}
	if err := checkInfo(fn, s.Info); err != nil {
		return nil, err
	}
	if err := checkSpacing(fn, s.Info); err != nil {
		return nil, err
	}
	if len(s.Bounds) != len(s.Info) {
		return nil, argErr(fn, "len(Bounds)", float64(len(s.Bounds)), ErrArgument)
	}
	if s.Futility != nil && len(s.Futility) != len(s.Info) {
		return nil, argErr(fn, "len(Futility)", float64(len(s.Futility)), ErrArgument)
	}
	for i, c := range s.Bounds {
		if math.IsNaN(c) || math.IsInf(c, -1) || c < 0 && s.Sides == TwoSided {
			return nil, argErr(fn, "Bounds["+strconv.Itoa(i)+"]", c, ErrArgument)
		}
		if s.Futility != nil {
			if a := s.Futility[i]; math.IsNaN(a) || math.IsInf(a, 1) || a > c {
				return nil, argErr(fn, "Futility["+strconv.Itoa(i)+"]", a, ErrArgument)
			}
		}
	}
	if s.Look < 0 || s.Look >= len(s.Info) {
		return nil, argErr(fn, "Look", float64(s.Look), ErrArgument)
	}
	if !finite(s.Z) {
		return nil, argErr(fn, "Z", s.Z, ErrArgument)
	}
	if !(s.SE > 0) || math.IsInf(s.SE, 0) {
		return nil, argErr(fn, "SE", s.SE, ErrArgument)
	}
	k := s.Look
	tk := s.Info[k]
	sq := math.Sqrt(tk)
	raw := s.Z / sq
	m := &stopModel{eta0: math.Max(-stopBase/sq, math.Min(stopBase/sq, raw)), sObs: s.Z * sq, k: k}
	// The conditioning event at the stopping look.
	bu, bl := s.Bounds[k]*sq, math.Inf(-1)
	if s.Sides == TwoSided {
		bl = -bu
	}
	if s.Futility != nil && s.Futility[k]*sq > bl {
		bl = s.Futility[k] * sq
	}
	switch {
	case s.Last || k == len(s.Info)-1 && tk >= 1 || m.sObs < bu && m.sObs > bl:
		m.kind = condReach
	case m.sObs >= bu:
		m.kind = condUpper
	default:
		m.kind = condLower
	}
	n := len(s.Info)
	if m.kind == condReach {
		n = k + 1 // the looks after the last one do not matter
	}
	m.lo, m.hi = m.eta0-stopReach/sq, m.eta0+stopReach/sq
	m.near = stopNear / sq
	res := resolution{rho: 4, perZ: 20}
	m.looks = make([]stopLook, n)
	var cur grid
	cur.setPoint(0)
	var next grid
	total := 0
	for j, t := range s.Info[:n] {
		l := &m.looks[j]
		l.t = t
		if j > 0 {
			l.tPrev = s.Info[j-1]
		}
		l.sig = math.Sqrt(t - l.tPrev)
		sqt := math.Sqrt(t)
		l.bu = s.Bounds[j] * sqt
		l.bl = math.Inf(-1)
		if s.Sides == TwoSided {
			l.bl = -l.bu
		}
		if s.Futility != nil && s.Futility[j]*sqt > l.bl {
			l.bl = s.Futility[j] * sqt
		}
		if j > 0 {
			p := &m.looks[j-1]
			// Continuation region of look j−1, capped around the null
			// and the base drift.
			lo := math.Max(p.bl, math.Min(0, m.eta0*p.t)-stopWidth*math.Sqrt(p.t))
			hi := math.Min(p.bu, math.Max(0, m.eta0*p.t)+stopWidth*math.Sqrt(p.t))
			h := res.spacing(p.sig, l.sig, p.t)
			convolve(&next, lo, hi, h, &cur, p.sig, m.eta0*p.sig*p.sig, false)
			cur, next = next, cur
		}
		l.lo, l.h = cur.lo, cur.h
		total += len(cur.wf)
		if total > stopPoints {
			return nil, argErr(fn, "len(Info)", float64(len(s.Info)), ErrTooLarge)
		}
		l.wf = append([]float64(nil), cur.wf...)
		// The sub-density of S_j under the base drift beyond each
		// boundary (and beyond the observed score at the stopping look),
		// far enough that every drift within near of the base drift
		// leaves nothing further out, so that the crossing probabilities under any drift
		// are sums of tilted weights without normal tails.
		top := cur.lo + float64(max(len(cur.wf)-1, 0))*cur.h
		bot := cur.lo + (m.eta0-m.near)*l.sig*l.sig - stopExitSD*l.sig
		top += (m.eta0+m.near)*l.sig*l.sig + stopExitSD*l.sig
		hx := l.sig / stopExitRho
		mu0 := m.eta0 * l.sig * l.sig
		src := grid{lo: cur.lo, h: cur.h, f: cur.wf, wf: cur.wf}
		exit := func(e *exitGrid, a, b float64) {
			if !(b > a) || math.IsInf(a, 0) || math.IsInf(b, 0) {
				return
			}
			convolveReach(&next, a, b, hx, &src, l.sig, mu0, false, kernelSD*l.sig+m.near*l.sig*l.sig)
			e.lo, e.h = next.lo, next.h
			e.wf = append([]float64(nil), next.wf...)
			total += len(e.wf)
		}
		exit(&l.up, l.bu, top)
		exit(&l.low, bot, l.bl)
		if j == k {
			if m.kind == condLower {
				exit(&l.tail, math.Max(m.sObs, bot), l.bl)
			} else {
				exit(&l.tail, m.sObs, top)
			}
		}
		if total > stopPoints {
			return nil, argErr(fn, "len(Info)", float64(len(s.Info)), ErrTooLarge)
		}
	}
	return m, nil
}

// exitGrid holds Simpson weight × sub-density of the score at a look
// under the base drift over a range beyond a boundary.
type exitGrid struct {
	lo, h float64
	wf    []float64
}

// mass returns the probability of e's range at information t under drift
// eta by the likelihood ratio to the base drift; NaN when it overflows.
func (m *stopModel) mass(e *exitGrid, t, eta float64) float64 {
	return m.tilt(e.lo, e.h, e.wf, t, eta)
}

// tilt returns Σ wf_i·L(lo + i·h) for the likelihood ratio L of drift eta
// to the base drift at information t, by a multiplicative recurrence
// started where the ratio is first above e^−700 (terms before it are
// negligible and would lose their precision below the normal range).
// It returns NaN when the sum overflows.
func (m *stopModel) tilt(lo, h float64, wf []float64, t, eta float64) float64 {
	n := len(wf)
	if n == 0 {
		return 0
	}
	const floor = -700.0
	d := eta - m.eta0
	a := d*lo - 0.5*(eta*eta-m.eta0*m.eta0)*t
	b := d * h
	i0, i1 := 0, n
	switch {
	case b > 0 && a < floor:
		i0 = int(min(float64(n), math.Ceil((floor-a)/b)))
	case b < 0 && a+b*float64(n-1) < floor:
		i1 = int(max(0, math.Min(float64(n), math.Floor((floor-a)/b)+1)))
	case b == 0 && a < floor:
		return 0
	}
	if i0 >= i1 {
		return 0
	}
	lr := math.Exp(a + b*float64(i0))
	r := math.Exp(b)
	p := 0.0
	for _, w := range wf[i0:i1] {
		p += w * lr
		lr *= r
	}
	if math.IsInf(p, 0) || math.IsNaN(p) {
		return math.NaN()
	}
	return p
}

// fast returns, under drift eta, the probabilities of reaching look j
// and of crossing its upper and lower boundaries, and at the stopping
// look the probability of the observed tail (see [stopLook]), from the
// stored exit grids; ok is false when a likelihood ratio overflowed.
func (m *stopModel) fast(j int, eta float64) (reach, up, low, tail float64, ok bool) {
	l := &m.looks[j]
	reach = m.tilt(l.lo, l.h, l.wf, l.tPrev, eta)
	up = m.mass(&l.up, l.t, eta)
	low = m.mass(&l.low, l.t, eta)
	if j == m.k {
		tail = m.mass(&l.tail, l.t, eta)
	}
	return reach, up, low, tail, finite(reach, up, low, tail)
}

// at returns, under drift eta, the probabilities of reaching look j and
// of crossing its upper and lower boundaries, and P(reach j, S_j ≥ s)
// (0 for s = +Inf).
func (m *stopModel) at(j int, eta, s float64) (reach, up, low, tail float64) {
	return m.eval(j, eta, s, true)
}

// eval is at; without lower it leaves low at 0.
func (m *stopModel) eval(j int, eta, s float64, lower bool) (reach, up, low, tail float64) {
	l := &m.looks[j]
	d := eta - m.eta0
	c := 0.5 * (eta*eta - m.eta0*m.eta0) * l.tPrev
	lr := math.Exp(d*l.lo - c)
	r := math.Exp(d * l.h)
	mu := eta * l.sig * l.sig
	inv := 1 / l.sig
	upper := !math.IsInf(l.bu, 1)
	lower = lower && !math.IsInf(l.bl, -1)
	wantTail := !math.IsInf(s, 1)
	for i, w := range l.wf {
		w *= lr
		lr *= r
		if w == 0 {
			continue
		}
		x := l.lo + float64(i)*l.h + mu
		reach += w
		if upper {
			up += w * normSF((l.bu-x)*inv)
		}
		if lower {
			low += w * normSF((x-l.bl)*inv)
		}
		if wantTail {
			tail += w * normSF((s-x)*inv)
		}
	}
	return reach, up, low, tail
}

// probs returns, under drift eta, the probabilities of reaching look j
// and of crossing its upper and lower boundaries there, and at the
// stopping look obs: P(reach it, S ≥ observed) after an upper crossing or
// at the last look, P(upper crossing) + P(observed ≤ S ≤ lower boundary)
// after a lower crossing (0 at other looks). It uses the exit grids and
// falls back to normal tails over the stored densities where their
// likelihood ratios overflow.
func (m *stopModel) probs(j int, eta float64) (reach, up, low, obs float64) {
	if math.Abs(eta-m.eta0) <= m.near {
		reach, up, low, obs, ok := m.fast(j, eta)
		if ok {
			if j == m.k && m.kind == condLower {
				obs += up
			}
			return reach, up, low, obs
		}
	}
	s := math.Inf(1)
	if j == m.k {
		s = m.sObs
	}
	reach, up, low, obs = m.eval(j, eta, s, true)
	if j == m.k && m.kind == condLower {
		obs -= reach - up - low
	}
	return reach, up, low, obs
}

// stagewise returns the probability under drift eta of an outcome at
// least as extreme upwards as the observed one in the stagewise ordering:
// an upper crossing at an earlier look, or reaching the last look with a
// score at least the observed one.
func (m *stopModel) stagewise(eta float64) float64 {
	k := m.k
	p := 0.0
	for j := range k {
		_, up, _, _ := m.probs(j, eta)
		p += up
	}
	reach, up, low, obs := m.probs(k, eta)
	if m.kind == condLower {
		// Every path that went on ranks above the observed one.
		obs += reach - up - low
	}
	return math.Min(1, p+obs)
}

// conditional returns P(S_k ≥ observed | the stopping event at look k)
// under drift eta.
func (m *stopModel) conditional(eta float64) float64 {
	reach, up, low, obs := m.probs(m.k, eta)
	var p float64
	switch m.kind {
	case condReach:
		p = obs / reach
	default:
		p = obs / (up + low)
	}
	if math.IsNaN(p) {
		// No mass at all this far from the base drift: the side of the
		// search range tells which way.
		if eta > m.eta0 {
			return 1
		}
		return 0
	}
	return math.Max(0, math.Min(1, p))
}

// solve finds eta in the model's range with f(eta) = target for an
// increasing f, starting from guess, with sd the standard deviation of
// the drift estimate at the stopping look; it returns an end of the range
// when the target lies beyond it.
//
// It works on the probit scale, Φ⁻¹(f(eta)), which is close to linear in
// eta with slope 1/sd (exactly so for a fixed-sample test): secant steps
// from the guess until the root is bracketed or the steps converge, then
// the Illinois method within the bracket. A few evaluations of f suffice
// where bisection from the whole range took a dozen.
func (m *stopModel) solve(f func(float64) float64, target, guess, sd float64) float64 {
	zt := normQuantile(target)
	g := func(x float64) float64 { return normQuantile(f(x)) - zt }
	tol := 1e-9 * (m.hi - m.lo)
	x := math.Max(m.lo, math.Min(m.hi, guess))
	gx := g(x)
	if gx == 0 {
		return x
	}
	slope := 1 / sd
	var lo, hi, glo, ghi float64
	bracketed := false
	for range 100 {
		dx := -gx / slope
		if math.IsInf(gx, 0) || math.IsNaN(dx) {
			dx = -math.Copysign(4*sd, gx)
		}
		xn := math.Max(m.lo, math.Min(m.hi, x+dx))
		if xn == x {
			return x // the target lies beyond this end of the range
		}
		gn := g(xn)
		switch {
		case gn == 0:
			return xn
		case math.Abs(xn-x) < tol && !math.IsInf(gn, 0):
			return xn
		case (gn > 0) != (gx > 0):
			lo, glo, hi, ghi = x, gx, xn, gn
			if xn < x {
				lo, glo, hi, ghi = xn, gn, x, gx
			}
			bracketed = true
		default:
			// Same side: refresh the slope where the secant gives a
			// usable one, and at least double the step otherwise.
			if s := (gn - gx) / (xn - x); s > 0 && !math.IsInf(s, 0) && !math.IsInf(gn, 0) {
				slope = s
			} else {
				slope = math.Min(slope, math.Abs(gn)/(2*math.Abs(xn-x)))
			}
			x, gx = xn, gn
		}
		if bracketed {
			break
		}
	}
	if !bracketed {
		return x
	}
	kept := 0
	for range 200 {
		x := hi - ghi*(hi-lo)/(ghi-glo)
		if !(x > lo && x < hi) {
			x = 0.5 * (lo + hi)
		}
		gx := g(x)
		switch {
		case gx == 0:
			return x
		case gx < 0:
			if x-lo < tol {
				return x
			}
			lo, glo = x, gx
			if kept == -1 {
				ghi /= 2
			}
			kept = -1
		default:
			if hi-x < tol {
				return x
			}
			hi, ghi = x, gx
			if kept == 1 {
				glo /= 2
			}
			kept = 1
		}
		if hi-lo < tol {
			break
		}
	}
	return 0.5 * (lo + hi)
}

// early returns, under drift eta, the probability of an outcome at least
// as extreme upwards as the observed one given how the experiment ended:
// among early stops (at a boundary before the model's last look) in the
// stagewise ordering — upper crossings rank by earliness, then lower
// crossings by lateness, each look's by its score — or, for an
// experiment that ran to its last look, given reaching it. With no look
// after an early stop it is the conditional probability given the look.
func (m *stopModel) early(eta float64) float64 {
	if m.kind == condReach || m.k == len(m.looks)-1 {
		return m.conditional(eta)
	}
	var num, den float64
	for j := 0; j < len(m.looks)-1; j++ {
		_, up, low, obs := m.probs(j, eta)
		den += up + low
		switch {
		case j < m.k:
			num += up
		case j == m.k:
			num += obs
		case m.kind == condLower:
			num += up + low
		}
	}
	p := num / den
	if math.IsNaN(p) {
		if eta > m.eta0 {
			return 1
		}
		return 0
	}
	return math.Max(0, math.Min(1, p))
}
