# tests/t/021_dashboard_schema.t - the price warehouse (migration 0008) is
# the dashboard's own, table by table: columns in order with their types,
# nullability and defaults, primary keys, unique and check constraints,
# indexes and foreign keys, with drizzle's names, as the dashboard's schema
# after its migration 0004 describes them
# (../shared/data/aus-dash/packages/db/drizzle/meta/0004_snapshot.json,
# read in place).  And the dashboard's writers can use it: one row in each
# table, referring to ausdash's own sources, regions, runs and snapshots.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use JSON::PP ();
use Test::More;

my @warehouse = qw(product_categories products merchants product_aliases merchant_locations offers
  price_observations price_rollups_daily index_definitions index_basket_versions index_weights);

my $node = Ausdash::Test::Cluster->new('dashschema')->start;
command_exit_is([ 'ausdash-migrate', 'up' ], 0, 'migrate up');

# types and expressions as both sides write them, compared without the
# noise: quotes, casts, pg_catalog., spaces and case
sub norm
{
	my ($s) = @_;
	return undef unless defined $s;
	$s = lc $s;
	$s =~ s/"//g;
	$s =~ s/pg_catalog\.//g;
	$s =~ s/::(?:text|numeric|integer|boolean|uuid|date|timestamp with time zone)//g;
	$s =~ s/\s+//g;
	$s =~ s/\((\d+)\)/$1/g;	# (0) and 0
	$s =~ s/^\((.*)\)$/$1/ while $s =~ /^\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)$/;
	return $s;
}

sub rows { my ($sql) = @_; return [ map { [ split /\t/, $_, -1 ] } grep { length } split /\n/, $node->psql($sql, sep => "\t") ] }

