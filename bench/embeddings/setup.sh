# setup.sh is sourced by compare.sh and schedule.sh (POSIX sh, after
# `set -eu` and `here=...`, with the script's arguments): it builds the
# embbench driver into $work, takes the mode (sessions | text CORPUS) off
# the arguments, and sets corpus (for sessions, generated on first use
# together with the full session lines in $full) and lock.
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
