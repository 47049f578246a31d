# tests/t/095_partitioned.t - sql/optional/partition_observations.sql turns
# observations into a table partitioned by HASH (series_id) with the same
# names, and every tool works on it as before (docs/scaling.md): a backfill
# into it, a no-op rerun, a changed store, an ingest, the reports.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use JSON::PP ();
use Test::More;

my $node = Ausdash::Test::Cluster->new('partitioned')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'schema migrated');

sub gen
{
	my ($file, @args) = @_;
	my ($code, $out, $err) = run_command([ 'sh', '-c',
		"'$ROOT/tests/bench/gen-store.pl' @args > '$file'" ]);
	die "gen-store failed: $err" if $code;
}
gen("$TMP/store.json", '--observations=3000');
gen("$TMP/changed.json", '--observations=3000', '--changed=10');

sub backfill
{
	my ($name, @args) = @_;
	my ($code, $out, $err) = run_command([ 'ausdash-backfill', '--json', @args ]);
	is($code, 0, "$name: exit 0") or diag($err);
	my $r = $code == 0 ? JSON::PP->new->decode($out) : {};
	return ($r->{entities}{observations} // {}, $err);
}

my ($o) = backfill('into the plain table', "$TMP/store.json");
is($o->{inserted}, 3000, 'into the plain table: 3000 inserted');
my $state = "SELECT pg_catalog.count(*) || ' ' || pg_catalog.md5(pg_catalog.string_agg("
  . "series_id || region_code || date || vintage || value::text, ',' ORDER BY series_id, region_code, date, vintage)) "
  . "FROM public.observations";
my $before = $node->psql($state);

command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', 'partitions=4', '-1', '-f',
	"$ROOT/sql/optional/partition_observations.sql" ], 'partition_observations.sql runs');
is($node->psql("SELECT relkind FROM pg_catalog.pg_class WHERE oid = 'public.observations'::pg_catalog.regclass"),
	'p', 'observations is now partitioned');
is($node->psql("SELECT pg_catalog.count(*) FROM pg_catalog.pg_inherits "
	  . "WHERE inhparent = 'public.observations'::pg_catalog.regclass"), 4, '... into 4 partitions');
is($node->psql("SELECT pg_catalog.string_agg(conname, ',' ORDER BY conname) FROM pg_catalog.pg_constraint "
	  . "WHERE conrelid = 'public.observations'::pg_catalog.regclass"),
	'observations_confidence_check,observations_pkey,observations_series_region_date_vintage_unique',
	'... with the same constraint names');
is($node->psql("SELECT pg_catalog.string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_catalog.pg_index i "
	  . "JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid "
	  . "WHERE i.indrelid = 'public.observations'::pg_catalog.regclass"),
	'observations_country_metric_date_idx,observations_latest_idx,observations_pkey,'
	  . 'observations_series_region_date_idx,observations_series_region_date_vintage_unique,'
	  . 'observations_store_ord_idx',
	'... and the same index names');
my $fillfactors = "SELECT pg_catalog.string_agg(c.relname || ' ' || "
  . "COALESCE(pg_catalog.array_to_string(c.reloptions, ','), '-'), ';' ORDER BY c.relname) "
  . "FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid "
  . "WHERE i.inhparent = 'public.observations'::pg_catalog.regclass";
my $ff90 = join(';', map { "observations_p$_ fillfactor=90" } 0 .. 3);
is($node->psql($fillfactors), $ff90, '... each partition with room for new row versions (migration 0012)');
is($node->psql("SELECT pg_catalog.pg_get_indexdef('public.observations_store_ord_idx'::pg_catalog.regclass)"),
	'CREATE INDEX observations_store_ord_idx ON ONLY public.observations USING btree (store_ord)',
	'... store_digest in no index, and every row in store_ord\'s (migration 0013)');
is($node->psql("SELECT pg_catalog.string_agg(tgname, ',') FROM pg_catalog.pg_trigger "
	  . "WHERE tgrelid = 'public.observations'::pg_catalog.regclass AND NOT tgisinternal"),
	'ausdash_forget_store_digest', '... and the trigger that forgets a digest');
is($node->psql($state), $before, '... and the same rows');
is($node->psql("SELECT pg_catalog.count(*) FROM public.observations_p0"), 
	$node->psql("SELECT pg_catalog.count(*) FROM public.observations WHERE "
	  . "pg_catalog.satisfies_hash_partition('public.observations'::pg_catalog.regclass, 4, 0, series_id)"),
	'partition 0 holds its series');

($o) = backfill('the same store again', "$TMP/store.json");
is("$o->{inserted}/$o->{updated}/$o->{unchanged}", '0/0/3000', 'the same store again: nothing written');
is($node->psql($state), $before, '... rows unchanged');

($o) = backfill('a changed store', "$TMP/changed.json");
is("$o->{inserted}/$o->{updated}", '0/300', 'a changed store: 300 updated');

my ($code, $out, $err) = run_command([ 'ausdash-parity', "--store=$TMP/changed.json", '--format=nagios' ]);
is($code, 0, 'parity with the changed store: in parity') or diag($out, $err);

command_ok([ 'ausdash-ingest', '-q', '--source=aemo_wholesale', "$ROOT/tests/data/feeds/wholesale.csv" ],
	'an ingest into the partitioned table');
($code, $out) = run_command([ 'ausdash-freshness', '--format=json', '--at=2026-02-27T12:00:00Z' ]);
ok($code <= 2, 'freshness reads it') or diag($out);
like($out, qr/"series": "energy.wholesale.rrp.au_weighted_aud_mwh"/, 'freshness: the wholesale key series');

# migrations 0013 and 0012 down and up again on the partitioned table: its
# partitions' storage parameter, the index built again on each
command_ok([ 'ausdash-migrate', '-q', 'down', '--to=11', '--confirm' ],
	'0013 and 0012 rolled back on the partitioned table');
is($node->psql($fillfactors), join(';', map { "observations_p$_ -" } 0 .. 3), '... the partitions filled whole');
command_ok([ 'ausdash-migrate', '-q', 'up' ], '... and applied again');
is($node->psql($fillfactors), $ff90, '... the partitions with room again');
is($node->psql("SELECT pg_catalog.count(*) FROM pg_catalog.pg_inherits "
	  . "WHERE inhparent = 'public.observations_store_ord_idx'::pg_catalog.regclass"), 4,
	'... store_ord\'s index on each partition');

# into the empty partitioned table, indexes stay in place (not a plain table)
$node->psql('TRUNCATE public.observations');
($o, $err) = backfill('into the empty partitioned table', '--index-build=after', '-v', '-v', "$TMP/store.json");
is($o->{inserted}, 3000, 'into the empty partitioned table: 3000 inserted');
like($err, qr/the indexes of public.observations cannot all be dropped and built again; inserting with them in place/,
	'... its indexes kept');
is($node->psql($state), $before, '... the same rows as at first');

done_testing();
