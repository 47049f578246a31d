/*
 * lib/run/run.c - the run ledger for ausdash's own runs.
 */
#include "base/common.h"

#include <unistd.h>

#include "pg/db.h"
#include "pg/lock.h"
#include "base/log.h"
#include "run/run.h"
#include "pg/sqlset.h"
#include "base/banned.h"

static void
fmt_ll(char *buf, size_t size, long long v)
{
	snprintf(buf, size, "%lld", v);
}

bool
run_begin(PGconn *conn, run *r)
{
	char		key[32];
	char		pid[32];
	char		host[256];
	const char *params[8];
	PGresult   *res;

	fmt_ll(key, sizeof(key), (long long) lock_key(r->lock_name));
	fmt_ll(pid, sizeof(pid), (long long) getpid());
	if (gethostname(host, sizeof(host)) != 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';

	if (!db_begin(conn))
		return false;
	params[0] = key;
	res = db_query(conn, sqlset_sql(SQLSET_RUN_MARK_ABANDONED), 1, params);
	if (res == NULL)
		goto fail;
	for (int i = 0; i < PQntuples(res); i++)
		log_warning("run \"%s\" was left running by a process that is gone; "
					"marked it abandoned", PQgetvalue(res, i, 0));
	PQclear(res);

	params[0] = r->job;
	params[1] = r->source_id;
	params[2] = r->run_mode;
	params[3] = r->input_name;
	params[4] = AUSDASH_VERSION;
	params[5] = host[0] ? host : NULL;
	params[6] = pid;
	params[7] = key;
	res = db_query(conn, sqlset_sql(SQLSET_RUN_BEGIN), 8, params);
	if (res == NULL)
		goto fail;
	snprintf(r->run_id, sizeof(r->run_id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (!db_commit(conn))
		return false;
	r->begun = true;
	log_info("run %s started", r->run_id);
	return true;

fail:
	db_abort(conn);
	return false;
}

static bool
update_run(PGconn *conn, const run *r, const char *status, const run_counts *c,
		   const char *input_sha256, long long input_bytes, const char *details,
		   const char *error_summary)
{
	char		n[5][32];
	char		bytes[32];
	const char *params[11];
	PGresult   *res;
	bool		ok;

	fmt_ll(n[0], sizeof(n[0]), c ? c->read : 0);
	fmt_ll(n[1], sizeof(n[1]), c ? c->inserted : 0);
	fmt_ll(n[2], sizeof(n[2]), c ? c->updated : 0);
	fmt_ll(n[3], sizeof(n[3]), c ? c->unchanged : 0);
	fmt_ll(n[4], sizeof(n[4]), c ? c->rejected : 0);
	fmt_ll(bytes, sizeof(bytes), input_bytes);
	params[0] = r->run_id;
	params[1] = status;
	params[2] = n[0];
	params[3] = n[1];
	params[4] = n[2];
	params[5] = n[3];
	params[6] = n[4];
	params[7] = input_sha256;
	params[8] = input_bytes >= 0 ? bytes : NULL;
	params[9] = details;
	params[10] = error_summary;
	res = PQexecParams(conn, sqlset_sql(SQLSET_RUN_FINISH), 11, NULL, params, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
	{
		log_error("could not record the result of run \"%s\"", r->run_id);
		db_log_result_error(res, conn);
	}
	else if (strcmp(PQcmdTuples(res), "1") != 0)
	{
		log_error("could not record the result of run \"%s\": it is no longer "
				  "marked running", r->run_id);
		ok = false;
	}
	PQclear(res);
	return ok;
}

bool
run_finish(PGconn *conn, const run *r, const char *status,
		   const run_counts *counts, const char *input_sha256,
		   long long input_bytes, const char *details, const char *error_summary)
{
	return update_run(conn, r, status, counts, input_sha256, input_bytes, details,
					  error_summary);
}

bool
run_fail(PGconn *conn, const run *r, const char *error_summary,
		 const run_counts *counts)
{
	char		summary[1024];

	if (!r->begun)
		return true;
	if (db_connection_lost(conn))
	{
		PQreset(conn);
		if (PQstatus(conn) != CONNECTION_OK)
		{
			log_warning("could not record run \"%s\" as failed: the connection "
						"to the server is gone", r->run_id);
			log_detail("The next run of this kind will mark it abandoned.");
			return false;
		}
	}
	if (PQtransactionStatus(conn) != PQTRANS_IDLE)
		db_abort(conn);
	snprintf(summary, sizeof(summary), "%s", error_summary && *error_summary ?
			 error_summary : "failed");
	return update_run(conn, r, "failed", counts, NULL, -1, NULL, summary);
}
