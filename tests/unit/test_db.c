/*
 * tests/unit/test_db.c - password redaction in connection messages and in
 * argv.
 */
#include "unit.h"

#include "pg/db.h"
#include "base/banned.h"

static void
expect(const char *msg, const char *conninfo, const char *want)
{
	char	   *got = db_redact(msg, conninfo);

	assert_string_equal(got, want);
	assert_null(strstr(got, "s3cret"));
	free(got);
}

static void
test_uri(void **state)
{
	expect("missing \"=\" after \"postgresql://bob:s3cret@db.example/x\" in connection info string",
		   NULL,
		   "missing \"=\" after \"postgresql://bob:********@db.example/x\" in connection info string");
	expect("postgres://bob:s3cret@[::1]:5432/db?sslmode=require", NULL,
		   "postgres://bob:********@[::1]:5432/db?sslmode=require");
	/* a user without a password is left alone */
	expect("postgresql://bob@host/db", NULL, "postgresql://bob@host/db");
}

static void
test_keyword_pairs(void **state)
{
	expect("host=x password=s3cret user=bob", NULL, "host=x password=******** user=bob");
	expect("host=x password = 's3cret with space' user=bob", NULL,
		   "host=x password = ******** user=bob");
	expect("postgresql://h/db?password=s3cret&user=bob", NULL,
		   "postgresql://h/db?password=********&user=bob");
}

static void
test_password_from_conninfo(void **state)
{
	/* a server message that echoes the password verbatim */
	expect("FATAL:  password authentication failed; got s3cret", "host=h password=s3cret",
		   "FATAL:  password authentication failed; got ********");
	expect("oops s3cret", "postgresql://u:s3cret@h/db", "oops ********");
}

static void
test_pgpassword(void **state)
{
	setenv("PGPASSWORD", "s3cret", 1);
	expect("echo s3cret", NULL, "echo ********");
	unsetenv("PGPASSWORD");
}

/* -d's password is overwritten in argv (ps, /proc/PID/cmdline); the copy keeps it */
static void
test_argv_scrubbed(void **state)
{
	static const struct
	{
		const char *arg;
		const char *shown;
	}			cases[] = {
		{"postgresql://bob:s3cret@db.example/x", "postgresql://bob:xxxxxx@db.example/x"},
		{"host=x password=s3cret user=bob", "host=x password=xxxxxx user=bob"},
		{"host=x password = 's3 cret' user=bob", "host=x password = xxxxxxxxx user=bob"},
		{"postgresql://h/db?password=s3cret&user=bob", "postgresql://h/db?password=xxxxxx&user=bob"},
		{"host=x user=bob", "host=x user=bob"},
	};

	for (size_t i = 0; i < lengthof(cases); i++)
	{
		db_options	o;
		char	   *arg = strdup(cases[i].arg);

		db_options_init(&o);
		db_options_set_dbname(&o, arg);
		assert_string_equal(arg, cases[i].shown);
		assert_string_equal(o.dbname, cases[i].arg);
		free(arg);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri),
		cmocka_unit_test(test_keyword_pairs),
		cmocka_unit_test(test_password_from_conninfo),
		cmocka_unit_test(test_pgpassword),
		cmocka_unit_test(test_argv_scrubbed),
	};

	return UNIT_RUN(tests);
}
