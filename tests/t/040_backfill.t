# tests/t/040_backfill.t - ausdash-backfill against a throwaway cluster:
# real stores (when ../shared is there), the project's own fixtures for
# every rule, rejects, dry runs, SIGKILL and a concurrent run.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use IPC::Run ();
use JSON::PP ();
use Test::More;
use Time::HiRes qw(time sleep);

my $tool = 'ausdash-backfill';
my $json = JSON::PP->new->allow_bignum;

program_help_ok($tool);
program_version_ok($tool);
program_options_handling_ok($tool);

# --- usage and input errors, no server needed -----------------------------
mkdir("$TMP/empty-dir") or die "mkdir: $!";
for my $case (
	[ [ '--rejects=x', 'a.json' ], 64, qr/option --rejects needs --max-errors/ ],
	[ [ '--max-errors=many', 'a.json' ], 64, qr/invalid value "many" for option --max-errors/ ],
	[ [ '--max-errors=-1', 'a.json' ], 64, qr/--max-errors must be in range/ ],
	[ [ '--lock-wait=soon', 'a.json' ], 64, qr/invalid value "soon" for option --lock-wait/ ],
	[ [ 'a.json', 'b.json' ], 64, qr/too many command-line arguments \(first is "b.json"\)/ ],
	[ ["$TMP/no-such.json"], 66, qr/could not open store ".*no-such.json": No such file/ ],
	[ ["$TMP/empty-dir"], 66, qr/could not read store ".*empty-dir": Is a directory/ ],
  )
{
	my ($args, $code, $re) = @$case;
	command_checks_all([ $tool, @$args ], $code, [], [$re], "backfill @$args");
}
{
	local $ENV{AUS_DASH_STORE_PATH} = "$TMP/from-env.json";
	command_checks_all([$tool], 66, [], [qr/could not open store ".*from-env.json"/],
		'AUS_DASH_STORE_PATH names the default input');
}
{
	delete local $ENV{AUS_DASH_STORE_PATH};
	my $cwd = "$TMP/cwd";
	mkdir($cwd) or die "mkdir: $!";
	my ($code, $out, $err) = run_command([ 'sh', '-c', "cd '$cwd' && $tool" ]);
	is($code, 66, 'no argument, no env: ./data/live-store.json');
	like($err, qr/could not open store "data\/live-store.json"/, '... named in the error');
}

# --- store builders ---------------------------------------------------------

