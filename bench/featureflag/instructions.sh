#!/usr/bin/env bash
# Instructions per check for each contender: callgrind's instruction count
# of the benchmark binary at two iteration counts, differenced, so start-up
# cost cancels. (perf stat has no instruction counter on this VM.) Go
# binaries sometimes crash under valgrind; each run is retried.
set -euo pipefail
cd "$(dirname "$0")"
bin=$(mktemp)
trap 'rm -f "$bin"' EXIT
go test -c -o "$bin" .
ir() {
	local v
	for _ in 1 2 3 4 5 6; do
		v=$(GOMAXPROCS=1 GOGC=off valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" \
			-test.run '^$' -test.bench "^Benchmark$1\$" -test.benchtime "$2x" 2>&1 |
			grep -o 'Collected : [0-9]*' | grep -o '[0-9]*$' || true)
		if [ -n "$v" ]; then echo "$v"; return; fi
	done
	echo "valgrind failed for $1" >&2
	return 1
}
for b in Craftkit GrowthBookEvalOnly GrowthBook OpenFeature LaunchDarklyEvalOnly LaunchDarkly Unleash; do
	lo=$(ir "$b" 10000)
	hi=$(ir "$b" 20000)
	echo "$b: $(( (hi - lo) / 10000 )) instructions per check"
done
