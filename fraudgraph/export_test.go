package fraudgraph

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGroups(t *testing.T) {
	g := New(Config{Kinds: map[string]Kind{"ip": {Cap: 2}}})
	require.NoError(t, g.AddInvite(1, 2, t0))
	require.NoError(t, g.AddInvite(2, 3, t0))
	require.NoError(t, g.AddFingerprint(3, "card", "c"))
	require.NoError(t, g.AddFingerprint(4, "card", "c"))
	require.NoError(t, g.AddInvite(7, 8, t0))
	for _, a := range []uint64{4, 7, 9} { // a supernode joins nothing
		require.NoError(t, g.AddFingerprint(a, "ip", "nat"))
	}
	tests := []struct {
		via  Via
		want [][]uint64
	}{
		{ViaBoth, [][]uint64{{1, 2, 3, 4}, {7, 8}}},
		{ViaInvites, [][]uint64{{1, 2, 3}, {7, 8}}},
		{ViaFingerprints, [][]uint64{{3, 4}}},
	}
	for _, tt := range tests {
		got, err := g.Groups(context.Background(), tt.via, 2)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "Groups(%v)", tt.via)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := g.Groups(ctx, ViaBoth, 2)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestExportCSV(t *testing.T) {
	g := New(Config{})
	require.NoError(t, g.AddInvite(1, 2, t0))
	require.NoError(t, g.AddFingerprint(1, "card", "c"))
	require.NoError(t, g.AddFingerprint(2, "card", "c"))
	require.NoError(t, g.AddFingerprint(2, "device", "only-mine"))
	var acc, fps, inv, mem bytes.Buffer
	require.NoError(t, g.ExportCSV(CSVFiles{Accounts: &acc, Fingerprints: &fps, Invites: &inv, Memberships: &mem}))
	h := HashFingerprint("card", "c")
	assert.Equal(t, "id:ID(Account),joined:datetime,flags:int\n1,,0\n2,2026-01-01T00:00:00Z,0\n", acc.String())
	assert.Equal(t, "id:ID(Fingerprint),kind,accounts:int\ncard:"+hexID(h)+",card,2\n", fps.String())
	assert.Equal(t, ":START_ID(Account),:END_ID(Account)\n1,2\n", inv.String())
	assert.Equal(t, ":START_ID(Account),:END_ID(Fingerprint)\n1,card:"+hexID(h)+"\n2,card:"+hexID(h)+"\n", mem.String())
}

func hexID(h uint64) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 16)
	for i := 15; i >= 0; i-- {
		b[i] = digits[h&15]
		h >>= 4
	}
	return string(b)
}
