package referral

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

func eur(minor int64) Money { return Money{minor, "EUR"} }

func signup(at time.Time, account, inviter uint64) Event {
	return Event{Type: Signup, At: at, Account: account, Inviter: inviter}
}

func buy(at time.Time, account uint64, minor int64) Event {
	return Event{Type: Purchase, At: at, Account: account, Amount: eur(minor)}
}

func mustNew(t *testing.T, cfg Config) *Programme {
	t.Helper()
	p, err := New(cfg)
	require.NoError(t, err)
	return p
}

func process(t *testing.T, p *Programme, evs ...Event) []Credit {
	t.Helper()
	var out []Credit
	for _, ev := range evs {
		o, err := p.Process(context.Background(), ev)
		require.NoError(t, err, "Process(%+v)", ev)
		out = append(out, o.Credits...)
	}
	return out
}

func rules(r func(*Rules)) Rules {
	x := Rules{Currency: "EUR", Discount: 10_00, MinSpend: 30_00, Reward: 15_00}
	if r != nil {
		r(&x)
	}
	return x
}

// summary renders credits as "type:account:action:paid:rule,rule".
func summary(cs []Credit) []string {
	var out []string
	for _, c := range cs {
		var rs []string
		for _, r := range c.Reasons {
			rs = append(rs, r.Rule)
		}
		paid := "withheld"
		if c.Paid {
			paid = "paid"
		}
		out = append(out, c.Type.String()+":"+itoa(c.Account)+":"+c.Action.String()+":"+paid+":"+strings.Join(rs, ","))
	}
	return out
}

func itoa(v uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			return string(b[i:])
		}
	}
}

func TestMoneyRules(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name   string
		rules  Rules
		events []Event
		want   []string
	}{
		{"below min spend, then the discount once", rules(nil), []Event{
			signup(t0, 2, 1), buy(t0.Add(day), 2, 29_99), buy(t0.Add(2*day), 2, 30_00), buy(t0.Add(3*day), 2, 80_00),
		}, []string{"discount:2:allow:paid:"}},
		{"no inviter, no discount", rules(nil), []Event{signup(t0, 2, 0), buy(t0, 2, 50_00)}, nil},
		{"reward after two friends", rules(nil), []Event{
			signup(t0, 2, 1), signup(t0, 3, 1), signup(t0, 4, 1),
			buy(t0.Add(day), 2, 40_00), buy(t0.Add(day), 3, 40_00), buy(t0.Add(day), 4, 40_00),
		}, []string{"discount:2:allow:paid:", "discount:3:allow:paid:", "reward:1:allow:paid:", "discount:4:allow:paid:"}},
		{"K=1 and inviter cap", rules(func(r *Rules) { r.FriendsPerReward = 1; r.InviterCap = 20_00 }), []Event{
			signup(t0, 2, 1), signup(t0, 3, 1), buy(t0.Add(day), 2, 40_00), buy(t0.Add(day), 3, 40_00),
		}, []string{"discount:2:allow:paid:", "reward:1:allow:paid:", "discount:3:allow:paid:", "reward:1:block-credit:withheld:inviter-cap"}},
		{"inviter cap resets in the next window", rules(func(r *Rules) { r.FriendsPerReward = 1; r.InviterCap = 15_00; r.Window = 7 * day }), []Event{
			signup(t0, 2, 1), signup(t0, 3, 1), buy(t0, 2, 40_00), buy(t0.Add(8*day), 3, 40_00),
		}, []string{"discount:2:allow:paid:", "reward:1:allow:paid:", "discount:3:allow:paid:", "reward:1:allow:paid:"}},
		{"programme budget", rules(func(r *Rules) { r.Budget = 25_00 }), []Event{
			signup(t0, 2, 1), signup(t0, 3, 1), signup(t0, 4, 1), buy(t0, 2, 40_00), buy(t0, 3, 40_00), buy(t0, 4, 40_00),
		}, []string{"discount:2:allow:paid:", "discount:3:allow:paid:", "reward:1:block-credit:withheld:programme-budget", "discount:4:block-credit:withheld:programme-budget"}},
		{"discount capped at the purchase", rules(func(r *Rules) { r.MinSpend = 0; r.Discount = 50_00 }), []Event{
			signup(t0, 2, 1), buy(t0, 2, 20_00),
		}, []string{"discount:2:allow:paid:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustNew(t, Config{Rules: tt.rules})
			got := process(t, p, tt.events...)
			assert.Equal(t, tt.want, summary(got))
		})
	}
	p := mustNew(t, Config{Rules: rules(func(r *Rules) { r.MinSpend = 0; r.Discount = 50_00 })})
	c := process(t, p, signup(t0, 2, 1), buy(t0, 2, 20_00))
	assert.Equal(t, eur(20_00), c[0].Amount, "discount capped at the purchase")
}

