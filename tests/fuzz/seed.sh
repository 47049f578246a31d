#!/bin/sh
# tests/fuzz/seed.sh DIR - seed corpora for make fuzz from the project's
# own samples: DIR/storeread (stores), DIR/feed (each feed sample with its
# format's index as the first byte) and DIR/feedjson (see below).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
mkdir -p "$out/storeread" "$out/feed"
for f in "$root"/tests/data/malformed/store-*.json; do
	{ printf '\002'; cat "$f"; } > "$out/storeread/$(basename "$f")"
done
"$root/tests/bench/gen-store.pl" --observations=20 --snapshots=2 | { printf '\003'; cat; } > "$out/storeread/generated.json"
# seed_formats DIR SUFFIX FORMAT...: each sample of each FORMAT into DIR,
# behind a byte with the format's index in that list, then SUFFIX (octal
# escapes for printf)
seed_formats() {
	dir=$1
	suffix=$2
	shift 2
	mkdir -p "$dir"
	i=0
	for fmt in "$@"; do
		grep -v '^#' "$root/tests/data/feeds/INDEX" | while read -r file source format; do
			[ "$format" = "$fmt" ] || continue
			{ printf "\\$(printf '%03o' $i)$suffix"; cat "$root/tests/data/feeds/$file"; } > "$dir/$fmt-$file"
		done
		i=$((i + 1))
	done
}
# DIR/feed: the formats in the order of lib/feed/feed.c
seed_formats "$out/feed" "" wholesale-csv aer-prd-json aer-dmo-json abs-housing-json abs-cpi-json \
	rba-rates-csv aemo-mms aemo-5min-json rba-table source-mix-json eia-wholesale-json entsoe-json \
	nea-json ndjson csv
# DIR/feedjson: the JSON formats in that order, no extra nesting, one repetition
seed_formats "$out/feedjson" '\000\000' aer-prd-json aer-dmo-json abs-housing-json abs-cpi-json \
	aemo-5min-json source-mix-json eia-wholesale-json entsoe-json nea-json ndjson
