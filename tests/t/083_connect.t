# tests/t/083_connect.t - the connection options every tool takes, as
# PostgreSQL's own tools take them (lib/pg/db.c, lib/cli/opt.c): -h, -p,
# -U beside -d; -w and -W; a password prompt on the controlling terminal
# (through a pseudo-terminal here); the hint for a refused password; a
# malformed connection string as a usage error.
use strict;
use warnings;
use Ausdash::Test;
use Ausdash::Test::Cluster;
use Test::More;

chdir $ROOT or die;
my $node = Ausdash::Test::Cluster->new('main')->start;
command_ok([ 'bin/ausdash-migrate', '-q', 'up' ], 'migrate');
my ($host, $port) = ($node->host, $node->port);

# a role that must give a password (scram), the others still trusted
$node->psql("CREATE ROLE pwuser LOGIN PASSWORD 'pw-secret-1'; GRANT pg_read_all_data TO pwuser;");
my $hba = $node->psql('SHOW hba_file');
my $rules = slurp_file($hba);
write_file($hba, "local all pwuser scram-sha-256\nhost all pwuser all scram-sha-256\n$rules");
$node->psql('SELECT pg_reload_conf()');

my @tools = map { m{bin/(ausdash-[a-z]+)$} ? $1 : () } sort glob("bin/ausdash-*");
for my $tool (@tools)
{
	my ($code, $out) = run_command([ "bin/$tool", '--help' ]);
	like($out, qr/^  -h, --host=HOSTNAME .*^  -p, --port=PORT .*^  -U, --username=USERNAME .*^  -w, --no-password .*^  -W, --password /ms,
		"$tool --help lists -h -p -U -w -W");
	my $man = slurp_file("docs/man/$tool.1");
	like($man, qr/\\-\\-host=.*\\-\\-port=.*\\-\\-username=.*\\-\\-no\\-password.*\\-\\-password/s,
		"$tool(1) documents them");
}

# -h, -p and -U alone reach the server (no PG* variables)
{
	local @ENV{qw(PGHOST PGPORT PGUSER PGDATABASE)};
	delete @ENV{qw(PGHOST PGPORT PGUSER PGDATABASE)};
	for my $tool (qw(ausdash-migrate ausdash-runs))
	{
		my ($code, $out, $err) = run_command([ "bin/$tool", '-h', $host, '-p', $port, '-U', 'postgres',
			'-d', 'postgres', $tool eq 'ausdash-migrate' ? ('status') : ('--format=json') ]);
		ok($code == 0 || ($tool eq 'ausdash-runs' && $code <= 2), "$tool -h -p -U connects")
		  or diag($err);
	}
	command_ok([ 'bin/ausdash-migrate', '--host', $host, '--port', $port, '--username', 'postgres',
		'--dbname=postgres', 'status' ], 'the long spellings too');
	# they override the connection string, from -d or DATABASE_URL
	command_ok([ 'bin/ausdash-migrate', '-d', 'host=/nonexistent port=1 dbname=postgres', '-h', $host,
		'-p', $port, '-U', 'postgres', 'status' ], '-h -p -U override -d');
	local $ENV{DATABASE_URL} = 'postgresql://nobody@/postgres?host=/nonexistent&port=1';
	command_ok([ 'bin/ausdash-migrate', '-h', $host, '-p', $port, '-U', 'postgres', 'status' ],
		'... and DATABASE_URL');
	command_checks_all([ 'bin/ausdash-migrate', 'status' ], 69,
		[], [ qr/could not connect to database: .*nonexistent/, qr/hint: Check -d\/--dbname \(or -h, -p, -U\)/ ],
		'DATABASE_URL alone: the server it names is not there');
}

# a bad port or connection string is the user's mistake: exit 64, or
# UNKNOWN (3) for a monitoring plugin
command_checks_all([ 'bin/ausdash-migrate', '-p', 'x1', 'status' ], 64,
	[], [ qr/invalid value "x1" for option -p\/--port/, qr/Try "ausdash-migrate --help"/ ], '-p x1');
