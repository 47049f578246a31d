# tests/t/094_faults.t - server faults during an ingest: the backend
# terminated mid-COPY and mid-merge, lock_timeout and statement_timeout,
# the server not running.  Each time nothing is committed, the message is
# plain, the exit status the documented one, the run recorded as failed
# when it can be, and a rerun succeeds.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use IPC::Run ();
use Test::More;
use Time::HiRes qw(sleep);

my $node = Ausdash::Test::Cluster->new('faults')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'schema migrated');

my $nd = '';
for my $i (1 .. 100000)
{
	$nd .= qq({"seriesId":"fault.series","regionCode":"R) . ($i % 10) . qq(","date":"2020-01-01","value":$i,)
	  . qq("unit":"u","sourceName":"s","sourceUrl":"u","publishedAt":"2020-01-01T00:00:00Z",)
	  . qq("vintage":"v$i","isModeled":false,"confidence":"official"}\n);
}
write_file("$TMP/big.ndjson", $nd);
my @ingest = ('ausdash-ingest', '--source=fault_feed', '--format=ndjson', "$TMP/big.ndjson");

sub observations { $node->psql("SELECT count(*) FROM public.observations") }
sub snapshots { $node->psql("SELECT count(*) FROM public.raw_snapshots") }
sub last_run
{
	return $node->psql("SELECT status || ' ' || COALESCE(error_summary, '') FROM public.ingestion_runs "
		  . "WHERE job = 'ingest-fault_feed' ORDER BY started_at DESC LIMIT 1");
}
sub wait_for
{
	my ($sql) = @_;
	for (1 .. 400) { return 1 if $node->psql($sql) eq 't'; sleep 0.025 }
	return 0;
}

# --- the backend terminated mid-COPY ----------------------------------------------------
my $h = IPC::Run::start(\@ingest, '>', \my $out, '2>', \my $err);
# seen in its COPY and terminated by the same statement: no window between
# the two for a fast COPY to finish in
ok(wait_for("SELECT COALESCE((SELECT pg_terminate_backend(pid) FROM pg_stat_progress_copy LIMIT 1), false)"),
	'the ingest is in its COPY');
$h->finish;
is($h->result(0), 1, 'terminated mid-COPY: exit 1');
like($err, qr/ausdash-ingest: error: .*(terminat|server closed the connection|lost)/i, 'terminated mid-COPY: said plainly');
is(observations(), 0, 'terminated mid-COPY: nothing committed');
is(snapshots(), 0, 'terminated mid-COPY: not even the snapshot');
like(last_run(), qr/^failed /, 'terminated mid-COPY: the run is recorded as failed (after reconnecting)');

# --- the backend terminated mid-merge (held at a table lock taken here) ------------------
my $blocker = IPC::Run::start([ 'psql', '-X', '-q', '-h', $node->host, '-p', $node->port, '-U', 'postgres',
	'-c', 'BEGIN; LOCK TABLE public.observations IN SHARE MODE; SELECT pg_sleep(30); COMMIT;' ],
	'>', \my $bo, '2>', \my $be);
ok(wait_for("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'public.observations'::regclass "
	  . "AND mode = 'ShareLock' AND granted)"), 'observations locked against writes');
$h = IPC::Run::start(\@ingest, '>', \$out, '2>', \$err);
ok(wait_for("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'ausdash-ingest' "
	  . "AND wait_event_type = 'Lock')"), 'the ingest waits in its merge');
$node->psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ausdash-ingest'");
$h->finish;
is($h->result(0), 1, 'terminated mid-merge: exit 1');
is(observations(), 0, 'terminated mid-merge: nothing committed');
like(last_run(), qr/^failed /, 'terminated mid-merge: the run is recorded as failed');

# --- lock_timeout and statement_timeout are honoured ---------------------------------------
command_checks_all([ @ingest[ 0 .. 2 ], '--lock-timeout=200ms', $ingest[3] ], 75, [],
	[qr/canceling statement due to lock timeout/],
	'--lock-timeout: the merge gives up, with exit 75 as for a held advisory lock');
like(last_run(), qr/^failed .*lock timeout/, '--lock-timeout: the run is failed, with the reason');
# the same rule for a backfill (one run lifecycle, lib/run/lifecycle.c)
my ($gc, $gerr) = (run_command([ 'sh', '-c', "'$ROOT/tests/bench/gen-store.pl' --observations=10 > '$TMP/store.json'" ]))[0, 2];
is($gc, 0, 'a small store generated') or diag($gerr);
command_checks_all([ 'ausdash-backfill', '--json', '--lock-timeout=200ms', "$TMP/store.json" ], 75,
	[qr/\A\{\n    "status": "failed",\n    "error": "[^\n]*lock timeout[^\n]*",\n    "run_id": "ausdash-backfill-\d+",\n    "job": "ausdash-backfill",\n    "run_mode": "backfill",\n    "dry_run": false,\n    "duration_ms": \d+,\n    "input": /],
	[qr/canceling statement due to lock timeout/],
	'backfill --lock-timeout: exit 75 too, and the JSON summary has the common header');
is($node->psql("SELECT status FROM public.ingestion_runs WHERE job = 'ausdash-backfill' "
	  . "ORDER BY started_at DESC LIMIT 1"), 'failed', 'backfill --lock-timeout: the run is failed');
command_checks_all([ @ingest[ 0 .. 2 ], '--statement-timeout=300ms', $ingest[3] ], 1, [],
	[qr/canceling statement due to statement timeout/], '--statement-timeout: the statement is cancelled');
is(observations(), 0, 'timeouts: nothing committed');
$blocker->kill_kill;
$node->psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' "
	  . "AND pid <> pg_backend_pid()");

# --- a rerun succeeds --------------------------------------------------------------------
command_ok(\@ingest, 'after the faults, the ingest succeeds');
is(observations(), 100000, 'and loads everything');

# --- the server not running ---------------------------------------------------------------
$node->stop;
command_checks_all(\@ingest, 69, [],
	[ qr/could not connect to database/, qr/hint: Check -d\/--dbname \(or -h, -p, -U\), DATABASE_URL or the PGHOST/ ],
	'the server is down: exit 69 with a hint');
command_checks_all([ 'ausdash-freshness', '--format=nagios' ], 3, [qr/^FRESHNESS UNKNOWN - could not connect/], [],
	'the server is down: a report says UNKNOWN');

done_testing();
