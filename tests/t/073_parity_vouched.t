# tests/t/073_parity_vouched.t - ausdash-parity takes the observations a
# row's store_digest vouches for (a backfill copied the row from the same
# record text at the same place, migration 0010) as equal, and compares
# the rest.  Each step runs it twice, as by default and with --deep (every
# observation digested on both sides, nothing trusted): both must report
# the same differences, counts and latest points; only the work differs.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use JSON::PP ();
use Test::More;

my $tool = 'ausdash-parity';
my $json = JSON::PP->new->canonical->allow_bignum;

my $node = Ausdash::Test::Cluster->new('vouched')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'schema migrated');
delete $ENV{AUS_DASH_SEED_STORE_PATH};

my $step = 0;

# Writes $store (a structure or JSON text) to a file of its own.
sub store_file
{
	my ($store) = @_;
	my $file = "$TMP/store-" . ++$step . '.json';
	write_file($file, ref $store ? $json->encode($store) : $store);
	return $file;
}

sub backfill
{
	my ($name, $file, @args) = @_;
	my ($code, $out, $err) = run_command([ 'ausdash-backfill', '-q', @args, $file ]);
	is($code, 0, "$name: backfilled") or diag($err);
}

# Runs parity both ways on $file; checks that both say the same.  Returns
# the default run's exit code, report, standard error and the summary.
sub both
{
	my ($name, $file, @args) = @_;
	my %r;
	for my $how ('vouched', 'deep')
	{
		my ($code, $out, $err) = run_command([ $tool, '--format=json', '-v', "--store=$file",
			($how eq 'deep' ? '--deep' : ()), @args ]);
		my $j = eval { JSON::PP->new->decode($out) } // {};
		ok($code <= 2, "$name: $how: a report") or diag($err);
		$r{$how} = { code => $code, j => $j, err => $err };
	}
	my ($v, $d) = ($r{vouched}{j}, $r{deep}{j});
	is($r{vouched}{code}, $r{deep}{code}, "$name: the same exit code");
	for my $section (qw(diffs entities latest freshness total))
	{
		is($json->encode([ sort { $json->encode($a) cmp $json->encode($b) } @{ $v->{$section} // [] } ]),
			$json->encode([ sort { $json->encode($a) cmp $json->encode($b) } @{ $d->{$section} // [] } ]),
			"$name: the same $section");
	}
	return ($r{vouched}{code}, $v, $r{vouched}{err}, $v->{summary} // '');
}

sub vouched
{
	my ($summary) = @_;
	return $summary =~ /(\d+) observations vouched for/ ? $1 : 'none';
}

sub diffs
{
	my ($j) = @_;
	return [ sort map { "$_->{key} $_->{diff}" } grep { $_->{entity} eq 'observations' } @{ $j->{diffs} // [] } ];
}

sub key_of
{
	my ($o) = @_;
	return join('|', @$o{qw(seriesId regionCode date vintage)});
}

sub where_key
{
	my ($o) = @_;
	return "series_id = '$o->{seriesId}' AND region_code = '$o->{regionCode}' AND date = '$o->{date}' "
	  . "AND vintage = '$o->{vintage}'";
}

my ($c, $text) = run_command([ 'perl', "$ROOT/tests/bench/gen-store.pl", '--observations=2000' ]);
my $s0 = JSON::PP->new->decode($text);
# (the dashboard's reader would add a seeded source mix to a store without one: none here)
$s0->{observations} = [ grep { $_->{seriesId} !~ /^energy\.source_mix\./ } @{ $s0->{observations} } ];
my $n = scalar @{ $s0->{observations} };
my $obs = sub { $_[0]{observations} };
sub copy_of { JSON::PP->new->decode($json->encode($_[0])) }

# 1. the store a backfill loaded: every observation vouched for
my $f0 = store_file($s0);
backfill('first', $f0);
my ($code, $j, $err, $sum) = both('the loaded store', $f0);
is($code, 0, 'the loaded store: in parity');
is(vouched($sum), $n, "the loaded store: all $n observations vouched for");
like($sum, qr/0 of 0 \(series, region\) segments differ/, '... and no segment left to compare');

# 2. ten values changed in the store: those ten compared, and found
my $s1 = copy_of($s0);
$obs->($s1)->[ $_ * 150 ]{value} = 1000 + $_ for 0 .. 9;
my $f1 = store_file($s1);
($code, $j, $err, $sum) = both('ten changed', $f1);
is($code, 2, 'ten changed: exit 2');
is_deeply(diffs($j), [ sort map { key_of($obs->($s1)->[ $_ * 150 ]) . ' updated' } 0 .. 9 ],
	'ten changed: each key, updated');
is(vouched($sum), $n - 10, 'ten changed: the others vouched for');

# 3. records removed from the middle of the store and added at the end: the places shift
my $s2 = copy_of($s0);
my @gone = splice(@{ $obs->($s2) }, 500, 3);
push @{ $obs->($s2) }, { %{ $obs->($s0)->[0] }, date => '2030-01-01T00:00:00Z',
	intervalStartUtc => '2030-01-01T00:00:00Z', intervalEndUtc => '2030-01-01T00:05:00Z' };
my $f2 = store_file($s2);
($code, $j, $err, $sum) = both('three removed, one added', $f2);
is_deeply(diffs($j), [ sort((map { key_of($_) . ' exclusive_database' } @gone),
	key_of($obs->($s2)->[-1]) . ' exclusive_store') ], 'three removed, one added: those four keys');
is(vouched($sum), 500, 'three removed, one added: the records before the gap vouched for');

# 4. the database changed under a store that did not: another writer's update
my $k = $obs->($s0)->[700];
$node->psql('UPDATE public.observations SET value = 4242 WHERE ' . where_key($k));
is($node->psql('SELECT store_digest IS NULL FROM public.observations WHERE ' . where_key($k)), 't',
	"another writer's update: the row's digest forgotten");
($code, $j, $err, $sum) = both("another writer's update", $f0);
is_deeply(diffs($j), [ key_of($k) . ' updated' ], "another writer's update: the key, updated");
is(vouched($sum), $n - 1, "another writer's update: the others vouched for");
$node->psql("UPDATE public.observations SET value = $k->{value} WHERE " . where_key($k));

# 5. a row deleted, a row of another writer inserted (without a place)
$k = $obs->($s0)->[1200];
$node->psql('DELETE FROM public.observations WHERE ' . where_key($k));
$node->psql("INSERT INTO public.observations (series_id, region_code, date, value, unit, source_name, source_url, "
	  . "published_at, ingested_at, vintage, is_modeled, confidence) VALUES ('hvi.value.index', 'SA', '2031-12-31', "
	  . "1, 'u', 'S', 'u', now(), now(), '2026-02-27', false, 'official')");
($code, $j, $err, $sum) = both('a row deleted, one inserted', $f0);
is_deeply(diffs($j), [ sort(key_of($k) . ' exclusive_store', 'hvi.value.index|SA|2031-12-31|2026-02-27 exclusive_database') ],
	'a row deleted, one inserted: both keys');
my %e = map { ($_->{entity} => $_) } @{ $j->{entities} };
is_deeply([ @{ $e{observations} }{qw(store database exclusive_store exclusive_database unchanged)} ],
	[ $n, $n, 1, 1, $n - 1 ], 'a row deleted, one inserted: the counts');
# The row without a place is one of those parity digests on the server
# while it reads the store (sql/report/parity.sql, unplaced_rows), and, its
# segment differing, one of those whose keys it reads then
# (in_segments_unvouched): both found through store_ord's index, which
# holds the rows without a place too since migration 0013, not by reading
# the whole table or every row of the segments.  With sequential scans
# off, the planner still takes one when no index can answer (as under
# 0012's partial index).
my $parity_sql = sub {
	my ($name) = @_;
	my ($sql) = slurp_file("$ROOT/sql/report/parity.sql") =~ /^-- name: \Q$name\E\n(?:--[^\n]*\n)*(.+?)\n(?:\n|\z)/ms;
	die "no $name in sql/report/parity.sql" unless defined $sql;
	return $sql;
};
my $plan = sub {
	my ($name, $types, $args) = @_;
	# (as lib/report/parity.c renders it)
	my $rows = $parity_sql->($name) =~ s/\{(unplaced|gone)\}/$parity_sql->("${1}_rows")/ger;
	my $p = $node->psql("SET enable_seqscan = off; PREPARE q$types AS SELECT pg_catalog.count(*) FROM $rows; "
		  . "EXPLAIN EXECUTE q$args");
	my %idx = map { ($_ => 1) } $p =~ /\b(observations_\w+)/g;
	return ($p, join(',', sort keys %idx));
};
my @unvouched = ('in_segments_unvouched', '(bigint[], bigint[], text[], text[])', "('{10}', '{20}', '{hvi.value.index}', '{SA}')");
my ($p, $idx) = $plan->('unplaced_rows', '', '');
is($idx, 'observations_store_ord_idx', 'the rows without a place: found through store_ord\'s index') or diag($p);
unlike($p, qr/Seq Scan/, '... not by reading the whole table');
($p, $idx) = $plan->(@unvouched);
is($idx, 'observations_store_ord_idx', 'the rows no record matched, of the differing segments: through store_ord\'s index')
  or diag($p);
unlike($p, qr/Seq Scan/, '... not by reading the segments\' rows');
command_ok([ 'ausdash-migrate', '-q', 'down', '--to=12', '--confirm' ], 'migration 0013 rolled back');
like(($plan->('unplaced_rows', '', ''))[0], qr/Seq Scan/, '... then the whole table is read');
command_ok([ 'ausdash-migrate', '-q', 'up' ], '... and applied again');
$node->psql("DELETE FROM public.observations WHERE region_code = 'SA' AND date = '2031-12-31'");
backfill('restored', $f0);

# 6. a place held by two rows (written without the trigger) vouches for neither
my ($a, $b) = @{ $obs->($s0) }[ 300, 301 ];
$node->psql('ALTER TABLE public.observations DISABLE TRIGGER ausdash_forget_store_digest; '
	  . 'UPDATE public.observations SET store_ord = 300 WHERE ' . where_key($b) . '; '
	  . 'ALTER TABLE public.observations ENABLE TRIGGER ausdash_forget_store_digest');
is($node->psql('SELECT count(*) FROM public.observations WHERE store_ord = 300 AND store_digest IS NOT NULL'), 2,
	'a place held twice: both rows keep their digests');
($code, $j, $err, $sum) = both('a place held twice', $f0);
is($code, 0, 'a place held twice: in parity (the rows hold what the records say)');
is(vouched($sum), $n - 2, 'a place held twice: neither record vouched for');
backfill('restored', $f0, '--compare-all');

# 7. a write that fires no trigger keeps a stale digest: only --deep sees it (documented)
$k = $obs->($s0)->[900];
$node->psql('SET session_replication_role = replica; UPDATE public.observations SET value = 4343 WHERE '
	  . where_key($k));
{
	my ($cd, $od) = run_command([ $tool, '--format=json', '--deep', "--store=$f0" ]);
	is($cd, 2, 'a write without triggers: --deep finds it');
	is_deeply(diffs(JSON::PP->new->decode($od)), [ key_of($k) . ' updated' ], '... the key, updated');
	my ($cv) = run_command([ $tool, '--format=json', "--store=$f0" ]);
	is($cv, 0, '... while the row vouches for the record still (store_digest is trusted)');
}
# (a backfill --compare-all puts it back and keeps the digest: migration 0011)
backfill('a write without triggers put back', $f0, '--compare-all');
is($node->psql("SELECT (value = '$k->{value}'::numeric)::text || ' ' || (store_digest IS NOT NULL)::text "
	  . 'FROM public.observations WHERE ' . where_key($k)), 'true true', '... the value back, with its digest');
($code, $j, $err, $sum) = both('put back', $f0);
is(vouched($sum), $n, 'put back: every observation vouched for again');

# 8. no second connection: every observation digested, said at -v
$node->psql('CREATE ROLE one LOGIN CONNECTION LIMIT 1; GRANT SELECT ON ALL TABLES IN SCHEMA public TO one');
{
	local $ENV{PGUSER} = 'one';
	($code, $j, $err, $sum) = both('no second connection', $f1);
}
like($err, qr/comparing every record of public\.observations: its digests could not be read/,
	'no second connection: said at -v');
is(vouched($sum), 'none', 'no second connection: nothing vouched for');
is(scalar @{ diffs($j) }, 10, 'no second connection: the ten changed found');

# 9. more records not vouched for than are kept: the differing segments read again
my ($c2, $text2) = run_command([ 'perl', "$ROOT/tests/bench/gen-store.pl", '--observations=24000' ]);
my $big = JSON::PP->new->decode($text2);
$big->{observations} = [ grep { $_->{seriesId} !~ /^energy\.source_mix\./ } @{ $big->{observations} } ];
my $fb = store_file($big);
backfill('big', $fb);
my $big2 = copy_of($big);
my @first = splice(@{ $obs->($big2) }, 0, 1);
$obs->($big2)->[ $_ * 997 ]{value} = 5000 + $_ for 0 .. 9;
my $fb2 = store_file($big2);
($code, $j, $err, $sum) = both('every place shifted', $fb2);
is(vouched($sum), 0, 'every place shifted: nothing vouched for');
is_deeply(diffs($j), [ sort(key_of($first[0]) . ' exclusive_database',
	map { key_of($obs->($big2)->[ $_ * 997 ]) . ' updated' } 0 .. 9) ],
	'every place shifted: the removed key and the ten changed');

# 10. the seeded source mix the dashboard's reader adds: placed after the store's own
my $seed = { version => 1, updatedAt => '2026-02-27T02:05:00Z', sources => [], sourceCursors => [],
	ingestionRuns => [], observations => [ map { { %{ $obs->($s0)->[0] },
		seriesId => "energy.source_mix.official.share_pct.$_", regionCode => 'AU', value => length($_) } } qw(coal gas) ] };
my $fs = store_file($seed);
$node->psql('TRUNCATE public.observations, public.raw_snapshots, public.source_cursors, '
	  . 'public.price_intake_batches, public.unresolved_price_items, public.store_meta CASCADE');
$node->psql('DELETE FROM public.ingestion_runs');
backfill('with a seed', $f0, "--reader-seed=$fs");
($code, $j, $err, $sum) = both('with a seed', $f0, "--reader-seed=$fs");
is($code, 0, 'with a seed: in parity');
is(vouched($sum), $n + 2, 'with a seed: the seeded observations vouched for too');

done_testing();
