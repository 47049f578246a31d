# tests/t/002_layers.t - lib/ is laid out by layer (docs/architecture.md):
# every module sits in a layer folder, calls only into its own layer or
# lower ones, and no modules call each other in a cycle.  The calls are
# read from the objects themselves (nm), so a declaration written by hand
# cannot hide one.
use strict;
use warnings;
use Ausdash::Test;
use Test::More;

chdir $ROOT or die;

# The layers, lowest first.  Folders of the same rank may not call each
# other either: pg, store and feed know nothing of each other, nor do run
# and report.
my %rank = (
	base => 0,
	model => 1,
	pg => 2, store => 2, feed => 2,
	load => 3,
	run => 4, report => 4,
	cli => 5,
);

# every source file is in a known layer folder
my @stray = grep { !m{^lib/(\w+)/[\w.]+$} || !exists $rank{$1} }
  grep { !/^lib\/libausdash\.a$/ } split /\n/, `git ls-files lib`;
is_deeply(\@stray, [], 'every file under lib/ is in a layer folder');

# the Makefile builds the layers in this order, and the architecture page
# names each of them
my $mk = slurp_file('Makefile');
my ($layers) = $mk =~ /^LIB_LAYERS = (.*)$/m;
my @mk_layers = split ' ', $layers;
is_deeply([ sort @mk_layers ], [ sort keys %rank ], 'the Makefile builds every layer');
is_deeply([ map { $rank{$_} } @mk_layers ], [ sort { $a <=> $b } map { $rank{$_} } @mk_layers ],
	'... lowest first');
my $arch = slurp_file('docs/architecture.md');
like($arch, qr{`lib/$_/`}, "docs/architecture.md describes lib/$_/") for sort keys %rank;

# which module defines each global symbol
my @objs = sort glob('lib/*/*.o');
ok(@objs > 20, 'the library is built') or BAIL_OUT('make first');
my (%defined_by, %undef);
for my $o (@objs)
{
	(my $mod = $o) =~ s{^lib/(.*)\.o$}{$1};
	for (split /\n/, `nm -g --defined-only $o`)
	{
		my (undef, $type, $sym) = split;
		$defined_by{$sym} = $mod if defined $sym;
	}
	$undef{$mod} = [ map { (split)[-1] } split /\n/, `nm -u $o` ];
}

my %calls;
for my $mod (sort keys %undef)
{
	for my $sym (@{ $undef{$mod} })
	{
		my $to = $defined_by{$sym} // next;
		$calls{$mod}{$to} = 1 unless $to eq $mod;
	}
}

# no call into a higher layer or a sibling folder
my @up;
for my $from (sort keys %calls)
{
	my ($fl) = $from =~ m{^(\w+)/};
	for my $to (sort keys %{ $calls{$from} })
	{
		my ($tl) = $to =~ m{^(\w+)/};
		push @up, "$from -> $to" if $tl ne $fl && $rank{$tl} >= $rank{$fl};
	}
}
is_deeply(\@up, [], 'no module calls into its own rank\'s other folders or a higher layer');

# no cycles (a depth-first search over the call graph)
my (%state, @cycles);
my $visit;
$visit = sub {
	my ($m, @path) = @_;
	if (($state{$m} // 0) == 1)
	{
		my @c = (@path[ (grep { $path[$_] eq $m } 0 .. $#path)[0] .. $#path ], $m);
		push @cycles, join(' -> ', @c);
		return;
	}
	return if ($state{$m} // 0) == 2;
	$state{$m} = 1;
	$visit->($_, @path, $m) for sort keys %{ $calls{$m} || {} };
	$state{$m} = 2;
};
$visit->($_) for sort keys %undef;
is_deeply(\@cycles, [], 'no modules call each other in a cycle');

# the out-of-memory path depends on nothing (it must not allocate)
is_deeply([ sort keys %{ $calls{'base/mem'} || {} } ], [], 'base/mem calls no other module');

done_testing();
