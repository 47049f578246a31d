#!/usr/bin/perl
# tests/bench/gen-store.pl - write a synthetic live-store.json to stdout.
#
#   gen-store.pl [--observations=N] [--changed=PCT] [--duplicates=N] [--snapshots=N]
#   gen-store.pl --csv [--observations=N]
#
# N observations across realistic series and regions at 5-minute
# intervals (about 400 bytes of JSON each, the dashboard's shape with its
# optional fields), plus the 16 sources, some snapshots with correct
# checksums, cursors and runs.  --changed=PCT changes the value of every
# (100/PCT)th observation, as a store that moved on would; --duplicates=N
# repeats the first N observation keys at the end with other values (the
# last occurrence wins).  --csv writes the same observations, in the same
# order, as CSV in the column order of bench.sh (the COPY floor's input).
# Deterministic: the same arguments give the same bytes.
use strict;
use warnings;
use Digest::SHA qw(sha256_hex);
use Getopt::Long;

my ($n, $changed, $dups, $snaps, $csv) = (1000, 0, 0, 3, 0);
GetOptions('observations=i' => \$n, 'changed=f' => \$changed,
		   'duplicates=i' => \$dups, 'snapshots=i' => \$snaps, 'csv' => \$csv)
  or die "usage: $0 [--csv] [--observations=N] [--changed=PCT] [--duplicates=N] [--snapshots=N]\n";

my @series = (
	['energy.wholesale.rrp.region_aud_mwh', 'aud_mwh', 'wholesale', 'AEMO', 'NEM'],
	['energy.wholesale.demand.region_mw', 'mw', 'wholesale', 'AEMO', 'NEM'],
	['energy.source_mix.operational.share_pct', 'pct', 'source_mix', 'AEMO', 'NEM'],
	['energy.retail.offer.annual_bill_aud', 'aud', 'retail', 'AER', 'NEM'],
);
my @regions = qw(NSW1 VIC1 QLD1 SA1 TAS1);
my $base = 1767225600;    # 2026-01-01T00:00:00Z
my $step = scalar(@series) * scalar(@regions);

sub iso { my @t = gmtime(shift); sprintf('%04d-%02d-%02dT%02d:%02d:%02dZ', $t[5] + 1900, $t[4] + 1, @t[3, 2, 1, 0]) }

sub fields {
	my ($i, $bump) = @_;
	my $s = $series[$i % @series];
	my $r = $regions[int($i / @series) % @regions];
	my $t = $base + 300 * int($i / $step);
	my $when = iso($t);
	my $day = substr($when, 0, 10);
	my $value = sprintf('%.6f', 50 + (($i * 7919) % 100000) / 997 + $bump);
	$value =~ s/0+$//; $value =~ s/\.$//;
	return ($s, $r, $t, $when, $day, $value);
}

sub obs {
	my ($s, $r, $t, $when, $day, $value) = fields(@_);
	return sprintf('{"seriesId":"%s","regionCode":"%s","countryCode":"AU","market":"%s",'
		. '"metricFamily":"%s","date":"%s","intervalStartUtc":"%s","intervalEndUtc":"%s",'
		. '"value":%s,"unit":"%s","currency":"AUD","sourceName":"%s",'
		. '"sourceUrl":"https://www.aemo.com.au/energy-systems/electricity/data-nem",'
		. '"publishedAt":"%s","ingestedAt":"%s","vintage":"%s","isModeled":false,'
		. '"confidence":"official","methodologyVersion":"synthetic-v1"}',
		$s->[0], $r, $s->[4], $s->[2], $when, $when, iso($t + 300), $value, $s->[1],
		$s->[3], $when, iso($t + 60) =~ s/Z$/.123Z/r, $day);
}

if ($csv) {
	# series_id, region_code, country_code, market, metric_family, date,
	# interval_start_utc, interval_end_utc, value, unit, currency, tax_status,
	# consumption_band, source_name, source_url, published_at, ingested_at,
	# vintage, is_modeled, confidence, methodology_version
	for my $i (0 .. $n - 1) {
		my ($s, $r, $t, $when, $day, $value) = fields($i, 0);
		print join(',', $s->[0], $r, 'AU', $s->[4], $s->[2], $when, $when, iso($t + 300),
			$value, $s->[1], 'AUD', '', '', $s->[3],
			'https://www.aemo.com.au/energy-systems/electricity/data-nem', $when,
			iso($t + 60) =~ s/Z$/.123Z/r, $day, 'f', 'official', 'synthetic-v1'), "\n";
	}
	exit 0;
}

print '{"version":1,"updatedAt":"2026-03-12T02:42:00.054Z","observations":[';
my $every = $changed > 0 ? int(100 / $changed) : 0;
for my $i (0 .. $n - 1) {
	print ',' if $i;
	print obs($i, $every && $i % $every == 0 ? 0.5 : 0);
}
for my $i (0 .. $dups - 1) {
	print ',' if $n || $i;
	print obs($i, 1000);
}
print '],"rawSnapshots":[';
for my $i (1 .. $snaps) {
	my $payload = "SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND\n" .
	  join("\n", map { iso($base + 300 * $i) . ",$_," . (100 + $i) . ",5000" } @regions);
	(my $json = $payload) =~ s/\n/\\n/g;
	print ',' if $i > 1;
	printf('{"snapshotId":"aemo_wholesale-%d-%d","sourceId":"aemo_wholesale","checksumSha256":"%s",'
		. '"capturedAt":"%s","contentType":"text/csv","payload":"%s"}',
		($base + 300 * $i) * 1000, $i, sha256_hex($payload), iso($base + 300 * $i), $json);
}
print '],"sources":[{"sourceId":"aemo_wholesale","domain":"energy","name":"AEMO NEM Wholesale",'
  . '"url":"https://www.aemo.com.au/energy-systems/electricity/national-electricity-market-nem/data-nem/data-dashboard-nem",'
  . '"expectedCadence":"5m"}],';
print '"sourceCursors":[{"sourceId":"aemo_wholesale","cursor":"' . iso($base + 300 * int(($n - 1) / $step))
  . '","updatedAt":"2026-03-12T02:40:00.098Z"}],';
print '"ingestionRuns":[{"runId":"sync-energy-wholesale-5m-1773276300031","job":"sync-energy-wholesale-5m",'
  . '"status":"ok","startedAt":"2026-03-12T00:45:00.029Z","finishedAt":"2026-03-12T00:45:00.029Z",'
  . '"rowsInserted":5,"rowsUpdated":7,"bullJobId":"repeat:sync-energy-wholesale-5m:1773276300000",'
  . '"queueName":"ingest-jobs","attempt":1,"runMode":"scheduled"}],';
print '"priceIntakeBatches":[],"unresolvedPriceItems":[]}';
