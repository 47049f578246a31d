# tests/t/082_runbooks.t - every block marked runnable in runbooks/*.md,
# run in order against a throwaway cluster (a fresh database per runbook),
# its exit status and its output checked against the "expect" block that
# follows it.  A runbook that drifts from the tools fails here.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use Test::More;

my $node = Ausdash::Test::Cluster->new('runbooks')->start;
$ENV{PATH} = "$ROOT/cron:$ENV{PATH}";
$ENV{SAMPLES} = "$ROOT/tests/data/feeds";

# "..." stands for anything; runs of spaces for any spacing (aligned tables)
sub expect_re
{
	my ($line) = @_;
	my $re = join('.*?', map { my $p = quotemeta($_); $p =~ s/(\\ )+/\\s+/g; $p } split /\.\.\./, $line, -1);
	return qr/$re/m;
}

my @runbooks = grep { !/README\.md$/ } sort glob("$ROOT/runbooks/*.md");
ok(scalar(@runbooks) >= 8, 'eight runbooks or more');
for my $file (@runbooks)
{
	(my $name = $file) =~ s{.*/|\.md$}{}g;
	my $text = slurp_file($file);
	my @blocks;
	while ($text =~ /^```([^\n]*)\n(.*?)^```\s*$/msg)
	{
		push @blocks, [ $1, $2 ];
	}
	my @steps;
	for my $i (0 .. $#blocks)
	{
		next unless $blocks[$i][0] =~ /^sh runnable$/;
		my ($code, @lines) = (0);
		if ($i < $#blocks && $blocks[ $i + 1 ][0] =~ /^expect(?:\s+exit=(\d+))?$/)
		{
			$code = $1 // 0;
			@lines = grep { /\S/ } split /\n/, $blocks[ $i + 1 ][1];
		}
		push @steps, [ $blocks[$i][1], $code, \@lines ];
	}
	ok(scalar(@steps) > 0, "$name: has runnable steps");

	# a fresh database, a work directory and a store of its own
	my $db = "rb_" . ($name =~ s/\W/_/gr);
	$node->psql("CREATE DATABASE $db");
	my $work = "$TMP/$name";
	mkdir $work or die "mkdir: $!";
	my ($gc, $store) = run_command([ 'perl', "$ROOT/tests/bench/gen-store.pl", '--observations=200' ]);
	write_file("$work/live-store.json", $store);
	local $ENV{PGDATABASE} = $db;
	local $ENV{AUS_DASH_STORE_PATH} = "$work/live-store.json";

	my $n = 0;
	for my $s (@steps)
	{
		my ($script, $code, $lines) = @$s;
		$n++;
		my ($got, $out, $err) = run_command([ 'bash', '-c', "cd '$work' && set -e -o pipefail\n$script" ]);
		my $all = "$out$err";
		my $ok = is($got, $code, "$name step $n: exit $code");
		for my $l (@$lines)
		{
			$ok &= like($all, expect_re($l), "$name step $n: output has \"$l\"");
		}
		diag("script:\n$script\noutput:\n$all") unless $ok;
	}
}

done_testing();
