package abtest

import "math"

// Recursive numerical integration (Armitage, McPherson and Rowe 1969;
// Jennison and Turnbull 2000, chapter 19) on the score scale
// S_k = Z_k·√t_k, whose increments are independent N(η·Δ_k, Δ_k).
// Each look keeps the sub-density of S_k on its continuation region as
// values on an equally spaced Simpson grid whose spacing is a fixed
// fraction of the smaller of the two neighbouring increments' standard
// deviations, so accuracy does not degrade with many closely spaced looks.

const (
	kernelSD    = 8.5  // Gaussian kernel truncated at ±8.5 sd (relative weight 2e-16)
	regionSD    = 10.0 // continuation regions capped at mean ± 10 sd of S_k (tail mass 8e-24)
	tailMaxSD   = 38.5 // normSF underflows beyond this
	zCap        = 40.0 // largest finite boundary the solver returns
	defaultRho  = 4.0  // grid points per standard deviation of the increment
	defaultPerZ = 40.0 // minimum grid points per unit of the z scale

	// maxGrid caps the intervals of one integration grid. Looks at least
	// MinSpacing apart never need more than 20·rho/√MinSpacing = 16000
	// (rho = 8, the finest resolution used); the cap only guards the
	// allocation against a spacing computed from unchecked input, at the
	// price of accuracy.
	maxGrid = 1 << 15
)

// grid holds a sub-density of the score on equally spaced points.
// A single point with h = 0 is a point mass (the start of the trial).
type grid struct {
	lo, h float64
	f     []float64 // density values
	wf    []float64 // Simpson weight × density
}

func (g *grid) n() int          { return len(g.f) }
func (g *grid) x(j int) float64 { return g.lo + float64(j)*g.h }
func (g *grid) setPoint(x float64) {
	g.lo, g.h = x, 0
	g.f = append(g.f[:0], 1)
	g.wf = append(g.wf[:0], 1)
}

// resolution controls the grid: points per increment sd and a minimum count.
type resolution struct {
	rho  float64 // points per increment standard deviation
	perZ float64 // points per unit of Z_k (per √t_k on the score scale)
}

func (r resolution) orDefault() resolution {
	if r.rho <= 0 {
		r.rho = defaultRho
	}
	if r.perZ <= 0 {
		r.perZ = defaultPerZ
	}
	return r
}

// spacing returns the grid spacing for the density at a look at
// information t between increments with standard deviations s1 and s2.
func (r resolution) spacing(s1, s2, t float64) float64 {
	return math.Min(math.Min(s1, s2)/r.rho, math.Sqrt(t)/r.perZ)
}

// convolve fills dst with the density of S = U + N(mu, sigma²) restricted
// to [lo, hi], where U has the sub-density src. hTarget bounds the spacing.
// With sym set (a symmetric src, lo = −hi and mu = 0) only half the points
// are integrated and the rest mirrored.
func convolve(dst *grid, lo, hi, hTarget float64, src *grid, sigma, mu float64, sym bool) {
	convolveReach(dst, lo, hi, hTarget, src, sigma, mu, sym, kernelSD*sigma)
}

