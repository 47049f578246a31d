# tests/t/006_docs.t - the manual pages lint clean (mandoc -T lint and
# man --warnings at 80 columns), every --help fits in 80 columns,
# ausdash(7) names every program once, and messages follow PG_COLOR as
# PostgreSQL's tools do.
use strict;
use warnings;
use Ausdash::Test;
use Test::More;

chdir $ROOT or die;
my @pages = sort glob('docs/man/*.[1-8]');
my @tools = map { m{bin/(ausdash-[a-z]+)$} ? $1 : () } sort glob('bin/ausdash-*');
is(scalar(@pages), scalar(@tools) + 2, 'a page per tool, ausdash(7) and ausdash-cron(8)');

for my $page (@pages)
{
	my ($code, $out, $err) = run_command([ 'mandoc', '-T', 'lint', '-W', 'style', $page ]);
	is("$out$err", '', "mandoc -T lint: $page is clean");
	local $ENV{MANWIDTH} = 80;
	($code, $out, $err) = run_command([ 'man', '--warnings=all', '-l', $page ]);
	is($err, '', "man --warnings: $page is clean at 80 columns");
	utf8::decode($out);
	my @long = grep { length > 80 } split /\n/, $out;
	is(scalar(@long), 0, "$page renders within 80 columns") or diag(join "\n", @long);
}

for my $tool (@tools, '../cron/ausdash-cron')
{
	my ($code, $out) = run_command([ "bin/$tool", '--help' ]);
	my @long = grep { length > 80 } split /\n/, $out;
	is(scalar(@long), 0, "$tool --help fits in 80 columns") or diag(join "\n", @long);
}

# an option with a default is not shown as required
{
	my ($code, $out) = run_command([ 'bin/ausdash-parity', '--help' ]);
	like($out, qr/^  ausdash-parity \[--store=FILE\] \[OPTION\]\.\.\.$/m, 'ausdash-parity: --store is optional in the usage');
	like(slurp_file('docs/man/ausdash-parity.1'), qr/^\.RB \[ \\-\\-store=\\fIFILE\\fR \]$/m, '... and in the synopsis');
}

# ausdash(7): each program once in DESCRIPTION, each in SEE ALSO
my $seven = slurp_file('docs/man/ausdash.7');
my ($desc) = $seven =~ /^\.SH DESCRIPTION\n(.*?)^\.SH /ms;
my ($also) = $seven =~ /^\.SH SEE ALSO\n(.*)/ms;
for my $prog (@tools, 'ausdash-cron')
{
	(my $roff = $prog) =~ s/-/\\\\-/g;
	my $n = () = $desc =~ /^\.BR $roff \(\d\)$/mg;
	is($n, 1, "ausdash(7) describes $prog once");
	like($also, qr/^\.BR $roff \(\d\),?$/m, "ausdash(7) SEE ALSO names $prog");
}

# PG_COLOR=always|auto|never, NO_COLOR without it (an error on a terminal)
my @bad = ('bin/ausdash-migrate', '-d', 'bogus=1', 'status');
for my $case ([ {}, 1 ], [ { NO_COLOR => 1 }, 0 ], [ { PG_COLOR => 'never' }, 0 ],
	[ { PG_COLOR => 'auto', NO_COLOR => 1 }, 1 ], [ { PG_COLOR => 'always', NO_COLOR => 1 }, 1 ])
{
	local %ENV = (%ENV, TERM => 'xterm', %{ $case->[0] });
	delete @ENV{ grep { !exists $case->[0]{$_} } qw(NO_COLOR PG_COLOR) };
	my ($code, $tty) = run_on_tty(\@bad);
	my $what = join(' ', map { "$_=$case->[0]{$_}" } sort keys %{ $case->[0] }) || 'the default';
	is($tty =~ /\e\[01;31merror:\e\[0m/ ? 1 : 0, $case->[1],
		"on a terminal, $what: " . ($case->[1] ? 'colour' : 'no colour'));
}
{
	local $ENV{PG_COLOR} = 'always';
	my ($code, $out, $err) = run_command(\@bad);
	like($err, qr/\e\[01;31merror:/, 'PG_COLOR=always colours a pipe too');
	$ENV{PG_COLOR} = 'auto';
	($code, $out, $err) = run_command(\@bad);
	unlike($err, qr/\e\[/, 'PG_COLOR=auto does not');
}

done_testing();
