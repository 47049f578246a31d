# tests/t/010_migrate.t - ausdash-migrate against a throwaway cluster.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use Digest::SHA qw(sha256);
use File::Copy qw(copy);
use Test::More;

my $tool = 'ausdash-migrate';
my $sqldir = "$ROOT/sql/migrations";
my @versions = map { m{/(\d+)_[^/]+\.up\.sql$} ? $1 + 0 : () } sort glob("$sqldir/*.up.sql");

program_help_ok($tool);
program_version_ok($tool);
program_options_handling_ok($tool);

# Usage errors need no server: [args, exit, stderr regex]
for my $case (
	[ [], 64, qr/no command given/ ],
	[ ['sideways'], 64, qr/unrecognized command "sideways"/ ],
	[ [ 'down', '--confirm' ], 64, qr/command "down" requires --to=VERSION/ ],
	[ [ 'down', '--to=0' ], 64, qr/add --confirm to proceed/ ],
	[ [ 'baseline' ], 64, qr/command "baseline" requires --to=VERSION/ ],
	[ [ 'up', '--to=x' ], 64, qr/invalid value "x" for option --to/ ],
	[ [ 'up', '--to=-3' ], 64, qr/--to must be in range 0\.\.99999999/ ],
	[ [ 'status', '--to=2' ], 64, qr/option --to cannot be used with command "status"/ ],
	[ [ 'up', '--lock-wait=5 days' ], 64, qr/invalid value "5 days" for option --lock-wait/ ],
	[ [ 'up', 'extra' ], 64, qr/too many command-line arguments \(first is "extra"\)/ ],
	[ [ 'status', '--dir=/nonexistent/sql' ], 78, qr/could not open migrations directory "\/nonexistent\/sql"/ ],
  )
{
	my ($args, $code, $re) = @$case;
	command_checks_all([ $tool, @$args ], $code, [], [$re], "migrate @$args");
}

# Server not running: the database-unavailable code, with a hint.
{
	local $ENV{PGHOST} = "$TMP/no-such-socket-dir";
	local $ENV{PGPORT} = 5432;
	command_checks_all([ $tool, 'status' ], 69, [],
		[ qr/could not connect to database/, qr/hint: Check -d\/--dbname/ ],
		'no server: exit 69 with hint');
}

# A password in a URI or conninfo never reaches the output.
for my $conn ('postgresql://bob:s3cretpw@127.0.0.1:1/db',
	'postgresql://bob:s3cretpw@127.0.0.1:1/db?nosuchparam=1',
	'host=127.0.0.1 port=1 password=s3cretpw',
	'postgresql://bob:s3cretpw@127.0.0.1:1/db?password=s3cretpw')
{
	my ($code, $out, $err) = run_command([ $tool, '-d', $conn, 'status' ]);
	my $want = $conn =~ /nosuchparam/ ? 64 : 69;	# malformed: a usage error
	is($code, $want, "bad connection \"$conn\": exit $want");
	unlike($out . $err, qr/s3cretpw/, "bad connection: password not printed");
}

my $node = Ausdash::Test::Cluster->new('main')->start;

# up from nothing, then status
command_exit_is([ $tool, 'up' ], 0, 'up applies every migration');
my ($out) = command_checks_all([ $tool, 'status' ], 0,
	[ qr/^version\s+name\s+state\s+applied at$/m, qr/^0001\s+core_tables\s+applied\s+\d{4}-/m ],
	[], 'status after up');
is(scalar(() = $out =~ /^\d{4}\s+\S+\s+applied\s/mg), scalar(@versions), 'status: every version applied');
is($node->psql("SELECT count(*) FROM public.regions"), 17, 'catalog: 17 regions');
is($node->psql("SELECT count(*) FROM public.sources"), 16, 'catalog: 16 sources');

