# tests/t/050_ingest.t - ausdash-ingest and ausdash-replay on the project's
# own payloads: every format, the snapshot dedupe, the cursor, bad input,
# rejects, the per-source lock and replays.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use IPC::Run ();
use JSON::PP ();
use Test::More;
use Time::HiRes qw(time sleep);

my $tool = 'ausdash-ingest';

for my $t ($tool, 'ausdash-replay')
{
	program_help_ok($t);
	program_version_ok($t);
	program_options_handling_ok($t);
}

# --- usage errors: before anything is read ----------------------------------
my $missing = "$TMP/no-such-payload";
for my $case (
	[ [$missing], 64, qr/option --source is required/ ],
	[ [ '--source=aemo_wholesale', '--format=xml', $missing ], 64, qr/unknown format "xml"/ ],
	[ [ '--source=Bad-Id', $missing ], 64, qr/invalid source id "Bad-Id"/ ],
	[ [ '--source=mystery', $missing ], 64,
		qr/source "mystery" has no default format; give one with --format/ ],
	[ [ '--source=aemo_wholesale', '--backend=mysql', $missing ], 64,
		qr/unknown backend "mysql" \(expected postgres, store or dual\)/ ],
	[ [ '--source=aemo_wholesale', '--rejects=r', $missing ], 64,
		qr/option --rejects needs --max-errors/ ],
	[ [ '--source=aemo_wholesale', '--mode=cron', $missing ], 64,
		qr/invalid value "cron" for option --mode/ ],
	[ [ '--source=aemo_wholesale', $missing ], 66, qr/could not open payload ".*no-such-payload"/ ],
  )
{
	my ($args, $code, $re) = @$case;
	command_checks_all([ $tool, @$args ], $code, [], [$re], "ingest @$args");
}
{
	local $ENV{AUS_DASH_INGEST_BACKEND} = 'sqlite';
	command_checks_all([ $tool, '--source=aemo_wholesale', $missing ], 64, [],
		[qr/unknown backend "sqlite"/], 'AUS_DASH_INGEST_BACKEND is checked before the input');
}
{
	my ($out) = command_exit_is([ $tool, '--list-formats' ], 0, '--list-formats');
	for my $f (qw(wholesale-csv aer-prd-json aer-dmo-json abs-housing-json abs-cpi-json
		rba-rates-csv aemo-mms aemo-5min-json rba-table ndjson csv))
	{
		like($out, qr/^  \Q$f\E\s/m, "--list-formats lists $f");
	}
	like($out, qr/^  aemo_wholesale\s+wholesale-csv\s+sync-energy-wholesale-5m$/m,
		'--list-formats gives each source its default format and job');
}
command_checks_all([ 'ausdash-replay', '--source=aer_prd', '--since=yesterday' ], 64, [],
	[qr/invalid value "yesterday" for option --since/], 'replay: --since is a timestamp');

# --- a cluster ----------------------------------------------------------------
my $node = Ausdash::Test::Cluster->new('ingest')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'schema migrated');

sub state
{
	return $node->psql("SELECT (SELECT count(*) FROM public.observations), "
		  . "(SELECT md5(COALESCE(string_agg(t.xmin::text || t::text, '|' ORDER BY t::text), '')) "
		  . "FROM public.observations t), (SELECT count(*) FROM public.raw_snapshots), "
		  . "(SELECT COALESCE(string_agg(source_id || '=' || cursor, ',' ORDER BY source_id), '') "
		  . "FROM public.source_cursors)");
}

sub last_run
{
	my ($source) = @_;
	return $node->psql("SELECT job || ' ' || status || ' ' || rows_inserted || ' ' || rows_updated"
		  . " || ' ' || run_mode || ' ' || COALESCE(error_summary, '') FROM public.ingestion_runs "
		  . "WHERE source_id = '$source' ORDER BY started_at DESC LIMIT 1");
}

sub value_of
{
	my ($series, $region, $date) = @_;
	return $node->psql("SELECT string_agg(value::text, ',') FROM public.observations "
		  . "WHERE series_id = '$series' AND region_code = '$region' AND date = '$date'");
}

