//go:build !race

package embeddings

// raceEnabled reports whether the test binary was built with -race.
const raceEnabled = false
