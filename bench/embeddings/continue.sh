#!/bin/sh
# continue.sh compares incremental training: craftkit (checkpoint, then
# ContinueFile) against gensim (Word2Vec.save, then build_vocab(update=True)
# and train), both at their defaults, on the synthetic session corpus cut
# in two halves: train on the first half, continue on the second, score
# item P@10 with the same Go code. Also scores each tool trained on both
# halves from scratch. Both sides run in this one script, each training
# under flock /tmp/craftkit-bench.lock. Prints one line per run and
# mean ± 95 % t interval per tool and variant.
#
#   continue.sh [seeds] [epochs]     # defaults: 3 seeds, 5 epochs
set -eu
here=$(cd "$(dirname "$0")" && pwd)
set -- sessions "$@"
. "$here/setup.sh"
shift
seeds=${1:-3}
epochs=${2:-5}
half=$(($(wc -l <"$corpus") / 2))
head -n "$half" "$corpus" >"$work/cont-a.txt"
tail -n +"$((half + 1))" "$corpus" >"$work/cont-b.txt"
out="$work/continue.log"
: >"$out"
score() { "$bench" p10 -vectors "$1" | sed 's/.*item=\([0-9.]*\).*/\1/'; }
for s in $(seq "$seeds"); do
	flock "$lock" "$bench" train -defaults -corpus "$work/cont-a.txt" -epochs "$epochs" -seed "$s" -save "$work/cont-ck.ckpt" -out "$work/cont-ck-a.txt" >&2
	flock "$lock" "$bench" train -defaults -corpus "$work/cont-b.txt" -epochs "$epochs" -seed "$s" -continue "$work/cont-ck.ckpt" -out "$work/cont-ck.txt" >&2
	flock "$lock" "$bench" train -defaults -corpus "$corpus" -epochs "$epochs" -seed "$s" -out "$work/cont-ck-all.txt" >&2
	echo "RUN craftkit first-half $s $(score "$work/cont-ck-a.txt")" | tee -a "$out"
	echo "RUN craftkit continued $s $(score "$work/cont-ck.txt")" | tee -a "$out"
	echo "RUN craftkit scratch $s $(score "$work/cont-ck-all.txt")" | tee -a "$out"
	flock "$lock" /usr/bin/python3 "$here/gensim_train.py" "$work/cont-a.txt" "$work/cont-gs-a.txt" --defaults \
		--threads 2 --epochs "$epochs" --seed "$s" --save "$work/cont-gs.model" >&2
	flock "$lock" /usr/bin/python3 "$here/gensim_train.py" "$work/cont-b.txt" "$work/cont-gs.txt" \
		--threads 2 --epochs "$epochs" --seed "$s" --continue "$work/cont-gs.model" >&2
	flock "$lock" /usr/bin/python3 "$here/gensim_train.py" "$corpus" "$work/cont-gs-all.txt" --defaults \
		--threads 2 --epochs "$epochs" --seed "$s" >&2
	echo "RUN gensim first-half $s $(score "$work/cont-gs-a.txt")" | tee -a "$out"
	echo "RUN gensim continued $s $(score "$work/cont-gs.txt")" | tee -a "$out"
	echo "RUN gensim scratch $s $(score "$work/cont-gs-all.txt")" | tee -a "$out"
done
echo "tool variant n item-P@10 mean ± 95% (t)"
summarize "$out"