# silent on success; a second up is a no-op
my ($code, $o, $e) = run_command([ $tool, 'up' ]);
is($code, 0, 'second up exits 0');
is($o . $e, '', 'up is silent on success');
is($node->psql("SELECT count(*) FROM ausdash.schema_migrations"), scalar(@versions),
	'second up added no ledger rows');
is($node->psql("SELECT count(DISTINCT checksum_sha256) FROM ausdash.schema_migrations "
	  . "WHERE checksum_sha256 ~ '^[0-9a-f]{64}\$' AND duration_ms >= 0 AND applied_by = 'postgres'"),
	scalar(@versions), 'ledger rows carry checksum, duration and who');
command_exit_is([ $tool, 'verify' ], 0, 'verify on a consistent database');

# down to zero: every object gone, ledger updated; then up again
command_exit_is([ $tool, 'down', '--to=0', '--confirm' ], 0, 'down --to=0');
is($node->psql("SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
	  . "ON n.oid = c.relnamespace WHERE n.nspname = 'public'"), 0, 'down: no object left in public');
is($node->psql("SELECT count(*) FROM ausdash.schema_migrations WHERE action = 'rollback'"),
	scalar(@versions), 'down: one rollback row per version');
($out) = command_ok([ $tool, 'status' ], 'status after down');
is(scalar(() = $out =~ /^\d{4}\s+\S+\s+pending$/mg), scalar(@versions), 'status: all pending after down');
command_exit_is([ $tool, 'up' ], 0, 'up again after down');
is($node->psql("SELECT count(*) FROM public.series"), $node->psql("SELECT 39"), 'catalog back');

# up --to and down --to a middle version
command_exit_is([ $tool, 'down', '--to=2', '--confirm' ], 0, 'down --to=2');
is($node->psql("SELECT to_regclass('public.store_meta') IS NULL AND to_regclass('public.observations') IS NOT NULL"),
	't', 'down --to=2 keeps 1..2 and removes 3..');
command_exit_is([ $tool, 'up', '--to=3' ], 0, 'up --to=3');
is($node->psql("SELECT to_regclass('public.store_meta') IS NOT NULL AND (SELECT count(*) FROM public.regions) = 0"),
	't', 'up --to=3 applies 3 and not 4');
command_exit_is([ $tool, 'up' ], 0, 'up the rest');

# /dev/full: a write error on stdout is not success
SKIP:
{
	skip 'no /dev/full', 1 unless -w '/dev/full';
	my $h = IPC::Run::start([ $tool, 'status' ], '>', '/dev/full', '2>', \my $err);
	$h->finish;
	is($h->result(0), 74, 'status > /dev/full exits 74');
}

# A private copy of the migrations to break in various ways.
sub fresh_dir
{
	my ($name) = @_;
	my $d = "$TMP/$name";
	mkdir $d;
	copy($_, $d) or die "copy: $!" for glob("$sqldir/*.sql");
	return $d;
}

my $d = fresh_dir('edited');
write_file("$d/0002_run_ledger.up.sql", slurp_file("$d/0002_run_ledger.up.sql") . "-- edited\n");
command_checks_all([ $tool, 'verify', "--dir=$d" ], 10, [],
	[ qr/applied migration file "\Q$d\E\/0002_run_ledger\.up\.sql" has changed since it was applied/ ],
	'edited applied migration: verify refuses');
command_exit_is([ $tool, 'up', "--dir=$d" ], 10, 'edited applied migration: up refuses');
($out) = command_exit_is([ $tool, 'status', "--dir=$d" ], 10, 'edited applied migration: status exits as verify');
like($out, qr/^0002\s+run_ledger\s+changed\s/m, 'status marks the edited version as changed');

$d = fresh_dir('crlf');
(my $crlf = slurp_file("$d/0003_store_extras.up.sql")) =~ s/\n/\r\n/g;
write_file("$d/0003_store_extras.up.sql", $crlf);
command_checks_all([ $tool, 'verify', "--dir=$d" ], 10, [],
	[ qr/"\Q$d\E\/0003_store_extras\.up\.sql" has changed: only its line endings differ/ ],
	'line endings only: said so');

