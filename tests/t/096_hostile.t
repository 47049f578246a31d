# tests/t/096_hostile.t - hostile input (issue 21): JSON nested a million
# deep for every JSON format and for the store, computed values that would
# overflow, non-finite numbers on their way into a store or an export,
# byte-order marks, and date tokens that look like dates but are not.
# Each case exits with its documented status (never by a signal), says
# where, and leaves the database (or the store file) as it was.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use Digest::SHA qw(sha256_hex);
use JSON::PP ();
use Test::More;

my $node = Ausdash::Test::Cluster->new('hostile')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'schema migrated');
command_ok([ 'ausdash-ingest', '-q', '--source=aemo_wholesale', "$ROOT/tests/data/feeds/wholesale.csv" ],
	'some data to keep');

# A case that must fail whole: exit, message, nothing changed, a failed run.
sub refused
{
	my ($name, $cmd, $code, $re) = @_;
	my $before = $node->tables_state;
	my $runs = $node->failed_runs;
	my ($got, $out, $err) = run_command($cmd);
	is($got, $code, "$name: exit $code (not a signal)") or diag($err);
	like($err, $re, "$name: the message says where and what");
	is($node->tables_state, $before, "$name: the tables are as before");
	ok($node->failed_runs > $runs, "$name: the run is recorded as failed");
	return $err;
}

