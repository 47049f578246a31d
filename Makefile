# Makefile - build, test, install and demo ausdash.
#
#   make              build lib/libausdash.a and bin/ausdash-*
#   make check        run every test through prove (starts throwaway clusters)
#   make check-asan   the same, built with AddressSanitizer + UBSan
#   make install      install executables, SQL and man pages (PREFIX, DESTDIR)
#   make demo         private PostgreSQL under ./demo-cluster, migrate, show status
#   make demo-clean   stop and remove the demo cluster
#   make deps         install missing Debian packages (./install-deps.sh)
#   make schema-expected  regenerate sql/schema.expected after a reviewed change

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
SHAREDIR = $(PREFIX)/share/ausdash
MANDIR = $(PREFIX)/share/man

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS = libpq yajl libcrypto

# warnings are errors in CI (CI=true) or with WERROR=1
ifneq ($(filter true 1,$(CI) $(WERROR)),)
WERROR_FLAG = -Werror
endif

CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=gnu11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter $(WERROR_FLAG) \
	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null) \
	-DAUSDASH_SHAREDIR='"$(SHAREDIR)"' -DAUSDASH_SRCDIR='"$(CURDIR)"' \
	-MMD -MP $(SAN_FLAGS) $(CFLAGS)
LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lcsv
ALL_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)

LIB_OBJS = lib/copy.o lib/db.o lib/lock.o lib/log.o lib/mem.o lib/migrate.o \
	lib/opt.o lib/sbuf.o lib/sha256.o lib/sqllex.o
LIBRARY = lib/libausdash.a

TOOLS = ausdash-migrate
TOOL_BINS = $(addprefix bin/,$(TOOLS))

UNIT_TESTS = copy db log opt sbuf sha256 sqllex migrate
UNIT_BINS = $(addprefix tests/unit/bin/test_,$(UNIT_TESTS))

DEPS = $(LIB_OBJS:.o=.d) $(TOOLS:%=src/%.d) $(UNIT_TESTS:%=tests/unit/test_%.d)

PROVE ?= prove
PROVE_FLAGS ?=
PROVE_TESTS ?=

.PHONY: all deps check-deps check check-asan unit install uninstall clean demo \
	demo-clean schema-expected
.DEFAULT_GOAL := all
.SECONDARY:

all: check-deps $(LIBRARY) $(TOOL_BINS)

check-deps:
	@./install-deps.sh --check >/dev/null 2>.deps.err || { cat .deps.err >&2; rm -f .deps.err; \
	  echo "hint: run \"make deps\" (or ./install-deps.sh) to install them" >&2; exit 1; }
	@rm -f .deps.err

deps:
	./install-deps.sh

$(LIBRARY): $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

lib/%.o: lib/%.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

src/%.o: src/%.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

bin/%: src/%.o $(LIBRARY)
	@mkdir -p bin
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBRARY) $(LIBS)

tests/unit/%.o: tests/unit/%.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# test_copy fakes part of libpq at link time to reach the error paths
WRAP_copy = -Wl,--wrap=PQexec,--wrap=PQputCopyData,--wrap=PQputCopyEnd \
	-Wl,--wrap=PQgetResult,--wrap=PQerrorMessage

tests/unit/bin/test_%: tests/unit/test_%.o $(LIBRARY)
	@mkdir -p tests/unit/bin
	$(CC) $(ALL_LDFLAGS) $(WRAP_$*) -o $@ $< $(LIBRARY) $(LIBS) -lcmocka

unit: all $(UNIT_BINS)

# Every test, unit and integration, through one prove.  Unit tests are
# C programs printing TAP (cmocka); integration tests are Perl scripts
# starting their own throwaway cluster (tests/lib/Ausdash/Test.pm).
check: unit
	rm -rf tmp_check
	PATH="$(CURDIR)/bin:$$PATH" AUSDASH_ROOT="$(CURDIR)" CMOCKA_MESSAGE_OUTPUT=TAP \
	$(PROVE) -I tests/lib $(PROVE_FLAGS) \
	  $(if $(PROVE_TESTS),$(PROVE_TESTS),$(UNIT_BINS) tests/t/*.t)

check-asan:
	$(MAKE) clean
	$(MAKE) check SAN_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
	$(MAKE) clean

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/migrations \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(TOOL_BINS) $(DESTDIR)$(BINDIR)/
	install -m 644 sql/migrations/*.sql $(DESTDIR)$(SHAREDIR)/migrations/
	install -m 644 doc/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 doc/man/*.7 $(DESTDIR)$(MANDIR)/man7/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(TOOLS))
	rm -rf $(DESTDIR)$(SHAREDIR)
	rm -f $(DESTDIR)$(MANDIR)/man1/ausdash-*.1 $(DESTDIR)$(MANDIR)/man7/ausdash.7

# The demo: a private cluster under ./demo-cluster (no existing server,
# no network), migrated, with the migration status printed.
demo:
	./install-deps.sh
	$(MAKE) all
	tests/pgcluster.sh start demo-cluster
	@. demo-cluster/env && PATH="$(CURDIR)/bin:$$PATH" && \
	  ausdash-migrate up && \
	  echo "== ausdash-migrate status (private cluster: $$PGHOST port $$PGPORT)" && \
	  ausdash-migrate status

demo-clean:
	tests/pgcluster.sh destroy demo-cluster

# After a reviewed schema change: regenerate the committed description.
schema-expected: all
	tests/pgcluster.sh start tmp_schema
	@. tmp_schema/env && bin/ausdash-migrate -q up && \
	  psql -X -q -A -t -v ON_ERROR_STOP=1 -f tests/sql/describe_schema.sql > sql/schema.expected
	tests/pgcluster.sh destroy tmp_schema
	@echo "sql/schema.expected regenerated; review it with git diff"

clean:
	rm -f $(LIB_OBJS) $(LIBRARY) $(TOOL_BINS) $(TOOLS:%=src/%.o) $(DEPS)
	rm -f tests/unit/*.o
	rm -rf tests/unit/bin tmp_check tmp_schema

-include $(DEPS)
