# tests/t/097_mappings.t - feed mappings that never lose or bend a value
# silently, bad input that is recorded and located, and files that keep
# their owners (issue 22).  Each case failed before its fix.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use IPC::Run ();
use JSON::PP ();
use Test::More;
use Time::HiRes qw(sleep);

my $node = Ausdash::Test::Cluster->new('mappings')->start;
command_ok([ 'ausdash-migrate', '-q', 'up' ], 'schema migrated');
my $json = JSON::PP->new;

# A case that must fail whole: exit, message, nothing changed, a failed run.
sub refused
{
	my ($name, $cmd, $code, $re, %opt) = @_;
	my $before = $node->tables_state;
	my $runs = $node->failed_runs;
	my ($got, $out, $err) = run_command($cmd, %opt);
	is($got, $code, "$name: exit $code") or diag($err);
	like($err, $re, "$name: the message says where and what");
	is($node->tables_state, $before, "$name: the tables are as before");
	ok($node->failed_runs > $runs, "$name: the run is recorded as failed");
	return $err;
}
my $n = 0;
sub file
{
	my ($name, $text) = @_;
	my $f = "$TMP/" . $n++ . "-$name";
	write_file($f, $text);
	return $f;
}
sub wholesale { return file('w.csv', "SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND\n" . join('', map { "$_\n" } @_)) }
sub obs
{
	my ($where) = @_;
	return $node->psql("SELECT string_agg(region_code || '|' || date || '|' || value, ',' "
		  . "ORDER BY region_code, value) "
		  . "FROM public.observations WHERE $where");
}

# --- values kept whole -----------------------------------------------------------------
command_ok([ 'ausdash-ingest', '-q', '--source=aemo_wholesale',
	wholesale('2026-03-01T00:05:00Z,REGION_WITH_A_LONG_NAME_A1,100,10',
		'2026-03-01T00:05:00Z,REGION_WITH_A_LONG_NAME_B1,200,10') ], 'two long REGIONIDs load');
is(obs("series_id = 'energy.wholesale.rrp.region_aud_mwh' AND region_code LIKE 'REGION%'"),
	'REGION_WITH_A_LONG_NAME_A|2026-03-01T00:05:00Z|100,REGION_WITH_A_LONG_NAME_B|2026-03-01T00:05:00Z|200',
	'as two regions, their names whole (not cut at 15 bytes into one key)');
command_ok([ 'ausdash-ingest', '-q', '--source=aemo_wholesale',
	wholesale('2026-03-01T00:10:00.000Z,NSW1,90,10', '2026-03-01T10:15:00+10:00,NSW1,95,10') ],
	'SETTLEMENTDATE with milliseconds and with an offset loads');
is(obs("series_id = 'energy.wholesale.rrp.region_aud_mwh' AND region_code = 'NSW' "
	  . "AND date IN ('2026-03-01T00:10:00.000Z', '2026-03-01T10:15:00+10:00')"),
	'NSW|2026-03-01T00:10:00.000Z|90,NSW|2026-03-01T10:15:00+10:00|95', 'with the dates as the feed gives them');
is($node->psql("SELECT interval_start_utc = '2026-03-01T00:10:00Z' FROM public.observations "
	  . "WHERE date = '2026-03-01T00:10:00.000Z' AND region_code = 'NSW'"), 't', 'and its interval as that instant');

# --- duplicates are refused, as the store reader refuses them --------------------------
refused('RRP twice in the header', [ 'ausdash-ingest', '--source=aemo_wholesale',
	file('dup.csv', "SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND,RRP\n2026-03-01T00:20:00Z,NSW1,1,2,3\n") ], 65,
	qr/line 1: the header has RRP twice \(columns 3 and 5\)/);
refused('a key twice in an AER object', [ 'ausdash-ingest', '--source=aer_prd', file('dup.json',
	'{"data":[{"id":"p","attributes":{"region_code":"NSW","customer_type":"residential",'
	  . '"annual_bill_aud":1500,"annual_bill_aud":9999}}]}') ], 65,
	qr/line 1: duplicate key "annual_bill_aud" in an object, at byte \d+/);

