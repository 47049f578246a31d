#!/bin/sh
# tests/fuzz/seed.sh DIR - seed corpora for make fuzz from the project's
# own samples: DIR/storeread (stores) and DIR/feed (each feed sample with
# its format's index as the first byte).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
mkdir -p "$out/storeread" "$out/feed"
for f in "$root"/tests/data/malformed/store-*.json; do
	{ printf '\002'; cat "$f"; } > "$out/storeread/$(basename "$f")"
done
"$root/tests/bench/gen-store.pl" --observations=20 --snapshots=2 | { printf '\003'; cat; } > "$out/storeread/generated.json"
# the formats' order in lib/feed.c
i=0
for fmt in wholesale-csv aer-prd-json aer-dmo-json abs-housing-json abs-cpi-json rba-rates-csv \
	aemo-mms aemo-5min-json rba-table source-mix-json eia-wholesale-json entsoe-json nea-json \
	ndjson csv; do
	grep -v '^#' "$root/tests/data/feeds/INDEX" | while read -r file source format; do
		[ "$format" = "$fmt" ] || continue
		{ printf "\\$(printf '%03o' $i)"; cat "$root/tests/data/feeds/$file"; } > "$out/feed/$fmt-$file"
	done
	i=$((i + 1))
done
