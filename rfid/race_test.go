//go:build race

package rfid

// raceEnabled reports that the race detector is on: it changes what
// allocates, so allocation bounds are checked without it.
const raceEnabled = true