func TestBadEvents(t *testing.T) {
	p := mustNew(t, Config{Rules: rules(nil)})
	tests := []struct {
		name string
		ev   Event
		want error
	}{
		{"account 0", signup(t0, 0, 1), ErrEvent},
		{"no time", Event{Type: Signup, Account: 2}, ErrEvent},
		{"self invite", signup(t0, 2, 2), ErrEvent},
		{"other currency", Event{Type: Purchase, At: t0, Account: 2, Amount: Money{10, "USD"}}, ErrCurrency},
		{"negative amount", buy(t0, 2, -1), ErrEvent},
		{"huge amount", buy(t0, 2, maxMinor+1), ErrEvent},
		{"unknown type", Event{Type: 9, At: t0, Account: 2}, ErrEvent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.Process(context.Background(), tt.ev)
			if !errors.Is(err, tt.want) {
				t.Errorf("Process(%+v) = %v, want %v", tt.ev, err, tt.want)
			}
		})
	}
	_, err := New(Config{Rules: Rules{Currency: "eur"}})
	assert.ErrorIs(t, err, ErrRules)
}

// pairGraph links inviter 1 and invitee 2 by an invite and the given
// shared kinds.
func pairGraph(t *testing.T, kinds ...string) *fraudgraph.Graph {
	t.Helper()
	g := fraudgraph.New(fraudgraph.Config{})
	require.NoError(t, g.AddInvite(1, 2, t0))
	for _, k := range kinds {
		require.NoError(t, g.AddFingerprint(1, k, "v-"+k))
		require.NoError(t, g.AddFingerprint(2, k, "v-"+k))
	}
	return g
}

// TestDefaultOutcomes checks the package doc's table of default outcomes.
func TestDefaultOutcomes(t *testing.T) {
	tests := []struct {
		name     string
		kinds    []string
		discount int64
		want     fraudgraph.Action
		paid     bool
	}{
		{"nothing", nil, 10_00, fraudgraph.ActionAllow, true},
		{"ip", []string{"ip"}, 10_00, fraudgraph.ActionAllow, true},
		{"household", []string{"household"}, 10_00, fraudgraph.ActionAllow, true},
		{"email", []string{"email"}, 10_00, fraudgraph.ActionReview, true},
		{"phone", []string{"phone"}, 10_00, fraudgraph.ActionReview, true},
		{"device", []string{"device"}, 10_00, fraudgraph.ActionBlockCredit, false},
		{"card", []string{"card"}, 10_00, fraudgraph.ActionBlockCredit, false},
		{"card, 150.00", []string{"card"}, 150_00, fraudgraph.ActionRemoveReferral, false},
		{"card and device, 300.00", []string{"card", "device"}, 300_00, fraudgraph.ActionBan, false},
		{"card, device, ip, household", []string{"card", "device", "ip", "household"}, 10_00, fraudgraph.ActionAllow, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := pairGraph(t, tt.kinds...)
			p := mustNew(t, Config{Graph: g, Rules: rules(func(r *Rules) { r.Discount = tt.discount; r.MinSpend = 0 })})
			c := process(t, p, signup(t0, 2, 1), buy(t0, 2, 1000_00))
			require.Len(t, c, 1)
			if c[0].Action != tt.want || c[0].Paid != tt.paid {
				t.Errorf("shared %v, discount %d: %v (paid %v, score %.2f, %v), want %v (paid %v)",
					tt.kinds, tt.discount, c[0].Action, c[0].Paid, c[0].Score, c[0].Reasons, tt.want, tt.paid)
			}
			if tt.want >= fraudgraph.ActionReview {
				assert.NotZero(t, c[0].Task, "a task is opened")
			}
		})
	}
}

