// Package ipdb answers "who owns this IP address?" from a static table of
// disjoint address ranges, such as the datacenter list that tells requests
// from clouds and hosting providers (where hands are not on keyboards)
// from requests from homes and offices. There is no database and no
// network: the table is compiled ahead of time, shipped with the code and
// searched in memory.
//
// Start here:
//   - dc := ipdb.Datacenters() decodes the embedded table; keep it.
//   - rec, ok := dc.Lookup(addr) says who owns a netip.Addr (rec.Owner, rec.URL);
//     m, ok := dc.LookupMatch(addr) also gives the matched range (m.Range, m.Record).
//   - For your own list, t, err := ipdb.Load(file, nil) reads start,end,owner,URL CSV;
//     ipdb.Robots() adds clouds and crawlers with a Category and a Verdict.
//
// The embedded table, from github.com/client9/ipcat (MIT), works out of
// the box:
//
//	dc := ipdb.Datacenters() // decode once, keep
//	if rec, ok := dc.Lookup(addr); ok {
//		log.Printf("%v is in %s", addr, rec.Owner)
//	}
//
// # Model
//
// A table is a sorted array of disjoint closed intervals [start, end] with
// a value each; a key lies in at most one interval. The classic lookup is
// a binary search modified for disjoint intervals: if the row starts above
// the key go left, if it ends below the key go right, otherwise it is the
// answer. Intervals may touch (one ends at k, the next starts at k+1), as
// 235 pairs of the ipcat list do.
//
// The generic [Intervals] table (built by [IntervalBuilder]) serves any
// integer keys; [TimeTable] serves half-open time intervals [start, end)
// through the same machinery. [Table] is the address table: IPv4 and IPv6
// ranges, owners as [Record] values.
//
// # Building and validating
//
// A [Builder] (or [Load] for CSV and TSV, [Builder.ReadPrefixes] for CIDR
// lists) collects ranges, then validates and freezes them. It reports
// all problems at once (up to [MaxProblems]), each as a [*ParseError]
// naming its line and quoting it as written (and, for
// overlaps and duplicates, the other row through [*OverlapError]):
// malformed addresses, CSV syntax errors, start after end, mixed address
// families, overlaps, duplicates. Load also reads lists that write IPv4
// bounds as 32-bit decimal integers (34603008,35127295 is
// 2.16.0.0-2.23.255.255), recognised field by field or required with
// [LoadOptions].IntegerBounds; an integer above 4294967295, or one paired
// with an IPv6 address in a row, is a [*ParseError] naming the line and
// the column. With [LoadOptions].OwnerURL an owner written as a URL
// (http://www.akamai.com/) becomes Owner "akamai.com" with that URL. Unsorted input is sorted, or refused in
// Strict mode. Nested lists, such as the cloud providers' CIDR lists where
// a crawler's block sits inside its company's block, are accepted with
// Innermost: each address gets the owner of the smallest range holding it.
// IPv4-mapped IPv6 addresses are treated as IPv4 everywhere.
//
// # Categories and verdicts
//
// A [Record] carries a [Category] (datacenter, crawler, cloud, vpn,
// other) and a [Verdict] (allow, deny), because "not all robots are
// bad": a search engine's crawler is welcome where a rented server
// signing up for accounts is not. Load reads them from columns
// ([Columns].Category, [Columns].Verdict, see [ParseCategory] and
// [ParseVerdict]) or gives every row of a source the defaults
// [LoadOptions].Category and [LoadOptions].Verdict; [Builder.ReadPrefixes]
// takes them in its record. [Robots] embeds ipcat merged with the
// ranges that clouds and crawlers publish (github.com/lord-alfred/ipranges,
// CC0; data/robots.csv names each list's category and verdict), the
// innermost range winning: Googlebot inside Google's cloud is "crawler,
// allow", the rest of that cloud "cloud, deny". [Builder.ReadLists] and
// [Builder.AddTable] build such a table from other lists.
//
// # Fingerprints for fraudgraph
//
// "Signed up from a cloud server of owner X" becomes a fingerprint that
// links accounts in a graph such as fraudgraph's: [Record.Fingerprint]
// returns the kind "ipdb-" + category and the owner as value,
// [Match.Fingerprint] a narrower one per matched range, to pass to
// fraudgraph's AddFingerprint(account, kind, value); [Record.Key] is a
// stable 64-bit hash of (category, owner). The package does not import
// fraudgraph; examples/ipdb shows the wiring (its -signups mode) and the
// kinds' weights and caps.
//
// # Layout and cost
//
// IPv4 tables of 65,536 ranges or more use a block layout: ranges are
// packed six to a 64-byte line holding their starts, ends and 16-bit
// owner indexes, and a bucket index of 4-byte entries (one per two to
// four ranges) names the one line that can hold an address, so that a lookup
// reads one index entry and one line: two cache misses at most. A line
// is 10.7 bytes a range when full; with the index and lines cut where
// buckets allow, 12.0 bytes a range of whole heap after building at a
// million ranges and 12.8 at 100,000 (bench/ipdb, runtime.MemStats after
// GC). Tables with more than 65,536 distinct owners keep the flat
// layout, and so do clustered ones (where the searches in buckets in
// which several lines begin would cost more than a quarter of a line
// read a lookup), for which the flat layout's index is faster (25
// against 30 ns wall for 200,000 ranges in four /12s).
//
// IPv6 tables of 65,536 ranges or more whose ranges all start and end on
// /64 boundaries (the shape of allocation and provider lists) use the
// same layout on the high 64 bits, three ranges a line: 26 bytes a range
// instead of 40, and 20 against 36 ns wall a lookup at 100,000 ranges
// (BenchmarkLookup6Layouts).
//
// Smaller tables, and the others, keep each family in flat
// sorted arrays, 12 bytes per range for IPv4 (start, end, owner index)
// and 40 for IPv6, owners deduplicated in a side table, under a bucket
// index over the top bits of the address, counted from the start of the
// data's span; crowded buckets (clustered IPv6 lists) get child nodes
// over the part of their keys their ranges occupy. This index takes at
// most 256 KiB a family, and for small tables it is most of the memory:
// the 3,429-range ipcat table holds about 85 bytes a range of whole heap
// (owners' strings included), a synthetic table of 3,429 ranges 80. A
// lookup allocates nothing.
//
// Measured in bench/ipdb (TestRatios: synthetic lists shaped like real
// ones, half the probes hits; CPU time of the locked thread in
// interleaved rounds on a shared, loaded 2-core machine, medians of the
// per-round ratios; latest run, with earlier runs' range): at a million
// IPv4 ranges a lookup takes 54 CPU ns (54-74), 16.8x faster than
// MaxMind DB with decoding (14-18x), 14.7x with the decoded records
// cached by offset (13-16x), 9.8x faster than bart (8-10x); at 100,000
// ranges 20 ns, 22x mmdb and 15x bart; on ipcat 15 ns, 8.8x mmdb and
// 1.9x bart; 100,000 /64-granular IPv6 ranges 23 ns, 22-35x bart.
// Building from sorted input is linear apart from owner deduplication.
// Please evaluate for your own data and machine; bench/ipdb compares the
// table with sort.Search, bart, MaxMind DB, netipx and cidranger.
//
// # Limits
//
// No input makes the readers or the decoder panic, hang, or hold memory
// out of proportion to it:
//
//   - Load keeps at most 100 problems ([MaxProblems]), earliest lines
//     first, and counts the others in one closing line ("and 999900 more
//     problems"); the same holds for every builder's Build. A million bad
//     rows give an error of about 7.5 KB.
//   - A problem quotes its line as written, cut to 64 bytes ([MaxQuote])
//     with "..." and the full length; an address field longer than 64
//     bytes is refused without being parsed.
//   - Lines (CSV records) longer than 64 KiB ([MaxLine]) stop reading with
//     [ErrLineTooLong]; no longer line is ever buffered.
//   - [Load], [Builder.ReadCSV] and [Builder.ReadPrefixes] with
//     [Builder.Build] allocate, garbage included, at most 16 bytes per
//     input byte plus 1 KiB per line (about 1 byte per byte for valid
//     lists, most of it the table).
//   - [Decode] allocates at most 40 bytes per byte of data plus 1 MiB for
//     the index, whatever sizes its header claims (they are checked
//     against the data's length before anything is allocated).
//
// # Compiled tables
//
// [Table.MarshalBinary] writes a compact, checksummed binary form that
// [Decode] validates (header, lengths, CRC-32C, order, owner indexes)
// before use; corrupted data is refused with [ErrCorrupt]. The package's
// own ipcat table is compiled by `go generate` (gen.go) from
// data/datacenters.csv into data/datacenters.bin, and the robots table
// into data/robots.bin, which embed directives put in the binary; tests
// regenerate both and fail if they are stale. Version 2 of the format
// stores categories and verdicts; version 1 data still decodes.
//
// # Traffic by owner and hour
//
// A [Traffic] counter, from [NewTraffic], counts requests by key (an
// owner, or a category of the caller's) and by UTC hour of each
// request's time, which the caller passes, for charts of who calls when
// ("robots misbehave in the late hours"). Its memory is fixed by its
// [TrafficConfig]: at most [MaxTrafficKeys] keys (default 64) over at
// most [MaxTrafficHours] hours (default 168, a week), one block of
// 8-byte counters per hour, allocated as the hour is first counted and
// reused for the hour Hours later; further keys go to one "other"
// bucket, counts older than the window to [Traffic.Late]. A count of a
// known key allocates nothing and costs a map lookup and an atomic add
// (about 13 CPU ns). [Traffic.CountCategory] counts by a record's
// category, and the chart then keeps one colour per category. [Traffic.Merge] adds another counter's window;
// [Traffic.Hourly] takes a snapshot whose [Hourly.WriteSVG] draws the
// hours as stacked bars, the 8 busiest keys by name.
//
// # Concurrency
//
// Tables are immutable once built and safe for concurrent use by multiple
// goroutines, and so is a [Traffic] counter. Builders are not. The package has no global state, no init
// work and starts no goroutines.
package ipdb
