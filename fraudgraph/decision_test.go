package fraudgraph

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ringGraph builds a small ring: 10 invites 11..15 within an hour, all
// sharing one card and redeeming; 20 invites 21 a month later with
// nothing shared.
func ringGraph(t *testing.T) *Graph {
	t.Helper()
	g := New(Config{})
	require.NoError(t, g.AddAccount(10, t0))
	for i := uint64(11); i <= 15; i++ {
		require.NoError(t, g.AddInvite(10, i, t0.Add(time.Duration(i)*time.Minute)))
		require.NoError(t, g.AddFingerprint(i, "card", "4111-ring"))
		require.NoError(t, g.AddFingerprint(i, "device", "emulator-"+string(rune('a'+i%2))))
		require.NoError(t, g.SetFlags(i, FlagRedeemed))
	}
	require.NoError(t, g.AddInvite(20, 21, t0.Add(30*24*time.Hour)))
	require.NoError(t, g.AddFingerprint(21, "card", "4111-honest"))
	return g
}

func TestEngineDecide(t *testing.T) {
	g := ringGraph(t)
	e := NewEngine(g)
	require.NoError(t, e.Register(DefaultRules()...))
	assert.ErrorIs(t, e.Register(Rule{Name: "ring", Events: []Event{EventSignup}, Check: checkRing}), ErrRule)
	assert.ErrorIs(t, e.Register(Rule{Name: "x"}), ErrRule)

	ctx := context.Background()
	tests := []struct {
		name  string
		in    Input
		heavy bool
		want  Action
	}{
		{"honest signup", Input{Event: EventSignup, Account: 21, Inviter: 20}, false, ActionAllow},
		{"honest ring check", Input{Event: EventSignup, Account: 21, Inviter: 20}, true, ActionAllow},
		{"ring member", Input{Event: EventCreditGrant, Account: 12, Inviter: 10}, true, ActionBan},
		{"checkout next to banned", Input{Event: EventCheckout, Account: 13}, false, ActionAllow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Decision
			var err error
			if tt.heavy {
				d, err = e.DecideHeavy(ctx, tt.in)
			} else {
				d, err = e.Decide(ctx, tt.in)
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, d.Action, "findings %+v", d.Findings)
			if tt.want != ActionAllow {
				assert.NotEmpty(t, d.Findings[0].Reason)
			}
		})
	}
	f, err := g.Flags(12)
	require.NoError(t, err)
	assert.Equal(t, FlagRedeemed|FlagFlagged|FlagBanned|FlagNoReferral, f)

	// Thresholds change at run time: a lower ring threshold bans 14 too,
	// then two flagged neighbours block checkout credit for 13.
	e.Thresholds().Set("ring_ban", 0.5)
	d, err := e.DecideHeavy(ctx, Input{Event: EventSignup, Account: 14})
	require.NoError(t, err)
	assert.Equal(t, ActionBan, d.Action)
	d, err = e.Decide(ctx, Input{Event: EventCheckout, Account: 13})
	require.NoError(t, err)
	assert.Equal(t, ActionBlockCredit, d.Action)

	// Reviews give per-rule precision.
	require.NoError(t, e.RecordReview(12, true))
	require.NoError(t, e.RecordReview(14, false))
	stats := e.RuleStats()
	i := slices.IndexFunc(stats, func(s RuleStats) bool { return s.Rule == "ring" })
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, RuleStats{Rule: "ring", Fired: 2, Reviewed: 2, Confirmed: 1}, stats[i])
	assert.InDelta(t, 0.5, stats[i].Precision(), 1e-9)

	// Growth metrics skip flagged accounts.
	var grown []uint64
	for a := range g.Growth(slices.Values([]uint64{12, 13, 14, 21, 999})) {
		grown = append(grown, a)
	}
	assert.Equal(t, []uint64{14, 21, 999}, grown)
}

func TestRunner(t *testing.T) {
	g := ringGraph(t)
	e := NewEngine(g)
	require.NoError(t, e.Register(DefaultRules()...))
	var mu sync.Mutex
	got := map[uint64]Action{}
	r := NewRunner(e, RunnerConfig{Workers: 2, Queue: 4, OnDecision: func(d Decision, err error) {
		assert.NoError(t, err)
		mu.Lock()
		got[d.Input.Account] = d.Action
		mu.Unlock()
	}})
	done := make(chan error, 1)
	go func() { done <- r.Run(context.Background()) }()
	for _, a := range []uint64{11, 21} {
		for {
			err := r.Submit(Input{Event: EventCreditGrant, Account: a})
			if !errors.Is(err, ErrQueueFull) {
				require.NoError(t, err)
				break
			}
		}
	}
	require.NoError(t, r.Close())
	require.NoError(t, r.Close())
	require.NoError(t, <-done, "Run after Close drains the queue and returns nil")
	assert.ErrorIs(t, r.Submit(Input{Event: EventSignup, Account: 11}), ErrClosed)
	assert.Equal(t, map[uint64]Action{11: ActionBan, 21: ActionAllow}, got)

	// Cancelling the context stops Run without Close.
	ctx, cancel := context.WithCancel(context.Background())
	r = NewRunner(e, RunnerConfig{})
	require.NoError(t, r.Submit(Input{Event: EventSignup, Account: 11}))
	cancel()
	assert.ErrorIs(t, r.Run(ctx), context.Canceled)

	//lint:ignore SA1012 a nil context is the case under test
	assert.Error(t, r.Run(nil), "Run(nil) returns an error instead of crashing")
}
