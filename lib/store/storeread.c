/*
 * lib/store/storeread.c - a streaming reader of live-store.json over yajl.
 *
 * Nesting levels: 0 outside everything, 1 inside the top-level object,
 * 2 inside an entity array, 3 inside a record, deeper inside a field's
 * object or array value (captured as JSON text with yajl_gen).  Records
 * are built in one reusable arena: field names and values are appended
 * NUL-terminated and located by offset until the record is complete.
 */
#include "base/common.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <yajl/yajl_parse.h>
#include <xxhash.h>

#include "base/isotime.h"
#include "base/jsonparse.h"
#include "base/jsonw.h"
#include "base/log.h"
#include "base/mem.h"
#include "store/storeread.h"
#include "base/utf8.h"
#include "base/banned.h"


/* bits of storeread.seen for the two top-level scalars */
#define SEEN_VERSION (1u << 30)
#define SEEN_UPDATED_AT (1u << 29)

typedef struct field_slot
{
	size_t		name;			/* offsets into arena */
	size_t		val;
	size_t		len;
	entity_json_type type;
	uint64_t	line;
	uint64_t	offset;
} field_slot;

enum top_key
{
	TOP_NONE,
	TOP_VERSION,
	TOP_UPDATED_AT,
	TOP_ENTITY,
	TOP_SKIP
};

struct storeread
{
	char	   *name;
	const storeread_handler *h;
	void	   *arg;
	bool		ignore_unknown;
	yajl_handle yajl;
	jsonparse_escapes escapes;	/* lone surrogate escapes, across chunks */
	size_t		last_chunk;		/* the size of the last chunk fed */
	bool		last_quote;		/* it had a '"' in it */

	/* position */
	const unsigned char *chunk;
	size_t		chunk_len;
	uint64_t	chunk_base;		/* absolute offset of chunk[0] */
	uint64_t	nl_pos;			/* the next newline not counted yet, or the chunk's end */
	uint64_t	scan_line;		/* the line after the newlines counted */

	int			depth;
	bool		done;			/* top-level object closed */
	enum top_key top;			/* what the current top-level value is */
	const entity_desc *entity;	/* current entity array */
	char		top_name[64];	/* current top-level key (for messages) */
	unsigned	seen;			/* SEEN_* and a bit per entity_index() */
	int			skip_depth;		/* depth at which an ignored value started */
	int			ignored;

	/* current record */
	long long	index;
	uint64_t	rec_line;
	uint64_t	rec_offset;
	XXH3_state_t *digest;		/* of the record's text (entity_record.digest) */
	uint64_t	digest_from;	/* the first byte of it not yet in the digest */
	bool		in_record;
	sbuf		arena;
	field_slot *slots;
	int			nslots;
	int			slots_cap;
	entity_field *fields;
	int			fields_cap;
	bool		have_key;		/* a key is waiting for its value */
	size_t		key;			/* its offset in arena */
	uint64_t	key_line;
	uint64_t	key_offset;

	/* a field's container value being captured */
	yajl_gen	gen;
	sbuf		captured;
	int			gen_depth;

	sbuf		error;
	sbuf		meta;			/* a top-level value, NUL-terminated */
	unsigned char head[3];		/* the input's first bytes (for a BOM) */
	size_t		nhead;
};

/* --- positions ----------------------------------------------------------- */

static uint64_t
current_offset(storeread *sr)
{
	return sr->chunk_base + yajl_get_bytes_consumed(sr->yajl);
}

/* Adds the record's bytes of the current chunk up to the absolute offset to. */
static void
digest_upto(storeread *sr, uint64_t to)
{
	if (to > sr->digest_from)
		XXH3_64bits_update(sr->digest, sr->chunk + (sr->digest_from - sr->chunk_base),
						   (size_t) (to - sr->digest_from));
	sr->digest_from = to;
}

/* Finds the first newline of the current chunk at or after the absolute offset. */
static void
next_newline(storeread *sr, uint64_t from)
{
	uint64_t	end = sr->chunk_base + sr->chunk_len;
	const unsigned char *nl = NULL;

	if (from < end)
		nl = memchr(sr->chunk + (from - sr->chunk_base), '\n', end - from);
	sr->nl_pos = nl ? sr->chunk_base + (nl - sr->chunk) : end;
}

