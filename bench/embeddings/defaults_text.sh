#!/bin/sh
# defaults_text.sh is defaults.sh on a text corpus: craftkit at its
# defaults (embbench train -defaults: embeddings.Config{} with only Epochs,
# Threads and Seed set) against gensim at its Skip-gram defaults
# (gensim_train.py --defaults, corpus_file), at equal epochs over seeds,
# both sides in this one run, each training under flock
# /tmp/craftkit-bench.lock, both scored by the same Go code (embbench
# analogy on embeddings/testdata/questions-words.txt, restricted to the
# 30000 most frequent tokens as word2vec's compute-accuracy does).
# The corpus is lowercase letters and spaces only (textcorpus.sh), so it
# holds none of the session syntax's markers and reads the same as plain
# text. Prints one line per run and mean ± 95 % t interval per tool and
# epoch count.
#
#   textcorpus.sh /tmp/embcompare/text.txt
#   defaults_text.sh CORPUS [seeds] [epochs...]   # defaults: 3 seeds, epochs 1 5
set -eu
here=$(cd "$(dirname "$0")" && pwd)
set -- text "$@"
. "$here/setup.sh"
shift 2
seeds=${1:-3}
if [ $# -gt 0 ]; then shift; fi
epochs=${*:-1 5}
out="$work/defaults-text.log"
: >"$out"
q="$here/../../embeddings/testdata/questions-words.txt"
acc() { "$bench" analogy -restrict 30000 -vectors "$1" -questions "$q" | sed 's/.*accuracy=\([0-9.]*\).*/\1/'; }
for e in $epochs; do
	for s in $(seq "$seeds"); do
		flock "$lock" "$bench" train -defaults -corpus "$corpus" -epochs "$e" -threads 2 -seed "$s" -out "$work/deft-ck.txt" >&2
		echo "RUN craftkit $e $s $(acc "$work/deft-ck.txt")" | tee -a "$out"
		flock "$lock" /usr/bin/python3 "$here/gensim_train.py" "$corpus" "$work/deft-gs.txt" --defaults \
			--mode file --threads 2 --epochs "$e" --seed "$s" >&2
		echo "RUN gensim $e $s $(acc "$work/deft-gs.txt")" | tee -a "$out"
	done
done
echo "tool epochs n mean ± 95% (t)"
summarize "$out"
