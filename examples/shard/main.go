// Command shard walks through package shard on SQLite files in a
// temporary directory: three shards and an index, objects created with
// ticket ids, reads and writes routed to their shard and side, a side
// taken out through the disabled-sides file, and an object moved to
// another shard while a writer keeps writing to it.
//
//	go run ./examples/shard
//	go run ./examples/shard -shards 4 -objects 10
//
// The two sides of each SQLite "pair" are one file under two DSNs, which
// stands in for a master-master pair that replicates instantly; the
// MariaDB integration tests in shard/mariadb run the same steps on real
// pairs.
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
	"strings"
	"sync"
	"time"

	"github.com/craftkit/craftkit/examples/internal/cli"
	"github.com/craftkit/craftkit/shard"
	_ "modernc.org/sqlite"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	shards, objects, writes int
	seed                    uint64
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := cli.NewFlagSet("shard", stderr, "usage: shard [-shards n] [-objects n] [-writes n] [-seed n]\n"+
		"Walks through package shard on SQLite files in a temporary directory.\n")
	var o options
	fs.IntVar(&o.shards, "shards", 3, "number of shards, 2 to 16")
	fs.IntVar(&o.objects, "objects", 6, "number of objects to create, 1 to 1000")
	fs.IntVar(&o.writes, "writes", 40, "rows the writer adds while an object moves, 1 to 10000")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the placement policy's randomness")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, c := range []struct {
		name      string
		v, lo, hi int
	}{{"shards", o.shards, 2, 16}, {"objects", o.objects, 1, 1000}, {"writes", o.writes, 1, 10000}} {
		if c.v < c.lo || c.v > c.hi {
			return o, fmt.Errorf("-%s %d: want %d to %d", c.name, c.v, c.lo, c.hi)
		}
	}
	return o, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	prog := cli.Program{Name: "shard", Stderr: stderr}
	o, err := parseFlags(args, stderr)
	if err != nil {
		return prog.UsageError(err)
	}
	dir, err := os.MkdirTemp("", "craftkit-shard")
	if err != nil {
		return prog.Exit(err)
	}
	defer os.RemoveAll(dir)
	return prog.Exit(demo(context.Background(), stdout, dir, o))
}

func dsn(dir, file, side string) string {
	return "file:" + filepath.Join(dir, file) + "?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&side=" + side
}