/*
 * Line of an absolute offset within the current chunk, at or after the
 * last one asked.  A search per newline, not per call: a compact store
 * has none between its many tokens.
 */
static uint64_t
line_at(storeread *sr, uint64_t abs)
{
	uint64_t	end = sr->chunk_base + sr->chunk_len;

	if (abs > end)
		abs = end;
	while (sr->nl_pos < abs)
	{
		sr->scan_line++;
		next_newline(sr, sr->nl_pos + 1);
	}
	return sr->scan_line;
}

/* The input's name as messages show it. */
static void
append_name(const storeread *sr, sbuf *out)
{
	if (strcmp(sr->name, "-") == 0)
		sbuf_appends(out, "standard input");
	else
		sbuf_appendf(out, "\"%s\"", sr->name);
}

void
storeread_where_at(const storeread *sr, sbuf *out, uint64_t line, uint64_t offset)
{
	append_name(sr, out);
	sbuf_appendf(out, ", line %llu, byte %llu", (unsigned long long) line,
				 (unsigned long long) offset);
}

void
storeread_where(const storeread *sr, sbuf *out, const entity_record *rec,
				const char *field)
{
	const entity_field *f = field ? entity_record_field(rec, field) : NULL;

	storeread_where_at(sr, out, f ? f->line : rec->line, f ? f->offset : rec->offset);
	sbuf_appends(out, ": ");
	entity_path(out, rec->entity, rec->index, field);
}

/* Sets an error about the input as a whole. */
static void
fail_input(storeread *sr, const char *what)
{
	sbuf_reset(&sr->error);
	append_name(sr, &sr->error);
	sbuf_appendf(&sr->error, ": %s", what);
}

/* Sets the error, placed at the current token, with path (may be NULL). */
static int
fail_at(storeread *sr, uint64_t offset, const char *path, const char *fmt,...)
AUSDASH_PRINTF(4, 5);

static int
fail_at(storeread *sr, uint64_t offset, const char *path, const char *fmt,...)
{
	va_list		ap;

	sbuf_reset(&sr->error);
	storeread_where_at(sr, &sr->error, line_at(sr, offset), offset);
	sbuf_appends(&sr->error, ": ");
	if (path)
		sbuf_appendf(&sr->error, "%s: ", path);
	va_start(ap, fmt);
	sbuf_vappendf(&sr->error, fmt, ap);
	va_end(ap);
	return 0;
}

/* Sets the error about the current record (the element being read). */
static int
fail_record(storeread *sr, uint64_t offset, const char *what)
{
	sbuf		path;

	sbuf_init(&path);
	entity_path(&path, sr->top_name, sr->index, NULL);
	fail_at(sr, offset, path.data, "%s", what);
	sbuf_release(&path);
	return 0;
}

/* --- records ------------------------------------------------------------- */

static void
record_reset(storeread *sr)
{
	sbuf_reset(&sr->arena);
	sr->nslots = 0;
	sr->have_key = false;
}

static int
add_value(storeread *sr, entity_json_type type, const char *val, size_t len)
{
	field_slot *s;

	if (!sr->have_key)
		return fail_at(sr, current_offset(sr), NULL, "internal error: value without key");
	if (sr->nslots == sr->slots_cap)
	{
		sr->slots_cap = sr->slots_cap ? sr->slots_cap * 2 : 32;
		sr->slots = mem_realloc(sr->slots, sr->slots_cap * sizeof(field_slot));
	}
	s = &sr->slots[sr->nslots++];
	s->name = sr->key;
	s->type = type;
	s->val = sr->arena.len;
	s->len = len;
	s->line = sr->key_line;
	s->offset = sr->key_offset;
	sbuf_append0(&sr->arena, val, len);
	sr->have_key = false;
	return 1;
}

