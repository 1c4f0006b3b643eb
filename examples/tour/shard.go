package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/craftkit/craftkit/shard"
	_ "modernc.org/sqlite"
)

// tourShard routes objects to two SQLite shards through an index, takes
// a side out, and moves an object to the other shard step by step.
func tourShard(w io.Writer) error {
	fmt.Fprintln(w, "shard: objects on shards found through an index, master-master sides, ticket ids, moves")
	dir, err := os.MkdirTemp("", "craftkit-tour-shard")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	dsn := func(file, side string) string {
		return fmt.Sprintf("%q", "file:"+filepath.Join(dir, file)+"?_txlock=immediate&_pragma=busy_timeout(10000)&side="+side)
	}
	topo, err := shard.ParseTopology([]byte(`{"shards": [
		{"name": "shard_001", "a": ` + dsn("s1.db", "A") + `, "b": ` + dsn("s1.db", "B") + `},
		{"name": "shard_002", "a": ` + dsn("s2.db", "A") + `, "b": ` + dsn("s2.db", "B") + `}],
		"index": {"a": ` + dsn("index.db", "A") + `, "b": ` + dsn("index.db", "B") + `},
		"tickets": [` + dsn("t1.db", "A") + `, ` + dsn("t2.db", "B") + `]}`))
	if err != nil {
		return err
	}
	ctx := context.Background()
	r, err := shard.NewRouter(topo, &shard.Config{
		Open:    func(dsn string) (*sql.DB, error) { return sql.Open("sqlite", dsn) },
		Dialect: shard.SQLite, Rand: rand.New(rand.NewPCG(1, 2)),
	})
	if err != nil {
		return err
	}
	defer r.Close()
	tickets, _ := shard.NewTickets(r, nil)
	if err := errors.Join(r.Setup(ctx), tickets.Setup(ctx)); err != nil {
		return err
	}
	for _, p := range topo.Shards {
		db, _ := r.DB(p.Side(false))
		if _, err := db.ExecContext(ctx, "CREATE TABLE notes (user_id BIGINT UNSIGNED NOT NULL, note_id BIGINT UNSIGNED NOT NULL, body TEXT NOT NULL, PRIMARY KEY (user_id, note_id))"); err != nil {
			return err
		}
	}
	var users []uint64
	for range 4 {
		id, err := tickets.Next(ctx)
		if err != nil {
			return err
		}
		rt, err := r.Create(ctx, id)
		if err != nil {
			return err
		}
		users = append(users, id)
		fmt.Fprintf(w, "  user %d (ticket id) -> %s, writes pinned to side %v\n", id, topo.Shards[rt.Shard].Name, rt.Write)
	}
	for _, id := range users {
		note, err := tickets.Next(ctx)
		if err != nil {
			return err
		}
		if err := r.Update(ctx, id, func(tx *sql.Tx) error {
			_, err := tx.Exec("INSERT INTO notes VALUES (?, ?, 'hello')", id, note)
			return err
		}); err != nil {
			return err
		}
	}
	u := users[0]
	rt, _ := r.Lookup(ctx, u)
	home := topo.Shards[rt.Shard]
	fmt.Fprintf(w, "  disable %s: %v; then %s too: %v\n", home.Side(false), topo.Disable([]string{home.Side(false)}),
		home.Side(true), topo.Disable([]string{home.Side(true)}))
	rt, _ = r.Lookup(ctx, u)
	fmt.Fprintf(w, "  user %d now writes on side %v; all sides back in\n", u, rt.Write)
	topo.SetDisabled(nil)
	m, err := shard.NewMover(r, &shard.MoverConfig{
		Tables: []shard.Table{{Name: "notes", Object: "user_id", Key: []string{"user_id", "note_id"}}},
		OnStep: func(s shard.StepReport) error {
			fmt.Fprintf(w, "  move user %d %s -> %s: %v\n", s.Object, s.From, s.To, s.Step)
			return nil
		},
	})
	if err != nil {
		return err
	}
	if _, err := m.Move(ctx, u, topo.Shards[1-rt.Shard].Name); err != nil {
		return err
	}
	loads, err := r.Loads(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  objects per shard: %s %d, %s %d\n", topo.Shards[0].Name, loads[0].Objects, topo.Shards[1].Name, loads[1].Objects)
	return nil
}
