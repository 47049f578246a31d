/*
 * lib/base/jsonparse.c - JSON input with bounds: depth, tree size and numbers.
 */
#include "base/common.h"

#include <errno.h>
#include <math.h>

#include <yajl/yajl_parse.h>

#include "base/jsonparse.h"
#include "base/mem.h"
#include "base/sbuf.h"
#include "base/utf8.h"
#include "base/banned.h"

/* estimated bytes a tree node takes beyond its text (see the header) */
#define NODE_BYTES 80

/* A key of an object, for finding duplicates: which object, and where its text is. */
typedef struct seen_key
{
	uint64_t	object;			/* the object's serial; 0: an empty slot */
	uint64_t	hash;
	size_t		off;			/* in bound.keys */
	size_t		len;
} seen_key;

/* Why a callback stopped the first pass. */
typedef enum stop_reason
{
	STOP_NONE = 0,
	STOP_TREE,					/* the tree would be too large */
	STOP_DEPTH,					/* nested too deep */
	STOP_UTF8,					/* a string that is not strict UTF-8 */
	STOP_DUPLICATE				/* a key twice in one object */
} stop_reason;

typedef struct bound
{
	yajl_handle h;
	int			depth;
	uint64_t	object[JSONPARSE_MAX_DEPTH + 2];	/* serial of the object at each depth */
	uint64_t	objects;		/* serials handed out */
	seen_key   *seen;			/* open addressing, by (object, key) */
	size_t		nseen;
	size_t		capseen;
	sbuf		keys;
	char		dup[64];		/* the duplicate key, for the message */
	long long	tree_bytes;
	long long	max_tree_bytes;
	stop_reason why;
} bound;

static int
add_value(bound *b, size_t text_len)
{
	b->tree_bytes += NODE_BYTES + (long long) text_len;
	if (b->tree_bytes > b->max_tree_bytes)
	{
		b->why = STOP_TREE;
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
	bound	   *b = ctx;

	/* yajl lets overlong forms and surrogates (C0 AF, ED A0 80) through */
	if (utf8_invalid((const char *) s, len) >= 0)
	{
		b->why = STOP_UTF8;
		return 0;
	}
	return add_value(b, len + 1);
}

static int
on_open(void *ctx)
{
	bound	   *b = ctx;

	if (++b->depth > JSONPARSE_MAX_DEPTH)
	{
		b->why = STOP_DEPTH;
		return 0;
	}
	b->object[b->depth] = 0;	/* an array; on_open_map gives objects a serial */
	return add_value(b, 0);
}

static int
on_open_map(void *ctx)
{
	bound	   *b = ctx;

	if (!on_open(b))
		return 0;
	b->object[b->depth] = ++b->objects;
	return 1;
}

static uint64_t
key_hash(uint64_t object, const unsigned char *s, size_t len)
{
	uint64_t	h = 1469598103934665603ULL ^ object;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	return h;
}

/* Whether the object of serial is still open (its keys still matter). */
static bool
is_open(const bound *b, uint64_t serial)
{
	for (int d = b->depth; d > 0; d--)
		if (b->object[d] == serial)
			return true;
	return false;
}

/*
 * Rebuilds the table with the keys of the objects still open only (the
 * keys of a closed object can never clash again), at twice the size they
 * need: memory follows the open objects, not the whole document.
 */
static void
rebuild_seen(bound *b)
{
	seen_key   *old = b->seen;
	size_t		oldcap = b->capseen;
	sbuf		keys;
	size_t		live = 0;
	size_t		i;

	for (size_t k = 0; k < oldcap; k++)
		live += old[k].object && is_open(b, old[k].object);
	for (b->capseen = 64; b->capseen < 4 * (live + 1); b->capseen *= 2)
		;
	b->seen = mem_calloc(b->capseen, sizeof(seen_key));
	b->nseen = 0;
	sbuf_init(&keys);
	for (size_t k = 0; k < oldcap; k++)
	{
		if (!old[k].object || !is_open(b, old[k].object))
			continue;
		for (i = old[k].hash & (b->capseen - 1); b->seen[i].object; i = (i + 1) & (b->capseen - 1))
			;
		b->seen[i] = old[k];
		b->seen[i].off = keys.len;
		sbuf_append(&keys, b->keys.data + old[k].off, old[k].len);
		b->nseen++;
	}
	sbuf_release(&b->keys);
	b->keys = keys;
	free(old);
}

/* Whether (object, key) was seen; if not, remembers it. */
static bool
seen_before(bound *b, uint64_t object, const unsigned char *s, size_t len)
{
	uint64_t	h = key_hash(object, s, len);
	size_t		i;

	if (2 * (b->nseen + 1) > b->capseen)
		rebuild_seen(b);
	for (i = h & (b->capseen - 1); b->seen[i].object; i = (i + 1) & (b->capseen - 1))
		if (b->seen[i].hash == h && b->seen[i].object == object && b->seen[i].len == len &&
			memcmp(b->keys.data + b->seen[i].off, s, len) == 0)
			return true;
	b->seen[i] = (seen_key) {object, h, b->keys.len, len};
	sbuf_append(&b->keys, (const char *) s, len);
	b->nseen++;
	return false;
}

static int
on_key(void *ctx, const unsigned char *s, size_t len)
{
	bound	   *b = ctx;

	if (!on_string(b, s, len))
		return 0;
	if (seen_before(b, b->object[b->depth], s, len))
	{
		/* the store reader refuses a field twice; a payload gets the same rule */
		snprintf(b->dup, sizeof(b->dup), "%.*s", (int) (len > 40 ? 40 : len), s);
		b->why = STOP_DUPLICATE;
		return 0;
	}
	return 1;
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
	on_open_map, on_key, on_close, on_open, on_close
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
	jsonparse_escapes esc;
	long long	lone;

	memset(err, 0, sizeof(*err));
	b.max_tree_bytes = max_tree_bytes > 0 ? max_tree_bytes : JSONPARSE_MAX_TREE_BYTES;
	b.h = yajl_alloc(&bound_callbacks, NULL, &b);
	sbuf_init(&b.keys);
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
		if (st == yajl_status_client_canceled && b.why == STOP_DUPLICATE)
			snprintf(err->msg, sizeof(err->msg), "duplicate key \"%s\" in an object", b.dup);
		else if (st == yajl_status_client_canceled && b.why == STOP_UTF8)
			snprintf(err->msg, sizeof(err->msg), "invalid UTF-8 in a string (an overlong "
					 "form or a surrogate)");
		else if (st == yajl_status_client_canceled && b.why == STOP_DEPTH)
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
			err->limit = b.why != STOP_UTF8;
		}
		yajl_free(b.h);
		free(b.seen);
		sbuf_release(&b.keys);
		return NULL;
	}
	yajl_free(b.h);
	free(b.seen);
	sbuf_release(&b.keys);
	jsonparse_escapes_init(&esc);
	if ((lone = jsonparse_escapes_feed(&esc, buf, len)) >= 0)
	{
		err->byte = (size_t) lone;
		err->line = line_of(buf, err->byte);
		err->truncated = false;
		snprintf(err->msg, sizeof(err->msg), "a lone surrogate escape (\\u%.4s) in a string",
				 buf + lone + 2);
		return NULL;
	}
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

