/*
 * lib/load/export.h - PostgreSQL back out as live-store.json, every entity,
 * from one consistent snapshot of the database (REPEATABLE READ, read
 * only), streamed through a cursor into lib/store/storewrite.c, which
 * replaces the output atomically: the rollback path to the dashboard's
 * file store.
 */
#ifndef AUSDASH_EXPORT_H
#define AUSDASH_EXPORT_H

#include "pg/db.h"

typedef struct export_options
{
	const char *output;			/* the store to write, "-" for standard output */
	long		lock_wait_ms;	/* wait this long for another writer of it */
} export_options;

/* Writes the store; returns the exit code (0, 1, 69, 74 or 75). */
int			export_run(const export_options *o, const db_options *dbo);

#endif
