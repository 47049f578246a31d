/*
 * tests/unit/test_opt.c - option value parsing.
 */
#include "unit.h"

#include "base/log.h"
#include "cli/opt.h"
#include "base/banned.h"

static void
test_parse_int(void **state)
{
	int			v = -7;

	assert_true(opt_parse_int("42", "--n", 0, 100, &v));
	assert_int_equal(v, 42);
	assert_true(opt_parse_int("0", "--n", 0, 100, &v));
	assert_int_equal(v, 0);
	assert_true(opt_parse_int("100 ", "--n", 0, 100, &v));
	assert_int_equal(v, 100);
	v = -7;
	assert_false(opt_parse_int("101", "--n", 0, 100, &v));
	assert_false(opt_parse_int("-1", "--n", 0, 100, &v));
	assert_false(opt_parse_int("", "--n", 0, 100, &v));
	assert_false(opt_parse_int("12abc", "--n", 0, 100, &v));
	assert_false(opt_parse_int("abc", "--n", 0, 100, &v));
	assert_false(opt_parse_int("99999999999999999999", "--n", 0, 100, &v));
	assert_int_equal(v, -7);	/* untouched on failure */
}

static void
test_parse_duration(void **state)
{
	long		ms = -1;

	assert_true(opt_parse_duration_ms("250", "--t", 1, 100000, &ms));
	assert_int_equal(ms, 250);
	assert_true(opt_parse_duration_ms("30", "--t", 1000, 100000, &ms));
	assert_int_equal(ms, 30000);
	assert_true(opt_parse_duration_ms("5s", "--t", 1, 100000, &ms));
	assert_int_equal(ms, 5000);
	assert_true(opt_parse_duration_ms("1min", "--t", 1, 100000, &ms));
	assert_int_equal(ms, 60000);
	assert_true(opt_parse_duration_ms("15ms", "--t", 1000, 100000, &ms));
	assert_int_equal(ms, 15);
	ms = -1;
	assert_false(opt_parse_duration_ms("2h", "--t", 1, 100000, &ms));	/* too big */
	assert_false(opt_parse_duration_ms("5 s", "--t", 1, 100000, &ms));
	assert_false(opt_parse_duration_ms("5days", "--t", 1, 100000, &ms));
	assert_false(opt_parse_duration_ms("-5", "--t", 1, 100000, &ms));
	assert_false(opt_parse_duration_ms("s", "--t", 1, 100000, &ms));
	assert_int_equal(ms, -1);

	/* PostgreSQL's units: us and d too; m is not minutes */
	assert_true(opt_parse_duration_ms("2d", "--t", 1, 3L * 86400000L, &ms));
	assert_int_equal(ms, 2L * 86400000L);
	assert_true(opt_parse_duration_ms("2500us", "--t", 1, 100000, &ms));
	assert_int_equal(ms, 2);
	assert_true(opt_parse_duration_ms("7d", "--t", 60000, 3650L * 86400000L, &ms));
	assert_int_equal(ms, 7L * 86400000L);
	assert_false(opt_parse_duration_ms("30m", "--t", 1, 100000000, &ms));
	assert_false(opt_parse_duration_ms("4d", "--t", 1, 3L * 86400000L, &ms));	/* too big */
	assert_int_equal(ms, 7L * 86400000L);	/* failures leave it */
}

static void
test_parse_instant(void **state)
{
	static const struct
	{
		const char *in;
		long long	ms;
	}			ok[] = {
		{"2026-02-28T02:05:00Z", 1772244300000LL},
		{"2026-02-28 02:05:00Z", 1772244300000LL},
		{"2026-02-28t02:05:00z", -1},	/* a lower-case t is not ISO 8601's */
		{"2026-02-28T02:05:00z", 1772244300000LL},
		{"2026-02-28 12:05:00+10", 1772244300000LL},
		{"2026-02-28 12:05:00+10:00", 1772244300000LL},
		{"2026-02-28T12:05:00+1000", 1772244300000LL},
		{"2026-02-27 23:05:00-03", 1772244300000LL},
		{"2026-02-28 02:05:00", 1772244300000LL},	/* no offset: UTC */
		{"2026-02-28", 1772236800000LL},
		{"2026-02-30 00:00:00Z", -1},
		{"yesterday", -1},
	};

	for (size_t i = 0; i < lengthof(ok); i++)
	{
		int64_t		ms = 0;
		bool		parsed = opt_parse_instant(ok[i].in, "--at", &ms);

		if (ok[i].ms < 0)
			assert_false(parsed);
		else
		{
			assert_true(parsed);
			assert_int_equal(ms, ok[i].ms);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_int),
		cmocka_unit_test(test_parse_duration),
		cmocka_unit_test(test_parse_instant),
	};

	log_init("test_opt");
	log_set_level(LOG_LEVEL_OFF);
	return UNIT_RUN(tests);
}
