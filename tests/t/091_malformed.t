# tests/t/091_malformed.t - the malformed-input corpus (tests/data/malformed):
# for each case the exit status, a message that names the place, and
# tables exactly as before.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use Test::More;

my $node = Ausdash::Test::Cluster->new('malformed')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'schema migrated');
command_ok([ 'ausdash-ingest', '-q', '--source=aemo_wholesale', "$ROOT/tests/data/feeds/wholesale.csv" ],
	'some data to keep');

my $dir = "$ROOT/tests/data/malformed";
my @cases = grep { !/^#/ && /\S/ } split /\n/, slurp_file("$dir/INDEX");
ok(scalar(@cases) >= 40, scalar(@cases) . ' cases (40 or more)');
my %formats;
for my $line (@cases)
{
	my ($file, $kind, $source, $format, $code, $re) = split /\t/, $line;
	$formats{$kind eq 'store' ? 'store' : $format}++;
	my $before = $node->tables_state;
	my $runs = $node->failed_runs;
	my @cmd = $kind eq 'store' ? ('ausdash-backfill', "$dir/$file")
	  : ('ausdash-ingest', "--source=$source", "--format=$format", "$dir/$file");
	my ($got, $out, $err) = run_command(\@cmd);
	is($got, $code, "$file: exit $code") or diag($err);
	like($err, qr/$re/, "$file: the message says where and what") or diag($err);
	like($err, qr/\Q$file\E/, "$file: and names the input");
	is($node->tables_state, $before, "$file: the tables are as before");
	ok($node->failed_runs > $runs,
		"$file: the run is recorded as failed")
	  if $code == 65;
}
for my $f (qw(store wholesale-csv aemo-mms aemo-5min-json aer-prd-json abs-cpi-json abs-housing-json
	rba-rates-csv rba-table ndjson csv source-mix-json eia-wholesale-json entsoe-json nea-json))
{
	ok($formats{$f}, "the corpus covers $f");
}

done_testing();
