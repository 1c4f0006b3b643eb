package shard_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/craftkit/craftkit/shard"
	_ "modernc.org/sqlite"
)

func ExampleParseTopology() {
	topo, err := shard.ParseTopology([]byte(`{
		"shards": [
			{"name": "shard_001", "a": "app:pw@unix(/run/s1a.sock)/app", "b": "app:pw@unix(/run/s1b.sock)/app"},
			{"name": "shard_002", "a": "app:pw@unix(/run/s2a.sock)/app", "b": "app:pw@unix(/run/s2b.sock)/app"}
		],
		"index": {"a": "app:pw@unix(/run/ia.sock)/idx", "b": "app:pw@unix(/run/ib.sock)/idx"},
		"tickets": ["app:pw@unix(/run/t1.sock)/t", "app:pw@unix(/run/t2.sock)/t"]
	}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(topo.Sides())

	// Every problem at once, DSNs never shown.
	_, err = shard.ParseTopology([]byte(`{"shards": [{"name": "shard_001", "a": "u:secret@x/db"}, {"name": "shard_001", "a": "u:secret@x/db", "b": "y"}], "tickets": ["t"]}`))
	fmt.Println(err)
	// Output:
	// [shard_001_A shard_001_B shard_002_A shard_002_B index_A index_B tickets_A tickets_B]
	// shard: invalid topology: shards[0].b: missing DSN; shards[1].name: duplicate name "shard_001" (also shards[0]); shards[1].a: same DSN as shards[0].a; index: missing; tickets: 1 ticket servers, want 2 (odd and even)
}

func ExampleTopology_Disable() {
	topo, _ := shard.ParseTopology([]byte(`{"shards": [{"name": "shard_001", "a": "a1", "b": "b1"}],
		"index": {"a": "ia", "b": "ib"}, "tickets": ["t1", "t2"]}`))
	fmt.Println(topo.Disable([]string{"shard_001_A"}))
	err := topo.Disable([]string{"shard_001_B"})
	fmt.Println(err, errors.Is(err, shard.ErrBothSides))
	fmt.Println(topo.Disabled())
	// Output:
	// <nil>
	// shard: pair "shard_001": both sides would be disabled true
	// [shard_001_A]
}

// sqliteTopology writes a topology of two SQLite shards in dir. The two
// sides of each SQLite pair are one file under two DSNs.
func sqliteTopology(dir string) *shard.Topology {
	dsn := func(file, side string) string {
		return fmt.Sprintf("%q", "file:"+filepath.Join(dir, file)+"?_txlock=immediate&_pragma=busy_timeout(10000)&side="+side)
	}
	topo, err := shard.ParseTopology([]byte(`{"shards": [
		{"name": "shard_001", "a": ` + dsn("s1.db", "A") + `, "b": ` + dsn("s1.db", "B") + `},
		{"name": "shard_002", "a": ` + dsn("s2.db", "A") + `, "b": ` + dsn("s2.db", "B") + `}],
		"index": {"a": ` + dsn("index.db", "A") + `, "b": ` + dsn("index.db", "B") + `},
		"tickets": [` + dsn("t1.db", "A") + `, ` + dsn("t2.db", "B") + `]}`))
	if err != nil {
		panic(err)
	}
	return topo
}

func openSQLite(dsn string) (*sql.DB, error) { return sql.Open("sqlite", dsn) }

// ExampleRouter_Update creates objects with ticket ids, writes through
// the router, takes a side out and moves an object to the other shard.
func ExampleRouter_Update() {
	dir, _ := os.MkdirTemp("", "shard-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	topo := sqliteTopology(dir)
	r, err := shard.NewRouter(topo, &shard.Config{Open: openSQLite, Dialect: shard.SQLite, Rand: rand.New(rand.NewPCG(1, 2))})
	if err != nil {
		panic(err)
	}
	defer r.Close()
	tickets, _ := shard.NewTickets(r, nil)
	if err := errors.Join(r.Setup(ctx), tickets.Setup(ctx)); err != nil {
		panic(err)
	}
	for _, name := range []string{"shard_001_A", "shard_002_A"} {
		db, _ := r.DB(name)
		db.Exec("CREATE TABLE notes (user_id BIGINT UNSIGNED NOT NULL, note_id BIGINT UNSIGNED NOT NULL, body TEXT NOT NULL, PRIMARY KEY (user_id, note_id))")
	}

	user, _ := tickets.Next(ctx) // 1: odd, from tickets_A
	rt, _ := r.Create(ctx, user)
	fmt.Printf("user %d on %s, writes on side %v\n", user, topo.Shards[rt.Shard].Name, rt.Write)
	note, _ := tickets.Next(ctx) // 2: even, from tickets_B
	err = r.Update(ctx, user, func(tx *sql.Tx) error {
		_, err := tx.Exec("INSERT INTO notes VALUES (?, ?, 'hello')", user, note)
		return err
	})
	fmt.Println("write:", err)

	topo.Disable([]string{topo.Shards[rt.Shard].Side(false)})
	rt, _ = r.Lookup(ctx, user)
	fmt.Printf("side A out: writes on side %v\n", rt.Write)
	topo.SetDisabled(nil)
	rt, _ = r.Lookup(ctx, user)

	m, _ := shard.NewMover(r, &shard.MoverConfig{
		Tables: []shard.Table{{Name: "notes", Object: "user_id", Key: []string{"user_id", "note_id"}}},
		OnStep: func(s shard.StepReport) error {
			fmt.Printf("  move %d %s -> %s: %v (%d rows)\n", s.Object, s.From, s.To, s.Step, s.Rows)
			return nil
		},
	})
	if _, err := m.Move(ctx, user, topo.Shards[1-rt.Shard].Name); err != nil {
		panic(err)
	}
	var body string
	r.View(ctx, user, func(tx *sql.Tx) error {
		return tx.QueryRow("SELECT body FROM notes WHERE user_id = ?", user).Scan(&body)
	})
	rt, _ = r.Lookup(ctx, user)
	fmt.Printf("user %d now on %s: %q\n", user, topo.Shards[rt.Shard].Name, body)
	// Output:
	// user 1 on shard_002, writes on side A
	// write: <nil>
	// side A out: writes on side B
	//   move 1 shard_002 -> shard_001: copied (1 rows)
	//   move 1 shard_002 -> shard_001: locked (0 rows)
	//   move 1 shard_002 -> shard_001: delta (0 rows)
	//   move 1 shard_002 -> shard_001: verified (0 rows)
	//   move 1 shard_002 -> shard_001: flipped (0 rows)
	//   move 1 shard_002 -> shard_001: done (1 rows)
	// user 1 now on shard_001: "hello"
}

func ExamplePlanMoves() {
	// Four objects of 10 rows on shard 0, none on the new shard 1.
	objs := []shard.ObjectSize{
		{ID: 1, Shard: 0, Size: 10, Bytes: 800},
		{ID: 2, Shard: 0, Size: 10, Bytes: 800},
		{ID: 3, Shard: 0, Size: 10, Bytes: 800},
		{ID: 4, Shard: 0, Size: 10, Bytes: 800},
	}
	plan, _ := shard.PlanMoves(2, objs, &shard.PlanOptions{MaxBytes: 2000})
	for _, m := range plan.Moves {
		fmt.Printf("move %d: shard %d -> %d\n", m.ID, m.From, m.To)
	}
	fmt.Println(plan.Before, "->", plan.After, plan.Bytes, "bytes")
	// Output:
	// move 1: shard 0 -> 1
	// move 2: shard 0 -> 1
	// [40 0] -> [20 20] 1600 bytes
}

func ExampleRedactDSN() {
	fmt.Println(shard.RedactDSN("app:s3cret@unix(/run/mysqld.sock)/app?parseTime=true"))
	// Output:
	// app:xxxxx@unix(/run/mysqld.sock)/app?parseTime=true
}
