# tests/t/005_feed_registry.t - the feed registry (lib/feed/feed_registry.c)
# is the one list of formats: the man page, the sample payloads and the
# fuzz seeds follow it, and this test fails when one of them does not.
use strict;
use warnings;
use Ausdash::Test;
use Test::More;

chdir $ROOT or die;

my ($code, $out) = run_command([ 'bin/ausdash-ingest', '--list-formats' ]);
is($code, 0, 'ausdash-ingest --list-formats');
my ($block) = $out =~ /^Formats:\n(.*?)\n\n/ms;
my @formats = ($block // '') =~ /^  (\S+) /mg;
ok(@formats >= 15, 'the registry has formats: ' . join(' ', @formats));
my ($sources) = $out =~ /^Sources and their default formats:\n(.*)/ms;
my %known = map { $_ => 1 } @formats;
for my $line (split /\n/, $sources // '')
{
	my ($source, $format) = split ' ', $line;
	ok($known{$format}, "source $source: its default format $format is registered");
}

# the man page documents each format in its FORMATS section, and no other
my $man = slurp_file('docs/man/ausdash-ingest.1');
my ($section) = $man =~ /^\.SH FORMATS\n(.*?)^\.SH /ms;
my @documented;
for my $item ($section =~ /^\.TP\n(\.BR? [^\n]*)/mg)
{
	(my $names = $item) =~ s/^\.BR? //;
	push @documented, grep { $_ ne ',' && $_ ne '' } map { s/^"\s*|\s*"$//gr } split /"\s*,\s*"|\s+/, $names;
}
is_deeply([ sort @documented ], [ sort @formats ], 'ausdash-ingest(1) documents exactly the registered formats');

# every format has a sample payload (tests/data/feeds/INDEX), and every
# sample's format is registered
my @index = grep { !/^#/ && /\S/ } split /\n/, slurp_file('tests/data/feeds/INDEX');
my %sampled = map { (split)[2] => 1 } @index;
is_deeply([ grep { !$sampled{$_} } @formats ], [], 'every format has a sample in tests/data/feeds/INDEX');
is_deeply([ grep { !$known{$_} } sort keys %sampled ], [], 'every sample is of a registered format');
for my $line (@index)
{
	my ($file) = split ' ', $line;
	ok(-f "tests/data/feeds/$file", "sample $file exists");
}

# the fuzz seeds take the formats from the registry, not from a list of their own
my $seed = slurp_file('tests/fuzz/seed.sh');
is_deeply([ grep { $seed =~ /(?<![\w-])\Q$_\E(?![\w-])/ } @formats ], [],
	'tests/fuzz/seed.sh names no format itself');
like($seed, qr/ausdash-ingest" --list-formats/, '... it asks the registry');

done_testing();