write_file("$TMP/store.json", qq({"sources": [], "observations": []}\n));
command_checks_all([ 'bin/ausdash-backfill', '-d', 'bogus=1', "$TMP/store.json" ], 64,
	[], [ qr/error: invalid connection string in -d\/--dbname: invalid connection option "bogus"/ ],
	'-d bogus=1');
{
	local $ENV{DATABASE_URL} = 'postgresql://u:s3cret-pw@/db?bogus=1';
	my ($out, $err) = command_checks_all([ 'bin/ausdash-migrate', 'status' ], 64,
		[], [ qr/invalid connection string in DATABASE_URL: invalid URI query parameter: "bogus"/ ],
		'a malformed DATABASE_URL');
	unlike($err, qr/s3cret-pw/, '... and its password is not shown');
	command_checks_all([ 'bin/ausdash-freshness', '--format=nagios' ], 3,
		[ qr/^FRESHNESS UNKNOWN - usage: invalid connection string in DATABASE_URL/ ], [],
		'a monitoring plugin says UNKNOWN');
}
command_ok([ 'bin/ausdash-migrate', '-d', 'postgres', 'status' ], 'a plain database name is not a connection string');

# a password the server wants: without a terminal (cron), no prompt and a
# hint naming where a password can come from
my @pw = ('bin/ausdash-migrate', '-U', 'pwuser', '-d', 'postgres', 'status');
for my $args ([], ['-w'])
{
	my ($out, $err) = command_checks_all([ 'setsid', '-w', @pw[0 .. 0], @$args, @pw[1 .. $#pw] ], 69,
		[], [ qr/fe_sendauth: no password supplied/,
			qr/hint: Give the password with -W \(a prompt\), in ~\/\.pgpass \(or the file PGPASSFILE names\), in PGPASSWORD, or through a service \(PGSERVICE\)/ ],
		"no terminal, @$args: refused with the hint");
	unlike($out . $err, qr/Password(:| for)/, '... and no prompt');
}
{
	local $ENV{PGPASSWORD} = 'pw-secret-1';
	command_ok([ 'setsid', '-w', @pw ], 'PGPASSWORD is used');
}

# on a terminal: the prompt as pg_dump's, echo off, one retry
my ($code, $tty) = run_on_tty([ @pw ], answers => [ [ qr/Password for user pwuser: /, "pw-secret-1\n" ] ]);
is($code, 0, 'on a terminal the server\'s request is answered by a prompt') or diag($tty);
like($tty, qr/^Password for user pwuser: \r?\n/m, '... which does not echo the password');
unlike($tty, qr/pw-secret-1/, '... anywhere');

($code, $tty) = run_on_tty([ $pw[0], '-w', @pw[1 .. $#pw] ],
	answers => [ [ qr/Password/, "pw-secret-1\n" ] ], timeout => 20);
is($code, 69, '-w on a terminal: refused');
unlike($tty, qr/Password for user/, '... without asking');

($code, $tty) = run_on_tty([ $pw[0], '-W', @pw[1 .. $#pw] ], answers => [ [ qr/^Password: /m, "wrong\n" ] ]);
is($code, 69, '-W asks before connecting; a wrong password is refused');
like($tty, qr/password authentication failed for user "pwuser"/, '... by the server');
like($tty, qr/hint: Give the password with -W/, '... with the hint');
unlike($tty, qr/Password for user/, '... and no second prompt');

($code, $tty) = run_on_tty([ 'bin/ausdash-migrate', '-W', '-U', 'postgres', '-d', 'postgres', 'status' ],
	answers => [ [ qr/^Password: /m, "unused\n" ] ]);
is($code, 0, '-W asks even when the server does not need it (as pg_dump)') or diag($tty);

done_testing();
