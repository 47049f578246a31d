#!/bin/bash
# tests/bench/bench.sh - ausdash-backfill against the PostgreSQL floor and
# the usual alternatives, on a private cluster with default settings.
#
#   BENCH_N="100000 1000000"  observations per store (add 5000000 when asked)
#   BENCH_RUNS=3              runs per measurement (the median is shown)
#   BENCH_REPORT_N=10000000   observations for the reports on a big store (0: none)
#   BENCH_DIR=tmp_bench       scratch directory (stores, cluster), removed after
#
# For each N: ausdash-backfill into an empty table (full), the same store
# again (no-op, with the WAL it wrote), the store with 10% of values
# changed; two floors of the machine: psql \copy of the same rows as CSV
# into observations with its indexes and unique constraints dropped, then
# built again in the same transaction (the empty-table floor), and yajl
# parsing the store with no work at all (json_verify, the reader floor);
# beside them the peers' way: \copy into the indexed table, 1000-row
# INSERT ... ON CONFLICT batches (an ORM's), pgloader when installed (one
# run).  Then one more full load with -vv, whose phase lines show where the
# time goes.  Peak client RSS of ausdash from
# /usr/bin/time.  Then, with the store loaded: an ingest of a payload
# already stored (the duplicate path), and the reports (freshness, with
# --all, runs, parity against the store, by default and --deep); the same on a store of
# BENCH_REPORT_N observations; the cost per row of a full load as N grows.  It is a benchmark, not a test:
# it prints, it never fails on a number.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
N_LIST=${BENCH_N:-"100000 1000000"}
RUNS=${BENCH_RUNS:-3}
REPORT_N=${BENCH_REPORT_N:-10000000}
DIR=${BENCH_DIR:-$root/tmp_bench}
export PATH="$root/bin:$PATH"
COLS="series_id, region_code, country_code, market, metric_family, date, interval_start_utc, interval_end_utc, value, unit, currency, tax_status, consumption_band, source_name, source_url, published_at, ingested_at, vintage, is_modeled, confidence, methodology_version"

rm -rf "$DIR"
mkdir -p "$DIR"
trap '"$root/tests/pgcluster.sh" destroy "$DIR/pg" >/dev/null 2>&1 || true' EXIT
"$root/tests/pgcluster.sh" start "$DIR/pg" >/dev/null
. "$DIR/pg/env"
ausdash-migrate -q up

q() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }
reset() { q "TRUNCATE public.observations, public.raw_snapshots, public.source_cursors, public.ingestion_runs, public.store_meta CASCADE; CHECKPOINT"; }
now() { date +%s.%N; }
# elapsed seconds of "$@"
timed() { local t0; t0=$(now); "$@" >/dev/null; echo "$(now) - $t0" | bc -l; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
wal() { q "SELECT pg_catalog.pg_current_wal_lsn()"; }
# a pgloader command file that loads CSV file $1 into observations
pgloader_command() {
	cat > "$DIR/obs.load" <<EOF
LOAD CSV FROM '$1' ($COLS)
  INTO postgresql://$PGUSER@unix:$PGHOST:$PGPORT/$PGDATABASE
  TARGET TABLE public.observations ($COLS)
  WITH fields terminated by ',', fields not enclosed;
EOF
	echo "$DIR/obs.load"
}
wal_mb() { q "SELECT round(pg_catalog.pg_wal_lsn_diff('$2', '$1') / 1e6, 1)"; }
# A psql script for the empty-table floor of CSV file $1: in one
# transaction, with ausdash's maintenance_work_mem, drop the indexes and
# unique constraints of observations, \copy, build them again.
empty_floor_script() {
	{
		echo "BEGIN;"
		echo "SET LOCAL maintenance_work_mem = '256MB';"
		q "SELECT CASE WHEN c.conname IS NULL THEN pg_catalog.format('DROP INDEX public.%I;', ic.relname)
		          ELSE pg_catalog.format('ALTER TABLE public.observations DROP CONSTRAINT %I;', c.conname) END
		   FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
		   LEFT JOIN pg_catalog.pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
		    AND c.contype IN ('p', 'u')
		   WHERE i.indrelid = 'public.observations'::pg_catalog.regclass ORDER BY 1"
		echo "\\copy public.observations ($COLS) FROM '$1' CSV"
		q "SELECT CASE WHEN c.conname IS NULL THEN pg_catalog.pg_get_indexdef(i.indexrelid) || ';'
		          ELSE pg_catalog.format('ALTER TABLE public.observations ADD CONSTRAINT %I %s;', c.conname,
		                                 pg_catalog.pg_get_constraintdef(c.oid)) END
		   FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
		   LEFT JOIN pg_catalog.pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
		    AND c.contype IN ('p', 'u')
		   WHERE i.indrelid = 'public.observations'::pg_catalog.regclass ORDER BY 1"
		echo "COMMIT;"
	} > "$DIR/floor.sql"
	echo "$DIR/floor.sql"
}

# With store $2 (of $1 observations) loaded by ausdash-backfill: an ingest
# of a payload already stored (the duplicate path), then the reports.
reports() {
	local n=$1 store=$2 t
	reset
	t=$( { /usr/bin/time -f '%e %M' ausdash-backfill -q "$store" >/dev/null; } 2>&1 | tail -1)
	ausdash-ingest -q --source=aemo_wholesale "$root/tests/data/feeds/wholesale.csv"
	local dup=() fr=() fa=() ru=() pa=() pd=() pf=()
	for r in $(seq "$RUNS"); do
		pf+=("$(timed json_verify -q < "$store")")
		dup+=("$(timed ausdash-ingest -q --source=aemo_wholesale "$root/tests/data/feeds/wholesale.csv")")
		fr+=("$(timed sh -c 'ausdash-freshness -q --format=json || [ $? -le 2 ]')")
		fa+=("$(timed sh -c 'ausdash-freshness -q --all --format=json || [ $? -le 2 ]')")
		ru+=("$(timed sh -c 'ausdash-runs -q --format=json || [ $? -le 2 ]')")
		pa+=("$(timed sh -c "ausdash-parity -q --store='$store' --format=json || [ \$? -le 2 ]")")
		pd+=("$(timed sh -c "ausdash-parity -q --deep --store='$store' --format=json || [ \$? -le 2 ]")")
	done
	printf '%-10s %-34s %10.2f %8s %10s\n' "$n" "  (backfill that loaded it, 1 run)" "${t% *}" "" "s"
	printf '%-10s %-34s %10.1f %8s %10s\n' "$n" "  (its peak RSS, MB)" "$(echo "${t#* } / 1024" | bc -l)" "" ""
	printf '%-10s %-34s %10.3f %8s %10s\n' "$n" "duplicate snapshot ingest" "$(median "${dup[@]}")" "" "s"
	printf '%-10s %-34s %10.3f %8s %10s\n' "$n" "ausdash-freshness (key series)" "$(median "${fr[@]}")" "" "s"
	printf '%-10s %-34s %10.3f %8s %10s\n' "$n" "ausdash-freshness --all" "$(median "${fa[@]}")" "" "s"
	printf '%-10s %-34s %10.3f %8s %10s\n' "$n" "ausdash-runs" "$(median "${ru[@]}")" "" "s"
	printf '%-10s %-34s %10.3f %8s %10s\n' "$n" "ausdash-parity (store vs db)" "$(median "${pa[@]}")" \
		"$(echo "scale=2; $(median "${pa[@]}") / $(median "${pf[@]}")" | bc -l)" "x parse"
	printf '%-10s %-34s %10.3f %8s %10s\n' "$n" "ausdash-parity --deep" "$(median "${pd[@]}")" \
		"$(echo "scale=2; $(median "${pd[@]}") / $(median "${pf[@]}")" | bc -l)" "x parse"
}

printf '%-10s %-34s %10s %8s %10s\n' N measurement "median s" ratio note
us_per_row=()
for n in $N_LIST; do
	store=$DIR/store-$n.json
	changed=$DIR/store-$n-changed.json
	"$root/tests/bench/gen-store.pl" --observations="$n" > "$store"
	"$root/tests/bench/gen-store.pl" --observations="$n" --changed=10 > "$changed"
	bytes=$(stat -c %s "$store")

	full=() noop=() chg=() floor=() efloor=() parse=() orm=() rss=() walnoop=()
	for r in $(seq "$RUNS"); do
		reset
		t=$( { /usr/bin/time -f '%e %M' ausdash-backfill -q "$store" >/dev/null; } 2>&1 | tail -1)
		full+=("${t% *}"); rss+=("${t#* }")
		w0=$(wal)
		noop+=("$(timed ausdash-backfill -q "$store")")
		walnoop+=("$(wal_mb "$w0" "$(wal)")")
		chg+=("$(timed ausdash-backfill -q "$changed")")
	done
	# the same rows as CSV, in the store's order, for the floor and the alternatives
	"$root/tests/bench/gen-store.pl" --csv --observations="$n" > "$DIR/obs.csv"
	"$root/tests/bench/store-to-sql.pl" batches "$DIR/obs.csv" > "$DIR/batches.sql"
	fscript=$(empty_floor_script "$DIR/obs.csv")
	for r in $(seq "$RUNS"); do
		parse+=("$(timed json_verify -q < "$store")")
		reset
		efloor+=("$(timed psql -X -q -v ON_ERROR_STOP=1 -f "$fscript")")
		reset
		floor+=("$(timed psql -X -q -v ON_ERROR_STOP=1 -c "\\copy public.observations ($COLS) FROM '$DIR/obs.csv' CSV")")
		reset
		orm+=("$(timed psql -X -q -v ON_ERROR_STOP=1 -1 -f "$DIR/batches.sql")")
	done
	mf=$(median "${floor[@]}")
	me=$(median "${efloor[@]}")
	mp=$(median "${parse[@]}")
	ratio() { echo "scale=2; $1 / $2" | bc -l; }
	mfull=$(median "${full[@]}")
	printf '%-10s %-34s %10.2f %8s %10s\n' "$n" "FLOOR \\copy, indexes built after" "$me" 1.00 "(empty)"
	printf '%-10s %-34s %10.2f %8s %10s\n' "$n" "FLOOR yajl parse (json_verify)" "$mp" 1.00 "(parse)"
	printf '%-10s %-34s %10.2f %8s %10s\n' "$n" "psql \\copy CSV, indexed table" "$mf" "$(ratio "$mf" "$me")" "x empty"
	printf '%-10s %-34s %10.2f %8s %10s\n' "$n" "ausdash-backfill, empty db" "$mfull" "$(ratio "$mfull" "$me")" "x empty"
	printf '%-10s %-34s %10s %8s %10s\n' "$n" "" "" "$(ratio "$mfull" "$mf")" "x indexed"
	m=$(median "${noop[@]}")
	printf '%-10s %-34s %10.2f %8s %10s\n' "$n" "ausdash-backfill, same store" "$m" "$(ratio "$m" "$mp")" "x parse"
	printf '%-10s %-34s %10s %8s %10s\n' "$n" "  WAL written by the no-op (MB)" "$(median "${walnoop[@]}")" "" ""
	m=$(median "${chg[@]}")
	printf '%-10s %-34s %10.2f %8s %10s\n' "$n" "ausdash-backfill, 10% changed" "$m" "$(ratio "$m" "$mfull")" "x full"
	m=$(median "${orm[@]}")
	printf '%-10s %-34s %10.2f %8s %10s\n' "$n" "1000-row INSERT ON CONFLICT" "$m" "$(ratio "$m" "$me")" "x empty"
	if command -v pgloader >/dev/null; then
		# one run: it is the slowest by far
		reset
		m=$(timed pgloader "$(pgloader_command "$DIR/obs.csv")")
		printf '%-10s %-34s %10.2f %8s %10s\n' "$n" "pgloader (CSV, 1 run)" "$m" "$(ratio "$m" "$me")" "x empty"
	else
		printf '%-10s %-34s %10s %8s %10s\n' "$n" "pgloader" "-" "" "not installed"
	fi
	printf '%-10s %-34s %10s %8s %10s\n' "$n" "ausdash peak RSS (MB)" "$(echo "scale=1; $(median "${rss[@]}") / 1024" | bc -l)" "" ""
	printf '%-10s %-34s %10.1f %8s %10s\n' "$n" "store size (MB)" "$(echo "$bytes / 1000000" | bc -l)" "" ""

	us_per_row+=("$n $(echo "$mfull * 1000000 / $n" | bc -l) $(echo "$me * 1000000 / $n" | bc -l)")
	# where the time of a full load goes: its phases, and the steps of the
	# observations' merge (-vv), one more run
	reset
	ausdash-backfill -vv "$store" 2> "$DIR/phases.txt" >/dev/null
	sed -n -e 's/^ausdash-backfill: info: \([a-z][a-zA-Z ]*\( ([0-9]\/[0-9])\)\{0,1\}\): \([0-9.]*\) s$/\3 \1/p' "$DIR/phases.txt" |
		while read -r secs phase; do
			printf '%-10s %-34s %10.2f %8s %10s\n' "$n" "  $phase" "$secs" "$(ratio "$secs" "$mfull")" "of full"
		done
	sed -n 's/.*debug: observations: .*(dedupe \([0-9]*\) ms, \(.*\) \([0-9]*\) ms, verify \([0-9]*\) ms)$/\1|\2|\3|\4/p' \
		"$DIR/phases.txt" | while IFS='|' read -r dedupe how ms verify; do
			printf '%-10s %-34s %10s\n' "$n" "    dedupe" "$dedupe ms"
			printf '%-10s %-34s %10s\n' "$n" "    ${how/, then build its indexes/ + indexes}" "$ms ms"
			printf '%-10s %-34s %10s\n' "$n" "    verify" "$verify ms"
		done
	sed -n -e 's/.*debug: CREATE [A-Z ]*INDEX \([a-z_]*\) ON .* (\([0-9]*\) ms)$/\1 \2/p' \
		-e 's/.*debug: ALTER TABLE [a-z_.]* ADD CONSTRAINT \([a-z_]*\) .* (\([0-9]*\) ms)$/\1 \2/p' "$DIR/phases.txt" |
		while read -r index ms; do
			printf '%-10s %-34s %10s\n' "$n" "    build $index" "$ms ms"
		done
	reports "$n" "$store"
	rm -f "$store" "$changed" "$DIR/obs.csv" "$DIR/batches.sql" "$DIR/obs.load" "$DIR/floor.sql" "$DIR/phases.txt"
done

# the reports on a bigger store (BENCH_REPORT_N, default 10M; 0: none)
if [ "$REPORT_N" -gt 0 ]; then
	store=$DIR/store-$REPORT_N.json
	"$root/tests/bench/gen-store.pl" --observations="$REPORT_N" > "$store"
	reports "$REPORT_N" "$store"
	rm -f "$store"
fi

echo
echo "cost per row of a full load (microseconds per observation)"
printf '%-10s %12s %12s\n' N ausdash "empty floor"
for row in "${us_per_row[@]}"; do
	set -- $row
	printf '%-10s %12.1f %12.1f\n' "$1" "$2" "$3"
done
