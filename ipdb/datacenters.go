package ipdb

//go:generate go run gen.go

// Datacenters returns the embedded ipcat datacenter table: 3,429 IPv4
// ranges of hosting providers and clouds (where "hands aren't on keyboard")
// with owner names and URLs, from github.com/client9/ipcat (MIT).
//
// The table is compiled ahead of time from data/datacenters.csv by
// `go generate` into a checksummed binary blob embedded in the package.
// Each call decodes and validates that blob (about 0.3 to 0.5 ms and
// 500 KB of allocations, see [Decode]); call it once and keep the table,
// which is safe for concurrent use. The package keeps no cache and no
// other state of its own, so a program that never calls Datacenters pays
// nothing beyond the 69 KB blob in its binary.
//
// Datacenters panics if the embedded blob is corrupt, which the package's
// tests rule out for every build of it.
func Datacenters() *Table {
	t, err := Decode(datacentersBlob)
	if err != nil {
		panic("ipdb: embedded datacenter table: " + err.Error())
	}
	return t
}
