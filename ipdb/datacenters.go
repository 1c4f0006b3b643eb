package ipdb

//go:generate go run gen.go

// Datacenters returns the embedded ipcat datacenter table: 3,429 IPv4
// ranges of hosting providers and clouds (where "hands aren't on keyboard")
// with owner names and URLs, from github.com/client9/ipcat (MIT).
//
// The table is compiled ahead of time from data/datacenters.csv by
// `go generate` into a checksummed binary blob embedded in the package.
// Each call decodes and validates that blob (about 0.6 ms and
// 670 KB of allocations, see [Decode]); call it once and keep the table,
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

// Robots returns the embedded robots table: where requests from
// machines come from, each range with a [Category] and a [Verdict]. It
// merges the ipcat datacenter list (CategoryDatacenter, VerdictDeny)
// with the cloud providers' and crawlers' published ranges collected by
// github.com/lord-alfred/ipranges (CC0 1.0): clouds (Amazon, Google,
// Microsoft, Oracle, DigitalOcean, Linode, Vultr, Cloudflare, GitHub;
// deny), search engine crawlers (Googlebot, Bingbot, DuckDuckBot; allow),
// link-preview crawlers and uptime monitors (allow), AI crawlers
// (OpenAI, Perplexity; verdict left unknown), iCloud Private Relay (vpn,
// allow) and Proton VPN (vpn, unknown). Where lists nest, the innermost
// range wins, so Googlebot's addresses inside Google's cloud say
// "crawler, allow". data/robots.csv lists the sources and their
// defaults; data/SOURCE.md their provenance and licences. IPv4 and
// IPv6.
//
// Like [Datacenters], each call decodes and validates the embedded blob
// (about 4 ms and 3.4 MB of allocations on a shared 2-core machine);
// call it once and keep the table. Robots panics
// if the blob is corrupt, which the package's tests rule out.
func Robots() *Table {
	t, err := Decode(robotsBlob)
	if err != nil {
		panic("ipdb: embedded robots table: " + err.Error())
	}
	return t
}
