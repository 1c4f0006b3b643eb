// Package ann answers approximate cosine nearest-neighbour queries over
// the vectors of an [embeddings.Model] (or any float32 vectors) with
// HNSW graphs, for models too large for the exact scan of
// [embeddings.Model.Search].
//
// Start here:
//
//   - ix, err := ann.New(ctx, m, ann.Config{}) indexes the model m; see
//     [Config] for the knobs, all optional.
//   - ix.Nearest("item:42", 10) or ix.Search(ann.Query{Token: "query:boots",
//     Type: "shop"}) returns about the 10 most similar tokens, best first.
//   - ix.WriteFile("items.ann") saves it atomically; [ReadFile] loads it.
//
// # Model
//
// The index follows Malkov and Yashunin, "Efficient and robust
// approximate nearest neighbor search using Hierarchical Navigable Small
// World graphs" (https://arxiv.org/abs/1603.09320): every vector is a
// node of layer 0 and, with probability M^−l, of layers 1..l; a node
// keeps up to 2·M links on layer 0 and M above, chosen among the
// EfConstruction closest nodes found while inserting it by the paper's
// heuristic (a candidate is kept only if it is closer to the node than
// to every link already kept). A query descends greedily from the top
// layer and searches layer 0 best-first with a candidate list of Ef
// nodes. Vectors are stored normalised, so scores are cosines, as in
// [embeddings.Model.Search].
//
// # Token types
//
// A token's type is the text before its first ':' ("item" in
// "item:42"), as in the embeddings package. Each type with at least
// [Config.ExactBelow] tokens (2048 by default) gets a graph of its own,
// the other types share one more graph, and a type smaller than
// ExactBelow is searched exactly when a query asks for it alone. So a
// query with [Query.Type] searches only that type's tokens, and its
// recall does not fall when the type is rare, as it would if one graph
// were filtered after the fact. A query without a type searches every
// graph and merges the results: with a few large types it costs a few
// graph searches.
//
// # Recall and cost
//
// [Index.SearchExact] scans the index's own vectors and is the recall
// reference; so is [embeddings.Model.Search] for an index built with
// [New]. Raise [Query.Ef] (or [Config.EfSearch], 64 by default) for
// recall, [Config.M] and [Config.EfConstruction] for a better graph at
// more memory and build time. Measured with bench/ann on 100-d vectors
// from a mixture of 1,000 Gaussians, each spread along its own 16-d
// subspace, 1,000 held-out queries, M 16, EfConstruction 200, 2 cores,
// per CPU-second of one goroutine (100,000 and 1M on an idle machine, 3M
// beside other jobs):
//
//	n          Ef   recall@10  queries/CPU-s  × exact scan
//	100,000    10   0.961      32,000           57
//	100,000    20   0.996      21,700           39
//	1,000,000  40   0.972       7,200          326
//	1,000,000  80   0.992       4,300          194
//	3,000,000  80   0.926       3,400          378
//	3,000,000  160  0.976       1,700          191
//
// The exact scan ran at 563, 22 and 8.9 queries per CPU-second at the
// three sizes. Building took 281 µs of CPU per vector at 100,000, 370 µs
// at 1M (6 CPU-minutes, 3 minutes on two threads) and 566 µs at 3M on the
// loaded machine. The Ef that reaches recall 0.95 grows with n (10, 40
// and about 120 at the three sizes): raise it for large indexes. At 10M
// vectors, extrapolated from these (not measured): about 5.6 GB, Ef
// about 500 for recall 0.95 at roughly 500 queries per CPU-second
// against an exact scan's 2, and about 1.2 CPU-hours to build (n·log n
// from 1M's 370 µs). Recall depends on the data: on the 176,000 vectors
// of a word2vec model trained for one epoch on synthetic sessions
// (minimum count 1, queries the vectors of 1,000 held-out tokens)
// recall@10 was 0.70 at Ef 40 and 0.86 at Ef 320, and hnswlib scored
// 0.68 and 0.82 on the same vectors; measure it on your own vectors with
// [Index.SearchExact] before choosing Ef.
//
// Memory is 4·Dim bytes of vector, 8·M+4 bytes of layer-0 links and
// about 4·(M+1)/(M−1) bytes of upper links per token, plus the token's
// bytes and 17 bytes of lookup tables: 563 bytes per 100-d token at M
// 16. Build time grows with n·log n; query time with log n at a fixed
// Ef. Distances use the trainer's dot product ([embeddings.Dot]: AVX2 and
// FMA where the CPU has them).
//
// # Files
//
// [Index.WriteTo] and [Index.WriteFile] write a versioned binary format
// (magic "CKANNIDX", version 1, little-endian, CRC-32C trailer) holding
// the tokens, the unit vectors and the graphs; WriteFile replaces the
// file atomically. [Read] and [ReadFile] check every size against the
// format's limits before reading on, allocate at most 1 MiB at a time
// as the data arrives, and check every link, level, token order and
// vector and the checksum: a truncated or corrupt file gives an error
// wrapping [ErrFormat], never a panic or an allocation the file's bytes
// do not back. Reading costs about what writing does (0.16 s for 100,000
// 100-d vectors, 1.3 s for 1M).
//
// # Concurrency
//
// Building runs [Config.Threads] goroutines (GOMAXPROCS by default) that
// insert nodes at once, each link list guarded by its own lock; they all
// exit before [New] returns, and cancelling ctx stops them within 64
// insertions each. With Threads 1 the index is a deterministic function
// of the input and [Config.Seed]. A built or loaded [Index] is immutable
// and safe for concurrent use: any number of goroutines may search it at
// once, each query using buffers from a pool.
package ann