// TestHouseholdTolerance: a family sharing card, device, ip and address
// is tolerated for three credits of the inviter, then the card counts.
func TestHouseholdTolerance(t *testing.T) {
	g := fraudgraph.New(fraudgraph.Config{})
	month := 30 * 24 * time.Hour
	for a := uint64(1); a <= 5; a++ {
		if a > 1 { // family members join months apart, not in a burst
			require.NoError(t, g.AddInvite(1, a, t0.Add(time.Duration(a)*month)))
		}
		for _, k := range []string{"card", "device", "ip", "household"} {
			require.NoError(t, g.AddFingerprint(a, k, "family-"+k))
		}
	}
	p := mustNew(t, Config{Graph: g, Rules: rules(func(r *Rules) { r.Reward = 0 })})
	var got []string
	for a := uint64(2); a <= 5; a++ {
		at := t0.Add(time.Duration(a) * month)
		c := process(t, p, signup(at, a, 1), buy(at.Add(time.Hour), a, 40_00))
		got = append(got, summary(c)...)
		if a <= 4 {
			assert.True(t, c[0].Tolerated, "credit %d tolerated", a)
		}
	}
	assert.Equal(t, []string{
		"discount:2:allow:paid:household-tolerance",
		"discount:3:allow:paid:household-tolerance",
		"discount:4:allow:paid:household-tolerance",
		"discount:5:block-credit:withheld:household-tolerance,self-referral",
	}, got)
	h := p.History(5)
	require.Len(t, h, 1)
	assert.Equal(t, fraudgraph.ActionBlockCredit, h[0].Action)
	assert.Equal(t, []string{"card", "device"}, h[0].Grounds.Kinds)
}

func TestClusterCapAndExposure(t *testing.T) {
	// 2, 3 and 4 are invited by different inviters but share a device.
	g := fraudgraph.New(fraudgraph.Config{})
	for a := uint64(2); a <= 4; a++ {
		require.NoError(t, g.AddInvite(a+10, a, t0))
		require.NoError(t, g.AddFingerprint(a, "phone", "shared-phone"))
	}
	r := rules(func(r *Rules) { r.ClusterCap = 20_00; r.Policy.Off = true })
	p := mustNew(t, Config{Graph: g, Rules: r})
	var got []string
	for a := uint64(2); a <= 4; a++ {
		got = append(got, summary(process(t, p, signup(t0, a, a+10), buy(t0, a, 40_00)))...)
	}
	assert.Equal(t, []string{"discount:2:allow:paid:", "discount:3:allow:paid:", "discount:4:block-credit:withheld:cluster-cap"}, got)

	x, err := p.Exposure(context.Background(), 4, t0)
	require.NoError(t, err)
	assert.Equal(t, 3, x.ClusterSize)
	assert.Equal(t, Scope{Paid: eur(20_00), Cap: eur(20_00), Capped: true, WorstCase: eur(0), Bounded: true}, x.Cluster)
	assert.Equal(t, Scope{Paid: eur(20_00), Cap: eur(0), WorstCase: eur(0)}, x.Programme)
	assert.Equal(t, 30*24*time.Hour, x.End.Sub(x.Start))

	// An inviter with 5 invites, one discount paid: at most two more
	// rewards ((1 + 4) / 2), uncapped.
	p = mustNew(t, Config{Rules: rules(nil)})
	for a := uint64(20); a < 25; a++ {
		process(t, p, signup(t0, a, 7))
	}
	process(t, p, buy(t0, 20, 40_00))
	x, err = p.Exposure(context.Background(), 7, t0)
	require.NoError(t, err)
	assert.Equal(t, Scope{Paid: eur(0), Cap: eur(0), WorstCase: eur(30_00), Bounded: true}, x.Inviter)

	top := p.TopInviters(3, ByInvites)
	require.Len(t, top, 1)
	assert.Equal(t, uint64(7), top[0].Account)
	assert.Equal(t, 5, top[0].Invites)
	assert.Equal(t, eur(10_00), top[0].Redeemed)
}

