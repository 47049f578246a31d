# tests/t/041_backfill_skip.t - a backfill leaves alone the observations the
# database holds exactly as an earlier backfill copied them (their digests,
# migration 0010) and stages the rest.  Every step runs on two databases:
# "skip" as a backfill runs by default, "whole" with --compare-all, which
# stages and compares every record.  After each step both must hold the
# same rows, places and digests and report the same counts; what differs
# is only what was staged.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use JSON::PP ();
use Test::More;

my $tool = 'ausdash-backfill';
my $json = JSON::PP->new->canonical->allow_bignum;

my $node = Ausdash::Test::Cluster->new('skip')->start;
for my $db (qw(skip whole))
{
	$node->psql("CREATE DATABASE $db");
	local $ENV{PGDATABASE} = $db;
	command_ok([ 'ausdash-migrate', '-q', 'up' ], "$db: schema migrated");
}

# Every observation but its generated id, in key order.
sub rows
{
	my ($db) = @_;
	return $node->psql("SELECT pg_catalog.string_agg((pg_catalog.to_jsonb(t) - 'id')::text, E'\\n' "
		  . "ORDER BY series_id, region_code, date, vintage) FROM public.observations t",
		dbname => $db);
}

# The physical identity of every observation: a rewritten row shows a new xmin.
sub xmins
{
	my ($db) = @_;
	return $node->psql("SELECT pg_catalog.md5(pg_catalog.string_agg(t.xmin::text || t.ctid::text, ',' "
		  . "ORDER BY series_id, region_code, date, vintage)) FROM public.observations t",
		dbname => $db);
}

my $step = 0;

# Writes $store, backfills it into both databases (@args on both), and
# compares them.  Returns the skip run's -vv output and both summaries.
sub both
{
	my ($name, $store, @args) = @_;
	my $file = "$TMP/store-" . ++$step . '.json';
	write_file($file, ref $store ? $json->encode($store) : $store);
	my %sum;
	my $err;
	for my $db (qw(skip whole))
	{
		local $ENV{PGDATABASE} = $db;
		my ($code, $out, $e) = run_command([ $tool, '--json', '-v', '-v',
			($db eq 'whole' ? '--compare-all' : ()), @args, $file ]);
		ok($code == 0 || $code == 2, "$name: $db: the run succeeds") or diag($e);
		$sum{$db} = $code <= 2 && $out ne '' ? JSON::PP->new->decode($out) : {};
		$err = $e if $db eq 'skip';
	}
	is(rows('skip'), rows('whole'), "$name: both databases hold the same rows, places and digests");
	is($json->encode($sum{skip}{entities}), $json->encode($sum{whole}{entities}),
		"$name: the same counts");
	return ($err, $sum{skip}, $sum{whole});
}

