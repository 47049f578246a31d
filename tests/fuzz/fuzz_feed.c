/*
 * tests/fuzz/fuzz_feed.c - libFuzzer harness for every feed format: the
 * first byte picks the format, the rest is the payload; each observation
 * is checked as ausdash-ingest checks it; bad rows are skipped to reach
 * further (make fuzz).
 */
#include "base/common.h"

#include "fuzz_feed.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int			nformats = 0;
	const feed_format *fmt;
	feed		f;

	if (size < 1)
		return 0;
	while (feed_registry_formats[nformats])
		nformats++;
	fmt = feed_registry_formats[data[0] % nformats];
	fuzz_feed_init(&f, data[0] & 0x80 ? "aemo_wem_source_mix" : "fuzz_source");
	f.check_footer = (data[0] & 0x40) == 0;
	feed_parse(&f, fmt, (const char *) data + 1, size - 1);
	feed_release(&f);
	return 0;
}
