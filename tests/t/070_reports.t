# tests/t/070_reports.t - ausdash-freshness and ausdash-runs: the
# dashboard's freshness rules on the database and on a store file, the four
# output formats and the monitoring exit codes, and the run ledger's
# failures, abandoned and long runs.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use IPC::Run ();
use JSON::PP ();
use Test::More;
use Time::HiRes qw(sleep);

for my $t ('ausdash-freshness', 'ausdash-runs')
{
	program_help_ok($t);
	program_version_ok($t);
	program_options_handling_ok($t);
}
command_checks_all([ 'ausdash-freshness', '--format=xml' ], 64, [], [qr/invalid value "xml" for option --format/],
	'an unknown format');
command_checks_all([ 'ausdash-freshness', '--warn-after=hourly=1h' ], 64, [],
	[qr/invalid value "hourly=1h" for option --warn-after/], 'an unknown cadence');
command_checks_all([ 'ausdash-runs', '--textfile-dir=/tmp' ], 64, [],
	[qr/--textfile-dir needs --format=prometheus/], '--textfile-dir without prometheus');

my $node = Ausdash::Test::Cluster->new('reports')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'schema migrated');
my $json = JSON::PP->new;

# A store with the key series at known dates.
sub obs
{
	my ($series, $region, $date, $value, %f) = @_;
	return { seriesId => $series, regionCode => $region, date => $date, value => $value, unit => 'u',
		sourceName => 'S', sourceUrl => 'u', publishedAt => '2026-01-01T00:00:00Z',
		ingestedAt => '2026-01-01T00:00:00Z', vintage => '2026-02-27', isModeled => JSON::PP::false,
		confidence => 'official', %f };
}
my $store = { version => 1, updatedAt => '2026-02-27T02:05:00Z', sourceCursors => [],
	sources => [ { sourceId => 'aemo_wholesale', domain => 'energy', name => 'AEMO', url => 'u', expectedCadence => '5m' },
		{ sourceId => 'abs_housing', domain => 'housing', name => 'ABS', url => 'u', expectedCadence => 'monthly|quarterly' } ],
	observations => [
		obs('energy.wholesale.rrp.au_weighted_aud_mwh', 'AU', '2026-02-27T02:00:00Z', 119),
		obs('energy.wholesale.rrp.au_weighted_aud_mwh', 'AU', '2026-02-27T01:55:00Z', 117),
		# same date, a later vintage wins (the dashboard's rule)
		obs('energy.retail.offer.annual_bill_aud.mean', 'AU', '2026-02-27', 1915, vintage => '2026-02-26'),
		obs('energy.retail.offer.annual_bill_aud.mean', 'AU', '2026-02-27', 1999, vintage => '2026-02-28'),
		obs('energy.cpi.electricity.index', 'AU', '2025-Q4', 151.2),
		obs('energy.cpi.electricity.index', 'VIC', '2026-Q1', 150),
		obs('prices.major_goods.overall.index', 'AU', '2026-02-26', 100),
		obs('hvi.value.index', 'NSW', 'not a date', 1) ],
	ingestionRuns => [
		{ runId => 'sync-energy-wholesale-5m-1', job => 'sync-energy-wholesale-5m', status => 'ok',
		  startedAt => '2026-02-27T02:00:00Z', finishedAt => '2026-02-27T02:00:01Z', rowsInserted => 1, rowsUpdated => 0 },
		{ runId => 'sync-housing-abs-daily-1', job => 'sync-housing-abs-daily', status => 'ok',
		  startedAt => '2026-02-20T02:00:00Z', finishedAt => '2026-02-20T02:00:01Z', rowsInserted => 1, rowsUpdated => 0 },
		{ runId => 'sync-housing-abs-daily-2', job => 'sync-housing-abs-daily', status => 'failed',
		  startedAt => '2026-02-26T02:00:00Z', finishedAt => '2026-02-26T02:00:01Z', rowsInserted => 0, rowsUpdated => 0 },
		{ runId => 'sync-housing-abs-daily-3', job => 'sync-housing-abs-daily', status => 'failed',
		  startedAt => '2026-02-27T02:00:00Z', finishedAt => '2026-02-27T02:00:01Z', rowsInserted => 0, rowsUpdated => 0 } ],
};
write_file("$TMP/store.json", JSON::PP->new->canonical->encode($store));
command_ok([ 'ausdash-backfill', '-q', "$TMP/store.json" ], 'the store backfilled');

