#!/bin/sh
# compare.sh runs the approximate nearest-neighbour comparison at one
# size in one script run: annbench (craftkit's embeddings/ann, the exact
# scan of embeddings.Model.Search, github.com/coder/hnsw, all in one Go
# process) writes the vectors, queries and exact answers, then peers.py
# runs hnswlib and faiss (Debian: python3-hnswlib python3-faiss) on the
# same files with the same M, efConstruction and efSearch values.
#
#   compare.sh [n] [extra annbench flags...]
#   compare.sh 1000000 -coder-max-n 1000000
#   compare.sh 0 -model vectors.bin        (a trained model's vectors)
#
# Environment: WORK (default /tmp/annbench-$n). The 1M run needs about
# 4 GB and, on 2 cores, about 13 CPU-minutes for craftkit's build.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
n=${1:-100000}; [ $# -gt 0 ] && shift
work=${WORK:-/tmp/annbench-$n}
mkdir -p "$work"
(cd "$here/.." && go build -o "$work/annbench" ./ann/annbench)
"$work/annbench" -n "$n" -out "$work" "$@" | tee "$work/go.txt"
OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$here/peers.py" "$work" | tee "$work/peers.txt"
