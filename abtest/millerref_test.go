package abtest

// millerLinear is the threshold search planMiller first used, scanning
// thresholds one by one from d0: the reference for millerGallop.
func millerLinear(s millerSearch) (MillerPlan, error) {
	best, ok, err := s.try(s.d0)
	if err != nil {
		return MillerPlan{}, err
	}
	if ok {
		// walk down while still feasible; stop after three infeasible in a row
		miss := 0
		for d := s.d0 - 1; d >= 1 && miss < 3; d-- {
			p, ok, err := s.try(d)
			if err != nil {
				return MillerPlan{}, err
			}
			if ok {
				if p.N <= best.N {
					best = p
				}
				miss = 0
			} else {
				miss++
			}
		}
		return best, nil
	}
	for d := s.d0 + 1; ; d++ {
		p, ok, err := s.try(d)
		if err != nil {
			return MillerPlan{}, err
		}
		if ok {
			return p, nil
		}
	}
}