# --- freshness: the dashboard's rules, the same on both sides --------------------------
my $at = '2026-02-27T02:15:00Z';
my %side;
for my $side ([ 'database', [] ], [ 'store', ["--store=$TMP/store.json"] ])
{
	my ($code, $out, $err) = run_command([ 'ausdash-freshness', '--format=json', "--at=$at", @{ $side->[1] } ]);
	my $j = eval { $json->decode($out) } // {};
	$side{ $side->[0] } = $j;
	is($code, 2, "$side->[0]: exit 2 (critical)") or diag($err);
	my %s = map { ($_->{series} => $_) } @{ $j->{series} };
	is($s{'energy.wholesale.rrp.au_weighted_aud_mwh'}{lag_minutes}, 15, "$side->[0]: wholesale lag 15 minutes");
	is($s{'energy.wholesale.rrp.au_weighted_aud_mwh'}{dashboard_status}, 'fresh', "$side->[0]: wholesale fresh (15 <= 20)");
	is($s{'energy.cpi.electricity.index'}{updated_at}, '2025-Q4', "$side->[0]: CPI's latest AU token");
	# 2025-Q4 is 2025-12-01 (the dashboard's quirk): 88 days and 2h15m before
	is($s{'energy.cpi.electricity.index'}{lag_minutes}, 88 * 1440 + 135, "$side->[0]: the quarter token read as the dashboard reads it");
	is($s{'energy.cpi.electricity.index'}{status}, 'critical', "$side->[0]: CPI critical (past 3 x 7 days)");
	is($s{'energy.retail.offer.annual_bill_aud.mean'}{lag_minutes}, 135, "$side->[0]: retail lag");
	is($s{'prices.au_made.all.index'}{updated_at}, '1970-01-01', "$side->[0]: a key series without data reads 1970-01-01");
	is($s{'prices.au_made.all.index'}{dashboard_status}, 'stale', "$side->[0]: and is stale");
	is(scalar(@{ $j->{series} }), 5, "$side->[0]: the five key series, AU");
}
is_deeply([ map { "$_->{series} $_->{updated_at} $_->{lag_minutes} $_->{dashboard_status}" } @{ $side{database}{series} } ],
	[ map { "$_->{series} $_->{updated_at} $_->{lag_minutes} $_->{dashboard_status}" } @{ $side{store}{series} } ],
	'the database and the store give the same freshness');

# a day after the seed's date: wholesale and CPI stale, as the dashboard shows
my ($code, $out) = run_command([ 'ausdash-freshness', '--format=json', '--at=2026-02-28T02:05:00Z' ]);
my %st = map { ($_->{series} => $_->{dashboard_status}) } @{ $json->decode($out)->{series} };
is_deeply([ @st{'energy.wholesale.rrp.au_weighted_aud_mwh', 'energy.cpi.electricity.index', 'energy.retail.offer.annual_bill_aud.mean'} ],
	[ 'stale', 'stale', 'fresh' ], 'a day later: wholesale and CPI stale, retail fresh (1565 <= 2880)');

# the latest by the dashboard's rule: for the same date, the later vintage
($code, $out) = run_command([ 'ausdash-freshness', '--format=json', "--at=$at", '--series=energy.cpi.electricity.index',
	'--series=hvi.value.index' ]);
