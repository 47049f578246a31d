# tests/t/030_install_demo.t - make install into a DESTDIR, and the demo.
use strict;
use warnings;
use Ausdash::Test;
use Test::More;

chdir $ROOT or die;
my $dest = "$TMP/root";
my ($code, $out, $err) = run_command([ 'make', '-s', 'install', "DESTDIR=$dest" ]);
is($code, 0, 'make install DESTDIR=...') or diag($err);
my $prefix = "$dest/usr/local";
ok(-f "$prefix/share/ausdash/migrations/0001_core_tables.up.sql", 'migrations installed');
ok(-f "$prefix/share/man/man7/ausdash.7", 'section 7 man page installed');
ok(-f "$prefix/share/ausdash/monitoring/ausdash.rules.yml", 'the Prometheus alerting rules installed');
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
