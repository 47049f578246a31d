# tests/t/030_install_demo.t - make install into a DESTDIR, and the demo.
use strict;
use warnings;
use Ausdash::Test;
use File::Copy ();
use File::Path qw(make_path);
use Test::More;

chdir $ROOT or die;
my $dest = "$TMP/root";
my ($code, $out, $err) = run_command([ 'make', '-s', 'install', "DESTDIR=$dest" ]);
is($code, 0, 'make install DESTDIR=...') or diag($err);
my $prefix = "$dest/usr/local";
ok(-f "$prefix/share/ausdash/migrations/0001_core_tables.up.sql", 'migrations installed');
ok(-f "$prefix/share/man/man7/ausdash.7", 'section 7 man page installed');
ok(-f "$prefix/share/ausdash/monitoring/ausdash.rules.yml", 'the Prometheus alerting rules installed');
ok(-f "$prefix/share/man/man8/ausdash-cron.8", 'ausdash-cron(8) installed');
like(slurp_file("$prefix/share/ausdash/cron/crontab"), qr{^PATH=/usr/local/bin:/usr/bin:/bin$}m,
	'the crontab\'s PATH is the installed bin directory');

# the migrations are found beside the executable, and -v says where
($code, $out, $err) = run_command([ "$prefix/bin/ausdash-migrate", '-v', '-h', '/nonexistent', 'status' ]);
like($err, qr{info: migrations directory: \Q$prefix\E/share/ausdash/migrations \(beside the executable\)},
	'the installed ausdash-migrate reads the installed migrations');
($code, $out, $err) = run_command([ 'bin/ausdash-migrate', '-v', '-h', '/nonexistent', 'status' ]);
like($err, qr{info: migrations directory: \Q$ROOT\E/sql/migrations \(the build tree's\)}, 'the build tree\'s its own');
{
	make_path("$TMP/lone/bin");
	File::Copy::copy('bin/ausdash-migrate', "$TMP/lone/bin/ausdash-migrate");
	chmod 0755, "$TMP/lone/bin/ausdash-migrate";
	($code, $out, $err) = run_command([ "$TMP/lone/bin/ausdash-migrate", '-v', '-h', '/nonexistent', 'status' ]);
	like($err, qr{info: migrations directory: /usr/local/share/ausdash/migrations \(the configured prefix's\)},
		'an executable with nothing beside it: the PREFIX it was built for');

	# another PREFIX (a rebuild, undone below), then the tree moved elsewhere
	my $dest2 = "$TMP/root2";
	($code, $out, $err) = run_command([ 'make', '-s', 'install', "DESTDIR=$dest2", 'PREFIX=/opt/ausdash' ]);
	is($code, 0, 'make install PREFIX=/opt/ausdash') or diag($err);
	like(slurp_file("$dest2/opt/ausdash/share/ausdash/cron/crontab"), qr{^PATH=/opt/ausdash/bin:/usr/bin:/bin$}m,
		'the crontab\'s PATH follows PREFIX');
	rename("$dest2/opt/ausdash", "$TMP/moved") or die "rename: $!";
	($code, $out, $err) = run_command([ "$TMP/moved/bin/ausdash-migrate", '-v', '-h', '/nonexistent', 'status' ]);
	like($err, qr{info: migrations directory: \Q$TMP\E/moved/share/ausdash/migrations \(beside the executable\)},
		'a moved install tree reads its own migrations, not the build tree\'s');
	($code, $out, $err) = run_command([ 'make', '-s', 'all' ]);
	is($code, 0, 'the build tree rebuilt for its own PREFIX again') or diag($err);
}
my @tools = map { m{bin/(ausdash-[a-z]+)$} ? $1 : () } glob("$ROOT/bin/ausdash-*");
ok(scalar @tools >= 2, 'tools built: ' . join(' ', @tools));
for my $tool (@tools)
{
	ok(-x "$prefix/bin/$tool", "$tool installed");
	ok(-f "$prefix/share/man/man1/$tool.1", "$tool: man page installed");
	($code, $out) = run_command([ "$prefix/bin/$tool", '--version' ]);
	like($out, qr/^\Q$tool\E \(ausdash\) /, "$tool: installed executable runs");

	# --help and the man page list the same long options
	my ($c2, $help) = run_command([ "bin/$tool", '--help' ]);
	my $man = slurp_file("docs/man/$tool.1");
	(my $mantext = $man) =~ s/\\-/-/g;
	my %in_help = map { $_ => 1 } $help =~ /(--[a-z][a-z-]+)/g;
	my %in_man = map { $_ => 1 } $mantext =~ /(--[a-z][a-z-]+)/g;
	is_deeply([ sort keys %in_man ], [ sort keys %in_help ], "$tool: --help and man page agree on options");
}

# The demo: a private cluster under a directory of ours, migrated, status shown;
# twice (idempotent), then removed.
my $demo = "$TMP/demo";
my @state;
for my $round (1, 2)
{
	($code, $out, $err) = run_command([ 'make', '-s', 'demo', "DEMO_DIR=$demo" ], timeout => 300);
	is($code, 0, "make demo (round $round)") or diag($err);
	like($out, qr/^0004\s+catalog\s+applied\s/m, "demo prints the migration status (round $round)");
	like($err, qr/info: ok: 5006 records read, (5005|0) inserted/, "demo runs the backfill (round $round)");
	like($out, qr/^  \. '\Q$demo\E\/env'\n  export PATH="\Q$ROOT\E\/bin:\$PATH"/m,
		"demo ends with the two lines that reach its cluster (round $round)");
	if ($round == 1)
	{
		# and they do: a plain report from a shell that ran them
		my ($lines) = $out =~ /^(  \. .*\n  export PATH=.*)$/m;
		my ($c, $o, $e) = run_command([ 'env', '-u', 'PGHOST', '-u', 'PGPORT', '-u', 'PGDATABASE', '-u', 'PGUSER',
			'sh', '-c', "$lines\nausdash-runs --format=json" ]);
		like($o, qr/"job": "ausdash-backfill"/, 'a shell that ran them reaches the demo cluster') or diag($e);
	}
	# every table but the run ledger, byte for byte (row versions included)
	my ($c, $tables) = run_command([ 'sh', '-c', ". '$demo/env' && psql -X -A -t -c \"SELECT string_agg("
		  . "table_name, ' ' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public' "
		  . "AND table_type = 'BASE TABLE' AND table_name NOT IN ('ingestion_runs', 'schema_migrations')\"" ]);
	my $sql = join(' UNION ALL ', map { "SELECT '$_', count(*), md5(COALESCE(string_agg(t.xmin::text || t::text, "
		  . "'|' ORDER BY t::text), '')) FROM public.$_ t" } split ' ', $tables);
	(undef, $state[$round]) = run_command([ 'sh', '-c', ". '$demo/env' && psql -X -A -t" ], stdin => $sql);
}
is($state[2], $state[1], 'a second make demo leaves every table but the run ledger as it was '
	  . '(backfill keeps the newer cursor an ingest set)');
like($state[1], qr/^source_cursors\|[1-9]/m, '(the cursors are among them)');
($code, $out, $err) = run_command([ 'make', '-s', 'demo-clean', "DEMO_DIR=$demo" ]);
is($code, 0, 'make demo-clean');
ok(!-e $demo, 'demo cluster removed');

done_testing();
