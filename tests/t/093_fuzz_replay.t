# tests/t/093_fuzz_replay.t - the fuzz harnesses (tests/fuzz), run outside
# libFuzzer over the kept findings, the malformed corpus and the samples:
# every one must end normally (under make check-asan: without a memory
# error or undefined behaviour).  make fuzz explores further.
use strict;
use warnings;
use Ausdash::Test;
use Test::More;

for my $h ([ 'storeread', "$ROOT/tests/fuzz/regressions/storeread", "$ROOT/tests/data/malformed" ],
	[ 'feed', "$ROOT/tests/fuzz/regressions/feed", "$ROOT/tests/data/feeds", "$ROOT/tests/data/malformed" ],
	[ 'feedjson', "$ROOT/tests/fuzz/regressions/feedjson", "$ROOT/tests/data/feeds", "$ROOT/tests/data/malformed" ])
{
	my ($name, @dirs) = @$h;
	my ($code, $out, $err) = run_command([ "$ROOT/tests/unit/bin/replay_$name", @dirs ]);
	is($code, 0, "replay_$name: every input ends normally") or diag($err);
	my ($n) = $out =~ /^1\.\.(\d+)$/m;
	ok(($n // 0) > 10, "replay_$name: " . ($n // 0) . ' inputs');
	is(scalar(() = $out =~ /^ok /mg), $n, "replay_$name: each one");
}
like(join(' ', glob("$ROOT/tests/fuzz/regressions/feed/*")), qr/source-mix-use-after-free/,
	'the use-after-free make fuzz found is kept');

done_testing();