// convolveReach is convolve with the kernel truncated at ±reach instead
// of ±kernelSD·sigma: a density that is to be tilted to another drift
// needs the source points that matter under that drift, up to
// |drift change|·sigma² further out.
func convolveReach(dst *grid, lo, hi, hTarget float64, src *grid, sigma, mu float64, sym bool, reach float64) {
	if !(hi > lo) || src.n() == 0 {
		dst.lo, dst.h = lo, 0
		dst.f, dst.wf = dst.f[:0], dst.wf[:0]
		return
	}
	m := maxGrid
	if r := math.Ceil((hi - lo) / hTarget); r < maxGrid { // false for NaN and +Inf
		m = max(int(r), 2)
	}
	if m%2 == 1 {
		m++
	}
	n := m + 1
	h := (hi - lo) / float64(m)
	dst.lo, dst.h = lo, h
	dst.f = grow(dst.f, n)
	dst.wf = grow(dst.wf, n)
	sn := src.n()
	var delta, q float64
	if src.h > 0 {
		delta = src.h / sigma
		q = math.Exp(-delta * delta)
	}
	norm := invSqrt2Pi / sigma
	end := n
	if sym {
		end = n/2 + 1
	}
	for i := 0; i < end; i++ {
		c := lo + float64(i)*h - mu
		jlo, jhi := 0, 0
		if sn > 1 {
			jlo = int(math.Ceil((c - reach - src.lo) / src.h))
			jhi = int(math.Floor((c + reach - src.lo) / src.h))
			jlo = max(jlo, 0)
			jhi = min(jhi, sn-1)
		}
		// A point mass (the start of the trial) is not truncated: its
		// density is exact however far out.
		acc := 0.0
		if jlo <= jhi {
			d := (c - src.x(jlo)) / sigma
			g := math.Exp(-0.5 * d * d)
			r := math.Exp(d*delta - 0.5*delta*delta)
			wf := src.wf[jlo : jhi+1]
			for _, w := range wf {
				acc += w * g
				g *= r
				r *= q
			}
		}
		f := acc * norm
		dst.f[i] = f
		w := 2.0
		switch {
		case i == 0 || i == n-1:
			w = 1
		case i%2 == 1:
			w = 4
		}
		dst.wf[i] = f * w * h / 3
	}
	for i := end; i < n; i++ {
		dst.f[i], dst.wf[i] = dst.f[n-1-i], dst.wf[n-1-i]
	}
}

func grow(s []float64, n int) []float64 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]float64, n, n+n/4+16)
}

// upperTail returns P(U + N(mu, σ²) ≥ b) over the sub-density g and the
// density of that crossing probability with respect to b. It walks down
// from the top of the grid and stops once the (log-concave) terms are
// past their mode and negligible.
func upperTail(g *grid, b, sigma, mu float64) (p, dens float64) {
	prev := math.Inf(1)
	// φ(d) along the grid by a multiplicative recurrence (d grows by
	// delta per step down), started with one exponential.
	delta := g.h / sigma
	q := math.Exp(-delta * delta)
	var phi, r float64
	started := false
	for j := g.n() - 1; j >= 0; j-- {
		d := (b - g.x(j) - mu) / sigma
		if d < -kernelSD {
			p += g.wf[j]
			continue
		}
		if d > tailMaxSD {
			break
		}
		if !started {
			phi = normPDF(d)
			r = math.Exp(-d*delta - 0.5*delta*delta)
			started = true
		}
		sf := normSF(d)
		term := g.wf[j] * sf
		p += term
		dens += g.wf[j] * phi
		phi *= r
		r *= q
		cur := g.f[j] * sf
		if d > 1 && cur < prev && term < 1e-18*p {
			break
		}
		prev = cur
	}
	return p, dens / sigma
}

// solveBound returns the z-scale boundary c at information t such that the
// probability of crossing it (both sides for TwoSided, by symmetry under
// the null) from the sub-density g with increment sd sigma equals target.
func solveBound(g *grid, t, sigma, target float64, sides Sides, start float64) float64 {
	if !(target > 0) {
		return math.Inf(1)
	}
	sq := math.Sqrt(t)
	k := 1.0
	lo := -zCap
	if sides == TwoSided {
		k, lo = 2, 0
	}
	hi := zCap
	c := start
	if !(c > lo && c < hi) {
		c = normUpperQuantile(target / k)
		if !(c > lo && c < hi) {
			c = 0.5 * (lo + hi)
		}
	}
	logT := math.Log(target)
	for range 200 {
		p, d := upperTail(g, c*sq, sigma, 0)
		p *= k
		d *= k * sq
		if p > target {
			lo = c
		} else {
			hi = c
		}
		var next float64
		if p > 0 && d > 0 {
			e := math.Log(p) - logT
			if math.Abs(e) < 1e-14 {
				return c // P matches the target to rounding
			}
			next = c + e*p/d
		} else {
			next = math.NaN()
		}
		if !(next > lo && next < hi) {
			next = 0.5 * (lo + hi)
		}
		if math.Abs(next-c) <= 1e-12*(1+math.Abs(c)) || hi-lo <= 1e-12 {
			return next
		}
		c = next
	}
	return c
}

