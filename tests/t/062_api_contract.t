# tests/t/062_api_contract.t - the dashboard API's reads, as
# aus-dash-reference.md section 6 describes them, answered from a store
# (its store repository) and from the database ausdash-backfill made of it
# (its Postgres repository), for every series and region: the same
# answers, or the test names the endpoint, the series and the region.
#
# The routes' logic is the same for both backends; what differs is the
# repository: the store picks the latest observation by its HEAD rule
# (descending date, vintage, publishedAt, ingestedAt, sourceName,
# sourceUrl; string comparisons) and keeps array order for a series'
# points, where the Postgres repository reads the rows ordered by date,
# vintage, published_at, ingested_at and takes the last.  Both are written
# here from that description; when the API's reads change, this is where
# it shows.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use JSON::PP ();
use List::Util qw(sum max);
use Test::More;

my $node = Ausdash::Test::Cluster->new('api')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'migrate');

# the canonical catalog, as migration 0004 seeds it (the HEAD route merges it in)
my %canonical = map { my @f = split /\t/; ($f[0] => { domain => $f[1], name => $f[2], url => $f[3], cadence => $f[4] }) }
  split /\n/, $node->psql("SELECT source_id, domain, name, url, expected_cadence FROM public.sources", sep => "\t");
ok(scalar(keys %canonical) >= 16, 'the canonical catalog is seeded');

my @CORE = qw(AU NSW VIC QLD SA WA TAS ACT NT);
my @WHOLESALE_REGIONS = qw(AU NSW VIC QLD SA TAS);
my @HOUSING = qw(hvi.value.index lending.oo.count lending.oo.value_aud lending.investor.count
  lending.investor.value_aud lending.avg_loan_size_aud rates.oo.variable_pct rates.oo.fixed_pct);
my @KEY_SERIES = ([ 'energy.wholesale.rrp.au_weighted_aud_mwh', '5m' ],
	[ 'energy.retail.offer.annual_bill_aud.mean', 'daily' ], [ 'energy.cpi.electricity.index', 'quarterly' ],
	[ 'prices.major_goods.overall.index', 'daily' ], [ 'prices.au_made.all.index', 'daily' ]);

