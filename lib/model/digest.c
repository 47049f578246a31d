/*
 * lib/model/digest.c - record digests that agree between a store and the
 * database.
 */
#include "base/common.h"

#include "model/digest.h"
#include "base/isotime.h"
#include "base/sha256.h"
#include "base/banned.h"

bool
digest_decimal(const char *s, size_t len, sbuf *out)
{
	char		digits[512];
	int			nd = 0;
	int			point = -1;		/* digits before the decimal point */
	long		exp = 0;
	bool		neg = false;
	size_t		i = 0;
	int			first,
				last,
				intlen;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (; i < len; i++)
	{
		if (s[i] >= '0' && s[i] <= '9')
		{
			if (nd == (int) sizeof(digits))
				return false;
			digits[nd++] = s[i];
		}
		else if (s[i] == '.' && point < 0)
			point = nd;
		else
			break;
	}
	if (nd == 0)
		return false;
	if (point < 0)
		point = nd;
	if (i < len && (s[i] == 'e' || s[i] == 'E'))
	{
		char	   *end;
		char		buf[32];
		size_t		n = len - i - 1;

		if (n == 0 || n >= sizeof(buf))
			return false;
		memcpy(buf, s + i + 1, n);
		buf[n] = '\0';
		exp = strtol(buf, &end, 10);
		if (*end != '\0' || exp > 100000 || exp < -100000)
			return false;
		i = len;
	}
	if (i != len)
		return false;
	intlen = point + (int) exp;	/* digits before the point, after the exponent */
	/* strip leading and trailing zeros of the digit string */
	for (first = 0; first < nd && digits[first] == '0'; first++)
		;
	for (last = nd - 1; last >= first && digits[last] == '0'; last--)
		;
	if (first > last)
	{
		sbuf_appendc(out, '0');
		return true;
	}
	if (neg)
		sbuf_appendc(out, '-');
	if (intlen <= first)
	{
		sbuf_appends(out, "0.");
		for (int k = intlen; k < first; k++)
			sbuf_appendc(out, '0');
		sbuf_append(out, digits + first, last - first + 1);
		return true;
	}
	for (int k = first; k < intlen; k++)
		sbuf_appendc(out, k <= last ? digits[k] : '0');
	if (last >= intlen)
	{
		sbuf_appendc(out, '.');
		sbuf_append(out, digits + intlen, last - intlen + 1);
	}
	return true;
}

bool
digest_skipped(const char *field, const char *const *skip)
{
	for (int i = 0; skip && skip[i]; i++)
		if (strcmp(skip[i], field) == 0)
			return true;
	return false;
}

static uint64_t
first64(const char *text, size_t len)
{
	unsigned char md[SHA256_LEN];
	uint64_t	v = 0;

	if (sha256_raw(text, len, md) != 0)
		return 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | md[i];
	return v;
}

/* Appends "column=" (no printf: this runs for every field of every record). */
static void
append_name(sbuf *out, const char *column)
{
	sbuf_appends(out, column);
	sbuf_appendc(out, '=');
}

static void
append_ll(sbuf *out, long long v)
{
	char		buf[24];
	int			n = sizeof(buf);
	unsigned long long u = v < 0 ? 0 - (unsigned long long) v : (unsigned long long) v;

	do
		buf[--n] = (char) ('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		buf[--n] = '-';
	sbuf_append(out, buf + n, sizeof(buf) - n);
}

uint64_t
digest_record(const entity_desc *d, const entity_record *rec, const char *const *skip)
{
	sbuf		text;
	uint64_t	v;
	int			hint = 0;

	sbuf_init(&text);
	for (int i = 0; i < d->ncolumns; i++)
	{
		const entity_column *c = &d->columns[i];
		const entity_field *f = entity_record_field_next(rec, c->field, &hint);
		size_t		mark = text.len;

		if (f == NULL || f->type == ENTITY_JSON_NULL || digest_skipped(c->field, skip))
			continue;
		append_name(&text, c->column);
		if (c->kind == ENTITY_TIMESTAMP)
		{
			int64_t		ms;

			if (isotime_parse(f->val, f->len, &ms, NULL))
				append_ll(&text, (long long) ms);
			else
				sbuf_append(&text, f->val, f->len);
		}
		else if ((c->kind == ENTITY_NUMERIC || c->kind == ENTITY_INT ||
				  c->kind == ENTITY_COUNT) && f->type == ENTITY_JSON_NUMBER)
		{
			if (!digest_decimal(f->val, f->len, &text))
			{
				text.len = mark;
				append_name(&text, c->column);
				sbuf_append(&text, f->val, f->len);
			}
		}
		else
			sbuf_append(&text, f->val, f->len);
		sbuf_appendc(&text, '\x1f');
	}
	v = first64(text.data ? text.data : "", text.len);
	sbuf_release(&text);
	return v;
}

void
digest_key(const entity_desc *d, const entity_record *rec, sbuf *out)
{
	for (int i = 0; d->key[i]; i++)
	{
		const entity_field *f = entity_record_field(rec, d->key[i]);

		if (i > 0)
			sbuf_appendc(out, '|');
		if (f)
			sbuf_append(out, f->val, f->len);
	}
}
