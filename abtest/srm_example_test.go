package abtest_test

import (
	"fmt"

	"github.com/craftkit/craftkit/abtest"
)

// A daily sample-ratio check on a 50/50 experiment whose treatment arm
// loses 1 % of its units (20000 against 19800 a day): the test may be
// checked every day and still flags a healthy experiment with probability
// at most 0.001.
func ExampleSequentialSRM() {
	srm, err := abtest.NewSequentialSRM([]float64{1, 1}, nil) // level SRMThreshold (0.001)
	if err != nil {
		fmt.Println(err)
		return
	}
	for day := int64(1); day <= 28; day++ {
		r, err := srm.Check([]int64{20000 * day, 19800 * day}) // cumulative units per arm
		if err != nil {
			fmt.Println(err)
			return
		}
		if r.Mismatch {
			fmt.Printf("day %d: sample ratio mismatch, p = %.1g\n", day, r.PValue)
			return
		}
	}
	fmt.Println("no mismatch")
	// Output:
	// day 19: sample ratio mismatch, p = 0.0007
}