func TestStatusesAndReviews(t *testing.T) {
	g := pairGraph(t, "card")
	var sink MemorySink
	p := mustNew(t, Config{Graph: g, Rules: rules(nil), Sink: &sink})
	c := process(t, p, signup(t0, 2, 1), buy(t0, 2, 40_00))
	require.Len(t, c, 1)
	require.NotZero(t, c[0].Task)
	task, v, ok := p.Task(c[0].Task)
	require.True(t, ok)
	assert.Nil(t, v)
	assert.Equal(t, []string{"self-referral"}, task.Rules)
	assert.Equal(t, []string{"card"}, task.Grounds.Kinds)
	require.NotEmpty(t, task.Grounds.Paths, "explain paths in the payload")
	assert.Equal(t, eur(10_00), task.Grounds.Amount)
	assert.Len(t, p.Tasks(), 1)

	at := t0.Add(time.Hour)
	require.NoError(t, p.Review(Verdict{Task: c[0].Task, Reviewer: "ana", At: at, Fraud: false, Note: "same family"}))
	assert.ErrorIs(t, p.Review(Verdict{Task: c[0].Task, Reviewer: "bo", At: at}), ErrReviewed)
	assert.ErrorIs(t, p.Review(Verdict{Task: 99, Reviewer: "bo", At: at}), ErrUnknownTask)
	assert.Empty(t, p.Tasks())

	h := p.History(2)
	require.Len(t, h, 2, "the review supersedes, never clears")
	assert.Equal(t, fraudgraph.ActionBlockCredit, h[0].Action)
	assert.Equal(t, "ana", h[0].SupersededBy)
	assert.Equal(t, at, h[0].SupersededAt)
	assert.Equal(t, fraudgraph.ActionAllow, h[1].Action)
	assert.Equal(t, "ana", h[1].By)
	assert.Equal(t, "cleared: same family", h[1].Reasons[0].Detail)
	cur, ok := p.Current(2)
	assert.True(t, ok)
	assert.Equal(t, h[1], cur)

	assert.Equal(t, []Tally{{Name: "self-referral", Tasks: 1, Reviewed: 1}}, p.RuleStats())
	assert.Equal(t, []Tally{{Name: "card", Tasks: 1, Reviewed: 1}}, p.KindStats())

	vol, err := p.ReviewVolume(t0.Add(-24*time.Hour), t0.Add(24*time.Hour), eur(2_50))
	require.NoError(t, err)
	assert.Equal(t, 1, vol.Tasks)
	assert.Equal(t, eur(2_50), vol.Cost)
	assert.InDelta(t, 0.5, vol.TasksPerDay, 1e-9)
	require.Len(t, vol.Days, 1)

	var buf bytes.Buffer
	require.NoError(t, p.ExportStatuses(&buf))
	assert.Equal(t, 2, strings.Count(buf.String(), "\n"))
	assert.Contains(t, buf.String(), `"action":"block-credit"`)

	// The sink saw task, status, verdict, status; a new programme
	// restores the same state from it.
	recs := sink.Records()
	require.Len(t, recs, 4)
	q := mustNew(t, Config{Rules: rules(nil)})
	require.NoError(t, q.Restore(recs))
	assert.Equal(t, p.History(2), q.History(2))
	assert.Equal(t, p.RuleStats(), q.RuleStats())
	qt, qv, ok := q.Task(c[0].Task)
	require.True(t, ok)
	assert.Equal(t, task.ID, qt.ID)
	assert.Equal(t, "ana", qv.Reviewer)
	assert.Error(t, q.Restore(recs[:1]), "a task restored twice")
}

