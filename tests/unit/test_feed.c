/*
 * tests/unit/test_feed.c - the feed formats' common parts: numbers as
 * JavaScript prints them, date tokens, NEM time, text checks, and the
 * parsers' placed errors without a database.
 */
#include "unit.h"

#include "feed/feed.h"
#include "feed/feed_registry.h"
#include "base/isotime.h"
#include "base/utf8.h"
#include "base/banned.h"

static const char *
js(double v)
{
	static char buf[64];

	feed_format_double(v, buf, sizeof(buf));
	return buf;
}

static void
test_numbers(void **state)
{
	assert_true(feed_is_decimal("-38.65503", 9));
	assert_true(feed_is_decimal("14160.2889266666666666666666", 28));
	assert_true(feed_is_decimal("1e5", 3));
	assert_true(feed_is_decimal("0.5E-3", 6));
	assert_false(feed_is_decimal("", 0));
	assert_false(feed_is_decimal("+1", 2));
	assert_false(feed_is_decimal("1.", 2));
	assert_false(feed_is_decimal(".5", 2));
	assert_false(feed_is_decimal("1e", 2));
	assert_false(feed_is_decimal("abc", 3));
	assert_false(feed_is_decimal("1,5", 3));
	/* shortest round trip, plain notation where JavaScript uses it */
	assert_string_equal(js((118.0 * 5000 + 99 * 3000 + 132 * 2700 + 136 * 1200 + 103 * 620) /
						   (5000 + 3000 + 2700 + 1200 + 620)), "117.44888178913737");
	assert_string_equal(js(125), "125");
	assert_string_equal(js(0.1 + 0.2), "0.30000000000000004");
	assert_string_equal(js(27300000000.0), "27300000000");
	assert_string_equal(js(1998.2), "1998.2");
	assert_string_equal(js(-0.000001), "-0.000001");
	assert_string_equal(js(0), "0");
	assert_string_equal(js(1e21), "1e+21");
	assert_string_equal(js(449.00000000000006), "449.00000000000006");
}

static void
test_tokens(void **state)
{
	int64_t		ms;
	char		out[25];

	/* the dashboard's quirk: 2025-Q4 is 2025-12-01 */
	{
		int64_t		q;

		assert_true(datetoken_ms("2025-Q4", &q));
		assert_true(datetoken_ms("2025-12-01", &ms));
		assert_int_equal(q, ms);
	}
	assert_true(datetoken_ms("2024", &ms));
	assert_true(datetoken_ms("2024-06", &ms));
	assert_false(datetoken_ms("2025-Q5", &ms));
	assert_false(datetoken_ms("2025-S2", &ms));
	assert_true(datetoken_cmp("2025-Q4", "2025-11-30") > 0);
	assert_true(datetoken_cmp("2026-02-27T02:00:00Z", "2026-02-27T01:55:00Z") > 0);
	assert_true(datetoken_cmp("2026-02-27T12:00:00+10:00", "2026-02-27T02:00:00Z") > 0 ||
				datetoken_cmp("2026-02-27T12:00:00+10:00", "2026-02-27T02:00:00Z") < 0);
	assert_true(datetoken_cmp("not a date", "2026") > 0);
	assert_int_equal(datetoken_cmp("2025-12-31", "2025-12-31"), 0);

	/* NEM time is +10:00 all year */
	assert_true(feed_nem_to_utc("2024/03/15 19:45:00", 19, out));
	assert_string_equal(out, "2024-03-15T09:45:00Z");
	assert_true(feed_nem_to_utc("2018-04-01T00:05:00", 19, out));
	assert_string_equal(out, "2018-03-31T14:05:00Z");
	assert_true(feed_nem_to_utc("2024/01/01 05:00:00", 19, out));
	assert_string_equal(out, "2023-12-31T19:00:00Z");
	assert_false(feed_nem_to_utc("2024/02/30 00:00:00", 19, out));
	assert_false(feed_nem_to_utc("2024/03/15 19:45", 16, out));
	assert_false(feed_nem_to_utc("2024/03-15 19:45:00", 19, out));
	isotime_format(1773283200098LL, false, out);
	assert_string_equal(out, "2026-03-12T02:40:00.098Z");
}

static void
test_text(void **state)
{
	sbuf		out;

	assert_int_equal(utf8_invalid("plain", 5), -1);
	assert_int_equal(utf8_invalid("en \xe2\x80\x93 dash", 11), -1);
	assert_int_equal(utf8_invalid("en \x96 dash", 9), 3);
	assert_int_equal(utf8_invalid("\xc0\xaf", 2), 0);	/* overlong */
	assert_int_equal(utf8_invalid("\xed\xa0\x80", 3), 0);	/* surrogate */
	assert_int_equal(utf8_invalid("ab\xe2\x80", 4), 2);	/* cut short */
	/* past the eight-bytes-at-a-time ASCII path, and straddling it */
	assert_int_equal(utf8_invalid("0123456789abcdef\xed\xa0\x80", 19), 16);
	assert_int_equal(utf8_invalid("0123456\xc3\xa9" "890123456\xff", 19), 18);
	assert_int_equal(utf8_invalid("0123456\xc3\xa9" "890123456x", 19), -1);
	/* a bad byte at every place of strings of every short length */
	for (size_t len = 1; len <= 24; len++)
		for (size_t at = 0; at < len; at++)
		{
			char		s[24];

			memset(s, 'a', len);
			s[at] = (char) 0x80;
			assert_int_equal(utf8_invalid(s, len), (long long) at);
			s[at] = 'z';
			assert_int_equal(utf8_invalid(s, len), -1);
		}
	assert_int_equal(utf8_invalid("", 0), -1);
	sbuf_init(&out);
	/* genuine UTF-8 stays, the 1252 bytes around it are decoded */
	feed_cp1252_to_utf8("\xb0 \xc2\xb0" "C \x96", 7, &out);
	assert_string_equal(out.data, "\xc2\xb0 \xc2\xb0" "C \xe2\x80\x93");
	sbuf_reset(&out);
	feed_cp1252_to_utf8("a\x96z\xe9\x80", 5, &out);
	assert_string_equal(out.data, "a\xe2\x80\x93z\xc3\xa9\xe2\x82\xac");
	sbuf_release(&out);
}