static int
emit_record(storeread *sr)
{
	entity_record rec;

	if (sr->nslots > sr->fields_cap)
	{
		sr->fields_cap = sr->slots_cap;
		sr->fields = mem_realloc(sr->fields, sr->fields_cap * sizeof(entity_field));
	}
	for (int i = 0; i < sr->nslots; i++)
	{
		entity_field *f = &sr->fields[i];
		field_slot *s = &sr->slots[i];

		f->name = sr->arena.data + s->name;
		f->type = s->type;
		f->val = sr->arena.data + s->val;
		f->len = s->len;
		f->line = s->line;
		f->offset = s->offset;
	}
	rec.entity = sr->entity->name;
	rec.index = sr->index;
	rec.line = sr->rec_line;
	rec.offset = sr->rec_offset;
	rec.nfields = sr->nslots;
	rec.fields = sr->fields;
	digest_upto(sr, current_offset(sr));
	rec.has_digest = true;
	rec.digest = XXH3_64bits_digest(sr->digest);
	sr->in_record = false;
	if (!sr->h->record(sr->arg, sr->entity, &rec))
	{
		sbuf_reset(&sr->error);
		return 0;
	}
	sr->index++;
	record_reset(sr);
	return 1;
}

/* --- top-level values ---------------------------------------------------- */

static int
top_scalar(storeread *sr, entity_json_type type, const char *val, size_t len)
{
	uint64_t	off = current_offset(sr);
	entity_field f;

	if (sr->top == TOP_SKIP)
	{
		sr->top = TOP_NONE;
		return 1;
	}
	sbuf_reset(&sr->meta);
	sbuf_append(&sr->meta, val, len);
	f.name = sr->top_name;
	f.type = type;
	f.val = sr->meta.data;
	f.len = len;
	f.line = line_at(sr, off);
	f.offset = off;
	if (sr->top == TOP_VERSION)
	{
		char	   *end;

		if (type != ENTITY_JSON_NUMBER)
			return fail_at(sr, off, "version", "expected the number 1, found %s",
						   entity_json_type_name(type));
		if (strtod(sr->meta.data, &end) != 1.0 || *end != '\0')
			return fail_at(sr, off, "version",
						   "unsupported store version %.40s (only version 1 is known)",
						   sr->meta.data);
		/* 1.0 and 1e0 are the 1 JavaScript reads: hand on the integer */
		sbuf_reset(&sr->meta);
		sbuf_appendc(&sr->meta, '1');
		f.val = sr->meta.data;
		f.len = 1;
	}
	else if (sr->top == TOP_UPDATED_AT)
	{
		const char *why;

		if (type != ENTITY_JSON_STRING)
			return fail_at(sr, off, "updatedAt", "expected a string, found %s",
						   entity_json_type_name(type));
		if (memchr(val, '\0', len) || !isotime_parse(val, len, NULL, &why))
			return fail_at(sr, off, "updatedAt", "invalid timestamp \"%.*s\"",
						   (int) (len > 40 ? 40 : len), val);
	}
	else
		return fail_at(sr, off, sr->top_name, "expected an array, found %s",
					   entity_json_type_name(type));
	sr->top = TOP_NONE;
	if (sr->h->meta && !sr->h->meta(sr->arg, &f))
	{
		sbuf_reset(&sr->error);
		return 0;
	}
	return 1;
}

/* --- yajl callbacks ------------------------------------------------------ */

static int
on_scalar(storeread *sr, entity_json_type type, const char *val, size_t len)
{
	char		what[64];

	if (sr->gen)
	{
		if (type == ENTITY_JSON_STRING)
			yajl_gen_string(sr->gen, (const unsigned char *) val, len);
		else if (type == ENTITY_JSON_NULL)
			yajl_gen_null(sr->gen);
		else
			jsonw_raw(sr->gen, val, len);	/* numbers and true/false: as text */
		return 1;
	}
	if (sr->top == TOP_SKIP && sr->skip_depth > 0)
		return 1;
	switch (sr->depth)
	{
		case 0:
			return fail_at(sr, current_offset(sr), NULL,
						   "expected a JSON object at the top level, found %s",
						   entity_json_type_name(type));
		case 1:
			return top_scalar(sr, type, val, len);
		case 2:
			snprintf(what, sizeof(what), "expected an object, found %s",
					 entity_json_type_name(type));
			return fail_record(sr, current_offset(sr), what);
		default:
			return add_value(sr, type, val, len);
	}
}

static int
cb_null(void *ctx)
{
	return on_scalar(ctx, ENTITY_JSON_NULL, "null", 4);
}

