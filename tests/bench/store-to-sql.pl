#!/usr/bin/perl
# tests/bench/store-to-sql.pl - the bench's alternatives, from a CSV dump of
# observations (psql \copy ... csv, columns as in bench.sh):
#   store-to-sql.pl batches FILE.csv  -> 1000-row INSERT ... ON CONFLICT
#                                        statements, as an ORM sends them
use strict;
use warnings;

my ($mode, $csv) = @ARGV;
die "usage: $0 batches FILE.csv\n" unless $mode && $mode eq 'batches' && $csv;
my @cols = qw(series_id region_code country_code market metric_family date
  interval_start_utc interval_end_utc value unit currency tax_status consumption_band
  source_name source_url published_at ingested_at vintage is_modeled confidence
  methodology_version);
my $set = join(', ', map { "$_ = EXCLUDED.$_" } @cols[ 2 .. $#cols ]);
open(my $in, '<', $csv) or die "$csv: $!";
my @rows;
sub flush
{
	return unless @rows;
	print 'INSERT INTO public.observations (' . join(', ', @cols) . ") VALUES\n"
	  . join(",\n", @rows)
	  . "\nON CONFLICT (series_id, region_code, date, vintage) DO UPDATE SET $set;\n";
	@rows = ();
}
while (my $line = <$in>)
{
	chomp $line;
	# the dump has no quoted commas (synthetic data)
	my @f = split /,/, $line, -1;
	push @rows, '(' . join(', ', map { $_ eq '' ? 'NULL' : "'" . s/'/''/gr . "'" } @f) . ')';
	flush() if @rows == 1000;
}
flush();
