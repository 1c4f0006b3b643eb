#!/bin/sh
# compare.sh runs craftkit, gensim, fastText and (optionally) the original
# word2vec C side by side on one corpus with the same hyperparameters
# (Skip-gram, dim 100, window 5, negative 5, sample 1e-4, min-count 5,
# alpha 0.025), interleaved, each run under flock so that only one heavy
# measurement uses the shared cores at a time, and scores every tool's
# vectors with the same Go code (embbench p10 / analogy).
#
#   compare.sh sessions [epochs] [threads] [rounds]   # synthetic journeys, P@10
#   compare.sh text CORPUS [epochs] [threads] [rounds] # text corpus, analogies
#
# Environment: WORK (default /tmp/embcompare), TOOLS (default
# "craftkit gensim fasttext w2vc ext"; ext is craftkit with the session
# extensions, sessions only), SEED (default 1), W2V_C (below).
#
# Needs: go, /usr/bin/python3 with python3-gensim, fasttext (Debian).
#
# word2vec C (optional peer, W2V_C=/path/to/word2vec): not packaged by
# Debian and never part of this repository. Get Google's original source
# (Apache-2.0) outside the repository, e.g. from the npm package that
# bundles it unmodified, and build it with its makefile's flags:
#   mkdir -p /tmp/w2vdl /tmp/w2v && cd /tmp/w2vdl && npm pack word2vec@1.1.5 &&
#   tar xzf word2vec-1.1.5.tgz && gcc package/src/word2vec.c -o /tmp/w2v/word2vec \
#     -lm -pthread -O3 -march=native -Wall -funroll-loops -Wno-unused-result
#   W2V_C=/tmp/w2v/word2vec compare.sh sessions 1 2 3
# It runs with -cbow 0 -hs 0 and the hyperparameters above, -debug 2; its
# progress output is timed by `embbench w2vlog`, which reports tokens per
# training wall-second between its first and last progress records and
# tokens per CPU-second from word2vec's own "Words/thread/sec" (words over
# process CPU time since training began: per CPU-second, not per thread).
# Tokens are the same for every tool: kept corpus tokens (vocabulary
# counts) before subsampling; word2vec also counts a "</s>" per line,
# which w2vlog removes. /usr/bin/time gives its whole-run CPU, wall and
# peak RSS (including the vocabulary pass and its 400 MB noise table).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/setup.sh"
shift; [ "$mode" = sessions ] || shift
epochs=${1:-1}; threads=${2:-2}; rounds=${3:-1}
tools=${TOOLS:-craftkit gensim fasttext w2vc ext}
seed=${SEED:-1}
has() { case " $tools " in *" $1 "*) return 0;; esac; return 1; }
hp="-dim 100 -window 5 -negative 5 -sample 1e-4 -min-count 5 -epochs $epochs -threads $threads -seed $seed"
score() {
	if [ "$mode" = sessions ]; then "$bench" p10 -vectors "$1"
	else "$bench" analogy -vectors "$1" -questions "$here/../../embeddings/testdata/questions-words.txt"; fi
}
echo "corpus=$corpus epochs=$epochs threads=$threads ($(nproc) cores, shared)"
for r in $(seq "$rounds"); do
	echo "--- round $r"
	if has craftkit; then
		flock "$lock" /usr/bin/time -f "craftkit whole run: cpu=%U+%S wall=%e maxrss=%MkB" \
			"$bench" train -corpus "$corpus" $hp -out "$work/ck.txt"
		score "$work/ck.txt"
	fi
	if has w2vc && [ -n "${W2V_C:-}" ]; then
		# -seed has no word2vec equivalent (its seeds are fixed).
		flock "$lock" /usr/bin/time -f "word2vec whole run: cpu=%U+%S wall=%e maxrss=%MkB" \
			"$W2V_C" -train "$corpus" -output "$work/w2v.txt" -cbow 0 -size 100 -window 5 \
			-negative 5 -hs 0 -sample 1e-4 -min-count 5 -iter "$epochs" -threads "$threads" \
			-binary 0 -alpha 0.025 -debug 2 | "$bench" w2vlog -corpus "$corpus" -epochs "$epochs"
		score "$work/w2v.txt"
	fi
	if has gensim; then
		flock "$lock" /usr/bin/time -f "gensim whole run: cpu=%U+%S wall=%e maxrss=%MkB" \
			/usr/bin/python3 "$here/gensim_train.py" "$corpus" "$work/gs.txt" \
			--threads "$threads" --epochs "$epochs" --sample 1e-4 --seed "$seed"
		score "$work/gs.txt"
	fi
	if has fasttext && command -v fasttext >/dev/null; then
		flock "$lock" /usr/bin/time -f "fasttext cpu=%U+%S wall=%e maxrss=%MkB" fasttext skipgram -input "$corpus" -output "$work/ft" \
			-dim 100 -ws 5 -neg 5 -t 1e-4 -minCount 5 -epoch "$epochs" -thread "$threads" \
			-minn 0 -maxn 0 -bucket 0 -lr 0.025 -verbose 0
		score "$work/ft.vec"
	fi
	if has ext && [ "$mode" = sessions ]; then
		flock "$lock" "$bench" train -corpus "$full" $hp -ext weights,purchase,skipped -out "$work/ckx.txt"
		echo "(craftkit with weights, purchase context and skipped negatives on the full session lines)"
		score "$work/ckx.txt"
	fi
done
