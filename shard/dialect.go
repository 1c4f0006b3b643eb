package shard

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
}

// Dialects of the supported servers.
var (
	// MySQL is MariaDB and MySQL, with InnoDB row locks.
	MySQL = Dialect{Name: "mysql", ForUpdate: " FOR UPDATE", AutoIncrement: "AUTO_INCREMENT", StepsTickets: true}
	// SQLite is SQLite 3 (for tests and examples), one file per side.
	SQLite = Dialect{Name: "sqlite", AutoIncrement: "AUTOINCREMENT"}
)
