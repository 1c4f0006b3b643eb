//go:build !race

package fraudgraph_test

const raceEnabled = false
