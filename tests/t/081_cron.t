# tests/t/081_cron.t - every command of cron/crontab, run against a
# throwaway cluster with local files (file:// URLs) standing in for the
# feeds: silent on success; and the wrapper's failures, with their exit
# codes and messages.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use IO::Compress::Zip qw(zip $ZipError);
use IPC::Run ();
use Test::More;

my $node = Ausdash::Test::Cluster->new('cron')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'schema migrated');
$ENV{PATH} = "$ROOT/cron:$ENV{PATH}";

my $feeds = "$ROOT/tests/data/feeds";
zip("$feeds/dispatchis.CSV" => "$TMP/dispatchis.zip", Name => 'PUBLIC_DISPATCHIS_202602271205.CSV')
  or die "zip: $ZipError";
mkdir "$TMP/textfile";
my %urls = (AEMO_WHOLESALE => "file://$TMP/dispatchis.zip", AER_PRD => "file://$feeds/aer-prd.json",
	RBA_RATES => "file://$feeds/rba-f6.csv", ABS_HOUSING => "file://$feeds/abs-housing.json",
	ABS_CPI => "file://$feeds/abs-cpi.json");
write_file("$TMP/store.json", '{"version":1,"updatedAt":"2026-01-01T00:00:00Z","observations":[],"sources":[],'
	  . '"sourceCursors":[],"ingestionRuns":[]}');
command_ok([ 'ausdash-backfill', '-q', "$TMP/store.json" ], 'an empty store backfilled (for the parity entry)');
my $q = "$TMP/quarantine";
mkdir "$TMP/lock";
write_file("$TMP/cron.env", join('', map { "AUSDASH_URL_$_=$urls{$_}\n" } sort keys %urls)
	  . "AUSDASH_TEXTFILE_DIR=$TMP/textfile\nAUS_DASH_STORE_PATH=$TMP/store.json\n"
	  . "AUSDASH_QUARANTINE_DIR=$q\nAUSDASH_LOCK_DIR=$TMP/lock\n");
$ENV{AUSDASH_CRON_CONF} = "$TMP/cron.env";