# --- RBA tables: dates read digit by digit, UTF-8 kept where it is UTF-8 ----------------
my $f6 = slurp_file("$ROOT/tests/data/feeds/rba-f6.csv");
(my $bad_date = $f6) =~ s{31/12/2025}{31/01/ 202} or die;
refused('an RBA date with a space in its year', [ 'ausdash-ingest', '--source=rba_rates', '--format=rba-table',
	file('f6-date.csv', $bad_date) ], 65, qr/line 9: "31\/01\/ 202" is not a date/);
(my $mixed = $f6) =~ s{,Per cent,\r\n}{,Per \xC2\xB0C,\r\n} or die;
{
	my $f = file('f6-mixed.csv', $mixed);
	my ($got, $out, $err) = run_command([ 'ausdash-ingest', '--source=rba_rates', '--format=rba-table', $f ]);
	is($got, 0, 'a table with a Windows-1252 byte and genuine UTF-8 loads') or diag($err);
	is($node->psql("SELECT DISTINCT unit FROM public.observations WHERE series_id = 'rba.FLRHOOTA'"),
		"Per \xC2\xB0C", 'the UTF-8 stays UTF-8 (not "Per \xC3\x82\xC2\xB0C")');
	like($node->psql("SELECT payload FROM public.raw_snapshots WHERE source_id = 'rba_rates' "
		  . "ORDER BY captured_at DESC LIMIT 1"), qr/Owner-occupied \xE2\x80\x93 other.*Per \xC2\xB0C/s,
		'and the 1252 byte is decoded (an en dash) beside it');
}

# --- bad input is located and recorded ------------------------------------------------
my $store_tail = '],"sources":[],"sourceCursors":[],"ingestionRuns":[]}';
sub store_with { return file('store.json', '{"version":1,"updatedAt":"2026-02-27T02:05:00Z","observations":[' . $_[0] . $store_tail) }
for my $case ([ 'a surrogate in UTF-8 (ED A0 80)', "\"seriesId\":\"a\xED\xA0\x80\"", qr/line 1, byte \d+: invalid UTF-8 in a string/ ],
	[ 'an overlong form (C0 AF)', "\"seriesId\":\"a\xC0\xAF\"", qr/line 1, byte \d+: invalid UTF-8 in a string/ ],
	[ 'a lone \\udc00', '"seriesId":"a\udc00"', qr/line 1, byte 78: a lone surrogate escape/ ],
	[ 'a lone \\ud800', '"seriesId":"a\ud800b"', qr/line 1, byte 78: a lone surrogate escape/ ])
{
	my ($name, $field, $re) = @$case;
	refused("store: $name", [ 'ausdash-backfill', store_with("{$field}") ], 65, $re);
}
refused('feed: a lone \\ud800', [ 'ausdash-ingest', '--source=aer_prd', file('sur.json',
	'{"data":[{"id":"p","attributes":{"region_code":"NSW\ud800","customer_type":"residential","annual_bill_aud":1}}]}') ],
	65, qr/line 1: invalid JSON at byte 51: a lone surrogate escape \(\\ud800\) in a string/);
{
	my $s = slurp_file("$ROOT/tests/data/malformed/store-bad-date.json");
	$s =~ s/"publishedAt": "2025-02-30T00:00:00Z"/"publishedAt": "2025-11-30T00:00:00Z"/ or die;
	$s =~ s/"version": 1,/"version": 1.0,/ or die;
	my ($got, $out, $err) = run_command([ 'ausdash-backfill', file('v10.json', $s) ]);
	is($got, 0, 'a store with "version": 1.0 (the 1 JavaScript reads) loads') or diag($err);
	is($node->psql("SELECT store_version FROM public.store_meta"), 1, 'as version 1');
}
for my $case ([ 'empty', '' ], [ 'with a NUL byte', "a\0b" ], [ 'not UTF-8', "SETTLEMENTDATE\xff\n" ])
{
	refused("a payload $case->[0]", [ 'ausdash-ingest', '--source=aemo_wholesale', file('p.csv', $case->[1]) ], 65,
		qr/p\.csv/);
}
{
	# 512 MB and one byte, from a pipe
	my $before = $node->failed_runs;
	my ($got, $out, $err);
	my $h = IPC::Run::run([ 'sh', '-c', 'head -c 536870913 /dev/zero | tr "\\0" "a" | ausdash-ingest --source=aemo_wholesale -' ],
		'>', \$out, '2>', \$err);
	$got = $? >> 8;
	is($got, 65, 'a payload over 512 MB: exit 65');
	like($err, qr/payload "-" is larger than 512 MB/, 'said so');
	ok($node->failed_runs > $before, 'and recorded as a failed run');
}

