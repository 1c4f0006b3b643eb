# setup.sh is sourced by the comparison scripts (POSIX sh, after
# `set -eu` and `here=...`, with the script's arguments): it builds the
# embbench driver into $work, takes the mode (sessions | text CORPUS) off
# the arguments, and sets corpus (for sessions, generated on first use
# together with the full session lines in $full) and lock, and defines
# summarize.
work=${WORK:-/tmp/embcompare}
mkdir -p "$work"
lock=/tmp/craftkit-bench.lock
(cd "$here/.." && go build -o "$work/embbench" ./embeddings/embbench)
bench="$work/embbench"
mode=$1
full="$work/sessions-full.txt"
if [ "$mode" = sessions ]; then
	corpus="$work/sessions-plain.txt"
	[ -f "$corpus" ] || "$bench" gen -sessions 170000 -plain "$corpus" -full "$full"
else
	corpus=$2
fi

# summarize FILE prints, for the lines "RUN tool variant seed value" of
# FILE, the mean ± 95 % t-interval half-width of the values per tool and
# variant.
summarize() {
	awk '$1 == "RUN" { k = $2 " " $3; n[k]++; s[k] += $5; ss[k] += $5 * $5 }
		END { split("12.706 4.303 3.182 2.776 2.571 2.447 2.365 2.306 2.262 2.228", tq, " ")
			for (k in n) { m = s[k] / n[k]; h = 0
				if (n[k] > 1) { v = (ss[k] - n[k] * m * m) / (n[k] - 1); if (v < 0) v = 0
					h = (n[k] <= 11 ? tq[n[k] - 1] : 1.96) * sqrt(v / n[k]) }
				printf "%s %d %.4f ± %.4f\n", k, n[k], m, h } }' "$1" | sort
}