# --- the two repositories -------------------------------------------------------------
sub store_repo
{
	my ($store) = @_;
	my %by;
	for my $o (@{ $store->{observations} })
	{
		push @{ $by{"$o->{seriesId}\0$o->{regionCode}"} }, {
			date => $o->{date}, vintage => $o->{vintage}, value => 0 + $o->{value},
			pub => $o->{publishedAt}, ing => $o->{ingestedAt},
			name => $o->{sourceName}, url => $o->{sourceUrl} };
	}
	return {
		rows => sub { @{ $by{"$_[0]\0$_[1]"} // [] } },
		# pickLatestObservation: descending by the six fields, the first wins
		latest => sub {
			my @r = sort {
				$b->{date} cmp $a->{date} || $b->{vintage} cmp $a->{vintage} || $b->{pub} cmp $a->{pub}
				  || $b->{ing} cmp $a->{ing} || $b->{name} cmp $a->{name} || $b->{url} cmp $a->{url}
			} @{ $by{"$_[0]\0$_[1]"} // [] };
			return $r[0];
		},
		# a series' points: ascending by date, ties in array order
		points => sub { sort { $a->{date} cmp $b->{date} } @{ $by{"$_[0]\0$_[1]"} // [] } },
		pairs => [ sort keys %by ],
		sources => [ map { { id => $_->{sourceId}, domain => $_->{domain}, name => $_->{name},
			url => $_->{url}, cadence => $_->{expectedCadence} } } @{ $store->{sources} } ],
	};
}

sub pg_repo
{
	my %by;
	# the Postgres repository's order: date, vintage, published_at, ingested_at
	my $rows = $node->psql("SELECT series_id, region_code, date, vintage, value, "
		  . "to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
		  . "to_char(ingested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') "
		  . "FROM public.observations ORDER BY series_id, region_code, date, vintage, published_at, ingested_at",
		sep => "\t");
	for (split /\n/, $rows)
	{
		my @f = split /\t/;
		push @{ $by{"$f[0]\0$f[1]"} }, { date => $f[2], vintage => $f[3], value => 0 + $f[4], pub => $f[5], ing => $f[6] };
	}
	my $sources = $node->psql("SELECT source_id, domain, name, url, expected_cadence FROM public.sources", sep => "\t");
	return {
		rows => sub { @{ $by{"$_[0]\0$_[1]"} // [] } },
		latest => sub { my $r = $by{"$_[0]\0$_[1]"}; $r ? $r->[-1] : undef },
		points => sub { @{ $by{"$_[0]\0$_[1]"} // [] } },
		pairs => [ sort keys %by ],
		sources => [ map { my @f = split /\t/; { id => $f[0], domain => $f[1], name => $f[2], url => $f[3], cadence => $f[4] } }
			  split /\n/, $sources ],
	};
}

# --- the routes, over either repository (section 6) -------------------------------------
sub latest_dv { my $o = $_[0]->{latest}->(@_[ 1, 2 ]); $o ? { date => $o->{date}, value => $o->{value} } : undef }

sub housing_overview
{
	my ($r, $region) = @_;
	my (@metrics, @missing);
	for my $s (@HOUSING)
	{
		my $l = latest_dv($r, $s, $region);
		$l ? push(@metrics, { seriesId => $s, %$l }) : push(@missing, $s);
	}
	my @dates = sort map { $_->{date} } @metrics;
	return { metrics => \@metrics, missingSeriesIds => \@missing, updatedAt => @dates ? $dates[-1] : undef };
}

sub series_points
{
	my ($r, $s, $region) = @_;
	return [ map { { date => $_->{date}, value => $_->{value} } } $r->{points}->($s, $region) ];
}

sub live_wholesale
{
	my ($r, $region) = @_;
	my @p = $region eq 'AU'
	  ? $r->{points}->('energy.wholesale.rrp.au_weighted_aud_mwh', 'AU')
	  : $r->{points}->('energy.wholesale.rrp.region_aud_mwh', $region);
	my $modeled = 0;
	if (!@p && $region ne 'AU')
	{
		@p = $r->{points}->('energy.wholesale.rrp.au_weighted_aud_mwh', 'AU');
		$modeled = 1;
	}
	my @v = map { $_->{value} } @p;
	my @last12 = @v > 12 ? @v[ -12 .. -1 ] : @v;
	return { isModeled => $modeled, latest => @p ? { timestamp => $p[-1]{date}, valueAudMwh => $v[-1] } : undef,
		oneHour => @v ? sum(@last12) / @last12 : 0, twentyFourHour => @v ? sum(@v) / @v : 0 };
}

sub with_au_fallback
{
	my ($r, $s, $region) = @_;
	my $l = latest_dv($r, $s, $region);
	return ($l, 0) if $l;
	return (latest_dv($r, $s, 'AU'), 1);
}

sub retail_average
{
	my ($r, $region) = @_;
	my ($mean, $fm) = with_au_fallback($r, 'energy.retail.offer.annual_bill_aud.mean', $region);
	my ($median, $fd) = with_au_fallback($r, 'energy.retail.offer.annual_bill_aud.median', $region);
	return { mean => $mean ? $mean->{value} : 0, median => $median ? $median->{value} : 0,
		isModeled => $region ne 'AU' && ($fm || $fd || !$mean) ? 1 : 0,
		updatedAt => $mean ? $mean->{date} : '1970-01-01' };
}

sub energy_overview
{
	my ($r, $region) = @_;
	my ($bench) = with_au_fallback($r, 'energy.benchmark.dmo.annual_bill_aud', $region);
	my ($cpi) = with_au_fallback($r, 'energy.cpi.electricity.index', $region);
	my $proxy = $region eq 'ACT' ? 'NSW' : $region;
	my %views;
	for my $kind ('official', 'operational')
	{
		my @rows;
		for my $pair (@{ $r->{pairs} })
		{
			my ($s, $reg) = split /\0/, $pair;
			next unless $reg eq $proxy && $s =~ /^energy\.source_mix\.\Q$kind\E\.share_pct\.(.+)$/;
			my $l = latest_dv($r, $s, $reg);
			push @rows, { key => $1, share => $l->{value}, date => $l->{date} };
		}
		@rows = sort { $b->{share} <=> $a->{share} || $a->{key} cmp $b->{key} } @rows;
		my @dates = sort map { $_->{date} } @rows;
		$views{$kind} = { rows => [ map { "$_->{key}=$_->{share}" } @rows ],
			updatedAt => @dates ? $dates[-1] : 'unavailable' };
	}
	return { wholesale => live_wholesale($r, (grep { $_ eq $region } @WHOLESALE_REGIONS) ? $region : 'AU'),
		retail => retail_average($r, $region), benchmark => $bench ? $bench->{value} : 0,
		cpi => $cpi ? "$cpi->{value} $cpi->{date}" : '0 unknown', sourceMix => \%views };
}

sub freshness
{
	my ($r) = @_;
	return [ map { my $l = latest_dv($r, $_->[0], 'AU'); "$_->[0] $_->[1] " . ($l ? $l->{date} : '1970-01-01') } @KEY_SERIES ];
}

# the HEAD route: the backend's sources merged with the canonical catalog
# (canonical wins), sorted by id
sub metadata_sources
{
	my ($r) = @_;
	my %m = map { ($_->{id} => "$_->{domain}|$_->{name}|$_->{url}|$_->{cadence}") } @{ $r->{sources} };
	$m{$_} = join('|', @{ $canonical{$_} }{qw(domain name url cadence)}) for keys %canonical;
	return [ map { "$_ $m{$_}" } sort keys %m ];
}

# --- one store: backfill it, ask both, compare -------------------------------------------
my $json = JSON::PP->new->canonical;
sub same
{
	my ($got, $want, $what) = @_;
	my ($g, $w) = ($json->encode([$got]), $json->encode([$want]));
	return 1 if $g eq $w;
	diag("$what\n  postgres: $g\n  store:    $w") if defined $what;
	return 0;
}

sub contract_ok
{
	my ($path, $name, $want_ties) = @_;
	$node->psql('TRUNCATE public.observations, public.raw_snapshots, public.source_cursors, public.ingestion_runs, '
		  . 'public.price_intake_batches, public.unresolved_price_items, public.store_meta CASCADE; '
		  . 'DELETE FROM public.sources WHERE source_id NOT IN ('
		  . join(', ', map { "'$_'" } sort keys %canonical) . ')');
	command_ok([ 'ausdash-backfill', '-q', $path ], "$name: backfilled");
	my $store = JSON::PP->new->decode(slurp_file($path));
	my ($s, $p) = (store_repo($store), pg_repo());

	is_deeply($p->{pairs}, $s->{pairs}, "$name: the same (series, region) pairs");
	my ($bad, $n, $ties) = (0, 0, 0);
	for my $pair (@{ $s->{pairs} })
	{
		my ($series, $region) = split /\0/, $pair;
		$n++;
		$bad += !same(latest_dv($p, $series, $region), latest_dv($s, $series, $region), "latest $series $region");
		my ($pp, $sp) = (series_points($p, $series, $region), series_points($s, $series, $region));
		next if same($pp, $sp);

		# the API's own difference (section 6): the store keeps points of
		# one date in array order, Postgres orders them by vintage,
		# published_at, ingested_at
		my @by_vintage = map { { date => $_->{date}, value => $_->{value} } }
		  sort { $a->{date} cmp $b->{date} || $a->{vintage} cmp $b->{vintage} || $a->{pub} cmp $b->{pub}
			  || $a->{ing} cmp $b->{ing} } $s->{rows}->($series, $region);
		if (same($pp, \@by_vintage))
		{
			$ties++;
			note("GET /api/series/$series?region=$region: points of one date in another order (section 6)");
		}
		else
		{
			$bad += !same($pp, $sp, "GET /api/series/$series?region=$region");
		}
	}
	is($bad, 0, "$name: /api/series and the latest value agree for all $n series and regions");
	is($ties, $want_ties // 0, "$name: " . ($want_ties // 0) . " series differ only in the order of one date's "
		  . 'vintages, as the API itself does');

	my @regions = sort keys %{ { map { ((split /\0/)[1] => 1) } @{ $s->{pairs} }, map { "x\0$_" } @CORE } };
	$bad = 0;
	for my $region (@regions)
	{
		$bad += !same(housing_overview($p, $region), housing_overview($s, $region), "GET /api/housing/overview?region=$region");
	}
	for my $region (@WHOLESALE_REGIONS)
	{
		$bad += !same(live_wholesale($p, $region), live_wholesale($s, $region), "GET /api/energy/live-wholesale?region=$region");
	}
	for my $region (@CORE)
	{
		$bad += !same(retail_average($p, $region), retail_average($s, $region), "GET /api/energy/retail-average?region=$region");
		$bad += !same(energy_overview($p, $region), energy_overview($s, $region), "GET /api/energy/overview?region=$region");
	}
	$bad += !same(freshness($p), freshness($s), 'GET /api/metadata/freshness');
	$bad += !same(metadata_sources($p), metadata_sources($s), 'GET /api/metadata/sources');
	is($bad, 0, "$name: housing, wholesale, retail, energy overview, freshness and sources agree for "
		  . scalar(@regions) . " regions");
}

# --- the project's own stores --------------------------------------------------------------
my ($gc, $gen) = run_command([ 'perl', "$ROOT/tests/bench/gen-store.pl", '--observations=3000' ]);
write_file("$TMP/generated.json", $gen);
contract_ok("$TMP/generated.json", 'a generated store');

# ties the two repositories must break the same way: several vintages of
# one date, equal dates with other publishedAt, source-mix shares, a
# region with no wholesale points (the AU fallback), ACT's NSW proxy
my @obs;
my $o = sub {
	my ($s, $r, $d, $v, %x) = @_;
	push @obs, { seriesId => $s, regionCode => $r, date => $d, value => $v, unit => 'x', sourceName => 'T',
		sourceUrl => 'https://example.org', publishedAt => $x{pub} // '2026-01-01T00:00:00Z',
		ingestedAt => '2026-01-02T00:00:00Z', vintage => $x{vintage} // '2026-01-01', isModeled => JSON::PP::false,
		confidence => 'official' };
};
$o->('hvi.value.index', 'AU', '2025-12-31', 169.4, vintage => '2026-01-05');
$o->('hvi.value.index', 'AU', '2025-12-31', 170.1, vintage => '2026-01-01');
$o->('hvi.value.index', 'AU', '2025-11-30', 168.9);
$o->('rates.oo.variable_pct', 'VIC', '2025-12-31', 6.16, vintage => '2026-01-02', pub => '2026-01-06T00:00:00Z');
$o->('rates.oo.variable_pct', 'VIC', '2025-12-31', 6.2, vintage => '2026-01-01', pub => '2026-01-05T00:00:00Z');
$o->('energy.wholesale.rrp.au_weighted_aud_mwh', 'AU', sprintf('2026-02-27T%02d:%02d:00Z', int($_ / 12), 5 * ($_ % 12)), 100 + $_)
  for 0 .. 29;
$o->('energy.wholesale.rrp.region_aud_mwh', 'NSW', '2026-02-27T02:00:00Z', 120);
$o->("energy.source_mix.official.share_pct.$_->[0]", 'NSW', '2024', $_->[1]) for [ coal => 58.8 ], [ gas => 17.5 ], [ hydro => 8.1 ];
$o->("energy.source_mix.operational.share_pct.$_->[0]", 'NSW', '2026-02-27T02:00:00Z', $_->[1]) for [ coal => 61 ], [ gas => 9 ];
$o->('energy.retail.offer.annual_bill_aud.mean', 'AU', '2026-02-27', 1940);
$o->('energy.retail.offer.annual_bill_aud.median', 'VIC', '2026-02-27', 1821);
$o->('energy.cpi.electricity.index', 'AU', '2025-Q4', 151.2);
$o->('energy.benchmark.dmo.annual_bill_aud', 'NT', '2025-07-01', 2290);
write_file("$TMP/ties.json", JSON::PP->new->encode({ version => 1, updatedAt => '2026-02-27T02:05:00Z',
	observations => \@obs, sources => [ { sourceId => 'extra_src', domain => 'x', name => 'Extra',
		url => 'https://example.org', expectedCadence => 'daily' } ], sourceCursors => [], ingestionRuns => [] }));
contract_ok("$TMP/ties.json", 'a store of ties and fallbacks', 2);
{
	# the comparison sees a changed value, a lost row and a changed source
	my $store = store_repo(JSON::PP->new->decode(slurp_file("$TMP/ties.json")));
	$node->psql("UPDATE public.observations SET value = value + 0.1 WHERE series_id = 'energy.cpi.electricity.index'");
	ok(!same(energy_overview(pg_repo(), 'VIC'), energy_overview($store, 'VIC')), 'a changed value shows (overview, via the AU fallback)');
	$node->psql("DELETE FROM public.observations WHERE series_id = 'energy.wholesale.rrp.au_weighted_aud_mwh' "
		  . "AND date = (SELECT max(date) FROM public.observations WHERE series_id = 'energy.wholesale.rrp.au_weighted_aud_mwh')");
	ok(!same(live_wholesale(pg_repo(), 'QLD'), live_wholesale($store, 'QLD')), 'a lost row shows (live wholesale, via the AU fallback)');
	$node->psql("UPDATE public.sources SET name = 'Other' WHERE source_id = 'extra_src'");
	ok(!same(metadata_sources(pg_repo()), metadata_sources($store)), 'a changed source shows');
}

# --- every valid real store -------------------------------------------------------------------
SKIP:
{
	my $dir = shared_dir('data/aus-dash');
	skip '../shared/data/aus-dash is absent: no real stores to ask', 1 unless $dir;
	for my $rel ('data/live-store.json', 'apps/api/data/live-store.json', 'history/cd2e0e5/data/live-store.json',
		'history/cd2e0e5/apps/api/data/live-store.json', 'history/c40efbd/apps/ingest/data/live-store.json',
		'history/f8ac5e8/apps/ingest/data/live-store.json')
	{
		contract_ok("$dir/$rel", $rel) if -f "$dir/$rel";
	}
}

done_testing();
