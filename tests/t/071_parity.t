# tests/t/071_parity.t - ausdash-parity: no drift after a backfill, then
# each kind of difference detected with its key (or, for the same instant
# written another way, not detected).
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use JSON::PP ();
use Test::More;

my $tool = 'ausdash-parity';
program_help_ok($tool);
program_version_ok($tool);
program_options_handling_ok($tool);

my $node = Ausdash::Test::Cluster->new('parity')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'schema migrated');
my $json = JSON::PP->new;

sub reset_db
{
	# (CASCADE: the dashboard's price warehouse, migration 0008, refers to them)
	$node->psql('TRUNCATE public.observations, public.raw_snapshots, public.source_cursors, '
		  . 'public.price_intake_batches, public.unresolved_price_items, public.store_meta CASCADE');
	$node->psql('DELETE FROM public.ingestion_runs');
}

sub parity
{
	my (@args) = @_;
	my ($code, $out, $err) = run_command([ $tool, '--format=json', @args ]);
	my $j = eval { $json->decode($out) } // {};
	diag($err) if $code == 3;
	return ($code, $j);
}

sub diffs
{
	my ($j) = @_;
	return [ sort map { "$_->{entity} $_->{key} $_->{diff}" } @{ $j->{diffs} // [] } ];
}

# --- every real store: no drift after its backfill ---------------------------------------
SKIP:
{
	my $dir = shared_dir('data/aus-dash');
	skip '../shared/data/aus-dash is absent: no real stores', 1 unless $dir;
	for my $rel ('data/live-store.json', 'history/cd2e0e5/apps/api/data/live-store.json',
		'history/c40efbd/apps/ingest/data/live-store.json', 'history/f8ac5e8/apps/ingest/data/live-store.json')
	{
		reset_db();
		command_ok([ 'ausdash-backfill', '-q', "$dir/$rel" ], "$rel: backfilled");
		my ($code, $j) = parity("--store=$dir/$rel");
		is($code, 0, "$rel: in parity, exit 0");
		is_deeply(diffs($j), [], "$rel: no differing keys");
	}
}

# --- our own store, changed one way at a time ------------------------------------------------
sub obs
{
	my ($series, $region, $date, $value, %f) = @_;
	return { seriesId => $series, regionCode => $region, date => $date, value => $value, unit => 'u',
		sourceName => 'S', sourceUrl => 'u', publishedAt => '2026-01-01T00:00:00Z',
		ingestedAt => '2026-01-01T00:00:00Z', vintage => '2026-02-27', isModeled => JSON::PP::false,
		confidence => 'official', %f };
}
my $store = { version => 1, updatedAt => '2026-02-27T02:05:00Z', sources => [], sourceCursors => [],
	ingestionRuns => [],
	observations => [ map { obs('hvi.value.index', $_, '2025-12-31', 100 + length($_)) } qw(AU NSW VIC) ],
	rawSnapshots => [ { snapshotId => 's-1', sourceId => 'x', capturedAt => '2026-01-01T00:00:00Z',
		contentType => 'text/csv', payload => 'a,b',
		checksumSha256 => '0b7e5b9c4b9e8a1e0bd3a5b3f4d2c1e9b8a7f6e5d4c3b2a1908f7e6d5c4b3a29' } ] };
# the checksum must be the payload's
use Digest::SHA ();
$store->{rawSnapshots}[0]{checksumSha256} = Digest::SHA::sha256_hex('a,b');
my $text = JSON::PP->new->canonical->encode($store);
write_file("$TMP/s.json", $text);
reset_db();
command_ok([ 'ausdash-backfill', '-q', "$TMP/s.json" ], 'our store backfilled');
my ($code, $j) = parity("--store=$TMP/s.json");
is($code, 0, 'our store: in parity');

# the same instant written another way: no drift
(my $other = $text) =~ s/"publishedAt":"2026-01-01T00:00:00Z"/"publishedAt":"2026-01-01T10:00:00.000+10:00"/g;
write_file("$TMP/other.json", $other);
($code, $j) = parity("--store=$TMP/other.json");
is($code, 0, 'timestamps in another textual form (same instants): no drift');
(my $num = $text) =~ s/"value":102/"value":102.000/;
write_file("$TMP/num.json", $num);
($code, $j) = parity("--store=$TMP/num.json");
is($code, 0, 'a number written as 102.000: no drift (exact decimals)');

# a row deleted from the database
$node->psql("DELETE FROM public.observations WHERE region_code = 'NSW'");
($code, $j) = parity("--store=$TMP/s.json");
is($code, 2, 'a deleted row: exit 2');
is_deeply(diffs($j), ['observations hvi.value.index|NSW|2025-12-31|2026-02-27 exclusive_store'],
	'a deleted row: the key, only in the store');
my %e = map { ($_->{entity} => $_) } @{ $j->{entities} };
is_deeply([ @{ $e{observations} }{qw(store database exclusive_store unchanged)} ], [ 3, 2, 1, 2 ],
	'counts in the data-diff vocabulary');
is(scalar(grep { $_->{region} eq 'NSW' } @{ $j->{latest} }), 1, 'the latest point of NSW differs too');
reset_db();
command_ok([ 'ausdash-backfill', '-q', "$TMP/s.json" ], 'restored');

# a changed value
$node->psql("UPDATE public.observations SET value = 999 WHERE region_code = 'VIC'");
($code, $j) = parity("--store=$TMP/s.json");
is($code, 2, 'a changed value: exit 2');
is_deeply(diffs($j), ['observations hvi.value.index|VIC|2025-12-31|2026-02-27 updated'], 'a changed value: the key, updated');
($code, $j) = parity("--store=$TMP/s.json", '--warn-max=5');
is($code, 1, '--warn-max=5: two differences (key and latest point) are a warning');
$node->psql("UPDATE public.observations SET value = 103 WHERE region_code = 'VIC'");

# an extra row in the database
$node->psql("INSERT INTO public.observations (series_id, region_code, date, value, unit, source_name, source_url, "
	  . "published_at, ingested_at, vintage, is_modeled, confidence) VALUES ('hvi.value.index', 'SA', '2025-12-31', 1, "
	  . "'u', 'S', 'u', now(), now(), '2026-02-27', false, 'official')");
($code, $j) = parity("--store=$TMP/s.json");
is($code, 2, 'an extra row: exit 2');
is_deeply(diffs($j), ['observations hvi.value.index|SA|2025-12-31|2026-02-27 exclusive_database'],
	'an extra row: the key, only in the database');
$node->psql("DELETE FROM public.observations WHERE region_code = 'SA'");

# a changed snapshot payload
$node->psql("UPDATE public.raw_snapshots SET payload = 'a,c'");
($code, $j) = parity("--store=$TMP/s.json");
is($code, 2, 'a changed snapshot payload: exit 2');
is_deeply(diffs($j), ['rawSnapshots s-1 updated'], 'a changed snapshot payload: the snapshot, updated');
$node->psql("UPDATE public.raw_snapshots SET payload = 'a,b'");
($code, $j) = parity("--store=$TMP/s.json");
is($code, 0, 'all put back: in parity again');

# --max-diffs caps the list, not the count
$node->psql("UPDATE public.observations SET value = value + 1");
($code, $j) = parity("--store=$TMP/s.json", '--max-diffs=1');
is(scalar(@{ $j->{diffs} }), 1, '--max-diffs=1: one key listed');
like($j->{summary}, qr/6 difference\(s\), 1 keys listed \(--max-diffs\)/, 'and all counted');

# formats
($code, my $out) = run_command([ $tool, "--store=$TMP/s.json", '--format=nagios' ]);
like($out, qr/\APARITY CRITICAL - [^\n|]*: [^\n|]+ \| differences=6 '[^\n]+\n(?:(?:WARNING|CRITICAL): [^\n]+\n)+\z/,
	'nagios: one status line naming the worst, with perfdata, then each difference on a line of its own');
like($out, qr/'entities observations'=3;;;0;/, 'nagios: perfdata per entity');
like($out, qr/\nWARNING: diffs entity=observations key=hvi\.value\.index\/AU\/2025-12-31\/2026-02-27 diff=updated\n/,
	'nagios long output: a differing key');
SKIP:
{
	my ($pc) = run_command([ 'sh', '-c', 'command -v promtool' ]);
	skip 'promtool is not installed', 1 if $pc != 0;
	($code, $out) = run_command([ $tool, "--store=$TMP/s.json", '--format=prometheus' ]);
	my ($c3, $o3, $e3) = run_command([ 'promtool', 'check', 'metrics' ], stdin => $out);
	is($c3, 0, 'prometheus: promtool check metrics accepts it') or diag("$o3$e3");
}
($code, $out) = run_command([ $tool, "--store=$TMP/none.json", '--format=nagios' ]);
is($code, 3, 'a missing store: UNKNOWN');
like($out, qr/\APARITY UNKNOWN - could not open store/, 'a missing store: said so');

# the database's segments are digested while the store is read: a failure
# there (no right to read observations) is UNKNOWN with the server's words
$node->psql('CREATE ROLE parity_blind LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO parity_blind; '
	  . 'REVOKE SELECT ON public.observations FROM parity_blind');
{
	local $ENV{PGUSER} = 'parity_blind';
	my $err;
	($code, $out, $err) = run_command([ $tool, "--store=$TMP/s.json", '--format=nagios' ]);
	is($code, 3, 'segments query refused: UNKNOWN');
	like($out, qr/\APARITY UNKNOWN - query failed: permission denied for table observations/,
		'segments query refused: said so');
	like($err, qr/Query was: SELECT t.series_id/, '... and which query');
}

done_testing();
