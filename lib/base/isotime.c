/*
 * lib/base/isotime.c - strict parsing of the ISO 8601 timestamps in the store.
 */
#include "base/common.h"

#include <time.h>

#include "base/isotime.h"
#include "base/banned.h"

bool
isotime_digits(const char *s, size_t len, size_t pos, int n, int *out)
{
	int			v = 0;

	if (pos + (size_t) n > len)
		return false;
	for (int i = 0; i < n; i++)
	{
		char		c = s[pos + i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*out = v;
	return true;
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int64_t
isotime_days_from_civil(int year, int month, int day)
{
	/* Howard Hinnant's days_from_civil */
	int64_t		y = (int64_t) year - (month <= 2);
	int64_t		era = (y >= 0 ? y : y - 399) / 400;
	int64_t		yoe = y - era * 400;
	int64_t		doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static bool
fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return false;
}

bool
isotime_parse(const char *s, size_t len, int64_t *epoch_ms, const char **why)
{
	int			year, month, day;
	int			hour = 0, minute = 0, second = 0, millis = 0;
	int			offset_min = 0;
	size_t		pos;

	if (!isotime_digits(s, len, 0, 4, &year) || len < 10 || s[4] != '-' ||
		!isotime_digits(s, len, 5, 2, &month) || s[7] != '-' ||
		!isotime_digits(s, len, 8, 2, &day))
		return fail(why, "expected an ISO 8601 date (YYYY-MM-DD)");
	if (year < 1)
		return fail(why, "year out of range");
	if (month < 1 || month > 12)
		return fail(why, "month out of range");
	if (day < 1 || day > days_in_month(year, month))
		return fail(why, "day out of range");
	pos = 10;
	if (pos < len)
	{
		if (s[pos] != 'T' || !isotime_digits(s, len, pos + 1, 2, &hour) ||
			pos + 3 >= len || s[pos + 3] != ':' ||
			!isotime_digits(s, len, pos + 4, 2, &minute))
			return fail(why, "expected a time (THH:MM) after the date");
		pos += 6;
		if (pos < len && s[pos] == ':')
		{
			if (!isotime_digits(s, len, pos + 1, 2, &second))
				return fail(why, "expected two digits of seconds");
			pos += 3;
			if (pos < len && s[pos] == '.')
			{
				int			n = 0;

				pos++;
				while (pos < len && s[pos] >= '0' && s[pos] <= '9')
				{
					if (n < 3)
						millis = millis * 10 + (s[pos] - '0');
					n++;
					pos++;
				}
				if (n == 0 || n > 9)
					return fail(why, "expected 1 to 9 digits of fraction");
				for (; n < 3; n++)
					millis *= 10;
			}
		}
		if (hour > 23)
			return fail(why, "hour out of range");
		if (minute > 59)
			return fail(why, "minute out of range");
		if (second > 59)
			return fail(why, "second out of range");
		if (pos < len)
		{
			if (s[pos] == 'Z')
				pos++;
			else if (s[pos] == '+' || s[pos] == '-')
			{
				int			oh, om;
				int			sign = s[pos] == '-' ? -1 : 1;

				if (!isotime_digits(s, len, pos + 1, 2, &oh))
					return fail(why, "expected a UTC offset (+HH:MM)");
				pos += 3;
				if (pos < len && s[pos] == ':')
					pos++;
				if (!isotime_digits(s, len, pos, 2, &om))
					return fail(why, "expected a UTC offset (+HH:MM)");
				pos += 2;
				if (oh > 23 || om > 59)
					return fail(why, "UTC offset out of range");
				offset_min = sign * (oh * 60 + om);
			}
			if (pos != len)
				return fail(why, "unexpected characters after the time");
		}
	}
	if (epoch_ms)
		*epoch_ms = ((isotime_days_from_civil(year, month, day) * 86400 +
					  hour * 3600 + minute * 60 + second - offset_min * 60) * 1000)
			+ millis;
	return true;
}

void
isotime_format(int64_t ms, bool drop_zero_ms, char out[25])
{
	time_t		secs = (time_t) (ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	int			frac = (int) (ms - (int64_t) secs * 1000);
	struct tm	tm;
	char		buf[64];

	gmtime_r(&secs, &tm);
	if (drop_zero_ms && frac == 0)
		snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
				 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	else
		snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
				 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
	memcpy(out, buf, 24);
	out[24] = '\0';
}
