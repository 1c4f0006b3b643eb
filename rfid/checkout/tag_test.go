package checkout

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/craftkit/craftkit/rfid"
)

// TestSameNameDevices checks that two devices with the same name are two
// loans: the ledger is keyed by tag, not by name.
func TestSameNameDevices(t *testing.T) {
	dir := NewDirectory(nil)
	require.NoError(t, dir.AddPerson(card(ada), "Ada"))
	require.NoError(t, dir.AddPerson(card(grace), "Grace"))
	require.NoError(t, dir.AddDevice(card(50001), "Laptop"))
	require.NoError(t, dir.AddDevice(card(50002), "Laptop"))
	clk := &clock{t: t0}
	l := &Ledger{}
	f := New(dir, l, &Config{Now: clk.Now, Held: Reject})
	tap := func(n uint32) []Event {
		clk.Advance(5 * time.Second)
		return f.Tap(card(n))
	}
	tap(ada)
	assert.Equal(t, CheckedOut, tap(50001)[0].Kind)
	tap(grace)
	evs := tap(50002)
	require.Len(t, evs, 1)
	assert.Equal(t, CheckedOut, evs[0].Kind, "Grace takes the other laptop: %v", evs[0])
	loans := l.Loans()
	require.Len(t, loans, 2, "%+v", loans)
	assert.ElementsMatch(t, []string{"Ada", "Grace"}, []string{loans[0].Person, loans[1].Person})

	// Ada returns her laptop; Grace's stays out.
	tap(50001)
	evs = tap(ada)
	require.Len(t, evs, 1)
	assert.Equal(t, CheckedIn, evs[0].Kind, "%v", evs[0])
	loans = l.Loans()
	require.Len(t, loans, 1)
	assert.Equal(t, "Grace", loans[0].Person)
	_ = rfid.Card{}
}
