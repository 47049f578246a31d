# tests/t/060_export.t - ausdash-export: the store's exact shape, atomic
# writes, and the lossless round trip store -> database -> store.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use Digest::SHA ();
use Encode ();
use Fcntl qw(:flock);
use JSON::PP ();
use Math::BigFloat;
use Test::More;
use Time::HiRes qw(time);
use Time::Local qw(timegm);

my $tool = 'ausdash-export';
program_help_ok($tool);
program_version_ok($tool);
program_options_handling_ok($tool);

my $node = Ausdash::Test::Cluster->new('export')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'schema migrated');
my $json = JSON::PP->new->allow_bignum;

# the dashboard's canonical catalog, seeded by migration 0004
my %catalog = map { $_ => 1 } split /,/,
  $node->psql("SELECT string_agg(source_id, ',' ORDER BY source_id) FROM public.sources");

sub reset_db
{
	# (CASCADE: the dashboard's price warehouse, migration 0008, refers to them)
	$node->psql('TRUNCATE public.observations, public.raw_snapshots, public.source_cursors, '
		  . 'public.price_intake_batches, public.unresolved_price_items, public.store_meta CASCADE');
	$node->psql('DELETE FROM public.ingestion_runs');
	$node->psql("DELETE FROM public.sources WHERE source_id NOT IN ('"
		  . join("','", sort keys %catalog) . "')");
}

# The natural key and the timestamp fields of each array.
my %key = (observations => [qw(seriesId regionCode date vintage)], rawSnapshots => ['snapshotId'],
	sources => ['sourceId'], sourceCursors => ['sourceId'], ingestionRuns => ['runId'],
	priceIntakeBatches => ['batchId'], unresolvedPriceItems => ['unresolvedItemId']);
my %ts = map { $_ => 1 } qw(publishedAt ingestedAt intervalStartUtc intervalEndUtc capturedAt
  updatedAt startedAt finishedAt createdAt observedAt reconciledAt promotedAt);

sub instant
{
	my ($t) = @_;
	my ($y, $mo, $d, $h, $mi, $s, $f, $z) =
	  $t =~ /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?)?(Z|[+-]\d\d:?\d\d)?$/
	  or return "bad:$t";
	my $ms = timegm($s // 0, $mi // 0, $h // 0, $d, $mo - 1, $y) * 1000 + substr(($f // '') . '000', 0, 3);
	if ($z && $z ne 'Z')
	{
		my ($sign, $oh, $om) = $z =~ /^([+-])(\d\d):?(\d\d)$/;
		$ms -= ($sign eq '+' ? 1 : -1) * ($oh * 60 + $om) * 60000;
	}
	return $ms;
}

# Two values of one field equal by the store's rules: numbers as exact
# decimals, timestamps as instants, everything else as JSON.
my %num = map { $_ => 1 } qw(value rowsInserted rowsUpdated attempt itemCount priceAmount
  unitPriceAmount normalizedQuantity anotherNew version);
my $canon = JSON::PP->new->canonical->allow_bignum;

sub same
{
	my ($name, $a, $b) = @_;
	return 0 if defined $a != defined $b;
	return 1 unless defined $a;
	if ($num{$name})
	{
		return Math::BigFloat->new("$a")->bcmp(Math::BigFloat->new("$b")) == 0
		  if ref $a || ref $b;
		return sprintf('%.17g', $a) eq sprintf('%.17g', $b);
	}
	return instant($a) == instant($b) if $ts{$name};
	return $canon->encode([$a]) eq $canon->encode([$b]);
}

