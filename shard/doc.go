// Package shard is a sharded SQL data layer over database/sql: objects
// (users, shops, ...) live on shards found through an index, each shard
// is a master-master pair whose sides can be taken out, ids come from
// two ticket servers, and objects move between shards without losing
// writes.
//
// Start here:
//
//	topo, err := shard.ParseTopology(data)   // shards, index pair, ticket servers
//	r, err := shard.NewRouter(topo, &shard.Config{Open: mariadb.Open}) // driver from shard/mariadb
//	err = r.Update(ctx, userID, func(tx *sql.Tx) error { ... })        // runs on the user's shard
//
// The package imports no driver: the caller's Config.Open opens
// connections. The nested module github.com/craftkit/craftkit/shard/mariadb
// supplies MariaDB/MySQL (go-sql-driver/mysql) and its integration tests;
// SQLite (modernc.org/sqlite) serves the examples and unit tests.
//
// # Model
//
// The design follows Etsy's sharded ORM: a large site keeps its data on
// many MySQL shards, each a master-master pair (sides A and B, both
// writable, replicating both ways). An object's shard is not a function
// of its id but a row in an index, itself a master-master pair, so
// objects can move and new shards can be filled. The database never
// generates values: 64-bit ids come from two Flickr-style ticket servers
// (REPLACE INTO a one-row table; one server gives odd ids, the other
// even), see [Tickets].
//
// A [Topology] names the pairs. Sides are named "<shard>_A" and
// "<shard>_B"; the index pair is "index_A"/"index_B" and the ticket
// servers "tickets_A" (odd) and "tickets_B" (even). A side is taken out
// for maintenance with [Topology.Disable] or the disabled-sides file
// ([SideFile], one side name per line, re-read by polling), and a change
// that would take out both sides of any pair is refused whole. A
// [Router] then sends that side's traffic to the other side, and
// [Router.Idle] tells when traffic has really left it.
//
// Each object writes to one fixed side ([Pin]: odd ids on A, even on B,
// or a stable hash), because updating the same row on both sides at once
// diverges silently under master-master replication; reads may use
// either side ([Config].SpreadReads). [Router.Compare] checksums a table
// or key range on both sides of a pair and lists the differing keys.
//
// Every shard keeps a row per object in shard_objects. [Router.Update]
// locks that row in its own transaction and writes only if the object
// lives there, so a router with a stale cache, in this process or
// another, can never write to a shard an object has left: it waits while
// the object is frozen by a move and follows the index afterwards.
//
// A [Mover] moves an object: copy its rows to the destination while
// writes go on; lock it in the index and freeze it on the source; copy
// the rows changed since; verify a per-object checksum of every table on
// both shards; flip the index; delete the source rows. Each step is
// recorded in the index (shard_moves) and safe to repeat, so
// [Mover.Resume] finishes moves after a crash at any step, and
// [Mover.Cancel] undoes one that has not flipped.
//
// Moves are safe while the disabled sides change, in this process or in
// others that read the disabled-sides file earlier or later: a write may
// reach either side of the source shard until the freeze has reached
// that side. So the lock step, after freezing the object on one side,
// waits until the other side has applied everything the first committed
// (the freeze included; from then on no write to the object commits on
// either side), and then until the first has applied everything the
// other committed ([Dialect].CatchUp; MariaDB's is [MariaDBCatchUp], a
// MASTER_GTID_WAIT for the side's last GTID). The delta, verification
// and flip then read either side and see every acknowledged write. If
// the sides do not catch up within MoverConfig.CatchUpWait (a stopped
// replica, a side down for an upgrade), the freeze is undone, the move
// fails with [ErrLagging] and [Mover.Resume] retries it later: a move
// needs both sides of its source shard running and replicating, whether
// disabled or not.
//
// [PlanMoves] proposes moves that fill new or idle shards within a bound
// on bytes moved; a [Runner] executes them with a concurrency limit,
// pause and abort.
//
// # Tables
//
// [Router.Setup] creates shard_index (object_id, shard, locked) and
// shard_moves on the index pair and shard_objects (object_id, state) on
// every shard; [Tickets.Setup] creates tickets64. Application tables are
// the caller's; a [Table] tells the mover which column holds the object
// id and which columns form the key. Ids are BIGINT UNSIGNED; ids of
// 2^63 and above need a driver that accepts uint64 arguments (the MySQL
// driver does; database/sql's default conversion and SQLite do not).
//
// # Limits
//
// Topology files up to [MaxTopologySize] bytes and [MaxShards] shards;
// disabled-sides files up to [MaxSideFileSize]. The route cache has a
// fixed number of slots (Config.CacheSize, default 65,536, 8 bytes each
// plus 16 per cached entry). A move holds one object's rows of one table
// in memory, up to MoverConfig.MaxRows; Compare holds a key and hash per
// row in range, up to CompareOptions.MaxRows.
//
// # Costs
//
// A routing decision on a cache hit is one atomic load and a compare:
// 6.5 ns of CPU time per call and no allocation (BenchmarkCached, 2×10^8
// calls timed with getrusage on a 2-core machine; its wall-clock ns/op
// varies with the machine's load, so compare it with
// BenchmarkMapRWMutex run beside it). A miss is one
// indexed SELECT on the index pair: over a unix socket to MariaDB 10.11,
// p50 0.25 ms and p99 0.7 ms on a loaded 2-core machine. An Update adds
// one locked primary-key read to the caller's transaction. A move reads
// the object's rows three times (copy, delta, verify) and writes them
// twice, and its lock waits for the source's sides to catch up with
// each other (two MASTER_GTID_WAITs, each about one replication lag);
// writes to that object wait from the lock to the flip (p50
// 21 ms, max 0.27 s over 100 moves in the MariaDB test with four
// writers, catch-up included, on a loaded 2-core machine; please
// measure on your own servers). Ticket ids cost
// one round trip each, or one per Block ids with the block allocator.
//
// # Concurrency
//
// [Topology], [Router], [Tickets], [Mover], [SideFile] and [Runner] are
// safe for concurrent use. Nothing starts goroutines on its own except
// database/sql's connection pools: [SideFile.Run] and [Runner.Run] block
// until their context ends, and [Router.Close] releases the pools.
//
// # Outgrowing this
//
// This package is a library inside each application process. Vitess
// (vitess.io) puts a proxy (vtgate) and a per-database agent (vttablet)
// between the application and MySQL, and does much that this package
// does not: it parses and routes SQL itself (the application sends plain
// queries, including cross-shard scatter queries and joins), its
// vindexes generalise the index (hash, lookup, consistent lookup tables,
// multi-column), it reshards by key range (Reshard) as well as moving
// tables (MoveTables), keeps the copies in step with VReplication from
// the binary log rather than a per-object freeze, verifies with VDiff,
// runs online DDL, manages primaries and failover with a topology
// service, and pools connections centrally. It expects one primary per
// shard with replicas, not master-master pairs.
//
// To migrate: give every table the object id column this package
// already requires; declare a lookup vindex backed by a table with the
// contents of shard_index (object_id -> keyspace_id of its shard) and
// use it as the primary vindex of the object's tables, so existing
// placement is kept rather than rehashed; keep ids from the ticket
// servers (or move to Vitess sequences, which are also ticket tables);
// run each pair with one side as primary and the other as its replica
// (the pinned-side rule already keeps their writes apart); bring the
// shards under vttablet one at a time and point the application at
// vtgate, replacing Router.Update with plain transactions, and
// moves/rebalancing with MoveTables and Reshard.
package shard
