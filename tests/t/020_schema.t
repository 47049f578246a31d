# tests/t/020_schema.t - the schema contract (pgTAP) and the committed
# schema description (sql/schema.expected).
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use Test::More;

my $node = Ausdash::Test::Cluster->new('schema')->start;
command_exit_is([ 'ausdash-migrate', 'up' ], 0, 'migrate up');

# The exported description equals the committed, reviewed one.
my $describe = $node->psql(slurp_file("$ROOT/tests/sql/describe_schema.sql"));
my $expected = slurp_file("$ROOT/sql/schema.expected");
chomp $expected;
is($describe, $expected, 'schema equals sql/schema.expected (after a reviewed change: '
	  . 'make schema-expected)');

# pgTAP: each TAP line from the server becomes one test here
my ($code, $out, $err) = $node->psql("CREATE SCHEMA pgtap; CREATE EXTENSION pgtap SCHEMA pgtap;");
is($code, 0, 'pgTAP is installed') or diag($err);
($code, $out, $err) = $node->psql("BEGIN;\nSET LOCAL search_path = pgtap, public;\n" . slurp_file("$ROOT/tests/sql/schema_contract.sql")
	  . "ROLLBACK;\n");
is($code, 0, 'schema contract ran') or diag($err);
my $n = 0;
for my $line (split /\n/, $out)
{
	if ($line =~ /^(not )?ok \d+ - (.*)$/)
	{
		$n++;
		ok(!$1, "pgTAP: $2");
	}
	elsif ($line =~ /^\s*#(.*)/)
	{
		diag($1);
	}
}
cmp_ok($n, '>=', 60, "pgTAP ran its assertions ($n)");

done_testing();
