/*
 * lib/feed/feed.c - the common part of the feed formats: the parse driver,
 * the observation builder, placed errors, numbers and NEM time.
 */
#include "base/common.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <time.h>

#include "feed/feed.h"
#include "feed/feed_formats.h"
#include "base/isotime.h"
#include "base/log.h"
#include "base/utf8.h"
#include "base/banned.h"

void
feed_init(feed *f, const char *source_id, const char *name, const char *as_of)
{
	memset(f, 0, sizeof(*f));
	f->source_id = source_id;
	f->name = name;
	f->as_of = as_of;
	snprintf(f->as_of_date, sizeof(f->as_of_date), "%.10s", as_of);
	f->check_footer = true;
	sbuf_init(&f->error);
	sbuf_init(&f->arena);
}

void
feed_release(feed *f)
{
	sbuf_release(&f->error);
	sbuf_release(&f->arena);
}

bool
feed_parse(feed *f, const feed_format *fmt, const char *buf, size_t len)
{
	const char *bom;
	size_t		bom_len;

	sbuf_reset(&f->error);
	f->rejected_stop = false;
	if (len == 0)
		return feed_fail(f, 0, "the payload is empty");
	if ((bom = feed_bom(buf, len, &bom_len)) != NULL)
	{
		/* as spreadsheet exports write it; the stored payload keeps it */
		if (strcmp(bom, "UTF-8") != 0)
			return feed_fail(f, 1, "the payload starts with a %s byte-order mark; ausdash "
							 "reads UTF-8 (convert it first, e.g. with iconv -f %s -t UTF-8)",
							 bom, bom);
		log_info("\"%s\": skipping a UTF-8 byte-order mark", f->name);
		buf += bom_len;
		len -= bom_len;
		if (len == 0)
			return feed_fail(f, 0, "the payload is empty (a byte-order mark only)");
	}
	if (!fmt->parse(f, buf, len))
	{
		if (f->error.len == 0)
			feed_fail(f, 0, "the %s parser stopped", fmt->name);
		return false;
	}
	return true;
}

/* --- errors -------------------------------------------------------------- */

static void
where(feed *f, sbuf *out, long long line, const char *path)
{
	sbuf_appendf(out, "\"%s\"", f->name);
	if (line > 0)
		sbuf_appendf(out, ", line %lld", line);
	if (path && *path)
		sbuf_appendf(out, ": %s", path);
}

static bool
vfail(feed *f, long long line, const char *path, const char *fmt, va_list ap)
{
	sbuf_reset(&f->error);
	where(f, &f->error, line, path);
	sbuf_appends(&f->error, ": ");
	sbuf_vappendf(&f->error, fmt, ap);
	return false;
}

bool
feed_fail(feed *f, long long line, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vfail(f, line, NULL, fmt, ap);
	va_end(ap);
	return false;
}

bool
feed_fail_path(feed *f, const char *path, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vfail(f, 0, path, fmt, ap);
	va_end(ap);
	return false;
}

bool
feed_bad_row(feed *f, long long line, const char *path, const char *fmt,...)
{
	va_list		ap;
	sbuf		at;
	sbuf		reason;
	bool		go_on;

	sbuf_init(&at);
	sbuf_init(&reason);
	where(f, &at, line, path);
	va_start(ap, fmt);
	sbuf_vappendf(&reason, fmt, ap);
	va_end(ap);
	go_on = f->reject && f->reject(f->arg, at.data, line, path, reason.data);
	if (!go_on)
	{
		sbuf_reset(&f->error);
		sbuf_appendf(&f->error, "%s: %s", at.data, reason.data);
		f->rejected_stop = f->reject != NULL;
	}
	sbuf_release(&at);
	sbuf_release(&reason);
	return go_on;
}

/* --- the observation builder ---------------------------------------------- */

void
feed_obs_begin(feed *f, long long line)
{
	f->nfields = 0;
	f->line = line;
	f->nonfinite = NULL;
	sbuf_reset(&f->arena);
}

static void
add_field(feed *f, const char *name, entity_json_type type, const char *val, size_t len)
{
	entity_field *fld;

	if (f->nfields >= FEED_MAX_FIELDS)
		log_fatal(AUSDASH_EXIT_SOFTWARE, "more than %d fields in one observation",
				  FEED_MAX_FIELDS);
	fld = &f->fields[f->nfields];
	memset(fld, 0, sizeof(*fld));
	fld->name = name;
	fld->type = type;
	fld->len = len;
	fld->line = (uint64_t) (f->line > 0 ? f->line : 0);
	f->offs[f->nfields] = f->arena.len;
	sbuf_append(&f->arena, val, len);
	sbuf_appendc(&f->arena, '\0');
	f->nfields++;
}

