/*
 * tests/unit/test_lifecycle.c - the decisions of a writing run's end
 * (lib/run/lifecycle.h), without a database (the store backend's way):
 * its status, exit code and summaries.  Each case runs in a child, since
 * lifecycle_end() closes stdout as the tools want.
 */
#include "unit.h"

#include "base/jsonw.h"
#include "run/lifecycle.h"
#include "base/banned.h"

typedef struct fake
{
	long long	rejected;
	int			after;			/* after_commit's code, or -1: keep */
	bool		text_called;
	char		status[32];
} fake;

static void
counts(void *arg, run_counts *t)
{
	fake	   *f = arg;

	memset(t, 0, sizeof(*t));
	t->read = 10;
	t->inserted = 10 - f->rejected;
	t->rejected = f->rejected;
}

static void
body(void *arg, yajl_gen g)
{
	jsonw_int(g, "tool_field", 42);
}

static void
text(void *arg, const char *status)
{
	fake	   *f = arg;

	f->text_called = true;
	snprintf(f->status, sizeof(f->status), "%s", status);
	fprintf(stdout, "TEXT %s\n", status);
}

static int
after(void *arg, int code)
{
	fake	   *f = arg;

	return f->after >= 0 ? f->after : code;
}

static const lifecycle_ops ops = {counts, body, text, NULL, after};

typedef struct spec
{
	bool		ok;
	long long	rejected;
	int			exit_code;
	int			after_code;
	bool		json;
	bool		dry_run;
} spec;

/* In a child: a run without a database, ended as sp says. */
static void
end_child(void *arg)
{
	const spec *sp = arg;
	lifecycle	lc;
	fake		f = {sp->rejected, sp->after_code, false, ""};

	lifecycle_init(&lc);
	lc.no_database = true;
	lc.ops = &ops;
	lc.arg = &f;
	lc.json = sp->json;
	lc.dry_run = sp->dry_run;
	lc.run.job = "ingest-test";
	lc.run.run_mode = "scheduled";
	lifecycle_begin(&lc, NULL);
	lc.exit_code = sp->exit_code;
	_exit(lifecycle_end(&lc, sp->ok));
}

/* Ends a run in a child; returns the exit code, its stdout into out. */
static int
end_run(bool ok, long long rejected, int exit_code, int after_code, bool json, bool dry_run,
		char *out, size_t size)
{
	spec		sp = {ok, rejected, exit_code, after_code, json, dry_run};

	return unit_in_child(end_child, &sp, STDOUT_FILENO, out, size);
}

static void
test_success(void **state)
{
	char		out[4096];

	assert_int_equal(end_run(true, 0, 0, -1, false, false, out, sizeof(out)), 0);
	assert_string_equal(out, "TEXT ok\n");
	/* rejected records: partial, exit 2 */
	assert_int_equal(end_run(true, 3, 0, -1, false, false, out, sizeof(out)), 2);
	assert_string_equal(out, "TEXT partial\n");
	/* a dry run */
	assert_int_equal(end_run(true, 0, 0, -1, false, true, out, sizeof(out)), 0);
	assert_string_equal(out, "TEXT dry_run\n");
}

static void
test_after_commit(void **state)
{
	char		out[4096];

	/* the dual backend's drift: exit 3, the summary still printed */
	assert_int_equal(end_run(true, 0, 0, AUSDASH_EXIT_DRIFT, false, false, out, sizeof(out)), 3);
	assert_string_equal(out, "TEXT ok\n");
	/* the store could not be written: its code, no success summary */
	assert_int_equal(end_run(true, 0, 0, AUSDASH_EXIT_IOERR, false, false, out, sizeof(out)), 74);
	assert_string_equal(out, "");
	/* not after a dry run */
	assert_int_equal(end_run(true, 0, 0, AUSDASH_EXIT_IOERR, false, true, out, sizeof(out)), 0);
}

static void
test_failure(void **state)
{
	char		out[4096];

	/* the code the run failed with, else 1; no success summary */
	assert_int_equal(end_run(false, 0, AUSDASH_EXIT_DATAERR, -1, false, false, out, sizeof(out)), 65);
	assert_string_equal(out, "");
	assert_int_equal(end_run(false, 0, 0, -1, false, false, out, sizeof(out)), 1);
}

static void
test_json(void **state)
{
	char		out[4096];

	assert_int_equal(end_run(true, 1, 0, -1, true, false, out, sizeof(out)), 2);
	assert_non_null(strstr(out, "TEXT partial\n{\n"));
	assert_non_null(strstr(out, "\"status\": \"partial\",\n"));
	assert_non_null(strstr(out, "\"job\": \"ingest-test\",\n"));
	assert_non_null(strstr(out, "\"run_mode\": \"scheduled\",\n"));
	assert_non_null(strstr(out, "\"dry_run\": false,\n"));
	assert_non_null(strstr(out, "\"duration_ms\": "));
	assert_null(strstr(strstr(out, "\"duration_ms\": ") + 1, "\"duration_ms\""));	/* once */
	assert_non_null(strstr(out, "\"tool_field\": 42\n"));
	assert_null(strstr(out, "\"error\""));
	/* a failed run: its JSON says so, with the error */
	assert_int_equal(end_run(false, 0, AUSDASH_EXIT_DATAERR, -1, true, false, out, sizeof(out)), 65);
	assert_non_null(strstr(out, "\"status\": \"failed\",\n"));
	assert_non_null(strstr(out, "\"error\": "));
	assert_non_null(strstr(out, "\"tool_field\": 42\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_after_commit),
		cmocka_unit_test(test_failure),
		cmocka_unit_test(test_json),
	};

	return UNIT_RUN(tests);
}
