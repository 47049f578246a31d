#!/bin/sh
# tests/pgcluster.sh - a private PostgreSQL cluster in a directory of ours.
#
# Used by "make demo" and by the test harness (tests/lib/Ausdash/Test.pm).
# No existing server is needed: the cluster lives in DIR, listens only on
# a Unix socket in DIR/sock (or a short directory under /tmp when DIR's
# path is too long for a socket), and runs as the invoking user, or, when
# that is root, as the unprivileged "postgres" user (else "nobody").
#
# Usage: tests/pgcluster.sh start|stop|destroy|status DIR
#   start    initdb if needed, then start (idempotent); writes DIR/env with
#            PGHOST, PGPORT, PGUSER and PGDATABASE for ". DIR/env"
#   stop     stop the server (fast shutdown)
#   destroy  stop and remove DIR
#   status   exit 0 when the server is running
# Environment: PGCLUSTER_PORT (default 5432: the socket is private, so no
# clash), PGCLUSTER_TEST=1 (fsync off and log_statement=all, for tests),
# PGCLUSTER_TCP=1 (also listen on 127.0.0.1:PORT), PGCLUSTER_SSL=1 (TLS: a
# CA and a server certificate for "localhost", made with openssl, in
# DIR/ssl; clients verify with sslrootcert=DIR/ssl/ca.crt).

set -eu

usage() { echo "usage: $0 start|stop|destroy|status DIR" >&2; exit 64; }
[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2" 2>/dev/null || true
[ -d "$2" ] || { echo "pgcluster.sh: error: could not create directory \"$2\"" >&2; exit 1; }
dir=$(cd "$2" && pwd)
port=${PGCLUSTER_PORT:-5432}

bindir() {
	for d in "$(pg_config --bindir 2>/dev/null || true)" \
		$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
		[ -n "$d" ] && [ -x "$d/initdb" ] && { echo "$d"; return; }
	done
	d=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")
	[ -x "$d/initdb" ] && { echo "$d"; return; }
	echo "pgcluster.sh: error: initdb not found" >&2
	echo "hint: install the PostgreSQL server: ./install-deps.sh" >&2
	exit 69
}

runas=""
if [ "$(id -u)" -eq 0 ]; then
	if getent passwd postgres >/dev/null 2>&1; then user=postgres; else user=nobody; fi
	runas="runuser -u $user --"
fi
as_server() { $runas "$@"; }

sockdir() {
	if [ -f "$dir/sockdir" ]; then cat "$dir/sockdir"; return; fi
	s="$dir/sock"
	if [ ${#s} -gt 90 ]; then s=$(mktemp -d /tmp/ausdash-sock.XXXXXX); fi
	mkdir -p "$s"
	echo "$s" > "$dir/sockdir"
	echo "$s"
}

B=$(bindir)
data="$dir/data"

case "$cmd" in
start)
	sock=$(sockdir)
	mkdir -p "$dir/log"
	if [ -n "$runas" ]; then
		chown "$user" "$dir" "$sock" "$dir/log"
		if ! as_server test -w "$dir" -a -x "$dir"; then
			echo "pgcluster.sh: error: user \"$user\" cannot write to \"$dir\"" >&2
			echo "hint: a parent directory is not searchable by \"$user\"; use a checkout it can reach" >&2
			exit 1
		fi
	fi
	if [ ! -f "$data/PG_VERSION" ]; then
		as_server "$B/initdb" --no-sync -A trust -U postgres -E UTF8 --no-locale \
			-D "$data" >"$dir/log/initdb.log" 2>&1 ||
			{ cat "$dir/log/initdb.log" >&2; exit 1; }
		{
			echo "listen_addresses = '$( [ "${PGCLUSTER_TCP:-0}" = 1 ] && echo 127.0.0.1 )'"
			echo "port = $port"
			echo "unix_socket_directories = '$sock'"
			echo "max_connections = 40"
			if [ "${PGCLUSTER_TEST:-0}" = 1 ]; then
				echo "fsync = off"
				echo "synchronous_commit = off"
				echo "full_page_writes = off"
				echo "log_statement = 'all'"
			fi
			echo "log_line_prefix = '%m [%p] %q%a '"
		} | as_server sh -c "cat >> '$data/postgresql.conf'"
		if [ "${PGCLUSTER_SSL:-0}" = 1 ]; then
			ssl=$dir/ssl
			mkdir -p "$ssl"
			openssl req -x509 -new -nodes -newkey rsa:2048 -days 2 -subj "/CN=ausdash test CA" \
				-keyout "$ssl/ca.key" -out "$ssl/ca.crt" >/dev/null 2>&1 &&
			openssl req -new -nodes -newkey rsa:2048 -subj "/CN=localhost" \
				-keyout "$ssl/server.key" -out "$ssl/server.csr" >/dev/null 2>&1 &&
			printf 'subjectAltName=DNS:localhost\n' > "$ssl/san.ext" &&
			openssl x509 -req -in "$ssl/server.csr" -CA "$ssl/ca.crt" -CAkey "$ssl/ca.key" \
				-CAcreateserial -days 2 -extfile "$ssl/san.ext" -out "$ssl/server.crt" >/dev/null 2>&1 ||
				{ echo "pgcluster.sh: error: could not make the TLS certificates" >&2; exit 1; }
			chmod 600 "$ssl/server.key"
			[ -n "$runas" ] && chown "$user" "$ssl/server.key" "$ssl/server.crt"
			{
				echo "ssl = on"
				echo "ssl_cert_file = '$ssl/server.crt'"
				echo "ssl_key_file = '$ssl/server.key'"
			} | as_server sh -c "cat >> '$data/postgresql.conf'"
		fi
	fi
	if ! as_server "$B/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		as_server "$B/pg_ctl" -D "$data" -l "$dir/log/postgresql.log" -w -t 60 start >/dev/null ||
			{ tail -n 20 "$dir/log/postgresql.log" >&2; exit 1; }
	fi
	cat > "$dir/env" <<ENV
export PGHOST='$sock'
export PGPORT='$port'
export PGUSER=postgres
export PGDATABASE=postgres
unset DATABASE_URL PGSERVICE PGSERVICEFILE PGPASSWORD PGHOSTADDR
ENV
	;;
stop)
	if [ -f "$data/PG_VERSION" ] && as_server "$B/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		as_server "$B/pg_ctl" -D "$data" -m fast -w stop >/dev/null
	fi
	;;
destroy)
	if [ -f "$data/PG_VERSION" ] && as_server "$B/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		as_server "$B/pg_ctl" -D "$data" -m immediate -w stop >/dev/null || true
	fi
	if [ -f "$dir/sockdir" ]; then
		s=$(cat "$dir/sockdir")
		case "$s" in /tmp/ausdash-sock.*) rm -rf "$s" ;; esac
	fi
	rm -rf "$dir"
	;;
status)
	[ -f "$data/PG_VERSION" ] && as_server "$B/pg_ctl" -D "$data" status >/dev/null 2>&1
	;;
*) usage ;;
esac
