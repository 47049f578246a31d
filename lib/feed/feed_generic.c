/*
 * lib/feed/feed_generic.c - observations as they are in the store, one per
 * NDJSON line or CSV row, with the store's field names
 * (aus-dash-reference.md section 1).  They are checked like a store's
 * records; ingestedAt, when absent, is the capture time.  In CSV an empty
 * cell is an absent field, "value" is a number and "isModeled" is true or
 * false.
 */
#include "base/common.h"

#include "feed/feed_formats.h"
#include "base/jsonparse.h"
#include "base/mem.h"
#include "base/banned.h"

static bool
has_field(const feed *f, const char *name)
{
	for (int i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return true;
	return false;
}

/* --- NDJSON ----------------------------------------------------------------- */

static bool
ndjson_line(feed *f, long long line, const char *s, size_t len)
{
	jsonparse_error err;
	yajl_val	v = jsonparse_tree(s, len, 0, &err);
	bool		ok;

	if (v == NULL)
		return feed_bad_row(f, line, NULL, "%s at byte %zu of the line: %s",
							err.limit ? "refused" : "invalid JSON", err.byte,
							err.truncated ? "it ends early" : err.msg);
	if (!YAJL_IS_OBJECT(v))
	{
		ok = feed_bad_row(f, line, NULL, "expected an object, found %s", feed_util_json_type(v));
		yajl_tree_free(v);
		return ok;
	}
	feed_obs_begin(f, line);
	for (size_t i = 0; i < v->u.object.len && i < FEED_MAX_FIELDS - 1; i++)
	{
		const char *k = v->u.object.keys[i];
		yajl_val	x = v->u.object.values[i];

		if (YAJL_IS_STRING(x))
			feed_obs_str(f, k, x->u.string);
		else if (YAJL_IS_NUMBER(x))
			feed_obs_num(f, k, x->u.number.r);
		else if (YAJL_IS_TRUE(x) || YAJL_IS_FALSE(x))
			feed_obs_bool(f, k, YAJL_IS_TRUE(x));
		else if (YAJL_IS_NULL(x))
			f->fields[f->nfields++] = (entity_field)
			{
				.name = k,.type = ENTITY_JSON_NULL,.val = "",.len = 0
			};
		else
		{
			ok = feed_bad_row(f, line, k, "expected a string, a number or a boolean, "
							  "found %s", feed_util_json_type(x));
			yajl_tree_free(v);
			return ok;
		}
	}
	if (v->u.object.len >= FEED_MAX_FIELDS - 1)
	{
		ok = feed_bad_row(f, line, NULL, "more than %d fields", FEED_MAX_FIELDS - 2);
		yajl_tree_free(v);
		return ok;
	}
	if (!has_field(f, "ingestedAt"))
		feed_obs_str(f, "ingestedAt", f->as_of);
	ok = feed_obs_emit(f);
	yajl_tree_free(v);
	return ok;
}

static bool
parse_ndjson(feed *f, const char *buf, size_t len)
{
	size_t		pos = 0;
	long long	line = 0;

	while (pos < len)
	{
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t		n = nl ? (size_t) (nl - (buf + pos)) : len - pos;
		size_t		end = n;

		line++;
		while (end > 0 && (buf[pos + end - 1] == '\r' || buf[pos + end - 1] == ' ' ||
						   buf[pos + end - 1] == '\t'))
			end--;
		if (end > 0 && !ndjson_line(f, line, buf + pos, end))
			return false;
		pos += n + (nl != NULL);
	}
	if (f->emitted == 0 && f->error.len == 0)
		return feed_fail(f, 0, "no observations");
	return true;
}

const feed_format feed_generic_ndjson = {
	"ndjson", "application/x-ndjson", NULL, false, false,
	"observations as NDJSON, one object a line, with the store's field names",
	parse_ndjson, NULL
};

/* --- CSV -------------------------------------------------------------------- */

typedef struct gcsv
{
	char	  **names;
	int			n;
} gcsv;

static bool
gcsv_row(feed *f, void *arg, long long line, int n, char **fields, size_t *lens)
{
	gcsv	   *g = arg;
	const entity_desc *d = entity_find("observations");

	if (g->names == NULL)
	{
		g->names = mem_calloc(n, sizeof(char *));
		g->n = n;
		for (int i = 0; i < n; i++)
		{
			if (entity_column_find(d, fields[i]) == NULL)
				return feed_fail(f, line, "unknown column \"%.40s\" (the header names "
								 "observation fields: seriesId, regionCode, ...)", fields[i]);
			for (int k = 0; k < i; k++)
				if (strcmp(g->names[k], fields[i]) == 0)
					return feed_fail(f, line, "column \"%s\" appears twice", fields[i]);
			g->names[i] = mem_strdup(fields[i]);
		}
		return true;
	}
	if (n != g->n)
		return feed_bad_row(f, line, NULL, "%d fields where the header has %d", n, g->n);
	feed_obs_begin(f, line);
	for (int i = 0; i < n; i++)
	{
		const entity_column *c = entity_column_find(d, g->names[i]);

		if (lens[i] == 0)
			continue;
		if (c->kind == ENTITY_NUMERIC)
		{
			if (!feed_is_decimal(fields[i], lens[i]))
				return feed_bad_row(f, line, g->names[i], "\"%.40s\" is not a number",
									fields[i]);
			feed_obs_num(f, g->names[i], fields[i]);
		}
		else if (c->kind == ENTITY_BOOL)
		{
			if (strcmp(fields[i], "true") != 0 && strcmp(fields[i], "false") != 0)
				return feed_bad_row(f, line, g->names[i], "\"%.40s\" is neither true nor "
									"false", fields[i]);
			feed_obs_bool(f, g->names[i], fields[i][0] == 't');
		}
		else
			feed_obs_strn(f, g->names[i], fields[i], lens[i]);
	}
	if (!has_field(f, "ingestedAt"))
		feed_obs_str(f, "ingestedAt", f->as_of);
	return feed_obs_emit(f);
}

static bool
parse_csv(feed *f, const char *buf, size_t len)
{
	gcsv		g = {0};
	bool		ok = feed_util_csv_rows(f, buf, len, gcsv_row, &g);

	if (ok && g.names == NULL)
		ok = feed_fail(f, 0, "no header line");
	else if (ok && f->emitted == 0 && f->error.len == 0)
		ok = feed_fail(f, 0, "no observations");
	for (int i = 0; i < g.n; i++)
		free(g.names[i]);
	free(g.names);
	return ok;
}

const feed_format feed_generic_csv = {
	"csv", "text/csv", NULL, false, false,
	"observations as CSV, a header of the store's field names, one row each",
	parse_csv, NULL
};
