/*
 * tests/unit/test_digest.c - a record's digest (lib/model/digest.h): equal
 * values give equal digests whatever their notation or their fields'
 * order, a skipped field does not count, and keys are joined with '|'.
 */
#include "unit.h"

#include "model/digest.h"
#include "model/entity.h"
#include "base/sbuf.h"
#include "base/banned.h"

#define F(n, t, v) {n, ENTITY_JSON_##t, v, sizeof(v) - 1, 1, 0}

static uint64_t
digest_of(const entity_field *fields, int n, const char *const *skip)
{
	entity_record rec = {"observations", 0, 1, 0, n, fields, false, 0};

	return digest_record(entity_find("observations"), &rec, skip);
}

static void
test_decimal(void **state)
{
	static const struct
	{
		const char *in;
		const char *out;
	}			cases[] = {
		{"1.50", "1.5"}, {"1.0", "1"}, {"0.10", "0.1"}, {"1e3", "1000"}, {"12.5e-1", "1.25"},
		{"-0.5", "-0.5"}, {"007", "7"}, {"3", "3"},
	};
	sbuf		out;

	sbuf_init(&out);
	for (size_t i = 0; i < lengthof(cases); i++)
	{
		sbuf_reset(&out);
		assert_true(digest_decimal(cases[i].in, strlen(cases[i].in), &out));
		assert_string_equal(out.data, cases[i].out);
	}
	sbuf_reset(&out);
	assert_false(digest_decimal("abc", 3, &out));
	sbuf_release(&out);
}

static void
test_record(void **state)
{
	const entity_field a[] = {
		F("seriesId", STRING, "s"), F("regionCode", STRING, "AU"), F("date", STRING, "2026-01"),
		F("value", NUMBER, "1.50"), F("ingestedAt", STRING, "2026-02-01T00:00:00.000Z"),
	};
	/* the same record: other field order, other notation of the number */
	const entity_field b[] = {
		F("value", NUMBER, "15e-1"), F("date", STRING, "2026-01"), F("regionCode", STRING, "AU"),
		F("seriesId", STRING, "s"), F("ingestedAt", STRING, "2026-02-01T00:00:00.000Z"),
	};
	/* ingested again later */
	const entity_field c[] = {
		F("seriesId", STRING, "s"), F("regionCode", STRING, "AU"), F("date", STRING, "2026-01"),
		F("value", NUMBER, "1.5"), F("ingestedAt", STRING, "2026-03-01T00:00:00.000Z"),
	};
	/* another value */
	const entity_field d[] = {
		F("seriesId", STRING, "s"), F("regionCode", STRING, "AU"), F("date", STRING, "2026-01"),
		F("value", NUMBER, "1.51"), F("ingestedAt", STRING, "2026-02-01T00:00:00.000Z"),
	};
	const char *const skip[] = {"ingestedAt", NULL};

	assert_true(digest_of(a, 5, NULL) == digest_of(b, 5, NULL));
	assert_true(digest_of(a, 5, NULL) != digest_of(c, 5, NULL));
	assert_true(digest_of(a, 5, skip) == digest_of(c, 5, skip));
	assert_true(digest_of(a, 5, skip) != digest_of(d, 5, skip));
	/* a null field is an absent one */
	{
		const entity_field e[] = {
			F("seriesId", STRING, "s"), F("regionCode", STRING, "AU"),
			F("date", STRING, "2026-01"), F("value", NUMBER, "1.5"),
			F("ingestedAt", STRING, "2026-02-01T00:00:00.000Z"), F("unit", NULL, "null"),
		};

		assert_true(digest_of(a, 5, NULL) == digest_of(e, 6, NULL));
	}
}

static void
test_key(void **state)
{
	const entity_field a[] = {
		F("seriesId", STRING, "s"), F("regionCode", STRING, "AU"), F("date", STRING, "2026-01"),
		F("vintage", STRING, "v1"), F("value", NUMBER, "1"),
	};
	entity_record rec = {"observations", 0, 1, 0, 5, a, false, 0};
	sbuf		key;

	sbuf_init(&key);
	digest_key(entity_find("observations"), &rec, &key);
	assert_string_equal(key.data, "s|AU|2026-01|v1");
	sbuf_release(&key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_key),
	};

	return UNIT_RUN(tests);
}
