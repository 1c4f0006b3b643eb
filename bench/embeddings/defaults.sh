#!/bin/sh
# defaults.sh compares craftkit at its defaults (embeddings.Config{} with
# only Epochs, Threads and Seed set) with gensim at its Skip-gram defaults
# (Word2Vec(sg=1) with only workers, seed and epochs set; corpus_file, its
# fast mode, or corpus_iterable with MODE=iterable) on the synthetic
# session corpus, at equal epochs, over seeds, both sides in this one run,
# each training under flock /tmp/craftkit-bench.lock, scored by the same
# Go code (item P@10). Prints one line per run and mean ± 95 % t interval
# per tool and epoch count.
#
#   defaults.sh [seeds] [epochs...]     # defaults: 5 seeds, epochs 1 5
set -eu
here=$(cd "$(dirname "$0")" && pwd)
set -- sessions "$@"
. "$here/setup.sh"
shift
seeds=${1:-5}
if [ $# -gt 0 ]; then shift; fi
epochs=${*:-1 5}
mode=${MODE:-file}
out="$work/defaults.log"
: >"$out"
for e in $epochs; do
	for s in $(seq "$seeds"); do
		flock "$lock" "$bench" train -defaults -corpus "$corpus" -epochs "$e" -threads 2 -seed "$s" -out "$work/def-ck.txt" >&2
		echo "RUN craftkit $e $s $("$bench" p10 -vectors "$work/def-ck.txt" | sed 's/.*item=\([0-9.]*\).*/\1/')" | tee -a "$out"
		flock "$lock" /usr/bin/python3 "$here/gensim_train.py" "$corpus" "$work/def-gs.txt" --defaults \
			--mode "$mode" --threads 2 --epochs "$e" --seed "$s" >&2
		echo "RUN gensim-$mode $e $s $("$bench" p10 -vectors "$work/def-gs.txt" | sed 's/.*item=\([0-9.]*\).*/\1/')" | tee -a "$out"
	done
done
echo "tool epochs n mean ± 95% (t)"
summarize "$out"
