/*
 * tests/unit/test_report.c - the four output formats of the monitoring
 * reports and their exit codes (lib/report/report.h), on one small report.
 */
#include "unit.h"

#include "report/report.h"
#include "base/banned.h"

/* 2026-03-01T00:00:00Z */
#define AT_MS 1772323200000LL

typedef struct spec
{
	report_format fmt;
	report_level extra;
	int			more;			/* rows x0, x1, ... at level extra */
} spec;

/* In a child: the report, finished (report_finish() closes stdout). */
static void
build_child(void *arg)
{
	const spec *sp = arg;
	report	   *r = report_new("freshness", sp->fmt, AT_MS);
	int			code;

	report_section(r, "series");
	report_row(r, REPORT_OK);
	report_str(r, "series", "a.b", true);
	report_int(r, "lag_seconds", 60, "ausdash_freshness_lag_seconds", "Age of the latest point.");
	report_thresholds(r, 3600, 10800);
	report_row(r, sp->extra);
	report_str(r, "series", "c.d", true);
	report_int(r, "lag_seconds", 7200, "ausdash_freshness_lag_seconds",
			   "Age of the latest point.");
	for (int i = 0; i < sp->more; i++)
	{
		char		name[16];

		snprintf(name, sizeof(name), "x%d", i);
		report_row(r, sp->extra);
		report_str(r, "series", name, true);
	}
	report_summary(r, "%d of %d series stale", sp->extra != REPORT_OK, 2);
	report_perf(r, "stale", sp->extra != REPORT_OK);
	code = report_finish(r, NULL);
	report_free(&r);
	_exit(r == NULL ? code : 99);
}

/* The report in fmt, its output into out; returns its exit code. */
static int
build(report_format fmt, report_level extra, char *out, size_t size)
{
	spec		sp = {fmt, extra, 0};

	return unit_in_child(build_child, &sp, STDOUT_FILENO, out, size);
}

static void
test_exit_codes(void **state)
{
	char		out[4096];

	assert_int_equal(build(REPORT_TEXT, REPORT_OK, out, sizeof(out)), 0);
	assert_int_equal(build(REPORT_TEXT, REPORT_WARNING, out, sizeof(out)), 1);
	assert_int_equal(build(REPORT_JSON, REPORT_CRITICAL, out, sizeof(out)), 2);
	assert_int_equal(build(REPORT_NAGIOS, REPORT_CRITICAL, out, sizeof(out)), 2);
	/* Prometheus says the level in its samples; the exit code as well */
	assert_int_equal(build(REPORT_PROMETHEUS, REPORT_WARNING, out, sizeof(out)), 1);
}

static void
test_nagios(void **state)
{
	char		out[4096];

	build(REPORT_NAGIOS, REPORT_WARNING, out, sizeof(out));
	/* the first line names the offender; perfdata per item, with unit and thresholds */
	assert_string_equal(out,
						"FRESHNESS WARNING - 1 of 2 series stale: c.d | stale=1 "
						"'series a.b'=60s;3600;10800;0; 'series c.d'=7200s;;;0;\n"
						/* long output: each item that is not OK */
						"WARNING: series c.d lag_seconds=7200\n");
	/* many offenders: three named, the rest counted */
	{
		spec		sp = {REPORT_NAGIOS, REPORT_CRITICAL, 4};

		assert_int_equal(unit_in_child(build_child, &sp, STDOUT_FILENO, out, sizeof(out)), 2);
		assert_non_null(strstr(out, "FRESHNESS CRITICAL - 1 of 2 series stale: c.d, x0, x1, "
							   "and 2 more | "));
		assert_non_null(strstr(out, "\nCRITICAL: series x3\n"));
	}
	build(REPORT_NAGIOS, REPORT_OK, out, sizeof(out));
	assert_string_equal(out, "FRESHNESS OK - 0 of 2 series stale | stale=0 "
						"'series a.b'=60s;3600;10800;0; 'series c.d'=7200s;;;0;\n");
}

static void
test_json(void **state)
{
	char		out[4096];

	build(REPORT_JSON, REPORT_CRITICAL, out, sizeof(out));
	assert_non_null(strstr(out, "\"report\""));
	assert_non_null(strstr(out, "\"freshness\""));
	assert_non_null(strstr(out, "\"status\""));
	assert_non_null(strstr(out, "\"critical\""));
	assert_non_null(strstr(out, "\"series\""));
	assert_non_null(strstr(out, "\"c.d\""));
	assert_non_null(strstr(out, "7200"));
}

static void
test_prometheus(void **state)
{
	char		out[4096];

	build(REPORT_PROMETHEUS, REPORT_OK, out, sizeof(out));
	assert_non_null(strstr(out, "# HELP ausdash_freshness_lag_seconds Age of the latest point."));
	assert_non_null(strstr(out, "# TYPE ausdash_freshness_lag_seconds gauge"));
	assert_non_null(strstr(out, "ausdash_freshness_lag_seconds{series=\"a.b\"} 60"));
	assert_non_null(strstr(out, "ausdash_freshness_lag_seconds{series=\"c.d\"} 7200"));
	/* one HELP line per metric */
	assert_null(strstr(strstr(out, "# HELP ausdash_freshness_lag_seconds") + 1,
					   "# HELP ausdash_freshness_lag_seconds"));
}

static void
test_text(void **state)
{
	char		out[4096];

	build(REPORT_TEXT, REPORT_WARNING, out, sizeof(out));
	assert_non_null(strstr(out, "a.b"));
	assert_non_null(strstr(out, "c.d"));
	assert_non_null(strstr(out, "1 of 2 series stale"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_nagios),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_prometheus),
		cmocka_unit_test(test_text),
	};

	return UNIT_RUN(tests);
}