/* --- the parsers, with a collecting emit ----------------------------------- */

typedef struct collected
{
	int			n;
	char		last[512];
	int			rejects;
	bool		allow;
} collected;

static bool
collect(void *arg, const entity_record *rec)
{
	collected  *c = arg;

	c->n++;
	c->last[0] = '\0';
	for (int i = 0; i < rec->nfields; i++)
		snprintf(c->last + strlen(c->last), sizeof(c->last) - strlen(c->last), "%s=%s;",
				 rec->fields[i].name, rec->fields[i].val);
	return true;
}

static bool
reject(void *arg, const char *where, long long line, const char *path, const char *reason)
{
	collected  *c = arg;

	c->rejects++;
	return c->allow;
}

static bool
parse(const char *format, const char *payload, collected *c, sbuf *error)
{
	feed		f;
	bool		ok;

	feed_init(&f, "aemo_wholesale", "p", "2026-03-12T02:40:00.098Z");
	f.emit = collect;
	f.reject = reject;
	f.arg = c;
	ok = feed_parse(&f, feed_registry_format(format), payload, strlen(payload));
	sbuf_reset(error);
	sbuf_appends(error, f.error.data);
	feed_release(&f);
	return ok;
}

static void
test_parsers(void **state)
{
	collected	c = {0};
	sbuf		err;

	sbuf_init(&err);
	assert_true(parse("wholesale-csv", "SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND\r\n"
					  "2026-02-27T02:00:00Z,NSW1,150,4000\r\n"
					  "2026-02-27T02:00:00Z,VIC1,100,4000\r\n", &c, &err));
	assert_int_equal(c.n, 3);
	assert_non_null(strstr(c.last, "seriesId=energy.wholesale.rrp.region_aud_mwh;regionCode=VIC;"));
	assert_non_null(strstr(c.last, "ingestedAt=2026-03-12T02:40:00.098Z;vintage=2026-03-12;"));

	/* a bad row: placed, and skipped when the budget allows */
	memset(&c, 0, sizeof(c));
	assert_false(parse("wholesale-csv", "SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND\n"
					   "2026-02-27T02:00:00Z,NSW1,x,4000\n", &c, &err));
	assert_string_equal(err.data, "\"p\", line 2: RRP \"x\" is not a number");
	c.allow = true;
	c.rejects = 0;
	assert_true(parse("wholesale-csv", "SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND\n"
					  "2026-02-27T02:00:00Z,NSW1,x,4000\n2026-02-27T02:05:00Z,NSW1,5,4000\n",
					  &c, &err));
	assert_int_equal(c.rejects, 1);
	assert_int_equal(c.n, 2);	/* NSW and AU at 02:05; nothing at 02:00 */

	memset(&c, 0, sizeof(c));
	assert_false(parse("aemo-mms", "C,NEMP.WORLD,TRADINGIS\r\nI,TRADING,PRICE,3,SETTLEMENTDATE,REGIONID,RRP\r\n"
					   "D,TRADING,PRICE,3,\"2024/03/03 13:35:00\",SA1,-63.45\r\n"
					   "C,\"END OF REPORT\",5\r\n", &c, &err));
	assert_string_equal(err.data, "\"p\", line 4: END OF REPORT counts 5 lines but the file "
						"has 4: it is truncated or altered");
	assert_false(parse("aemo-mms", "C,NEMP.WORLD,TRADINGIS\nD,TRADING,PRICE,3,a\n", &c, &err));
	assert_string_equal(err.data, "\"p\", line 2: D row of table TRADING,PRICE,3 before its I row");
	assert_false(parse("aer-prd-json", "{\"data\":[}", &c, &err));
	assert_non_null(strstr(err.data, "\"p\", line 1: invalid JSON at byte 9: "));
	assert_false(parse("rba-table", "F1 X,,\nTitle,a,\n01/01/2020,1,\n", &c, &err));
	assert_string_equal(err.data, "\"p\", line 3: a data row before the Series ID row");
	assert_false(parse("csv", "seriesId,colour\n", &c, &err));
	assert_non_null(strstr(err.data, "\"p\", line 1: unknown column \"colour\""));
	assert_false(parse("ndjson", "", &c, &err));
	assert_string_equal(err.data, "\"p\": the payload is empty");
	sbuf_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_parsers),
	};

	return UNIT_RUN(tests);
}
