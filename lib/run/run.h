/*
 * lib/run/run.h - the run ledger (public.ingestion_runs) for ausdash's own runs.
 *
 * A run is first recorded as "running" in its own short transaction, so a
 * run that dies (SIGKILL, a lost connection) stays visible.  Its final
 * status is written by run_finish() inside the caller's transaction,
 * together with its data, or by run_fail() after that transaction rolled
 * back.  A run holds the session-level advisory lock of its lock name for
 * its whole life; so when the next run of that name holds the lock, any
 * row still "running" under the same lock key belongs to a dead session,
 * and run_begin() marks it "abandoned".
 */
#ifndef AUSDASH_RUN_H
#define AUSDASH_RUN_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct run_counts
{
	long long	read;
	long long	inserted;
	long long	updated;
	long long	unchanged;
	long long	rejected;
} run_counts;

typedef struct run
{
	/* set by the caller */
	const char *job;			/* e.g. "ausdash-backfill" */
	const char *lock_name;		/* the advisory lock the run holds */
	const char *source_id;		/* NULL when not about one source */
	const char *run_mode;		/* "scheduled", "manual", "backfill", "replay" */
	const char *input_name;		/* file name, "-" for standard input */
	/* set by run_begin() */
	char		run_id[128];
	bool		begun;
} run;

/*
 * In its own transaction: marks earlier "running" rows of the same lock key
 * as abandoned (the caller must hold the lock), then inserts this run as
 * running with a run_id of "<job>-<epoch ms>".  False (logged) on failure.
 */
bool		run_begin(PGconn *conn, run *r);

/*
 * Records the final status ("ok", "partial", ...) with counts, the input's
 * checksum and size, details (a JSON object, or NULL) and an error summary
 * (or NULL), in the caller's open transaction.  False (logged) on failure.
 */
bool		run_finish(PGconn *conn, const run *r, const char *status,
					   const run_counts *counts, const char *input_sha256,
					   long long input_bytes, const char *details,
					   const char *error_summary);

/*
 * Records the run as failed with its error summary, in a transaction of
 * its own (call it after the run's transaction rolled back).  Reconnects
 * once if the connection was lost.  False (logged as a warning) when even
 * that was impossible: the row then stays "running" until the next run of
 * the same lock name marks it abandoned.
 */
bool		run_fail(PGconn *conn, const run *r, const char *error_summary,
					 const run_counts *counts);

#endif
