/*
 * lib/base/jsonparse.h - JSON input with bounds: nesting depth, the memory a
 * parsed tree may take, and the grammar of a JSON number.
 *
 * Every reader of untrusted JSON goes through here or through the same
 * limits: the store reader (lib/store/storeread.c) counts depth in its own
 * callbacks with JSONPARSE_MAX_DEPTH; the feed formats and everything else
 * that builds a yajl tree call jsonparse_tree(), which checks the whole
 * text in a first pass (yajl callbacks, no tree) and builds the tree only
 * when it is within both limits.  yajl frees a tree recursively, so the
 * depth limit is also what keeps yajl_tree_free() off a deep stack.
 */
#ifndef AUSDASH_JSONPARSE_H
#define AUSDASH_JSONPARSE_H

#include <stdbool.h>
#include <stddef.h>

#include <yajl/yajl_tree.h>

/*
 * Objects and arrays nested deeper than this are refused.  The dashboard's
 * store is 4 levels deep at most and no feed payload of its sources goes
 * past 8; 64 leaves a wide margin and keeps every recursion shallow.
 */
#define JSONPARSE_MAX_DEPTH 64

/*
 * The most memory a parsed tree may take, estimated in the first pass from
 * the number of values and the length of their text (about 80 bytes a
 * value, the size of yajl's node, its slot in the parent and the
 * allocator's overhead, plus the text).  1 GiB holds a payload of some 12
 * million values, far beyond any real feed; a 512 MB payload of tiny
 * values (which would take some 20 GB as a tree) is refused instead.
 */
#define JSONPARSE_MAX_TREE_BYTES (1024LL * 1024 * 1024)

/* Where and why a text was refused. */
typedef struct jsonparse_error
{
	long long	line;			/* 1-based line of the offending byte */
	size_t		byte;			/* its 0-based offset in the text */
	bool		truncated;		/* the text ended early */
	bool		limit;			/* valid JSON, refused by a rule: too deep, too
								 * large, a key twice in an object */
	char		msg[256];		/* what is wrong, lower case, no location */
} jsonparse_error;

/*
 * Parses buf[0..len) into a yajl tree.  Returns the tree, which the caller
 * frees with yajl_tree_free(); or NULL with *err saying where and what
 * (invalid JSON, which includes strings that are not strict UTF-8 and
 * lone surrogate escapes; nesting deeper than JSONPARSE_MAX_DEPTH; a tree
 * larger than max_tree_bytes, 0 meaning JSONPARSE_MAX_TREE_BYTES; a key
 * twice in one object, which the store reader refuses too).
 */
yajl_val	jsonparse_tree(const char *buf, size_t len, long long max_tree_bytes,
						   jsonparse_error *err);

/*
 * The \u escapes of JSON text, checked as it streams by: a surrogate
 * escape must be a high one (\ud800-\udbff) followed at once by a low one
 * (\udc00-\udfff).  yajl turns a lone one into "?" or into bytes that are
 * not UTF-8; PostgreSQL and JavaScript would then disagree on the text.
 * Backslashes occur only inside strings in JSON, so no string tracking is
 * needed.  Caller-owned: zero it (or jsonparse_escapes_init), then feed.
 */
typedef struct jsonparse_escapes
{
	int			state;			/* 0 text, 1 after \, 2 in \uXXXX */
	int			nhex;
	unsigned	hex;
	bool		want_low;		/* the last escape was a high surrogate */
	unsigned long long offset;	/* of the next byte fed */
	unsigned long long escape_at;	/* where the current escape began */
} jsonparse_escapes;

void		jsonparse_escapes_init(jsonparse_escapes *e);

/*
 * Feeds buf[0..len); returns the offset (counted from the first byte ever
 * fed) of the backslash of a lone surrogate escape, or -1.
 */
long long	jsonparse_escapes_feed(jsonparse_escapes *e, const char *buf, size_t len);

/*
 * Whether s[0..len) is a number in JSON's grammar
 * (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?) whose value is a finite
 * IEEE double, which is what the dashboard (JavaScript) can read back:
 * "1e400", "inf" and "NaN" are refused.
 */
bool		jsonparse_number_ok(const char *s, size_t len);

#endif
