# tests/t/061_store_backend.t - ausdash-ingest --backend store and dual:
# the dashboard's store semantics in one atomic replacement of the file,
# concurrent writers, the drift report, and a store write that fails after
# PostgreSQL committed.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use IPC::Run ();
use JSON::PP ();
use Test::More;
use Time::HiRes qw(time sleep);

my $tool = 'ausdash-ingest';
my $json = JSON::PP->new->allow_bignum;
my $node = Ausdash::Test::Cluster->new('store_backend')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'schema migrated');

# the database's RBA series codes are the ones the store backend uses
is($node->psql("SELECT string_agg(source_series_code || '=' || id || '=' || unit, ',' "
	  . "ORDER BY source_series_code) FROM public.series WHERE source_series_code IS NOT NULL"),
	'FLRHOFFA=rates.oo.fixed_pct=%,FLRHOFVA=rates.oo.variable_pct=%',
	'migration 0005 and feed_registry_builtin_map agree (see lib/feed/feed_registry.c)');

my %key = (observations => [qw(seriesId regionCode date vintage)], rawSnapshots => ['snapshotId'],
	sources => ['sourceId'], sourceCursors => ['sourceId'], ingestionRuns => ['runId'],
	priceIntakeBatches => ['batchId'], unresolvedPriceItems => ['unresolvedItemId']);

