/*
 * tests/unit/test_sqlparse.c - statement splitting and the destructive lint,
 * by PostgreSQL's parser.
 */
#include "unit.h"

#include "pg/sqlparse.h"
#include "base/banned.h"

static const char *
destructive(const char *sql, int *line)
{
	const char *what = NULL;
	int			l = 0;
	sqlparse_error err;
	int			found = sqlparse_find_destructive(sql, strlen(sql), &l, &what, &err);

	assert_true(found >= 0);
	if (found == 0)
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
	/* what the hand-written lint missed */
	assert_string_equal(destructive("UPDATE public.x SET a = 1", NULL), "UPDATE without WHERE");
	assert_string_equal(destructive("SELECT 1;\nWITH d AS (DELETE FROM t RETURNING *)\nSELECT * FROM d", &line),
						"DELETE without WHERE");
	assert_int_equal(line, 2);
	assert_string_equal(destructive("ALTER TABLE t RENAME COLUMN a TO b", NULL), "RENAME COLUMN");
	assert_string_equal(destructive("ALTER TABLE t RENAME TO u", NULL), "RENAME TABLE");
	assert_string_equal(destructive("DROP INDEX public.i", NULL), "DROP INDEX");
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
	assert_null(destructive("UPDATE t SET a = 1 WHERE id = 2", NULL));
	/* a function body does not run when the function is created */
	assert_null(destructive("CREATE FUNCTION f() RETURNS void LANGUAGE sql\n"
							"BEGIN ATOMIC DELETE FROM t; END", NULL));
}

static void
test_parse_error(void **state)
{
	sqlparse_error err;
	sqlparse_stmt *st;
	int			line;
	const char *what;

	assert_int_equal(sqlparse_find_destructive("SELECT 1;\nSELEKT 2;", 19, &line, &what, &err), -1);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "syntax error"));
	assert_int_equal(sqlparse_split("CREATE TABLE (", 14, &st, &err), -1);
	assert_null(st);
}

/* psql -f runs a BEGIN ATOMIC body as one statement; so must the splitter */
static void
test_split_begin_atomic(void **state)
{
	const char *sql = "CREATE TABLE a (x int);\n"
		"CREATE FUNCTION f() RETURNS int LANGUAGE sql\n"
		"BEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;\n"
		"CREATE RULE r AS ON INSERT TO a DO ALSO (SELECT 1; SELECT 2);\n";
	sqlparse_error err;
	sqlparse_stmt *st;
	int			n = sqlparse_split(sql, strlen(sql), &st, &err);

	assert_int_equal(n, 3);
	assert_int_equal(st[1].line, 2);
	assert_memory_equal(sql + st[1].end - 4, "END;", 4);
	assert_int_equal(st[2].line, 7);
	free(st);
}

static void
test_split(void **state)
{
	const char *sql = "CREATE TABLE a (s text DEFAULT ';');\n"
		"-- comment; with semicolon\n"
		"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n"
		";;\n"
		"CREATE INDEX CONCURRENTLY i ON a (s)";
	sqlparse_error err;
	sqlparse_stmt *st;
	int			n = sqlparse_split(sql, strlen(sql), &st, &err);

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
		cmocka_unit_test(test_split_begin_atomic),
		cmocka_unit_test(test_parse_error),
	};

	return UNIT_RUN(tests);
}
