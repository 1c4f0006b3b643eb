package shard

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// A Dialect holds the few SQL differences between the servers the
// package supports. The package writes portable SQL otherwise: REPLACE
// INTO, plain SELECT/INSERT/UPDATE/DELETE with ? placeholders, and
// checksums computed in Go rather than by server functions.
type Dialect struct {
	// Name is "mysql" or "sqlite".
	Name string
	// ForUpdate is appended to a SELECT that must lock the row it reads
	// until the transaction ends. SQLite has no row locks; open its
	// databases with _txlock=immediate so write transactions serialise.
	ForUpdate string
	// AutoIncrement is the column attribute of the ticket table's key.
	AutoIncrement string
	// StepsTickets reports whether the ticket servers step ids by two
	// themselves (auto_increment_increment=2 and offsets 1 and 2). When
	// false (SQLite), the client maps the server's n-th id to the n-th
	// odd or even number.
	StepsTickets bool
	// CatchUp waits until dst, one side of a master-master pair, has
	// applied every transaction committed on src, the other side, before
	// the call, or until ctx ends. A move calls it both ways after
	// freezing an object (see [Mover]), so writes that reached either
	// side are on both before the last changes are copied. It runs plain
	// SQL on the handles and must not change data. nil means a pair's two
	// sides are one database, with nothing to wait for: true of the
	// SQLite dialect, whose pairs are one file under two DSNs.
	CatchUp func(ctx context.Context, src, dst *sql.DB) error
}

// Dialects of the supported servers.
var (
	// MySQL is MariaDB (10.0.2 and later), with InnoDB row locks. Its
	// CatchUp uses MariaDB's GTIDs (see [MariaDBCatchUp]); for Oracle
	// MySQL set a CatchUp built on WAIT_FOR_EXECUTED_GTID_SET.
	MySQL = Dialect{Name: "mysql", ForUpdate: " FOR UPDATE", AutoIncrement: "AUTO_INCREMENT", StepsTickets: true, CatchUp: MariaDBCatchUp}
	// SQLite is SQLite 3 (for tests and examples), one file per pair.
	SQLite = Dialect{Name: "sqlite", AutoIncrement: "AUTOINCREMENT"}
)

// MariaDBCatchUp is the MySQL dialect's CatchUp for MariaDB pairs
// replicating with GTIDs, each side with its own gtid_domain_id (as
// MariaDB advises for multi-master setups). It reads src's domain and
// the last GTID of that domain in src's binary log, then waits on dst
// with MASTER_GTID_WAIT until dst's replication has applied it, bounded
// by ctx's deadline (10 s without one). Nothing is waited for when src
// has written no GTID in its domain, or when src and dst are one server
// (same @@server_id). A dst that is not replicating from src times out.
func MariaDBCatchUp(ctx context.Context, src, dst *sql.DB) error {
	var srcID, dstID uint64
	var domain uint32
	var pos string
	if err := src.QueryRowContext(ctx, "SELECT @@server_id, @@gtid_domain_id, @@gtid_binlog_pos").Scan(&srcID, &domain, &pos); err != nil {
		return fmt.Errorf("reading the GTID position: %w", err)
	}
	if err := dst.QueryRowContext(ctx, "SELECT @@server_id").Scan(&dstID); err != nil {
		return err
	}
	gtid := domainGTID(pos, domain)
	if srcID == dstID || gtid == "" {
		return nil
	}
	wait := 10 * time.Second
	if d, ok := ctx.Deadline(); ok {
		wait = time.Until(d)
	}
	if wait <= 0 {
		return context.DeadlineExceeded
	}
	var res sql.NullInt64
	if err := dst.QueryRowContext(ctx, "SELECT MASTER_GTID_WAIT(?, ?)", gtid, wait.Seconds()).Scan(&res); err != nil {
		return fmt.Errorf("waiting for GTID %s: %w", gtid, err)
	}
	if !res.Valid || res.Int64 != 0 {
		return fmt.Errorf("GTID %s not applied within %v: %w", gtid, wait.Round(time.Millisecond), context.DeadlineExceeded)
	}
	return nil
}

// domainGTID returns the GTID of domain d in a MariaDB GTID position
// such as "1-11-42,2-12-7", or "" when the position has none.
func domainGTID(pos string, d uint32) string {
	prefix := fmt.Sprint(d) + "-"
	for g := range strings.SplitSeq(pos, ",") {
		g = strings.TrimSpace(g)
		if strings.HasPrefix(g, prefix) {
			return g
		}
	}
	return ""
}
