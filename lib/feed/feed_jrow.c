/*
 * lib/feed/feed_jrow.c - one JSON record of a feed payload read field by
 * field, in both spellings the dashboard has used (the live clients'
 * snake_case and the fixtures' camelCase), with the first error kept.
 */
#include "base/common.h"

#include "feed/feed_formats.h"
#include "base/isotime.h"
#include "base/banned.h"

void
feed_jrow_init(feed_jrow *j, feed *f, yajl_val r, const char *array, size_t i)
{
	j->f = f;
	j->r = r;
	snprintf(j->path, sizeof(j->path), "%s[%zu]", array, i);
	j->bad = false;
	j->go_on = true;
	if (!YAJL_IS_OBJECT(r))
	{
		j->bad = true;
		j->go_on = feed_bad_row(f, 0, j->path, "expected an object, found %s",
								feed_util_json_type(r));
	}
}

void
feed_jrow_bad(feed_jrow *j, const char *key, const char *expected, yajl_val v)
{
	char		p[128];

	if (j->bad)
		return;
	j->bad = true;
	snprintf(p, sizeof(p), "%s.%s", j->path, key);
	j->go_on = feed_bad_row(j->f, 0, p, "expected %s, found %s", expected,
							feed_util_json_type(v));
}

/* A non-empty string under k1 (or k2), or NULL (the row is then bad). */
const char *
feed_jrow_str(feed_jrow *j, const char *k1, const char *k2)
{
	yajl_val	v;

	if (j->bad)
		return NULL;
	v = k2 ? feed_util_json_get2(j->r, k1, k2) : feed_util_json_get(j->r, k1);
	if (!YAJL_IS_STRING(v) || v->u.string[0] == '\0')
	{
		feed_jrow_bad(j, k1, "a non-empty string", v);
		return NULL;
	}
	return v->u.string;
}

/* A number's text under k1 (or k2), or NULL (the row is then bad). */
const char *
feed_jrow_num(feed_jrow *j, const char *k1, const char *k2)
{
	yajl_val	v;

	if (j->bad)
		return NULL;
	v = k2 ? feed_util_json_get2(j->r, k1, k2) : feed_util_json_get(j->r, k1);
	if (!YAJL_IS_NUMBER(v) || !feed_is_decimal(v->u.number.r, strlen(v->u.number.r)))
	{
		feed_jrow_bad(j, k1, "a number", v);
		return NULL;
	}
	return v->u.number.r;
}

/* A timestamp string under k1 (or k2). */
const char *
feed_jrow_time(feed_jrow *j, const char *k1, const char *k2)
{
	const char *s = feed_jrow_str(j, k1, k2);

	if (s && !isotime_parse(s, strlen(s), NULL, NULL))
	{
		char		p[128];

		j->bad = true;
		snprintf(p, sizeof(p), "%s.%s", j->path, k1);
		j->go_on = feed_bad_row(j->f, 0, p, "\"%.40s\" is not an ISO 8601 timestamp", s);
		return NULL;
	}
	return s;
}

/* Parses buf and returns the array under key (NULL: f->error set). */
yajl_val
feed_jrow_array(feed *f, const char *buf, size_t len, const char *key, yajl_val *root)
{
	yajl_val	arr;

	*root = feed_util_json_parse(f, buf, len);
	if (*root == NULL)
		return NULL;
	arr = feed_util_json_array(f, *root, "", key);
	if (arr == NULL)
	{
		yajl_tree_free(*root);
		*root = NULL;
	}
	return arr;
}
