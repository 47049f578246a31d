/*
 * tests/unit/test_storeread.c - the streaming store reader: records,
 * exact number text, positions and paths, shape errors, at any chunk size.
 */
#include "unit.h"

#include <xxhash.h>

#include "base/log.h"
#include "base/sbuf.h"
#include "store/storeread.h"
#include "base/banned.h"

typedef struct collect
{
	sbuf		out;			/* one line per event */
	int			stop_at;		/* record index to refuse, or -1 */
} collect;

static bool
on_meta(void *arg, const entity_field *f)
{
	collect    *c = arg;

	sbuf_appendf(&c->out, "meta %s=%s\n", f->name, f->val);
	return true;
}

static bool
on_begin(void *arg, const entity_desc *d)
{
	sbuf_appendf(&((collect *) arg)->out, "begin %s\n", d->name);
	return true;
}

static bool
on_record(void *arg, const entity_desc *d, const entity_record *rec)
{
	collect    *c = arg;

	if (rec->index == c->stop_at)
		return false;
	sbuf_appendf(&c->out, "%s[%lld]@%llu:%llu", rec->entity, rec->index,
				 (unsigned long long) rec->line, (unsigned long long) rec->offset);
	for (int i = 0; i < rec->nfields; i++)
		sbuf_appendf(&c->out, " %s:%d=%s@%llu", rec->fields[i].name, (int) rec->fields[i].type,
					 rec->fields[i].val, (unsigned long long) rec->fields[i].line);
	sbuf_appendc(&c->out, '\n');
	return true;
}

static bool
on_end(void *arg, const entity_desc *d, long long n)
{
	sbuf_appendf(&((collect *) arg)->out, "end %s %lld\n", d->name, n);
	return true;
}

static const storeread_handler handler = {on_meta, on_begin, on_record, on_end};

/* Reads json in chunks of chunk bytes; returns the error ("" if none). */
static char *
read_store(const char *json, size_t len, size_t chunk, bool ignore, collect *c)
{
	storeread  *sr = storeread_new("s.json", &handler, c, ignore);
	bool		ok = true;
	char	   *err;

	for (size_t off = 0; ok && off < len; off += chunk)
		ok = storeread_feed(sr, json + off, len - off < chunk ? len - off : chunk);
	if (ok)
		ok = storeread_finish(sr);
	err = strdup(ok ? "" : storeread_error(sr));
	storeread_free(&sr);
	assert_null(sr);
	return err;
}

#define MINIMAL_TAIL "\"observations\":[],\"sources\":[],\"sourceCursors\":[],\"ingestionRuns\":[]}"

static const char store[] =
	"{\n"
	"  \"version\": 1,\n"
	"  \"updatedAt\": \"2026-03-12T02:42:00.054Z\",\n"
	"  \"observations\": [\n"
	"    {\"seriesId\": \"a\", \"value\": 117.44888178913737, \"isModeled\": false,\n"
	"     \"big\": 1234567890123456789012345678, \"n\": null, \"nest\": {\"x\": [1, \"\\u00e9\"]}},\n"
	"    {\"seriesId\": \"b\\n\\u0041\", \"value\": -4.96e-3}\n"
	"  ],\n"
	"  \"sources\": [], \"sourceCursors\": [], \"ingestionRuns\": []\n"
	"}";

static void
test_records_any_chunk(void **state)
{
	char	   *first = NULL;

	for (size_t chunk = 1; chunk <= sizeof(store); chunk += (chunk < 20 ? 1 : 97))
	{
		collect		c = {{0}, -1};
		char	   *err;

		sbuf_init(&c.out);
		err = read_store(store, sizeof(store) - 1, chunk, false, &c);
		assert_string_equal(err, "");
		free(err);
		if (first == NULL)
			first = strdup(c.out.data);
		else
			assert_string_equal(c.out.data, first);
		sbuf_release(&c.out);
	}
	assert_string_equal(first,
						"meta version=1\n"
						"meta updatedAt=2026-03-12T02:42:00.054Z\n"
						"begin observations\n"
						"observations[0]@5:85 seriesId:3=a@5 value:2=117.44888178913737@5"
						" isModeled:1=false@5 big:2=1234567890123456789012345678@6 n:0=null@6"
						" nest:4={\"x\":[1,\"\xc3\xa9\"]}@6\n"
						"observations[1]@7:240 seriesId:3=b\nA@7 value:2=-4.96e-3@7\n"
						"end observations 2\n"
						"begin sources\nend sources 0\n"
						"begin sourceCursors\nend sourceCursors 0\n"
						"begin ingestionRuns\nend ingestionRuns 0\n");
	free(first);
}

typedef struct digests
{
	uint64_t	d[4];
	int			n;
	bool		all;			/* every record had one */
} digests;

static bool
on_record_digest(void *arg, const entity_desc *d, const entity_record *rec)
{
	digests    *g = arg;

	g->all = g->all && rec->has_digest;
	if (g->n < 4)
		g->d[g->n++] = rec->digest;
	return true;
}

/*
 * A record's digest is the seeded XXH3 of its text exactly as read, from
 * brace to brace, whatever the chunks it came in; a byte more or less in
 * it, or another seed, gives another.
 */
