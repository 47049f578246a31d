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
# The formats, in the registry's order (lib/feed/feed_registry.c), which
# is the order the harnesses index them by: from the registry itself.
formats=$("$root/bin/ausdash-ingest" --list-formats | sed -n '/^Formats:/,/^$/s/^  \([^ ]*\) .*/\1/p')
[ -n "$formats" ] || { echo "seed.sh: no formats from bin/ausdash-ingest --list-formats" >&2; exit 1; }
# DIR/feed: every format
seed_formats "$out/feed" "" $formats
# DIR/feedjson: the JSON formats (their sample files end in json) in
# that order, no extra nesting, one repetition
json=
for fmt in $formats; do
	if grep -v '^#' "$root/tests/data/feeds/INDEX" |
		awk -v f="$fmt" '$3 == f && $1 ~ /\.(nd)?json$/ { found = 1 } END { exit !found }'; then
		json="$json $fmt"
	fi
done
seed_formats "$out/feedjson" '\000\000' $json