static int
cb_boolean(void *ctx, int b)
{
	return on_scalar(ctx, ENTITY_JSON_BOOL, b ? "true" : "false", b ? 4 : 5);
}

static int
cb_number(void *ctx, const char *s, size_t len)
{
	return on_scalar(ctx, ENTITY_JSON_NUMBER, s, len);
}

/* yajl lets overlong forms and surrogates (C0 AF, ED A0 80) through. */
static bool
strict_utf8(storeread *sr, const unsigned char *s, size_t len)
{
	if (utf8_invalid((const char *) s, len) < 0)
		return true;
	fail_at(sr, current_offset(sr), NULL, "invalid UTF-8 in a string (an overlong form or a "
			"surrogate, which PostgreSQL refuses)");
	return false;
}

static int
cb_string(void *ctx, const unsigned char *s, size_t len)
{
	if (!strict_utf8(ctx, s, len))
		return 0;
	return on_scalar(ctx, ENTITY_JSON_STRING, (const char *) s, len);
}

/* A field's value is an object or array: capture it as JSON text. */
static int
capture_open(storeread *sr, bool map)
{
	if (sr->gen == NULL)
	{
		sbuf_reset(&sr->captured);
		sr->gen = jsonw_new(&sr->captured, false);
		sr->gen_depth = 0;
	}
	sr->gen_depth++;
	if (map)
		yajl_gen_map_open(sr->gen);
	else
		yajl_gen_array_open(sr->gen);
	return 1;
}

static int
capture_close(storeread *sr, bool map)
{
	if (map)
		yajl_gen_map_close(sr->gen);
	else
		yajl_gen_array_close(sr->gen);
	if (--sr->gen_depth == 0)
	{
		yajl_gen_free(sr->gen);
		sr->gen = NULL;
		return add_value(sr, ENTITY_JSON_CONTAINER, sr->captured.data, sr->captured.len);
	}
	return 1;
}

static int
open_container(storeread *sr, bool map)
{
	uint64_t	off = current_offset(sr);

	sr->depth++;
	if (sr->depth > JSONPARSE_MAX_DEPTH)
		return fail_at(sr, off, NULL, "nesting deeper than %d levels", JSONPARSE_MAX_DEPTH);
	if (sr->top == TOP_SKIP)
	{
		sr->skip_depth++;
		return 1;
	}
	switch (sr->depth)
	{
		case 1:
			if (!map)
				return fail_at(sr, off, NULL,
							   "expected a JSON object at the top level, found an array");
			return 1;
		case 2:
			if (sr->top != TOP_ENTITY)
			{
				if (sr->top == TOP_VERSION)
					return fail_at(sr, off, "version", "expected the number 1, found %s",
								   map ? "an object" : "an array");
				if (sr->top == TOP_UPDATED_AT)
					return fail_at(sr, off, "updatedAt", "expected a string, found %s",
								   map ? "an object" : "an array");
			}
			if (map)
				return fail_at(sr, off, sr->top_name, "expected an array, found an object");
			sr->index = 0;
			if (sr->h->array_begin && !sr->h->array_begin(sr->arg, sr->entity))
			{
				sbuf_reset(&sr->error);
				return 0;
			}
			return 1;
		case 3:
			if (!map)
				return fail_record(sr, off, "expected an object, found an array");
			record_reset(sr);
			sr->rec_line = line_at(sr, off - 1);
			sr->rec_offset = off - 1;	/* at the brace */
			sr->in_record = true;
			sr->digest_from = sr->rec_offset;
			XXH3_64bits_reset_withSeed(sr->digest, ENTITY_RECORD_DIGEST_SEED);
			return 1;
		default:
			return capture_open(sr, map);
	}
}

static int
close_container(storeread *sr, bool map)
{
	int			depth = sr->depth--;

	if (sr->top == TOP_SKIP)
	{
		if (--sr->skip_depth == 0)
			sr->top = TOP_NONE;
		return 1;
	}
	switch (depth)
	{
		case 1:
			sr->done = true;
			return 1;
		case 2:
			sr->top = TOP_NONE;
			if (sr->h->array_end && !sr->h->array_end(sr->arg, sr->entity, sr->index))
			{
				sbuf_reset(&sr->error);
				return 0;
			}
			sr->entity = NULL;
			return 1;
		case 3:
			return emit_record(sr);
		default:
			return capture_close(sr, map);
	}
}

