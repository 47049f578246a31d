/*
 * tests/fuzz/fuzz_feed.h - what the feed harnesses share: each observation
 * is checked as ausdash-ingest checks it, and bad rows are skipped to
 * reach further.
 */
#ifndef AUSDASH_FUZZ_FEED_H
#define AUSDASH_FUZZ_FEED_H

#include "model/entity.h"
#include "feed/feed.h"
#include "feed/feed_registry.h"
#include "base/sbuf.h"

static bool
fuzz_on_emit(void *arg, const entity_record *rec)
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
fuzz_on_reject(void *arg, const char *where, long long line, const char *path, const char *reason)
{
	return true;
}

/* Sets f up as ausdash-ingest would for source (the mapping's series codes too). */
static void
fuzz_feed_init(feed *f, const char *source)
{
	feed_init(f, source, "fuzz", "2026-03-12T02:40:00.098Z");
	f->map = feed_registry_builtin_map;
	f->nmap = 2;
	f->emit = fuzz_on_emit;
	f->reject = fuzz_on_reject;
}

#endif