$d = fresh_dir('dup');
write_file("$d/0002_again.up.sql", "SELECT 1;\n");
command_checks_all([ $tool, 'verify', "--dir=$d" ], 11, [],
	[ qr/duplicate migration version 0002: .*0002_(again|run_ledger)\.up\.sql" and .*0002_(again|run_ledger)\.up\.sql"/ ],
	'duplicate version refused, both files named');
command_exit_is([ $tool, 'up', "--dir=$d" ], 11, 'duplicate version: up refuses');

$d = fresh_dir('missing');
unlink "$d/0004_catalog.up.sql", "$d/0004_catalog.down.sql";
command_checks_all([ $tool, 'verify', "--dir=$d" ], 12, [],
	[ qr/applied migration 0004_catalog is missing from "\Q$d\E"/ ], 'applied version missing');

# Out of order, destructive, failing and no-transaction files: on top of
# the real ones, in a directory of their own.
$d = fresh_dir('extra');
write_file("$d/0120_later.up.sql", "CREATE TABLE public.t20 (x int);\n");
command_exit_is([ $tool, 'up', "--dir=$d" ], 0, 'apply 0120');
write_file("$d/0110_older.up.sql", "CREATE TABLE public.t10 (x int);\n");
command_checks_all([ $tool, 'up', "--dir=$d" ], 13, [],
	[ qr/pending migration "\Q$d\E\/0110_older\.up\.sql" is older than the newest applied version 0120/ ],
	'out-of-order version refused');
command_exit_is([ $tool, 'up', "--dir=$d", '--allow-out-of-order' ], 0,
	'--allow-out-of-order applies it');
is($node->psql("SELECT to_regclass('public.t10') IS NOT NULL"), 't', 'out-of-order file applied');

write_file("$d/0130_drop.up.sql", "CREATE TABLE public.t30 (x int);\n\nDROP TABLE public.t20;\n");
command_checks_all([ $tool, 'up', "--dir=$d" ], 14, [],
	[ qr/"\Q$d\E\/0130_drop\.up\.sql":3: destructive statement \(DROP TABLE\) in an up migration/,
	  qr/hint: .*-- ausdash:allow-destructive/ ],
	'destructive statement refused with file and line');
is($node->psql("SELECT to_regclass('public.t30') IS NULL"), 't', 'refused file not applied at all');
command_exit_is([ $tool, 'up', "--dir=$d", '--allow-destructive' ], 0, '--allow-destructive applies it');
write_file("$d/0131_trunc.up.sql", "-- ausdash:allow-destructive\nTRUNCATE public.t10;\n");
command_exit_is([ $tool, 'up', "--dir=$d" ], 0, 'the file marker allows it');

write_file("$d/0140_fails.up.sql", "CREATE TABLE public.t40 (x int);\nINSERT INTO public.t40 VALUES ('not a number');\n");
command_checks_all([ $tool, 'up', "--dir=$d" ], 1, [],
	[ qr/"\Q$d\E\/0140_fails\.up\.sql":2: invalid input syntax for type integer/ ],
	'failing migration: exit 1 with file:line');
is($node->psql("SELECT to_regclass('public.t40') IS NULL"), 't', 'failing migration rolled back');
is($node->psql("SELECT outcome FROM ausdash.schema_migrations WHERE version = 140"), 'failed',
	'failing migration recorded as failed');
unlink "$d/0140_fails.up.sql";

write_file("$d/0150_concurrent.up.sql",
	"-- ausdash:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t10_x ON public.t10 (x);\n"
	  . "CREATE INDEX CONCURRENTLY IF NOT EXISTS t30_x ON public.t30 (x);\n");
