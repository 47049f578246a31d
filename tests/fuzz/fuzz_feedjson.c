/*
 * tests/fuzz/fuzz_feedjson.c - libFuzzer harness for the JSON feed
 * formats, aware of depth and size (make fuzz-long).
 *
 * Input: byte 0 picks a JSON format; byte 1 a nesting depth (0..255 levels
 * of [ or {"a": around the payload, so both sides of the 64-level limit
 * are reached); byte 2 how often the payload repeats inside the innermost
 * array (1..16, to grow the tree) and the tree-size budget for the direct
 * check; the rest is the payload.  The built text goes through
 * jsonparse_tree() with a small budget (its invariants are checked) and
 * through the format's parser, whose observations are checked as
 * ausdash-ingest checks them.
 */
#include "base/common.h"

#include "base/jsonparse.h"
#include "fuzz_feed.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The depth of a tree that jsonparse_tree() accepted (so at most 64 deep). */
static int
depth_of(yajl_val v)
{
	int			max = 0;

	if (YAJL_IS_OBJECT(v))
		for (size_t i = 0; i < v->u.object.len; i++)
		{
			int			d = depth_of(v->u.object.values[i]);

			max = d > max ? d : max;
		}
	else if (YAJL_IS_ARRAY(v))
		for (size_t i = 0; i < v->u.array.len; i++)
		{
			int			d = depth_of(v->u.array.values[i]);

			max = d > max ? d : max;
		}
	else
		return 0;
	return max + 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const feed_format *json[32];
	int			njson = 0;
	const feed_format *fmt;
	int			depth;
	int			repeat;
	sbuf		text;
	jsonparse_error err;
	yajl_val	tree;
	feed		f;

	if (size < 3)
		return 0;
	for (int i = 0; feed_registry_formats[i] && njson < 32; i++)
		if (strstr(feed_registry_formats[i]->content_type, "json"))
			json[njson++] = feed_registry_formats[i];
	fmt = json[data[0] % njson];
	depth = data[1];
	repeat = 1 + (data[2] & 15);
	sbuf_init(&text);
	for (int i = 0; i < depth; i++)
		sbuf_appends(&text, i % 3 == 2 ? "[" : "{\"a\":");
	sbuf_appendc(&text, '[');
	for (int r = 0; r < repeat; r++)
	{
		if (r > 0)
			sbuf_appendc(&text, ',');
		sbuf_append(&text, (const char *) data + 3, size - 3);
	}
	sbuf_appendc(&text, ']');
	for (int i = depth - 1; i >= 0; i--)
		sbuf_appendc(&text, i % 3 == 2 ? ']' : '}');

	/* the bounds themselves, with a budget of 1..64 KB */
	tree = jsonparse_tree(text.data, text.len, 1024LL * (1 + (data[2] >> 2)), &err);
	if (tree)
	{
		if (depth_of(tree) > JSONPARSE_MAX_DEPTH)
			abort();
		yajl_tree_free(tree);
	}
	else if (err.msg[0] == '\0' || err.byte > text.len || err.line < 1)
		abort();

	/* the format, on the wrapped text and on the payload alone */
	for (int pass = 0; pass < 2; pass++)
	{
		fuzz_feed_init(&f, data[0] & 0x80 ? "aemo_wem_source_mix" : "fuzz_source");
		if (pass == 0)
			feed_parse(&f, fmt, text.data, text.len);
		else if (size > 3)
			feed_parse(&f, fmt, (const char *) data + 3, size - 3);
		feed_release(&f);
	}
	sbuf_release(&text);
	return 0;
}