# --- exit statuses -----------------------------------------------------------------------
SKIP:
{
	skip 'an unreadable file needs a user other than root to read it', 2 if $> != 0 || !getpwnam('nobody');
	my $f = wholesale('2026-03-01T00:30:00Z,NSW1,1,1');
	chmod 0600, $f;
	my ($got, $out, $err) = run_command([ 'runuser', '-u', 'nobody', '--', "$ROOT/bin/ausdash-ingest",
		'--source=aemo_wholesale', $f ]);
	is($got, 66, 'an unreadable input: exit 66, as the README says') or diag($err);
	like($err, qr/could not open payload ".*": Permission denied/, 'and why');
}
{
	my $f = wholesale('2026-03-01T00:35:00Z,NSW1,1,1', '2026-03-01T00:35:00Z,VIC1,x,1');
	my ($got, $out, $err) = run_command([ 'ausdash-ingest', '--source=aemo_wholesale', '--max-errors=1',
		'--rejects=/dev/full', $f ]);
	is($got, 74, 'a rejects file that cannot be written: exit 74, not 2') or diag($err);
	($got, $out, $err) = run_command([ 'sh', '-c', "ausdash-ingest --source=aemo_wholesale --max-errors=1 --json $f > /dev/full" ]);
	is($got, 74, 'a --json summary that cannot be written: exit 74, not 2') or diag($err);
}

