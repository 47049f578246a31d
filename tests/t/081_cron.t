# tests/t/081_cron.t - every command of cron/crontab, run against a
# throwaway cluster with local files (file:// URLs) standing in for the
# feeds: silent on success; and the wrapper's failures, with their exit
# codes and messages.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use IO::Compress::Zip qw(zip $ZipError);
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
write_file("$TMP/cron.env", join('', map { "AUSDASH_URL_$_=$urls{$_}\n" } sort keys %urls)
	  . "AUSDASH_TEXTFILE_DIR=$TMP/textfile\nAUS_DASH_STORE_PATH=$TMP/store.json\n");
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
($code, $out, $err) = run_command([ 'ausdash-cron', 'ingest', 'rba_rates', 'rba-table' ]);
is($code, 65, 'a payload of the wrong shape: ausdash-ingest\'s bad-input status');
like($err, qr/ausdash-ingest: error: "-"/, 'with ausdash-ingest\'s message');
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

done_testing();