static void
test_record_digest(void **state)
{
	static const storeread_handler h = {NULL, NULL, on_record_digest, NULL};
	const char *r0 = strstr(store, "{\"seriesId\": \"a\"");
	const char *r1 = strstr(store, "{\"seriesId\": \"b");
	size_t		len0 = (size_t) (strstr(r0, "}},\n") + 2 - r0);
	size_t		len1 = (size_t) (strstr(r1, "}\n") + 1 - r1);
	uint64_t	want0 = XXH3_64bits_withSeed(r0, len0, ENTITY_RECORD_DIGEST_SEED);
	uint64_t	want1 = XXH3_64bits_withSeed(r1, len1, ENTITY_RECORD_DIGEST_SEED);
	char		other[sizeof(store)];
	entity_record rec = {0};

	for (size_t chunk = 1; chunk <= sizeof(store); chunk += (chunk < 30 ? 1 : 61))
	{
		digests		g = {{0}, 0, true};
		storeread  *sr = storeread_new("s.json", &h, &g, false);
		bool		ok = true;

		for (size_t off = 0; ok && off < sizeof(store) - 1; off += chunk)
			ok = storeread_feed(sr, store + off, sizeof(store) - 1 - off < chunk ?
								sizeof(store) - 1 - off : chunk);
		assert_true(ok && storeread_finish(sr));
		storeread_free(&sr);
		assert_true(g.all);
		assert_int_equal(g.n, 2);
		assert_true(g.d[0] == want0);
		assert_true(g.d[1] == want1);
	}
	/* a space more inside the first record: its digest changes, not the second's */
	{
		digests		g = {{0}, 0, true};
		storeread  *sr = storeread_new("s.json", &h, &g, false);
		size_t		at = (size_t) (strstr(store, "\"isModeled\"") - store);

		memcpy(other, store, at);
		other[at] = ' ';
		memcpy(other + at + 1, store + at, sizeof(store) - 1 - at);
		assert_true(storeread_feed(sr, other, sizeof(store)) && storeread_finish(sr));
		storeread_free(&sr);
		assert_true(g.d[0] != want0);
		assert_true(g.d[1] == want1);
	}
	/* the place is part of what a row keeps */
	rec.has_digest = true;
	rec.digest = want0;
	rec.index = 0;
	{
		uint64_t	at0 = entity_record_place_digest(&rec);

		rec.index = 1;
		assert_true(entity_record_place_digest(&rec) != at0);
		rec.index = 0;
		assert_true(entity_record_place_digest(&rec) == at0);
	}
}

/* Expects an error containing want for json, at chunk sizes 1 and whole. */
static void
expect_error(const char *json, bool ignore, const char *want)
{
	size_t		chunks[] = {1, 3, strlen(json) ? strlen(json) : 1};

	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++)
	{
		collect		c = {{0}, -1};
		char	   *err;

		sbuf_init(&c.out);
		err = read_store(json, strlen(json), chunks[i], ignore, &c);
		if (strstr(err, want) == NULL)
			fail_msg("error \"%s\" does not contain \"%s\" (chunk %zu)", err, want, chunks[i]);
		free(err);
		sbuf_release(&c.out);
	}
}

static void
test_shape_errors(void **state)
{
	expect_error("", false, "\"s.json\": the input is empty");
	expect_error("[]", false, "line 1, byte 1: expected a JSON object at the top level");
	expect_error("{\"version\":2}", false, "version: unsupported store version 2");
	expect_error("{\"version\":\"1\"}", false, "version: expected the number 1, found a string");
	expect_error("{\"version\":1,\"updatedAt\":\"2026-13-01\"}", false,
				 "updatedAt: invalid timestamp \"2026-13-01\"");
	expect_error("{\"version\":1,\"observations\":{}}", false,
				 "observations: expected an array, found an object");
	expect_error("{\"version\":1,\"observations\":[1]}", false,
				 "observations[0]: expected an object, found a number");
	expect_error("{\"version\":1,\"observations\":[],\"observations\":[]}", false,
				 "duplicate top-level key \"observations\"");
	expect_error("{\"version\":1,\"extra\":[]}", false, "unknown top-level key \"extra\"");
	expect_error("{\"updatedAt\":\"2026-01-01\"," MINIMAL_TAIL, false,
				 "missing top-level key \"version\"");
	expect_error("{\"version\":1,\"updatedAt\":\"2026-01-01\",\"observations\":[],"
				 "\"sources\":[],\"sourceCursors\":[]}", false,
				 "missing top-level array \"ingestionRuns\"");
	expect_error("{\"version\":1,\"observations\":[{\"a\":\"x", false,
				 "unexpected end of input: the JSON is incomplete");
	expect_error("{\"version\":1,\"observations\":[{\"a\":\"x\0\0\0", false,
				 "unexpected end of input");
	expect_error("\xef\xbb\xbf{}", false, "byte order mark (BOM)");
	expect_error("{\"version\":1,\"observations\":[{\"a\":\"\xff\"}]}", false,
				 "invalid UTF-8 in a string");
	expect_error("{\"version\":1,\"observations\":[{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
				 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
				 false, "nesting deeper than 64 levels");
}

