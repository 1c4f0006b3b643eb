package mariadbtest

import (
	"os"
	"strings"
	"testing"
)

var h *Harness

func TestMain(m *testing.M) {
	os.Exit(Main(m, func(hh *Harness) error {
		h = hh
		_, err := h.StartPairs("p")
		return err
	}))
}

// TestReplicationBothWays writes on each side of a pair and reads the
// row on the other.
func TestReplicationBothWays(t *testing.T) {
	Need(t, h)
	p := h.Pair("p")
	ctx := t.Context()
	a := p.A.Open(t, "app")
	if _, err := a.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS t (id BIGINT UNSIGNED PRIMARY KEY, side CHAR(1) NOT NULL) ENGINE=InnoDB"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ExecContext(ctx, "INSERT INTO t VALUES (1, 'A')"); err != nil {
		t.Fatal(err)
	}
	if err := h.WaitReplicated(ctx, p.A, p.B); err != nil {
		t.Fatal(err)
	}
	b := p.B.Open(t, "app")
	if _, err := b.ExecContext(ctx, "INSERT INTO t VALUES (2, 'B')"); err != nil {
		t.Fatal(err)
	}
	if err := h.WaitReplicated(ctx, p.B, p.A); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := a.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 2 {
		t.Errorf("rows on A = %d, %v, want 2", n, err)
	}
	if !strings.Contains(p.A.DSN("app"), Password) {
		t.Errorf("DSN lacks the password")
	}
	mode, _ := p.A.QueryString(ctx, "SELECT @@GLOBAL.gtid_domain_id")
	if mode != "1" {
		t.Errorf("A gtid_domain_id = %s, want 1", mode)
	}
}
