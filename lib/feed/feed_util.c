/*
 * lib/feed/feed_util.c - CSV rows (libcsv) and JSON trees (yajl) for the feed
 * formats, with the line or path of every error.
 */
#include "base/common.h"

#include <csv.h>

#include "feed/feed_formats.h"
#include "base/jsonparse.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/banned.h"

/* --- CSV ------------------------------------------------------------------ */

typedef struct csv_state
{
	feed	   *f;
	feed_util_row_fn fn;
	void	   *arg;
	long long	line;
	sbuf		fields;			/* the row's fields, NUL-separated */
	size_t		offs[FEED_CSV_MAX_FIELDS];
	size_t		lens[FEED_CSV_MAX_FIELDS];
	char	   *ptrs[FEED_CSV_MAX_FIELDS];
	int			n;
	bool		too_many;
	bool		stop;
} csv_state;

static void
on_field(void *s, size_t len, void *data)
{
	csv_state  *cs = data;

	if (cs->stop)
		return;
	if (cs->n >= FEED_CSV_MAX_FIELDS)
	{
		cs->too_many = true;
		return;
	}
	cs->offs[cs->n] = cs->fields.len;
	cs->lens[cs->n] = len;
	if (len > 0)
		sbuf_append(&cs->fields, s, len);
	sbuf_appendc(&cs->fields, '\0');
	cs->n++;
}

static void
on_row(int c, void *data)
{
	csv_state  *cs = data;

	if (cs->stop)
		return;
	if (cs->too_many)
	{
		feed_fail(cs->f, cs->line, "more than %d fields in a row", FEED_CSV_MAX_FIELDS);
		cs->stop = true;
	}
	else
	{
		for (int i = 0; i < cs->n; i++)
			cs->ptrs[i] = cs->fields.data + cs->offs[i];
		if (!cs->fn(cs->f, cs->arg, cs->line, cs->n, cs->ptrs, cs->lens))
			cs->stop = true;
	}
	cs->n = 0;
	cs->too_many = false;
	sbuf_reset(&cs->fields);
}

bool
feed_util_csv_rows(feed *f, const char *buf, size_t len, feed_util_row_fn fn, void *arg)
{
	struct csv_parser p;
	csv_state  *cs = mem_calloc(1, sizeof(csv_state));
	size_t		pos = 0;
	bool		ok = true;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		log_fatal(AUSDASH_EXIT_SOFTWARE, "could not set up the CSV parser");
	cs->f = f;
	cs->fn = fn;
	cs->arg = arg;
	sbuf_init(&cs->fields);
	while (pos < len && ok && !cs->stop)
	{
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t		n = nl ? (size_t) (nl - (buf + pos)) + 1 : len - pos;

		cs->line++;
		if (csv_parse(&p, buf + pos, n, on_field, on_row, cs) != n)
		{
			feed_fail(f, cs->line, "malformed CSV: %s", csv_strerror(csv_error(&p)));
			ok = false;
		}
		pos += n;
	}
	if (ok && !cs->stop && csv_fini(&p, on_field, on_row, cs) != 0)
	{
		feed_fail(f, cs->line, "malformed CSV: a quoted field is not closed");
		ok = false;
	}
	if (cs->stop)
		ok = false;
	csv_free(&p);
	sbuf_release(&cs->fields);
	free(cs);
	return ok;
}

long long
feed_util_count_lines(const char *buf, size_t len)
{
	long long	n = 0;

	for (size_t i = 0; i < len; i++)
		n += buf[i] == '\n';
	if (len > 0 && buf[len - 1] != '\n')
		n++;
	return n;
}

/* --- JSON ----------------------------------------------------------------- */

yajl_val
feed_util_json_parse(feed *f, const char *buf, size_t len)
{
	jsonparse_error err;
	yajl_val	tree = jsonparse_tree(buf, len, 0, &err);

	if (tree)
		return tree;
	if (err.limit)
		feed_fail(f, err.line, "%s, at byte %zu", err.msg, err.byte);
	else if (err.truncated)
		feed_fail(f, err.line, "invalid JSON: it ends early, at byte %zu", err.byte);
	else
		feed_fail(f, err.line, "invalid JSON at byte %zu: %s", err.byte, err.msg);
	return NULL;
}

yajl_val
feed_util_json_get(yajl_val obj, const char *key)
{
	if (!YAJL_IS_OBJECT(obj))
		return NULL;
	for (size_t i = obj->u.object.len; i > 0; i--)
		if (strcmp(obj->u.object.keys[i - 1], key) == 0)
			return obj->u.object.values[i - 1];
	return NULL;
}

yajl_val
feed_util_json_get2(yajl_val obj, const char *key, const char *alt)
{
	yajl_val	v = feed_util_json_get(obj, key);

	return v ? v : feed_util_json_get(obj, alt);
}

const char *
feed_util_json_type(yajl_val v)
{
	if (v == NULL)
		return "nothing";
	if (YAJL_IS_STRING(v))
		return "a string";
	if (YAJL_IS_NUMBER(v))
		return "a number";
	if (YAJL_IS_OBJECT(v))
		return "an object";
	if (YAJL_IS_ARRAY(v))
		return "an array";
	if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v))
		return "a boolean";
	return "null";
}

yajl_val
feed_util_json_array(feed *f, yajl_val obj, const char *path, const char *key)
{
	yajl_val	v = feed_util_json_get(obj, key);
	char		p[128];

	snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", key);
	if (!YAJL_IS_OBJECT(obj))
	{
		feed_fail_path(f, *path ? path : "(top level)", "expected an object, found %s",
					   feed_util_json_type(obj));
		return NULL;
	}
	if (v == NULL)
	{
		feed_fail_path(f, p, "missing (expected an array)");
		return NULL;
	}
	if (!YAJL_IS_ARRAY(v))
	{
		feed_fail_path(f, p, "expected an array, found %s", feed_util_json_type(v));
		return NULL;
	}
	return v;
}