# What the skip run's -vv line says of observations: staged, and not staged.
sub staged
{
	my ($err) = @_;
	return ($1, $2 // 0) if $err =~ /debug: observations: (\d+) staged,.*?unchanged(?:, (\d+) of them not staged)?/;
	return ('?', '?');
}

my ($c, $text) = run_command([ 'perl', "$ROOT/tests/bench/gen-store.pl", '--observations=2000' ]);
my $s0 = JSON::PP->new->decode($text);
my $obs = sub { $_[0]{observations} };
sub copy_of { JSON::PP->new->decode($json->encode($_[0])) }

# 1. into empty databases: every row gets its digest
my ($err, $skip) = both('first load', $s0);
is($node->psql('SELECT count(*) FROM public.observations WHERE store_digest IS NULL', dbname => 'skip'),
	0, 'first load: every observation has its digest');

# 2. the same store again: nothing staged, nothing written
my $x = xmins('skip');
($err) = both('same store', $s0);
is(join('/', staged($err)), '0/2000', 'same store: nothing staged, 2000 left as they are');
is(xmins('skip'), $x, 'same store: no row rewritten');
($err) = both('same store, --dry-run', $s0, '--dry-run');
is(xmins('skip'), $x, 'same store, --dry-run: no row rewritten');

# 3. ten values changed, spread over the store
my $s1 = copy_of($s0);
$obs->($s1)->[ $_ * 199 ]{value} = 1000 + $_ for 0 .. 9;
($err, $skip) = both('ten changed', $s1);
is(join('/', staged($err)), '10/1990', 'ten changed: only those staged');
is($skip->{entities}{observations}{updated}, 10, 'ten changed: 10 updated');
# ... each rewritten in place, with no new index entry (a HOT update: no
# indexed column holds the digest and the page had room, migration 0012).
# The counters are the backfill's, sent as its session ends: wait for them.
my $upd;
for (1 .. 100)
{
	$upd = $node->psql("SELECT n_tup_upd || '/' || n_tup_hot_upd FROM pg_catalog.pg_stat_user_tables "
		  . "WHERE relid = 'public.observations'::pg_catalog.regclass", dbname => 'skip');
	last if $upd =~ /^(\d+)/ && $1 >= 10;
	select(undef, undef, undef, 0.1);
}
is($upd, '10/10', 'ten changed: ten updates, all HOT');

# 4. records added at the end and removed from the middle: places shift
my $s2 = copy_of($s1);
splice(@{ $obs->($s2) }, 500, 3);
push @{ $obs->($s2) }, map { { %{ $obs->($s1)->[0] }, date => "2030-01-0${_}T00:00:00Z",
	intervalStartUtc => "2030-01-0${_}T00:00:00Z", intervalEndUtc => "2030-01-0${_}T00:05:00Z" } } 1 .. 5;
($err, $skip) = both('three removed, five added', $s2);
is(join('/', staged($err)), '1502/500', 'three removed, five added: the records after the gap staged');
is($node->psql('SELECT count(*) FROM public.observations WHERE store_ord IS NULL', dbname => 'skip'),
	3, 'three removed: their rows lose their places');

# 5. the store loses its last records: their rows lose their places too
my $s3 = copy_of($s2);
splice(@{ $obs->($s3) }, -20);
($err) = both('last twenty removed', $s3);
is(join('/', staged($err)), '0/1982', 'last twenty removed: nothing staged');
is($node->psql('SELECT count(*) FROM public.observations WHERE store_ord IS NULL', dbname => 'skip'),
	23, 'last twenty removed: their rows lose their places');

# 6. a key twice: the last occurrence wins, whichever of the two is staged
my $s4 = copy_of($s3);
my @o = @{ $obs->($s4) };
# an earlier occurrence (staged) of a key held as it is later (not staged)
$o[100] = { %{ $o[300] }, value => 4242 };
# a later occurrence (staged) of a key held as it is earlier (not staged)
$o[900] = { %{ $o[700] }, value => 4343 };
$s4->{observations} = \@o;
($err, $skip) = both('a key twice', $s4);
is(join('/', staged($err)), '2/1979', 'a key twice: the two new occurrences staged');
is($skip->{entities}{observations}{duplicates}, 2, 'a key twice: 2 duplicates');
my $k = $o[300];
is($node->psql("SELECT value::text || ' ' || store_ord FROM public.observations WHERE series_id = '$k->{seriesId}' "
	  . "AND region_code = '$k->{regionCode}' AND date = '$k->{date}' AND vintage = '$k->{vintage}'", dbname => 'skip'),
	"$k->{value} 300", 'a key twice: the later occurrence held as it is wins over an earlier one');
$k = $o[700];
is($node->psql("SELECT value::text || ' ' || store_ord FROM public.observations WHERE series_id = '$k->{seriesId}' "
	  . "AND region_code = '$k->{regionCode}' AND date = '$k->{date}' AND vintage = '$k->{vintage}'", dbname => 'skip'),
	'4343 900', 'a key twice: a later staged occurrence wins over one held as it is');

# 7. another writer changes a row: its digest is forgotten, the next backfill restores it
$k = $o[1200];
my $where = "series_id = '$k->{seriesId}' AND region_code = '$k->{regionCode}' AND date = '$k->{date}' "
  . "AND vintage = '$k->{vintage}'";
for my $db (qw(skip whole))
{
	$node->psql("UPDATE public.observations SET value = value + 1 WHERE $where", dbname => $db);
}
is($node->psql("SELECT store_digest IS NULL FROM public.observations WHERE $where", dbname => 'skip'),
	't', "another writer's update: the row's digest forgotten");
$node->psql("UPDATE public.observations SET store_digest = store_digest WHERE $where", dbname => 'skip');
is($node->psql("SELECT store_digest IS NULL FROM public.observations WHERE $where", dbname => 'skip'),
	't', '... and an update that sets it to itself keeps it forgotten');
($err) = both("another writer's update", $s4);
# (and the earlier occurrences of the two keys, which no row holds at their places)
is(join('/', staged($err)), '3/1979', "another writer's update: that row staged");
is($node->psql("SELECT value::text FROM public.observations WHERE $where", dbname => 'skip'),
	"$k->{value}", "another writer's update: the store's value back");

# 8. a bad record within --max-errors: its row loses its place, as with every record staged
my $s5 = copy_of($s4);
$obs->($s5)->[1500]{value} = 'not a number';
($err, $skip) = both('a rejected record', $s5, '--max-errors=1');
is($skip->{entities}{observations}{rejected}, 1, 'a rejected record: rejected');
is(join('/', staged($err)), '2/1979', 'a rejected record: not staged, its place not held');
is($node->psql('SELECT count(*) FROM public.observations WHERE store_ord = 1500', dbname => 'skip'),
	0, 'a rejected record: its row loses its place');

# 9. without a second connection every record is staged, with the same result
$node->psql("CREATE ROLE one LOGIN CONNECTION LIMIT 1; GRANT pg_read_all_data, pg_write_all_data TO one; "
	  . "GRANT TEMPORARY ON DATABASE skip TO one; GRANT TEMPORARY ON DATABASE whole TO one");
my $s6 = copy_of($s4);
$obs->($s6)->[42]{value} = 4444;
{
	local $ENV{PGUSER} = 'one';
	($err) = both('no second connection', $s6);
}
like($err, qr/info: no second connection: .*too many connections/, 'no second connection: said at -v');
like($err, qr/comparing every record of public.observations: its digests could not be read/,
	'... and every record compared');
is(join('/', staged($err)), '1982/0', 'no second connection: every record staged');

# 10. a row whose digest another writer made forget, then replaced in the
# store by a record of another key: it loses its place to the new row
$k = $obs->($s6)->[1000];
$where = "series_id = '$k->{seriesId}' AND region_code = '$k->{regionCode}' AND date = '$k->{date}' "
  . "AND vintage = '$k->{vintage}'";
for my $db (qw(skip whole))
{
	$node->psql("UPDATE public.observations SET value = value + 1 WHERE $where", dbname => $db);
}
my $s8 = copy_of($s6);
$obs->($s8)->[1000]{vintage} = '2031-01-01';
($err) = both('a forgotten row replaced', $s8);
is($node->psql("SELECT count(*) FROM public.observations WHERE store_ord = 1000", dbname => 'skip'),
	1, 'a forgotten row replaced: one row at its place');
is($node->psql("SELECT store_ord IS NULL FROM public.observations WHERE $where", dbname => 'skip'),
	't', 'a forgotten row replaced: it loses its place');

# 11. the digests follow what a backfill wrote, not the JSON's spelling
my $s7 = copy_of($s8);
my $text7 = $json->encode($s7);
$text7 =~ s/"value":4444\b/"value":4444.0/ or die 'no 4444';
($err, $skip) = both('the same number spelt otherwise', $text7);
is(join('/', staged($err)), '3/1979', 'the same number spelt otherwise: staged');
($err) = both('... and again', $text7);
is(join('/', staged($err)), '2/1980', '... and again: held as it is now');

done_testing();
