# tests/t/063_reader_upgrades.t - ausdash-backfill and ausdash-parity read a
# store as the dashboard's reader does (lib/store/readerup.h): a store
# without source-mix observations gets the seeded ones of the dashboard's
# seed store (--reader-seed, AUS_DASH_SEED_STORE_PATH), after its own;
# --no-reader-upgrades reads it as written; the run's details say which.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use JSON::PP ();
use Test::More;

my $node = Ausdash::Test::Cluster->new('upgrades')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'migrate');
my $json = JSON::PP->new;
delete $ENV{AUS_DASH_SEED_STORE_PATH};

sub obs
{
	my ($series, $region, $value) = @_;
	return { seriesId => $series, regionCode => $region, date => '2024', value => $value, unit => 'pct',
		sourceName => 'DCCEEW', sourceUrl => 'https://example.org/', publishedAt => '2025-09-01T00:00:00Z',
		ingestedAt => '2026-02-27T02:05:00Z', vintage => '2026-02-27', isModeled => JSON::PP::false,
		confidence => 'official' };
}

sub store
{
	return $json->encode({ version => 1, updatedAt => '2026-02-27T02:05:00Z', observations => [@_],
		sources => [], sourceCursors => [], ingestionRuns => [] });
}

# the seed: two source-mix rows and one other, which is not the reader's to add
write_file("$TMP/seed.json", store(obs('energy.source_mix.official.share_pct.coal', 'AU', 58.8),
	obs('energy.source_mix.official.share_pct.gas', 'AU', 17.5), obs('hvi.value.index', 'AU', 1)));
write_file("$TMP/plain.json", store(obs('rates.oo.variable_pct', 'AU', 6.08), obs('rates.oo.fixed_pct', 'AU', 5.79)));
write_file("$TMP/own.json", store(obs('energy.source_mix.official.share_pct.hydro', 'AU', 8.1)));

sub reset_db
{
	$node->psql('TRUNCATE public.observations, public.raw_snapshots, public.source_cursors, '
		  . 'public.ingestion_runs, public.store_meta CASCADE');
}

sub backfill
{
	my ($name, @args) = @_;
	reset_db();
	my ($code, $out, $err) = run_command([ 'ausdash-backfill', '--json', @args ]);
	is($code, 0, "$name: exit 0") or diag($err);
	my $r = $code == 0 ? $json->decode($out) : {};
	return ($r->{reader_upgrades} // {}, $err);
}

my $mix = "SELECT string_agg(series_id || '=' || value || '\@' || store_ord, ' ' ORDER BY store_ord) "
  . "FROM public.observations";

my ($u, $err) = backfill('a store without source mix, with --reader-seed', "--reader-seed=$TMP/seed.json", "$TMP/plain.json");
is_deeply([ @$u{qw(source_mix seed added)} ], [ 'added', "$TMP/seed.json", 2 ], '... the details say what was added');
is($node->psql($mix), 'rates.oo.variable_pct=6.08@0 rates.oo.fixed_pct=5.79@1 '
	  . 'energy.source_mix.official.share_pct.coal=58.8@2 energy.source_mix.official.share_pct.gas=17.5@3',
	'... the seed\'s source-mix rows, after the store\'s own, and nothing else of the seed');
# copied straight into the empty table: the seeded rows are a second COPY
# into the same table, in the same transaction
($u, $err) = backfill('the same, copied straight in', '--index-build=after', '-v', '-v',
	"--reader-seed=$TMP/seed.json", "$TMP/plain.json");
like($err, qr/public.observations is empty: copying into it/, '... copied, not staged');
is($u->{added}, 2, '... the seeded rows added');
is($node->psql($mix), 'rates.oo.variable_pct=6.08@0 rates.oo.fixed_pct=5.79@1 '
	  . 'energy.source_mix.official.share_pct.coal=58.8@2 energy.source_mix.official.share_pct.gas=17.5@3',
	'... the same rows in the same places');
my ($c, $out) = run_command([ 'ausdash-export' ]);
is(join(' ', map { $_->{seriesId} } @{ $json->decode($out)->{observations} }),
	'rates.oo.variable_pct rates.oo.fixed_pct energy.source_mix.official.share_pct.coal '
	  . 'energy.source_mix.official.share_pct.gas', 'ausdash-export writes them where the dashboard\'s reader puts them');
command_exit_is([ 'ausdash-parity', '-q', "--store=$TMP/plain.json", "--reader-seed=$TMP/seed.json" ], 0,
	'ausdash-parity with the same seed: in parity');
command_exit_is([ 'ausdash-parity', '-q', "--store=$TMP/plain.json", '--no-reader-upgrades' ], 2,
	'ausdash-parity of the store as written: the seeded rows differ');
{
	local $ENV{AUS_DASH_SEED_STORE_PATH} = "$TMP/seed.json";
	($u) = backfill('the seed from AUS_DASH_SEED_STORE_PATH', "$TMP/plain.json");
	is($u->{added}, 2, '... the same two added');
	command_exit_is([ 'ausdash-parity', '-q', "--store=$TMP/plain.json" ], 0, '... and parity finds it there too');
}

($u) = backfill('--no-reader-upgrades', '--no-reader-upgrades', "--reader-seed=$TMP/seed.json", "$TMP/plain.json");
is_deeply([ @$u{qw(source_mix added)} ], [ 'off', 0 ], '... the details say off');
is($node->psql("SELECT count(*) FROM public.observations"), 2, '... the store exactly as written');

($u, $err) = backfill('no seed store', "$TMP/plain.json");
is($u->{source_mix}, 'no_seed', '... the details say so');
like($err, qr/warning: the store has no source-mix observations, which the dashboard's reader adds from its seed store; none was given: loaded as written/,
	'... with a warning');
like($err, qr/hint: Give the dashboard's data\/live-store\.json with --reader-seed/, '... and how to give one');

($u) = backfill('a store with its own source mix', "--reader-seed=$TMP/seed.json", "$TMP/own.json");
is_deeply([ @$u{qw(source_mix added)} ], [ 'own', 0 ], '... nothing added');

reset_db();
my $before = $node->tables_state;
command_checks_all([ 'ausdash-backfill', "--reader-seed=$TMP/missing.json", "$TMP/plain.json" ], 66,
	[], [ qr/could not open store ".*missing\.json"/, qr/While adding the seeded source mix/ ],
	'a seed store that is not there: exit 66');
is($node->tables_state, $before, '... and nothing loaded');
is($node->failed_runs, 1, '... the run recorded as failed');

# the dashboard's own seed and an older store of its (c40efbd: no source mix)
SKIP:
{
	my $dir = shared_dir('data/aus-dash');
	skip '../shared/data/aus-dash is absent: no dashboard seed store to read', 3 unless $dir;
	my $old = "$dir/history/c40efbd/apps/ingest/data/live-store.json";
	($u) = backfill('the c40efbd store with the dashboard\'s seed', "--reader-seed=$dir/data/live-store.json", $old);
	is($u->{added}, 75, '... its 75 seeded source-mix observations added');
	command_exit_is([ 'ausdash-parity', '-q', "--store=$old", "--reader-seed=$dir/data/live-store.json" ], 0,
		'... and in parity with the store as the dashboard reads it');
}

done_testing();
