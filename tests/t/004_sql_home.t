# tests/t/004_sql_home.t - every SQL statement lives under sql/ and is
# named at build time (lib/pg/sqlset.h, sql/embed.awk): no SQL in a C
# string, a misspelt statement name does not compile, a rule used but not
# written stops the build, and the rules are written once.
use strict;
use warnings;
use Ausdash::Test;
use Test::More;

chdir $ROOT or die;

# C strings that are not SQL although they start like it: messages, and
# the names lib/pg/sqlparse.c gives the statements it reads
my %not_sql = map { $_ => 1 } (
	'COPY abandoned by client',
	'client could not send COPY data',
	'COPY of \"%s\" started while \"%s\" is open',
);
my $keyword = qr/^\s*(?:SELECT|INSERT|UPDATE|DELETE|WITH|BEGIN|COMMIT|ROLLBACK|DECLARE|FETCH|CLOSE|CREATE|DROP|ALTER|COPY|SET|TRUNCATE|ANALYZE|LOCK|VALUES|ORDER BY|GROUP BY)\b/;
my $inside = qr/\b(?:FROM|WHERE|JOIN|ON CONFLICT|EXCLUDED|RETURNING|IS NOT NULL)\b|pg_catalog\./;
my @found;
for my $f (grep { $_ ne 'lib/pg/sqlset_data.c' && $_ ne 'lib/pg/sqlparse.c' } sort(glob('lib/*/*.c'), glob('src/*.c')))
{
	my $c = slurp_file($f);
	$c =~ s{/\*.*?\*/}{}gs;				# comments may talk about SQL
	while ($c =~ /"((?:[^"\\\n]|\\.)*)"/g)
	{
		my $s = $1;
		next if $not_sql{$s};
		push @found, "$f: \"$s\"" if $s =~ $keyword || $s =~ $inside;
	}
}
is_deeply(\@found, [], 'no SQL in a C string outside the generated statement set');

# every statement file is embedded, and each statement has an id
my @files = ('sql/rules.sql', sort(glob('sql/{merge,run,report,export,pg}/*.sql')));
my $names = slurp_file('lib/pg/sqlset_names.h');
for my $f (@files)
{
	(my $set = $f) =~ s{.*/(\w+)\.sql$}{$1};
	for my $name (slurp_file($f) =~ /^-- name: (\w+)$/mg)
	{
		like($names, qr/\bSQLSET_\U${set}_$name\E,/, "$f: $name has the id SQLSET_\U${set}_$name");
	}
}
my @stray = grep { !m{^sql/(?:rules\.sql|(?:merge|run|report|export|pg)/\w+\.sql|migrations/.*|optional/.*|embed\.awk|schema\.expected)$} }
  split /\n/, `git ls-files sql`;
is_deeply(\@stray, [], 'every file under sql/ is a statement set, a migration or the embedder');

# a misspelt statement name is a build error
{
	my $t = "$TMP/typo.c";
	write_file($t, "#include \"base/common.h\"\n#include \"pg/sqlset.h\"\n"
		  . "const char *f(void);\nconst char *f(void) { return sqlset_sql(SQLSET_ENTITY_MERGEE); }\n");
	my ($code, $out, $err) = run_command([ 'cc', "-I$ROOT/lib", '-c', '-o', "$TMP/typo.o", $t ]);
	isnt($code, 0, 'a misspelt statement id does not compile');
	like($err, qr/SQLSET_ENTITY_MERGEE/, '... and the error names it');
}

# the embedder refuses a rule nobody wrote, a set defined twice, and an
# empty statement
{
	mkdir "$TMP/a";
	mkdir "$TMP/b";
	write_file("$TMP/rules.sql", "-- name: one\nx = 1\n");
	write_file("$TMP/a/s.sql", "-- name: q\nSELECT 1 WHERE {{two}}\n");
	my ($code, $out, $err) = run_command([ 'awk', '-v', 'out=data', '-f', 'sql/embed.awk', "$TMP/rules.sql", "$TMP/a/s.sql" ]);
	isnt($code, 0, 'an unknown rule stops the build');
	like($err, qr/no rule "two" in sql\/rules\.sql \(used by s\/q\)/, '... naming it and its user');

	write_file("$TMP/a/s.sql", "-- name: q\nSELECT 1 WHERE {{one}}\n");
	write_file("$TMP/b/s.sql", "-- name: r\nSELECT 2\n");
	($code, $out, $err) = run_command([ 'awk', '-v', 'out=names', '-f', 'sql/embed.awk', "$TMP/rules.sql", "$TMP/a/s.sql", "$TMP/b/s.sql" ]);
	isnt($code, 0, 'two sets of one name stop the build');
	like($err, qr/two statement files are named s\.sql/, '... saying so');

	($code, $out, $err) = run_command([ 'awk', '-v', 'out=data', '-f', 'sql/embed.awk', "$TMP/rules.sql", "$TMP/a/s.sql" ]);
	is($code, 0, 'a known rule embeds');
	like($out, qr/"SELECT 1 WHERE x = 1\\n"/, '... replaced by its text');

	write_file("$TMP/a/s.sql", "-- name: q\n-- a comment only\n\n-- name: r\nSELECT 2\n");
	($code, $out, $err) = run_command([ 'awk', '-v', 'out=data', '-f', 'sql/embed.awk', "$TMP/rules.sql", "$TMP/a/s.sql" ]);
	isnt($code, 0, 'an empty statement stops the build');
}

# the ledger's rules are written once: sql/rules.sql, used by name
{
	my @uses;
	for my $f (grep { $_ ne 'sql/rules.sql' } @files)
	{
		my $c = slurp_file($f);
		push @uses, "$f: store_job" if $c =~ /NOT LIKE 'ausdash-%'/;
		push @uses, "$f: success" if $c =~ /'skipped_duplicate',\s*'degraded'/;
		push @uses, "$f: lock_held" if $c =~ /l\.locktype = 'advisory' AND l\.granted AND l\.objsubid = 1\s+AND \(\(l\.classid::bigint/;
	}
	is_deeply(\@uses, [], 'the store-job filter, the success statuses and the live-lock test are only in sql/rules.sql');
	my $data = slurp_file('lib/pg/sqlset_data.c');
	my ($fresh) = $data =~ /\[SQLSET_FRESHNESS_JOBS\] = \{(.*?)\n\t\},/s;
	my ($runs) = $data =~ /\[SQLSET_RUNS_JOBS\] = \{(.*?)\n\t\},/s;
	my ($abandoned) = $data =~ /\[SQLSET_RULES_ABANDONED\] = \{"rules", "abandoned",\n\t\t"(.*?)\\n"/s;
	ok($abandoned && index($fresh, $abandoned) >= 0 && index($runs, $abandoned) >= 0,
		'ausdash-freshness and ausdash-runs judge "abandoned" by the same text');
}

done_testing();
