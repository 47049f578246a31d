/*
 * tests/fuzz/fuzz_feed.c - libFuzzer harness for every feed format: the
 * first byte picks the format, the rest is the payload; each observation
 * is checked as ausdash-ingest checks it; bad rows are skipped to reach
 * further (make fuzz).
 */
#include "../../lib/common.h"

#include "../../lib/entity.h"
#include "../../lib/feed.h"
#include "../../lib/sbuf.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
on_emit(void *arg, const entity_record *rec)
{
	const entity_field *bycol[ENTITY_MAX_COLUMNS];
	const char *field = NULL;
	sbuf		why;

	sbuf_init(&why);
	entity_check_record(entity_find("observations"), rec, false, bycol, &why, &field);
	sbuf_release(&why);
	return true;
}

static bool
on_reject(void *arg, const char *where, long long line, const char *path, const char *reason)
{
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int			nformats = 0;
	const feed_format *fmt;
	feed		f;

	if (size < 1)
		return 0;
	while (feed_formats[nformats])
		nformats++;
	fmt = feed_formats[data[0] % nformats];
	feed_init(&f, data[0] & 0x80 ? "aemo_wem_source_mix" : "fuzz_source", "fuzz",
			  "2026-03-12T02:40:00.098Z");
	f.map = feed_builtin_map;
	f.nmap = 2;
	f.emit = on_emit;
	f.reject = on_reject;
	f.check_footer = (data[0] & 0x40) == 0;
	feed_parse(&f, fmt, (const char *) data + 1, size - 1);
	feed_release(&f);
	return 0;
}
