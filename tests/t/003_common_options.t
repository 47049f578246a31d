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

done_testing();
