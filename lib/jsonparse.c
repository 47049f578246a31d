/*
 * lib/jsonparse.c - JSON input with bounds: depth, tree size and numbers.
 */
#include "common.h"

#include <errno.h>
#include <math.h>

#include <yajl/yajl_parse.h>

#include "jsonparse.h"
#include "mem.h"
#include "banned.h"

/* estimated bytes a tree node takes beyond its text (see the header) */
#define NODE_BYTES 80

typedef struct bound
{
	yajl_handle h;
	int			depth;
	long long	tree_bytes;
	long long	max_tree_bytes;
	const char *why;			/* set when a callback stopped the parse */
} bound;

static int
add_value(bound *b, size_t text_len)
{
	b->tree_bytes += NODE_BYTES + (long long) text_len;
	if (b->tree_bytes > b->max_tree_bytes)
	{
		b->why = "tree";
		return 0;
	}
	return 1;
}

static int
on_null(void *ctx)
{
	return add_value(ctx, 0);
}

static int
on_boolean(void *ctx, int v)
{
	return add_value(ctx, 0);
}

static int
on_number(void *ctx, const char *s, size_t len)
{
	return add_value(ctx, len + 1);
}

static int
on_string(void *ctx, const unsigned char *s, size_t len)
{
	return add_value(ctx, len + 1);
}

static int
on_open(void *ctx)
{
	bound	   *b = ctx;

	if (++b->depth > JSONPARSE_MAX_DEPTH)
	{
		b->why = "depth";
		return 0;
	}
	return add_value(b, 0);
}

static int
on_close(void *ctx)
{
	bound	   *b = ctx;

	b->depth--;
	return 1;
}

static const yajl_callbacks bound_callbacks = {
	on_null, on_boolean, NULL, NULL, on_number, on_string,
	on_open, on_string, on_close, on_open, on_close
};

static long long
line_of(const char *buf, size_t at)
{
	long long	line = 1;

	for (size_t i = 0; i < at; i++)
		line += buf[i] == '\n';
	return line;
}

yajl_val
jsonparse_tree(const char *buf, size_t len, long long max_tree_bytes, jsonparse_error *err)
{
	bound		b = {0};
	yajl_status st;
	yajl_val	tree;
	char		yerr[256];
	char	   *copy;

	memset(err, 0, sizeof(*err));
	b.max_tree_bytes = max_tree_bytes > 0 ? max_tree_bytes : JSONPARSE_MAX_TREE_BYTES;
	b.h = yajl_alloc(&bound_callbacks, NULL, &b);
	st = yajl_parse(b.h, (const unsigned char *) buf, len);
	err->truncated = st == yajl_status_ok;
	if (st == yajl_status_ok)
		st = yajl_complete_parse(b.h);
	if (st != yajl_status_ok)
	{
		/* in the text: the offending byte; at the end: where it stopped */
		size_t		at = yajl_get_bytes_consumed(b.h);

		if (err->truncated || at > len)
			at = len;
		else if (at > 0)
			at--;
		err->byte = at;
		err->line = line_of(buf, at);
		if (st == yajl_status_client_canceled && strcmp(b.why, "depth") == 0)
			snprintf(err->msg, sizeof(err->msg), "JSON nested deeper than %d levels",
					 JSONPARSE_MAX_DEPTH);
		else if (st == yajl_status_client_canceled)
			snprintf(err->msg, sizeof(err->msg), "the parsed JSON would take more than "
					 "%lld MB of memory", b.max_tree_bytes / (1024 * 1024));
		else if (err->truncated)
			snprintf(err->msg, sizeof(err->msg), "it ends early");
		else
		{
			unsigned char *msg = yajl_get_error(b.h, 0, NULL, 0);

			snprintf(err->msg, sizeof(err->msg), "%s", (const char *) msg);
			yajl_free_error(b.h, msg);
		}
		if (st == yajl_status_client_canceled)
		{
			err->truncated = false;
			err->limit = true;
		}
		yajl_free(b.h);
		return NULL;
	}
	yajl_free(b.h);
	copy = mem_strndup(buf, len);
	tree = yajl_tree_parse(copy, yerr, sizeof(yerr));
	free(copy);
	if (tree == NULL)
	{
		/* only a NUL byte inside the text gets here: yajl_tree stops at it */
		const char *nul = memchr(buf, '\0', len);

		err->byte = nul ? (size_t) (nul - buf) : 0;
		err->line = line_of(buf, err->byte);
		yerr[strcspn(yerr, "\n")] = '\0';
		snprintf(err->msg, sizeof(err->msg), "%s", nul ? "a NUL byte" : yerr);
	}
	return tree;
}

bool
jsonparse_number_ok(const char *s, size_t len)
{
	size_t		i = 0;
	char		buf[64];
	char	   *end;
	double		v;

	if (i < len && s[i] == '-')
		i++;
	if (i < len && s[i] == '0')
		i++;
	else if (i < len && s[i] >= '1' && s[i] <= '9')
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return false;
	if (i < len && s[i] == '.')
	{
		size_t		start = ++i;

		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E'))
	{
		size_t		start;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		start = i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	if (i != len)
		return false;
	/* finite as a double: long digit strings are fine, only the exponent matters */
	if (len < sizeof(buf))
	{
		memcpy(buf, s, len);
		buf[len] = '\0';
		errno = 0;
		v = strtod(buf, &end);
		return isfinite(v);
	}
	else
	{
		char	   *copy = mem_strndup(s, len);

		v = strtod(copy, &end);
		free(copy);
		return isfinite(v);
	}
}
