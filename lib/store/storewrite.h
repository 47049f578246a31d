/*
 * lib/store/storewrite.h - write live-store.json in the dashboard's exact shape,
 * atomically.
 *
 * The output is what JSON.stringify(store, null, 2) gives
 * (aus-dash-reference.md section 1): 2-space indent, "key": value, empty
 * arrays as [], non-ASCII raw, control characters as \u00xx, no trailing
 * newline; strings are encoded by yajl's generator.  The caller writes the
 * top-level keys in the store's order and each record's fields in the
 * order it wants them.
 *
 * To a file: a symbolic link is written through (its target is replaced);
 * a FIFO, device, directory or socket is refused.  storewrite_open() first
 * takes an exclusive lock (flock) on FILE.lock beside it (never followed
 * if it is a link), held until commit or abort, so that ausdash writers
 * never interleave; the data goes to a temporary file in the same
 * directory with the old file's owner, group and mode (or 0666 less the
 * umask), which storewrite_commit() fsyncs and renames over FILE, then
 * fsyncs the directory.  A reader sees the old file or the new one, never
 * a part.  A signal (INT, TERM, HUP) while the temporary file exists
 * removes it.  To standard output ("-"): no lock, no rename.
 */
#ifndef AUSDASH_STOREWRITE_H
#define AUSDASH_STOREWRITE_H

#include <stdbool.h>

#include "model/entity.h"

typedef struct storewrite storewrite;

/*
 * Locks path and opens its temporary file ("-": standard output).
 * wait_ms: how long to wait for the lock (0: fail at once when held; -1
 * forever).  NULL (logged) on failure; *locked says whether the lock was
 * the reason.
 */
storewrite *storewrite_open(const char *path, long wait_ms, bool *locked);

/* The top-level "version" and "updatedAt", which come first. */
void		storewrite_meta(storewrite *sw, const char *version, const char *updated_at);

/* A top-level array: begin, records, end. */
void		storewrite_array_begin(storewrite *sw, const char *name);
/* One record: its fields in order (a null field is written as null). */
void		storewrite_record(storewrite *sw, const entity_record *rec);
void		storewrite_array_end(storewrite *sw);

/*
 * Finishes the document; for a file, fsync, rename over the store, fsync
 * of the directory, unlock.  False (logged) on any error: the store is then
 * as before.  Frees *sw and sets it NULL.
 */
bool		storewrite_commit(storewrite **sw);

/* Drops the temporary file and unlocks; the store is as before.  Frees *sw, sets it NULL. */
void		storewrite_abort(storewrite **sw);

#endif
