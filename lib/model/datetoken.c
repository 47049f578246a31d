/*
 * lib/model/datetoken.c - observation date tokens: reading, order and checks.
 */
#include "base/common.h"

#include "model/datetoken.h"
#include "base/isotime.h"
#include "base/log.h"
#include "base/banned.h"

bool
datetoken_ms(const char *t, int64_t *ms)
{
	size_t		len = strlen(t);
	int			y,
				m;

	if (len == 4 && isotime_digits(t, len, 0, 4, &y))
	{
		*ms = isotime_days_from_civil(y, 1, 1) * 86400000LL;
		return true;
	}
	if (len == 7 && isotime_digits(t, len, 0, 4, &y) && t[4] == '-' && t[5] == 'Q' &&
		t[6] >= '1' && t[6] <= '4')
	{
		/* the dashboard's quirk: quarter q is the 1st of month 3q */
		*ms = isotime_days_from_civil(y, 3 * (t[6] - '0'), 1) * 86400000LL;
		return true;
	}
	if (len == 7 && isotime_digits(t, len, 0, 4, &y) && t[4] == '-' && isotime_digits(t, len, 5, 2, &m) &&
		m >= 1 && m <= 12)
	{
		*ms = isotime_days_from_civil(y, m, 1) * 86400000LL;
		return true;
	}
	return isotime_parse(t, len, ms, NULL);
}

int
datetoken_cmp(const char *a, const char *b)
{
	int64_t		ma,
				mb;

	if (datetoken_ms(a, &ma) && datetoken_ms(b, &mb) && ma != mb)
		return ma < mb ? -1 : 1;
	return strcmp(a, b);
}

bool
datetoken_cursor_stays(const char *old, const char *new_cursor, bool allow_rewind)
{
	return old && old[0] && !allow_rewind && datetoken_cmp(new_cursor, old) < 0;
}

const char *
datetoken_impossible(const char *t, size_t len)
{
	int			y,
				m,
				d;
	const char *why = NULL;

	if (len < 7 || !isotime_digits(t, len, 0, 4, &y) || t[4] != '-')
		return NULL;
	if (len == 7 && t[5] == 'Q' && isotime_digits(t, len, 6, 1, &m))
		return m >= 1 && m <= 4 ? NULL : "quarter out of range";
	if (!isotime_digits(t, len, 5, 2, &m))
		return NULL;
	if (len == 7)
		return m >= 1 && m <= 12 ? NULL : "month out of range";
	if (len < 10 || t[7] != '-' || !isotime_digits(t, len, 8, 2, &d) || (len > 10 && t[10] != 'T'))
		return NULL;			/* free text that starts like a date */
	if (!isotime_parse(t, len, NULL, &why))
		return why;
	return NULL;
}

void
datetoken_audit_init(datetoken_audit *a, bool strict)
{
	a->strict = strict;
	a->count = 0;
	sbuf_init(&a->warned);
}

void
datetoken_audit_release(datetoken_audit *a)
{
	sbuf_release(&a->warned);
}

/* Whether series was warned about already; if not, remembers it. */
static bool
warned_before(datetoken_audit *a, const char *series, size_t len)
{
	for (size_t off = 0; off < a->warned.len; off += strlen(a->warned.data + off) + 1)
		if (strlen(a->warned.data + off) == len && memcmp(a->warned.data + off, series, len) == 0)
			return true;
	sbuf_append(&a->warned, series, len);
	sbuf_appendc(&a->warned, '\0');
	return false;
}

bool
datetoken_audit_record(datetoken_audit *a, const entity_record *rec, datetoken_where_fn where,
					   void *arg, sbuf *why)
{
	const entity_field *date = entity_record_field(rec, "date");
	const entity_field *series;
	static const entity_field no_series = {.val = "", .len = 0};
	const char *reason;
	int			shown;

	if (date == NULL || date->type != ENTITY_JSON_STRING ||
		(reason = datetoken_impossible(date->val, date->len)) == NULL)
		return true;
	a->count++;
	shown = (int) (date->len > 40 ? 40 : date->len);
	if (a->strict)
	{
		sbuf_appendf(why, "date \"%.*s\" is not a real date (%s)", shown, date->val, reason);
		return false;
	}
	series = entity_record_field(rec, "seriesId");
	if (series == NULL || series->type != ENTITY_JSON_STRING)
		series = &no_series;
	if (!warned_before(a, series->val, series->len))
	{
		sbuf		at;

		sbuf_init(&at);
		where(&at, arg, rec);
		log_warning("%s: date \"%.*s\" of series \"%.*s\" is not a real date (%s); it "
					"loads as text, which freshness reads as an unknown lag", at.data, shown,
					date->val, (int) series->len, series->val, reason);
		log_detail("Further such dates of this series are counted, not shown; "
				   "--strict-dates rejects them.");
		sbuf_release(&at);
	}
	return true;
}