command_exit_is([ $tool, 'up', "--dir=$d" ], 0, 'no-transaction file with CREATE INDEX CONCURRENTLY');
is($node->psql("SELECT count(*) FROM pg_indexes WHERE indexname IN ('t10_x', 't30_x')"), 2,
	'both concurrent indexes built');

# PostgreSQL's parser splits and lints (issue 17)
write_file("$d/0151_atomic.up.sql",
	"-- ausdash:no-transaction\nCREATE FUNCTION public.f51() RETURNS int LANGUAGE sql\n"
	  . "BEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t10_y ON public.t10 (x);\n");
command_exit_is([ $tool, 'up', "--dir=$d" ], 0, 'a no-transaction file with a BEGIN ATOMIC body splits as psql runs it');
is($node->psql("SELECT public.f51()"), 2, 'the function is whole');
for my $case ([ 'update', "UPDATE public.t10 SET x = 1;\n", 'UPDATE without WHERE', 1 ],
	[ 'cte', "SELECT 1;\nWITH d AS (DELETE FROM public.t10 RETURNING *)\nSELECT count(*) FROM d;\n",
	  'DELETE without WHERE', 2 ],
	[ 'rename', "ALTER TABLE public.t10 RENAME COLUMN x TO y;\n", 'RENAME COLUMN', 1 ])
{
	my ($name, $sql, $what, $line) = @$case;
	write_file("$d/0152_$name.up.sql", $sql);
	command_checks_all([ $tool, 'up', "--dir=$d" ], 14, [],
		[ qr/"\Q$d\E\/0152_$name\.up\.sql":$line: destructive statement \(\Q$what\E\) in an up migration/ ],
		"lint on the parse tree: $what");
	unlink "$d/0152_$name.up.sql";
}
write_file("$d/0153_typo.up.sql", "CREATE TABLE public.t53 (x int);\nCREATE TABEL public.t54 (x int);\n");
command_checks_all([ $tool, 'up', "--dir=$d" ], 65, [],
	[ qr/"\Q$d\E\/0153_typo\.up\.sql":2: syntax error at or near "TABEL"/ ], 'a file that does not parse: exit 65 with its line');
unlink "$d/0153_typo.up.sql";

# a no-transaction migration that fails halfway: failed, verify says so, repair resolves it
write_file("$d/0154_half.up.sql", "-- ausdash:no-transaction\n"
	  . "CREATE INDEX CONCURRENTLY IF NOT EXISTS t10_half ON public.t10 (x);\n"
	  . "CREATE INDEX CONCURRENTLY t10_bad ON public.no_such_table (x);\n");
command_exit_is([ $tool, 'up', "--dir=$d" ], 1, 'a no-transaction migration fails halfway: exit 1');
is($node->psql("SELECT count(*) FROM pg_indexes WHERE indexname = 't10_half'"), 1, 'its first index stayed');
($code, $out) = run_command([ $tool, 'status', "--dir=$d" ]);
like($out, qr/^0154\s+half\s+failed\s+\d{4}-/m, 'status shows it as failed, not pending');
is($code, 15, 'status exits 15 while it is failed');
command_checks_all([ $tool, 'verify', "--dir=$d" ], 15, [],
	[ qr/migration 0154_half failed partway on .*: relation "public.no_such_table" does not exist/,
	  qr/hint: .*ausdash-migrate repair --to=154/ ], 'verify exits 15 and says how to repair');
command_checks_all([ $tool, 'repair', '--to=153', "--dir=$d" ], 64, [],
	[ qr/migration 0153 is not a failed no-transaction migration/ ], 'repair of another version: refused');
unlink "$d/0154_half.up.sql";
write_file("$d/0154_half.up.sql", "-- ausdash:no-transaction\n"
	  . "CREATE INDEX CONCURRENTLY IF NOT EXISTS t10_half ON public.t10 (x);\n"
	  . "CREATE INDEX CONCURRENTLY t10_bad ON public.no_such_table (x);\n");
