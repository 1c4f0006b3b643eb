package fraudgraph

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// CSVFiles are the destinations of [Graph.ExportCSV], one file per node
// or relationship type as neo4j-admin import expects them:
//
//	neo4j-admin database import full \
//	  --nodes=Account=accounts.csv --nodes=Fingerprint=fingerprints.csv \
//	  --relationships=INVITED=invites.csv --relationships=HAS=memberships.csv
//
// JanusGraph's and other loaders read the same CSV with a column mapping.
// Nil writers are skipped.
type CSVFiles struct {
	Accounts     io.Writer // id:ID(Account),joined:datetime,flags:int
	Fingerprints io.Writer // id:ID(Fingerprint),kind,accounts:int (id is kind:hash, the hash in hex)
	Invites      io.Writer // :START_ID(Account),:END_ID(Account) (inviter, invitee)
	Memberships  io.Writer // :START_ID(Account),:END_ID(Fingerprint)
}

// ExportCSV writes the graph (shared fingerprints only) as CSV files with
// neo4j-admin import headers. It works on a consistent view: inserts wait
// while it runs, queries do not.
func (g *Graph) ExportCSV(f CSVFiles) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.st.Load()
	kinds := *g.kinds.Load()
	nAcc, nFp := g.nAcc.Load(), g.nFp.Load()
	type file struct {
		w    io.Writer
		head []string
		rows func(emit func(...string) bool)
	}
	files := []file{
		{f.Accounts, []string{"id:ID(Account)", "joined:datetime", "flags:int"}, func(emit func(...string) bool) {
			for d := range nAcc {
				j := ""
				if t := fromSecs(g.joined.load(d)); !t.IsZero() {
					j = t.Format(time.RFC3339)
				}
				if !emit(strconv.FormatUint(g.extID(d), 10), j, strconv.Itoa(int(g.flagsOf(d)))) {
					return
				}
			}
		}},
		{f.Fingerprints, []string{"id:ID(Fingerprint)", "kind", "accounts:int"}, func(emit func(...string) bool) {
			for fp := range nFp {
				info := g.fpInfo.load(fp)
				if !emit(fpNodeID(kinds, g, fp), kinds[info>>24].name, strconv.Itoa(int(info&countMask))) {
					return
				}
			}
		}},
		{f.Invites, []string{":START_ID(Account)", ":END_ID(Account)"}, func(emit func(...string) bool) {
			for d := range nAcc {
				ok := true
				st.eachInvite(d, func(v uint32) bool {
					if v&inviterBit != 0 { // each invite once, from the invitee's row
						ok = emit(strconv.FormatUint(g.extID(v&^inviterBit), 10), strconv.FormatUint(g.extID(d), 10))
					}
					return ok
				})
				if !ok {
					return
				}
			}
		}},
		{f.Memberships, []string{":START_ID(Account)", ":END_ID(Fingerprint)"}, func(emit func(...string) bool) {
			for d := range nAcc {
				ok := true
				st.eachFingerprint(d, func(fp uint32) bool {
					ok = emit(strconv.FormatUint(g.extID(d), 10), fpNodeID(kinds, g, fp))
					return ok
				})
				if !ok {
					return
				}
			}
		}},
	}
	for _, fl := range files {
		if fl.w == nil {
			continue
		}
		bw := bufio.NewWriter(fl.w)
		cw := csv.NewWriter(bw)
		err := cw.Write(fl.head)
		fl.rows(func(rec ...string) bool {
			if err == nil {
				err = cw.Write(rec)
			}
			return err == nil
		})
		cw.Flush()
		if err == nil {
			err = cw.Error()
		}
		if err == nil {
			err = bw.Flush()
		}
		if err != nil {
			return fmt.Errorf("fraudgraph: export: %w", err)
		}
	}
	return nil
}

// fpNodeID returns the export id of shared fingerprint fp: its kind and
// hash, "card:00ff...", unique because fingerprints are keyed by both.
func fpNodeID(kinds []kindInfo, g *Graph, fp uint32) string {
	return fmt.Sprintf("%s:%016x", kinds[g.fpInfo.load(fp)>>24].name, g.fpHashOf(kinds, fp))
}