// passOut collects the results of a forward pass with fixed boundaries.
type passOut struct {
	up, low []float64 // crossing probabilities per look
	mean    []float64 // E[Z_k/√t_k ; stop at k] per look (when moments)
	tailAt  float64   // P(reach the tail look, Z there ≥ tail z) (when tail is set)
}

// pass describes a forward pass: looks at information fractions info with
// z-scale upper boundaries upper (the lower one is −upper for TwoSided,
// none for OneSided), under drift eta: Z_k has mean eta·√t_k.
type pass struct {
	info, upper []float64
	sides       Sides
	eta         float64
	res         resolution
	moments     bool      // also fill passOut.mean; all mass left at the final look stops there
	tail        *tailLook // stop at tail.look and report P(reach it, Z ≥ tail.z)
}

// tailLook asks a pass for the upper tail of Z at one look.
type tailLook struct {
	look int     // 0-based look at which the pass stops
	z    float64 // z-scale point of the tail
}

// forward runs the recursion described by p into out.
func forward(p pass, out *passOut) {
	t, c, sides, eta := p.info, p.upper, p.sides, p.eta
	res := p.res.orDefault()
	moments := p.moments
	last, zLast := -1, 0.0
	if p.tail != nil {
		last, zLast = p.tail.look, p.tail.z
	}
	K := len(t)
	if last >= 0 {
		K = last + 1
	}
	out.up = grow(out.up, K)
	out.low = grow(out.low, K)
	if moments {
		out.mean = grow(out.mean, K)
	}
	out.tailAt = 0
	var a, b grid
	prev, cur := &a, &b
	prev.setPoint(0)
	tPrev := 0.0
	var sigPrev float64
	var loR, hiR, muPrev float64
	for k := 0; k < K; k++ {
		sig := math.Sqrt(t[k] - tPrev)
		if k > 0 {
			// density at look k-1 on its region, spacing resolving both increments
			h := res.spacing(sigPrev, sig, t[k-1])
			convolve(cur, loR, hiR, h, prev, sigPrev, muPrev, false)
			prev, cur = cur, prev
		}
		mu := eta * (t[k] - tPrev)
		sq := math.Sqrt(t[k])
		bu := c[k] * sq
		bl := math.Inf(-1)
		if sides == TwoSided {
			bl = -bu
		}
		var pu, pl, mom float64
		final := k == len(t)-1 && last < 0
		for j := 0; j < prev.n(); j++ {
			m := prev.x(j) + mu
			w := prev.wf[j]
			du := (bu - m) / sig
			su := normSF(du)
			pu += w * su
			if sides == TwoSided {
				dl := (m - bl) / sig
				sl := normSF(dl)
				pl += w * sl
				if moments && !final {
					mom += w * (m*sl - sig*normPDF(dl))
				}
			}
			if moments {
				if final {
					mom += w * m
				} else {
					mom += w * (m*su + sig*normPDF(du))
				}
			}
		}
		out.up[k], out.low[k] = pu, pl
		if moments {
			out.mean[k] = mom / t[k]
		}
		if k == last {
			zb := zLast * sq
			for j := 0; j < prev.n(); j++ {
				out.tailAt += prev.wf[j] * normSF((zb-prev.x(j)-mu)/sig)
			}
			return
		}
		center := eta * t[k]
		hiR = math.Min(bu, center+regionSD*sq)
		loR = math.Max(bl, center-regionSD*sq)
		sigPrev, muPrev = sig, mu
		tPrev = t[k]
	}
}
