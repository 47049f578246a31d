#!/bin/sh
# tests/fuzz/run.sh HARNESS SECONDS - runs tmp_fuzz/fuzz_HARNESS (built by
# make fuzz-build) for SECONDS over its corpus, seeds and kept findings,
# with its dictionary; prints libFuzzer's final figures to
# tmp_fuzz/HARNESS.log and a summary line.  A finding is copied into
# tests/fuzz/regressions/HARNESS/ (make check replays it) and fails the run.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
h=$1
secs=$2
cd "$root" || exit 1
echo "== fuzz_$h for $secs s"
tmp_fuzz/fuzz_$h -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	-dict="tmp_fuzz/$h.dict" -print_final_stats=1 -artifact_prefix="tmp_fuzz/finding_$h-" \
	"tmp_fuzz/corpus_$h" "tmp_fuzz/seeds/$h" "tests/fuzz/regressions/$h" > "tmp_fuzz/$h.log" 2>&1
rc=$?
found=0
for f in tmp_fuzz/finding_"$h"-*; do
	[ -e "$f" ] || continue
	cp "$f" "tests/fuzz/regressions/$h/" && found=$((found + 1))
done
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "tmp_fuzz/$h.log" | tail -n 1)
cov=$(grep -o 'cov: [0-9]*' "tmp_fuzz/$h.log" | tail -n 1)
echo "== fuzz_$h: exit $rc, ${execs:-?} executions, ${cov:-cov: ?}, $found finding(s) kept in tests/fuzz/regressions/$h"
[ "$rc" -eq 0 ] && [ "$found" -eq 0 ]