# --- every entry, as cron would run it -------------------------------------------
my @entries;
for (split /\n/, slurp_file("$ROOT/cron/crontab"))
{
	next if /^\s*(#|$)/ || /^\w+=/;
	my @f = split ' ', $_, 7;
	is(scalar(@f), 7, "crontab line has a schedule, a user and a command: $_");
	push @entries, $f[6];
}
ok(scalar(@entries) >= 9, 'the crontab has the feeds and the reports');
for my $cmd (@entries)
{
	my ($code, $out, $err) = run_command([ 'bash', '-c', $cmd ]);
	is($code, 0, "cron: $cmd: exit 0") or diag($err);
	is("$out$err", '', "cron: $cmd: silent on success");
}
is($node->psql("SELECT string_agg(DISTINCT job, ' ' ORDER BY job) FROM public.ingestion_runs "
	  . "WHERE job LIKE 'sync-%' AND status = 'ok'"),
	'sync-energy-benchmark-dmo-daily sync-energy-retail-prd-hourly sync-energy-wholesale-5m '
	  . 'sync-housing-abs-daily sync-housing-rba-daily sync-macro-abs-cpi-daily',
	'every feed entry ran its job');
is($node->psql("SELECT count(*) FROM public.observations WHERE series_id = 'energy.wholesale.rrp.region_aud_mwh' "
	  . "AND date = '2026-02-27T02:05:00Z'"), 2, 'the zipped MMS file was unzipped and loaded');
for my $r (qw(freshness runs parity))
{
	like(slurp_file("$TMP/textfile/ausdash_$r.prom"), qr/^ausdash_${r}_status [0-2]$/m,
		"the $r report is in the textfile directory");
}

# --- failures say so, with meaningful exit codes -----------------------------------------
my ($code, $out, $err) = run_command([ 'ausdash-cron', 'ingest', 'aer_prd' ]);
is($code, 0, 'the same payload again: a skipped duplicate, exit 0 and silent');
is("$out$err", '', 'and silent');
write_file("$TMP/cron.env", slurp_file("$TMP/cron.env") . "AUSDASH_URL_ABS_CPI=file://$TMP/missing.json\n"
	  . "AUSDASH_URL_RBA_RATES=file://$feeds/wholesale.csv\nAUSDASH_URL_AER_PRD=file://$TMP/dispatchis.zip\n");
($code, $out, $err) = run_command([ 'ausdash-cron', 'ingest', 'abs_cpi' ]);
is($code, 137, 'a feed that cannot be fetched: 100 + curl\'s exit status (37)');
like($err, qr/could not fetch file:\/\/.*missing\.json for abs_cpi \(curl exit 37\); nothing ingested/,
	'and says so');
# credentials in a feed URL stay out of the message (it goes to cron mail)
write_file("$TMP/cron.env", slurp_file("$TMP/cron.env")
	  . "AUSDASH_URL_EIA_ELECTRICITY='http://user:PW\@127.0.0.1:1/x.json?api_key=SECRET&series=1&token=T0K'\n");
($code, $out, $err) = run_command([ 'ausdash-cron', 'ingest', 'eia_electricity' ]);
ok($code > 100, 'a feed behind credentials that cannot be fetched: 100 + curl\'s status');
like($err, qr{could not fetch http://\*\*\*\@127\.0\.0\.1:1/x\.json\?api_key=\*\*\*&series=1&token=\*\*\* for eia_electricity},
	'the URL is shown without its user, password, key or token');
unlike($err, qr/PW|SECRET|T0K/, 'no credential in the message');
is_deeply([ glob("$q/*") ], [], 'nothing left in the quarantine directory so far');
($code, $out, $err) = run_command([ 'ausdash-cron', 'ingest', 'rba_rates', 'rba-table' ]);
is($code, 65, 'a payload of the wrong shape: ausdash-ingest\'s bad-input status');
my ($kept) = $err =~ /the payload of rba_rates is kept in (\S+) \(ausdash-ingest exit 65; its messages in \1\.err\)/;
ok(defined $kept, 'the wrapper names the kept payload') or diag($err);
$kept //= '';
like($err, qr/ausdash-ingest: error: "\Q$kept\E"/, 'ausdash-ingest\'s message names that file, not "-"');
like($kept, qr{^\Q$q\E/rba_rates-\d{8}T\d{6}Z-\d+\.csv$}, 'kept in the quarantine directory, named by source and time');
is(slurp_file($kept), slurp_file("$feeds/wholesale.csv"), 'the payload byte for byte');
like(slurp_file("$kept.err"), qr/ausdash-ingest: error: "\Q$kept\E"/, 'with its error beside it');
diag("a rejected payload, as cron mails it:\n$err") if $ENV{AUSDASH_SHOW};
write_file("$TMP/bad.zip", "PK\x03\x04 not really a zip");
write_file("$TMP/cron.env", slurp_file("$TMP/cron.env") . "AUSDASH_URL_ABS_HOUSING=file://$TMP/bad.zip\n");
($code, $out, $err) = run_command([ 'ausdash-cron', 'ingest', 'abs_housing' ]);
is($code, 109, 'a broken zip: exit 109');
like($err, qr/is not a valid zip/, 'a broken zip: said so');
($code, $out, $err) = run_command([ 'ausdash-cron', 'ingest', 'no_such_source' ]);
is($code, 64, 'a source without a URL: exit 64');
like($err, qr/no URL for source no_such_source: set AUSDASH_URL_NO_SUCH_SOURCE/, 'and which variable to set');
($code) = run_command([ 'ausdash-cron', 'report', 'runs' ], );
is($code, 0, 'a report that found something still exits 0 (Prometheus alerts on the metrics)');
{
	local $ENV{PGHOST} = '/nonexistent';
	($code, $out, $err) = run_command([ 'ausdash-cron', 'report', 'freshness' ]);
	is($code, 3, 'a report that cannot be made: exit 3');
	like($err, qr/the freshness report could not be made \(exit 3\)/, 'and says so');
}
($code) = run_command([ 'ausdash-cron', 'fetch' ]);
is($code, 64, 'usage: exit 64');
is(scalar(() = glob("$q/*")), 2, 'only the rejected payload and its error were kept')
  or diag(join "\n", glob("$q/*"));

# --- the lock is taken before the download ---------------------------------------
my $holder = IPC::Run::start([ 'flock', "$TMP/lock/ausdash-ingest-abs_cpi.lock", 'sleep', '20' ]);
sleep 1;
write_file("$TMP/cron.env", slurp_file("$TMP/cron.env") . "AUSDASH_LOCK_WAIT=1\n");
($code, $out, $err) = run_command([ 'ausdash-cron', 'ingest', 'abs_cpi' ]);
is($code, 75, 'the source\'s lock held: exit 75 (not 137: the missing feed was not fetched)');
like($err, qr/another run of source abs_cpi held its lock for 1s; nothing fetched/, 'and says so');
$holder->kill_kill;

# --- reports: one at a time, and bounded ------------------------------------------
mkdir "$TMP/slow";
write_file("$TMP/slow/ausdash-freshness", "#!/bin/sh\nsleep 30\n");
chmod 0755, "$TMP/slow/ausdash-freshness";
{
	local $ENV{PATH} = "$TMP/slow:$ENV{PATH}";
	local $ENV{AUSDASH_REPORT_TIMEOUT} = 2;
	my $first = IPC::Run::start([ 'ausdash-cron', 'report', 'freshness' ], '>', \my $o1, '2>', \my $e1);
	sleep 1;
	($code, $out, $err) = run_command([ 'ausdash-cron', 'report', 'freshness' ]);
	is($code, 75, 'a report while the previous one still runs: exit 75');
	like($err, qr/the previous freshness report is still running; this one is skipped/, 'and says so');
	$first->finish;
	is($first->result, 3, 'a report that outlives AUSDASH_REPORT_TIMEOUT: stopped, exit 3');
	like($e1, qr/the freshness report did not finish within 2s and was stopped/, 'and says so');
}

# --- settings are read, not run ----------------------------------------------------
my $sock = $node->host;
my $port = $node->port;
for my $case (
	[ "DATABASE_URL=postgresql:///postgres?host=$sock&port=$port\n", 78,
		qr/:1: unquoted '&' in the value of DATABASE_URL; put the value in single quotes/ ],
	[ "AUSDASH_TEXTFILE_DIR=$TMP/textfile; rm -rf /\n", 78, qr/:1: unquoted ';' in the value of AUSDASH_TEXTFILE_DIR/ ],
	[ "AUSDASH_TEXTFILE_DIR=\$HOME/x\n", 78, qr/unquoted '\$'/ ],
	[ "AUSDASH_TEXTFILE_DIR=\"\$(id)\"\n", 78, qr/\$, ` or \\ in the double-quoted value of AUSDASH_TEXTFILE_DIR/ ],
	[ "AUSDASH_TEXTFILE_DIR='unclosed\n", 78, qr/the quoted value of AUSDASH_TEXTFILE_DIR is not closed/ ],
	[ "AUSDASH_TEXTFILE_DIR='/x'#y\n", 78, qr/the quoted value of AUSDASH_TEXTFILE_DIR is not closed \(or has text after the quote\)/ ],
	[ "AUSDASH_TEXTFILE_DRI=/x\n", 78, qr/:1: unknown setting "AUSDASH_TEXTFILE_DRI"/ ],
	[ "just words\n", 78, qr/:1: not a NAME=VALUE line/ ],
	[ "# a comment\n\nexport AUSDASH_TEXTFILE_DIR='$TMP/textfile'  \nPGHOST=\"$sock\" # trailing\n", 0, qr/^$/ ])
{
	write_file("$TMP/check.env", $case->[0]);
	($code, $out, $err) = run_command([ 'ausdash-cron', "--conf=$TMP/check.env", 'check-conf' ]);
	(my $shown = $case->[0]) =~ s/\n/\\n/g;
	is($code, $case->[1], "settings \"$shown\": exit $case->[1]");
	like($err, $case->[2], '... and the message') or diag($err);
}
# a URL with & and ? in single quotes reaches the tool whole
{
	local $ENV{PGHOST} = '/nonexistent';
	write_file("$TMP/url.env", "DATABASE_URL='postgresql:///postgres?host=$sock&port=$port&user=postgres'\n"
		  . "AUSDASH_TEXTFILE_DIR=$TMP/textfile\nAUSDASH_LOCK_DIR=$TMP/lock\n");
	($code, $out, $err) = run_command([ 'ausdash-cron', "--conf=$TMP/url.env", 'report', 'runs' ]);
	is($code, 0, 'DATABASE_URL with & in single quotes: the report connects') or diag($err);
	local $ENV{AUSDASH_CRON_CONF} = "$TMP/missing.env";
	($code, $out, $err) = run_command([ 'ausdash-cron', 'report', 'runs' ]);
	is($code, 78, 'a named settings file that does not exist: exit 78');
	like($err, qr/settings file "\Q$TMP\E\/missing\.env" does not exist/, '... naming it');
}

# --- --help, --version and the manual ----------------------------------------------
($code, $out, $err) = run_command([ 'ausdash-cron', '--help' ]);
is($code, 0, 'ausdash-cron --help: exit 0');
like($out, qr/^Usage:\n  ausdash-cron \[--conf=FILE\] ingest SOURCE_ID \[FORMAT\]$/m, '... with the usage');
is(scalar(grep { length > 80 } split /\n/, $out), 0, '... within 80 columns');
($code, $out) = run_command([ 'ausdash-cron', '-V' ]);
like($out, qr/^ausdash-cron \(ausdash\) \S+$/, 'ausdash-cron -V');
($code, $out, $err) = run_command([ 'ausdash-cron', '--bogus', 'report', 'runs' ]);
is($code, 64, 'a bad option: exit 64');
like($err, qr/Try "ausdash-cron --help"/, '... with the hint');
ok(-f "$ROOT/docs/man/ausdash-cron.8", 'ausdash-cron(8) exists');
my $man = slurp_file("$ROOT/docs/man/ausdash-cron.8");
for my $setting (slurp_file("$ROOT/cron/ausdash-cron") =~ /\b(AUSDASH_(?!URL_)[A-Z_]+|AUS_DASH_[A-Z_]+)\b/g)
{
	like($man, qr/\Q$setting\E/, "ausdash-cron(8) documents $setting");
}

done_testing();