sub by_key
{
	my ($store, $arr) = @_;
	return { map { my $r = $_; (join('|', map { $r->{$_} // '' } @{ $key{$arr} }) => $r) }
		  @{ $store->{$arr} // [] } };
}

sub wholesale
{
	my ($ts, @rows) = @_;
	return "SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND\n" . join('', map { "$ts,$_\n" } @rows);
}

my $canon = JSON::PP->new->canonical->allow_bignum;

# Every record of before is in after, unchanged, except the observations
# the run replaced; returns what after has in addition.
sub kept_and_added
{
	my ($before, $after, $replaced) = @_;
	my (%added, @changed);
	for my $arr (sort keys %key)
	{
		my ($b, $a) = (by_key($before, $arr), by_key($after, $arr));
		for my $k (keys %$b)
		{
			next if $arr eq 'sourceCursors' || ($arr eq 'observations' && $replaced->{$k});
			push @changed, "$arr $k" unless $a->{$k} && $canon->encode($a->{$k}) eq $canon->encode($b->{$k});
		}
		$added{$arr} = [ grep { !$b->{$_} } sort keys %$a ];
	}
	return (\@changed, \%added);
}

my $store0 = '{"version":1,"updatedAt":"2026-02-27T02:05:00Z","observations":[{"seriesId":"hvi.value.index",'
  . '"regionCode":"AU","date":"2025-11-30","value":168.9,"unit":"index","sourceName":"ABS","sourceUrl":"u",'
  . '"publishedAt":"2025-12-01T00:00:00Z","ingestedAt":"2026-02-27T02:05:00Z","vintage":"2026-02-27",'
  . '"isModeled":false,"confidence":"official"}],"sources":[],"sourceCursors":[{"sourceId":"aemo_wholesale",'
  . '"cursor":"2026-02-27T02:00:00Z","updatedAt":"2026-02-27T02:05:00Z"}],"ingestionRuns":[]}';

# --- the store backend on the project's own store and on a real one ------------------
my @stores = ([ 'own store', $store0 ]);
my $real = shared_dir('data/aus-dash');
push @stores, [ 'f8ac5e8 store', slurp_file("$real/history/f8ac5e8/apps/ingest/data/live-store.json") ] if $real;
diag('../shared is absent: the store backend is tested on the project\'s own store only') unless $real;
for my $s (@stores)
{
	my ($name, $text) = @$s;
	my $file = "$TMP/store.json";
	write_file($file, $text);
	my $before = $json->decode($text);
	my $payload = wholesale('2026-03-01T00:00:00Z', 'NSW1,50,100', 'VIC1,70,300');
	my ($code, $out, $err) = run_command([ $tool, '--json', '--backend=store', "--store=$file",
		'--source=aemo_wholesale', '-' ], stdin => $payload);
	is($code, 0, "$name: store backend, exit 0") or diag($err);
	my $j = $json->decode($out);
	is_deeply([ @{ $j->{store} }{qw(inserted updated)} ], [ 3, 0 ], "$name: 3 inserted");
	my $after = eval { $json->decode(slurp_file($file)) };
	ok($after, "$name: the result parses");
	my ($changed, $added) = kept_and_added($before, $after, {});
	is_deeply($changed, [], "$name: every record that was there is still there, unchanged");
	is(scalar(@{ $added->{observations} }), 3, "$name: the new observations are there");
	my $au = by_key($after, 'observations')
	  ->{'energy.wholesale.rrp.au_weighted_aud_mwh|AU|2026-03-01T00:00:00Z|' . substr($after->{updatedAt}, 0, 10)};
	is($au && $au->{value} + 0, (50 * 100 + 70 * 300) / 400, "$name: the AU value");
	is(scalar(@{ $added->{rawSnapshots} }), 1, "$name: the snapshot is there");
	my ($snap) = grep { $_->{sourceId} eq 'aemo_wholesale' && $_->{payload} eq $payload } @{ $after->{rawSnapshots} };
	ok($snap && $snap->{contentType} eq 'text/csv', "$name: with its payload and content type");
	is(by_key($after, 'sourceCursors')->{aemo_wholesale}{cursor}, '2026-03-01T00:00:00Z', "$name: cursor moved");
	my @runs = @{ $added->{ingestionRuns} };
	is(scalar(@runs), 1, "$name: one run appended");
	my $run = by_key($after, 'ingestionRuns')->{ $runs[0] };
	is_deeply([ @$run{qw(job status rowsInserted rowsUpdated runMode)} ],
		[ 'sync-energy-wholesale-5m', 'ok', 3, 0, 'scheduled' ], "$name: the run");
	unlike(slurp_file($file), qr/\n\z/, "$name: no trailing newline");

	# the same payload again: the snapshot is there, nothing but the run changes
	($code) = run_command([ $tool, '--backend=store', "--store=$file", '--source=aemo_wholesale', '-' ],
		stdin => $payload);
	is($code, 0, "$name: the same payload again, exit 0");
	my $again = $json->decode(slurp_file($file));
	is($canon->encode($again->{observations}), $canon->encode($after->{observations}),
		"$name: the same payload again: observations unchanged");
	is(scalar(@{ $again->{ingestionRuns} }), scalar(@{ $after->{ingestionRuns} }) + 1,
		"$name: the same payload again: its run appended");

	# a changed value replaces the whole record in place
	my $p2 = wholesale('2026-03-01T00:00:00Z', 'NSW1,55,100', 'VIC1,70,300');
	($code, $out) = run_command([ $tool, '--json', '--backend=store', "--store=$file",
		'--source=aemo_wholesale', '-' ], stdin => $p2);
	$j = $json->decode($out);
	is_deeply([ @{ $j->{store} }{qw(inserted updated)} ], [ 0, 3 ],
		"$name: a new payload for the same keys: replaced (the store counts every replace)");
}

# --- bad cases ---------------------------------------------------------------------
command_checks_all([ $tool, '--backend=store', "--store=$TMP/none.json", '--source=aemo_wholesale', '-' ], 66, [],
	[qr/could not open store ".*none\.json"/], 'store backend without a store: exit 66',
	stdin => wholesale('2026-03-01T00:00:00Z', 'NSW1,1,1'));
write_file("$TMP/bad.json", '{"version":1,"updatedAt":"2026-01-01T00:00:00Z","observations":[');
command_checks_all([ $tool, '--backend=store', "--store=$TMP/bad.json", '--source=aemo_wholesale', '-' ], 65, [],
	[qr/bad\.json.*truncated|bad\.json.*ends/], 'a truncated store: exit 65, named',
	stdin => wholesale('2026-03-01T00:00:00Z', 'NSW1,1,1'));
is(slurp_file("$TMP/bad.json"), '{"version":1,"updatedAt":"2026-01-01T00:00:00Z","observations":[',
	'a truncated store is left as it was');
{
	local $ENV{AUS_DASH_INGEST_BACKEND} = 'store';
	local $ENV{AUS_DASH_STORE_PATH} = "$TMP/env.json";
	write_file("$TMP/env.json", $store0);
	command_checks_all([ $tool, '--source=aemo_wholesale', '-' ], 0, [], [],
		'AUS_DASH_INGEST_BACKEND=store with AUS_DASH_STORE_PATH', stdin => wholesale('2026-03-02T00:00:00Z', 'SA1,1,1'));
	like(slurp_file("$TMP/env.json"), qr/2026-03-02T00:00:00Z/, 'the store named by AUS_DASH_STORE_PATH was written');
}

# --- concurrent writers, and a reader that never sees a partial file -------------------
my $big = "$TMP/big.json";
{
	my ($c, $o) = run_command([ 'perl', "$ROOT/tests/bench/gen-store.pl", '--observations=10000' ]);
	write_file($big, $o);
	write_file("$TMP/big0.json", $o);
}
my @writers;
for my $i (1 .. 4)
{
	my $src = $i % 2 ? 'aemo_wholesale' : 'rba_rates';
	my $p = $src eq 'rba_rates' ? "date,oo_variable_pct,oo_fixed_pct\n2024-0$i-28,$i,$i\n"
	  : wholesale("2026-04-0${i}T00:00:00Z", "NSW1,$i,1");
	write_file("$TMP/p$i", $p);
	push @writers, IPC::Run::start([ $tool, '--backend=store', "--store=$big", "--source=$src", "$TMP/p$i" ],
		'>', \my $o, '2>', \my $e);
}
my ($reads, $bad) = (0, 0);
my $deadline = time + 60;
while (grep({ $_->pumpable } @writers) && time < $deadline)
{
	$_->pump_nb for grep { $_->pumpable } @writers;
	# a partly written file is empty or stops short of its closing brace
	my $t = slurp_file($big);
	$reads++;
	$bad++ unless $t =~ /\A\{\s*"version": ?1,.*\}\s*\z/s;
}
my $ok = 0;
for (@writers) { $_->finish; $ok += $_->result(0) == 0 }
is($ok, 4, 'four store-backend ingests at once: all succeeded');
ok($reads > 0, "a reader polled the store during the writes ($reads reads)");
is($bad, 0, 'the reader never saw a partial file');
my $final = $json->decode(slurp_file($big));
my $runs_before = scalar(grep { $_->{job} =~ /^sync-(energy-wholesale-5m|housing-rba-daily)$/ }
	@{ $json->decode(slurp_file("$TMP/big0.json"))->{ingestionRuns} });
my %payloads = map { slurp_file("$TMP/p$_") => 1 } 1 .. 4;
is(scalar(grep { $payloads{ $_->{payload} } } @{ $final->{rawSnapshots} }), 4,
	'all four snapshots are in the store: no update was lost');
is(scalar(grep { $_->{job} =~ /^sync-(energy-wholesale-5m|housing-rba-daily)$/ } @{ $final->{ingestionRuns} }),
	$runs_before + 4, 'and their four runs');

# --- dual ------------------------------------------------------------------------------
write_file("$TMP/dual.json", $store0);
my $p = wholesale('2026-03-05T00:00:00Z', 'NSW1,50,100', 'VIC1,60,100');
my ($code, $out, $err) = run_command([ $tool, '--json', '--backend=dual', "--store=$TMP/dual.json",
	'--source=aemo_wholesale', '-' ], stdin => $p);
is($code, 0, 'dual: exit 0') or diag($err);
my $j = $json->decode($out);
is_deeply([ $j->{drift}{count}, $j->{observations}{inserted}, $j->{store}{inserted} ], [ 0, 3, 3 ],
	'dual: both sides written, no drift');

# edit one side, then a payload PostgreSQL already has: the store takes it, drift shows
$node->psql("UPDATE public.observations SET value = 61 WHERE region_code = 'VIC' AND date = '2026-03-05T00:00:00Z'");
write_file("$TMP/dual2.json", $store0);
($code, $out, $err) = run_command([ $tool, '--json', '--backend=dual', "--store=$TMP/dual2.json",
	'--source=aemo_wholesale', '-' ], stdin => $p);
is($code, 3, 'dual with an edited side: the drift exit code');
like($err, qr/drift: energy\.wholesale\.rrp\.region_aud_mwh\|VIC\|2026-03-05T00:00:00Z\|\d{4}-\d\d-\d\d: values differ/,
	'dual: the drifting key is named');
like($err, qr/the store and PostgreSQL differ on 1 key\(s\) this run touched/, 'dual: and counted');
$j = $json->decode($out);
is($j->{drift}{keys}[0]{side}, 'values differ', 'dual: drift in the JSON summary');
like($node->psql("SELECT details->'drift' FROM public.ingestion_runs WHERE run_id = '$j->{run_id}'"),
	qr/"side": "values differ"/, 'dual: drift recorded on the run');

# the store cannot be written after PostgreSQL committed
write_file("$TMP/dual3.json", $store0);
mkdir("$TMP/dual3.json.lock");	# the lock file cannot be opened
my $p3 = wholesale('2026-03-06T00:00:00Z', 'NSW1,50,100');
($code, $out, $err) = run_command([ $tool, '--backend=dual', "--store=$TMP/dual3.json",
	'--source=aemo_wholesale', '-' ], stdin => $p3);
is($code, 74, 'dual, store not writable after the commit: exit 74');
like($err, qr/PostgreSQL has this run committed \(run sync-energy-wholesale-5m-\d+: 2 inserted, 0 updated\); the store ".*dual3\.json" was not changed/,
	'dual: the message says which side has what');
is(slurp_file("$TMP/dual3.json"), $store0, 'dual: the store file is untouched');
is($node->psql("SELECT count(*) FROM public.observations WHERE date = '2026-03-06T00:00:00Z'"), 2,
	'dual: PostgreSQL has the run');

done_testing();
