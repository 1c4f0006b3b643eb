#!/bin/sh
# compare.sh runs craftkit, gensim and fastText side by side on one corpus
# with the same hyperparameters (dim 100, window 5, negative 5, sample 1e-4,
# min-count 5), interleaved, each run under flock so that only one heavy
# measurement uses the shared cores at a time, and scores the vectors with
# the same Go code.
#
#   compare.sh sessions [epochs] [threads] [rounds]   # synthetic journeys, P@10
#   compare.sh text CORPUS [epochs] [threads] [rounds] # text corpus, analogies
#
# Needs: go, /usr/bin/python3 with python3-gensim, fasttext (Debian).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${WORK:-/tmp/embcompare}
mkdir -p "$work"
lock=/tmp/craftkit-bench.lock
(cd "$here/.." && go build -o "$work/embbench" ./embeddings/embbench)
bench="$work/embbench"
mode=$1; shift
if [ "$mode" = sessions ]; then
	corpus="$work/sessions-plain.txt"
	full="$work/sessions-full.txt"
	[ -f "$corpus" ] || "$bench" gen -sessions 170000 -plain "$corpus" -full "$full"
else
	corpus=$1; shift
fi
epochs=${1:-1}; threads=${2:-2}; rounds=${3:-1}
hp="-dim 100 -window 5 -negative 5 -sample 1e-4 -min-count 5 -epochs $epochs -threads $threads"
score() {
	if [ "$mode" = sessions ]; then "$bench" p10 -vectors "$1"
	else "$bench" analogy -vectors "$1" -questions "$here/../../embeddings/testdata/questions-words.txt"; fi
}
echo "corpus=$corpus epochs=$epochs threads=$threads ($(nproc) cores, shared)"
for r in $(seq "$rounds"); do
	echo "--- round $r"
	flock "$lock" "$bench" train -corpus "$corpus" $hp -out "$work/ck.txt"
	score "$work/ck.txt"
	flock "$lock" /usr/bin/python3 "$here/gensim_train.py" "$corpus" "$work/gs.txt" \
		--threads "$threads" --epochs "$epochs" --sample 1e-4
	score "$work/gs.txt"
	if command -v fasttext >/dev/null; then
		s=$(date +%s.%N)
		flock "$lock" /usr/bin/time -f "fasttext cpu=%U+%S wall=%e maxrss=%MkB" fasttext skipgram -input "$corpus" -output "$work/ft" \
			-dim 100 -ws 5 -neg 5 -t 1e-4 -minCount 5 -epoch "$epochs" -thread "$threads" \
			-minn 0 -maxn 0 -bucket 0 -lr 0.025 -verbose 0
		score "$work/ft.vec"
	fi
	if [ "$mode" = sessions ]; then
		flock "$lock" "$bench" train -corpus "$full" $hp -ext weights,purchase,skipped -out "$work/ckx.txt"
		echo "(craftkit with weights, purchase context and skipped negatives on the full session lines)"
		score "$work/ckx.txt"
	fi
done
