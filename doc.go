// Package craftkit is the index of a suite of small, embeddable packages
// taken from the production stack of an online marketplace. The root
// package holds no code; import the package you need:
//
//   - [github.com/craftkit/craftkit/abtest]: sequential A/B tests that stay
//     honest when people peek.
//   - [github.com/craftkit/craftkit/ipdb]: who owns an IP address, by
//     disjoint-interval search over a static, compiled range table.
//   - [github.com/craftkit/craftkit/address]: postal addresses formatted,
//     laid out as forms and validated the way each country writes them.
//   - [github.com/craftkit/craftkit/fraudgraph]: invite-graph and
//     shared-fingerprint relatedness between accounts.
//   - [github.com/craftkit/craftkit/embeddings]: a Skip-gram trainer over
//     user sessions, with nearest-neighbour search.
//   - [github.com/craftkit/craftkit/rfid]: Wiegand card-reader decoding and
//     a device check-in/check-out flow.
//   - [github.com/craftkit/craftkit/featureflag]: config-driven launches,
//     ramps, variants and guarded rollouts.
//   - [github.com/craftkit/craftkit/shard]: sharded SQL on master-master
//     pairs, with schema safety in shard/schema.
//   - [github.com/craftkit/craftkit/alerts]: on-call alert classification,
//     reports and notification context.
//
// # Dependencies
//
// Each package has a dependency budget, enforced by this package's tests
// (see deps_test.go): most packages use only the standard library; abtest
// may use gonum's small mathext package, featureflag holds user lists as
// roaring bitmaps, and the GPIO adapter rfid/gpio uses go-gpiocdev.
// Database drivers, the OpenFeature SDK and the browser driver live in
// nested modules (shard/mariadb, featureflag/openfeature, alerts/web/e2e). Comparisons with other
// libraries live in the separate module under bench/, so they never enter
// an importer's module graph.
package craftkit