my %source;
for (grep { !/^#/ && /\S/ } split /\n/, slurp_file("$ROOT/tests/data/feeds/INDEX"))
{
	my (undef, $src, $fmt) = split;
	$source{$fmt} //= $src;
}

# --- a million levels deep ------------------------------------------------------

my $n = 1_000_000;
my $deep_obj = "$TMP/deep-object.json";
my $deep_arr = "$TMP/deep-array.json";
write_file($deep_obj, '{"data":' . ('{"a":' x $n) . '1' . ('}' x $n) . '}');
write_file($deep_arr, '[' x $n . ']' x $n);
my @json_formats = qw(aer-prd-json aer-dmo-json abs-housing-json abs-cpi-json aemo-5min-json
  source-mix-json eia-wholesale-json entsoe-json nea-json);
is(scalar(@json_formats) + 1, scalar(grep { /json/ } keys %source),
	'every JSON format of the samples is here (and ndjson below)');
for my $fmt (@json_formats)
{
	refused("$fmt, 1M nested objects",
		[ 'ausdash-ingest', "--source=$source{$fmt}", "--format=$fmt", $deep_obj ], 65,
		qr/"\Q$deep_obj\E", line 1: JSON nested deeper than 64 levels, at byte 323\b/);
	refused("$fmt, 1M nested arrays",
		[ 'ausdash-ingest', "--source=$source{$fmt}", "--format=$fmt", $deep_arr ], 65,
		qr/line 1: JSON nested deeper than 64 levels, at byte 64\b/);
}
refused('ndjson, 1M nested objects on a line',
	[ 'ausdash-ingest', '--source=demo_feed', '--format=ndjson', $deep_obj ], 65,
	qr/"\Q$deep_obj\E", line 1: refused at byte 323 of the line: JSON nested deeper than 64 levels/);

# wide rather than deep: 13.5 million values would take more than 1 GiB as a tree
{
	my $wide = "$TMP/wide.json";
	write_file($wide, '{"data":[' . ('0,' x 13_500_000) . '0]}');
	refused('aer-prd-json, 13.5 million values', [ 'ausdash-ingest', '--source=aer_prd', $wide ], 65,
		qr/"\Q$wide\E", line 1: the parsed JSON would take more than 1024 MB of memory, at byte \d+/);
	unlink $wide;
}

my $deep_store = "$TMP/deep-store.json";
write_file($deep_store, '{"version":1,"updatedAt":"2026-02-27T02:05:00Z","observations":[{"seriesId":'
	  . ('[' x $n) . (']' x $n) . '}]}');
refused('the store, 1M nested arrays', [ 'ausdash-backfill', $deep_store ], 65,
	qr/"\Q$deep_store\E".*line 1, byte \d+: nesting deeper than 64 levels/);

# the store backend: the file is not touched
my $store = "$TMP/store.json";
{
	my ($c, $out) = run_command([ "$ROOT/tests/bench/gen-store.pl", '--observations=4', '--snapshots=1' ]);
	write_file($store, $out);
}
my $store_sum = sha256_hex(slurp_file($store));
{
	my ($got, $out, $err) = run_command([ 'ausdash-ingest', '--source=aer_prd', '--backend=store',
		"--store=$store", $deep_obj ]);
	is($got, 65, 'store backend, 1M deep: exit 65');
	like($err, qr/JSON nested deeper than 64 levels/, 'store backend, 1M deep: says why');
	is(sha256_hex(slurp_file($store)), $store_sum, 'store backend, 1M deep: the store is unchanged');
}

# --- values that overflow --------------------------------------------------------

sub wholesale
{
	my ($ts, @rows) = @_;
	my $f = "$TMP/wholesale-" . scalar(@rows) . "-" . int(rand(1e9)) . ".csv";
	write_file($f, "SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND\n" . join('', map { "$ts,$_\n" } @rows));
	return $f;
}
sub au_value
{
	my ($ts) = @_;
	return $node->psql("SELECT value FROM public.observations WHERE series_id = "
		  . "'energy.wholesale.rrp.au_weighted_aud_mwh' AND date = '$ts'");
}
sub non_finite
{
	return $node->psql("SELECT count(*) FROM public.observations "
		  . "WHERE value IN ('Infinity', '-Infinity', 'NaN')");
}

# finite where the exact answer is: products and sums beyond a double
command_ok([ 'ausdash-ingest', '-q', '--source=aemo_wholesale',
	wholesale('2026-03-01T00:05:00Z', 'NSW1,1e308,4000', 'VIC1,1e308,4000') ],
	'RRP 1e308 in two regions loads');
is(au_value('2026-03-01T00:05:00Z'), '1' . ('0' x 308), 'its AU weighted price is 1e308, exactly');
command_ok([ 'ausdash-ingest', '-q', '--source=aemo_wholesale',
	wholesale('2026-03-01T00:10:00Z', 'NSW1,100,1e308', 'VIC1,200,1e308') ],
	'TOTALDEMAND 1e308 in two regions loads');
is(au_value('2026-03-01T00:10:00Z'), '150', 'its AU weighted price is 150');
# a negative demand (real in SA) counts, as the dashboard counts it
command_ok([ 'ausdash-ingest', '-q', '--source=aemo_wholesale',
	wholesale('2026-03-01T00:15:00Z', 'NSW1,100,4000', 'SA1,200,-100') ],
	'a negative TOTALDEMAND in one region loads');
is(au_value('2026-03-01T00:15:00Z'), '97.43589743589743',
	'its AU price is sum(RRP*d)/sum(d) with the negative demand (380000/3900)');
is(non_finite(), 0, 'no Infinity or NaN in observations');

# not finite even so: a located reject, never a row
my $inf = wholesale('2026-03-01T00:20:00Z', 'NSW1,1e308,10', 'SA1,0,-9');
refused('an AU price that overflows', [ 'ausdash-ingest', '--source=aemo_wholesale', $inf ], 65,
	qr/"\Q$inf\E", line 2: the computed value of energy\.wholesale\.rrp\.au_weighted_aud_mwh at 2026-03-01T00:20:00Z is not a finite number/);
{
	my ($got, $out, $err) = run_command([ 'ausdash-ingest', '--source=aemo_wholesale',
		'--max-errors=1', '--json', $inf ]);
	is($got, 2, 'with --max-errors=1 the regions load and the AU value is rejected: exit 2');
	my $j = JSON::PP->new->decode($out);
	is_deeply([ @{ $j->{observations} }{qw(read inserted rejected)} ], [ 3, 2, 1 ],
		'two regional rows in, the AU row rejected');
	is(au_value('2026-03-01T00:20:00Z'), '', 'no AU row at that time');
	is(non_finite(), 0, 'still no Infinity or NaN');
}
refused('an RRP beyond a double', [ 'ausdash-ingest', '--source=aemo_wholesale',
	wholesale('2026-03-01T00:25:00Z', 'NSW1,1e400,10') ], 65, qr/line 2: RRP "1e400" is out of range/);

# AER: two bills near the limit have a finite mean and median
{
	my $aer = "$TMP/aer-huge.json";
	write_file($aer, '{"data":[' . join(',', map {
		qq({"id":"p$_","attributes":{"region_code":"NSW","customer_type":"residential","annual_bill_aud":1.7e308}})
	} 1, 2) . ']}');
	my ($got, $out, $err) = run_command([ 'ausdash-ingest', '--source=aer_prd', '--json', $aer ]);
	is($got, 0, 'AER bills of 1.7e308: exit 0') or diag($err);
	is($node->psql("SELECT count(*) FROM public.observations WHERE source_name IS NOT NULL AND "
		  . "series_id LIKE 'energy.retail.offer.annual_bill%' AND value = 1.7e308"), 4,
		'mean and median, for NSW and AU, are 1.7e308');
	is(non_finite(), 0, 'no Infinity or NaN');
}

# the store backend leaves the file alone when a value is not finite
{
	my ($got, $out, $err) = run_command([ 'ausdash-ingest', '--source=aemo_wholesale',
		'--backend=store', "--store=$store", $inf ]);
	is($got, 65, 'store backend, an overflowing AU price: exit 65');
	is(sha256_hex(slurp_file($store)), $store_sum, 'store backend: the store file is unchanged');
	unlike(slurp_file($store), qr/\b(?:inf|nan|Infinity|NaN)\b/, 'and holds no non-JSON number');
}

# --- byte-order marks ---------------------------------------------------------------

{
	my $f = "$TMP/bom.csv";
	write_file($f, "\xEF\xBB\xBFSETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND\n2026-03-02T00:05:00Z,NSW1,80,100\n");
	my ($got, $out, $err) = run_command([ 'ausdash-ingest', '-v', '--source=aemo_wholesale', $f ]);
	is($got, 0, 'a CSV with a UTF-8 byte-order mark loads') or diag($err);
	like($err, qr/"\Q$f\E": skipping a UTF-8 byte-order mark/, '-v says the mark was skipped');
	is(au_value('2026-03-02T00:05:00Z'), '80', 'and its rows are there');
	is($node->psql("SELECT substr(payload, 1, 1) = U&'\\FEFF' FROM public.raw_snapshots "
		  . "ORDER BY captured_at DESC LIMIT 1"), 't', 'the stored payload keeps its bytes');
}

# --- date tokens that look like dates but are not -----------------------------------

sub obs_line
{
	my ($series, $date) = @_;
	return qq({"seriesId":"$series","regionCode":"AU","date":"$date","value":1,"unit":"index",)
	  . qq("sourceName":"Demo","sourceUrl":"https://example.org/","publishedAt":"2026-02-27T00:00:00Z",)
	  . qq("vintage":"2026-02-27","isModeled":false,"confidence":"official"}\n);
}
my $dates = "$TMP/dates.ndjson";
write_file($dates, obs_line('demo.a', '2025-02-30') . obs_line('demo.a', '2025-13')
	  . obs_line('demo.b', '2025-Q5') . obs_line('demo.b', '2025-Q4') . obs_line('demo.c', 'FY2025'));
refused('--strict-dates', [ 'ausdash-ingest', '--source=demo_feed', '--format=ndjson', '--strict-dates',
	$dates ], 65, qr/"\Q$dates\E", line 1: observation 1\.date: date "2025-02-30" is not a real date \(day out of range\)/);
{
	my ($got, $out, $err) = run_command([ 'ausdash-ingest', '--source=demo_feed', '--format=ndjson',
		'--strict-dates', '--max-errors=5', '--json', $dates ]);
	is($got, 2, '--strict-dates --max-errors: exit 2');
	my $j = JSON::PP->new->decode($out);
	is_deeply([ @{ $j->{observations} }{qw(rejected impossible_dates)} ], [ 3, 3 ],
		'the three impossible dates are rejected');
	is(scalar(() = $err =~ /is not a real date/g), 3, 'each one named');
}
{
	$node->psql("DELETE FROM public.raw_snapshots WHERE source_id = 'demo_feed'");
	my ($got, $out, $err) = run_command([ 'ausdash-ingest', '--source=demo_feed', '--format=ndjson',
		'--json', $dates ]);
	is($got, 0, 'without --strict-dates they load: exit 0') or diag($err);
	my @warn = $err =~ /warning: (.*is not a real date.*)/g;
	is(scalar(@warn), 2, 'one warning per series (demo.a, demo.b), not per date');
	like($warn[0], qr/line 1: observation 1: date "2025-02-30" of series "demo\.a" is not a real date \(day out of range\)/,
		'the first example of demo.a, with its place');
	like($warn[1], qr/date "2025-Q5" of series "demo\.b" is not a real date \(quarter out of range\)/,
		'the first example of demo.b');
	my $j = JSON::PP->new->decode($out);
	is($j->{observations}{impossible_dates}, 3, 'the summary counts all three');
	is($node->psql("SELECT details->'observations'->>'impossible_dates' FROM public.ingestion_runs "
		  . "WHERE source_id = 'demo_feed' ORDER BY started_at DESC LIMIT 1"), 3,
		"and so do the run's details");
	is($node->psql("SELECT string_agg(date, ',' ORDER BY date) FROM public.observations "
		  . "WHERE series_id LIKE 'demo.%'"), '2025-02-30,2025-13,2025-Q4,2025-Q5,FY2025',
		'the tokens load as the text they are');
}

# the same rule in a backfill
{
	my $s = "$TMP/dates-store.json";
	my $text = slurp_file("$ROOT/tests/data/malformed/store-bad-date.json");
	$text =~ s/"publishedAt": "2025-02-30T00:00:00Z"/"publishedAt": "2025-11-30T00:00:00Z"/ or die;
	$text =~ s/"date": "2025-11-30"/"date": "2025-11-31"/ or die;
	write_file($s, $text);
	refused('backfill --strict-dates', [ 'ausdash-backfill', '--strict-dates', $s ], 65,
		qr/observations\[0\]\.date.*date "2025-11-31" is not a real date \(day out of range\)/);
	my ($got, $out, $err) = run_command([ 'ausdash-backfill', '--json', $s ]);
	is($got, 0, 'backfill without --strict-dates: exit 0') or diag($err);
	like($err, qr/observations\[0\]\.date: date "2025-11-31" of series "hvi\.value\.index" is not a real date/,
		'backfill: the warning names the record');
	is(JSON::PP->new->decode($out)->{impossible_dates}, 1, 'backfill: the summary counts it');
}

# --- export refuses a number the dashboard could not read ---------------------------

{
	my $out = "$TMP/export.json";
	write_file($out, "old\n");
	$node->psql("UPDATE public.observations SET value = 'Infinity' WHERE series_id = "
		  . "'energy.wholesale.rrp.au_weighted_aud_mwh' AND date = '2026-03-02T00:05:00Z'");
	my ($got, $o, $err) = run_command([ 'ausdash-export', '-o', $out ]);
	isnt($got, 0, 'export of a numeric Infinity fails');
	like($err, qr/observations\[\d+\]\.value: Infinity is not a finite JSON number/,
		'export names the record and the value');
	is(slurp_file($out), "old\n", 'and leaves the file as it was');
	is(scalar(() = glob("$TMP/.export.json*")), 0, 'with no temporary file left');
}

done_testing();
