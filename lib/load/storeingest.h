/*
 * lib/load/storeingest.h - one ingest run applied to a live-store.json with the
 * dashboard's store semantics (aus-dash-reference.md section 3), in one
 * atomic replacement of the file.
 *
 * The observations a payload produced are collected (storeingest_add);
 * storeingest_apply() then, holding the store's lock (lib/store/storewrite.h):
 *   1. reads the store once: is the snapshot (source, checksum) there
 *      already, and what is the source's cursor;
 *   2. reads it again while writing the new file: each observation whose
 *      key (seriesId|regionCode|date|vintage) the payload produced is
 *      replaced whole, in place; the others are appended; the snapshot,
 *      the cursor (never moved back unless allowed) and the run are added;
 *      everything else is copied as it is, record by record;
 *   3. renames the new file over the store.
 * A payload already stored changes nothing but the run, which is still
 * appended.  Memory grows with the payload's observations, not with the
 * store.
 */
#ifndef AUSDASH_STOREINGEST_H
#define AUSDASH_STOREINGEST_H

#include <stdbool.h>

#include "model/entity.h"

typedef struct storeingest storeingest;

typedef struct storeingest_run
{
	const char *path;			/* the store */
	long		lock_wait_ms;
	const char *source_id;
	const char *job;
	const char *run_id;			/* NULL: <job>-<epoch ms> */
	const char *run_mode;
	const char *snapshot_id;
	const char *checksum;
	const char *captured_at;	/* also the run's start */
	const char *content_type;
	const char *payload;
	const char *cursor;			/* newest date token, or "" */
	bool		allow_rewind;
} storeingest_run;

typedef struct storeingest_result
{
	long long	inserted;
	long long	updated;
	bool		duplicate;		/* the snapshot was there already */
	char		duplicate_of[200];
	char		old_cursor[64];
	bool		cursor_moved;
	bool		locked;			/* failed because another writer held the lock */
	int			exit_code;		/* of a failure */
} storeingest_result;

storeingest *storeingest_new(void);
void		storeingest_free(storeingest **si);

/* Collects one observation (copied); a later one of the same key wins. */
void		storeingest_add(storeingest *si, const entity_record *rec);

/* Applies the run to the store; false (logged) with the store unchanged. */
bool		storeingest_apply(storeingest *si, const storeingest_run *run,
							  storeingest_result *res);

/*
 * After apply: calls fn for each observation of the payload as the store
 * now holds it (or NULL when the store has none under that key).
 */
void		storeingest_each(const storeingest *si,
							 void (*fn) (void *arg, const char *key, const entity_record *now),
							 void *arg);

#endif
