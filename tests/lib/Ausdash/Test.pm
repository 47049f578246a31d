# tests/lib/Ausdash/Test.pm - helpers for ausdash's TAP tests.
#
# Modelled on PostgreSQL's src/test/perl/PostgreSQL/Test/Utils.pm: run a
# command capturing its exit code, stdout and stderr; table-driven checks
# of both; the per-tool --help/--version/bad-option checks.  Clusters are
# in Ausdash::Test::Cluster.
package Ausdash::Test;

use strict;
use warnings;
use Exporter 'import';
use File::Path qw(make_path);
use IPC::Run ();
use POSIX ();
use Test::More;

our @EXPORT = qw(
  $ROOT $TMP run_command command_ok command_fails command_exit_is
  command_checks_all program_help_ok program_version_ok
  program_options_handling_ok slurp_file write_file shared_dir run_on_tty
);

our $ROOT = $ENV{AUSDASH_ROOT} || do {
	require Cwd;
	Cwd::getcwd();
};

# A per-test-file scratch directory under tmp_check/, removed at the end
# when every test passed and kept (with the cluster logs) otherwise.
our $TMP;
{
	(my $name = $0) =~ s{.*/}{};
	$name =~ s/\.t$//;
	$TMP = "$ROOT/tmp_check/$name";
	File::Path::remove_tree($TMP) if -d $TMP;
	make_path($TMP);
	chmod 0755, "$ROOT/tmp_check", $TMP;
}

END
{
	my $builder = Test::More->builder;
	if ($builder->is_passing && !$ENV{AUSDASH_KEEP_TMP})
	{
		require File::Path;
		File::Path::remove_tree($TMP);
	}
	elsif (defined $TMP)
	{
		diag("scratch directory and logs kept in $TMP");
	}
}

# ../shared (or ../shared/SUBDIR) when it exists (real stores and feeds),
# else undef.
sub shared_dir
{
	my ($sub) = @_;
	my $d = "$ROOT/../shared" . (defined $sub ? "/$sub" : '');
	return -d $d ? $d : undef;
}

sub slurp_file
{
	my ($path) = @_;
	open my $fh, '<:raw', $path or die "could not open \"$path\": $!";
	local $/;
	my $c = <$fh>;
	close $fh;
	return $c;
}

sub write_file
{
	my ($path, $content) = @_;
	open my $fh, '>:raw', $path or die "could not write \"$path\": $!";
	print $fh $content;
	close $fh or die "could not close \"$path\": $!";
}