command_exit_is([ $tool, 'repair', '--to=154', "--dir=$d" ], 0, 'repair --to=154 after the operator fixed the database');
($code, $out) = run_command([ $tool, 'status', "--dir=$d" ]);
like($out, qr/^0154\s+half\s+repaired\s/m, 'status shows it as repaired');
is($code, 0, 'and exits 0');
command_exit_is([ $tool, 'verify', "--dir=$d" ], 0, 'verify exits 0');
is($node->psql("SELECT action || ' ' || outcome FROM ausdash.schema_migrations WHERE version = 154 ORDER BY id DESC LIMIT 1"),
	'repair ok', 'the repair is in the ledger');

# --statement-timeout is honoured: the migration is cancelled and rolled back
write_file("$d/0155_sleepy.up.sql", "CREATE TABLE public.t55 (x int);\nSELECT pg_sleep(5);\n");
command_checks_all([ $tool, 'up', "--dir=$d", '--statement-timeout=200ms' ], 1, [],
	[ qr/0155_sleepy\.up\.sql":\d+: canceling statement due to statement timeout/ ],
	'--statement-timeout cancels a slow migration');
is($node->psql("SELECT to_regclass('public.t55') IS NULL"), 't', 'timed-out migration rolled back');
unlink "$d/0155_sleepy.up.sql";

# Two "up" at once never apply twice: a slow migration, two runners.
write_file("$d/0160_slow.up.sql", "SELECT pg_sleep(2);\nCREATE TABLE public.t60 (x int);\n");
my @h = map {
	my ($so, $se) = ('', '');
	[ IPC::Run::start([ $tool, 'up', "--dir=$d" ], '>', \$so, '2>', \$se), \$so, \$se ]
} 1 .. 2;
my @codes = map { $_->[0]->finish; $_->[0]->result(0) } @h;
is_deeply([ sort @codes ], [ 0, 0 ], 'two concurrent up: both succeed (one waits)');
is($node->psql("SELECT count(*) FROM ausdash.schema_migrations WHERE version = 160 AND action = 'apply'"),
	1, 'two concurrent up: 0160 applied exactly once');

# Another session holding the migration lock: the lock exit code, promptly.
my $key = unpack('q>', substr(sha256('ausdash:migrate'), 0, 8));
write_file("$d/0170_next.up.sql", "CREATE TABLE public.t70 (x int);\n");
my $holder = IPC::Run::start([ 'psql', '-X', '-q', '-d', 'postgres',
	'-c', "SELECT pg_advisory_lock($key)", '-c', 'SELECT pg_sleep(30)' ],
	'>', \my $hout, '2>', \my $herr);
my $waited = 0;
until ($node->psql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted") > 0)
{
	select(undef, undef, undef, 0.1);
	die "lock holder never started: $herr" if ++$waited > 100;
}
command_checks_all([ $tool, 'up', "--dir=$d", '--lock-wait=1' ], 75, [],
	[ qr/another ausdash-migrate run holds the migration lock/ ], 'lock held: exit 75');
$holder->kill_kill;
is($node->psql("SELECT to_regclass('public.t70') IS NULL"), 't', 'nothing applied while locked');

# baseline: record versions without running them
my $b = Ausdash::Test::Cluster->new('baseline')->start;
command_exit_is([ $tool, 'baseline', '--to=2' ], 0, 'baseline --to=2');
($out) = command_ok([ $tool, 'status' ], 'status after baseline');
like($out, qr/^0001\s+core_tables\s+baseline/m, 'status shows baselined version');
like($out, qr/^0003\s+store_extras\s+pending/m, 'later versions pending');
is($b->psql("SELECT to_regclass('public.observations') IS NULL"), 't', 'baseline ran nothing');

# the default directory (no --dir) is the source tree's
command_exit_is([ $tool, '-q', 'verify' ], 0, 'default migrations directory found');

done_testing();
