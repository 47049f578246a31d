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

# every valid store under ../shared/data/aus-dash (apps/ingest's holds a NUL byte)
my @real_stores = ('data/live-store.json', 'apps/api/data/live-store.json',
	'history/cd2e0e5/data/live-store.json', 'history/cd2e0e5/apps/api/data/live-store.json',
	'history/c40efbd/apps/ingest/data/live-store.json', 'history/f8ac5e8/apps/ingest/data/live-store.json');

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

# The keys of each array of S in S's order (a duplicated key where it last
# appears) against S' (the catalog's sources S lacks may follow).
sub array_keys
{
	my ($arr, $rows) = @_;
	my (%last, @k);
	my $i = 0;
	$last{ join('|', map { $_ // '' } @{$_}{ @{ $key{$arr} } }) } = $i++ for @$rows;
	return [ sort { $last{$a} <=> $last{$b} } keys %last ];
}

sub order_diff
{
	my ($s, $t) = @_;
	my @diff;
	for my $arr (sort keys %key)
	{
		my $a = array_keys($arr, $s->{$arr} // []);
		my %in = map { $_ => 1 } @$a;
		my $b = [ grep { $in{$_} } @{ array_keys($arr, $t->{$arr} // []) } ];
		push @diff, "$arr: (@$a) vs (@$b)" unless "@$a" eq "@$b";
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
	is_deeply(order_diff($s, $t), [], "$name: every array in the order of S");
	# S' is a fixpoint: backfilled, it exports as itself (the catalog's
	# sources S lacked take the places S' gives them), and once more
	# changes nothing
	command_ok([ 'ausdash-backfill', '-q', "$TMP/out.json" ], "$name: S' backfilled");
	($code, $out, $err) = run_command([$tool]);
	ok($out eq slurp_file("$TMP/out.json"), "$name: S' backfilled exports as S', byte for byte");
	($code, $out, $err) = run_command([ 'ausdash-backfill', '--json', "$TMP/out.json" ]);
	my $j = $code == 0 ? $json->decode($out) : {};
	is_deeply([ $code, $j->{totals}{inserted}, $j->{totals}{updated} ], [ 0, 0, 0 ],
		"$name: backfilling S' again inserts and updates nothing") or diag($err);
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
like($text, qr/\A\{\n  "version": 1,\n  "updatedAt": "2026-03-12T02:42:00\.054Z",\n  "observations": \[\n    \{\n      "confidence": /,
	'top-level order and 2-space indent, as JSON.stringify(store, null, 2); fields in the store\'s order (sorted here)');
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

# --- the store's order, not key order ------------------------------------------------------
{
	my @o = map { $obs->(regionCode => $_->[0], date => $_->[1], value => $_->[2]) }
	  [ 'VIC', '2025-12-31', 3 ], [ 'AU', '2025-12-31', 2 ], [ 'NSW', '2025-11-30', 1 ], [ 'AU', '2025-11-30', 4 ];
	my @runs = map { { runId => "run-$_", job => 'sync-x', status => 'ok', startedAt => '2026-01-01T00:00:00Z',
		finishedAt => '2026-01-01T00:00:01Z', rowsInserted => 0, rowsUpdated => 0 } } qw(9 3 5);
	my $ordered = { version => 1, updatedAt => '2026-03-12T02:42:00Z', observations => \@o,
		sources => [ map { { sourceId => $_, domain => 'd', name => "n $_", url => 'https://x/', expectedCadence => 'daily' } }
			qw(zz_src aa_src) ], sourceCursors => [], ingestionRuns => \@runs };
	write_file("$TMP/ordered.json", $json->encode($ordered));
	round_trip("$TMP/ordered.json", 'a store out of key order');
	my $t = $json->decode(slurp_file("$TMP/out.json"));
	is(join(' ', map { "$_->{regionCode}/$_->{date}" } @{ $t->{observations} }),
		'VIC/2025-12-31 AU/2025-12-31 NSW/2025-11-30 AU/2025-11-30', 'observations in the store\'s order');
	is(join(' ', map { $_->{runId} } @{ $t->{ingestionRuns} }), 'run-9 run-3 run-5', 'runs in the store\'s order');
	is(join(' ', map { $_->{sourceId} } @{ $t->{sources} }[0, 1]), 'zz_src aa_src',
		'the store\'s sources first, in its order (the catalog after them)');

	# an ingest's new row has no place in the store: after the placed ones
	command_ok([ 'ausdash-ingest', '-q', '--source=aemo_wholesale', '--format=wholesale-csv',
		"$ROOT/tests/data/feeds/wholesale.csv" ], 'an ingest after the backfill');
	my ($c, $out) = run_command([$tool]);
	my @series = map { $_->{seriesId} } @{ $json->decode($out)->{observations} };
	is(join(' ', @series[0 .. 3]), join(' ', ('hvi.value.index') x 4), '... the backfilled rows keep their places');
	ok(scalar(@series) > 4 && !grep({ $_ eq 'hvi.value.index' } @series[ 4 .. $#series ]), '... the new ones follow');

	# the same store in another order: the places change, counted as updates
	$ordered->{observations} = [ reverse @o ];
	write_file("$TMP/reordered.json", $json->encode($ordered));
	my ($code, $jout) = run_command([ 'ausdash-backfill', '--json', "$TMP/reordered.json" ]);
	my $tot = $json->decode($jout)->{totals};
	is_deeply([ @$tot{qw(inserted updated)} ], [ 0, 0 ], 'a reordered store: its rows only moved, neither inserted nor updated');
	($c, $out) = run_command([$tool]);
	is(join(' ', map { "$_->{regionCode}/$_->{date}" } grep { $_->{seriesId} eq 'hvi.value.index' }
		  @{ $json->decode($out)->{observations} }), 'AU/2025-11-30 NSW/2025-11-30 AU/2025-12-31 VIC/2025-12-31',
		'... and exported in the new order');
	($code, $jout) = run_command([ 'ausdash-backfill', '--json', "$TMP/reordered.json" ]);
	is($json->decode($jout)->{totals}{updated}, 0, 'the same order again: nothing updated');

	# a store without two of them: they give up their places, and follow
	$ordered->{observations} = [ @o[ 2, 0 ] ];
	write_file("$TMP/fewer.json", $json->encode($ordered));
	command_ok([ 'ausdash-backfill', '-q', "$TMP/fewer.json" ], 'a store without two of the observations');
	($c, $out) = run_command([$tool]);
	is(join(' ', map { "$_->{regionCode}/$_->{date}" } grep { $_->{seriesId} eq 'hvi.value.index' }
		  @{ $json->decode($out)->{observations} }), 'NSW/2025-11-30 VIC/2025-12-31 AU/2025-11-30 AU/2025-12-31',
		'... its two in its order, then the two it lacks, in key order');
}

# --- every valid real store ------------------------------------------------------------
SKIP:
{
	my $dir = shared_dir('data/aus-dash');
	skip '../shared/data/aus-dash is absent: no real stores to round-trip', 1 unless $dir;
	for my $rel (@real_stores)
	{
		round_trip("$dir/$rel", $rel) if -f "$dir/$rel";
	}
}

# --- byte for byte -------------------------------------------------------------------------
# A store as the dashboard writes it (JSON.stringify(store, null, 2)), whose
# records have their fields in other orders than ausdash-export's, fields
# given as null and free fields in another order than jsonb keeps them:
# backfilled and exported, the same bytes.  (The catalog's sources are
# removed first: the dashboard's reader merges them into any store, and
# ausdash-export lists them after the store's own.)
sub full_reset
{
	reset_db();
	$node->psql('TRUNCATE public.sources CASCADE');
}

sub byte_round_trip
{
	my ($file, $name) = @_;
	full_reset();
	command_ok([ 'ausdash-backfill', '-q', $file ], "$name: backfilled");
	command_ok([ $tool, '-o', "$TMP/bytes.json" ], "$name: exported");
	my ($orig, $got) = (slurp_file($file), slurp_file("$TMP/bytes.json"));

	# what the dashboard's reader adds to an older store: its missing arrays, empty
	for my $k (qw(rawSnapshots priceIntakeBatches unresolvedPriceItems))
	{
		$got =~ s/,\n  "\Q$k\E": \[\]// unless $orig =~ /^  "\Q$k\E": /m;
	}
	# a typed column's text (ausdash-export(1)): zero milliseconds are not written
	(my $want = $orig) =~ s/(": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.000Z"/$1Z"/g;
	my $ok = ok($got eq $want, "$name: exported byte for byte");
	unless ($ok)
	{
		my @a = split /\n/, $want;
		my @b = split /\n/, $got;
		my ($i) = grep { ($a[$_] // '') ne ($b[$_] // '') } 0 .. ($#a > $#b ? $#a : $#b);
		diag("first difference at line " . ($i + 1) . ":\n  store:  " . ($a[$i] // '(end)') . "\n  export: " . ($b[$i] // '(end)'));
	}
}

{
	my $payload = "A,B\n";
	my $sum = Digest::SHA::sha256_hex($payload);
	write_file("$TMP/layout.json", <<"EOF" =~ s/\n\z//r);
{
  "version": 1,
  "updatedAt": "2026-03-12T02:42:00.054Z",
  "observations": [
    {
      "regionCode": "AU",
      "seriesId": "hvi.value.index",
      "date": "2025-11-30",
      "value": 168.9,
      "unit": "index",
      "sourceName": "ABS",
      "sourceUrl": "https://abs/",
      "publishedAt": "2025-12-01T00:00:00Z",
      "methodologyVersion": null,
      "ingestedAt": "2026-02-27T02:05:00.123Z",
      "vintage": "2026-02-27",
      "isModeled": false,
      "confidence": "official"
    },
    {
      "seriesId": "hvi.value.index",
      "regionCode": "VIC",
      "market": "NEM",
      "metricFamily": "wholesale",
      "date": "2025-12-31",
      "value": 117.44888178913737,
      "unit": "index",
      "sourceName": "ABS",
      "sourceUrl": "https://abs/",
      "publishedAt": "2025-12-01T00:00:00Z",
      "isModeled": true,
      "confidence": "derived",
      "methodologyVersion": "v1",
      "ingestedAt": "2026-02-27T02:05:00Z",
      "vintage": "2026-02-27"
    },
    {
      "seriesId": "hvi.value.index",
      "regionCode": "NSW",
      "date": "2025-11-30",
      "value": 1,
      "unit": "index",
      "sourceName": "ABS",
      "sourceUrl": "https://abs/",
      "publishedAt": "2025-12-01T00:00:00Z",
      "ingestedAt": "2026-02-27T02:05:00Z",
      "vintage": "2026-02-27",
      "isModeled": false,
      "confidence": "official"
    }
  ],
  "rawSnapshots": [
    {
      "snapshotId": "s-1",
      "sourceId": "agent_x",
      "capturedAt": "2026-03-12T00:45:00.029Z",
      "contentType": "text/csv",
      "payload": "A,B\\n",
      "checksumSha256": "$sum"
    }
  ],
  "sources": [
    {
      "name": "Agent X",
      "sourceId": "agent_x",
      "domain": "prices",
      "url": "https://x/",
      "expectedCadence": "daily"
    }
  ],
  "sourceCursors": [],
  "ingestionRuns": [],
  "priceIntakeBatches": [
    {
      "batchId": "b-1",
      "sourceId": "agent_x",
      "capturedAt": "2026-03-12T01:03:27Z",
      "rawSnapshotId": "s-1",
      "itemCount": 1,
      "createdAt": "2026-03-12T01:03:27Z"
    }
  ],
  "unresolvedPriceItems": [
    {
      "unresolvedItemId": "b-1-item-1",
      "batchId": "b-1",
      "zebraField": [
        1,
        "two",
        null
      ],
      "sourceId": "agent_x",
      "rawSnapshotId": "s-1",
      "status": "open",
      "createdAt": "2026-03-12T01:03:27Z",
      "observedAt": "2026-03-12T01:03:27Z",
      "merchantName": "M",
      "regionCode": "AU",
      "title": "T",
      "externalOfferId": "o",
      "priceAmount": 3.5,
      "a": "first in jsonb, last here",
      "notes": null
    }
  ]
}
EOF
	byte_round_trip("$TMP/layout.json", 'fields in the store\'s orders, nulls, free fields');
	# again: a rerun changes nothing, and the export is the same
	my ($code, $out) = run_command([ 'ausdash-backfill', '--json', "$TMP/layout.json" ]);
	is_deeply([ @{ $json->decode($out)->{totals} }{qw(inserted updated)} ], [ 0, 0 ], '... a second backfill changes nothing');
	($code, $out) = run_command([$tool]);
	is($out, slurp_file("$TMP/bytes.json"), '... and exports the same');
	# the same records in the export's own order need no layout at all
	is($node->psql("SELECT count(*) FROM public.observations WHERE store_fields IS NULL"), 1,
		'only the records out of the export\'s order keep theirs');
}

SKIP:
{
	my $dir = shared_dir('data/aus-dash');
	skip '../shared/data/aus-dash is absent: no real stores to round-trip byte for byte', 1 unless $dir;
	for my $rel (@real_stores)
	{
		byte_round_trip("$dir/$rel", "$rel") if -f "$dir/$rel";
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
