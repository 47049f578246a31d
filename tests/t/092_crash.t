# tests/t/092_crash.t - crash safety: ausdash-backfill (staged, copied
# straight into the empty tables, and over a database that holds most of
# the store already, its unchanged records left unstaged) and
# ausdash-ingest killed with SIGKILL at
# 20 seeded points each, spread over the whole run (parse, COPY, merge or
# index builds, commit).  Each time the tables hold exactly the
# state before the run or after it, never anything in between; a killed
# run stays visible and the next run marks it abandoned and succeeds.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use IPC::Run ();
use Test::More;
use Time::HiRes qw(time sleep);

my $node = Ausdash::Test::Cluster->new('crash')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'schema migrated');
$node->psql('CREATE DATABASE crash_template TEMPLATE postgres');

my @tables = qw(sources raw_snapshots observations source_cursors price_intake_batches
  unresolved_price_items store_meta);

# The content of every table but the run ledger, without what differs
# between two whole runs by design: random observation ids, and the times
# and ids an ingest takes from its clock.
my %volatile = (observations => "'id' - 'ingested_at'", raw_snapshots => "'snapshot_id' - 'captured_at'",
	source_cursors => "'updated_at'");
sub content
{
	my ($db) = @_;
	# and every index of the tables (a load copied straight into a table
	# drops them and builds them again)
	return $node->psql(join(' UNION ALL ', (map {
		my $row = "(pg_catalog.to_jsonb(t) - " . ($volatile{$_} // "'-'") . ")::text";
		"SELECT '$_' || ':' || pg_catalog.count(*) || ':' || pg_catalog.md5(COALESCE(pg_catalog.string_agg("
		  . "$row, '|' ORDER BY $row), '')) FROM public.$_ t" } @tables),
		"SELECT 'indexes:' || pg_catalog.string_agg(pg_catalog.pg_get_indexdef(i.indexrelid), '|' "
		  . "ORDER BY pg_catalog.pg_get_indexdef(i.indexrelid)) FROM pg_catalog.pg_index i "
		  . "JOIN pg_catalog.pg_class c ON c.oid = i.indrelid "
		  . "WHERE c.relnamespace = 'public'::pg_catalog.regnamespace"), dbname => $db);
}

my %template = (backfill_skipping => 'crash_loaded');
sub fresh_db
{
	my ($name) = @_;
	my $template = $template{$name} // 'crash_template';
	$node->psql('DROP DATABASE IF EXISTS crash_run');
	$node->psql("CREATE DATABASE crash_run TEMPLATE $template");
}

my ($c, $store) = run_command([ 'perl', "$ROOT/tests/bench/gen-store.pl", '--observations=15000', '--snapshots=20' ]);
write_file("$TMP/store.json", $store);
# the same store with every tenth value otherwise, loaded into a template of its own
($c, $store) = run_command([ 'perl', "$ROOT/tests/bench/gen-store.pl", '--observations=15000', '--snapshots=20',
	'--changed=10' ]);
write_file("$TMP/store-older.json", $store);
$node->psql('CREATE DATABASE crash_loaded TEMPLATE crash_template');
{
	local $ENV{PGDATABASE} = 'crash_loaded';
	command_ok([ 'ausdash-backfill', '-q', "$TMP/store-older.json" ], 'a template holding an older store');
}
my $nd = '';
for my $i (1 .. 30000)
{
	$nd .= qq({"seriesId":"crash.series","regionCode":"R) . ($i % 10) . qq(","date":"2020-01-01","value":$i,)
	  . qq("unit":"u","sourceName":"s","sourceUrl":"u","publishedAt":"2020-01-01T00:00:00Z",)
	  . qq("vintage":"v$i","isModeled":false,"confidence":"official"}\n);
}
write_file("$TMP/payload.ndjson", $nd);

my %tool = (
	backfill => [ 'ausdash-backfill', '-q', "$TMP/store.json" ],
	# into the empty tables themselves, their indexes dropped and built after
	backfill_copied => [ 'ausdash-backfill', '-q', '--index-build=after', "$TMP/store.json" ],
	# over the older store: nine records in ten held as they are, not staged
	backfill_skipping => [ 'ausdash-backfill', '-q', "$TMP/store.json" ],
	ingest => [ 'ausdash-ingest', '-q', '--source=crash_feed', '--format=ndjson', "$TMP/payload.ndjson" ],
);
srand(20261123);
for my $name (sort keys %tool)
{
	local $ENV{PGDATABASE} = 'crash_run';
	# the states before and after a whole run, and how long one takes
	fresh_db($name);
	my $before = content('crash_run');
	my $t0 = time;
	command_ok($tool{$name}, "$name: a whole run");
	my $took = time - $t0;
	my $after = content('crash_run');
	isnt($after, $before, "$name: the run changes the tables");
	diag(sprintf('%s: a whole run takes %.2f s', $name, $took));
	if ($name eq 'backfill_skipping')
	{
		fresh_db($name);
		my ($code, $o, $e) = run_command([ 'ausdash-backfill', '-vv', "$TMP/store.json" ]);
		like($e, qr/observations: 1500 staged, .*, 13500 of them not staged/,
			"$name: the records held as they are are not staged");
		is(content('crash_run'), $after, "$name: ... and the state after is the same");
	}

	my %seen;
	for my $i (0 .. 19)
	{
		# 20 points spread over the run, each shifted by a seeded jitter
		my $at = $took * ($i + 0.2 + 0.6 * rand()) / 20;
		fresh_db($name);
		my $h = IPC::Run::start($tool{$name}, '>', \my $out, '2>', \my $err);
		sleep $at;
		$h->signal('KILL');
		$h->finish;
		my $killed = ($h->full_result(0) & 127) == 9;
		my $state = content('crash_run');
		my $which = $state eq $before ? 'before' : $state eq $after ? 'after' : 'in between';
		$seen{$which}++;
		ok($which ne 'in between', sprintf('%s: killed at %.2f s (%s): the tables are as %s the run',
			$name, $at, $killed ? 'SIGKILL' : 'it had finished', $which));
		my $running = $node->psql("SELECT count(*) FROM public.ingestion_runs WHERE status = 'running'",
			dbname => 'crash_run');
		# the next run: waits for the dead session's lock to go, marks it, succeeds
		for (1 .. 100)
		{
			last if $node->psql("SELECT count(*) FROM pg_stat_activity WHERE datname = 'crash_run' "
				  . "AND pid <> pg_backend_pid()") == 0;
			sleep 0.05;
		}
		my ($code, $o2, $e2) = run_command([ @{ $tool{$name} }[0], '-v', @{ $tool{$name} }[ 2 .. $#{ $tool{$name} } ] ]);
		is($code, 0, "$name: point $i: the next run succeeds") or diag($e2);
		is(content('crash_run'), $after, "$name: point $i: and leaves the state after a whole run");
		if ($running > 0)
		{
			is($node->psql("SELECT count(*) FROM public.ingestion_runs WHERE status = 'abandoned'",
				dbname => 'crash_run'), $running, "$name: point $i: the killed run is marked abandoned");
		}
	}
	diag("$name: " . join(', ', map { "$seen{$_} $_" } sort keys %seen));
	ok(($seen{before} // 0) > 0, "$name: some kills left the state before");
}

done_testing();
