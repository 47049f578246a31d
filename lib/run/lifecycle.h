/*
 * lib/run/lifecycle.h - the one life of a writing run (ausdash-backfill,
 * ausdash-ingest, ausdash-replay), after pgBackRest's cmdBegin/cmdEnd:
 *
 *   lifecycle_init(&lc); set the options, lc.ops and lc.arg;
 *   lifecycle_begin(&lc, &dbo);   rejects file, connect, advisory lock
 *                                 (held: exit 75), cancel on SIGINT and
 *                                 SIGTERM, run row "running", BEGIN (and
 *                                 the batch settings); exits on failure
 *   ... the tool's work on lc.conn, bad records through lc.budget ...
 *   return lifecycle_end(&lc, ok);
 *
 * lifecycle_end() commits with the run's row, or rolls a dry run back; a
 * failed run is rolled back and recorded as failed (its summary is the last
 * error).  It prints one summary: text (through ops->summary_text) and
 * with --json one object whose header (status, error, run_id, job,
 * run_mode, dry_run, duration_ms) is the same for every tool and whose
 * body is the tool's (ops->summary_body).  Then it closes the rejects
 * file, lets the lock go (after a success; a failed run's session ends
 * anyway), disconnects and closes stdout, each failure of which fails the
 * run's report (exit 74).
 *
 * Exit codes: 0, 2 (some records rejected), 3 (the dual backend's drift,
 * from ops->after_commit), or lc.exit_code (else 1) for a failed run; a
 * lock timeout on the server (SQLSTATE 55P03) is exit 75 like a held
 * advisory lock.
 */
#ifndef AUSDASH_LIFECYCLE_H
#define AUSDASH_LIFECYCLE_H

#include <stdbool.h>
#include <stdint.h>

#include <yajl/yajl_gen.h>

#include "pg/db.h"
#include "model/reject.h"
#include "run/run.h"

typedef struct lifecycle_ops
{
	/* the run's counts, for the ledger and the status (required) */
	void		(*counts) (void *arg, run_counts *t);
	/* the tool's fields of the JSON summary, inside its object (required) */
	void		(*summary_body) (void *arg, yajl_gen g);
	/* the text summary of a run that succeeded (required) */
	void		(*summary_text) (void *arg, const char *status);
	/* before a failed run rolls back, e.g. to end a COPY (or NULL) */
	void		(*on_failure) (void *arg);
	/* after the commit, or alone without a database: returns the exit code (or NULL) */
	int			(*after_commit) (void *arg, int code);
} lifecycle_ops;

typedef struct lifecycle
{
	/* set by the caller before lifecycle_begin() */
	run			run;			/* .job, .lock_name, .run_mode, .source_id, .input_name */
	const char *busy;			/* what a held lock means: "another backfill is running" */
	long		lock_wait_ms;
	bool		dry_run;
	bool		json;
	bool		batch;			/* the batch settings of sql/pg/txn.sql */
	bool		no_database;	/* the store backend: no connection, lock or run row */
	const char *rejects_path;	/* --rejects, or NULL */
	reject_budget budget;		/* .max_errors; .file opened by lifecycle_begin() */
	const lifecycle_ops *ops;
	void	   *arg;

	/* set by the tool during the run */
	PGconn	   *conn;			/* set by lifecycle_begin(), NULL without a database */
	int			exit_code;		/* why the run failed (e.g. AUSDASH_EXIT_DATAERR), or 0 */
	bool		skipped;		/* a payload mapped before: "skipped_duplicate" */
	bool		forget;			/* nothing to do: the run's row goes again */
	const char *input_sha256;	/* the input's checksum, or NULL */
	long long	input_bytes;	/* its size, or -1 */

	int64_t		started_ms;
} lifecycle;

void		lifecycle_init(lifecycle *lc);

/*
 * Takes the advisory lock name, waiting up to wait_ms; when another session
 * holds it, says "<busy> (advisory lock ... is held)", who holds it and
 * what to do.  Returns 0, AUSDASH_EXIT_LOCKED or AUSDASH_EXIT_FAILURE.
 * (ausdash-migrate takes its lock through this alone.)
 */
int			lifecycle_lock(PGconn *conn, const char *name, long wait_ms, const char *busy);

/* Connects, locks, records the run, begins; exits on failure. */
void		lifecycle_begin(lifecycle *lc, const db_options *dbo);

/* True when a signal asked the run to stop (logged). */
bool		lifecycle_interrupted(void);

/* Ends the run (see above); returns the exit code. */
int			lifecycle_end(lifecycle *lc, bool ok);

/* Does code mean the run's data were kept (0, 2 or 3)? */
bool		lifecycle_succeeded(int code);

#endif
