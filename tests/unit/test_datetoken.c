/*
 * tests/unit/test_datetoken.c - date tokens: reading, order, impossible
 * dates and the once-per-series audit.
 */
#include "unit.h"

#include "model/datetoken.h"
#include "base/log.h"
#include "base/banned.h"

static void
test_ms(void **state)
{
	int64_t		ms;

	assert_true(datetoken_ms("1970", &ms));
	assert_int_equal(ms, 0);
	assert_true(datetoken_ms("1970-02", &ms));
	assert_int_equal(ms, 31LL * 86400000);
	/* quarter q is the 1st of month 3q, as the dashboard reads it */
	assert_true(datetoken_ms("1970-Q1", &ms));
	assert_int_equal(ms, (31LL + 28) * 86400000);
	assert_true(datetoken_ms("1970-01-02T00:00:00Z", &ms));
	assert_int_equal(ms, 86400000);
	assert_false(datetoken_ms("1970-Q5", &ms));
	assert_false(datetoken_ms("FY2025", &ms));
	assert_true(datetoken_cmp("2025-Q4", "2025-11") > 0);
	assert_true(datetoken_cmp("2025", "2025-01-02") < 0);
	assert_true(datetoken_cmp("abc", "abd") < 0);
}

static void
test_impossible(void **state)
{
	static const struct
	{
		const char *token;
		const char *why;
	}			cases[] = {
		{"2025-02-30", "day out of range"},
		{"2025-02-29", "day out of range"},
		{"2025-13-45", "month out of range"},
		{"2025-13", "month out of range"},
		{"2025-00", "month out of range"},
		{"2025-Q5", "quarter out of range"},
		{"2025-Q0", "quarter out of range"},
		{"2025-04-31T00:00:00Z", "day out of range"},
		{"2025-01-01T24:00:00Z", "hour out of range"},
		/* dates and free text of other shapes are fine */
		{"2024-02-29", NULL},
		{"2025-12", NULL},
		{"2025-Q4", NULL},
		{"2025", NULL},
		{"2025-01-01T00:00:00.000Z", NULL},
		{"FY2025", NULL},
		{"2025-26", "month out of range"},
		{"2025-02-30 (revised)", NULL},
		{"31/02/2025", NULL},
		{"", NULL},
	};

	for (size_t i = 0; i < lengthof(cases); i++)
	{
		const char *got = datetoken_impossible(cases[i].token, strlen(cases[i].token));

		if (cases[i].why == NULL ? got != NULL : got == NULL || strcmp(got, cases[i].why) != 0)
			fail_msg("\"%s\": expected %s, got %s", cases[i].token,
					 cases[i].why ? cases[i].why : "NULL", got ? got : "NULL");
	}
}

static int	wheres;

static void
where(sbuf *out, void *arg, const entity_record *rec)
{
	wheres++;
	sbuf_appendf(out, "record %lld", rec->index);
}

static entity_record
obs(entity_field *f, const char *series, const char *date, long long index)
{
	entity_record rec = {0};

	memset(f, 0, 2 * sizeof(entity_field));
	f[0].name = "seriesId";
	f[0].type = ENTITY_JSON_STRING;
	f[0].val = series;
	f[0].len = strlen(series);
	f[1].name = "date";
	f[1].type = ENTITY_JSON_STRING;
	f[1].val = date;
	f[1].len = strlen(date);
	rec.entity = "observations";
	rec.index = index;
	rec.nfields = 2;
	rec.fields = f;
	return rec;
}

static void
test_audit(void **state)
{
	datetoken_audit a;
	entity_field f[2];
	entity_record rec;
	sbuf		why;

	log_set_level(LOG_LEVEL_OFF);
	sbuf_init(&why);
	datetoken_audit_init(&a, false);
	wheres = 0;
	rec = obs(f, "s1", "2025-02-30", 0);
	assert_true(datetoken_audit_record(&a, &rec, where, NULL, &why));
	rec = obs(f, "s1", "2025-13", 1);
	assert_true(datetoken_audit_record(&a, &rec, where, NULL, &why));
	rec = obs(f, "s2", "2025-Q5", 2);
	assert_true(datetoken_audit_record(&a, &rec, where, NULL, &why));
	rec = obs(f, "s2", "2025-Q4", 3);
	assert_true(datetoken_audit_record(&a, &rec, where, NULL, &why));
	assert_int_equal(a.count, 3);
	assert_int_equal(wheres, 2);	/* one warning per series */
	assert_int_equal(why.len, 0);
	datetoken_audit_release(&a);

	datetoken_audit_init(&a, true);
	rec = obs(f, "s1", "2025-02-30", 0);
	assert_false(datetoken_audit_record(&a, &rec, where, NULL, &why));
	assert_string_equal(why.data, "date \"2025-02-30\" is not a real date (day out of range)");
	assert_int_equal(a.count, 1);
	datetoken_audit_release(&a);
	sbuf_release(&why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ms),
		cmocka_unit_test(test_impossible),
		cmocka_unit_test(test_audit),
	};

	return UNIT_RUN(tests);
}
