/*
 * tests/unit/test_sqllex.c - statement splitting and the destructive lint.
 */
#include "unit.h"

#include "../../lib/sqllex.h"
#include "../../lib/banned.h"

static const char *
destructive(const char *sql, int *line)
{
	const char *what = NULL;
	int			l = 0;

	if (!sqllex_find_destructive(sql, strlen(sql), &l, &what))
		return NULL;
	if (line)
		*line = l;
	return what;
}

static void
test_destructive_found(void **state)
{
	int			line = 0;

	assert_string_equal(destructive("DROP TABLE public.x;", NULL), "DROP TABLE");
	assert_string_equal(destructive("drop schema s cascade", NULL), "DROP SCHEMA");
	assert_string_equal(destructive("TRUNCATE public.x", NULL), "TRUNCATE");
	assert_string_equal(destructive("DELETE FROM public.x;", NULL), "DELETE without WHERE");
	assert_string_equal(destructive("ALTER TABLE t DROP COLUMN c", NULL),
						"ALTER TABLE ... DROP COLUMN");
	assert_string_equal(destructive("ALTER TABLE t DROP c", NULL),
						"ALTER TABLE ... DROP COLUMN");
	assert_string_equal(destructive("ALTER TABLE t ALTER COLUMN c TYPE bigint", NULL),
						"ALTER COLUMN ... TYPE");
	assert_string_equal(destructive("ALTER TABLE t ALTER c SET DATA TYPE text", NULL),
						"ALTER COLUMN ... TYPE");
	assert_string_equal(destructive("ALTER TABLE t ALTER COLUMN c SET NOT NULL", NULL),
						"SET NOT NULL");
	assert_string_equal(destructive("CREATE TABLE a (x int);\n\n-- c\nTRUNCATE a;", &line),
						"TRUNCATE");
	assert_int_equal(line, 4);
}

static void
test_destructive_not_found(void **state)
{
	assert_null(destructive("DELETE FROM public.x WHERE id = 1", NULL));
	assert_null(destructive("ALTER TABLE t DROP CONSTRAINT c", NULL));
	assert_null(destructive("ALTER TABLE t ALTER COLUMN c DROP NOT NULL", NULL));
	assert_null(destructive("ALTER TABLE t ALTER COLUMN c DROP DEFAULT", NULL));
	assert_null(destructive("ALTER TABLE t ALTER COLUMN type SET DEFAULT 1", NULL));
	assert_null(destructive("ALTER TABLE t ADD COLUMN type text", NULL));
	assert_null(destructive("CREATE INDEX i ON t (x)", NULL));
	/* words inside comments, strings and dollar quotes are not statements */
	assert_null(destructive("-- DROP TABLE x;\nSELECT 1", NULL));
	assert_null(destructive("/* TRUNCATE /* nested */ x; */ SELECT 1", NULL));
	assert_null(destructive("SELECT 'DROP TABLE x; TRUNCATE y'", NULL));
	assert_null(destructive("SELECT E'it\\'s; DROP TABLE x'", NULL));
	assert_null(destructive("DO $body$ BEGIN TRUNCATE x; END $body$", NULL));
	assert_null(destructive("COMMENT ON TABLE t IS 'DELETE FROM x'", NULL));
	assert_null(destructive("", NULL));
}

static void
test_split(void **state)
{
	const char *sql = "CREATE TABLE a (s text DEFAULT ';');\n"
		"-- comment; with semicolon\n"
		"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n"
		";;\n"
		"CREATE INDEX CONCURRENTLY i ON a (s)";
	sqllex_stmt *st;
	int			n = sqllex_split(sql, strlen(sql), &st);

	assert_int_equal(n, 3);
	assert_int_equal(st[0].line, 1);
	assert_memory_equal(sql + st[0].start, "CREATE TABLE a", 14);
	assert_int_equal(sql[st[0].end - 1], ';');
	assert_int_equal(st[1].line, 3);
	assert_memory_equal(sql + st[1].start, "CREATE FUNCTION", 15);
	assert_int_equal(sql[st[1].end - 1], ';');
	assert_int_equal(st[2].line, 5);
	assert_int_equal(st[2].end, strlen(sql));
	free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_destructive_found),
		cmocka_unit_test(test_destructive_not_found),
		cmocka_unit_test(test_split),
	};

	return UNIT_RUN(tests);
}
