package abtest

// auditFull is AuditConversion as first written, over a full
// (pairs+1)² matrix: the reference the windowed version must match.
func auditFull(p float64, pairs int, rule Rule) float64 {
	w := pairs + 1
	m := make([]float64, w*w) // m[c*w+t]
	m[0] = 1
	q := 1 - p
	rejected := 0.0
	// Both counts live in lo..hi; slots holding less than tiny are dropped
	// (their total is below 1e-20, far under any rate of interest).
	const tiny = 1e-30
	lo, hi := 0, 0
	for n := 1; n <= pairs; n++ {
		hi++
		// control converts or not: rows c = hi..lo
		for c := hi; c >= lo; c-- {
			row := m[c*w+lo : c*w+hi+1]
			if c > lo {
				prev := m[(c-1)*w+lo : (c-1)*w+hi+1]
				for t := range row {
					row[t] = row[t]*q + prev[t]*p
				}
			} else {
				for t := range row {
					row[t] *= q
				}
			}
		}
		// treatment converts or not: columns t = hi..lo within each row
		for c := lo; c <= hi; c++ {
			row := m[c*w : c*w+hi+1]
			for t := hi; t > lo; t-- {
				row[t] = row[t]*q + row[t-1]*p
			}
			row[lo] *= q
		}
		for c := lo; c <= hi; c++ {
			row := m[c*w : c*w+hi+1]
			for t := lo; t <= hi; t++ {
				if v := row[t]; v != 0 && rule(n, c, t) {
					rejected += v
					row[t] = 0
				}
			}
		}
		for lo < hi && edgeBelowFull(m, w, lo, lo, hi, tiny) {
			clearEdgeFull(m, w, lo, lo, hi)
			lo++
		}
		for hi > lo && edgeBelowFull(m, w, hi, lo, hi, tiny) {
			clearEdgeFull(m, w, hi, lo, hi)
			hi--
		}
	}
	return rejected
}

func edgeBelowFull(m []float64, w, k, lo, hi int, tiny float64) bool {
	for j := lo; j <= hi; j++ {
		if m[k*w+j] >= tiny || m[j*w+k] >= tiny {
			return false
		}
	}
	return true
}

func clearEdgeFull(m []float64, w, k, lo, hi int) {
	for j := lo; j <= hi; j++ {
		m[k*w+j], m[j*w+k] = 0, 0
	}
}
