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
//   - For your own list, t, err := ipdb.Load(file, nil) reads start,end,owner,URL CSV.
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
// # Layout and cost
//
// A table keeps each family in flat sorted arrays, 12 bytes per range for
// IPv4 (start, end, owner index) and 40 for IPv6, owners deduplicated in a
// side table. A bucket index over the top bits of the address, counted
// from the start of the data's span, narrows a lookup to the few ranges
// that can hold the address; crowded buckets (clustered IPv6 lists) get
// child nodes over the part of their keys their ranges occupy. IPv4
// tables of 65,536 ranges or more use a flat index of 16-bit entries
// instead, twice the buckets in the same space (unless their ranges crowd
// one part of it). The index of a family takes at most 256 KiB; a lookup
// reads one index entry per level (one or two levels for most), then one
// or a few ranges, allocates nothing and takes tens of nanoseconds even
// at a million ranges. Building from sorted input is
// linear apart from owner deduplication. Please evaluate for your own data
// and machine; bench/ipdb compares the table with sort.Search, bart,
// MaxMind DB, netipx and cidranger.
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
// data/datacenters.csv into data/datacenters.bin, which an embed
// directive puts in the binary; a test regenerates it and fails if it is
// stale.
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
// (about 15-25 ns). [Traffic.Merge] adds another counter's window;
// [Traffic.Hourly] takes a snapshot whose [Hourly.WriteSVG] draws the
// hours as stacked bars, the 8 busiest keys by name.
//
// # Concurrency
//
// Tables are immutable once built and safe for concurrent use by multiple
// goroutines, and so is a [Traffic] counter. Builders are not. The package has no global state, no init
// work and starts no goroutines.
package ipdb
