/*
 * tests/unit/test_isotime.c - strict ISO 8601 timestamps.
 */
#include "unit.h"

#include "base/isotime.h"
#include "base/banned.h"

static int64_t
ms(const char *s)
{
	int64_t		v = -42;

	assert_true(isotime_parse(s, strlen(s), &v, NULL));
	return v;
}

static const char *
why(const char *s)
{
	const char *reason = NULL;

	assert_false(isotime_parse(s, strlen(s), NULL, &reason));
	assert_non_null(reason);
	return reason;
}

static void
test_valid(void **state)
{
	assert_int_equal(ms("1970-01-01"), 0);
	assert_int_equal(ms("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(ms("2026-02-27T02:00:00Z"), 1772157600000LL);
	assert_int_equal(ms("2026-03-12T02:40:00.098Z"), 1773283200098LL);
	assert_int_equal(ms("2026-03-12T02:40:00.1Z"), 1773283200100LL);
	assert_int_equal(ms("2026-03-12T02:40:00.123456789Z"), 1773283200123LL);
	/* offsets: the same instant three ways */
	assert_int_equal(ms("2026-03-12T12:40:00+10:00"), ms("2026-03-12T02:40:00Z"));
	assert_int_equal(ms("2026-03-11T21:40:00-0500"), ms("2026-03-12T02:40:00Z"));
	/* no offset means UTC; minutes only */
	assert_int_equal(ms("2026-03-12T02:40"), ms("2026-03-12T02:40:00Z"));
	/* leap day, and a date before the epoch */
	assert_int_equal(ms("2024-02-29"), 1709164800000LL);
	assert_int_equal(ms("1969-12-31T23:59:59.999Z"), -1);
	assert_int_equal(isotime_days_from_civil(2000, 3, 1), 11017);
}

static void
test_invalid(void **state)
{
	assert_string_equal(why("2026-13-01"), "month out of range");
	assert_string_equal(why("2026-02-29"), "day out of range");
	assert_string_equal(why("2026-04-31T00:00:00Z"), "day out of range");
	assert_string_equal(why("2026-01-01T24:00:00Z"), "hour out of range");
	assert_string_equal(why("2026-01-01T23:60:00Z"), "minute out of range");
	assert_string_equal(why("2026-01-01T23:59:60Z"), "second out of range");
	assert_string_equal(why("0000-01-01"), "year out of range");
	why("");
	why("2026");
	why("2026-1-01");
	why("26-01-01");
	why("2026/01/01");
	why("2026-01-01 00:00:00");
	why("2026-01-01T00:00:00ZZ");
	why("2026-01-01T00:00:00.Z");
	why("2026-01-01T00:00:00.1234567890Z");
	why("2026-01-01T00:00:00+25:00");
	why("2026-01-01T00:00:00+10");
	why("2026-Q1");
	why("not a date");
	/* a NUL inside is not accepted */
	assert_false(isotime_parse("2026-01-01\0Z", 12, NULL, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
	};

	return UNIT_RUN(tests);
}
