#!/bin/sh
# schedule.sh compares craftkit and gensim at equal learning-rate schedules
# after one epoch, over several seeds, scoring every run with the same Go
# code (P@10 on the synthetic journeys, analogy accuracy on a text corpus).
#
#   schedule.sh sessions [seeds]         # default seeds: 3 (1, 2, 3)
#   schedule.sh text CORPUS [seeds]
#   FIRST=4 schedule.sh sessions 2       # adds seeds 4 and 5 to the same log
#
# Runs, per seed (1 epoch; alpha 0.025 and the hyperparameters of compare.sh):
#   ck-2t          craftkit, 2 threads, word2vec's decay (alpha -> 0)
#   gs-iter-2w     gensim corpus_iterable, 2 workers: global decay (alpha -> 0)
#   ck-1t          craftkit, 1 thread (alpha -> 0)
#   gs-file-1w     gensim corpus_file, 1 worker (alpha -> 0)
#   gs-file-2w     gensim corpus_file, 2 workers, its default mode: each worker
#                  decays by its own progress, so alpha ends near alpha/2
#   ck-2t-half     craftkit, 2 threads, MinAlpha = alpha/2 (the same schedule)
#   gs-file-1w-half gensim corpus_file, 1 worker, min_alpha = alpha/2 (checks
#                  that gs-file-2w's schedule is alpha -> alpha/2)
# Each training runs under flock /tmp/craftkit-bench.lock. Prints one line per
# run ("RUN label seed score") and a summary (mean, min, max per label).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/setup.sh"
shift; [ "$mode" = sessions ] || shift
seeds=${1:-3}
hp="-dim 100 -window 5 -negative 5 -sample 1e-4 -min-count 5 -epochs 1"
score() {
	if [ "$mode" = sessions ]; then "$bench" p10 -vectors "$1" | sed 's/.*item=\([0-9.]*\).*/\1/'
	else # restrict 30000 (compute-accuracy) and the whole vocabulary: the
		# 30000th rank falls among tied counts, which each tool orders
		# differently, so only the whole vocabulary asks every tool the same questions.
		for r in 30000 0; do
			"$bench" analogy -restrict $r -vectors "$1" -questions "$here/../../embeddings/testdata/questions-words.txt" |
				sed 's/.*accuracy=\([0-9.]*\) (\([0-9]*\)\/\([0-9]*\),.*/\1 \3/'
		done | tr '\n' ' '; fi
}
ck() { # label seed threads [min-alpha]
	flock "$lock" "$bench" train -corpus "$corpus" $hp -threads "$3" -seed "$2" -min-alpha "${4:--1}" -out "$work/sch.txt" >&2
	echo "RUN $1 $2 $(score "$work/sch.txt")"
}
gs() { # label seed mode workers [min-alpha]
	flock "$lock" /usr/bin/python3 "$here/gensim_train.py" "$corpus" "$work/sch.txt" --sample 1e-4 --epochs 1 \
		--seed "$2" --mode "$3" --threads "$4" ${5:+--min-alpha "$5"} >&2
	echo "RUN $1 $2 $(score "$work/sch.txt")"
}
first=${FIRST:-1} # FIRST=4 schedule.sh ... 2 adds seeds 4 and 5 to the log
out="$work/schedule-$mode.log"
[ "$first" -gt 1 ] || : >"$out"
for s in $(seq "$first" $((first + seeds - 1))); do
	{
		ck ck-2t "$s" 2
		gs gs-iter-2w "$s" iterable 2
		ck ck-1t "$s" 1
		gs gs-file-1w "$s" file 1
		gs gs-file-2w "$s" file 2
		ck ck-2t-half "$s" 2 0.0125
		gs gs-file-1w-half "$s" file 1 0.0125
	} | tee -a "$out"
done
echo "label n mean min max (text: restrict 30000, then the whole vocabulary)"
# sessions: RUN label seed P@10; text: RUN label seed acc30k questions30k acc questions
awk '$1 == "RUN" { k = $2; n[k]++; s[k] += $4; if (!(k in lo) || $4 < lo[k]) lo[k] = $4; if ($4 > hi[k]) hi[k] = $4
		if (NF >= 7) { t[k] += $6; if (!(k in lo2) || $6 < lo2[k]) lo2[k] = $6; if ($6 > hi2[k]) hi2[k] = $6 } }
	END { for (k in n) { printf "%s %d %.4f %.4f %.4f", k, n[k], s[k] / n[k], lo[k], hi[k]
		if (k in lo2) printf "  whole vocabulary: %.4f %.4f %.4f", t[k] / n[k], lo2[k], hi2[k]
		printf "\n" } }' "$out" | sort