sub obs_json
{
	my (%f) = @_;
	my %d = (seriesId => 'hvi.value.index', regionCode => 'AU', date => '2025-11-30',
		value => '168.9', unit => 'index', sourceName => 'ABS',
		sourceUrl => 'https://www.abs.gov.au/', publishedAt => '2025-12-01T00:00:00Z',
		ingestedAt => '2026-02-27T02:05:00Z', vintage => '2026-02-27',
		isModeled => 'false', confidence => 'official', %f);
	my @keys = grep { defined $d{$_} } sort keys %d;
	return '{' . join(',', map {
		my $v = $d{$_};
		my $raw = ($_ eq 'value' || $_ eq 'isModeled' || $v =~ /^RAW:/);
		$v =~ s/^RAW://;
		"\"$_\":" . ($raw ? $v : JSON::PP->new->encode([$v]) =~ s/^\[|\]$//gr)
	} @keys) . '}';
}

# A store with the given arrays (raw JSON text of their elements).
sub store_json
{
	my (%a) = @_;
	my $head = $a{head} // '"version":1,"updatedAt":"2026-03-12T02:42:00.054Z"';
	my @parts = ($head);
	for my $k (qw(observations rawSnapshots sources sourceCursors ingestionRuns
		priceIntakeBatches unresolvedPriceItems))
	{
		next if exists $a{"no_$k"};
		push @parts, "\"$k\":[" . join(',', @{ $a{$k} // [] }) . ']';
	}
	push @parts, $a{tail} if $a{tail};
	return '{' . join(',', @parts) . '}';
}

my $node = Ausdash::Test::Cluster->new('backfill')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'schema migrated');

# Every target table's rows with their physical identity: a row that was
# rewritten, even with the same values, shows a new xmin and ctid.
my @tables = qw(sources raw_snapshots observations source_cursors price_intake_batches
  unresolved_price_items store_meta);
sub table_state
{
	my $sql = join(' UNION ALL ', map {
		"SELECT '$_', pg_catalog.count(*), pg_catalog.md5(COALESCE(pg_catalog.string_agg("
		  . "t.xmin::text || t.ctid::text || t::text, '|' ORDER BY t::text), '')) FROM public.$_ t"
	} @tables);
	# the store's runs, not ausdash's own ledger rows
	$sql .= " UNION ALL SELECT 'runs', pg_catalog.count(*), pg_catalog.md5(COALESCE("
	  . "pg_catalog.string_agg(t.xmin::text || t.ctid::text || t::text, '|' ORDER BY t::text), ''))"
	  . " FROM public.ingestion_runs t WHERE t.tool_version IS NULL";
	return $node->psql($sql);
}

sub last_run
{
	return $node->psql("SELECT status, rows_read, rows_inserted, rows_updated, rows_unchanged, "
		  . "rows_rejected, COALESCE(error_summary, '') FROM public.ingestion_runs "
		  . "WHERE job = 'ausdash-backfill' ORDER BY started_at DESC LIMIT 1");
}

sub backfill_json
{
	my ($args, $name) = @_;
	my ($code, $out, $err) = run_command([ $tool, '--json', @$args ]);
	is($code, 0, "$name: exit 0") or diag($err);
	return $code == 0 ? JSON::PP->new->decode($out) : {};
}

# The store's entity counts (last occurrence of each key).
sub store_counts
{
	my ($file) = @_;
	my $s = $json->decode(slurp_file($file));
	my %key = (observations => [qw(seriesId regionCode date vintage)],
		rawSnapshots => ['snapshotId'], sources => ['sourceId'], sourceCursors => ['sourceId'],
		ingestionRuns => ['runId'], priceIntakeBatches => ['batchId'],
		unresolvedPriceItems => ['unresolvedItemId']);
	my %n;
	for my $e (keys %key)
	{
		my %seen = map { join('|', @{$_}{ @{ $key{$e} } }) => 1 } @{ $s->{$e} // [] };
		$n{$e} = [ scalar keys %seen, [ sort keys %seen ] ];
	}
	return \%n;
}

my %table_of = (observations => 'observations', rawSnapshots => 'raw_snapshots',
	sources => 'sources', sourceCursors => 'source_cursors', ingestionRuns => 'ingestion_runs',
	priceIntakeBatches => 'price_intake_batches', unresolvedPriceItems => 'unresolved_price_items');

sub store_vs_db
{
	my ($file) = @_;
	my ($code, $out, $err) = run_command([ 'psql', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1',
		'-v', "path=$file", '-f', "$ROOT/tests/sql/store_vs_db.sql" ]);
	die "store_vs_db failed: $err" if $code;
	return { map { my ($e, $n, $bad) = split /\|/; ($e => [ $n, $bad ]) } split /\n/, $out };
}

sub reset_db
{
	# (CASCADE: the dashboard's price warehouse, migration 0008, refers to them)
	$node->psql('TRUNCATE public.observations, public.raw_snapshots, public.source_cursors, '
		  . 'public.ingestion_runs, public.price_intake_batches, public.unresolved_price_items, '
		  . 'public.store_meta CASCADE');
}

# --- the real stores ----------------------------------------------------------
SKIP:
{
	my $shared = shared_dir('data/aus-dash');
	skip 'real stores: ../shared/data/aus-dash is absent (the project fixtures below '
	  . 'cover every rule)', 1 unless $shared;
	for my $rel ('data/live-store.json', 'history/cd2e0e5/data/live-store.json',
		'history/cd2e0e5/apps/api/data/live-store.json',
		'history/c40efbd/apps/ingest/data/live-store.json',
		'history/f8ac5e8/apps/ingest/data/live-store.json')
	{
		my $file = "$shared/$rel";
		reset_db();
		my $first = backfill_json([$file], "$rel first run");
		my $want = store_counts($file);
		for my $e (sort keys %$want)
		{
			my ($n, $keys) = @{ $want->{$e} };
			# the catalog migration seeds 16 sources: count the store's among them
			my $where = $e eq 'ingestionRuns' ? ' WHERE tool_version IS NULL'
			  : $e eq 'sources' ? " WHERE source_id = ANY ('{" . join(',', @$keys) . "}')" : '';
			my $rows = $node->psql("SELECT pg_catalog.count(*) FROM public.$table_of{$e}$where");
			is($rows, $n, "$rel: $e rows = store records ($n)");
		}
		my $cmp = store_vs_db($file);
		is_deeply([ map { "$_=$cmp->{$_}[1]" } sort keys %$cmp ],
			[ map { "$_=0" } sort keys %$cmp ],
			"$rel: every value, optional field, id and instant equals the file's");
		my $before = table_state();
		my $second = backfill_json([$file], "$rel second run");
		is($second->{totals}{inserted} . '/' . $second->{totals}{updated}, '0/0',
			"$rel: second run inserts and updates nothing");
		is(table_state(), $before, "$rel: second run leaves every table as it was (xmin, ctid, values)");
		is(last_run(), "ok|$second->{totals}{read}|0|0|$second->{totals}{read}|0|",
			"$rel: run recorded ok with its counts");
	}

	# the corrupt store: truncated and NUL-padded
	my $before = table_state();
	command_checks_all([ $tool, "$shared/apps/ingest/data/live-store.json" ], 65, [],
		[ qr/error: ".*live-store.json", line 12562, byte 480528: NUL byte in the input/,
		  qr/detail: Nothing was loaded; run ausdash-backfill-\d+ is recorded as failed/ ],
		'corrupt store: exit 65, names line and byte');
	is(table_state(), $before, 'corrupt store: nothing committed');
	like(last_run(), qr/^failed\|.*line 12562, byte 480528: NUL byte/m,
		'corrupt store: failed run recorded with its error');
}

# --- exact values, optional fields, the legacy shape ------------------------
reset_db();
my $exact = "$TMP/exact.json";
write_file($exact, store_json(
	observations => [
		obs_json(value => '117.44888178913737'),
		obs_json(date => '2025-12-31', value => '1234567890123456789012345678'),
		obs_json(date => '2026-01-31', value => '-4.96e-3', market => 'NEM',
			countryCode => 'AU', intervalStartUtc => '2026-02-27T12:00:00+10:00'),
	],
	no_rawSnapshots => 1));
command_ok([ $tool, $exact ], 'legacy shape without rawSnapshots loads');
is($node->psql("SELECT string_agg(value::text, ' ' ORDER BY date) FROM public.observations"),
	'117.44888178913737 1234567890123456789012345678 -0.00496',
	'numbers arrive exact (no double round trip)');
is($node->psql("SELECT interval_start_utc = '2026-02-27T02:00:00Z', market, country_code, "
	  . "metric_family IS NULL FROM public.observations WHERE date = '2026-01-31'"),
	't|NEM|AU|t', 'optional fields kept; absent ones NULL; timestamps as instants');
is($node->psql("SELECT store_version, updated_at = '2026-03-12T02:42:00.054Z' FROM public.store_meta"),
	'1|t', "the store's version and updatedAt land in store_meta");

# --- in-file duplicates: the last occurrence wins ------------------------------
reset_db();
my $dups = "$TMP/dups.json";
write_file($dups, store_json(observations => [
	obs_json(value => '1'), obs_json(date => '2026-01-01', value => '5'),
	obs_json(value => '2'), obs_json(value => '3', unit => 'pct') ]));
my $r = backfill_json([$dups], 'duplicates');
is_deeply([ @{ $r->{entities}{observations} }{qw(read inserted duplicates)} ], [ 4, 2, 2 ],
	'duplicates: 4 read, 2 inserted, 2 superseded');
is($node->psql("SELECT value || ' ' || unit FROM public.observations WHERE date = '2025-11-30'"),
	'3 pct', 'duplicates: the last occurrence wins, whole record');

# --- a changed store: updated vs unchanged, unchanged rows not rewritten -----
# (each row where it was, so that the unchanged one is not even moved: 060)
my $changed = "$TMP/changed.json";
write_file($changed, store_json(observations => [
	obs_json(date => '2026-02-01', value => '7'), obs_json(date => '2026-01-01', value => '6'),
	obs_json(value => '9'), obs_json(value => '3', unit => 'pct') ]));
my $xmin = $node->psql("SELECT xmin FROM public.observations WHERE date = '2025-11-30'");
$r = backfill_json([$changed], 'changed store');
is_deeply([ @{ $r->{entities}{observations} }{qw(read inserted updated unchanged)} ],
	[ 4, 1, 1, 1 ], 'changed store: 1 inserted, 1 updated, 1 unchanged');
is($node->psql("SELECT xmin FROM public.observations WHERE date = '2025-11-30'"), $xmin,
	'changed store: the unchanged row was not rewritten');

# --- every validation error: exit 65, the place, nothing committed, run failed
my $good = obs_json();
my @bad = (
	[ 'version 2', store_json(head => '"version":2,"updatedAt":"2026-01-01T00:00:00Z"'),
	  qr/line 1, byte 12: version: unsupported store version 2/ ],
	[ 'missing updatedAt', store_json(head => '"version":1'),
	  qr/: missing top-level key "updatedAt"/ ],
	[ 'missing required field',
	  store_json(observations => [ $good, obs_json(unit => undef) ]),
	  qr/line 1, byte \d+: observations\[1\]: missing required field "unit"/ ],
	[ 'wrong type', store_json(observations => [ $good, obs_json(value => '"12"') ]),
	  qr/observations\[1\]\.value: expected a number, found a string/ ],
	[ 'bad timestamp', store_json(observations => [ obs_json(publishedAt => '2026-02-30T00:00:00Z') ]),
	  qr/observations\[0\]\.publishedAt: invalid timestamp "2026-02-30T00:00:00Z": day out of range/ ],
	[ 'bad confidence', store_json(observations => [ obs_json(confidence => 'sure') ]),
	  qr/observations\[0\]\.confidence: invalid value "sure"/ ],
	[ 'null required', store_json(observations => [ obs_json(vintage => 'RAW:null') ]),
	  qr/observations\[0\]\.vintage: required field is null/ ],
	[ 'NUL escape', store_json(observations => [ obs_json(unit => "RAW:\"a\\u0000b\"") ]),
	  qr/observations\[0\]\.unit: string contains a NUL character/ ],
	[ 'raw NUL byte', store_json(observations => [ obs_json(unit => "RAW:\"a\0b\"") ]),
	  qr/NUL byte in the input/ ],
	[ 'invalid UTF-8', store_json(observations => [ obs_json(unit => "RAW:\"\xc3\x28\"") ]),
	  qr/invalid UTF-8 in a string/ ],
	[ 'truncated', substr(store_json(observations => [ $good, $good ]), 0, 300),
	  qr/unexpected end of input: the JSON is incomplete \(truncated file\?\)/ ],
	[ 'empty', '', qr/: the input is empty/ ],
	[ 'unknown top-level key', store_json(tail => '"scenarios":[]'),
	  qr/unknown top-level key "scenarios"/ ],
	[ 'unknown field', store_json(sources => [ '{"sourceId":"x","domain":"energy","name":"X",'
		  . '"url":"u","expectedCadence":"5m","colour":"red"}' ]),
	  qr/sources\[0\]\.colour: unknown field "colour"/ ],
	[ 'checksum mismatch', store_json(rawSnapshots => [ '{"snapshotId":"s1","sourceId":"x",'
		  . '"checksumSha256":"' . ('0' x 64) . '","capturedAt":"2026-01-01T00:00:00Z",'
		  . '"contentType":"text/csv","payload":"abc"}' ]),
	  qr/rawSnapshots\[0\]\.checksumSha256: checksum mismatch: the payload's SHA-256 is ba7816bf/ ],
	[ 'negative count', store_json(ingestionRuns => [ '{"runId":"r1","job":"j","status":"ok",'
		  . '"startedAt":"2026-01-01T00:00:00Z","finishedAt":"2026-01-01T00:00:00Z",'
		  . '"rowsInserted":-1,"rowsUpdated":0}' ]),
	  qr/ingestionRuns\[0\]\.rowsInserted: expected a non-negative 32-bit integer, found -1/ ],
	[ 'BOM', "\xef\xbb\xbf" . store_json(), qr/byte order mark \(BOM\)/ ],
);
my $before = table_state();
for my $case (@bad)
{
	my ($name, $content, $re) = @$case;
	my $file = "$TMP/bad-$name.json" =~ s/ /-/gr;
	write_file($file, $content);
	command_checks_all([ $tool, $file ], 65, [], [ $re, qr/detail: Nothing was loaded/ ],
		"bad input ($name): exit 65 and where");
	like(last_run(), qr/^failed\|/, "bad input ($name): failed run recorded");
}
is(table_state(), $before, 'no bad input committed anything');

# --json says it failed, and why
{
	my ($code, $out, $err) = run_command([ $tool, '--json', "$TMP/bad-bad-timestamp.json" ]);
	is($code, 65, '--json on bad input: exit 65');
	my $j = eval { JSON::PP->new->decode($out) } // {};
	is($j->{status}, 'failed', '--json on bad input: status failed');
	like($j->{error} // '', qr/observations\[0\]\.publishedAt: invalid timestamp/, '--json: the error');
}

# the same from standard input
{
	my ($code, $out, $err) = run_command([ $tool, '-' ], stdin => $bad[2][1]);
	is($code, 65, 'bad standard input: exit 65');
	like($err, qr/standard input, line 1, byte \d+: observations\[1\]: missing required field/,
		'bad standard input: named as standard input');
}

# --ignore-unknown loads the rest and says what it skipped
command_checks_all([ $tool, '--ignore-unknown', "$TMP/bad-unknown-top-level-key.json" ], 0, [],
	[qr/warning: .*ignoring unknown top-level key "scenarios"/], '--ignore-unknown: loads, warns');

command_checks_all([ $tool, '--ignore-unknown', "$TMP/bad-unknown-field.json" ], 0, [],
	[qr/warning: ignored 1 unknown record field\(s\), the first at sources\[0\]\.colour/],
	'--ignore-unknown: unknown record fields skipped, and said');

# --- --max-errors and --rejects ------------------------------------------------
reset_db();
my $mixed = "$TMP/mixed.json";
write_file($mixed, store_json(observations => [
	obs_json(date => '2026-01-01'), obs_json(date => '2026-01-02', confidence => 'sure'),
	obs_json(date => '2026-01-03'), obs_json(date => '2026-01-04', value => 'true') ]));
my ($code, $out, $err) = run_command([ $tool, '--max-errors=2', "--rejects=$TMP/rejects.ndjson",
	'--json', $mixed ]);
is($code, 2, '--max-errors: within budget, exit 2 (partial)');
like($err, qr/observations\[1\]\.confidence: invalid value "sure".*\(record rejected\)/,
	'--max-errors: each reject is named');
my @rej = map { JSON::PP->new->decode($_) } split /\n/, slurp_file("$TMP/rejects.ndjson");
is(scalar @rej, 2, 'rejects file: one line per rejected record');
is_deeply([ map { "$_->{path}|$_->{record}{date}" } @rej ],
	[ 'observations[1].confidence|2026-01-02', 'observations[3].value|2026-01-04' ],
	'rejects file: path and the record itself');
like($rej[0]{reason}, qr/invalid value "sure"/, 'rejects file: reason');
ok($rej[0]{line} >= 1 && $rej[0]{offset} > 0, 'rejects file: line and byte offset');
is($node->psql('SELECT string_agg(date, \',\' ORDER BY date) FROM public.observations'),
	'2026-01-01,2026-01-03', '--max-errors: the good rows are committed');
like(last_run(), qr/^partial\|4\|2\|0\|0\|2\|$/m, 'partial run recorded: 4 read, 2 in, 2 rejected');
$before = table_state();
command_checks_all([ $tool, '--max-errors=1', $mixed ], 65, [],
	[ qr/observations\[3\]\.value: expected a number/, qr/More than 1 records were bad/ ],
	'past --max-errors: exit 65');
is(table_state(), $before, 'past --max-errors: nothing committed');

# --- a payload stored twice under different snapshotIds ---------------------
sub snapshot_json
{
	my ($id, $payload) = @_;
	require Digest::SHA;
	return "{\"snapshotId\":\"$id\",\"sourceId\":\"aemo_wholesale\",\"checksumSha256\":\""
	  . Digest::SHA::sha256_hex($payload) . "\",\"capturedAt\":\"2026-03-12T00:45:00.029Z\","
	  . "\"contentType\":\"text/csv\",\"payload\":\"$payload\"}";
}
reset_db();
my $twice = "$TMP/twice.json";
write_file($twice, store_json(rawSnapshots => [ snapshot_json('s-1', 'a,b'),
	snapshot_json('s-2', 'c,d'), snapshot_json('s-3', 'a,b') ]));
$before = table_state();
command_checks_all([ $tool, $twice ], 65, [],
	[ qr/line 1, byte \d+: rawSnapshots\[2\]: same source and checksum as the stored snapshot "s-1"/,
	  qr/hint: A payload is stored once per source/ ],
	'same payload twice in one store: exit 65, both ids named');
is(table_state(), $before, 'same payload twice: nothing committed');
($code, $out, $err) = run_command([ $tool, '--max-errors=1', "--rejects=$TMP/twice.ndjson",
	'--json', $twice ]);
is($code, 2, 'same payload twice within --max-errors: exit 2');
is($node->psql('SELECT string_agg(snapshot_id, \',\' ORDER BY snapshot_id) FROM public.raw_snapshots'),
	's-1,s-2', '... the first one and the other payload loaded');
my ($conflict) = map { JSON::PP->new->decode($_) } split /\n/, slurp_file("$TMP/twice.ndjson");
is("$conflict->{path}|$conflict->{key}", 'rawSnapshots[2]|s-3', '... the reject names it');
# against a snapshot already in the database: another store lineage (issue 17)
write_file("$TMP/again.json", store_json(rawSnapshots => [ snapshot_json('s-9', 'c,d') ]));
$r = backfill_json([ "$TMP/again.json" ], 'a payload already stored under another id (another lineage)');
is_deeply([ @{ $r->{entities}{rawSnapshots} }{qw(read inserted duplicates rejected)} ], [ 1, 0, 1, 0 ],
	'... counts as a duplicate');
is($node->psql("SELECT string_agg(snapshot_id, ',' ORDER BY snapshot_id) FROM public.raw_snapshots"),
	's-1,s-2', '... the payload stays stored once');
is($node->psql("SELECT alias_id || '->' || snapshot_id FROM public.raw_snapshot_aliases"), 's-9->s-2',
	'... and its id is kept as an alias of the stored one');
backfill_json([ "$TMP/again.json" ], 'the same store again');
is($node->psql("SELECT count(*) || ' ' || min(xmin::text) FROM public.raw_snapshot_aliases"),
	'1 ' . $node->psql("SELECT min(xmin::text) FROM public.raw_snapshot_aliases"),
	'... leaves the alias as it was');

# --- --dry-run ------------------------------------------------------------------
reset_db();
$before = table_state();
my $runs = $node->psql('SELECT count(*) FROM public.ingestion_runs');
$r = backfill_json([ '--dry-run', $changed ], 'dry run');
is($r->{status}, 'dry_run', 'dry run: reported as such');
is($r->{entities}{observations}{inserted}, 3, 'dry run: counts what it would insert');
is(table_state(), $before, 'dry run: nothing changed');
is($node->psql('SELECT count(*) FROM public.ingestion_runs'), $runs, 'dry run: no run row');

command_exit_is([ $tool, '--dry-run', '--max-errors=5', $mixed ], 2,
	'dry run with rejected records: exit 2');

# -v: the human summary on stderr; silent otherwise
($code, $out, $err) = run_command([ $tool, '-v', $changed ]);
like($err, qr/info: ok: \d+ records read, 3 inserted/, '-v: summary on stderr');
like($err, qr/observations\s+4\s+3\s+0\s+0\s+1\s+0/, '-v: per-entity table');
# (a store without source mix and no seed store warns: 063; read as written here)
($code, $out, $err) = run_command([ $tool, '--no-reader-upgrades', $changed ]);
is("$code|$out|$err", '0||', 'silent on success');

# --- a big store: one backfill at a time, and SIGKILL -----------------------------
my $big = "$TMP/big.json";
run_command([ "$ROOT/tests/bench/gen-store.pl", '--observations=150000' ])
  ;    # warm the generator
{
	my ($c, $o, $e) = run_command([ 'sh', '-c',
		"'$ROOT/tests/bench/gen-store.pl' --observations=150000 > '$big'" ]);
	die "gen-store failed: $e" if $c;
}
reset_db();
write_file("$TMP/small.json", store_json(observations => [ obs_json() ]));
command_ok([ $tool, "$TMP/small.json" ], 'small store loaded');
$before = table_state();

sub wait_for
{
	my ($sql, $what) = @_;
	for (1 .. 600)
	{
		return 1 if $node->psql($sql) eq 't';
		sleep 0.05;
	}
	fail("timed out waiting for $what");
	return 0;
}

my ($bout, $berr) = ('', '');
my $h = IPC::Run::start([ $tool, $big ], '>', \$bout, '2>', \$berr);
wait_for("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_progress_copy)", 'the COPY');
my $t0 = time;
command_checks_all([ $tool, "$TMP/small.json" ], 75, [],
	[ qr/another backfill is running \(advisory lock "backfill" is held\)/, qr/hint: .*--lock-wait/ ],
	'a second backfill exits with the lock code');
ok(time - $t0 < 5, 'the second backfill gives up promptly');
$h->signal('KILL');
$h->finish;
is($h->full_result(0) & 127, 9, 'first backfill killed with SIGKILL mid-COPY');
is(table_state(), $before, 'after SIGKILL: the tables are exactly as before');
wait_for("SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE locktype = 'advisory')",
	'the dead session to go');
is($node->psql("SELECT count(*) FROM public.ingestion_runs WHERE status = 'running'"), 1,
	'after SIGKILL: the run is still visible');
command_checks_all([ $tool, "$TMP/small.json" ], 0, [],
	[qr/warning: run "ausdash-backfill-\d+" was left running by a process that is gone; marked it abandoned/],
	'the next run succeeds and marks the killed one abandoned');
is($node->psql("SELECT string_agg(status, ',' ORDER BY started_at) FROM public.ingestion_runs "
	  . "WHERE job = 'ausdash-backfill' AND started_at > pg_catalog.now() - interval '1 hour' "
	  . "AND status IN ('abandoned', 'running')"), 'abandoned', 'killed run now abandoned');

# SIGTERM: the run stops, rolls back and is recorded as failed
$before = table_state();
($bout, $berr) = ('', '');
$h = IPC::Run::start([ $tool, $big ], '>', \$bout, '2>', \$berr);
wait_for("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_progress_copy)", 'the COPY');
$h->signal('TERM');
$h->finish;
is($h->full_result(0) >> 8, 1, 'SIGTERM: exit 1');
like($berr, qr/error: interrupted by signal 15/, 'SIGTERM: says so');
is(table_state(), $before, 'SIGTERM: nothing committed');
like(last_run(), qr/^failed\|.*interrupted by signal 15/m, 'SIGTERM: run recorded as failed');

# the connection dropped mid-COPY: a clear error, nothing committed, and the
# run still recorded as failed (over a new connection)
$before = table_state();
($bout, $berr) = ('', '');
$h = IPC::Run::start([ $tool, $big ], '>', \$bout, '2>', \$berr);
wait_for("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_progress_copy)", 'the COPY');
$node->psql("SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity "
	  . "WHERE application_name = 'ausdash-backfill'");
$h->finish;
is($h->full_result(0) >> 8, 1, 'connection dropped: exit 1');
like($berr, qr/error: could not send data to server: server closed the connection/,
	'connection dropped: says so');
like($berr, qr/detail: Nothing was loaded; run ausdash-backfill-\d+ is recorded as failed/,
	'connection dropped: the run is recorded as failed anyway');
is(table_state(), $before, 'connection dropped: nothing committed');
like(last_run(), qr/^failed\|.*server closed the connection/m, 'connection dropped: run failed');

# --lock-wait: the second one waits for the first, then runs
reset_db();
($bout, $berr) = ('', '');
$h = IPC::Run::start([ $tool, $big ], '>', \$bout, '2>', \$berr);
wait_for("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_progress_copy)", 'the COPY');
command_ok([ $tool, '--lock-wait=2min', "$TMP/small.json" ], '--lock-wait: waits, then succeeds');
$h->finish;
is($h->full_result(0), 0, '--lock-wait: the first one succeeded too');
is($node->psql("SELECT s.started_at >= b.finished_at FROM "
	  . "(SELECT started_at FROM public.ingestion_runs WHERE input_name LIKE '%small.json' "
	  . " ORDER BY started_at DESC LIMIT 1) s, "
	  . "(SELECT finished_at FROM public.ingestion_runs WHERE input_name LIKE '%big.json' "
	  . " AND status = 'ok' ORDER BY started_at DESC LIMIT 1) b"), 't',
	'--lock-wait: the second started after the first had finished');

# on a terminal: the phase, its time and step, an ETA only while reading
# (a pseudo-terminal); -q silences it; -v without one: a line per phase.
# A file that big is copied straight into the empty table; from a pipe
# (its size unknown, "auto") the rows are staged, then inserted.
for my $case ([ 'copied', [ $tool, '--index-build=after', $big ], [ 'building index 1/6', 'building index 6/6' ] ],
	[ 'staged', [ 'sh', '-c', "cat '$big' | '$tool' -" ],
	  [ 'deduplicating', 'dropping index 1/6', 'inserting', 'building index 1/6', 'building index 6/6', 'verifying' ] ])
{
	my ($how, $cmd, $steps) = @$case;
	reset_db();
	my ($c, $tty) = run_on_tty($cmd, timeout => 300);
	is($c, 0, "on a terminal, $how: exit 0") or diag($tty);
	my @frames = map { s/\e\[K//gr } grep { /\S/ } split /\r|\n/, $tty;
	my %first;
	for my $i (0 .. $#frames)
	{
		$first{$1} //= $i if $frames[$i] =~ /^ausdash-backfill: (reading and staging|merging observations|committing)/;
	}
	ok(grep({ /^ausdash-backfill: reading and staging: [\d.]+ (?:of [\d.]+ MB \(\d+%\), [\d.]+ MB\/s, ETA \d+ s|MB, [\d.]+ MB\/s)$/ } @frames),
		"$how: reading: bytes, rate (and ETA of a file)") or diag(join "\n", @frames);
	for my $step (@$steps)
	{
		ok(grep({ /^ausdash-backfill: merging observations \(3\/7\), [\d.]+ s: \Q$step\E$/ } @frames),
			"$how: merging observations: the step \"$step\" with the phase's time");
	}
	is(scalar(grep { /merging observations .*: inserting$/ } @frames), 0, "$how: no insert step") if $how eq 'copied';
	ok(grep({ /^ausdash-backfill: committing, [\d.]+ s$/ } @frames), "$how: committing");
	ok(defined $first{'reading and staging'} && defined $first{'merging observations'} && defined $first{committing}
		  && $first{'reading and staging'} < $first{'merging observations'}
		  && $first{'merging observations'} < $first{committing}, "$how: the phases in order");
	my @eta = grep { /ETA/ } @frames[ ($first{'merging observations'} // 0) .. $#frames ];
	is(scalar(@eta), 0, "$how: no ETA once reading is done");
	is($node->psql('SELECT count(*) FROM public.observations'), 150000, "$how: all rows there");
}
{
	my ($c, $tty);
	# a statement that fails while the line is shown (the waiting path of
	# db_exec()): the error, the phase's line kept above it, exit 75
	reset_db();
	my $holder = IPC::Run::start([ 'psql', '-X', '-q', '-c',
		'BEGIN; LOCK public.observations IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(15); COMMIT' ]);
	wait_for("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE mode = 'AccessExclusiveLock' "
		  . "AND relation = 'public.observations'::pg_catalog.regclass)", 'the lock');
	($c, $tty) = run_on_tty([ $tool, '--lock-timeout=2s', '--index-build=during', $big ], timeout => 120);
	$holder->kill_kill;
	is($c, 75, 'on a terminal, a lock timeout during the merge: exit 75') or diag($tty);
	like($tty, qr/merging observations \(3\/7\), [\d.]+ s: [a-z ]+(?:\e\[K)?\r?\n.*error:.*lock timeout/s,
		'... the phase line stays above the error');

	reset_db();
	($c, $tty) = run_on_tty([ $tool, '-q', $big ], timeout => 300);
	is($c, 0, '-q on a terminal: exit 0');
	is($tty, '', '-q on a terminal: no progress, nothing at all');

	reset_db();
	my ($code, $out, $err) = run_command([ $tool, '-v', $big ]);
	is($code, 0, '-v without a terminal: exit 0');
	like($err, qr/^ausdash-backfill: info: reading and staging: \d+\.\d{3} s\n(?:.*\n)*?ausdash-backfill: info: merging observations \(3\/7\): \d+\.\d{3} s\n(?:.*\n)*?ausdash-backfill: info: committing: \d+\.\d{3} s$/m,
		'-v without a terminal: one line per phase with its duration, in order');
	unlike($err, qr/MB\/s|ETA|\r/, '... and no progress lines');
}

# --- indexes built after a bulk insert into an empty table ----------------------
# The indexes of observations (names, definitions, constraints) and their
# OIDs: a rebuild keeps the first and changes the second.
my $index_defs = "SELECT pg_catalog.string_agg(c.relname || ' ' || pg_catalog.pg_get_indexdef(i.indexrelid)"
  . " || ' ' || COALESCE((SELECT pg_catalog.pg_get_constraintdef(k.oid) FROM pg_catalog.pg_constraint k"
  . " WHERE k.conindid = i.indexrelid), '-'), E'\\n' ORDER BY c.relname)"
  . " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
  . " WHERE i.indrelid = 'public.observations'::pg_catalog.regclass";
my $index_oids = "SELECT pg_catalog.string_agg(i.indexrelid::text, ',' ORDER BY i.indexrelid)"
  . " FROM pg_catalog.pg_index i WHERE i.indrelid = 'public.observations'::pg_catalog.regclass";
my $defs = $node->psql($index_defs);
like($defs, qr/observations_latest_idx.*observations_pkey .*PRIMARY KEY \(series_id, id\).*observations_series_region_date_vintage_unique CREATE UNIQUE INDEX [^\n]* UNIQUE \(series_id, region_code, date, vintage\)$/ms,
	'the indexes of observations, as migrated');

# the big store loads completely, into the empty table, its indexes built after
reset_db();
my $oids = $node->psql($index_oids);
($code, $out, $err) = run_command([ $tool, '--json', '-v', '-v', $big ]);
is($code, 0, 'big store: exit 0') or diag($err);
$r = $code == 0 ? JSON::PP->new->decode($out) : {};
is($r->{entities}{observations}{inserted}, 150000, 'big store: 150000 observations inserted');
is($node->psql('SELECT count(*) FROM public.observations'), 150000, 'big store: all there');
like($err, qr/debug: public.observations is empty: copying into it, its 6 indexes built again after/,
	'auto: a big store into an empty table: copied straight into it');
like($err, qr/debug: observations: 150000 staged, 0 duplicates, 150000 inserted.*copy into empty table, then build its indexes/,
	'auto: ... its indexes built after the copy');
like($err, qr/debug: ALTER TABLE public.observations ADD CONSTRAINT observations_pkey PRIMARY KEY/,
	'auto: the primary key built again');
is($node->psql($index_defs), $defs, 'auto: the same indexes and constraints as before');
isnt($node->psql($index_oids), $oids, 'auto: ... built anew');
is($node->psql("SELECT count(*) FROM public.observations WHERE series_id = "
	  . "'energy.wholesale.rrp.region_aud_mwh' AND region_code = 'NSW1' AND date = '2026-01-01T00:00:00Z'"),
	1, 'auto: an index lookup finds its row');
is($node->psql('SELECT count(*) FROM public.ingestion_runs WHERE status = \'ok\' '
	  . 'AND input_name LIKE \'%big.json\' AND rows_inserted >= 150000'), 1,
	'auto: the run is recorded');

# a rerun merges (the table is no longer empty): nothing written
$oids = $node->psql($index_oids);
($code, $out, $err) = run_command([ $tool, '-v', '-v', $big ]);
is($code, 0, 'big store again: exit 0');
like($err, qr/debug: observations: 0 staged, 0 duplicates, 0 inserted, 0 updated, 150000 unchanged, 150000 of them not staged \(held as they are\) \(dedupe \d+ ms, merge/,
	'big store again: nothing staged, all unchanged (their digests)');
is($node->psql($index_oids), $oids, 'big store again: indexes untouched');
($code, $out, $err) = run_command([ $tool, '-v', '-v', '--compare-all', $big ]);
is($code, 0, 'big store again, --compare-all: exit 0');
like($err, qr/debug: observations: 150000 staged, 0 duplicates, 0 inserted, 0 updated, 150000 unchanged \(dedupe \d+ ms, merge/,
	'big store again, --compare-all: every record staged and merged, all unchanged');

# small stores: "auto" keeps the indexes; "after" forces the build; "during" never
my $three = store_json(observations => [ map { obs_json(date => "2025-0$_-28", value => $_) } 1 .. 3 ]);
write_file("$TMP/three.json", $three);
for my $case ([ 'auto', 0 ], [ 'during', 0 ], [ 'after', 1 ])
{
	my ($how, $built) = @$case;
	reset_db();
	$oids = $node->psql($index_oids);
	($code, $out, $err) = run_command([ $tool, "--index-build=$how", '-v', '-v', "$TMP/three.json" ]);
	is($code, 0, "--index-build=$how: exit 0");
	is($node->psql('SELECT string_agg(date || \'=\' || value, \',\' ORDER BY date) FROM public.observations'),
		'2025-01-28=1,2025-02-28=2,2025-03-28=3', "--index-build=$how: the rows");
	is($node->psql($index_defs), $defs, "--index-build=$how: the same indexes");
	if ($built)
	{
		isnt($node->psql($index_oids), $oids, "--index-build=$how: indexes built anew");
		like($err, qr/copy into empty table, then build its indexes/, "--index-build=$how: says so");
	}
	else
	{
		is($node->psql($index_oids), $oids, "--index-build=$how: indexes kept");
		like($err, qr/3 inserted.*\(dedupe \d+ ms, insert into empty table \d+ ms/,
			"--index-build=$how: inserted with the indexes in place");
	}
}
# copied straight into the empty tables ("after"): every table's indexes
# come back as they were, also those of the tables that got no rows, and a
# dry run leaves them all as they were
my $all_index_defs = "SELECT pg_catalog.string_agg(c.relname || ' ' || pg_catalog.pg_get_indexdef(i.indexrelid)"
  . " || ' ' || COALESCE((SELECT pg_catalog.pg_get_constraintdef(k.oid) FROM pg_catalog.pg_constraint k"
  . " WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')), '-'), E'\\n' ORDER BY c.relname)"
  . " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
  . " JOIN pg_catalog.pg_class t ON t.oid = i.indrelid"
  . " WHERE t.relnamespace = 'public'::pg_catalog.regnamespace";
my $all_oids = $all_index_defs =~ s/c\.relname \|\| .*?E'/i.indexrelid::text, E'/sr;
{
	reset_db();
	my $all = $node->psql($all_index_defs);
	my $all_o = $node->psql($all_oids);
	($code, $out, $err) = run_command([ $tool, '--index-build=after', '--dry-run', "$TMP/three.json" ]);
	is($code, 0, 'copied, dry run: exit 0');
	is($node->psql('SELECT count(*) FROM public.observations'), 0, 'copied, dry run: nothing kept');
	is($node->psql($all_oids), $all_o, 'copied, dry run: every index the one from before');
	($code, $out, $err) = run_command([ $tool, '--index-build=after', '-v', '-v', "$TMP/three.json" ]);
	is($code, 0, 'copied: exit 0');
	like($err, qr/public.source_cursors is empty: copying into it/, 'copied: an entity with no rows too');
	is($node->psql($all_index_defs), $all, 'copied: every table\'s indexes as before');
	is($node->psql('SELECT string_agg(store_ord::text, \',\' ORDER BY date) FROM public.observations'),
		'0,1,2', 'copied: each row keeps its place in the store');
	# HEAP_XMIN_FROZEN: both hint bits of xmin set (pageinspect)
	$node->psql('CREATE EXTENSION IF NOT EXISTS pageinspect');
	is($node->psql("SELECT pg_catalog.count(*) FROM public.heap_page_items(public.get_raw_page('public.observations', 0)) "
		  . "WHERE t_infomask & 768 = 768"), 3, 'copied: the rows are frozen (COPY FREEZE)');
	$node->psql('DROP EXTENSION pageinspect');

	# a bad record within --max-errors: left out of the copy, the rest loaded
	reset_db();
	write_file("$TMP/one-bad.json", store_json(observations => [
		obs_json(date => '2025-01-28', value => 1), obs_json(date => '2025-02-28', value => '"x"'),
		obs_json(date => '2025-03-28', value => 3) ]));
	($code, $out, $err) = run_command([ $tool, '--index-build=after', '--max-errors=1', '-v', '-v',
		"$TMP/one-bad.json" ]);
	is($code, 2, 'copied, one bad record within --max-errors: exit 2') or diag($err);
	like($err, qr/public.observations is empty: copying into it/, '... copied');
	is($node->psql('SELECT string_agg(date || \'=\' || value, \',\' ORDER BY date) FROM public.observations'),
		'2025-01-28=1,2025-03-28=3', '... the good records loaded, the bad one left out');
	is($node->psql($all_index_defs), $all, '... every index as before');

	# a key twice in the file: the last occurrence wins, as when staged
	for my $build ('after', 'during')
	{
		reset_db();
		write_file("$TMP/twice.json", store_json(observations => [
			obs_json(date => '2025-01-28', value => 1), obs_json(date => '2025-02-28', value => 2),
			obs_json(date => '2025-01-28', value => 3), obs_json(date => '2025-03-28', value => 4),
			obs_json(date => '2025-01-28', value => 5) ]));
		($code, $out, $err) = run_command([ $tool, "--index-build=$build", '--json', '-v', '-v', "$TMP/twice.json" ]);
		is($code, 0, "a key three times, $build: exit 0") or diag($err);
		my $r = $code == 0 ? JSON::PP->new->decode($out) : {};
		is(join(',', map { $r->{entities}{observations}{$_} // '?' } qw(read inserted duplicates)), '5,3,2',
			"a key three times, $build: 5 read, 3 inserted, 2 duplicates");
		is($node->psql('SELECT string_agg(date || \'=\' || value || \'@\' || store_ord, \',\' ORDER BY date) '
			  . 'FROM public.observations'), '2025-01-28=5@4,2025-02-28=2@1,2025-03-28=4@3',
			"a key three times, $build: the last one kept, with its place");
		is($node->psql($all_index_defs), $all, "a key three times, $build: every index as before");
		like($err, qr/observations: 5 staged, 2 duplicates, 3 inserted/, "a key three times, $build: -vv counts");
	}
}

command_checks_all([ $tool, '--index-build=later', "$TMP/three.json" ], 64, [],
	[qr/error: invalid value "later" for option --index-build: expected auto, after or during/],
	'--index-build: a bad value exits 64');

# a foreign key refers to observations: its indexes stay
reset_db();
$node->psql('CREATE TABLE public.test_obs_ref (series_id text, obs_id uuid, '
	  . 'FOREIGN KEY (series_id, obs_id) REFERENCES public.observations (series_id, id))');
$oids = $node->psql($index_oids);
($code, $out, $err) = run_command([ $tool, '--index-build=after', '-v', '-v', "$TMP/three.json" ]);
is($code, 0, 'referenced by a foreign key: exit 0');
like($err, qr/the indexes of public.observations cannot all be dropped and built again; inserting with them in place/,
	'referenced by a foreign key: says why the indexes stay');
is($node->psql($index_oids), $oids, 'referenced by a foreign key: indexes kept');
# ... and a table that cannot be copied into is not locked either: the
# dashboard's reads go on while a big store is staged for it
reset_db();
{
	my ($o, $e) = ('', '');
	my $h = IPC::Run::start([ $tool, '--index-build=after', $big ], '>', \$o, '2>', \$e);
	wait_for("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_progress_copy)", 'the COPY');
	is($node->psql("SET lock_timeout = '5s'; SELECT count(*) FROM public.observations"), 0,
		'referenced by a foreign key: readers are not locked out while the store is read');
	$h->finish;
	is($h->full_result(0), 0, 'referenced by a foreign key: the big store loads') or diag($e);
}
$node->psql('DROP TABLE public.test_obs_ref');

# building an index again fails: everything is rolled back, indexes and all
reset_db();
$node->psql('CREATE UNIQUE INDEX test_value_unique ON public.observations (value)');
$defs = $node->psql($index_defs);
$oids = $node->psql($index_oids);
$before = table_state();
write_file("$TMP/same-value.json",
	store_json(observations => [ map { obs_json(date => "2025-0$_-28", value => 7) } 1 .. 2 ]));
($code, $out, $err) = run_command([ $tool, '--index-build=after', "$TMP/same-value.json" ]);
is($code, 1, 'an index cannot be built again: exit 1');
like($err, qr/error: .*could not create unique index "test_value_unique"/, '... says which');
like($err, qr/While building the indexes of public.observations again after copying into it/,
	'... and when');
is(table_state(), $before, '... nothing committed');
is($node->psql($index_oids), $oids, '... the indexes are the ones from before');
like(last_run(), qr/^failed\|/, '... run recorded as failed');
$node->psql('DROP INDEX public.test_value_unique');

# --- verification: a row that does not land as staged fails the run ------------
# (a trigger that changes what is written stands in for a merge that would
# write something else)
$node->psql(q{CREATE FUNCTION public.test_bump() RETURNS trigger LANGUAGE plpgsql AS
  $$BEGIN IF NEW.date = '2025-02-28' THEN NEW.value := NEW.value + 1; END IF; RETURN NEW; END$$});
reset_db();
command_ok([ $tool, '-q', "$TMP/three.json" ], 'three rows loaded');
$before = table_state();
write_file("$TMP/three-changed.json", store_json(observations =>
	  [ map { obs_json(date => "2025-0$_-28", value => $_ * 10) } 1 .. 3 ]));
for my $case ([ 'UPDATE', "$TMP/three-changed.json", 'the merge' ],
	[ 'INSERT', "$TMP/three.json", 'an insert into an empty table' ],
	[ 'INSERT', "$TMP/three.json", 'an empty table with a trigger, --index-build=after', '--index-build=after' ])
{
	my ($event, $file, $what, @opt) = @$case;
	if ($event eq 'INSERT')
	{
		reset_db();
		$before = table_state();
	}
	$node->psql("CREATE TRIGGER test_bump BEFORE $event ON public.observations "
		  . 'FOR EACH ROW EXECUTE FUNCTION public.test_bump()');
	($code, $out, $err) = run_command([ $tool, @opt, $file ]);
	is($code, 1, "$what, a row changed on its way: exit 1");
	like($err, qr/error: verification failed: 1 staged row\(s\) of observations are not in public.observations as staged/,
		"$what: verification failed");
	like($err, qr/detail: The first is record 1 of the input/, "$what: says which record");
	is(table_state(), $before, "$what: nothing committed");
	like(last_run(), qr/^failed\|.*verification failed/m, "$what: run recorded as failed");
	$node->psql('DROP TRIGGER test_bump ON public.observations');
}
$node->psql('DROP FUNCTION public.test_bump()');

# --- the dashboard's store lineages, one after another (issue 17) --------------------
SKIP:
{
	my $shared = shared_dir('data/aus-dash');
	skip '../shared/data/aus-dash is absent', 6 unless $shared;
	reset_db();
	my %keys;
	for my $f ('history/cd2e0e5/apps/api/data', 'history/c40efbd/apps/ingest/data',
		'history/f8ac5e8/apps/ingest/data', 'data')
	{
		my $path = "$shared/$f/live-store.json";
		my ($code, $out, $err) = run_command([ $tool, '-q', $path ]);
		is($code, 0, "lineages: $f backfills") or diag($err);
		my $store = JSON::PP->new->decode(slurp_file($path));
		$keys{ join('|', map { $_ // '' } @$_{qw(seriesId regionCode date vintage)}) } = 1
		  for @{ $store->{observations} };
	}
	is($node->psql("SELECT count(*) FROM public.observations"), scalar(keys %keys),
		'lineages: observations hold exactly the union of the stores\' distinct keys');
	my %db = map { $_ => 1 } split /\n/, $node->psql("SELECT series_id || '|' || region_code || '|' || date "
		  . "|| '|' || vintage FROM public.observations");
	is_deeply([ sort grep { !$db{$_} } keys %keys ], [], 'lineages: every key of every store is there');
}

# --- cursors move one way, as ingest moves them (issue 17) --------------------------
{
	reset_db();
	my $cursor = sub { '{"sourceId":"aemo_wholesale","cursor":"' . $_[0] . '","updatedAt":"2026-03-01T00:00:00Z"}' };
	write_file("$TMP/cursor-new.json", store_json(sourceCursors => [ $cursor->('2026-02-27T02:10:00Z') ]));
	write_file("$TMP/cursor-old.json", store_json(sourceCursors => [ $cursor->('2026-01-01T20:45:00Z') ]));
	backfill_json([ "$TMP/cursor-new.json" ], 'a store with a newer cursor');
	my $j = backfill_json([ "$TMP/cursor-old.json" ], 'then a store with an older one');
	is($node->psql("SELECT cursor FROM public.source_cursors WHERE source_id = 'aemo_wholesale'"),
		'2026-02-27T02:10:00Z', 'the older cursor does not move it back');
	is_deeply($j->{cursors_kept}, [ { source => 'aemo_wholesale', kept => '2026-02-27T02:10:00Z',
		store => '2026-01-01T20:45:00Z' } ], 'the summary (and the run\'s details) say which was kept');
	is($node->psql("SELECT details->'cursors_kept'->0->>'store' FROM public.ingestion_runs "
		  . "WHERE job = 'ausdash-backfill' ORDER BY started_at DESC LIMIT 1"), '2026-01-01T20:45:00Z',
		'the run\'s details too');
	$j = backfill_json([ '--allow-cursor-rewind', "$TMP/cursor-old.json" ], '--allow-cursor-rewind');
	is($node->psql("SELECT cursor FROM public.source_cursors WHERE source_id = 'aemo_wholesale'"),
		'2026-01-01T20:45:00Z', '--allow-cursor-rewind moves it back');
	is_deeply($j->{cursors_kept}, [], 'and keeps none');
}

done_testing();