// topologyJSON writes the topology file of n SQLite shards in dir.
func topologyJSON(dir string, n int) string {
	var b strings.Builder
	b.WriteString(`{"environment": "dev", "shards": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		name := fmt.Sprintf("shard_%03d", i+1)
		fmt.Fprintf(&b, `{"name": %q, "a": %q, "b": %q}`, name, dsn(dir, name+".db", "A"), dsn(dir, name+".db", "B"))
	}
	fmt.Fprintf(&b, `], "index": {"a": %q, "b": %q}, "tickets": [%q, %q]}`,
		dsn(dir, "index.db", "A"), dsn(dir, "index.db", "B"), dsn(dir, "tickets_odd.db", "A"), dsn(dir, "tickets_even.db", "B"))
	return b.String()
}

const notesDDL = "CREATE TABLE IF NOT EXISTS notes (user_id BIGINT UNSIGNED NOT NULL, note_id BIGINT UNSIGNED NOT NULL, body TEXT NOT NULL, PRIMARY KEY (user_id, note_id))"

var notes = shard.Table{Name: "notes", Object: "user_id", Key: []string{"user_id", "note_id"}}

func addNote(user, note uint64, body string) func(*sql.Tx) error {
	return func(tx *sql.Tx) error {
		_, err := tx.Exec("INSERT INTO notes (user_id, note_id, body) VALUES (?, ?, ?)", user, note, body)
		return err
	}
}

func demo(ctx context.Context, w io.Writer, dir string, o options) error {
	// 1. Topology.
	topo, err := shard.ParseTopology([]byte(topologyJSON(dir, o.shards)))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "1. topology %q: %d shards, index pair, 2 ticket servers; sides %s ... %s\n",
		topo.Environment, len(topo.Shards), topo.Sides()[0], topo.Sides()[len(topo.Sides())-1])
	r, err := shard.NewRouter(topo, &shard.Config{
		Open:    func(dsn string) (*sql.DB, error) { return sql.Open("sqlite", dsn) },
		Dialect: shard.SQLite,
		Rand:    rand.New(rand.NewPCG(o.seed, o.seed)),
		MaxWait: 10 * time.Second,
	})
	if err != nil {
		return err
	}
	defer r.Close()
	tickets, err := shard.NewTickets(r, nil)
	if err != nil {
		return err
	}
	if err := errors.Join(r.Setup(ctx), tickets.Setup(ctx)); err != nil {
		return err
	}
	for _, p := range topo.Shards {
		db, _ := r.DB(p.Side(false))
		if _, err := db.ExecContext(ctx, notesDDL); err != nil {
			return err
		}
	}

	// 2. Objects with ticket ids, placed on the least loaded shard.
	fmt.Fprintf(w, "2. create %d users with ticket ids (odd from tickets_A, even from tickets_B):\n", o.objects)
	var users []uint64
	for range o.objects {
		id, err := tickets.Next(ctx)
		if err != nil {
			return err
		}
		rt, err := r.Create(ctx, id)
		if err != nil {
			return err
		}
		users = append(users, id)
		fmt.Fprintf(w, "   user %d -> %s, writes on side %v\n", id, topo.Shards[rt.Shard].Name, rt.Write)
	}

	// 3. Routed writes and reads.
	for _, u := range users {
		note, err := tickets.Next(ctx)
		if err != nil {
			return err
		}
		if err := r.Update(ctx, u, addNote(u, note, fmt.Sprintf("first note of %d", u))); err != nil {
			return err
		}
	}
	u := users[0]
	var body string
	if err := r.View(ctx, u, func(tx *sql.Tx) error {
		return tx.QueryRow("SELECT body FROM notes WHERE user_id = ?", u).Scan(&body)
	}); err != nil {
		return err
	}
	fmt.Fprintf(w, "3. one note written per user through the router; user %d reads back %q\n", u, body)

	// 4. Take user u's write side out through the disabled-sides file.
	rt, _ := r.Lookup(ctx, u)
	home := topo.Shards[rt.Shard]
	pulled := home.Side(rt.Write == shard.B)
	path := filepath.Join(dir, "disabled_sides")
	sf := &shard.SideFile{Path: path, Topology: topo}
	if err := shard.WriteSideFile(path, []string{pulled}); err != nil {
		return err
	}
	if _, err := sf.Reload(); err != nil {
		return err
	}
	rt, _ = r.Lookup(ctx, u)
	note, _ := tickets.Next(ctx)
	if err := r.Update(ctx, u, addNote(u, note, "written while a side was out")); err != nil {
		return err
	}
	fmt.Fprintf(w, "4. disabled-sides file says %s: user %d now writes on side %v (write ok)\n", pulled, u, rt.Write)
	shard.WriteSideFile(path, []string{home.Side(false), home.Side(true)})
	_, err = sf.Reload()
	fmt.Fprintf(w, "   a file taking out both sides of %s is refused (%v), still disabled: %v\n",
		home.Name, errors.Is(err, shard.ErrBothSides), topo.Disabled())
	for _, st := range r.Stats() {
		if st.Side == home.Side(false) || st.Side == home.Side(true) {
			fmt.Fprintf(w, "   %s: %d queries, %d errors, disabled %v\n", st.Side, st.Queries, st.Errors, st.Disabled)
		}
	}
	shard.WriteSideFile(path, nil)
	if _, err := sf.Reload(); err != nil {
		return err
	}
	fmt.Fprintln(w, "   file emptied: all sides in")

	// 5. Move user u to another shard while a writer adds notes to it.
	dst := topo.Shards[(rt.Shard+1)%len(topo.Shards)].Name
	fmt.Fprintf(w, "5. move user %d from %s to %s while a writer adds %d notes:\n", u, home.Name, dst, o.writes)
	var acked int
	var werr error
	var wg sync.WaitGroup
	started := make(chan struct{})
	wg.Go(func() {
		for i := range o.writes {
			if i == o.writes/4 {
				close(started)
			}
			n, err := tickets.Next(ctx)
			if err == nil {
				err = r.Update(ctx, u, addNote(u, n, "written during the move"))
			}
			if err != nil {
				werr = err
				return
			}
			acked++
		}
	})
	<-started
	m, err := shard.NewMover(r, &shard.MoverConfig{Tables: []shard.Table{notes}, OnStep: func(s shard.StepReport) error {
		extra := ""
		switch s.Step {
		case shard.StepCopied:
			extra = fmt.Sprintf(": %d rows copied while writes go on", s.Rows)
		case shard.StepLocked:
			extra = ": index locked, user frozen on the source"
		case shard.StepDelta:
			extra = fmt.Sprintf(": %d rows changed since the copy, copied again", s.Rows)
		case shard.StepVerified:
			extra = ": checksums equal on both shards (" + s.Checksum + ")"
		case shard.StepFlipped:
			extra = fmt.Sprintf(": index names %s; writes waited %v", s.To, s.Pause.Round(time.Millisecond))
		case shard.StepDone:
			extra = fmt.Sprintf(": %d source rows deleted", s.Rows)
		}
		fmt.Fprintf(w, "   %v%s\n", s.Step, extra)
		return nil
	}})
	if err != nil {
		return err
	}
	if _, err := m.Move(ctx, u, dst); err != nil {
		return err
	}
	wg.Wait()
	if werr != nil {
		return werr
	}
	var stored int
	if err := r.View(ctx, u, func(tx *sql.Tx) error {
		return tx.QueryRow("SELECT COUNT(*) FROM notes WHERE user_id = ?", u).Scan(&stored)
	}); err != nil {
		return err
	}
	rt, _ = r.Lookup(ctx, u)
	want := 2 + acked // first note, the one written with a side out, the writer's
	fmt.Fprintf(w, "   user %d now on %s with %d notes; %d acknowledged writes: lost %d\n",
		u, topo.Shards[rt.Shard].Name, stored, want, want-stored)
	if stored != want {
		return fmt.Errorf("user %d has %d notes, want %d", u, stored, want)
	}
	return nil
}
