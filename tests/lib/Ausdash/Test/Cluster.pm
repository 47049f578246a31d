# tests/lib/Ausdash/Test/Cluster.pm - a throwaway PostgreSQL cluster per test.
#
# Modelled on PostgreSQL::Test::Cluster: new() makes a private cluster
# under the test's scratch directory (tests/pgcluster.sh: initdb
# --no-sync, trust auth, fsync off, log_statement=all, a private Unix
# socket; as root the server runs unprivileged), start() exports
# PGHOST/PGPORT/PGUSER/PGDATABASE for the commands under test, and an END
# block stops every cluster.  Logs stay in tmp_check/ when a test fails.
package Ausdash::Test::Cluster;

use strict;
use warnings;
use Ausdash::Test;
use Test::More;

my @clusters;

sub new
{
	my ($class, $name, %opt) = @_;
	my $self = bless {
		name => $name,
		dir => "$Ausdash::Test::TMP/$name",
		port => $opt{port} // 5432,
		tcp => $opt{tcp} // 0,
		ssl => $opt{ssl} // 0,
	}, $class;
	# a cluster kept from an earlier failed run is not reused
	run_command([ "$ROOT/tests/pgcluster.sh", 'destroy', $self->{dir} ]);
	push @clusters, $self;
	return $self;
}

sub _helper
{
	my ($self, $verb) = @_;
	local $ENV{PGCLUSTER_TEST} = 1;
	local $ENV{PGCLUSTER_PORT} = $self->{port};
	local $ENV{PGCLUSTER_TCP} = $self->{tcp};
	local $ENV{PGCLUSTER_SSL} = $self->{ssl};
	my ($code, $out, $err) =
	  run_command([ "$ROOT/tests/pgcluster.sh", $verb, $self->{dir} ]);
	die "pgcluster.sh $verb failed ($code): $err" if $code != 0 && $verb ne 'status';
	return $code;
}

sub start
{
	my ($self) = @_;
	$self->_helper('start');
	$self->{running} = 1;
	my $env = slurp_file("$self->{dir}/env");
	while ($env =~ /^export (\w+)='?([^'\n]*)'?$/mg)
	{
		$self->{env}{$1} = $2;
	}
	$self->export_env;
	return $self;
}

# Points the environment of commands run from now on at this cluster.
sub export_env
{
	my ($self) = @_;
	delete @ENV{qw(DATABASE_URL PGSERVICE PGSERVICEFILE PGPASSWORD PGHOSTADDR
		  AUS_DASH_STORE_PATH AUS_DASH_INGEST_BACKEND)};
	$ENV{$_} = $self->{env}{$_} for keys %{ $self->{env} };
}

sub host { $_[0]{env}{PGHOST} }
sub port { $_[0]{port} }
sub dir { $_[0]{dir} }
sub logfile { "$_[0]{dir}/log/postgresql.log" }

sub stop
{
	my ($self) = @_;
	return unless $self->{running};
	$self->_helper('stop');
	$self->{running} = 0;
}

# Runs SQL through psql; returns stdout (unaligned, tuples only) and dies
# on error unless called in list context, which gets ($code, $out, $err).
sub psql
{
	my ($self, $sql, %opt) = @_;
	my @cmd = ('psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
		'-h', $self->host, '-p', $self->{port}, '-U', 'postgres',
		'-d', $opt{dbname} // 'postgres');
	push @cmd, '-F', $opt{sep} if defined $opt{sep};
	my ($code, $out, $err) = run_command(\@cmd, stdin => $sql);
	return ($code, $out, $err) if wantarray;
	die "psql failed ($code): $err\nSQL: $sql" if $code != 0;
	chomp $out;
	return $out;
}

# A digest of the store's tables (row count and the md5 of every row with
# its xmin), to show that a failed run changed nothing, not even by
# rewriting a row with the same values.
sub tables_state
{
	my ($self) = @_;
	my @tables = qw(sources raw_snapshots observations source_cursors price_intake_batches
	  unresolved_price_items store_meta);
	return scalar $self->psql(join(' UNION ALL ', map {
		"SELECT '$_', pg_catalog.count(*), pg_catalog.md5(COALESCE(pg_catalog.string_agg("
		  . "t.xmin::text || t::text, '|' ORDER BY t::text), '')) FROM public.$_ t" } @tables));
}

# How many runs the ledger holds as failed.
sub failed_runs
{
	my ($self) = @_;
	return scalar $self->psql("SELECT count(*) FROM public.ingestion_runs WHERE status = 'failed'");
}

# The part of the server log written while $code runs.
sub log_during
{
	my ($self, $code) = @_;
	my $before = -s $self->logfile // 0;
	$code->();
	my $log = slurp_file($self->logfile);
	return substr($log, $before);
}

sub teardown
{
	my ($self) = @_;
	return if $self->{gone};
	$self->{gone} = 1;
	local $?;
	my $passing = Test::More->builder->is_passing;
	if ($passing && !$ENV{AUSDASH_KEEP_TMP})
	{
		run_command([ "$ROOT/tests/pgcluster.sh", 'destroy', $self->{dir} ]);
	}
	else
	{
		run_command([ "$ROOT/tests/pgcluster.sh", 'stop', $self->{dir} ]);
	}
}

END
{
	$_->teardown for reverse @clusters;
}

1;
