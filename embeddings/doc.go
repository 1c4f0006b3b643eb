// Package embeddings trains dense vectors for the tokens of user sessions
// (items, shops, search queries, categories) or of plain text with
// word2vec's Skip-gram with negative sampling, extended for marketplace
// journeys, and answers nearest-neighbour and analogy queries over them.
//
// Treating each session as a sentence and each action as a word gives
// every item, shop, query and category a vector in one space, so similar
// items, related queries and ranking candidates come from behaviour alone
// (Mikolov et al., "Distributed Representations of Words and Phrases and
// their Compositionality", https://arxiv.org/abs/1310.4546; Grbovic and
// Cheng, "Real-time Personalization using Embeddings for Search Ranking at
// Airbnb", https://dl.acm.org/doi/10.1145/3219819.3219885).
//
// Start here:
//
//   - m, err := embeddings.Train(ctx, r, embeddings.Config{}) reads one session (or
//     sentence) per line from r and returns a [*Model]; see [Config] for the knobs.
//   - m.Nearest("item:42", 10) or m.Search(embeddings.Query{Token: "query:boots",
//     Type: "shop"}) returns the most similar tokens, best first.
//   - m.WriteBinaryFile("model.bin") saves it atomically in word2vec's format;
//     [ReadBinary] and [ReadText] load it, or gensim's and fastText's files.
//
// # Corpus
//
// One session per line; see [ParseSession] for the grammar:
//
//	query:jaguar item:12[skipped=item:4,item:7] shop:4 item:12@cart item:31@purchase | purchase=item:31
//
// Tokens are separated by spaces. A token "type:value" has the type before
// its first ':' ("item"); untyped tokens have type "". A line without '|'
// is an ordinary word2vec sentence; in the session format a '|' always
// starts a section, and a malformed one is refused with a [*ParseError]
// naming the line, the column, the text after the '|' and its byte offset.
//
// Plain text that may contain '|' is read with [Config.PlainText]: every
// line is a sentence of space-separated words and '|', '@', ',' and '='
// are ordinary characters (the session extensions are then unavailable).
//
// A search query of several words becomes one token with [QueryToken]:
// QueryToken("orologio da polso") is "query:orologio_da_polso", the words
// joined by '_' with '%', '_', '|', ',', '@', '=' and control characters
// escaped as %XX, so that it contains no space and survives the session
// syntax, markers and the vector files unchanged; [QueryText] reads the
// words back. Write the corpus and the queries with the same helper.
//
// [Train] reads its reader once and keeps the corpus in memory as 4-byte
// token ids. [TrainFile] streams a file twice or more (vocabulary, then one
// pass per epoch) and holds only the vectors, the vocabulary and a few
// blocks of 10,000 tokens.
//
// # Training
//
// The trainer follows word2vec.c: tokens below their minimum count are
// dropped before windowing; a token with count c among n kept tokens
// survives subsampling with probability (sqrt(c/(s·n)) + 1)·s·n/c for
// threshold s; each centre token draws a window half-width uniformly in
// [1, Window]; for each context token o within it, o's input vector v_o is
// trained to predict the centre's output vector u_c against Negative noise
// tokens drawn from counts^0.75 (Walker's alias method, 8 bytes per token,
// instead of word2vec's 400 MB table): with g = α·(label − σ(v_o·u_t)),
// e += g·u_t and u_t += g·v_o for each target t, then v_o += e. Dot
// products beyond ±6 saturate as in word2vec. The learning rate α decays
// linearly over all tokens of all epochs, counted across all threads, from
// Alpha to [Config.MinAlpha] (gensim's min_alpha), by default
// Alpha/(2·Epochs); a negative MinAlpha selects word2vec's exact schedule,
// from Alpha toward 0, floored at Alpha·1e-4. The default was chosen by
// measurement, both tools at their own defaults, 5 seeds, mean ± 95 %
// interval. On the synthetic session corpus (bench/embeddings/defaults.sh,
// item P@10) word2vec's full decay scores lower after one epoch (0.945)
// than gensim's corpus_file mode (0.9667 ± 0.0013), which decays each of
// its two workers by its own share of the corpus and so ends each epoch
// half an epoch's share short. Ending at Alpha/2 scores 0.9661 ± 0.0004
// after one epoch (gensim 0.9667 ± 0.0007, 10 seeds: a difference of
// −0.0006 ± 0.0008, which ending at 0.3 to 0.7·Alpha does not close), and
// ending at Alpha/10 0.9867 ± 0.0004 after five (gensim 0.9866 ±
// 0.0004). On text (bench/embeddings/defaults_text.sh:
// 15.4 million tokens of Debian documentation, analogy accuracy within
// the 30,000 most frequent tokens) the defaults score 11.38 ± 0.28 %
// after five epochs against gensim's 11.58 ± 0.61 % (difference −0.21 ±
// 0.59 points), where ending at Alpha/2 scored 10.6 ± 1.5 % (3 seeds)
// and a fall to 0.0001 (gensim's min_alpha) 10.8 % (3 seeds); after one
// epoch they lead, 6.23 ± 0.53 % against 4.68 ± 0.38 %. Threads
// update the shared vectors without locks (Hogwild); with Threads 1 and a
// fixed Seed the result is deterministic.
//
// # Session extensions
//
// Each extension is off by default and changes nothing when off. Below,
// c is a kept centre token of a session after subsampling and α its
// current learning rate; σ is the logistic function.
//
//   - Interaction weights ([Config.Weights]): a token written "item:7@cart"
//     is the token "item:7" with weight w = Weights["cart"]; every update
//     of a window centred on it uses α·w instead of α (the context
//     predicting the centre, its noise tokens, and the two extensions
//     below). Unmarked tokens weigh 1. [DefaultWeights] is click 1, cart 2,
//     purchase 4.
//   - Global purchase context ([Config.PurchaseContext]): for a session
//     with "| purchase=p1,p2,...", every centre c also takes one positive
//     step toward the output vector of each purchase p ≠ c, whatever its
//     distance to p (Grbovic and Cheng's booked listing as global
//     context, one per purchase): g = α·(1 − σ(v_c·u_p)); v_c += g·u_p;
//     u_p += s·g·v_c (old v_c), with s = min(1, (Window+1)/n) for a
//     session of n tokens kept after subsampling, so that a purchase's
//     output vector moves per session about as much as one ordinary
//     occurrence as context. Unscaled (s = 1), it takes a step from
//     every token of every session that bought it, wandering items of
//     other categories included, and after 5 epochs that cost item P@10
//     (−0.013 ± 0.005 on the study below, against +0.007 ± 0.006 scaled).
//     It moves the viewed items' input vectors toward the purchases'
//     output vectors, so its effect shows in IN–OUT scores
//     ([Config.KeepOutputs], [Model.NearestOut]): on a planted corpus
//     (TestPurchaseContextPullsTowardEveryPurchase) the IN–OUT cosine of
//     the viewed items to each of two purchases rises from about −0.55 to
//     +0.02 (to a never-bought control, −0.55 to −0.34), while their
//     input–input cosine falls from about 0.30 to −0.5: the viewed items
//     come to resemble the items viewed with the purchases, not the
//     purchases' input vectors. Rank purchases by IN–OUT: on held-out
//     synthetic journeys (TestHeldOutPurchaseHits, CRAFTKIT_LONG=1, 5
//     seeds, 5 epochs) the bought item is in the top 10 for the viewed
//     items 0.39–0.40 of the time by IN–OUT against 0.03 by input–input;
//     the purchase context adds +0.010 ± 0.023 there (input–input
//     +0.000 ± 0.007), since those journeys' purchases depend on the
//     category only; with planted funnels it more than doubles hit@10
//     (the table below).
//   - Implicit negatives ([Config.SkippedNegatives]): an action written
//     "item:7[skipped=item:4,item:5]" (a click on a result, with the
//     results shown above it and skipped) ties the skips to it. Each
//     token x within [Config.SkippedWindow] of the clicked c (1 by
//     default: the query that showed the results) takes, for each
//     skipped s, one pairwise ranking step (BPR) on input vectors, the
//     ones [Model.Search] compares: with d = v_x·v_c − v_x·v_s and
//     g = 2α·(1 − σ(d)), v_x += g·(v_c − v_s). Only x moves: a skip
//     says the query preferred c to s, not that s is a poor item (it may
//     be the right result for another query); moving c and s too, as a
//     symmetric BPR step does, pushed skipped items out of their category
//     (item P@10 −0.15 after five epochs). Subsampling does not drop
//     these steps. On held-out planted searches (JourneyConfig.SearchSkips,
//     bench/embeddings/extensions.sh) the query ranks the clicked item
//     above a skipped one about half of the time without them and far
//     more often with them, at no measurable cost to item P@10; see
//     Evaluation. The session-level "| skipped=s1,s2"
//     section of older corpora still works and is weaker: every centre c
//     of the session takes a negative step of v_c against u_s for each
//     s ≠ c, whatever action the skip belonged to, which moves IN–OUT
//     scores but not the input–input ranking users get (its cosine of a
//     click to the items skipped in its session rose by 0.006).
//   - Per-type minimum counts ([Config.TypeMinCount]): keep every shop
//     ("shop": 1) while cutting the long tail of queries ("query": 20).
//
// Vocabulary counts come from session tokens only; a purchased or skipped
// token without a vector is ignored.
//
// # Vectors and queries
//
// A [Model] holds the input vectors, and with [Config.KeepOutputs] the
// output (context) vectors too, as a second Model returned by
// [Model.Outputs] that is written, read and searched like the first.
// [Model.Nearest] ranks by input–input cosine (tokens used alike:
// substitutes); [Model.NearestOut] by IN–OUT cosine, the input vector of
// the query against the output vectors of the candidates (tokens that
// occur around it: complements, and with the purchase context the items
// bought after viewing it); [Model.SearchOut] adds Search's type filter
// and exclusions. [Model.WriteText], [Model.WriteBinary],
// [ReadText] and [ReadBinary] speak word2vec's formats, which gensim,
// fastText tooling and vector databases read; [Model.WriteTextFile] and
// [Model.WriteBinaryFile] replace a file atomically; [Model.Normalized] returns
// unit vectors. [Model.Search] is an exact cosine k-NN scan with a type
// filter; [Model.SearchBatch] spreads queries over all cores;
// [Model.Analogy] answers a − b + c queries (3CosAdd).
//
// An exact query reads every vector once and costs Len·Dim multiply-adds;
// it is memory-bound: about 17 ms for 1M × 100-d vectors on one core with
// AVX2, growing linearly. Move to an approximate index (HNSW or IVF-PQ,
// e.g. in a vector database fed with WriteBinary of the normalised model)
// when one scan no longer fits the latency budget — typically past a few
// million tokens or at hundreds of queries per second per core; keep the
// exact search as the reference that measures the approximate index's
// recall.
//
// # Continuing a model
//
// [Continue] ([ContinueFile] for a corpus file streamed as [TrainFile]
// streams it) trains a model further on new sessions, as gensim's
// build_vocab(update=True) then train: the model's tokens keep their
// order and start from their vectors, new tokens that reach MinCount in
// the new corpus are appended with fresh random vectors, counts are
// summed, and the negative-sampling and subsampling tables are rebuilt
// from the summed counts. The learning rate falls from Alpha to MinAlpha
// over the new corpus, as in a fresh training; a lower Alpha moves the
// old vectors less. A word2vec vector file has no counts, so a model read
// from one cannot be continued ([ErrNoCounts]): save models that will be
// continued with [Model.WriteCheckpointFile], which writes, atomically,
// the tokens, counts, input vectors and (with [Config.KeepOutputs]) output
// vectors in a versioned format with a CRC-32C checksum;
// [ReadCheckpointFile] reads it back bit for bit and refuses a truncated,
// corrupt or foreign file with [ErrCheckpoint]. Continue from a model
// with output vectors: without them the output vectors restart at zero
// and the old input vectors move more. On a planted corpus (tests) each
// new item ends with the item it is always viewed with among its 10
// nearest items, the old items keep their category neighbours (P@5 1.0
// before and after) and their vectors (mean cosine to the old ones
// 0.985); with one thread and a fixed Seed, continuing a checkpoint read
// back from disk equals continuing the model in memory. On synthetic
// journeys split in two halves (20,000 sessions, 4,000 items, Dim 32, 5
// epochs, 5 seeds; CRAFTKIT_LONG=1 TestContinueJourneysStudy), the model of
// the first half continued on the second scores item P@10 0.774 ± 0.007
// on the first half's items (0.785 ± 0.007 before, whose top 10 had fewer
// competitors; 0.773 ± 0.008 trained on both halves from scratch) and
// 0.692 ± 0.020 on the items it added (0.701 ± 0.006 from scratch). As in
// gensim, a new token must reach MinCount in the new corpus alone: a
// token seen a few times in each corpus is never added (3,547 items
// against 4,244 from scratch), because the counts of dropped tokens are
// not kept. Against gensim (bench/embeddings continue.sh: the 170,000
// session corpus cut in two halves, both tools at their defaults, 2
// threads, first half then the second continued, item P@10):
//
//	epochs  seeds  craftkit continued  gensim continued  craftkit scratch  gensim scratch
//	1       5      0.9734 ± 0.0011     0.9727 ± 0.0012   0.9660 ± 0.0008   0.9667 ± 0.0012
//	5       3      0.9874 ± 0.0001     0.9877 ± 0.0016   0.9868 ± 0.0006   0.9866 ± 0.0010
//
// # Limits
//
// No exported function panics on any input (only [Model.Token], on an
// index out of range, as documented) or returns a vector with a NaN or
// infinite component. Bounds:
//
//   - [Config]: every numeric field has a documented range (Dim <= 65536,
//     Window <= 1<<20, Negative <= 1000, Epochs <= 1,000,000, Threads <=
//     4096, Alpha in [0, 1], 0 <= MinAlpha <= Alpha, Sample finite and <= 1,
//     weights finite in [0, 1000], at most 255 marker names); a value
//     outside is refused with a [*ConfigError] naming field and value,
//     never replaced. A training whose vectors still overflow stops with
//     [ErrDiverged].
//   - Corpus lines are at most [MaxLineBytes] (64 MiB). In the session
//     format a '|' always starts a "key=value" section and a malformed
//     one is refused: the [*ParseError] names the file, the line, the
//     section's text and the byte offset of its '|'. With
//     [Config.PlainText] no line is refused for its content.
//   - [ReadText] and [ReadBinary] hold one line or token at a time (at most
//     MaxLineBytes) and allocate the vectors in chunks of at most 256 KiB
//     as the data arrives, each sized for the vectors the header still
//     declares: loading allocates at most 1.1 times the heap the loaded
//     model keeps, plus 320 KiB of buffers (measured: 1.06 for 20,000
//     100-d vectors), and a header claiming more vectors than the file
//     holds costs at most one chunk. A file cut anywhere, with fewer or
//     more vectors than its header declares, or with a NaN or infinite
//     value is refused.
//   - [Train] keeps 4 bytes per corpus token and 20 per session (see
//     Costs); [TrainFile] a few blocks of 10,000 tokens. Both allocate
//     8·Dim bytes of vectors per kept token (at most 512 KiB, at Dim
//     65536), and refuse with [ErrTooLarge], before allocating, a
//     vocabulary that would need more than [Config.MaxVectorBytes]
//     (16 GiB by default).
//   - [EvaluateAnalogies] answers 1024 questions at a time (about
//     1024·(4·Dim+100) bytes) whatever the file's length; lines are at
//     most 1 MiB.
//   - [JourneyConfig] fields are bounded (ItemsPerCategory <= 1<<20, at
//     8 bytes each); an invalid one is reported by [Journeys.Err].
//   - [Model.WriteTextFile], [Model.WriteBinaryFile] and
//     [Model.WriteCheckpointFile] replace a file atomically: a crash or a
//     failed write leaves the previous file.
//   - [ReadCheckpoint] holds one token at a time (at most 1 MiB, read as
//     it arrives), allocates vectors in chunks as [ReadBinary] does
//     (loading allocates 1.5 times the heap the model keeps, measured for
//     20,000 100-d vectors; a header claiming 2^32−1 tokens costs under
//     2 MiB), and
//     refuses a file cut anywhere, with a wrong checksum, a duplicate or
//     empty token, a zero count or a NaN or infinite value.
//
// # Evaluation
//
// [EvaluateAnalogies] scores a model on word2vec's questions-words.txt
// (a copy is in testdata, Apache-2.0) like gensim and compute-accuracy do.
// [NewJourneys] generates deterministic synthetic sessions with planted
// categories, shops, queries, Zipf popularity, wandering, purchases and
// skipped impressions; [Journeys.PrecisionAtK] measures how many nearest
// neighbours share the planted category. [JourneyConfig] can plant a
// signal for each session extension, and a held-out metric measures it on
// journeys of another Seed: searches with per-action skips (SearchSkips,
// [Journeys.ClickedOverSkipped]), purchase funnels (Funnels,
// [Journeys.PurchaseHits]) and carts only in the session's category
// (FocusedCarts, PrecisionAtK). bench/embeddings/extensions.sh measured,
// change with the extension on, mean ± 95 % interval over 5 seeds (30,000
// sessions, Dim 50, 2 threads, default schedule):
//
//	extension           metric                        1 epoch          5 epochs
//	per-action skips    clicked over skipped          +0.160 ± 0.015   +0.350 ± 0.005   (from 0.53, 0.49)
//	                    item P@10                     −0.006 ± 0.005   −0.003 ± 0.003
//	purchase context    held-out purchase hit@10      +0.301 ± 0.032   +0.367 ± 0.023   (+133 %, +152 %)
//	                    item P@10                     +0.030 ± 0.003   +0.002 ± 0.006
//	interaction weights item P@10                     +0.113 ± 0.016   +0.006 ± 0.001
//
// Skips separate a query's liked and disliked items of one category by
// moving the query, so they leave category precision alone (the symmetric
// step that also moved the items cost 0.148 ± 0.020 of item P@10 after 5
// epochs, 3 seeds); the purchase context does not cost it either (unscaled, its
// output step cost 0.013 after 5 epochs; see Global purchase context
// above). With all three on, training costs about 5 % more CPU per token.
//
// # Which knob for which goal
//
//	goal                                              knob
//	similar items (substitutes)                       Model.Nearest, Search (input–input)
//	items that lead to buying X (complements)         KeepOutputs + PurchaseContext, NearestOut/SearchOut (IN–OUT)
//	results the user saw and skipped rank lower       SkippedNegatives with item[skipped=...] actions, SkippedWindow
//	carts and purchases count more than clicks        Weights (DefaultWeights)
//	keep rare shops, cut the long tail of queries     TypeMinCount
//	text with '|', '@', ',' or '='                    PlainText
//	multi-word search queries as one token            QueryToken, QueryText
//	word2vec's exact learning-rate schedule           MinAlpha 0 (see Training)
//	reproducible runs                                 Threads 1 and Seed
//	train further on new sessions, add new items      WriteCheckpointFile, ReadCheckpointFile, Continue(File)
//
// # Costs
//
// A trained Model keeps Len·Dim·4 bytes of vectors, twice that with
// [Config.KeepOutputs]. Training memory is 2·Len·Dim·4 bytes of vectors
// plus the vocabulary and
// 12 bytes per vocabulary token for the sampler and subsampling. [Train]
// adds 4 bytes per corpus token and 20 per session. Both run one garbage
// collection that returns memory to the OS between reading and training,
// so that the interning map of rare tokens does not add to the peak. Hot
// loops use AVX2/FMA kernels on amd64 (pure Go elsewhere, on CPUs without
// AVX2/FMA, or with the purego build tag) and allocate nothing per token.
//
// # Concurrency
//
// Train and TrainFile run Config.Threads goroutines (TrainFile one more
// that reads the file) that all exit before they return; cancelling ctx
// stops them within one block of 10,000 tokens. Hogwild updates are
// unsynchronised by design: the race detector does not see them in the
// amd64 assembly kernels but reports them wherever the pure-Go kernels run
// (other architectures such as arm64, amd64 CPUs without AVX2/FMA, the
// purego build tag) unless Threads is 1; the package's own tests train
// with one thread under -race there. A Model is immutable and safe for
// concurrent use.
package embeddings
