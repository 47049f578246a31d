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
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_int),
		cmocka_unit_test(test_parse_duration),
	};

	log_init("test_opt");
	log_set_level(LOG_LEVEL_OFF);
	return UNIT_RUN(tests);
}
