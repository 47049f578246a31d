# tests/t/051_ingest_real.t - ausdash-ingest on the real feed samples in
# ../shared/feeds, and ausdash-replay of every raw snapshot in the real
# stores in ../shared/data/aus-dash.  What each file should give is worked
# out here from the raw file, independently of the C parsers.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use JSON::PP ();
use Test::More;
use Time::Local qw(timegm);

my $feeds = shared_dir('feeds');
my $stores = shared_dir('data/aus-dash');
plan skip_all => '../shared is absent: no real feed samples or stores to test with'
  unless $feeds || $stores;

my $tool = 'ausdash-ingest';
my $node = Ausdash::Test::Cluster->new('ingest_real')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'schema migrated');

sub reset_db
{
	# (CASCADE: the dashboard's price warehouse, migration 0008, refers to them)
	$node->psql('TRUNCATE public.observations, public.raw_snapshots, public.source_cursors, '
		  . 'public.sources, public.price_intake_batches, public.unresolved_price_items, '
		  . 'public.store_meta CASCADE');
	$node->psql("DELETE FROM public.ingestion_runs");
}

sub ingest
{
	my ($args, $name, $code) = @_;
	my ($c, $out, $err) = run_command([ $tool, '--json', @$args ]);
	is($c, $code // 0, "$name: exit code") or diag($err);
	return (eval { JSON::PP->new->decode($out) } // {}, $err);
}

# Values by (series, region, date) as the database has them.
sub db_values
{
	my %v;
	for (split /\n/, $node->psql("SELECT series_id || '|' || region_code || '|' || date || '|' || "
		  . "value FROM public.observations"))
	{
		my ($s, $r, $d, $x) = split /\|/;
		$v{"$s|$r|$d"} = $x;
	}
	return \%v;
}

# NEM time (+10:00) "YYYY/MM/DD HH:MM:SS" to UTC ISO
sub nem_utc
{
	my ($t) = @_;
	my ($y, $mo, $d, $h, $mi, $s) = $t =~ m{^(\d{4})[/-](\d\d)[/-](\d\d)[ T](\d\d):(\d\d):(\d\d)$}
	  or die "bad NEM time $t";
	my @g = gmtime(timegm($s, $mi, $h, $d, $mo - 1, $y) - 36000);
	return sprintf('%04d-%02d-%02dT%02d:%02d:%02dZ', $g[5] + 1900, $g[4] + 1, $g[3], $g[2], $g[1], $g[0]);
}

SKIP:
{
	skip '../shared/feeds is absent', 1 unless $feeds;

	# --- AEMO MMS: the footer count, D rows per region and interval -------------
	for my $file (glob("$feeds/aemo-mms-current/*.CSV"), glob("$feeds/aemo-mms-archive/*.CSV"))
	{
		(my $base = $file) =~ s{.*/}{};
		my @lines = split /\r?\n/, slurp_file($file);
		my (%cols, @rows);
		for (@lines)
		{
			my @f = map { s/^"(.*)"$/$1/r } split /,/, $_, -1;
			if ($f[0] eq 'I')
			{
				$cols{"$f[1],$f[2],$f[3]"} = { map { $f[$_] => $_ } 4 .. $#f };
			}
			elsif ($f[0] eq 'D')
			{
				my $t = "$f[1],$f[2]";
				next unless $t =~ /^(DISPATCH,PRICE|DREGION,|TRADING,PRICE)$/;
				my $c = $cols{"$f[1],$f[2],$f[3]"};
				push @rows, { table => $t, date => nem_utc($f[ $c->{SETTLEMENTDATE} ]),
					region => $f[ $c->{REGIONID} ] =~ s/1$//r, rrp => $f[ $c->{RRP} ],
					int => defined $c->{INTERVENTION} ? $f[ $c->{INTERVENTION} ] : 0,
					demand => defined $c->{TOTALDEMAND} ? $f[ $c->{TOTALDEMAND} ] : undef };
			}
		}
		my ($footer) = $lines[-1] =~ /^C,"END OF REPORT",(\d+)$/;
		reset_db();
		my @args = ('--source=aemo_wholesale', '--format=aemo-mms');
		if ($footer != @lines)
		{
			# the archive excerpts were cut down: the footer still counts the original
			ingest([ @args, $file ], "$base: trimmed file refused", 65);
			my (undef, undef, $err) = run_command([ $tool, @args, $file ]);
			like($err, qr/END OF REPORT counts $footer lines but the file has ${\ scalar @lines}/,
				"$base: the footer count disagrees and says so");
			push @args, '--no-footer-check';
		}
		my ($j) = ingest([ @args, $file ], $base);
		# AU values: intervals whose non-intervention price rows all carry a demand
		my %au;
		for my $r (grep { $_->{table} ne 'TRADING,PRICE' && !$_->{int} } @rows)
		{
			my $a = $au{ $r->{date} } //= { w => 0, d => 0, ok => 1 };
			if (defined $r->{demand}) { $a->{w} += $r->{rrp} * $r->{demand}; $a->{d} += $r->{demand}; }
			else { $a->{ok} = 0 }
		}
		my @au = grep { $au{$_}{ok} } sort keys %au;
		is($j->{observations}{read}, @rows + @au, "$base: one observation per price D row (" . scalar(@rows)
			  . ") plus one AU value per interval with demand (" . scalar(@au) . ')');
		my $db = db_values();
		my $bad = 0;
		for my $r (@rows)
		{
			my $series = $r->{table} eq 'TRADING,PRICE' ? 'energy.wholesale.trading_rrp.region_aud_mwh'
			  : $r->{int} ? 'energy.wholesale.rrp.region_aud_mwh.intervention'
			  : 'energy.wholesale.rrp.region_aud_mwh';
			my $got = $db->{"$series|$r->{region}|$r->{date}"};
			$bad++ unless defined $got && $got == $r->{rrp};
		}
		is($bad, 0, "$base: every RRP is in the database under its region and UTC interval end");
		for my $d (@au[ 0 .. ($#au < 2 ? $#au : 2) ])
		{
			my $got = $db->{"energy.wholesale.rrp.au_weighted_aud_mwh|AU|$d"};
			ok(defined $got && abs($got - $au{$d}{w} / $au{$d}{d}) < 1e-9,
				"$base: AU demand-weighted value at $d");
		}
	}

	# --- the AEMO dashboard 5MIN JSON ----------------------------------------------
	for my $file (glob("$feeds/aemo-visualisation-json/*.json"))
	{
		reset_db();
		my $recs = JSON::PP->new->decode(slurp_file($file))->{'5MIN'};
		my @actual = grep { $_->{PERIODTYPE} eq 'ACTUAL' } @$recs;
		my %iv;
		for (@actual)
		{
			my $a = $iv{ nem_utc($_->{SETTLEMENTDATE}) } //= { w => 0, d => 0 };
			$a->{w} += $_->{RRP} * $_->{TOTALDEMAND};
			$a->{d} += $_->{TOTALDEMAND};
		}
		my ($j) = ingest([ '--source=aemo_wholesale', '--format=aemo-5min-json', $file ], '5MIN JSON');
		is($j->{observations}{read}, @actual + keys %iv,
			'5MIN JSON: one per ACTUAL record plus one AU value per interval');
		my $db = db_values();
		my $r = $actual[-1];
		is($db->{ 'energy.wholesale.rrp.region_aud_mwh|' . ($r->{REGIONID} =~ s/1$//r) . '|'
			  . nem_utc($r->{SETTLEMENTDATE}) } + 0, $r->{RRP} + 0, '5MIN JSON: a regional value');
		my ($d) = sort keys %iv;
		ok(abs($db->{"energy.wholesale.rrp.au_weighted_aud_mwh|AU|$d"} - $iv{$d}{w} / $iv{$d}{d}) < 1e-9,
			'5MIN JSON: the AU value of the first interval');
	}

	# --- RBA statistical tables: series x dates ------------------------------------------
	my %mapped = (FLRHOFVA => 'rates.oo.variable_pct', FLRHOFFA => 'rates.oo.fixed_pct');
	for my $file (glob("$feeds/rba-csv/*.csv"))
	{
		(my $base = $file) =~ s{.*/}{};
		reset_db();
		my (@ids, @cells);
		for (split /\r?\n/, slurp_file($file))
		{
			my @f = split /,/, $_, -1;
			if ($f[0] eq 'Series ID') { @ids = @f; next; }
			next unless @ids && $f[0] =~ m{^(\d\d)[/-](\w\w\w|\d\d)[/-](\d{4})$};
			my ($d, $m, $y) = ($1, $2, $3);
			my %mon = (Jan => 1, Feb => 2, Mar => 3, Apr => 4, May => 5, Jun => 6, Jul => 7,
				Aug => 8, Sep => 9, Oct => 10, Nov => 11, Dec => 12);
			my $date = sprintf('%04d-%02d-%02d', $y, $mon{$m} // $m, $d);
			for my $i (1 .. $#f)
			{
				next if $f[$i] eq '' || ($ids[$i] // '') eq '';
				push @cells, [ $mapped{ $ids[$i] } // "rba.$ids[$i]", $date, $f[$i] ];
			}
		}
		my ($j) = ingest([ '--source=rba_rates', '--format=rba-table', $file ], $base);
		is($j->{observations}{read}, scalar(@cells), "$base: one observation per non-empty cell ("
			  . scalar(@cells) . ')');
		my $db = db_values();
		for my $c (@cells[ 0, int(@cells / 3), int(@cells / 2), -1 ])
		{
			is($db->{"$c->[0]|AU|$c->[1]"}, $c->[2], "$base: $c->[0] on $c->[1]");
		}
		if ($base =~ /^d5/)
		{
			is($node->psql("SELECT position('–' in payload) > 0 FROM public.raw_snapshots"), 't',
				"$base: its Windows-1252 en dash is stored as UTF-8");
		}
	}
}

# --- every raw snapshot of the real stores replays into that store's values ----------
sub iso_ms
{
	my ($t) = @_;
	my ($y, $mo, $d, $h, $mi, $s, $ms) = $t =~ /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?Z$/
	  or die "bad timestamp $t";
	return timegm($s, $mi, $h, $d, $mo - 1, $y) * 1000 + substr(($ms // 0) . '00', 0, 3);
}

# the dashboard's job of each source (aus-dash-reference.md section 7)
my %job = (aemo_wholesale => 'sync-energy-wholesale-5m', aer_prd => 'sync-energy-retail-prd-hourly',
	abs_housing => 'sync-housing-abs-daily', aemo_nem_source_mix => 'sync-energy-source-mix-operational-5m',
	aemo_wem_source_mix => 'sync-energy-source-mix-operational-5m',
	eia_electricity => 'sync-energy-wholesale-global-hourly',
	entsoe_wholesale => 'sync-energy-wholesale-global-hourly',
	nea_china_wholesale_proxy => 'sync-energy-wholesale-global-hourly');

SKIP:
{
	skip '../shared/data/aus-dash is absent', 1 unless $stores;
	for my $rel ('history/c40efbd/apps/ingest/data/live-store.json',
		'history/f8ac5e8/apps/ingest/data/live-store.json')
	{
		my $file = "$stores/$rel";
		next unless -f $file;
		reset_db();
		my $store = JSON::PP->new->decode(slurp_file($file));
		command_exit_is([ 'ausdash-backfill', '-q', $file ], 0, "$rel: backfilled");
		# the store's observations written by its jobs' runs (not the seed): their
		# ingestedAt falls within a run of the job
		my %store;
		for my $o (@{ $store->{observations} })
		{
			my $t = iso_ms($o->{ingestedAt});
			my @by = grep { iso_ms($_->{startedAt}) <= $t && $t <= iso_ms($_->{finishedAt}) }
			  @{ $store->{ingestionRuns} };
			push @{ $store{"$o->{seriesId}|$o->{regionCode}|$o->{date}"}{$_->{job}} }, $o->{value}
			  for @by;
		}
		my %sources = map { $_->{sourceId} => 1 } @{ $store->{rawSnapshots} };
		for my $src (sort keys %sources)
		{
			my @snaps = grep { $_->{sourceId} eq $src } @{ $store->{rawSnapshots} };
			my ($code, $out, $err) = run_command([ 'ausdash-replay', '--json', "--source=$src" ]);
			if ($src =~ /^agent_/)
			{
				# price-intake snapshots: items for the price warehouse, no observations
				is($code, 64, "$rel: $src has no observation mapping, and says so");
				like($err, qr/source "\Q$src\E" has no default format/, "$rel: $src: the message");
				next;
			}
			is($code, 0, "$rel: replay $src") or diag($err);
			my $j = JSON::PP->new->decode($out);
			is($j->{snapshots}, scalar(@snaps), "$rel: $src: every snapshot replayed");
			# the replayed rows carry their snapshot's capture time as ingested_at
			my $rows = $node->psql("SELECT o.series_id || '|' || o.region_code || '|' || o.date || '|' || o.value "
				  . "FROM public.observations o JOIN public.raw_snapshots s ON s.source_id = '$src' "
				  . "AND o.ingested_at = s.captured_at");
			my ($matched, @diff) = (0);
			for (split /\n/, $rows)
			{
				my ($s, $r, $d, $v) = split /\|/;
				my $want = $store{"$s|$r|$d"}{ $job{$src} } or next;
				$matched++;
				push @diff, "$s $r $d: $v vs @$want" if grep { $_ != $v } @$want;
			}
			is_deeply(\@diff, [], "$rel: $src: replayed values equal the store's for the same series, "
				  . "region and date ($matched compared)");
			# dates from the payload (not from the capture date): there is something to compare
			ok($matched > 0, "$rel: $src: replayed observations found in the store")
			  unless $src eq 'aer_prd' && $rel =~ /f8ac5e8/;
		}
	}
}

done_testing();
