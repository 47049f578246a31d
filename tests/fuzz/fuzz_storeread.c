/*
 * tests/fuzz/fuzz_storeread.c - libFuzzer harness for the store reader:
 * any bytes, fed in two chunks (the split taken from the input), through
 * storeread and entity_check_record(), must end in a result or a placed
 * error, never a crash, a leak or undefined behaviour (make fuzz).
 */
#include "base/common.h"

#include "model/entity.h"
#include "base/sbuf.h"
#include "store/storeread.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
on_record(void *arg, const entity_desc *d, const entity_record *rec)
{
	const entity_field *bycol[ENTITY_MAX_COLUMNS];
	const char *field = NULL;
	sbuf		why;

	sbuf_init(&why);
	entity_check_record(d, rec, true, bycol, &why, &field);
	sbuf_release(&why);
	return true;
}

static const storeread_handler handler = {NULL, NULL, on_record, NULL};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	storeread  *sr;
	size_t		len,
				split;

	if (size < 1)
		return 0;
	len = size - 1;
	split = data[0] % (len + 1);
	sr = storeread_new("fuzz", &handler, NULL, data[0] & 1);
	if (storeread_feed(sr, data + 1, split) && storeread_feed(sr, data + 1 + split, len - split))
		storeread_finish(sr);
	storeread_free(&sr);
	return 0;
}
