# tests/t/072_alerts.t - the Prometheus side of the reports: the alerting
# rules shipped in docs/monitoring/ are valid and their unit tests pass
# (promtool check rules, promtool test rules); each report's scrape is
# valid (promtool check metrics), carries no job or instance label (the
# scrape owns them), and has every metric the rules use.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use Test::More;

chdir $ROOT or die;
my ($pc) = run_command([ 'sh', '-c', 'command -v promtool' ]);
plan skip_all => 'promtool is not installed (Debian package prometheus; ./install-deps.sh installs it)'
  if $pc != 0;

my $rules = 'docs/monitoring/ausdash.rules.yml';
my ($code, $out, $err) = run_command([ 'promtool', 'check', 'rules', $rules ]);
is($code, 0, 'promtool check rules') or diag("$out$err");
($code, $out, $err) = run_command([ 'sh', '-c', 'cd tests/prometheus && promtool test rules ausdash.rules.test.yml' ]);
is($code, 0, 'promtool test rules: the alerts fire as their tests say') or diag("$out$err");

# the reports, on a database with a little of everything
my $node = Ausdash::Test::Cluster->new('alerts')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'schema migrated');
($code, $out, $err) = run_command([ 'sh', '-c', "'$ROOT/tests/bench/gen-store.pl' --observations=50 > '$TMP/store.json'" ]);
is($code, 0, 'a store generated') or diag($err);
command_ok([ 'ausdash-backfill', '-q', "$TMP/store.json" ], 'backfilled');
run_command([ 'ausdash-ingest', '-q', '--source=aemo_wholesale', '-' ],
	stdin => "SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND\n2026-03-01T00:00:00Z,NSW1,x,1\n");

my %scrape;
for my $t ([ 'freshness', '--all' ], [ 'runs' ], [ 'parity', "--store=$TMP/store.json" ])
{
	my ($name, @args) = @$t;
	($code, $out, $err) = run_command([ "ausdash-$name", '--format=prometheus', @args ]);
	ok($code <= 2, "ausdash-$name --format=prometheus") or diag($err);
	$scrape{$name} = $out;
	my ($c, $o, $e) = run_command([ 'promtool', 'check', 'metrics' ], stdin => $out);
	is($c, 0, "$name: promtool check metrics accepts it") or diag("$o$e");
	unlike($out, qr/[{,](?:job|instance)="/, "$name: no job or instance label");
	like($out, qr/^ausdash_build_info\{report="$name",version="[^"]+"\} 1$/m, "$name: ausdash_build_info");
	like($out, qr/^ausdash_report_generated_timestamp_seconds\{report="$name"\} \d{10}\.\d{3}$/m,
		"$name: when it was generated, as a timestamp");
}
like($scrape{runs}, qr/^ausdash_runs_last_success_timestamp_seconds\{ausdash_job="ausdash-backfill"\} \d{10}\.\d{3}$/m,
	'runs: the last success as a timestamp, under ausdash_job');
like($scrape{freshness}, qr/^ausdash_freshness_latest_timestamp_seconds\{series="[^"]+",region="[^"]+",cadence="[^"]+"\} -?\d+\.\d{3}$/m,
	'freshness: the latest point as a timestamp');

# every metric an alert uses is one a report writes
my $all = join '', values %scrape;
my %used = map { $_ => 1 } map { /\b(ausdash_[a-z_]+)\b/g } slurp_file($rules) =~ /^\s*expr: (.*)$/mg;
for my $m (sort keys %used)
{
	like($all, qr/^\Q$m\E[{ ]/m, "the rules' $m is written by a report");
}

done_testing();
