// Package mariadb connects package shard to MariaDB and MySQL servers
// through github.com/go-sql-driver/mysql. It lives in its own module so
// that the craftkit module does not carry the driver.
//
// Start here:
//
//	topo, _ := shard.ParseTopology(data)     // DSNs in the driver's form
//	r, _ := shard.NewRouter(topo, &shard.Config{Open: mariadb.Open, Dialect: shard.MySQL})
//	go test ./...                             // in this directory: integration tests on real MariaDB
//
// # Integration tests
//
// The tests start their own servers (see internal/mariadbtest): two
// shards and an index as master-master pairs with GTID, and two ticket
// servers, each on its own data dir in a temporary directory, stopped by
// PID at the end. They need mariadbd and mariadb-install-db (Debian:
// apt-get install -y mariadb-server). Without them the tests skip with
// a message, unless CRAFTKIT_REQUIRE_SERVICES=1, when they fail.
// CRAFTKIT_MARIADB_BIN names another directory of MariaDB binaries.
// The 1,000,000-id ticket test takes about 30 s on a loaded 2-core
// machine; -short draws 100,000.
package mariadb