static void
test_nul_and_position(void **state)
{
	static const char json[] = "{\"version\":1,\n\"observations\":[{\"a\":\"x\0\"}]}";
	collect		c = {{0}, -1};
	char	   *err;

	sbuf_init(&c.out);
	err = read_store(json, sizeof(json) - 1, 4, false, &c);
	assert_string_equal(err, "\"s.json\", line 2, byte 37: NUL byte in the input "
						"(lexical error: invalid character inside string)");
	free(err);
	sbuf_release(&c.out);
}

/* A string that runs on across chunks doubles the next chunk: linear, not quadratic. */
static void
test_chunks_double_in_a_long_string(void **state)
{
	static const char head[] = "{\"version\":1,\"updatedAt\":\"2026-01-01\",\"x\":\"";
	static const char tail[] = "\"," MINIMAL_TAIL;
	collect		c = {{0}, -1};
	storeread  *sr;
	char	   *a = malloc(4 * STOREREAD_CHUNK);
	size_t		want;

	memset(a, 'a', 4 * STOREREAD_CHUNK);
	memcpy(a, head, sizeof(head) - 1);
	sbuf_init(&c.out);
	log_set_level(LOG_LEVEL_ERROR);
	sr = storeread_new("s.json", &handler, &c, true);
	assert_int_equal(storeread_next_chunk(sr), STOREREAD_CHUNK);
	/* a string that opens in a chunk: strings do, all the time; no change */
	assert_true(storeread_feed(sr, a, STOREREAD_CHUNK));
	assert_int_equal(storeread_next_chunk(sr), STOREREAD_CHUNK);
	/* a whole chunk inside it: a long string, so the next chunk doubles */
	assert_true(storeread_feed(sr, a + sizeof(head), STOREREAD_CHUNK));
	want = storeread_next_chunk(sr);
	assert_int_equal(want, 2 * STOREREAD_CHUNK);
	assert_true(storeread_feed(sr, a + sizeof(head), want));
	assert_int_equal(storeread_next_chunk(sr), 4 * STOREREAD_CHUNK);
	/* a \" inside does not end the string (a short read resets the size) */
	assert_true(storeread_feed(sr, "\\\"", 2));
	assert_int_equal(storeread_next_chunk(sr), STOREREAD_CHUNK);
	assert_true(storeread_feed(sr, a + sizeof(head), STOREREAD_CHUNK));
	assert_int_equal(storeread_next_chunk(sr), 2 * STOREREAD_CHUNK);
	/* out of the string: back to the normal size */
	assert_true(storeread_feed(sr, tail, sizeof(tail) - 1));
	assert_int_equal(storeread_next_chunk(sr), STOREREAD_CHUNK);
	assert_true(storeread_finish(sr));
	storeread_free(&sr);
	sbuf_release(&c.out);
	free(a);
}

static void
test_ignore_unknown(void **state)
{
	static const char json[] =
		"{\"version\":1,\"updatedAt\":\"2026-01-01\",\"x\":{\"deep\":[1,{\"y\":2}]},"
		"\"z\":3," MINIMAL_TAIL;
	collect		c = {{0}, -1};
	storeread  *sr;

	sbuf_init(&c.out);
	log_set_level(LOG_LEVEL_ERROR);
	sr = storeread_new("s.json", &handler, &c, true);
	assert_true(storeread_feed(sr, json, sizeof(json) - 1));
	assert_true(storeread_finish(sr));
	assert_int_equal(storeread_ignored_keys(sr), 2);
	assert_int_equal(storeread_bytes(sr), sizeof(json) - 1);
	storeread_free(&sr);
	assert_null(strstr(c.out.data, "deep"));
	sbuf_release(&c.out);
}

static void
test_handler_stops(void **state)
{
	static const char json[] =
		"{\"version\":1,\"updatedAt\":\"2026-01-01\",\"observations\":[{},{},{}],"
		"\"sources\":[],\"sourceCursors\":[],\"ingestionRuns\":[]}";
	collect		c = {{0}, 1};
	char	   *err;

	sbuf_init(&c.out);
	err = read_store(json, sizeof(json) - 1, 5, false, &c);
	assert_string_equal(err, "");	/* the handler said why, not the reader */
	free(err);
	/* a refusal stops the reader at once */
	{
		storeread  *sr = storeread_new("s.json", &handler, &c, false);

		assert_false(storeread_feed(sr, json, sizeof(json) - 1));
		assert_string_equal(storeread_error(sr), "");
		storeread_free(&sr);
	}
	assert_non_null(strstr(c.out.data, "observations[0]"));
	assert_null(strstr(c.out.data, "observations[2]"));
	sbuf_release(&c.out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_any_chunk),
		cmocka_unit_test(test_record_digest),
		cmocka_unit_test(test_shape_errors),
		cmocka_unit_test(test_nul_and_position),
		cmocka_unit_test(test_ignore_unknown),
		cmocka_unit_test(test_chunks_double_in_a_long_string),
		cmocka_unit_test(test_handler_stops),
	};

	return UNIT_RUN(tests);
}
