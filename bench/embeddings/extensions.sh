#!/bin/sh
# extensions.sh measures each session extension of craftkit's embeddings on
# synthetic journeys with its signal planted (embeddings.JourneyConfig
# SearchSkips, Funnels, FocusedCarts), on held-out journeys of another
# seed, with and without the extension on the same corpus, and prints mean
# ± 95 % t interval over the seeds at each epoch count:
#   per-action skips     how often the query ranks the clicked item above a
#                        skipped one (input vectors), and item P@10
#   purchase context     held-out purchase hit@10 by IN-OUT, and item P@10
#   interaction weights  item P@10 with carts planted in the home category
#
#   extensions.sh [seeds] [epochs]      # defaults: 5 seeds, epochs "1,5"
#
# Runs under flock /tmp/craftkit-bench.lock (2 threads); about 10 minutes
# of two cores with the defaults.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${WORK:-/tmp/embcompare}
mkdir -p "$work"
(cd "$here/.." && go build -o "$work/embbench" ./embeddings/embbench)
flock /tmp/craftkit-bench.lock "$work/embbench" extensions -seeds "${1:-5}" -epochs "${2:-1,5}"