static int
cb_start_map(void *ctx)
{
	return open_container(ctx, true);
}

static int
cb_end_map(void *ctx)
{
	return close_container(ctx, true);
}

static int
cb_start_array(void *ctx)
{
	return open_container(ctx, false);
}

static int
cb_end_array(void *ctx)
{
	return close_container(ctx, false);
}

static int
top_key(storeread *sr, const char *key, size_t len)
{
	uint64_t	off = current_offset(sr);
	unsigned	bit;

	snprintf(sr->top_name, sizeof(sr->top_name), "%.*s", (int) len, key);
	if (strlen(sr->top_name) != len)
		return fail_at(sr, off, NULL, "top-level key contains a NUL character");
	sr->entity = entity_find(sr->top_name);
	if (strcmp(sr->top_name, "version") == 0)
	{
		sr->top = TOP_VERSION;
		bit = SEEN_VERSION;
	}
	else if (strcmp(sr->top_name, "updatedAt") == 0)
	{
		sr->top = TOP_UPDATED_AT;
		bit = SEEN_UPDATED_AT;
	}
	else if (sr->entity)
	{
		sr->top = TOP_ENTITY;
		bit = 1u << entity_index(sr->entity);
	}
	else if (sr->ignore_unknown)
	{
		log_warning("%s: ignoring unknown top-level key \"%s\" and its value",
					sr->name, sr->top_name);
		sr->ignored++;
		sr->top = TOP_SKIP;
		sr->skip_depth = 0;
		return 1;
	}
	else
	{
		fail_at(sr, off, NULL, "unknown top-level key \"%s\"", sr->top_name);
		log_hint("Nothing is dropped silently; use --ignore-unknown to load the "
				 "rest anyway.");
		return 0;
	}
	if (sr->seen & bit)
		return fail_at(sr, off, NULL, "duplicate top-level key \"%s\"", sr->top_name);
	sr->seen |= bit;
	return 1;
}

static int
cb_map_key(void *ctx, const unsigned char *key, size_t len)
{
	storeread  *sr = ctx;
	uint64_t	off;

	if (!strict_utf8(sr, key, len))
		return 0;
	if (sr->gen)
	{
		yajl_gen_string(sr->gen, key, len);
		return 1;
	}
	if (sr->top == TOP_SKIP && sr->skip_depth > 0)
		return 1;
	if (sr->depth == 1)
		return top_key(sr, (const char *) key, len);
	/* depth 3: a record's field name */
	off = current_offset(sr);
	if (memchr(key, '\0', len))
		return fail_record(sr, off, "field name contains a NUL character");
	sr->key = sr->arena.len;
	sbuf_append0(&sr->arena, (const char *) key, len);
	sr->have_key = true;
	sr->key_line = line_at(sr, off);
	sr->key_offset = off;
	return 1;
}

static const yajl_callbacks callbacks = {
	cb_null, cb_boolean, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_map_key, cb_end_map, cb_start_array, cb_end_array
};

/* --- public -------------------------------------------------------------- */

storeread *
storeread_new(const char *name, const storeread_handler *handler, void *arg,
			  bool ignore_unknown)
{
	storeread  *sr = mem_calloc(1, sizeof(*sr));

	sr->name = mem_strdup(name);
	sr->h = handler;
	sr->arg = arg;
	sr->ignore_unknown = ignore_unknown;
	sr->scan_line = 1;
	sbuf_init(&sr->arena);
	sbuf_init(&sr->captured);
	sbuf_init(&sr->error);
	sbuf_init(&sr->meta);
	jsonparse_escapes_init(&sr->escapes);
	sr->yajl = yajl_alloc(&callbacks, NULL, sr);
	sr->digest = XXH3_createState();
	if (sr->yajl == NULL || sr->digest == NULL)
		mem_oom();
	return sr;
}

