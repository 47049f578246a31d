/*
 * lib/run/lifecycle.c - the one life of a writing run.
 */
#include "base/common.h"

#include "base/jsonw.h"
#include "base/log.h"
#include "base/progress.h"
#include "base/timeutil.h"
#include "pg/lock.h"
#include "pg/sqlset.h"
#include "run/lifecycle.h"
#include "base/banned.h"

void
lifecycle_init(lifecycle *lc)
{
	memset(lc, 0, sizeof(*lc));
	lc->input_bytes = -1;
	lc->started_ms = timeutil_now_ms();
}

bool
lifecycle_succeeded(int code)
{
	return code == AUSDASH_EXIT_OK || code == AUSDASH_EXIT_PARTIAL || code == AUSDASH_EXIT_DRIFT;
}

int
lifecycle_lock(PGconn *conn, const char *name, long wait_ms, const char *busy)
{
	switch (lock_acquire(conn, name, wait_ms))
	{
		case LOCK_ACQUIRED:
			return AUSDASH_EXIT_OK;
		case LOCK_BUSY:
			log_error("%s (advisory lock \"%s\" is held)", busy, name);
			lock_log_holder(conn, name);
			log_hint("Wait for it to finish, or use --lock-wait to wait for it.");
			return AUSDASH_EXIT_LOCKED;
		case LOCK_ERROR:
			break;
	}
	return AUSDASH_EXIT_FAILURE;
}

void
lifecycle_begin(lifecycle *lc, const db_options *dbo)
{
	int			code;

	if (lc->rejects_path && (lc->budget.file = reject_open(lc->rejects_path)) == NULL)
		exit(AUSDASH_EXIT_IOERR);
	if (lc->no_database)
		return;
	lc->conn = db_connect(dbo, AUSDASH_EXIT_UNAVAILABLE);
	code = lifecycle_lock(lc->conn, lc->run.lock_name, lc->lock_wait_ms, lc->busy);
	if (code != AUSDASH_EXIT_OK)
	{
		db_disconnect(&lc->conn);
		exit(code);
	}
	db_cancel_on_signals(lc->conn);
	if (!lc->dry_run && !run_begin(lc->conn, &lc->run))
	{
		db_disconnect(&lc->conn);
		exit(AUSDASH_EXIT_FAILURE);
	}
	if (!db_begin(lc->conn) ||
		(lc->batch && !db_command(lc->conn, sqlset_sql(SQLSET_TXN_BATCH_SETTINGS), 0, NULL)))
		exit(lifecycle_end(lc, false));
}

bool
lifecycle_interrupted(void)
{
	if (db_interrupted())
	{
		log_error("interrupted by signal %d", db_interrupted());
		return true;
	}
	return false;
}

/* --- the summary ------------------------------------------------------------ */

/* The summary as JSON (also the run's details); error for a failed run. */
static void
summary_json(const lifecycle *lc, const char *status, bool pretty, const char *error,
			 sbuf *out)
{
	yajl_gen	g = jsonw_new(out, pretty);

	yajl_gen_map_open(g);
	jsonw_str(g, "status", status);
	if (error)
		jsonw_str(g, "error", error);
	jsonw_str(g, "run_id", lc->run.begun ? lc->run.run_id : NULL);
	jsonw_str(g, "job", lc->run.job);
	jsonw_str(g, "run_mode", lc->run.run_mode);
	jsonw_bool(g, "dry_run", lc->dry_run);
	jsonw_int(g, "duration_ms", timeutil_now_ms() - lc->started_ms);
	lc->ops->summary_body(lc->arg, g);
	yajl_gen_map_close(g);
	yajl_gen_free(g);
}

static void
print_json(const lifecycle *lc, const char *status, const char *error)
{
	sbuf		out;

	if (!lc->json)
		return;
	sbuf_init(&out);
	summary_json(lc, status, true, error, &out);
	fwrite(out.data, 1, out.len, stdout);
	sbuf_release(&out);
}

