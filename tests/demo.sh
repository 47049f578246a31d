#!/bin/sh
# tests/demo.sh - what "make demo" runs once the private cluster is up.
#
# Usage: tests/demo.sh DIR [STORE]
#   DIR    the private cluster's directory (tests/pgcluster.sh start DIR)
#   STORE  a live-store.json to backfill (default: a synthetic one, written
#          to DIR/live-store.json)
#
# Migrates, backfills the store, ingests the project's sample payload of
# every feed format (tests/data/feeds/INDEX), then prints the freshness,
# parity and runs reports.  Running it again changes nothing: the payloads
# are then skipped as duplicates.
set -eu
dir=$1
store=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$dir/env"
PATH="$root/bin:$PATH"
export PATH

if [ -z "$store" ]; then
	store=$dir/live-store.json
	"$root/tests/bench/gen-store.pl" --observations=5000 > "$store"
fi

ausdash-migrate up
echo "== ausdash-migrate status (private cluster: $PGHOST port $PGPORT)"
ausdash-migrate status
echo "== ausdash-backfill -v $store"
ausdash-backfill -v "$store"

echo "== ausdash-ingest: one sample payload per feed format (tests/data/feeds)"
grep -v '^#' "$root/tests/data/feeds/INDEX" | while read -r file source format; do
	ausdash-ingest -v --mode=manual --source="$source" --format="$format" \
		"$root/tests/data/feeds/$file" 2>&1 | grep -v ': info: run ' || exit 1
done

# reports exit 1 (warning) or 2 (critical) on stale demo data: say so, go on
echo "== ausdash-freshness"
ausdash-freshness || echo "(exit status $?: see ausdash-freshness(1))"
echo "== ausdash-export -o $dir/export.json, then ausdash-parity against it"
ausdash-export -o "$dir/export.json"
ausdash-parity --store="$dir/export.json" --format=nagios || echo "(exit status $?)"
echo "== ausdash-runs"
ausdash-runs || echo "(exit status $?: see ausdash-runs(1))"

# the cluster keeps running: say how to reach it (its env file sets PG*)
abs=$(cd "$dir" && pwd)
echo "== the demo cluster is running; to use it from your shell:"
echo "  . '$abs/env'"
echo "  export PATH=\"$root/bin:\$PATH\"   # then e.g. ausdash-runs (make demo-clean stops it)"
