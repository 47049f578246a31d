/*
 * tests/unit/test_health.c - when a job's runs make a report warn or go
 * critical (lib/report/health.h), the rule ausdash-freshness and
 * ausdash-runs share.
 */
#include "unit.h"

#include "report/health.h"
#include "base/banned.h"

static void
test_job(void **state)
{
	assert_int_equal(health_job(0, 0), REPORT_OK);
	assert_int_equal(health_job(0, 1), REPORT_WARNING);	/* a crash since the last success */
	assert_int_equal(health_job(1, 0), REPORT_WARNING);
	assert_int_equal(health_job(1, 1), REPORT_WARNING);
	assert_int_equal(health_job(2, 0), REPORT_CRITICAL);
	assert_int_equal(health_job(4, 4), REPORT_CRITICAL);
}

static void
test_success_age(void **state)
{
	/* a daily job (1440 minutes) */
	assert_int_equal(health_success_age(0, 1440), REPORT_OK);
	assert_int_equal(health_success_age(2 * 1440, 1440), REPORT_OK);
	assert_int_equal(health_success_age(2 * 1440 + 1, 1440), REPORT_WARNING);
	assert_int_equal(health_success_age(4 * 1440, 1440), REPORT_WARNING);
	assert_int_equal(health_success_age(4 * 1440 + 1, 1440), REPORT_CRITICAL);
	assert_int_equal(health_success_age(-1, 1440), REPORT_CRITICAL);	/* never */
	/* no cadence known: no judgement */
	assert_int_equal(health_success_age(-1, 0), REPORT_OK);
	assert_int_equal(health_success_age(1000000, -1), REPORT_OK);
}

static void
test_worse(void **state)
{
	assert_int_equal(health_worse(REPORT_OK, REPORT_WARNING), REPORT_WARNING);
	assert_int_equal(health_worse(REPORT_CRITICAL, REPORT_WARNING), REPORT_CRITICAL);
	assert_int_equal(health_worse(REPORT_OK, REPORT_OK), REPORT_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_job),
		cmocka_unit_test(test_success_age),
		cmocka_unit_test(test_worse),
	};

	return UNIT_RUN(tests);
}