void
storeread_free(storeread **srp)
{
	storeread  *sr = *srp;

	if (sr == NULL)
		return;
	yajl_free(sr->yajl);
	XXH3_freeState(sr->digest);
	if (sr->gen)
		yajl_gen_free(sr->gen);
	sbuf_release(&sr->arena);
	sbuf_release(&sr->captured);
	sbuf_release(&sr->error);
	sbuf_release(&sr->meta);
	free(sr->slots);
	free(sr->fields);
	free(sr->name);
	free(sr);
	*srp = NULL;
}

/* Turns yajl's message into ours, naming NULs, a BOM and bad UTF-8. */
static void
syntax_error(storeread *sr, bool at_end)
{
	uint64_t	off = at_end ? sr->chunk_base + sr->chunk_len : current_offset(sr);
	size_t		rel = off - sr->chunk_base;
	unsigned char *msg = yajl_get_error(sr->yajl, 0, NULL, 0);
	char	   *m = (char *) msg;
	size_t		mlen = strlen(m);

	while (mlen > 0 && (m[mlen - 1] == '\n' || m[mlen - 1] == '.' || m[mlen - 1] == ' '))
		m[--mlen] = '\0';
	if (at_end || strstr(m, "premature EOF"))
		fail_at(sr, off, NULL, "unexpected end of input: the JSON is incomplete "
				"(truncated file?)");
	else if (off <= 3 && sr->nhead >= 1 &&
			 memcmp(sr->head, "\xef\xbb\xbf", sr->nhead) == 0)
		fail_at(sr, off, NULL, "byte order mark (BOM) at the start of the file; "
				"JSON text must not begin with one");
	else if (rel < sr->chunk_len && sr->chunk[rel] == '\0')
		fail_at(sr, off, NULL, "NUL byte in the input (%s)", m);
	else if (rel > 0 && rel <= sr->chunk_len && sr->chunk[rel - 1] == '\0')
		fail_at(sr, off - 1, NULL, "NUL byte in the input (%s)", m);
	else if (strstr(m, "UTF8"))
		fail_at(sr, off, NULL, "invalid UTF-8 in a string (%s)", m);
	else
		fail_at(sr, off, NULL, "invalid JSON (%s)", m);
	yajl_free_error(sr->yajl, msg);
}

static bool
finish_chunk(storeread *sr, yajl_status st)
{
	bool		ok = true;

	if (st == yajl_status_client_canceled)
		ok = false;
	else if (st == yajl_status_error)
	{
		syntax_error(sr, false);
		ok = false;
	}
	if (ok)
	{
		/* count the rest of the chunk's lines before it goes; digest its record bytes */
		line_at(sr, sr->chunk_base + sr->chunk_len);
		if (sr->in_record)
			digest_upto(sr, sr->chunk_base + sr->chunk_len);
		sr->chunk_base += sr->chunk_len;
		sr->nl_pos = sr->chunk_base;
		sr->chunk = NULL;
		sr->chunk_len = 0;
	}
	return ok;
}

ssize_t
storeread_read(int fd, void *buf, size_t want)
{
	size_t		got = 0;

	while (got < want)
	{
		ssize_t		n = read(fd, (char *) buf + got, want - got);

		/* a signal ends the read (what came so far is kept) so the caller can look */
		if (n < 0)
			return got > 0 ? (ssize_t) got : -1;
		if (n == 0)
			break;
		got += (size_t) n;
	}
	return (ssize_t) got;
}

size_t
storeread_next_chunk(const storeread *sr)
{
	/* a whole chunk without a quote is inside one long string (or space) */
	if (!sr->last_quote && sr->last_chunk >= STOREREAD_CHUNK)
		return sr->last_chunk * 2;
	return STOREREAD_CHUNK;
}

bool
storeread_feed(storeread *sr, const void *buf, size_t len)
{
	long long	lone;

	if (len == 0)
		return true;
	sr->last_chunk = len;
	sr->last_quote = memchr(buf, '"', len) != NULL;
	sr->chunk = buf;
	sr->chunk_len = len;
	next_newline(sr, sr->chunk_base);
	for (size_t i = 0; i < len && sr->nhead < sizeof(sr->head); i++)
		sr->head[sr->nhead++] = ((const unsigned char *) buf)[i];
	if ((lone = jsonparse_escapes_feed(&sr->escapes, buf, len)) >= 0)
	{
		/* yajl would make "?" of it */
		fail_at(sr, (uint64_t) lone, NULL, "a lone surrogate escape in a string (a \\u "
				"escape of U+D800..U+DFFF without its pair)");
		return false;
	}
	return finish_chunk(sr, yajl_parse(sr->yajl, buf, len));
}

