#!/bin/sh
# install-deps.sh - install the Debian packages ausdash needs, when missing.
#
# Idempotent: packages already installed are left alone, and nothing is
# done when everything is present.  As root it runs apt-get; otherwise it
# uses sudo when that works without a password, else it prints the exact
# command to run and exits 1.
#
# Usage: ./install-deps.sh [--check]
#   --check   only report what is missing (exit 1 if anything is)

set -eu

# The PostgreSQL major version whose server and pgTAP we install: the one
# Debian's "postgresql" metapackage depends on.
pg_major() {
	if command -v pg_config >/dev/null 2>&1; then
		pg_config --version | sed -n 's/^PostgreSQL \([0-9][0-9]*\).*/\1/p'
		return
	fi
	apt-cache depends postgresql 2>/dev/null |
		sed -n 's/.*Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -n 1
}

check_only=no
case "${1-}" in
	--check) check_only=yes ;;
	"") ;;
	-h|--help) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "install-deps.sh: unrecognized option \"$1\"" >&2; exit 64 ;;
esac

base="gcc make pkg-config libc6-dev libpq-dev libyajl-dev libssl-dev libcsv-dev libxxhash-dev libpg-query-dev \
libcmocka-dev postgresql perl libipc-run-perl libio-pty-perl mandoc util-linux procps bc time prometheus curl unzip clang \
python3 python3-jsonschema yajl-tools"

missing() {
	for p in "$@"; do
		s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		case "$s" in
			*"install ok installed"*) ;;
			*) printf '%s ' "$p" ;;
		esac
	done
}

run_apt() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo "$@"
	else
		return 77
	fi
}

install() {
	pkgs=$1
	[ -n "$pkgs" ] || return 0
	if [ "$check_only" = yes ]; then
		echo "install-deps.sh: missing packages: $pkgs" >&2
		echo "hint: run \"apt-get install -y $pkgs\" as root" >&2
		exit 1
	fi
	echo "install-deps.sh: installing $pkgs" >&2
	st=0
	run_apt env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs >/dev/null ||
	{ st=$?; [ $st -eq 77 ] || { run_apt apt-get update -qq >/dev/null &&
		run_apt env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs >/dev/null; st=$?; }; }
	if [ $st -ne 0 ]; then
		echo "install-deps.sh: error: could not install: $pkgs" >&2
		echo "hint: run this as root: apt-get update && apt-get install -y $pkgs" >&2
		exit 1
	fi
}

install "$(missing $base)"

major=$(pg_major)
if [ -z "$major" ]; then
	echo "install-deps.sh: error: could not determine the PostgreSQL major version" >&2
	exit 1
fi
install "$(missing postgresql-$major postgresql-$major-pgtap)"

[ "$check_only" = yes ] && echo "install-deps.sh: all dependencies present" >&2
exit 0