void
feed_obs_strn(feed *f, const char *name, const char *val, size_t len)
{
	add_field(f, name, ENTITY_JSON_STRING, val, len);
}

void
feed_obs_str(feed *f, const char *name, const char *val)
{
	add_field(f, name, ENTITY_JSON_STRING, val, strlen(val));
}

void
feed_obs_num(feed *f, const char *name, const char *text)
{
	add_field(f, name, ENTITY_JSON_NUMBER, text, strlen(text));
}

void
feed_obs_double(feed *f, const char *name, double v)
{
	char		buf[64];

	if (!isfinite(v))
	{
		if (f->nonfinite == NULL)
			f->nonfinite = name;
		v = 0;
	}
	feed_format_double(v, buf, sizeof(buf));
	add_field(f, name, ENTITY_JSON_NUMBER, buf, strlen(buf));
}

void
feed_obs_bool(feed *f, const char *name, bool v)
{
	add_field(f, name, ENTITY_JSON_BOOL, v ? "true" : "false", v ? 4 : 5);
}

bool
feed_obs_emit(feed *f)
{
	entity_record rec = {0};

	if (f->nonfinite)
	{
		const char *series = "";
		const char *date = "";

		for (int i = 0; i < f->nfields; i++)
		{
			const char *v = f->arena.data + f->offs[i];

			if (strcmp(f->fields[i].name, "seriesId") == 0)
				series = v;
			else if (strcmp(f->fields[i].name, "date") == 0)
				date = v;
		}
		return feed_bad_row(f, f->line, NULL, "the computed %s of %s at %s is not a finite "
							"number (its inputs overflow a double)", f->nonfinite, series, date);
	}
	for (int i = 0; i < f->nfields; i++)
	{
		f->fields[i].val = f->arena.data + f->offs[i];
		if (strcmp(f->fields[i].name, "date") == 0 && f->fields[i].len < FEED_TOKEN_MAX &&
			(f->cursor[0] == '\0' || datetoken_cmp(f->fields[i].val, f->cursor) > 0))
			snprintf(f->cursor, sizeof(f->cursor), "%s", f->fields[i].val);
	}
	rec.entity = "observations";
	rec.index = f->next_index++;
	rec.line = (uint64_t) (f->line > 0 ? f->line : 0);
	rec.nfields = f->nfields;
	rec.fields = f->fields;
	f->emitted++;
	return f->emit(f->arg, &rec);
}

void
feed_obs_common(feed *f, const char *source_name, const char *source_url,
				const char *vintage, bool modeled)
{
	feed_obs_str(f, "sourceName", source_name);
	feed_obs_str(f, "sourceUrl", f->source_url ? f->source_url : source_url);
	feed_obs_str(f, "ingestedAt", f->as_of);
	feed_obs_str(f, "vintage", vintage ? vintage : f->as_of_date);
	feed_obs_bool(f, "isModeled", modeled);
	feed_obs_str(f, "confidence", modeled ? "derived" : "official");
}

/* --- numbers ------------------------------------------------------------- */

bool
feed_is_decimal(const char *s, size_t len)
{
	size_t		i = 0;
	size_t		digits = 0;

	if (i < len && s[i] == '-')
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (i < len && s[i] == '.')
	{
		size_t		frac = 0;

		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, frac++;
		if (frac == 0)
			return false;
	}
	if (digits == 0)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E'))
	{
		size_t		exp = 0;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, exp++;
		if (exp == 0)
			return false;
	}
	return i == len;
}

