# tests/t/003_common_options.t - every tool answers -V and --help with exit
# 0 wherever they appear on the command line (lib/cli/opt.h, opt_common()
# and opt_handle_help_version()), and a bad option still exits 64.
use strict;
use warnings;
use Ausdash::Test;
use Test::More;

chdir $ROOT or die;
my @tools = map { m{bin/(ausdash-[a-z]+)$} ? $1 : () } sort glob("$ROOT/bin/ausdash-*");
is(scalar @tools, 8, 'eight tools built');

for my $tool (@tools)
{
	for my $args ([ '-V' ], [ '-q', '-V' ], [ '-qV' ], [ '-v', '--version' ], [ '--bogus', '-V' ],
		[ '-d', 'host=/nonexistent', '--vers' ], [ 'extra', 'args', '--version' ])
	{
		my ($code, $out, $err) = run_command([ "bin/$tool", @$args ]);
		is($code, 0, "$tool @$args exits 0");
		like($out, qr/^\Q$tool\E \(ausdash\) \S+\n\z/, "... and prints its version") or diag($err);
	}
	for my $args ([ '--help' ], [ '-?' ], [ '-q', '--help' ], [ '-q?' ], [ '-?q' ], [ '--bogus', '--help' ],
		[ '--he' ], [ 'extra', '-?' ])
	{
		my ($code, $out, $err) = run_command([ "bin/$tool", @$args ]);
		is($code, 0, "$tool @$args exits 0");
		like($out, qr/^Usage:/m, '... and prints its help') or diag($err);
	}
	# after "--", -V is an argument, not the option
	my ($code, $out, $err) = run_command([ "bin/$tool", '--bogus' ]);
	is($code, 64, "$tool --bogus exits 64");
	like($err, qr/Try "\Q$tool\E --help" for more information/, '... with the hint');
	($code, $out, $err) = run_command([ "bin/$tool", '-q', '--', '-V' ]);
	isnt($out, "$tool (ausdash) ", "$tool -q -- -V does not take -V as the option");
}

# durations as PostgreSQL reads them (us, ms, s, min, h, d; m refused), in
# every tool (--statement-timeout is everyone's), and the man pages say so
for my $tool (@tools)
{
	my ($code, $out, $err) = run_command([ "bin/$tool", '--statement-timeout=30m', '-d', 'host=/nonexistent' ]);
	is($code, 64, "$tool --statement-timeout=30m: exit 64");
	like($err, qr/Valid units for this option are "us", "ms", "s", "min", "h" and "d"/, '... with the units');
	($code, $out, $err) = run_command([ "bin/$tool", '--statement-timeout=1d', '-d', 'host=/nonexistent' ]);
	unlike($err, qr/invalid value/, "$tool --statement-timeout=1d is a duration");
	my $man = slurp_file("docs/man/$tool.1");
	for my $units ($man =~ /\bunits ([^).]*)/g)
	{
		is($units, 'us, ms, s, min, h, d', "$tool(1) lists PostgreSQL's units");
	}
}

done_testing();