void
jsonparse_escapes_init(jsonparse_escapes *e)
{
	memset(e, 0, sizeof(*e));
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long long
jsonparse_escapes_feed(jsonparse_escapes *e, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++, e->offset++)
	{
		char		c;

		/* between escapes nothing matters: jump to the next backslash */
		if (e->state == 0 && !e->want_low)
		{
			const char *next = memchr(buf + i, '\\', len - i);

			if (next == NULL)
			{
				e->offset += len - i;
				break;
			}
			e->offset += (size_t) (next - (buf + i));
			i = (size_t) (next - buf);
		}
		c = buf[i];

		switch (e->state)
		{
			case 0:
				if (c == '\\')
				{
					e->state = 1;
					if (!e->want_low)
						e->escape_at = e->offset;
				}
				else if (e->want_low)
					return (long long) e->escape_at;
				break;
			case 1:
				if (c == 'u')
				{
					e->state = 2;
					e->nhex = 0;
					e->hex = 0;
				}
				else if (e->want_low)
					return (long long) e->escape_at;
				else
					e->state = 0;
				break;
			case 2:
				if (hex_value(c) < 0)
				{
					e->state = 0;	/* yajl reports the bad escape itself */
					break;
				}
				e->hex = e->hex * 16 + (unsigned) hex_value(c);
				if (++e->nhex < 4)
					break;
				e->state = 0;
				if (e->want_low)
				{
					if (e->hex < 0xDC00 || e->hex > 0xDFFF)
						return (long long) e->escape_at;
					e->want_low = false;
				}
				else if (e->hex >= 0xD800 && e->hex <= 0xDBFF)
					e->want_low = true;
				else if (e->hex >= 0xDC00 && e->hex <= 0xDFFF)
					return (long long) e->escape_at;
				break;
		}
	}
	return -1;
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