# run_command(\@cmd, stdin => ..., timeout => seconds)
#   returns ($exit_code, $stdout, $stderr); a signal death gives 128+sig.
sub run_command
{
	my ($cmd, %opt) = @_;
	my ($out, $err) = ('', '');
	my $in = $opt{stdin} // '';
	my $h = IPC::Run::start($cmd, '<', \$in, '>', \$out, '2>', \$err,
		IPC::Run::timeout($opt{timeout} // 180));
	eval { $h->finish; };
	if ($@)
	{
		$h->kill_kill;
		return (124, $out, $err . "\n[timed out: $@]");
	}
	my $status = $h->full_result(0);
	my $code = ($status & 127) ? 128 + ($status & 127) : $status >> 8;
	return ($code, $out, $err);
}

# Runs a command on a pseudo-terminal, its controlling terminal (stdin,
# stdout and stderr all on it), as a person at a terminal would.  answers
# is a list of [ qr/prompt/, "text\n" ]: each text is typed once the
# output since the last answer matches its prompt.  Returns the exit code
# and everything written to the terminal.
sub run_on_tty
{
	my ($cmd, %opt) = @_;
	require IO::Pty;
	my $pty = IO::Pty->new;
	my $pid = fork() // die "fork: $!";
	if ($pid == 0)
	{
		$pty->make_slave_controlling_terminal;
		my $tty = $pty->slave;
		$tty->set_raw if $opt{raw};
		close $pty;
		open(STDIN, '<&', $tty) or die;
		open(STDOUT, '>&', $tty) or die;
		open(STDERR, '>&', $tty) or die;
		close $tty;
		exec(@$cmd) or die "exec $cmd->[0]: $!";
	}
	$pty->close_slave;
	my @answers = @{ $opt{answers} // [] };
	my ($all, $since) = ('', '');
	my $deadline = time + ($opt{timeout} // 60);
	my $closed = 0;
	while (time < $deadline)
	{
		my $rin = '';
		vec($rin, fileno($pty), 1) = 1;
		my $n = select(my $rout = $rin, undef, undef, 0.2);
		if ($n > 0)
		{
			my $got = sysread($pty, my $buf, 65536);
			$closed = 1, last unless $got;	# EIO: the child's side is closed
			$all .= $buf;
			$since .= $buf;
		}
		if (@answers && $since =~ $answers[0][0])
		{
			syswrite($pty, $answers[0][1]);
			shift @answers;
			$since = '';
		}
	}
	if (!$closed)
	{
		kill 'KILL', $pid;
		waitpid($pid, 0);
		return (124, $all . "\n[timed out]");
	}
	waitpid($pid, 0);
	my $status = $?;
	my $code = ($status & 127) ? 128 + ($status & 127) : $status >> 8;
	return ($code, $all);
}

sub _show
{
	my ($cmd, $code, $out, $err) = @_;
	diag("command: @$cmd\nexit: $code\nstdout:\n$out\nstderr:\n$err");
}

sub command_ok
{
	my ($cmd, $name) = @_;
	my ($code, $out, $err) = run_command($cmd);
	ok($code == 0, $name) or _show($cmd, $code, $out, $err);
	return ($out, $err);
}

sub command_fails
{
	my ($cmd, $name) = @_;
	my ($code, $out, $err) = run_command($cmd);
	ok($code != 0, $name) or _show($cmd, $code, $out, $err);
	return ($out, $err);
}

sub command_exit_is
{
	my ($cmd, $expected, $name) = @_;
	my ($code, $out, $err) = run_command($cmd);
	is($code, $expected, $name) or _show($cmd, $code, $out, $err);
	return ($out, $err);
}

# command_checks_all(\@cmd, $exit, [qr/stdout/...], [qr/stderr/...], $name)
sub command_checks_all
{
	my ($cmd, $expected, $out_re, $err_re, $name, %opt) = @_;
	my ($code, $out, $err) = run_command($cmd, %opt);
	my $ok = is($code, $expected, "$name: exit code");
	for my $re (@$out_re)
	{
		$ok &= like($out, $re, "$name: stdout matches");
	}
	for my $re (@$err_re)
	{
		$ok &= like($err, $re, "$name: stderr matches");
	}
	_show($cmd, $code, $out, $err) unless $ok;
	return ($out, $err);
}

# --help: exit 0, usage on stdout, nothing on stderr, no line over 80 columns.
sub program_help_ok
{
	my ($prog) = @_;
	my ($code, $out, $err) = run_command([ $prog, '--help' ]);
	is($code, 0, "$prog --help exit code 0");
	like($out, qr/^\Q$prog\E .*\.\n\nUsage:\n/s, "$prog --help: layout");
	is($err, '', "$prog --help: nothing on stderr");
	my @long = grep { length($_) > 80 } split /\n/, $out;
	is(scalar(@long), 0, "$prog --help: lines fit in 80 columns")
	  or diag(join "\n", @long);
	like($out, qr/-V, --version.*\n.*-\?, --help/s, "$prog --help: --version and --help listed");
	return $out;
}

sub program_version_ok
{
	my ($prog) = @_;
	for my $flag ('--version', '-V')
	{
		my ($code, $out, $err) = run_command([ $prog, $flag ]);
		is($code, 0, "$prog $flag exit code 0");
		like($out, qr/^\Q$prog\E \(ausdash\) \d+\.\d+\.\d+\n\z/, "$prog $flag output");
		is($err, '', "$prog $flag: nothing on stderr");
	}
}

sub program_options_handling_ok
{
	my ($prog) = @_;
	my ($code, $out, $err) = run_command([ $prog, '--not-a-valid-option' ]);
	is($code, 64, "$prog with a bad option exits 64");
	like($err, qr/unrecognized option/, "$prog with a bad option: says so");
	like($err, qr/\Q$prog\E: hint: Try "\Q$prog\E --help" for more information\./,
		"$prog with a bad option: --help hint");
	is($out, '', "$prog with a bad option: nothing on stdout");
}

1;
