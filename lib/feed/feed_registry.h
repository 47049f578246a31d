/*
 * lib/feed/feed_registry.h - the feed formats and the known sources.
 */
#ifndef AUSDASH_FEED_REGISTRY_H
#define AUSDASH_FEED_REGISTRY_H

#include "feed/feed.h"

/* Every format, NULL-terminated, in the order --list-formats prints them. */
extern const feed_format *const feed_registry_formats[];
extern const feed_source feed_registry_sources[];

/* Migration 0005's series codes, for runs without a database. */
extern const feed_series_map feed_registry_builtin_map[];

/* The format of a name, or NULL. */
const feed_format *feed_registry_format(const char *name);

/*
 * The format a payload unmistakably is by its first bytes (an AEMO MMS
 * file's "C,NEMP.WORLD," record), or NULL when none says so.
 */
const feed_format *feed_registry_sniff(const char *buf, size_t len);

/* The known source of an id, or NULL. */
const feed_source *feed_registry_source(const char *source_id);

#endif