func TestMetrics(t *testing.T) {
	g := pairGraph(t, "card")
	require.NoError(t, g.AddInvite(1, 3, t0))
	p := mustNew(t, Config{Graph: g, Rules: rules(nil)})
	day := 24 * time.Hour
	process(t, p, signup(t0, 1, 0), signup(t0, 2, 1), signup(t0.Add(day), 3, 1),
		buy(t0.Add(day), 2, 40_00), buy(t0.Add(day), 3, 40_00))
	ms, err := p.Metrics(t0, t0.Add(2*day), day)
	require.NoError(t, err)
	require.Len(t, ms, 2)
	assert.Equal(t, 2, ms[0].Signups)
	assert.Equal(t, 1, ms[0].Fraud, "account 2 had its credit blocked")
	assert.Equal(t, 1, ms[0].Growth)
	assert.Equal(t, 1, ms[1].Signups)
	assert.Equal(t, eur(10_00), ms[1].Paid)
	assert.Equal(t, eur(10_00), ms[1].Withheld)
	assert.Equal(t, eur(10_00), ms[1].CostPerGrowth)
	_, err = p.Metrics(t0, t0.Add(day), 0)
	assert.Error(t, err)
}

// TestReputation: an invitee with a good history sharing the inviter's
// card has its score halved, below the review step.
func TestReputation(t *testing.T) {
	g := pairGraph(t, "card")
	p := mustNew(t, Config{Graph: g, Rules: rules(nil)})
	day := 24 * time.Hour
	c := process(t, p, signup(t0, 2, 1), buy(t0.Add(10*day), 2, 5_00), buy(t0.Add(90*day), 2, 5_00),
		buy(t0.Add(150*day), 2, 5_00), buy(t0.Add(200*day), 2, 40_00))
	require.Len(t, c, 1)
	assert.Equal(t, fraudgraph.ActionAllow, c[0].Action, "reasons %v", c[0].Reasons)
	assert.InDelta(t, 0.45, c[0].Score, 1e-9)
	assert.True(t, hasReason(c[0], "reputation"))

	// Too young: the same purchases within 100 days are blocked.
	p = mustNew(t, Config{Graph: g, Rules: rules(nil)})
	c = process(t, p, signup(t0, 2, 1), buy(t0, 2, 5_00), buy(t0, 2, 5_00), buy(t0, 2, 5_00), buy(t0.Add(100*day), 2, 40_00))
	assert.Equal(t, fraudgraph.ActionBlockCredit, c[0].Action)
}

func hasReason(c Credit, rule string) bool {
	for _, r := range c.Reasons {
		if r.Rule == rule {
			return true
		}
	}
	return false
}

// TestConcurrentUse runs decisions, reviews and queries at once (for
// the race detector).
func TestConcurrentUse(t *testing.T) {
	g := fraudgraph.New(fraudgraph.Config{})
	for i := uint64(1); i <= 40; i++ {
		require.NoError(t, g.AddInvite(1000+i, i, t0))
		require.NoError(t, g.AddFingerprint(i, "card", itoa(i%20)))
		require.NoError(t, g.AddFingerprint(1000+i, "card", itoa(i%20)))
	}
	var sink MemorySink
	p := mustNew(t, Config{Graph: g, Rules: rules(func(r *Rules) { r.ClusterCap = 50_00 }), Sink: &sink})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 200 {
			for _, task := range p.Tasks() {
				_ = p.Review(Verdict{Task: task.ID, Reviewer: "ana", At: t0, Fraud: task.ID%2 == 0})
			}
			_ = p.History(3)
			_ = p.TopInviters(3, ByRedeemed)
			_, _ = p.Exposure(context.Background(), 3, t0)
			_, _ = p.Metrics(t0, t0.Add(time.Hour), time.Minute)
		}
	}()
	for i := uint64(1); i <= 40; i++ {
		process(t, p, signup(t0, i, 1000+i), buy(t0, i, 40_00))
	}
	<-done
	assert.NotEmpty(t, sink.Records())
}