bool
storeread_finish(storeread *sr)
{
	static const char *const required[] = {
		"observations", "sources", "sourceCursors", "ingestionRuns"
	};
	yajl_status st;

	sr->chunk = (const unsigned char *) "";
	sr->chunk_len = 0;
	sr->nl_pos = sr->chunk_base;
	st = yajl_complete_parse(sr->yajl);
	if (st == yajl_status_client_canceled)
		return false;
	if (st == yajl_status_error || !sr->done)
	{
		if (sr->chunk_base == 0)
			fail_input(sr, "the input is empty");
		else
			syntax_error(sr, true);
		return false;
	}
	/* a key is marked seen before its value, and a bad value stops the reader */
	if (!(sr->seen & SEEN_VERSION))
	{
		fail_input(sr, "missing top-level key \"version\"");
		return false;
	}
	if (!(sr->seen & SEEN_UPDATED_AT))
	{
		fail_input(sr, "missing top-level key \"updatedAt\"");
		return false;
	}
	for (size_t i = 0; i < lengthof(required); i++)
	{
		const entity_desc *d = entity_find(required[i]);

		if (!(sr->seen & (1u << entity_index(d))))
		{
			sbuf		what;

			sbuf_init(&what);
			sbuf_appendf(&what, "missing top-level array \"%s\"", d->name);
			fail_input(sr, what.data);
			sbuf_release(&what);
			return false;
		}
	}
	return true;
}

const char *
storeread_error(const storeread *sr)
{
	return sr->error.data ? sr->error.data : "";
}

int
storeread_ignored_keys(const storeread *sr)
{
	return sr->ignored;
}

uint64_t
storeread_bytes(const storeread *sr)
{
	return sr->chunk_base + sr->chunk_len;
}

bool
storeread_stream(storeread *sr, int fd, const char *name, storeread_chunk_fn on_chunk,
				 void *arg, int *exit_code)
{
	size_t		bufsize = STOREREAD_CHUNK;
	char	   *buf = mem_malloc(bufsize);
	bool		ok = true;
	int			code = AUSDASH_EXIT_OK;

	for (;;)
	{
		size_t		want = storeread_next_chunk(sr);
		ssize_t		n;

		if (want > bufsize)
			buf = mem_realloc(buf, bufsize = want);
		n = storeread_read(fd, buf, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
		{
			log_error("could not read store \"%s\": %m", name);
			code = AUSDASH_EXIT_IOERR;
			ok = false;
			break;
		}
		if (n == 0)
		{
			ok = storeread_finish(sr);
			break;
		}
		if (on_chunk && !on_chunk(arg, buf, (size_t) n))
		{
			free(buf);
			return false;
		}
		if (!(ok = storeread_feed(sr, buf, n)))
			break;
	}
	if (!ok && *storeread_error(sr))
	{
		log_error("%s", storeread_error(sr));
		code = AUSDASH_EXIT_DATAERR;
	}
	if (!ok && exit_code && code != AUSDASH_EXIT_OK)
		*exit_code = code;
	free(buf);
	return ok;
}

bool
storeread_file(const char *path, const storeread_handler *handler, void *arg,
			   bool ignore_unknown, int *exit_code)
{
	storeread  *sr;
	int			fd = open(path, O_RDONLY | O_CLOEXEC);
	bool		ok;

	if (fd < 0)
	{
		int			err = errno;	/* before logging can change it */

		log_error("could not open store \"%s\": %s", path, strerror(err));
		if (exit_code)
			*exit_code = exitcode_for_open_error(err);
		return false;
	}
	sr = storeread_new(path, handler, arg, ignore_unknown);
	ok = storeread_stream(sr, fd, path, NULL, NULL, exit_code);
	close(fd);
	storeread_free(&sr);
	return ok;
}

const char *
storeread_default_path(void)
{
	const char *env = getenv("AUS_DASH_STORE_PATH");

	return env && *env ? env : STOREREAD_DEFAULT_PATH;
}
