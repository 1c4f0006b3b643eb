package fraudgraph

import (
	"context"
	"fmt"
	"testing"
)

// TestSelfReferralTable checks every row of the default decision table in
// the package doc for the "self-referral" rule: inviter 1 invites 2, and
// they share the listed fingerprints; households hold earlier
// redemptions by accounts 10, 11, ...
func TestSelfReferralTable(t *testing.T) {
	tests := []struct {
		name     string
		shared   []string // kinds shared by inviter and invitee
		redeemed int      // earlier redemptions in their household
		want     Action
	}{
		{"nothing shared", nil, 0, ActionAllow},
		{"ip only", []string{"ip"}, 0, ActionAllow},
		{"email only", []string{"email"}, 0, ActionBlockCredit},
		{"household only", []string{"household"}, 0, ActionAllow},
		{"device only", []string{"device"}, 0, ActionBlockCredit},
		{"card only", []string{"card"}, 0, ActionBlockCredit},
		{"email and ip", []string{"email", "ip"}, 0, ActionBlockCredit},
		{"card and household", []string{"card", "household"}, 0, ActionAllow},
		{"card, device, ip and household", []string{"card", "device", "ip", "household"}, 2, ActionAllow},
		{"card and household over tolerance", []string{"card", "household"}, 3, ActionBlockCredit},
		{"email and household", []string{"email", "household"}, 0, ActionBlockCredit},
		{"email, phone and household", []string{"email", "phone", "household"}, 0, ActionBlockCredit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := New(Config{})
			if err := g.AddInvite(1, 2, t0); err != nil {
				t.Fatal(err)
			}
			for _, k := range tt.shared {
				for _, a := range []uint64{1, 2} {
					if err := g.AddFingerprint(a, k, "shared-"+k); err != nil {
						t.Fatal(err)
					}
				}
			}
			for i := range tt.redeemed {
				a := uint64(10 + i)
				if err := g.AddFingerprint(a, HouseholdKind, "shared-household"); err != nil {
					t.Fatal(err)
				}
				if err := g.SetFlags(a, FlagRedeemed); err != nil {
					t.Fatal(err)
				}
			}
			e := NewEngine(g)
			if err := e.Register(DefaultRules()...); err != nil {
				t.Fatal(err)
			}
			d, err := e.Decide(context.Background(), Input{Event: EventCreditGrant, Account: 2, Inviter: 1})
			if err != nil {
				t.Fatal(err)
			}
			if d.Action != tt.want {
				t.Errorf("Decide(credit grant, shared %v, %d redeemed) = %v, want %v (findings %v)",
					tt.shared, tt.redeemed, d.Action, tt.want, fmt.Sprint(d.Findings))
			}
		})
	}
}
