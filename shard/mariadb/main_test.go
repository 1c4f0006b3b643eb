package mariadb_test

// Every test file in this package (including schema_*_test.go) shares
// this TestMain and its servers:
//
//	h                      *mariadbtest.Harness, nil when MariaDB is absent:
//	                       call mariadbtest.Need(t, h) first
//	h.Pair("shard_001"), h.Pair("shard_002"), h.Pair("index")
//	                       master-master pairs (A: gtid domain 1, B: 2)
//	tickets                [2]*mariadbtest.Server: odd (A) and even (B) ids
//
// Tests that need other servers start them with h.Start or h.StartPairs
// under names of their own; Main stops them all.

import (
	"context"
	"os"
	"testing"

	"github.com/craftkit/craftkit/shard"
	"github.com/craftkit/craftkit/shard/mariadb"
	"github.com/craftkit/craftkit/shard/mariadb/internal/mariadbtest"
)

var (
	h       *mariadbtest.Harness
	tickets [2]*mariadbtest.Server
)

func TestMain(m *testing.M) {
	os.Exit(mariadbtest.Main(m, func(hh *mariadbtest.Harness) error {
		h = hh
		if _, err := h.StartPairs("shard_001", "shard_002", "index"); err != nil {
			return err
		}
		var err error
		tickets, err = h.StartTickets()
		return err
	}))
}

// newRouter creates database db on every server, parses the topology of
// the shared servers on it and returns a router with its tables and the
// application table items on every shard, replicated to both sides.
func newRouter(t *testing.T, db string, cfg *shard.Config) *shard.Router {
	t.Helper()
	mariadbtest.Need(t, h)
	ctx := t.Context()
	shards := []*mariadbtest.Pair{h.Pair("shard_001"), h.Pair("shard_002")}
	all := []*mariadbtest.Server{tickets[0], tickets[1]}
	for _, p := range append(shards, h.Pair("index")) {
		all = append(all, p.A, p.B)
	}
	for _, s := range all {
		if err := s.Exec(ctx, "CREATE DATABASE IF NOT EXISTS `"+db+"` CHARACTER SET utf8mb4"); err != nil {
			t.Fatal(err)
		}
	}
	topo, err := shard.ParseTopology(h.TopologyJSON(db, shards, h.Pair("index"), tickets))
	if err != nil {
		t.Fatal(err)
	}
	c := shard.Config{}
	if cfg != nil {
		c = *cfg
	}
	c.Open, c.Dialect = mariadb.Open, shard.MySQL
	r, err := shard.NewRouter(topo, &c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if err := r.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range shards {
		a, _ := r.DB(p.Name + "_A")
		if _, err := a.ExecContext(ctx, itemsDDL); err != nil {
			t.Fatal(err)
		}
	}
	waitAll(t, ctx)
	return r
}

const itemsDDL = "CREATE TABLE IF NOT EXISTS items (object_id BIGINT UNSIGNED NOT NULL, item_id BIGINT UNSIGNED NOT NULL, body VARCHAR(200) NOT NULL, PRIMARY KEY (object_id, item_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"

// waitAll waits until both sides of every pair have applied each other's
// transactions.
func waitAll(t *testing.T, ctx context.Context) {
	t.Helper()
	for _, n := range []string{"shard_001", "shard_002", "index"} {
		p := h.Pair(n)
		if err := h.WaitReplicated(ctx, p.A, p.B); err != nil {
			t.Fatal(err)
		}
		if err := h.WaitReplicated(ctx, p.B, p.A); err != nil {
			t.Fatal(err)
		}
	}
}
