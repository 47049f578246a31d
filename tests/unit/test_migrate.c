/*
 * tests/unit/test_migrate.c - migration files and the checks between
 * files and ledger (no database needed: the ledger is built in memory).
 */
#include "unit.h"

#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/mem.h"
#include "pg/migrate.h"
#include "base/banned.h"

static char dir[] = "/tmp/ausdash-test-migrate-XXXXXX";

static void
put(const char *name, const char *content)
{
	char	   *p = mem_asprintf("%s/%s", dir, name);
	FILE	   *f = fopen(p, "wb");

	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	free(p);
}

static void
clear_dir(void)
{
	char	   *cmd = mem_asprintf("rm -f %s/*", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static int
setup(void **state)
{
	clear_dir();
	put("0001_base.up.sql", "CREATE TABLE public.a (x int);\n");
	put("0001_base.down.sql", "DROP TABLE public.a;\n");
	put("0002_more.up.sql", "-- ausdash:no-transaction\nCREATE INDEX CONCURRENTLY i ON public.a (x);\n");
	put("0005_drop.up.sql", "-- ausdash:allow-destructive\nDROP TABLE public.old;\n");
	put("README.txt", "not a migration");
	return 0;
}

static void
ledger_add(migrate_ledger *l, int version, const char *name, const char *sum, const char *norm)
{
	migrate_applied *a;

	l->rows = mem_realloc(l->rows, sizeof(migrate_applied) * (size_t) (l->nrows + 1));
	a = &l->rows[l->nrows++];
	a->version = version;
	a->name = mem_strdup(name);
	a->checksum = mem_strdup(sum);
	a->checksum_norm = mem_strdup(norm);
	a->applied_at = mem_strdup("2026-01-01T00:00:00Z");
	a->action = mem_strdup("apply");
}

static void
test_load(void **state)
{
	migrate_set set;

	assert_int_equal(migrate_set_load(&set, dir), 0);
	assert_int_equal(set.nfiles, 3);
	assert_int_equal(set.files[0].version, 1);
	assert_string_equal(set.files[0].name, "base");
	assert_non_null(set.files[0].down_path);
	assert_null(set.files[1].down_path);
	assert_false(set.files[0].no_transaction);
	assert_true(set.files[1].no_transaction);
	assert_true(set.files[2].allow_destructive);
	assert_false(set.files[1].allow_destructive);
	assert_int_equal(set.files[2].version, 5);
	migrate_set_release(&set);
}

static void
test_duplicate_version(void **state)
{
	migrate_set set;

	put("0002_other.up.sql", "SELECT 1;\n");
	assert_int_equal(migrate_set_load(&set, dir), AUSDASH_EXIT_MIGRATION_DUPLICATE);
	migrate_set_release(&set);
}

static void
test_missing_dir(void **state)
{
	migrate_set set;

	assert_int_equal(migrate_set_load(&set, "/nonexistent/ausdash"), AUSDASH_EXIT_CONFIG);
	migrate_set_release(&set);
}

static void
test_line_endings_normalised(void **state)
{
	migrate_set a;
	migrate_set b;

	assert_int_equal(migrate_set_load(&a, dir), 0);
	put("0001_base.up.sql", "CREATE TABLE public.a (x int);\r\n");
	assert_int_equal(migrate_set_load(&b, dir), 0);
	assert_string_not_equal(a.files[0].checksum, b.files[0].checksum);
	assert_string_equal(a.files[0].checksum_norm, b.files[0].checksum_norm);
	migrate_set_release(&a);
	migrate_set_release(&b);
}

static void
test_checks(void **state)
{
	migrate_set set;
	migrate_ledger l = {0};
	migrate_flags none = {false, false, false};
	migrate_flags order_ok = {true, false, false};

	assert_int_equal(migrate_set_load(&set, dir), 0);

	/* nothing applied: consistent */
	assert_int_equal(migrate_check(&set, &l, &none, -1), 0);

	/* 0001 applied as it is on disk; 0005 applied: 0002 is out of order */
	ledger_add(&l, 1, "base", set.files[0].checksum, set.files[0].checksum_norm);
	ledger_add(&l, 5, "drop", set.files[2].checksum, set.files[2].checksum_norm);
	assert_int_equal(migrate_check(&set, &l, &none, -1), AUSDASH_EXIT_MIGRATION_ORDER);
	assert_int_equal(migrate_check(&set, &l, &order_ok, -1), 0);

	/* an applied file that changed */
	free(l.rows[0].checksum);
	l.rows[0].checksum = mem_strdup("0000000000000000000000000000000000000000000000000000000000000000");
	assert_int_equal(migrate_check(&set, &l, &order_ok, -1), AUSDASH_EXIT_MIGRATION_CHANGED);

	/* an applied version with no file */
	migrate_ledger_release(&l);
	ledger_add(&l, 9, "gone", "x", "y");
	assert_int_equal(migrate_check(&set, &l, &order_ok, -1), AUSDASH_EXIT_MIGRATION_MISSING);
	migrate_ledger_release(&l);
	migrate_set_release(&set);
}

static void
test_destructive_pending(void **state)
{
	migrate_set set;
	migrate_ledger l = {0};
	migrate_flags none = {false, false, false};
	migrate_flags allow = {false, true, false};

	put("0007_trunc.up.sql", "SELECT 1;\nTRUNCATE public.a;\n");
	assert_int_equal(migrate_set_load(&set, dir), 0);
	assert_int_equal(migrate_check(&set, &l, &none, -1), AUSDASH_EXIT_MIGRATION_DESTRUCTIVE);
	assert_int_equal(migrate_check(&set, &l, &allow, -1), 0);
	/* not checked when "up --to" stops before it */
	assert_int_equal(migrate_check(&set, &l, &none, 5), 0);
	migrate_set_release(&set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_load, setup),
		cmocka_unit_test_setup(test_duplicate_version, setup),
		cmocka_unit_test_setup(test_missing_dir, setup),
		cmocka_unit_test_setup(test_line_endings_normalised, setup),
		cmocka_unit_test_setup(test_checks, setup),
		cmocka_unit_test_setup(test_destructive_pending, setup),
	};
	int			rc;

	assert_non_null(mkdtemp(dir));
	log_init("test_migrate");
	log_set_level(LOG_LEVEL_OFF);
	rc = UNIT_RUN(tests);
	clear_dir();
	rmdir(dir);
	return rc;
}
