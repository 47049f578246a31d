# tests/t/090_tls.t - TLS to the server: a cluster started with a CA and a
# server certificate made here (tests/pgcluster.sh, PGCLUSTER_SSL=1);
# sslmode=verify-full works with the right CA and host name and fails,
# plainly, with a wrong one.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use Test::More;

my $port = 20000 + $$ % 20000;
my $node = Ausdash::Test::Cluster->new('tls', port => $port, tcp => 1, ssl => 1)->start;
my $ssl = $node->dir . '/ssl';
ok(-f "$ssl/ca.crt" && -f "$ssl/server.crt", 'a CA and a server certificate for localhost');

my $good = "host=localhost port=$port user=postgres dbname=postgres sslmode=verify-full sslrootcert=$ssl/ca.crt";
command_ok([ 'ausdash-migrate', '-q', '-d', $good, 'up' ], 'verify-full with the right CA and host name: migrate');
my ($code, $out, $err) = run_command([ 'ausdash-ingest', '-d', $good, '--json', '--source=abs_cpi',
	"$ROOT/tests/data/feeds/abs-cpi.json" ]);
is($code, 0, 'verify-full: an ingest over TLS') or diag($err);
is($node->psql("SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE s.ssl "
	  . "AND a.application_name = 'psql'"), 0, '(psql over the socket uses no TLS)');
($code, $out, $err) = run_command([ 'psql', '-X', '-At', '-d', $good, '-c',
	'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()' ]);
is($out, "t\n", 'the connection is encrypted');

# a CA that did not sign the server's certificate
system("openssl req -x509 -new -nodes -newkey rsa:2048 -days 1 -subj '/CN=other CA' "
	  . "-keyout $TMP/other.key -out $TMP/other.crt >/dev/null 2>&1") == 0 or die 'openssl';
command_checks_all([ 'ausdash-migrate', '-d', "host=localhost port=$port user=postgres dbname=postgres "
	  . "sslmode=verify-full sslrootcert=$TMP/other.crt", 'status' ], 69, [],
	[ qr/could not connect to database: .*certificate verify failed/, qr/hint: Check -d\/--dbname/ ],
	'verify-full with the wrong CA: refused, exit 69');
# a host name the certificate does not name
command_checks_all([ 'ausdash-freshness', '--format=nagios', '-d', "host=127.0.0.1 port=$port user=postgres "
	  . "dbname=postgres sslmode=verify-full sslrootcert=$ssl/ca.crt" ], 3,
	[qr/^FRESHNESS UNKNOWN - could not connect to database: .*server certificate for "localhost".* does not match host name "127\.0\.0\.1"/],
	[], 'verify-full with the wrong host name: refused (a report: UNKNOWN)');
# the password never shows, even in a refused connection string
(undef, $err) = command_checks_all([ 'ausdash-migrate', '-d', "postgresql://postgres:s3cret\@127.0.0.1:$port/postgres"
	  . "?sslmode=verify-full&sslrootcert=$TMP/other.crt", 'status' ], 69, [],
	[qr/could not connect/], 'a URI with a password: refused');
unlike($err, qr/s3cret/, 'and its password is not printed');

done_testing();
