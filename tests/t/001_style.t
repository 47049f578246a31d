# tests/t/001_style.t - the mechanical checks of the house style
# (../shared/spec/style.md): one main per tool, module prefixes, stderr
# only through the log module, banned functions, header dependencies.
use strict;
use warnings;
use Ausdash::Test;
use Test::More;

chdir $ROOT or die;
my @lib = sort glob('lib/*/*.c');
my @src = sort glob('src/*.c');
my @all = (@lib, @src, sort glob('tests/unit/*.c'));

for my $f (@src)
{
	my $c = slurp_file($f);
	is(scalar(() = $c =~ /^main\(/mg), 1, "$f has exactly one main()");
	like($c, qr/^help\(const char \*progname\)/m, "$f has help(const char *progname)");
	like($c, qr/static struct option long_options\[\]/, "$f has a getopt_long table");
	unlike($c, qr{#include\s*<openssl/}, "$f keeps OpenSSL out");
	# a tool is its options, its help and a call into lib/ (docs/architecture.md)
	my $lines = () = $c =~ /\n/g;
	ok($lines <= 250, "$f is at most 250 lines (it has $lines)");
}
for my $f (@lib)
{
	unlike(slurp_file($f), qr/^main\(/m, "$f has no main()");
}

for my $f (@all)
{
	my $c = slurp_file($f);
	my @inc = $c =~ /^#include\s+(\S+)/mg;
	like($inc[-1] // '', qr{banned\.h"$}, "$f includes banned.h last")
	  unless $f =~ /unit\.h$/;
	like($c, qr{\A/\*\n \* \Q$f\E - }, "$f starts with a banner naming it");
	unlike($c, qr{(?<!:)//(?![^\n]*")}, "$f uses /* */ comments only");
	next if $f eq 'lib/base/log.c' || $f =~ m{^tests/};
	unlike($c, qr/fprintf\s*\(\s*stderr/, "$f writes diagnostics through lib/base/log.c only");
}

# exported symbols carry their module's prefix
for my $f (@lib)
{
	(my $mod = $f) =~ s{lib/\w+/(\w+)\.c}{$1};
	(my $obj = $f) =~ s/\.c$/.o/;
	my ($code, $out) = run_command([ 'nm', '-g', '--defined-only', $obj ]);
	# (a sanitizer build adds its own markers, __odr_asan.<name> and the like)
	my @bad = grep { $_ !~ /^\Q${mod}\E_/ && $_ !~ /^__(?:odr_)?asan/ }
	  map { (split)[2] // () } split /\n/, $out;
	is_deeply(\@bad, [], "$obj exports only ${mod}_* symbols");
}

# a banned function does not compile
{
	my $t = "$TMP/banned.c";
	write_file($t, "#include \"$ROOT/lib/base/common.h\"\n#include \"$ROOT/lib/base/banned.h\"\n"
		  . "void f(char *d, const char *s);\nvoid f(char *d, const char *s) { sprintf(d, \"%s\", s); }\n");
	my ($code, $out, $err) = run_command([ 'cc', "-I$ROOT/lib", '-c', '-o', "$TMP/banned.o", $t ]);
	isnt($code, 0, 'sprintf does not compile');
	like($err, qr/sorry_sprintf_is_a_banned_function/, 'the error names the banned function');
}

# touching a header rebuilds what includes it
{
	my ($code, $out) = run_command([ 'make', '-n', '-W', 'lib/base/sbuf.h', 'all' ]);
	like($out, qr{-o lib/base/log\.o lib/base/log\.c}, 'a header change rebuilds its dependants');
	unlike($out, qr{-o lib/base/sha256\.o}, '... and not the others');
}

done_testing();