# S and S' equal: arrays as sets keyed by their natural keys; sources of
# S' may add the dashboard's canonical catalog (migration 0004).
sub store_diff
{
	my ($s, $t) = @_;
	my @diff;
	push @diff, 'version' unless $s->{version} == $t->{version};
	push @diff, 'updatedAt' unless instant($s->{updatedAt}) == instant($t->{updatedAt});
	for my $arr (sort keys %key)
	{
		my %a = map { my $r = $_; (join('|', map { $r->{$_} } @{ $key{$arr} }) => $r) } @{ $s->{$arr} // [] };
		my %b = map { my $r = $_; (join('|', map { $r->{$_} } @{ $key{$arr} }) => $r) } @{ $t->{$arr} // [] };
		for my $k (sort keys %a)
		{
			my $rb = $b{$k} or do { push @diff, "$arr $k: missing"; next };
			for my $f (sort keys %{ { %{ $a{$k} }, %$rb } })
			{
				push @diff, "$arr $k.$f: " . ($a{$k}{$f} // 'absent') . ' vs ' . ($rb->{$f} // 'absent')
				  unless same($f, $a{$k}{$f}, $rb->{$f});
			}
		}
		for my $k (sort keys %b)
		{
			next if $a{$k} || ($arr eq 'sources' && $catalog{$k});
			push @diff, "$arr $k: extra";
		}
	}
	return \@diff;
}

sub round_trip
{
	my ($file, $name) = @_;
	reset_db();
	my ($code, $out, $err) = run_command([ 'ausdash-backfill', '-q', $file ]);
	is($code, 0, "$name: backfilled") or diag($err);
	($code, $out, $err) = run_command([ $tool, '-o', "$TMP/out.json" ]);
	is($code, 0, "$name: exported") or diag($err);
	my $s = $json->decode(slurp_file($file));
	my $t = $json->decode(slurp_file("$TMP/out.json"));
	is_deeply(store_diff($s, $t), [], "$name: S' equals S");
	($code, $out, $err) = run_command([ 'ausdash-backfill', '--json', "$TMP/out.json" ]);
	my $j = $code == 0 ? $json->decode($out) : {};
	is_deeply([ $code, $j->{totals}{inserted}, $j->{totals}{updated} ], [ 0, 0, 0 ],
		"$name: backfilling S' inserts and updates nothing") or diag($err);
	return slurp_file("$TMP/out.json");
}

# --- the project's own store ------------------------------------------------------
my $obs = sub {
	my (%f) = @_;
	my %d = (seriesId => 'hvi.value.index', regionCode => 'AU', date => '2025-11-30', value => 168.9,
		unit => 'index', sourceName => 'ABS', sourceUrl => 'https://abs/', publishedAt => '2025-12-01T00:00:00Z',
		ingestedAt => '2026-02-27T02:05:00.123Z', vintage => '2026-02-27', isModeled => JSON::PP::false,
		confidence => 'official', %f);
	return \%d;
};
my $store = {
	version => 1, updatedAt => '2026-03-12T02:42:00.054Z',
	observations => [
		$obs->(value => Math::BigFloat->new('14160.2889266666666666666666')),
		$obs->(date => '2025-12-31', value => Math::BigFloat->new('117.44888178913737')),
		$obs->(regionCode => 'NSW', sourceName => "Bureau \x{2013} \"Stats\" \x{e9}\x{4e2d}\n\t\x{1}",
			market => 'NEM', countryCode => 'AU', metricFamily => 'wholesale',
			intervalStartUtc => '2026-02-27T12:00:00+10:00', intervalEndUtc => '2026-02-27T02:00:00Z',
			currency => 'AUD', taxStatus => 'incl_tax', consumptionBand => 'household_mid',
			methodologyVersion => 'v1', isModeled => JSON::PP::true, confidence => 'derived'),
		$obs->(regionCode => 'VIC', value => -4.96, date => '2025-Q4'),
	],
	rawSnapshots => [ { snapshotId => 's-1', sourceId => 'aemo_wholesale', capturedAt => '2026-03-12T00:45:00.029Z',
		contentType => 'text/csv', payload => "A,B\n\x{e9},2\n",
		checksumSha256 => Digest::SHA::sha256_hex(Encode::encode('UTF-8', "A,B\n\x{e9},2\n")) } ],
	sources => [ { sourceId => 'aemo_wholesale', domain => 'energy', name => 'AEMO', url => 'https://a/',
		expectedCadence => '5m' } ],
	sourceCursors => [ { sourceId => 'aemo_wholesale', cursor => '2026-02-27T02:00:00Z',
		updatedAt => '2026-03-12T02:40:00.098Z' } ],
	ingestionRuns => [ { runId => 'sync-x-1', job => 'sync-x', status => 'ok', startedAt => '2026-03-12T00:45:00.029Z',
		finishedAt => '2026-03-12T00:45:00.030Z', rowsInserted => 5, rowsUpdated => 7 },
		{ runId => 'sync-x-2', job => 'sync-x', status => 'failed', startedAt => '2026-03-12T00:50:00Z',
		finishedAt => '2026-03-12T00:50:01Z', rowsInserted => 0, rowsUpdated => 0, errorSummary => 'boom',
		bullJobId => 'b', queueName => 'q', attempt => 2, runMode => 'manual' } ],
	priceIntakeBatches => [ { batchId => 'b-1', sourceId => 'agent_x', capturedAt => '2026-03-12T01:03:27Z',
		rawSnapshotId => 's-1', itemCount => 1, createdAt => '2026-03-12T01:03:27Z' } ],
	unresolvedPriceItems => [ { unresolvedItemId => 'b-1-item-1', batchId => 'b-1', sourceId => 'agent_x',
		rawSnapshotId => 's-1', status => 'open', createdAt => '2026-03-12T01:03:27Z',
		observedAt => '2026-03-12T01:03:27Z', merchantName => 'M', regionCode => 'AU', title => 'T',
		externalOfferId => 'o', priceAmount => 3.5, somethingNew => { nested => [ 1, 'two', JSON::PP::null ] },
		anotherNew => 42 } ],
};
write_file("$TMP/own.json", JSON::PP->new->utf8->pretty->canonical->allow_bignum->encode($store));
my $text = round_trip("$TMP/own.json", 'own store');
unlike($text, qr/\n\z/, 'no trailing newline');
like($text, qr/\A\{\n  "version": 1,\n  "updatedAt": "2026-03-12T02:42:00\.054Z",\n  "observations": \[\n    \{\n      "seriesId": /,
	'top-level order and 2-space indent, as JSON.stringify(store, null, 2)');
like($text, qr/"value": 14160\.2889266666666666666666,/, 'a 28-digit value written exactly');
like($text, qr/"value": 117\.44888178913737,/, 'a value with 17 significant digits written exactly');
like($text, qr/"sourceName": "Bureau \x{e2}\x{80}\x{93} \\"Stats\\" \x{c3}\x{a9}\x{e4}\x{b8}\x{ad}\\n\\t\\u0001"/,
	'non-ASCII raw, quotes and controls escaped as JavaScript does');
like($text, qr/"publishedAt": "2025-12-01T00:00:00Z",/, 'whole-second timestamps without milliseconds');
like($text, qr/"intervalStartUtc": "2026-02-27T02:00:00Z"/, 'timestamps in UTC');
like($text, qr/"somethingNew": \{\n {8}"nested": \[\n {10}1,\n {10}"two",\n {10}null\n {8}\]\n {6}\}/,
	'unknown item fields (kept in extra) written back, nested and indented');
unlike($text, qr/"countryCode": null/, 'absent optional fields are omitted, not null');

# empty arrays and the older shapes
reset_db();
write_file("$TMP/empty.json", '{"version":1,"updatedAt":"2026-01-01T00:00:00Z","observations":[],"sources":[],'
	  . '"sourceCursors":[],"ingestionRuns":[]}');
command_ok([ 'ausdash-backfill', '-q', "$TMP/empty.json" ], 'a store without rawSnapshots (legacy shape)');
my ($c, $out) = run_command([$tool]);
is($c, 0, 'export to standard output');
like($out, qr/"observations": \[\],\n  "rawSnapshots": \[\],/, 'empty arrays as [], missing arrays written empty');

# --- every valid real store ------------------------------------------------------------
SKIP:
{
	my $dir = shared_dir('data/aus-dash');
	skip '../shared/data/aus-dash is absent: no real stores to round-trip', 1 unless $dir;
	for my $rel ('data/live-store.json', 'apps/api/data/live-store.json',
		'history/cd2e0e5/data/live-store.json', 'history/cd2e0e5/apps/api/data/live-store.json',
		'history/c40efbd/apps/ingest/data/live-store.json', 'history/f8ac5e8/apps/ingest/data/live-store.json')
	{
		round_trip("$dir/$rel", $rel) if -f "$dir/$rel";
	}
}

# --- atomic, locked writes --------------------------------------------------------------
write_file("$TMP/target.json", 'OLD');
mkdir("$TMP/ro");
write_file("$TMP/ro/store.json", 'OLD');
chmod(0555, "$TMP/ro");
SKIP:
{
	skip 'running as root: a read-only directory is writable', 3 if $> == 0;
	command_checks_all([ $tool, '-o', "$TMP/ro/store.json" ], 74, [],
		[qr/could not (open lock file|create a temporary file)/], 'read-only directory: exit 74');
	is(slurp_file("$TMP/ro/store.json"), 'OLD', 'read-only directory: the store is untouched');
}
chmod(0755, "$TMP/ro");
open(my $lock, '>', "$TMP/target.json.lock") or die;
flock($lock, LOCK_EX) or die;
my $t0 = time;
command_checks_all([ $tool, '-o', "$TMP/target.json" ], 75, [],
	[qr/another writer holds the store's lock ".*target\.json\.lock"/], 'store locked by another writer: exit 75');
ok(time - $t0 < 5, 'gives up at once without --lock-wait');
is(slurp_file("$TMP/target.json"), 'OLD', 'locked: the store is untouched');
close($lock);
command_ok([ $tool, '-o', "$TMP/target.json" ], 'lock released: written');
($c, $out) = run_command([$tool]);
is(slurp_file("$TMP/target.json"), $out, 'the file has what standard output had');
my @left = glob("$TMP/.target.json.*");
is(scalar(@left), 0, 'no temporary file left behind');
command_checks_all([ $tool, '-d', 'host=/nonexistent', '-o', "$TMP/target.json" ], 69, [],
	[qr/could not connect/], 'database unavailable: exit 69');
is(slurp_file("$TMP/target.json"), $out, 'database unavailable: the file is untouched');

done_testing();
