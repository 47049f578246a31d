/*
 * lib/base/jsonw.c - writing JSON into an sbuf with yajl's generator.
 */
#include "base/common.h"

#include "base/jsonw.h"
#include "base/mem.h"
#include "base/banned.h"

static void
print_to_sbuf(void *ctx, const char *s, size_t len)
{
	sbuf_append(ctx, s, len);
}

yajl_gen
jsonw_new(sbuf *out, bool pretty)
{
	yajl_gen	g = yajl_gen_alloc(NULL);

	if (g == NULL)
		mem_oom();
	yajl_gen_config(g, yajl_gen_print_callback, print_to_sbuf, out);
	yajl_gen_config(g, yajl_gen_beautify, pretty ? 1 : 0);
	yajl_gen_config(g, yajl_gen_validate_utf8, 0);
	return g;
}

void
jsonw_key(yajl_gen g, const char *key)
{
	yajl_gen_string(g, (const unsigned char *) key, strlen(key));
}

void
jsonw_str(yajl_gen g, const char *key, const char *value)
{
	jsonw_key(g, key);
	if (value)
		yajl_gen_string(g, (const unsigned char *) value, strlen(value));
	else
		yajl_gen_null(g);
}

void
jsonw_int(yajl_gen g, const char *key, long long value)
{
	jsonw_key(g, key);
	yajl_gen_integer(g, value);
}

void
jsonw_bool(yajl_gen g, const char *key, bool value)
{
	jsonw_key(g, key);
	yajl_gen_bool(g, value);
}

void
jsonw_raw(yajl_gen g, const char *json, size_t len)
{
	/* yajl_gen_number() writes its text as given, with the separators */
	yajl_gen_number(g, json, len);
}

void
jsonw_tree(yajl_gen g, yajl_val v)
{
	if (YAJL_IS_OBJECT(v))
	{
		yajl_gen_map_open(g);
		for (size_t i = 0; i < v->u.object.len; i++)
		{
			jsonw_key(g, v->u.object.keys[i]);
			jsonw_tree(g, v->u.object.values[i]);
		}
		yajl_gen_map_close(g);
	}
	else if (YAJL_IS_ARRAY(v))
	{
		yajl_gen_array_open(g);
		for (size_t i = 0; i < v->u.array.len; i++)
			jsonw_tree(g, v->u.array.values[i]);
		yajl_gen_array_close(g);
	}
	else if (YAJL_IS_STRING(v))
		yajl_gen_string(g, (const unsigned char *) v->u.string, strlen(v->u.string));
	else if (YAJL_IS_NUMBER(v))
		yajl_gen_number(g, v->u.number.r, strlen(v->u.number.r));
	else if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v))
		yajl_gen_bool(g, YAJL_IS_TRUE(v));
	else
		yajl_gen_null(g);
}
