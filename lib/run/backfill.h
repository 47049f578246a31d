/*
 * lib/run/backfill.h - a whole live-store.json into PostgreSQL: every
 * entity read, checked, staged with COPY and merged (last write wins), in
 * one run of lib/run/lifecycle.h (job "ausdash-backfill", lock "backfill").
 */
#ifndef AUSDASH_BACKFILL_H
#define AUSDASH_BACKFILL_H

#include <stdbool.h>

#include "pg/db.h"
#include "load/stage.h"

typedef struct backfill_options
{
	const char *input;			/* the store's name, for messages and the ledger */
	int			fd;				/* the store, open for reading */
	bool		dry_run;
	bool		json;
	bool		ignore_unknown;	/* skip unknown keys and fields, with a warning */
	bool		strict_dates;	/* reject impossible date tokens */
	bool		allow_rewind;	/* let the store move a cursor back */
	int			max_errors;
	const char *rejects_path;	/* or NULL */
	long		lock_wait_ms;
	stage_index_build index_build;
	bool		compare_all;	/* stage every record, digests or not */
	bool		reader_upgrades;	/* load the store as the dashboard reads it */
	const char *reader_seed;	/* its seed store (lib/store/readerup.h), or NULL */
} backfill_options;

void		backfill_options_init(backfill_options *o);

/* Loads the store; returns the exit code (lib/run/lifecycle.h). */
int			backfill_run(const backfill_options *o, const db_options *dbo);

#endif