my $j = $json->decode($out);
is_deeply([ map { "$_->{series}/$_->{region}=$_->{updated_at}" } @{ $j->{series} } ],
	[ 'energy.cpi.electricity.index/AU=2025-Q4', 'energy.cpi.electricity.index/VIC=2026-Q1', 'hvi.value.index/NSW=not a date' ],
	'--series: every region');
is($j->{series}[2]{lag_minutes}, undef, 'an unparsable date: infinite lag (null), as the dashboard');
is($j->{series}[2]{status}, 'critical', 'and critical');

# levels: warn-after and error-after per cadence
($code) = run_command([ 'ausdash-freshness', '--series=energy.wholesale.rrp.au_weighted_aud_mwh', "--at=$at" ]);
is($code, 0, 'wholesale 15 minutes old: OK');
($code) = run_command([ 'ausdash-freshness', '--series=energy.wholesale.rrp.au_weighted_aud_mwh', "--at=$at",
	'--warn-after=5m=10min' ]);
is($code, 1, '--warn-after=5m=10min: WARNING');
($code) = run_command([ 'ausdash-freshness', '--series=energy.wholesale.rrp.au_weighted_aud_mwh', "--at=$at",
	'--warn-after=5m=5min', '--error-after=5m=10min' ]);
is($code, 2, '--error-after=5m=10min: CRITICAL');

# sources: a daily job failing twice in a row is critical
my %jobs = map { ($_->{job} => $_) } @{ $side{database}{sources} };
is($jobs{'sync-housing-abs-daily'}{consecutive_failures}, 2, 'two failures since the last success');
is($jobs{'sync-housing-abs-daily'}{status}, 'critical', 'a daily job failing twice in a row: critical');
is($jobs{'sync-housing-abs-daily'}{source}, 'abs_housing', 'the job\'s source');
is_deeply([ map { "$_->{job} $_->{consecutive_failures} $_->{status}" } @{ $side{store}{sources} } ],
	[ map { "$_->{job} $_->{consecutive_failures} $_->{status}" } @{ $side{database}{sources} } ],
	'the store\'s runs judged the same');

# --- the formats ----------------------------------------------------------------------
($code, $out) = run_command([ 'ausdash-freshness', '--format=nagios', "--at=$at" ]);
like($out, qr/\AFRESHNESS CRITICAL - 2 of 5 series stale, \d+ of \d+ jobs late or failing: [^|;\n]+ \| series=5 stale=2 /,
	'nagios: one status line naming the worst, with perfdata');
my ($first, @long) = split /\n/, $out;
like($first, qr/failing: energy\.cpi\.electricity\.index AU quarterly, prices\.au_made\.all\.index AU daily, abs_housing sync-housing-abs-daily \|/,
	'nagios: the critical items named on the first line');
like($first, qr/ '\Qseries energy.cpi.electricity.index AU quarterly\E'=7611300s;604800;1814400;0;/,
	'nagios: perfdata per series, in s, with warn;crit;min');
like($first, qr/ '\Qsources abs_housing sync-housing-abs-daily\E'=\d+s;5356800;10713600;0;/,
	'nagios: perfdata per source, thresholds from its cadence');
ok(@long >= 2, 'nagios: long output, one line per item that is not OK');
like($_, qr/\A(?:WARNING|CRITICAL): (?:series|sources) \S/, "nagios long output: $_") for @long;
unlike($out, qr/\|.*\|/, 'nagios: one "|" only, before the perfdata');
($code, $out) = run_command([ 'ausdash-freshness', '--format=nagios', '--series=energy.wholesale.rrp.au_weighted_aud_mwh', "--at=$at" ]);
like($out, qr/\AFRESHNESS OK - /, 'nagios: OK');
($code, $out) = run_command([ 'ausdash-freshness', '--format=nagios', '--series=energy.wholesale.rrp.au_weighted_aud_mwh', "--at=$at",
	'--warn-after=5m=10min' ]);