sub ingest_json
{
	my ($args, $name, %opt) = @_;
	my ($code, $out, $err) = run_command([ $tool, '--json', @$args ], %opt);
	is($code, $opt{code} // 0, "$name: exit code") or diag($err);
	return eval { JSON::PP->new->decode($out) } // {};
}

# --- the dashboard's wholesale CSV ------------------------------------------------
my $wholesale = "SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND\n"
  . "2026-02-27T02:00:00Z,NSW1,150,4000\n2026-02-27T02:00:00Z,VIC1,100,4000\n"
  . "2026-02-27T01:55:00Z,NSW1,118,5000\n2026-02-27T01:55:00Z,VIC1,99.5,3000\n";
write_file("$TMP/wholesale.csv", $wholesale);
my $j = ingest_json([ '--source=aemo_wholesale', "$TMP/wholesale.csv" ], 'wholesale CSV');
is_deeply([ @{ $j->{observations} }{qw(read inserted updated unchanged rejected)} ],
	[ 6, 6, 0, 0, 0 ], 'wholesale: 4 regional values and 2 AU values');
is($j->{status}, 'ok', 'wholesale: status ok');
like($j->{snapshot_id}, qr/^aemo_wholesale-\d{13}-[0-9a-f]{8}$/, 'wholesale: snapshot id');
# the reference's own example: NSW 150/4000, VIC 100/4000 give 125
is(value_of('energy.wholesale.rrp.au_weighted_aud_mwh', 'AU', '2026-02-27T02:00:00Z'), '125',
	'demand-weighted AU value (the dashboard test case: 125)');
my $expect = (118 * 5000 + 99.5 * 3000) / 8000;
is(value_of('energy.wholesale.rrp.au_weighted_aud_mwh', 'AU', '2026-02-27T01:55:00Z') + 0,
	$expect, 'demand-weighted AU value, computed here');
is(value_of('energy.wholesale.rrp.region_aud_mwh', 'VIC', '2026-02-27T01:55:00Z'), '99.5',
	'regional value kept as given; NSW1 becomes NSW');
is($node->psql("SELECT market || ' ' || country_code || ' ' || metric_family || ' ' || unit || ' '"
	  . " || currency || ' ' || methodology_version || ' ' || (vintage = to_char(ingested_at, "
	  . "'YYYY-MM-DD'))::text || ' ' || (published_at = date::timestamptz)::text "
	  . "FROM public.observations WHERE region_code = 'AU' AND date = '2026-02-27T02:00:00Z'"),
	'NEM AU wholesale aud_mwh AUD energy-wholesale-v1 true true', 'wholesale: the job\'s fields');
is($node->psql("SELECT source_id || ' ' || content_type || ' ' || format || ' ' || "
	  . "(checksum_sha256 = encode(sha256(convert_to(payload, 'UTF8')), 'hex'))::text || ' ' || "
	  . "(payload = \$\$$wholesale\$\$)::text FROM public.raw_snapshots"),
	'aemo_wholesale text/csv wholesale-csv true true', 'the raw snapshot: payload and checksum');
is($node->psql("SELECT cursor FROM public.source_cursors WHERE source_id = 'aemo_wholesale'"),
	'2026-02-27T02:00:00Z', 'cursor: the newest date');
like(last_run('aemo_wholesale'), qr/^sync-energy-wholesale-5m ok 6 0 scheduled $/, 'run recorded');

# the same payload again: a recorded skipped duplicate that changes nothing
my $before = state();
$j = ingest_json([ '--source=aemo_wholesale', '-' ], 'same payload again', stdin => $wholesale);
is($j->{status}, 'skipped_duplicate', 'duplicate: status');
like($j->{duplicate_of}, qr/^aemo_wholesale-/, 'duplicate: names the stored snapshot');
is(state(), $before, 'duplicate: nothing changed');
like(last_run('aemo_wholesale'), qr/^sync-energy-wholesale-5m skipped_duplicate 0 0 /,
	'duplicate: run recorded as skipped_duplicate');

# a changed payload: only the changed rows are rewritten
(my $changed = $wholesale) =~ s/VIC1,100,4000/VIC1,101,4000/;
$j = ingest_json([ '--source=aemo_wholesale', '-' ], 'changed payload', stdin => $changed);
is_deeply([ @{ $j->{observations} }{qw(inserted updated unchanged)} ], [ 0, 2, 4 ],
	'changed payload: VIC and AU at 02:00 updated, the rest unchanged');

# --- the cursor never moves backwards --------------------------------------------
my $older = "SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND\n2026-01-01T00:00:00Z,SA1,50,1000\n";
$j = ingest_json([ '--source=aemo_wholesale', '-' ], 'older payload', stdin => $older);
ok($j->{cursor}{kept} && !$j->{cursor}{moved}, 'older payload: cursor kept');
is($node->psql("SELECT cursor FROM public.source_cursors WHERE source_id = 'aemo_wholesale'"),
	'2026-02-27T02:00:00Z', 'older payload: the cursor did not move back');
$older =~ s/50,1000/51,1000/;
$j = ingest_json([ '--source=aemo_wholesale', '--allow-cursor-rewind', '-' ],
	'older payload, rewind allowed', stdin => $older);
is($node->psql("SELECT cursor FROM public.source_cursors WHERE source_id = 'aemo_wholesale'"),
	'2026-01-01T00:00:00Z', '--allow-cursor-rewind moves it back');

# --- AER product reference data: retail and DMO --------------------------------------
my @plans = ([ 'NSW', 'residential', 1910 ], [ 'NSW', 'residential', 2010 ],
	[ 'QLD', 'small_business', 2380 ], [ 'VIC', 'residential', 1825 ],
	[ 'VIC', 'residential', 1790 ], [ 'VIC', 'residential', 1900 ], [ 'SA', 'residential', 2200 ]);
my $aer = '{"data":[' . join(',', map {
	  qq({"id":"p$_","attributes":{"region_code":"$plans[$_][0]","customer_type":"$plans[$_][1]",)
	  . qq("annual_bill_aud":$plans[$_][2]}})
} 0 .. $#plans) . ']}';
write_file("$TMP/aer.json", $aer);
$j = ingest_json([ '--source=aer_prd', "$TMP/aer.json" ], 'AER retail');
my @res = map { $_->[2] } grep { $_->[1] eq 'residential' } @plans;
my $mean = 0;
$mean += $_ for @res;
$mean /= @res;
my @sorted = sort { $a <=> $b } @res;
my $median = @sorted % 2 ? $sorted[$#sorted / 2] : ($sorted[@sorted / 2 - 1] + $sorted[@sorted / 2]) / 2;
my $today = $node->psql("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')");
is(value_of('energy.retail.offer.annual_bill_aud.mean', 'AU', $today) + 0, $mean,
	'AER: AU mean of the residential plans');
is(value_of('energy.retail.offer.annual_bill_aud.median', 'AU', $today) + 0, $median,
	'AER: AU median (even count: mean of the middle two)');
is(value_of('energy.retail.offer.annual_bill_aud.median', 'VIC', $today), '1825',
	'AER: VIC median');
is($j->{observations}{read}, 2 + 2 * 3, 'AER: AU plus three regions, mean and median');
is($j->{observations}{skipped}, 1, 'AER: the small-business plan is left out');
is($node->psql("SELECT DISTINCT tax_status || ' ' || consumption_band || ' ' || methodology_version"
	  . " || ' ' || (interval_end_utc = (date || 'T23:59:59Z')::timestamptz)::text FROM "
	  . "public.observations WHERE series_id LIKE 'energy.retail.offer.%' AND region_code = 'AU'"),
	"incl_tax household_mid energy-retail-prd-v1 true", 'AER: the job\'s fields');
$j = ingest_json([ '--source=aer_prd', '--format=aer-dmo-json', "$TMP/aer.json" ],
	'AER as DMO: the payload the retail job stored');
is($j->{status}, 'ok', 'DMO maps a payload another job of the source stored');
like($j->{duplicate_of}, qr/^aer_prd-/, '... which is stored once, as that snapshot');
$j = ingest_json([ '--source=aer_prd', '--format=aer-dmo-json', "$TMP/aer.json" ], 'AER as DMO again');
is($j->{status}, 'skipped_duplicate', 'the same job on the same payload again: skipped');
(my $aer2 = $aer) =~ s/2200/2210/;
$j = ingest_json([ '--source=aer_prd', '--format=aer-dmo-json', '-' ], 'DMO', stdin => $aer2);
is($j->{job}, 'sync-energy-benchmark-dmo-daily', 'DMO: its own job name');
my $dmo_au = ((1910 + 2010) / 2 + (1825 + 1790 + 1900) / 3 + 2210) / 3;
is(value_of('energy.benchmark.dmo.annual_bill_aud', 'AU', $today) + 0, $dmo_au,
	'DMO: AU is the mean of the regional means');
is($node->psql("SELECT DISTINCT is_modeled::text || ' ' || confidence || ' ' || source_name FROM "
	  . "public.observations WHERE series_id = 'energy.benchmark.dmo.annual_bill_aud'"),
	'true derived AER DMO benchmark (modeled)', 'DMO: modeled and derived');

# --- ABS housing and CPI, the dashboard's RBA CSV ---------------------------------------
my $abs = '{"observations":[{"series_id":"hvi.value.index","region_code":"AU","date":"2025-12-31",'
  . '"value":169.4,"unit":"index"},{"seriesId":"lending.oo.count","regionCode":"VIC",'
  . '"date":"2025-11-30","value":10120,"unit":"count"}]}';
$j = ingest_json([ '--source=abs_housing', '-' ], 'ABS housing', stdin => $abs);
is($node->psql("SELECT string_agg(series_id || ' ' || region_code || ' ' || value || ' ' || vintage"
	  . " || ' ' || to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), ',' ORDER BY series_id) "
	  . "FROM public.observations "
	  . "WHERE source_name = 'ABS'"),
	'hvi.value.index AU 169.4 2025-12-31 2025-12-31,lending.oo.count VIC 10120 2025-12-31 2025-11-30',
	'ABS housing: rows as given, vintage the newest date, published at the date');
my $cpi = '{"observations":[{"region_code":"AU","date":"2025-Q4","value":151.2,"unit":"index"},'
  . '{"region_code":"VIC","date":"2025-Q3","value":148.6}]}';
$j = ingest_json([ '--source=abs_cpi', '-' ], 'ABS CPI', stdin => $cpi);
is($node->psql("SELECT cursor FROM public.source_cursors WHERE source_id = 'abs_cpi'"), '2025-Q4',
	'ABS CPI: cursor is the newest quarter');
is(value_of('energy.cpi.electricity.index', 'VIC', '2025-Q3'), '148.6', 'ABS CPI: value');
my $rba = "date,oo_variable_pct,oo_fixed_pct\n2025-11-30,6.1,5.8\n2025-12-31,6.08,\n";
$j = ingest_json([ '--source=rba_rates', '-' ], 'RBA rates CSV', stdin => $rba);
is($j->{observations}{read}, 3, 'RBA rates: an empty cell is no observation');
is($node->psql("SELECT string_agg(series_id || ' ' || date || ' ' || value || ' ' || vintage, ',' "
	  . "ORDER BY series_id, date) FROM public.observations WHERE source_name = 'RBA'"),
	'rates.oo.fixed_pct 2025-11-30 5.8 2025-12-31,rates.oo.variable_pct 2025-11-30 6.1 2025-12-31,'
	  . 'rates.oo.variable_pct 2025-12-31 6.08 2025-12-31', 'RBA rates: both series, vintage the newest date');

# --- AEMO MMS, the 5MIN JSON and an RBA table, written here -------------------------------
my @mms = (
	'C,NEMP.WORLD,DISPATCHIS,AEMO,PUBLIC,2024/03/15,19:40:11,0000000412000001,DISPATCHIS,0000000412000000',
	'I,DISPATCH,REGIONSUM,4,SETTLEMENTDATE,RUNNO,REGIONID,DISPATCHINTERVAL,INTERVENTION,TOTALDEMAND',
	'D,DISPATCH,REGIONSUM,4,"2024/03/15 19:45:00",1,NSW1,20240315236,0,8000',
	'D,DISPATCH,REGIONSUM,4,"2024/03/15 19:45:00",1,SA1,20240315236,0,2000',
	'I,DISPATCH,PRICE,5,SETTLEMENTDATE,RUNNO,REGIONID,DISPATCHINTERVAL,INTERVENTION,RRP,LASTCHANGED',
	'D,DISPATCH,PRICE,5,"2024/03/15 19:45:00",1,NSW1,20240315236,0,100.5,"2024/03/15 19:40:03"',
	'D,DISPATCH,PRICE,5,"2024/03/15 19:45:00",1,SA1,20240315236,0,-38.65503,"2024/03/15 19:40:03"',
	'D,DISPATCH,PRICE,5,"2024/03/15 19:45:00",1,SA1,20240315236,1,14160.2889266666666666666666,"2024/03/15 19:40:03"',
);
my $mms = join("\r\n", @mms, 'C,"END OF REPORT",' . (@mms + 1)) . "\r\n";
write_file("$TMP/dispatchis.CSV", $mms);
$j = ingest_json([ '--source=aemo_wholesale', '--format=aemo-mms', "$TMP/dispatchis.CSV" ],
	'MMS DispatchIS');
is($j->{observations}{read}, 4, 'MMS: 3 price rows and 1 AU value');
is(value_of('energy.wholesale.rrp.region_aud_mwh', 'SA', '2024-03-15T09:45:00Z'), '-38.65503',
	'MMS: NEM time 19:45 +10:00 is 09:45Z; negative price');
is(value_of('energy.wholesale.rrp.region_aud_mwh.intervention', 'SA', '2024-03-15T09:45:00Z'),
	'14160.2889266666666666666666', 'MMS: the intervention row kept apart, all 28 digits');
is(value_of('energy.wholesale.rrp.au_weighted_aud_mwh', 'AU', '2024-03-15T09:45:00Z') + 0,
	(100.5 * 8000 + -38.65503 * 2000) / 10000, 'MMS: AU weighted by the REGIONSUM demand');
is($node->psql("SELECT interval_start_utc = '2024-03-15T09:40:00Z' AND published_at = "
	  . "'2024-03-15T09:40:03Z' FROM public.observations WHERE series_id = "
	  . "'energy.wholesale.rrp.region_aud_mwh' AND region_code = 'NSW' AND date = '2024-03-15T09:45:00Z'"),
	't', 'MMS: interval start, and published at LASTCHANGED');

my $five = '{"5MIN":[' . join(',',
	'{"SETTLEMENTDATE":"2021-10-06T15:00:00","REGIONID":"NSW1","RRP":50.00000,"TOTALDEMAND":7000.00000,"PERIODTYPE":"ACTUAL"}',
	'{"SETTLEMENTDATE":"2021-10-06T15:00:00","REGIONID":"QLD1","RRP":70.00000,"TOTALDEMAND":6000.00000,"PERIODTYPE":"ACTUAL"}',
	'{"SETTLEMENTDATE":"2021-10-06T15:05:00","REGIONID":"NSW1","RRP":55.00000,"TOTALDEMAND":7100.00000,"PERIODTYPE":"FORECAST"}') . ']}';
$j = ingest_json([ '--source=aemo_wholesale', '--format=aemo-5min-json', '-' ], '5MIN JSON',
	stdin => $five);
is_deeply([ @{ $j->{observations} }{qw(read skipped)} ], [ 3, 1 ], '5MIN: ACTUAL rows plus AU; forecast left out');
is(value_of('energy.wholesale.rrp.au_weighted_aud_mwh', 'AU', '2021-10-06T05:00:00Z') + 0,
	(50 * 7000 + 70 * 6000) / 13000, '5MIN: AU weighted value at NEM 15:00');

my $table = join("\r\n",
	'F6 - HOUSING LENDING RATES,,,',
	"Title,Variable,Fixed,Other rate \x96 test,",
	'Units,Per cent per annum,Per cent per annum,Per cent,',
	',,,,', 'Source,"APRA, RBA","APRA, RBA",RBA,',
	'Publication date,08-Aug-2025,08-Aug-2025,09-Aug-2025,',
	'Series ID,FLRHOFVA,FLRHOFFA,FXOTHER,',
	'31/05/2025,6.1,5.9,,', '30/06/2025,6.05,,1.5,', ',,,,', ',,,,') . "\r\n";
write_file("$TMP/f6.csv", $table);
$j = ingest_json([ '--source=rba_rates', '--format=rba-table', "$TMP/f6.csv" ], 'RBA table');
is($j->{observations}{read}, 4, 'RBA table: one observation per non-empty cell');
is($node->psql("SELECT string_agg(series_id || ' ' || date || ' ' || value || ' ' || unit || ' ' || vintage,"
	  . " ',' ORDER BY series_id, date) FROM public.observations WHERE vintage IN ('2025-08-08', "
	  . "'2025-08-09')"),
	'rates.oo.fixed_pct 2025-05-31 5.9 % 2025-08-08,rates.oo.variable_pct 2025-05-31 6.1 % 2025-08-08,'
	  . 'rates.oo.variable_pct 2025-06-30 6.05 % 2025-08-08,rba.FXOTHER 2025-06-30 1.5 Per cent 2025-08-09',
	'RBA table: Series IDs mapped through the series table, others rba.<id>; vintage the publication date');
is($node->psql("SELECT payload LIKE '%rate – test%' FROM public.raw_snapshots WHERE format = 'rba-table'"),
	't', 'RBA table: the Windows-1252 byte is stored as UTF-8');

# --- a payload that says what it is ------------------------------------------------
# An AEMO MMS file (its first record is "C,NEMP.WORLD,...") given to
# aemo_wholesale, whose default is the dashboard's wholesale CSV: read as
# aemo-mms; with --format=wholesale-csv it fails, and the hint names
# aemo-mms.  (In a database of its own: the replays below count snapshots.)
{
	$node->psql('CREATE DATABASE sniff');
	command_ok([ 'ausdash-migrate', '-q', '-d', 'sniff', 'up' ], 'a second database');
	my @in = ($tool, '-d', 'sniff', '--source=aemo_wholesale');
	my $count = sub { scalar $node->psql('SELECT count(*) FROM public.observations', dbname => 'sniff') };
	my $mms = slurp_file("$ROOT/tests/data/feeds/dispatchis.CSV");
	write_file("$TMP/sniff.CSV", $mms);
	my ($out, $err) = command_checks_all([ @in, '--format=wholesale-csv', "$TMP/sniff.CSV" ], 65,
		[], [ qr/the header has no SETTLEMENTDATE column/,
			qr/hint: The payload looks like --format=aemo-mms: AEMO NEMweb MMS/ ],
		'an MMS file read as the wholesale CSV: refused, with the format that fits');
	is($count->(), 0, '... and nothing loaded');
	($out, $err) = command_checks_all([ @in, '-v', '--json', "$TMP/sniff.CSV" ], 0,
		[ qr/"format": "aemo-mms"/ ],
		[ qr/its first bytes say --format=aemo-mms \(not the source's wholesale-csv\); read as that/ ],
		'without --format, the MMS file is read as aemo-mms');
	ok($count->() > 0, '... and loaded');
	$mms =~ s{^C,NEMP\.WORLD,DISPATCHIS,AEMO,PUBLIC,\S+?,}{C,NEMP.WORLD,DISPATCHIS,AEMO,PUBLIC,2030/01/02,} or die;
	write_file("$TMP/sniff-bom.CSV", "\xEF\xBB\xBF$mms");
	command_checks_all([ @in, '-v', "$TMP/sniff-bom.CSV" ], 0,
		[], [ qr/its first bytes say --format=aemo-mms/ ], '... also after a byte-order mark');
	($out, $err) = command_checks_all([ @in, '-v', "$ROOT/tests/data/feeds/wholesale.csv" ], 0,
		[], [ qr/ok: aemo_wholesale wholesale-csv/ ], 'the wholesale CSV is still the wholesale CSV');
	unlike($err, qr/first bytes say/, '... not taken for MMS');
}

# --- the generic formats -------------------------------------------------------
my $nd = '{"seriesId":"x.test","regionCode":"AU","date":"2026-01-01","value":1.5,"unit":"index",'
  . '"sourceName":"T","sourceUrl":"https://t/","publishedAt":"2026-01-01T00:00:00Z",'
  . '"vintage":"2026-01-02","isModeled":false,"confidence":"official"}';
$j = ingest_json([ '--source=test_feed', '--format=ndjson', '-' ], 'NDJSON', stdin => "$nd\n\n$nd\n");
is_deeply([ @{ $j->{observations} }{qw(read inserted duplicates)} ], [ 2, 1, 1 ],
	'NDJSON: two lines, one key: the last wins');
is($j->{job}, 'ingest-test_feed', 'a source outside the catalog gets job ingest-<source>');
my $csv = "seriesId,regionCode,date,value,unit,sourceName,sourceUrl,publishedAt,vintage,isModeled,"
  . "confidence,market\nx.test,VIC,2026-01-01,2.5,index,T,https://t/,2026-01-01T00:00:00Z,2026-01-02,"
  . "true,derived,\n";
$j = ingest_json([ '--source=test_feed', '--format=csv', '-' ], 'CSV', stdin => $csv);
is($node->psql("SELECT value || ' ' || is_modeled || ' ' || (market IS NULL)::text FROM "
	  . "public.observations WHERE series_id = 'x.test' AND region_code = 'VIC'"),
	'2.5 true true', 'CSV: typed fields; an empty cell is absent');

# --- bad input: the place, exit 65, nothing committed, a failed run ----------------------
for my $case (
	[ 'wrong header', 'aemo_wholesale', [], "SETTLEMENTDATE,REGION,RRP,TOTALDEMAND\n",
		qr/"-", line 1: the header has no REGIONID column/ ],
	[ 'non-numeric price', 'aemo_wholesale', [],
		"SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND\n2026-03-01T00:00:00Z,NSW1,12,1\n"
		  . "2026-03-01T00:00:00Z,VIC1,abc,1\n", qr/"-", line 3: RRP "abc" is not a number/ ],
	[ 'truncated AEMO file', 'aemo_wholesale', ['--format=aemo-mms'],
		join("\r\n", @mms[0 .. 5]) . "\r\n", qr/"-", line 6: no END OF REPORT line: the file is truncated/ ],
	[ 'AEMO footer count disagrees', 'aemo_wholesale', ['--format=aemo-mms'],
		join("\r\n", @mms[0 .. 5], 'C,"END OF REPORT",9') . "\r\n",
		qr/"-", line 7: END OF REPORT counts 9 lines but the file has 7/ ],
	[ 'invalid JSON', 'aer_prd', [], qq({"data":[{"id":1,}\n]}),
		qr/"-", line 1: invalid JSON at byte \d+: /],
	[ 'JSON of the wrong shape', 'aer_prd', [], qq({"data":{"id":1}}),
		qr/"-": data: expected an array, found an object/ ],
	[ 'wrong type in a record', 'aer_prd', [],
		qq({"data":[{"id":"a","attributes":{"region_code":"NSW","customer_type":"residential","annual_bill_aud":"2000"}}]}),
		qr/"-": data\[0\]\.attributes\.annual_bill_aud: expected a number, found a string/ ],
	[ 'bad quarter', 'abs_cpi', [], '{"observations":[{"region_code":"AU","date":"2025-Q5","value":1}]}',
		qr/"-": observations\[0\]: date "2025-Q5" is not a quarter/ ],
	[ 'bad date', 'rba_rates', [], "date,oo_variable_pct,oo_fixed_pct\n2025-02-30,1,2\n",
		qr/"-", line 2: date "2025-02-30" is not a date/ ],
	[ 'invalid UTF-8', 'aemo_wholesale', [], "SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND\n\xff\n",
		qr/"-", line 2, byte 40: invalid UTF-8 \(byte 0xFF\)/ ],
	[ 'NUL byte', 'aer_prd', [], "{\"data\":[]}\0", qr/"-", line 1, byte 11: a NUL byte/ ],
	[ 'not an MMS file', 'aemo_wholesale', ['--format=aemo-mms'], "hello,world\n",
		qr/not an AEMO MMS file/ ],
	[ 'NDJSON record that breaks the store rules', 'test_feed', ['--format=ndjson'],
		'{"seriesId":"x","regionCode":"AU","date":"2026-01-01","value":1,"unit":"u","sourceName":"s",'
		  . '"sourceUrl":"u","publishedAt":"soon","vintage":"v","isModeled":false,"confidence":"official"}',
		qr/"-", line 1: observation 1\.publishedAt: / ],
  )
{
	my ($name, $source, $args, $payload, $re) = @$case;
	$before = state();
	command_checks_all([ $tool, "--source=$source", @$args, '-' ], 65, [], [$re],
		"bad input: $name", stdin => $payload);
	is(state(), $before, "bad input: $name: nothing committed");
	like(last_run($source), qr/ failed 0 0 scheduled .+/, "bad input: $name: a failed run");
}
command_checks_all([ $tool, '--source=aemo_wholesale', '-' ], 65, [], [qr/payload "-" is empty/],
	'empty payload');

# --- replay --------------------------------------------------------------------
$node->psql("DELETE FROM public.observations WHERE series_id LIKE 'energy.wholesale.%'");
my ($code, $out, $err) = run_command([ 'ausdash-replay', '--json', '--source=aemo_wholesale' ]);
is($code, 0, 'replay: exit 0') or diag($err);
$j = JSON::PP->new->decode($out);
is($j->{run_mode}, 'replay', 'replay: run mode');
ok($j->{snapshots} >= 6 && $j->{observations}{inserted} > 0, 'replay: every snapshot mapped again');
is(value_of('energy.wholesale.rrp.au_weighted_aud_mwh', 'AU', '2026-02-27T02:00:00Z') + 0,
	(150 * 4000 + 101 * 4000) / 8000, 'replay: in capture order, the later payload wins');
is(value_of('energy.wholesale.rrp.region_aud_mwh.intervention', 'SA', '2024-03-15T09:45:00Z'),
	'14160.2889266666666666666666', 'replay: each snapshot with its own format');
$before = state();
($code, $out) = run_command([ 'ausdash-replay', '--json', '--source=aemo_wholesale' ]);
$j = JSON::PP->new->decode($out);
is_deeply([ @{ $j->{observations} }{qw(inserted updated)} ], [ 0, 0 ], 'replay again: idempotent');
my $snap = $node->psql("SELECT snapshot_id FROM public.raw_snapshots WHERE format = 'aemo-5min-json'");
($code, $out) = run_command([ 'ausdash-replay', '--json', '--source=aemo_wholesale', "--snapshot=$snap",
	'--dry-run' ]);
$j = JSON::PP->new->decode($out);
is_deeply([ $code, $j->{snapshots}, $j->{observations}{read} ], [ 0, 1, 3 ], 'replay --snapshot --dry-run');
{
	my $runs = $node->psql("SELECT count(*) || '/' || count(*) FILTER (WHERE status = 'failed') "
		  . "FROM public.ingestion_runs");
	command_checks_all([ 'ausdash-replay', '--source=aemo_wholesale', '--since=2999-01-01' ], 66, [],
		[qr/source "aemo_wholesale" has no stored snapshots in that time range/,
		 qr/Nothing was replayed and no run is recorded/], 'replay: nothing to replay');
	is($node->psql("SELECT count(*) || '/' || count(*) FILTER (WHERE status = 'failed') "
		  . "FROM public.ingestion_runs"), $runs, 'replay: nothing to replay leaves the ledger alone (no failed run)');
}
command_checks_all([ 'ausdash-replay', '--source=aer_prd', '--format=rba-table' ], 65, [],
	[qr/"snapshot aer_prd-\d+-[0-9a-f]+", line 1: /], 'replay with the wrong format: the snapshot named');
is(state(), $before, 'failed replays changed nothing');

# --max-errors and --rejects
my $bad = "SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND\n2026-03-02T00:00:00Z,NSW1,12,1\n"
  . "2026-03-02T00:00:00Z,VIC1,abc,1\n2026-03-02T00:05:00Z,NSW1,13,1\n";
$j = ingest_json([ '--source=aemo_wholesale', '--max-errors=1', "--rejects=$TMP/rejects.ndjson", '-' ],
	'one bad row within --max-errors', stdin => $bad, code => 2);
is_deeply([ @{ $j->{observations} }{qw(rejected inserted skipped)} ], [ 1, 3, 1 ],
	'the bad row rejected, the rest loaded, no AU value for its interval');
is(value_of('energy.wholesale.rrp.au_weighted_aud_mwh', 'AU', '2026-03-02T00:00:00Z'), '',
	'no AU value for the interval that lost a region');
$j = JSON::PP->new->decode(slurp_file("$TMP/rejects.ndjson"));
is_deeply([ @$j{qw(line reason)} ], [ 3, 'RRP "abc" is not a number' ], 'the rejects file names the line');
like(last_run('aemo_wholesale'), qr/ partial 3 0 /, 'run recorded as partial');
$bad =~ s/NSW1,13/NSW1,x13/;
$before = state();
command_checks_all([ $tool, '--source=aemo_wholesale', '--max-errors=1', '-' ], 65, [],
	[ qr/line 4: RRP "x13" is not a number/, qr/More than 1 rows were bad \(--max-errors\)/ ],
	'past --max-errors: the run fails', stdin => $bad);
is(state(), $before, 'past --max-errors: nothing committed');

# --- the per-source lock ----------------------------------------------------------
my $key = "('x' || substr(encode(sha256('ausdash:ingest:aemo_wholesale'), 'hex'), 1, 16))::bit(64)::bigint";
my $holder = IPC::Run::start([ 'psql', '-X', '-q', '-h', $node->host, '-p', $node->port, '-U', 'postgres',
	'-c', "SELECT pg_advisory_lock($key)", '-c', 'SELECT pg_sleep(60)' ], '>', \my $hout, '2>', \my $herr);
for (1 .. 200)
{
	last if $node->psql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted") > 0;
	sleep 0.05;
}
my $t0 = time;
command_checks_all([ $tool, '--source=aemo_wholesale', '-' ], 75, [],
	[qr/another run of source "aemo_wholesale" is in progress \(advisory lock "ingest:aemo_wholesale" is held\)/],
	'same source while another run holds its lock: exit 75', stdin => $older . "x");
ok(time - $t0 < 5, 'the second run gives up promptly');
command_checks_all([ $tool, '--source=abs_cpi', '-' ], 0, [], [], 'another source is not blocked',
	stdin => '{"observations":[{"region_code":"NSW","date":"2025-Q2","value":140}]}');
$holder->kill_kill;

# two ingests of one source at once: one proceeds, the other exits 75.
# The first is held in its transaction by a table lock taken here, so it
# is certainly running when the second starts.
my $blocker = IPC::Run::start([ 'psql', '-X', '-q', '-h', $node->host, '-p', $node->port, '-U',
	'postgres', '-c', 'BEGIN; LOCK TABLE public.source_cursors; SELECT pg_sleep(4); COMMIT;' ],
	'>', \my $bout, '2>', \my $berr);
sub wait_until
{
	my ($sql) = @_;
	for (1 .. 200)
	{
		return 1 if $node->psql($sql) eq 't';
		sleep 0.05;
	}
	return 0;
}
ok(wait_until("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'public.source_cursors'::regclass "
	  . "AND mode = 'AccessExclusiveLock' AND granted)"), 'source_cursors locked');
# (payloads in files: IPC::Run feeds a child's stdin only when pumped)
write_file("$TMP/first.json", '{"observations":[{"region_code":"SA","date":"2025-Q1","value":9}]}');
my $first = IPC::Run::start([ $tool, '--source=abs_cpi', "$TMP/first.json" ], '>', \my $fout,
	'2>', \my $ferr);
ok(wait_until("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
	  . "AND query LIKE '%source_cursors%')"), 'the first ingest is running, waiting on the table')
  or diag($node->psql("SELECT string_agg(wait_event_type || ' ' || query, E'\\n') FROM pg_stat_activity"));
command_checks_all([ $tool, '--source=abs_cpi', '-' ], 75, [],
	[qr/another run of source "abs_cpi" is in progress/,
	 qr/detail: Held by PID \d+ \(ausdash-ingest, from the local socket\), whose session started \d+ s ago; its transaction has run for \d+ s; it is recording run sync-macro-abs-cpi-daily-\d+\./],
	'a second ingest of the same source meanwhile: exit 75, the holder named with its run', stdin => $cpi);
$blocker->finish;
$first->finish;
is($first->result(0), 0, 'the first ingest then went on and succeeded') or diag($ferr);
is(value_of('energy.cpi.electricity.index', 'SA', '2025-Q1'), '9', 'the first ingest committed');

# two sources at once, each twice in a row: all succeed
my @h;
for my $i (1 .. 3)
{
	for my $src (qw(abs_housing rba_rates))
	{
		write_file("$TMP/$src$i", $src eq 'rba_rates' ? "date,oo_variable_pct,oo_fixed_pct\n2024-0$i-28,$i,$i\n"
		  : qq({"observations":[{"series_id":"hvi.value.index","region_code":"NSW","date":"2024-0$i-28","value":$i}]}));
		push @h, [ "$src $i", IPC::Run::start([ $tool, "--source=$src", '--lock-wait=20s', "$TMP/$src$i" ],
			'>', \my $o, '2>', \my $e) ];
	}
}
for my $x (@h)
{
	$x->[1]->finish;
	is($x->[1]->result(0), 0, "concurrent ingests: $x->[0] succeeded");
}

done_testing();