/* --- the end ---------------------------------------------------------------- */

/* Ends a failed run: roll back, record it as failed, return the exit code. */
static int
fail(lifecycle *lc)
{
	run_counts	t;
	char		summary[1024];
	int			code = lc->exit_code != AUSDASH_EXIT_OK ? lc->exit_code : AUSDASH_EXIT_FAILURE;

	if (db_interrupted())
		code = AUSDASH_EXIT_FAILURE;
	else if (strcmp(db_last_sqlstate(), "55P03") == 0)
		code = AUSDASH_EXIT_LOCKED;		/* lock_timeout: like a held advisory lock */
	snprintf(summary, sizeof(summary), "%s", log_last_error());
	if (lc->ops->on_failure)
		lc->ops->on_failure(lc->arg);
	if (lc->conn)
		db_abort(lc->conn);
	if (lc->forget && lc->run.begun && lc->conn)
	{
		/* an operator's no-op is no alarm: the run row it began goes again */
		const char *params[1] = {lc->run.run_id};

		if (db_command(lc->conn, sqlset_sql(SQLSET_RUN_FORGET), 1, params))
			log_detail("Nothing was replayed and no run is recorded.");
		print_json(lc, "nothing_to_do", summary);
		return code;
	}
	lc->ops->counts(lc->arg, &t);
	t.inserted = t.updated = t.unchanged = 0;
	if (lc->run.begun && run_fail(lc->conn, &lc->run, summary, &t))
		log_detail("Nothing was loaded; run %s is recorded as failed.", lc->run.run_id);
	else if (!lc->run.begun)
		log_detail("Nothing was loaded%s.", lc->conn ? "" : "; the store is unchanged");
	print_json(lc, "failed", summary);
	return code;
}

/* Ends a run that did its work: commit (or roll back a dry run) with its row. */
static int
succeed(lifecycle *lc)
{
	run_counts	t;
	const char *status;
	sbuf		details;
	int			code;

	lc->ops->counts(lc->arg, &t);
	status = lc->skipped ? "skipped_duplicate" : t.rejected > 0 ? "partial" : "ok";
	code = t.rejected > 0 ? AUSDASH_EXIT_PARTIAL : AUSDASH_EXIT_OK;
	sbuf_init(&details);
	summary_json(lc, status, false, NULL, &details);
	if (lc->dry_run)
	{
		if (lc->conn && !db_rollback(lc->conn))
			code = AUSDASH_EXIT_FAILURE;
		status = "dry_run";
	}
	else
	{
		if (progress_active())
			progress_phase("committing");
		if (lc->conn &&
			(!run_finish(lc->conn, &lc->run, status, &t, lc->input_sha256, lc->input_bytes,
						 details.data, NULL) ||
			 !db_commit(lc->conn)))
			code = fail(lc);
	}
	progress_done();
	sbuf_release(&details);
	if (lifecycle_succeeded(code) && !lc->dry_run && lc->ops->after_commit)
		code = lc->ops->after_commit(lc->arg, code);
	if (lifecycle_succeeded(code))
	{
		lc->ops->summary_text(lc->arg, status);
		print_json(lc, status, NULL);
	}
	return code;
}

int
lifecycle_end(lifecycle *lc, bool ok)
{
	int			code;

	if (ok && lifecycle_interrupted())
		ok = false;
	code = ok ? succeed(lc) : fail(lc);
	progress_done();			/* a failed run's last phase: its time at -v */

	/* a rejects file or a summary that was not written fails the run's report */
	if (lc->budget.file && !reject_close(&lc->budget.file) && lifecycle_succeeded(code))
		code = AUSDASH_EXIT_IOERR;
	if (lc->conn)
	{
		db_cancel_reset();
		if (lifecycle_succeeded(code))
			lock_release(lc->conn, lc->run.lock_name);
		db_disconnect(&lc->conn);
	}
	if (!log_close_stdout() && lifecycle_succeeded(code))
		code = AUSDASH_EXIT_IOERR;
	return code;
}