like($out, qr/\AFRESHNESS WARNING - /, 'nagios: WARNING');
# dbt's sources.json: valid against the v3 schema, and read as dbt tooling reads it
{
	my ($c, $o, $e) = run_command([ 'ausdash-freshness', '--format=dbt', "--at=$at" ]);
	is($c, 2, 'dbt: the exit code is the report\'s') or diag($e);
	write_file("$TMP/sources.json", $o);
	my ($vc, $vo, $ve) = run_command([ 'python3', '-c',
		'import json, sys, jsonschema; jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))'
		  . '.validate(json.load(open(sys.argv[2])))',
		"$ROOT/tests/data/dbt/sources-v3.schema.json", "$TMP/sources.json" ]);
	is($vc, 0, 'dbt: sources.json validates against the v3 schema') or diag("$vo$ve");
	my %res = map { ($_->{unique_id} => $_) } @{ $json->decode($o)->{results} };
	my $cpi = $res{'source.ausdash.series.energy_cpi_electricity_index__AU'};
	ok($cpi, 'dbt: a result per series, its dots as underscores in the id') or diag(join ' ', sort keys %res);
	is($cpi->{status}, 'error', 'dbt: a critical series is an error');
	is($cpi->{adapter_response}{updated_at}, '2025-Q4', 'dbt: the date token, beside...');
	is($cpi->{max_loaded_at}, '2025-12-01T00:00:00.000Z', '... the instant it stands for');
	is($cpi->{max_loaded_at_time_ago_in_s}, 7611300, 'dbt: the age in seconds');
	is_deeply($cpi->{criteria}, { warn_after => { count => 7, period => 'day' },
		error_after => { count => 21, period => 'day' }, filter => undef }, 'dbt: the thresholds as criteria');
	my ($job) = grep { /^source\.ausdash\.jobs\.sync-housing-abs-daily$/ } keys %res;
	is($res{$job // ''}{status}, 'error', 'dbt: a job failing twice is an error too');
	my ($rc) = run_command([ 'ausdash-runs', '--format=dbt' ]);
	is($rc, 64, 'dbt is ausdash-freshness\'s format only');
}

# a monitoring plugin answers UNKNOWN, exit 3, on one line: for a bad option,
# a dead server, and a table locked past --timeout
for my $t ('ausdash-freshness', 'ausdash-runs', 'ausdash-parity')
{
	(my $name = uc $t) =~ s/^AUSDASH-//;
	my ($c, $o) = run_command([ $t, '--format=nagios', '--bogus' ]);
	is($c, 3, "$t --format=nagios --bogus: exit 3");
	like($o, qr/\A$name UNKNOWN - usage: unrecognized option '--bogus' \(see --help\)\n\z/, '... one UNKNOWN line');
	($c, $o) = run_command([ $t, '--format=nagios', '--timeout=2s', '-d', 'host=/nonexistent' ]);
	is($c, 3, "$t --format=nagios, no server: exit 3");
	like($o, qr/\A$name UNKNOWN - could not connect[^\n]*\n\z/, '... one UNKNOWN line');
}
{
	my $locker = IPC::Run::start([ 'psql', '-X', '-q', '-h', $node->host, '-p', $node->port, '-U', 'postgres',
		'-c', 'BEGIN; LOCK TABLE public.ingestion_runs, public.observations IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60);' ],
		'>', \my $lo, '2>', \my $le);
	ok(wait_for("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'public.ingestion_runs'::regclass "
		  . "AND mode = 'AccessExclusiveLock' AND granted)"), 'ingestion_runs locked');
	for my $t ([ 'ausdash-freshness' ], [ 'ausdash-runs' ], [ 'ausdash-parity', "--store=$TMP/store.json" ])
	{
		(my $name = uc $t->[0]) =~ s/^AUSDASH-//;
		my $t0 = time;
		my ($c, $o) = run_command([ @$t, '--format=nagios', '--timeout=1s' ], timeout => 30);
		my $took = time - $t0;
		is($c, 3, "$t->[0], table locked: exit 3");
		like($o, qr/\A$name UNKNOWN - [^\n]*(?:timeout|timed out)[^\n]*\n\z/, '... one UNKNOWN line saying it timed out');
		ok($took <= 5, "... within the timeout (took $took s)");
	}
	$locker->kill_kill;
	$node->psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' "
		  . "AND pid <> pg_backend_pid()");
}

for my $t ('ausdash-freshness', 'ausdash-runs')
{
	($code, $out) = run_command([ $t, '--format=nagios', '-d', 'host=/nonexistent' ]);
	is($code, 3, "$t: database down: exit 3 (UNKNOWN)");
	like($out, qr/\A[A-Z]+ UNKNOWN - could not connect to database: [^\n]*\n\z/, "$t: nagios: UNKNOWN on one line");
}
($code, $out) = run_command([ 'ausdash-freshness', '--format=json', '-d', 'host=/nonexistent' ]);
is($json->decode($out)->{status}, 'unknown', 'json: unknown, with the error');

($code, $out) = run_command([ 'ausdash-freshness', '--format=prometheus', "--at=$at" ]);
like($out, qr/^# HELP ausdash_freshness_lag_seconds .+\n# TYPE ausdash_freshness_lag_seconds gauge\n/m, 'prometheus: HELP and TYPE');
like($out, qr/^ausdash_freshness_lag_seconds\{series="energy\.wholesale\.rrp\.au_weighted_aud_mwh",region="AU",cadence="5m"\} 900$/m,
	'prometheus: lag in seconds, labelled');
like($out, qr/^ausdash_freshness_lag_seconds\{series="prices\.au_made\.all\.index",region="AU",cadence="daily"\} \d+$/m,
	'prometheus: the 1970 token is a number too');
like($out, qr/^ausdash_freshness_status 2$/m, 'prometheus: the report\'s status');
SKIP:
{
	my ($pc) = run_command([ 'sh', '-c', 'command -v promtool' ]);
	skip 'promtool is not installed (Debian package prometheus)', 2 if $pc != 0;
	for my $t ('ausdash-freshness', 'ausdash-runs')
	{
		my ($c2, $o2) = run_command([ $t, '--format=prometheus', "--at=$at" ]);
		my ($c3, $o3, $e3) = run_command([ 'promtool', 'check', 'metrics' ], stdin => $o2);
		is($c3, 0, "$t: promtool check metrics accepts the output") or diag("$o3$e3");
	}
}
mkdir("$TMP/textfile");
command_exit_is([ 'ausdash-freshness', '--format=prometheus', "--textfile-dir=$TMP/textfile", "--at=$at" ], 2,
	'--textfile-dir: exit as the report');
# (but for when each was written)
my ($file, $stdout) = (slurp_file("$TMP/textfile/ausdash_freshness.prom"), $out);
s/^(ausdash_report_generated_timestamp_seconds\S*) \S+$/$1 T/m for $file, $stdout;
is($file, $stdout, '--textfile-dir: ausdash_freshness.prom has the metrics');
is_deeply([ glob("$TMP/textfile/.*.prom*") ], [], '--textfile-dir: no temporary file left');
($code, $out) = run_command([ 'ausdash-freshness', "--at=$at" ]);
like($out, qr/^series\s+region\s+cadence\s+updated_at\s+lag_minutes.*status$/m, 'text: an aligned table');
like($out, qr/^FRESHNESS critical: 2 of 5 series stale/m, 'text: the summary line');

# --- the plan: the latest per region through the index, not a scan --------------------
$node->psql("INSERT INTO public.observations (series_id, region_code, date, value, unit, source_name, source_url, "
	  . "published_at, ingested_at, vintage, is_modeled, confidence) SELECT 'big.series', 'R' || (i % 8), "
	  . "'2020-01-01T00:00:00Z'::timestamptz + i * interval '5 minutes', i, 'u', 'S', 'u', now(), now(), 'v', "
	  . "false, 'official' FROM generate_series(1, 200000) i");
$node->psql('ANALYZE public.observations');
my $plan = $node->psql("EXPLAIN WITH RECURSIVE regions(r) AS (SELECT min(region_code) FROM public.observations "
	  . "WHERE series_id = 'big.series' UNION ALL SELECT (SELECT min(region_code) FROM public.observations "
	  . "WHERE series_id = 'big.series' AND region_code > regions.r) FROM regions WHERE r IS NOT NULL) "
	  . "SELECT r, l.date FROM regions, LATERAL (SELECT o.date FROM public.observations o WHERE "
	  . "o.series_id = 'big.series' AND o.region_code = regions.r ORDER BY o.date COLLATE \"C\" DESC, "
	  . "o.vintage COLLATE \"C\" DESC, o.published_at DESC, o.ingested_at DESC LIMIT 1) l WHERE r IS NOT NULL");
like($plan, qr/Index (Only )?Scan using observations_latest_idx/, 'freshness walks observations_latest_idx')
  or diag($plan);
unlike($plan, qr/Seq Scan on observations/, 'and does not scan the table');
($code, $out) = run_command([ 'ausdash-freshness', '--format=json', '--series=big.series' ]);
is(scalar(@{ $json->decode($out)->{series} }), 8, 'the 8 regions of a 200,000-row series');
$node->psql("DELETE FROM public.observations WHERE series_id = 'big.series'");

# --- runs --------------------------------------------------------------------------------
($code, $out) = run_command([ 'ausdash-runs', '--format=json', '--at=2026-02-27T03:00:00Z' ]);
$j = $json->decode($out);
my %r = map { ($_->{job} => $_) } @{ $j->{jobs} };
is_deeply([ @{ $r{'sync-housing-abs-daily'} }{qw(consecutive_failures last_status status)} ], [ 2, 'failed', 'critical' ],
	'runs: two consecutive failures: critical');
is($code, 2, 'runs: exit 2');
is($r{'sync-energy-wholesale-5m'}{status}, 'ok', 'runs: a healthy job');
is($r{'sync-energy-wholesale-5m'}{rows_inserted}, 1, 'runs: rows in the window');

# one failure: warning
my $bad = "SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND\n2026-03-01T00:00:00Z,NSW1,x,1\n";
run_command([ 'ausdash-ingest', '--source=aemo_wholesale', '-' ], stdin => $bad);
($code, $out) = run_command([ 'ausdash-runs', '--format=json' ]);
%r = map { ($_->{job} => $_) } @{ $json->decode($out)->{jobs} };
is_deeply([ @{ $r{'sync-energy-wholesale-5m'} }{qw(consecutive_failures status)} ], [ 1, 'warning' ], 'runs: one failure: warning');

# a running run holding its lock (held in its transaction by a table lock), then killed
my $blocker = IPC::Run::start([ 'psql', '-X', '-q', '-h', $node->host, '-p', $node->port, '-U', 'postgres',
	'-c', 'BEGIN; LOCK TABLE public.source_cursors; SELECT pg_sleep(30); COMMIT;' ], '>', \my $bo, '2>', \my $be);
sub wait_for { my ($sql) = @_; for (1 .. 200) { return 1 if $node->psql($sql) eq 't'; sleep 0.05 } return 0 }
ok(wait_for("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'public.source_cursors'::regclass AND granted)"),
	'source_cursors locked');
write_file("$TMP/rba.csv", "date,oo_variable_pct,oo_fixed_pct\n2026-01-31,6,5\n");
my $ingest = IPC::Run::start([ 'ausdash-ingest', '--source=rba_rates', "$TMP/rba.csv" ], '>', \my $io, '2>', \my $ie);
ok(wait_for("SELECT EXISTS (SELECT 1 FROM public.ingestion_runs WHERE job = 'sync-housing-rba-daily' AND status = 'running')"
	  . " AND EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock')"), 'an ingest is running, holding its lock');
($code, $out) = run_command([ 'ausdash-runs', '--format=json' ]);
%r = map { ($_->{job} => $_) } @{ $json->decode($out)->{jobs} };
is_deeply([ @{ $r{'sync-housing-rba-daily'} }{qw(running abandoned status)} ], [ 1, 0, 'ok' ], 'runs: a live run is running, not abandoned');
($code, $out) = run_command([ 'ausdash-runs', '--format=json', '--max-running=1min', '--at=2099-01-01T00:00:00Z' ]);
%r = map { ($_->{job} => $_) } @{ $json->decode($out)->{jobs} };
is($r{'sync-housing-rba-daily'}{status}, 'warning', 'runs: a run longer than --max-running: warning');
$ingest->signal('KILL');
$ingest->finish;
# the server notices the dead client once its wait ends
$node->psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' "
	  . "AND pid <> pg_backend_pid()");
ok(wait_for("SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'ausdash-ingest')"),
	'the killed ingest\'s session is gone');
($code, $out) = run_command([ 'ausdash-runs', '--format=json' ]);
%r = map { ($_->{job} => $_) } @{ $json->decode($out)->{jobs} };
is_deeply([ @{ $r{'sync-housing-rba-daily'} }{qw(running abandoned status)} ], [ 0, 1, 'warning' ],
	'runs: a running row whose lock is gone is abandoned: warning');
# the two reports share one rule (sql/rules.sql)
($code, $out) = run_command([ 'ausdash-freshness', '--format=json', '--all' ]);
my ($rba) = grep { $_->{job} eq 'sync-housing-rba-daily' } @{ $json->decode($out)->{sources} // [] };
is_deeply([ $rba && @{$rba}{qw(abandoned consecutive_failures)} ], [ 1, 1 ],
	'freshness: the same row is abandoned, and a failure, there too');
$blocker->kill_kill;

# -v: one line per query with its time, on stderr; nothing without it
{
	my ($c, $o, $e) = run_command([ 'ausdash-runs', '-v', '--format=json' ]);
	like($e, qr/^ausdash-runs: info: query runs\/jobs: \d+\.\d{3} ms, \d+ row\(s\)$/m, 'runs -v: the query and its time');
	like($e, qr/query session\/no_jit: /, 'runs: JIT off for its short statements');
	($c, $o, $e) = run_command([ 'ausdash-freshness', '-v', '--format=json' ]);
	like($e, qr/query freshness\/jobs: \d+\.\d{3} ms/, 'freshness -v: the jobs query and its time');
	like($e, qr/query freshness\/series_latest: \d+\.\d{3} ms/, '... and each series query');
	($c, $o, $e) = run_command([ 'ausdash-runs', '--format=json' ]);
	unlike($e, qr/query /, 'without -v, no query lines');
}

# a crash loop is not healthy: four abandoned runs in a row are four failures
$node->psql("INSERT INTO public.ingestion_runs (run_id, job, status, started_at, finished_at, source_id) "
	  . "SELECT 'crash-' || i, 'sync-crash-loop', CASE WHEN i = 0 THEN 'ok' ELSE 'abandoned' END, "
	  . "now() - (10 - i) * interval '5 minutes', now() - (10 - i) * interval '5 minutes' + interval '1 second', "
	  . "'aemo_wholesale' FROM generate_series(0, 4) i");
($code, $out) = run_command([ 'ausdash-runs', '--format=json' ]);
%r = map { ($_->{job} => $_) } @{ $json->decode($out)->{jobs} };
is_deeply([ @{ $r{'sync-crash-loop'} }{qw(consecutive_failures abandoned status)} ], [ 4, 4, 'critical' ],
	'runs: four crashes in a row are four consecutive failures: critical');
($code, $out) = run_command([ 'ausdash-freshness', '--format=json', '--all' ]);
my ($crash) = grep { $_->{job} eq 'sync-crash-loop' } @{ $json->decode($out)->{sources} // [] };
is($crash && $crash->{consecutive_failures}, 4, 'freshness counts them the same way');

done_testing();