# --- files keep their owners, links are written through, nothing is followed blindly ---
my $dir = "$TMP/files";
mkdir $dir or die;
SKIP:
{
	skip 'owner tests need root and the user nobody', 4 if $> != 0 || !getpwnam('nobody');
	my ($uid, $gid) = (getpwnam('nobody'))[2, 3];
	my $s = "$dir/owned.json";
	write_file($s, "old\n");
	chown $uid, $gid, $s;
	chmod 0640, $s;
	command_ok([ 'ausdash-export', '-q', '-o', $s ], 'root exports over a store nobody owns');
	my @st = stat $s;
	is("$st[4]:$st[5]:" . sprintf('%o', $st[2] & 07777), "$uid:$gid:640", 'the store keeps its owner, group and mode');
	@st = stat "$s.lock";
	is("$st[4]:$st[5]", "$uid:$gid", 'the lock file root made belongs to the store\'s owner');
	# and the owner can still write it, lock file and all
	my $d2 = "$TMP/nobody";
	mkdir $d2; chown $uid, $gid, $d2;
	my $s2 = "$d2/store.json";
	write_file($s2, "old\n"); chown $uid, $gid, $s2;
	run_command([ 'ausdash-export', '-q', '-o', $s2 ]);
	my ($got, $out, $err) = run_command([ 'runuser', '-u', 'nobody', '--', 'env', "PGHOST=" . $node->host,
		"PGPORT=" . $node->port, 'PGUSER=postgres', "$ROOT/bin/ausdash-export", '-q', '-o', $s2 ]);
	is($got, 0, 'the owner (unprivileged) writes it again after root did') or diag($err);
}
{
	my $new = "$dir/new.json";
	my ($got, $out, $err) = run_command([ 'sh', '-c', "umask 027 && ausdash-export -q -o $new" ]);
	is($got, 0, 'export to a new file');
	is(sprintf('%o', (stat $new)[2] & 07777), '640', 'a new file follows the umask (027: 0640)');
	symlink($new, "$dir/link.json") or die;
	my $before = slurp_file($new);
	command_ok([ 'ausdash-ingest', '-q', '--source=aemo_wholesale', wholesale('2026-03-05T00:05:00Z,NSW1,77,1') ],
		'something new in the database');
	command_ok([ 'ausdash-export', '-q', '-o', "$dir/link.json" ], 'export through a symbolic link');
	ok(-l "$dir/link.json", 'the link is still a link');
	like(slurp_file($new), qr/"date": "2026-03-05T00:05:00Z"/, 'and its target has the new store');
	unlike($before, qr/2026-03-05T00:05:00Z/, '(which the old one did not)');
	symlink("$dir/victim", "$dir/planted.json.lock") or die;
	($got, $out, $err) = run_command([ 'ausdash-export', '-o', "$dir/planted.json" ]);
	is($got, 74, 'a symbolic link planted at FILE.lock: refused');
	like($err, qr/lock file ".*planted\.json\.lock" is a symbolic link/, 'said so');
	ok(!-e "$dir/victim", 'and its target is not created');
	symlink("$dir/victim2", "$dir/rejects.ndjson") or die;
	($got, $out, $err) = run_command([ 'ausdash-ingest', '--source=aemo_wholesale', '--max-errors=1',
		"--rejects=$dir/rejects.ndjson", wholesale('2026-03-01T00:40:00Z,NSW1,x,1') ]);
	is($got, 74, 'a symbolic link planted at the --rejects path: refused');
	ok(!-e "$dir/victim2", 'and its target is not created');
	for my $t ([ 'a FIFO', "$dir/fifo" ], [ 'a device', '/dev/full' ])
	{
		system('mkfifo', $t->[1]) if $t->[0] eq 'a FIFO';
		($got, $out, $err) = run_command([ 'ausdash-export', '-o', $t->[1] ]);
		is($got, 74, "export to $t->[0]: refused");
		like($err, qr/is not a regular file \(\Q$t->[0]\E\)/, "export to $t->[0]: said so");
	}
	ok(-p "$dir/fifo" && -c '/dev/full', 'the FIFO and the device are still what they were');
	mkdir "$dir/adir";
	($got, $out, $err) = run_command([ 'ausdash-export', '-o', "$dir/adir" ]);
	is($got, 74, 'export to a directory: refused');
	like($err, qr/is not a regular file \(a directory\)/, 'export to a directory: said so');
	# a held store lock names its holder (issue 17)
	my $holder = IPC::Run::start([ 'flock', "$new.lock", 'sleep', '5' ]);
	sleep 0.3;
	($got, $out, $err) = run_command([ 'ausdash-export', '-o', $new ]);
	is($got, 75, 'a held store lock: exit 75');
	like($err, qr/another writer holds the store's lock ".*new\.json\.lock"\n.*detail: Held by PID \d+ \(flock\)\./,
		'the message names the process that holds it');
	$holder->kill_kill;
}
{
	# SIGTERM while the temporary file is written: removed, said, store unchanged
	$node->psql("INSERT INTO public.observations (series_id, region_code, date, vintage, value, unit, "
		  . "source_name, source_url, published_at, ingested_at, is_modeled, confidence) "
		  . "SELECT 'big.series', 'AU', (date '2000-01-01' + i)::text, '2026-01-01', i, 'index', 'X', 'u', "
		  . "now(), now(), false, 'official' FROM generate_series(1, 300000) i");
	my $s = "$dir/term.json";
	write_file($s, "old\n");
	my ($out, $err);
	my $h = IPC::Run::start([ 'ausdash-export', '-o', $s ], '>', \$out, '2>', \$err);
	my $seen;
	for (1 .. 500) { last if ($seen) = glob("$dir/.term.json.*"); sleep 0.01 }
	ok($seen, 'the temporary file appears while the export runs');
	$h->signal('TERM');
	$h->finish;
	like($err, qr/interrupted by a signal; the temporary file ".*\.term\.json\.\w+" is removed and the store is unchanged/,
		'it says so');
	is(scalar(() = glob("$dir/.term.json.*")), 0, 'no temporary file is left');
	is(slurp_file($s), "old\n", 'the store is as it was');
}

done_testing();