bool
feed_decimal_value(const char *s, size_t len, double *v)
{
	char		buf[128];
	char	   *end;

	if (!feed_is_decimal(s, len) || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*v = strtod(buf, &end);
	return errno == 0 && *end == '\0' && isfinite(*v);
}

/*
 * Rewrites "d.ddde[+-]x" (from %g) in plain notation when JavaScript would
 * (1e-7 <= |v| < 1e21).
 */
static void
plain_notation(char *buf, size_t size)
{
	char		digits[32];
	int			nd = 0;
	int			exp;
	char	   *e = strchr(buf, 'e');
	bool		neg = buf[0] == '-';
	char		out[64];
	size_t		o = 0;

	if (e == NULL)
		return;
	exp = (int) strtol(e + 1, NULL, 10);
	if (exp < -7 || exp >= 21)
		return;
	for (char *p = buf + neg; p < e && nd < (int) sizeof(digits); p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	if (neg)
		out[o++] = '-';
	if (exp < 0)
	{
		out[o++] = '0';
		out[o++] = '.';
		for (int i = 0; i < -exp - 1; i++)
			out[o++] = '0';
		for (int i = 0; i < nd; i++)
			out[o++] = digits[i];
	}
	else
	{
		for (int i = 0; i <= exp || i < nd; i++)
		{
			if (i == exp + 1)
				out[o++] = '.';
			out[o++] = i < nd ? digits[i] : '0';
		}
	}
	out[o] = '\0';
	snprintf(buf, size, "%s", out);
}

void
feed_format_double(double v, char *buf, size_t size)
{
	if (v == 0)
	{
		snprintf(buf, size, "0");
		return;
	}
	for (int prec = 1; prec <= 17; prec++)
	{
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	plain_notation(buf, size);
}

/* --- dates --------------------------------------------------------------- */

bool
feed_nem_to_utc(const char *s, size_t len, char out[21])
{
	int			y,
				mo,
				d,
				h,
				mi,
				se;
	char		iso[64];
	int64_t		ms;
	char		full[25];

	if (len != 19 || (s[4] != '/' && s[4] != '-') || s[7] != s[4] ||
		(s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' ||
		!isotime_digits(s, len, 0, 4, &y) || !isotime_digits(s, len, 5, 2, &mo) ||
		!isotime_digits(s, len, 8, 2, &d) ||
		!isotime_digits(s, len, 11, 2, &h) || !isotime_digits(s, len, 14, 2, &mi) ||
		!isotime_digits(s, len, 17, 2, &se))
		return false;
	snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, se);
	if (!isotime_parse(iso, strlen(iso), &ms, NULL))
		return false;
	isotime_format(ms - 10 * 3600 * 1000LL, false, full);
	snprintf(out, 21, "%.19sZ", full);
	return true;
}

/* --- text ---------------------------------------------------------------- */

const char *
feed_bom(const char *buf, size_t len, size_t *bom_len)
{
	static const struct
	{
		const char *name;
		const char *bytes;
		size_t		len;
	}			boms[] = {
		/* UTF-32LE first: its mark begins with UTF-16LE's */
		{"UTF-32LE", "\xFF\xFE\x00\x00", 4},
		{"UTF-32BE", "\x00\x00\xFE\xFF", 4},
		{"UTF-8", "\xEF\xBB\xBF", 3},
		{"UTF-16LE", "\xFF\xFE", 2},
		{"UTF-16BE", "\xFE\xFF", 2},
	};

	for (size_t i = 0; i < lengthof(boms); i++)
		if (len >= boms[i].len && memcmp(buf, boms[i].bytes, boms[i].len) == 0)
		{
			*bom_len = boms[i].len;
			return boms[i].name;
		}
	*bom_len = 0;
	return NULL;
}

/* Windows-1252 0x80..0x9F; the five undefined bytes map to C1 controls. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178
};

void
feed_cp1252_to_utf8(const char *buf, size_t len, sbuf *out)
{
	const unsigned char *s = (const unsigned char *) buf;

	for (size_t i = 0; i < len;)
	{
		size_t		n = utf8_seq(buf + i, len - i);
		uint32_t	cp;

		/* what is UTF-8 stays so: one 1252 byte does not turn "°C" into "Â°C" */
		if (n > 0)
		{
			sbuf_append(out, buf + i, n);
			i += n;
			continue;
		}
		cp = s[i] >= 0x80 && s[i] < 0xA0 ? cp1252_high[s[i] - 0x80] : s[i];
		i++;
		if (cp < 0x800)
		{
			sbuf_appendc(out, (char) (0xC0 | (cp >> 6)));
			sbuf_appendc(out, (char) (0x80 | (cp & 0x3F)));
		}
		else
		{
			sbuf_appendc(out, (char) (0xE0 | (cp >> 12)));
			sbuf_appendc(out, (char) (0x80 | ((cp >> 6) & 0x3F)));
			sbuf_appendc(out, (char) (0x80 | (cp & 0x3F)));
		}
	}
}