# --- the database's description of a table ---------------------------------------
sub describe
{
	my ($t) = @_;
	my %d;
	$d{columns} = [ map { { name => $_->[0], type => norm($_->[1]), notnull => $_->[2] eq 't',
		default => norm($_->[3] eq '' ? undef : $_->[3]) } }
	  @{ rows("SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
		  . "COALESCE(pg_catalog.pg_get_expr(d.adbin, d.adrelid), '') FROM pg_catalog.pg_attribute a "
		  . "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
		  . "WHERE a.attrelid = 'public.$t'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum") } ];
	$d{pk} = join ',', map { $_->[0] } @{ rows("SELECT a.attname FROM pg_catalog.pg_index i "
		  . "JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) "
		  . "WHERE i.indrelid = 'public.$t'::regclass AND i.indisprimary ORDER BY a.attnum") };
	for my $r (@{ rows("SELECT c.conname, c.contype, pg_catalog.pg_get_constraintdef(c.oid), "
		  . "COALESCE(f.relname, ''), c.confdeltype, c.confupdtype FROM pg_catalog.pg_constraint c "
		  . "LEFT JOIN pg_catalog.pg_class f ON f.oid = c.confrelid "
		  . "WHERE c.conrelid = 'public.$t'::regclass AND c.contype IN ('u', 'f', 'c')") })
	{
		my ($name, $type, $def, $to, $del, $upd) = @$r;
		if ($type eq 'u')
		{
			my ($cols) = $def =~ /UNIQUE (?:NULLS NOT DISTINCT )?\((.*)\)/;
			$d{unique}{$name} = norm($cols) . ($def =~ /NULLS NOT DISTINCT/ ? ' nulls not distinct' : '');
		}
		elsif ($type eq 'f')
		{
			my ($from, $tocols) = $def =~ /FOREIGN KEY \((.*?)\) REFERENCES \S+\((.*?)\)/;
			my %act = (a => 'no action', r => 'restrict', c => 'cascade', n => 'set null', d => 'set default');
			$d{fk}{$name} = join ' ', norm($from), $to, norm($tocols), $act{$del}, $act{$upd};
		}
		else
		{
			$d{check}{$name} = norm($def =~ s/^CHECK //r);
		}
	}
	for my $r (@{ rows("SELECT ic.relname, i.indisunique, am.amname, pg_catalog.pg_get_indexdef(i.indexrelid) "
		  . "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
		  . "JOIN pg_catalog.pg_am am ON am.oid = ic.relam "
		  . "WHERE i.indrelid = 'public.$t'::regclass AND NOT i.indisprimary "
		  . "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conindid = i.indexrelid)") })
	{
		my ($name, $unique, $method, $def) = @$r;
		my ($cols) = $def =~ /USING \w+ \((.*)\)$/;
		$d{index}{$name} = join ' ', ($unique eq 't' ? 'unique' : 'index'), $method, norm($cols);
	}
	return \%d;
}

# --- the snapshot's ---------------------------------------------------------------

# a name as PostgreSQL keeps it (NAMEDATALEN - 1 bytes): drizzle's longest
# foreign-key names are cut there when its own migrations run, too
sub ident { return substr($_[0], 0, 63) }
sub from_snapshot
{
	my ($t) = @_;
	my %d;
	$d{columns} = [ map { { name => $_->{name}, type => norm($_->{type}), notnull => $_->{notNull} ? 1 : '',
		default => defined $_->{default} ? norm(ref $_->{default} ? ($_->{default} ? 'true' : 'false') : $_->{default}) : undef } }
	  sort { $a->{_order} <=> $b->{_order} } @{ $t->{_columns} } ];
	$_->{notnull} = $_->{notnull} ? 1 : '' for @{ $d{columns} };
	$d{pk} = join ',', map { $_->{name} } grep { $_->{primaryKey} } @{ $t->{_columns} };
	$d{unique}{ ident($_->{name}) } = join(',', @{ $_->{columns} }) . ($_->{nullsNotDistinct} ? ' nulls not distinct' : '')
	  for values %{ $t->{uniqueConstraints} };
	$d{fk}{ ident($_->{name}) } = join ' ', join(',', @{ $_->{columnsFrom} }), $_->{tableTo}, join(',', @{ $_->{columnsTo} }),
	  $_->{onDelete}, $_->{onUpdate}
	  for values %{ $t->{foreignKeys} };
	# a check as PostgreSQL writes it back: the snapshot's expression
	# (drizzle qualifies its columns) on a scratch copy of the table
	for my $ck (values %{ $t->{checkConstraints} || {} })
	{
		(my $expr = $ck->{value}) =~ s/"\Q$t->{name}\E"\.//g;
		$d{check}{ ident($ck->{name}) } = norm(scalar $node->psql(
			"BEGIN; CREATE TEMP TABLE scratch (LIKE public.$t->{name}); "
			  . "ALTER TABLE scratch ADD CONSTRAINT c CHECK ($expr); "
			  . "SELECT pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint "
			  . "WHERE conname = 'c' AND conrelid = 'scratch'::regclass; ROLLBACK;") =~ s/^CHECK //r);
	}
	for my $ix (values %{ $t->{indexes} })
	{
		$d{index}{ ident($ix->{name}) } = join ' ', ($ix->{isUnique} ? 'unique' : 'index'), $ix->{method},
		  norm(join ',', map { $_->{expression} . ($_->{asc} // 1 ? '' : ' desc') } @{ $ix->{columns} });
	}
	return \%d;
}

for my $t (@warehouse)
{
	is($node->psql("SELECT pg_catalog.to_regclass('public.$t') IS NOT NULL"), 't', "$t exists");
}

SKIP:
{
	my $dir = shared_dir('data/aus-dash/packages/db/drizzle/meta');
	skip '../shared is absent: the dashboard\'s 0004_snapshot.json is not here to compare with', 1
	  unless $dir && -f "$dir/0004_snapshot.json";
	# the columns in the file's order (JSON::PP keeps it with a tied hash; an
	# explicit parse of the order is simpler: each table's "columns" keys
	# appear in order in the text)
	my $text = slurp_file("$dir/0004_snapshot.json");
	my $snap = JSON::PP->new->decode($text);
	for my $t (@warehouse)
	{
		my $def = $snap->{tables}{"public.$t"};
		ok($def, "the snapshot defines $t") or next;
		my ($block) = $text =~ /"public\.\Q$t\E":\s*\{.*?"columns":\s*\{(.*?)\n      \},\n      "indexes"/s;
		my @order = ($block // '') =~ /^        "(\w+)": \{/mg;
		is(scalar @order, scalar keys %{ $def->{columns} }, "$t: the snapshot's column order read");
		my %pos = map { $order[$_] => $_ } 0 .. $#order;
		$def->{_columns} = [ map { { %{ $def->{columns}{$_} }, _order => $pos{$_} // 999 } } keys %{ $def->{columns} } ];
		my ($db, $want) = (describe($t), from_snapshot($def));
		is_deeply($db->{columns}, $want->{columns}, "$t: the columns, in order, with types, nullability and defaults");
		is($db->{pk}, $want->{pk}, "$t: the primary key");
		is_deeply($db->{unique} || {}, $want->{unique} || {}, "$t: the unique constraints");
		is_deeply($db->{fk} || {}, $want->{fk} || {}, "$t: the foreign keys");
		is_deeply($db->{check} || {}, $want->{check} || {}, "$t: the check constraints");
		is_deeply($db->{index} || {}, $want->{index} || {}, "$t: the indexes");
	}
}

# the dashboard's price pipeline can write: a row in each table, on
# ausdash's own catalog, runs and snapshots
command_ok([ 'sh', '-c', "'$ROOT/tests/bench/gen-store.pl' --observations=5 > '$TMP/store.json'" ], 'a store');
command_ok([ 'ausdash-backfill', '-q', "$TMP/store.json" ], 'backfilled');
my $run = $node->psql("SELECT run_id FROM public.ingestion_runs LIMIT 1");
my $snapshot = $node->psql("SELECT snapshot_id FROM public.raw_snapshots LIMIT 1");
my $source = $node->psql("SELECT source_id FROM public.sources LIMIT 1");
my ($code, $out, $err) = $node->psql(<<"SQL");
BEGIN;
INSERT INTO public.product_categories VALUES ('00000000-0000-0000-0000-000000000001', 'food', 'Food', NULL, NULL, NULL, true, now(), now());
INSERT INTO public.products (product_id, category_id, slug, canonical_name, created_at, updated_at)
  VALUES ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', 'milk-2l', 'Milk 2L', now(), now());
INSERT INTO public.merchants (merchant_id, slug, name, merchant_type, created_at, updated_at)
  VALUES ('00000000-0000-0000-0000-000000000003', 'shop', 'Shop', 'supermarket', now(), now());
INSERT INTO public.offers (offer_id, source_id, merchant_id, product_id, external_offer_id, first_seen_at, last_seen_at)
  VALUES ('00000000-0000-0000-0000-000000000004', '$source', '00000000-0000-0000-0000-000000000003',
          '00000000-0000-0000-0000-000000000002', 'x1', now(), now());
INSERT INTO public.price_observations (price_observation_id, offer_id, product_id, merchant_id, region_code,
  observed_at, observed_date, price_type, price_amount, source_run_id, raw_snapshot_id, created_at)
  SELECT '00000000-0000-0000-0000-000000000005', '00000000-0000-0000-0000-000000000004',
         '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000003',
         (SELECT region_code FROM public.regions LIMIT 1), now(), current_date, 'shelf', 4.5,
         '$run', '$snapshot', now();
COMMIT;
SQL
is($code, 0, 'the dashboard\'s price rows go in, referring to ausdash\'s sources, runs and snapshots')
  or diag($err);
is($node->psql("SELECT count(*) FROM public.price_observations"), 1, '... and are there');
command_ok([ 'ausdash-backfill', '-q', "$TMP/store.json" ], 'a backfill again leaves them be');
is($node->psql("SELECT count(*) FROM public.offers"), 1, '... the offer still there');

done_testing();
