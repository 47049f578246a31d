/*
 * lib/pg/lock.c - named advisory locks with a bounded wait.
 */
#include "base/common.h"

#include <inttypes.h>

#include "pg/db.h"
#include "pg/lock.h"
#include "pg/sqlset.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/sha256.h"
#include "base/timeutil.h"
#include "base/banned.h"

int64_t
lock_key(const char *name)
{
	char		hex[SHA256_HEX_LEN + 1];
	char	   *full = mem_asprintf("ausdash:%s", name);
	uint64_t	key = 0;
	int			i;

	if (sha256_hex(full, strlen(full), hex) != 0)
		log_fatal(AUSDASH_EXIT_SOFTWARE, "could not compute lock key for \"%s\"", name);
	free(full);
	for (i = 0; i < 16; i++)
	{
		char		c = hex[i];

		key = (key << 4) | (uint64_t) (c <= '9' ? c - '0' : c - 'a' + 10);
	}
	return (int64_t) key;
}

static lock_result
try_once(PGconn *conn, const char *keytext)
{
	const char *params[1] = {keytext};
	PGresult   *res;
	lock_result r;

	res = db_query(conn, sqlset_sql(SQLSET_LOCK_TRY), 1, params);
	if (res == NULL)
		return LOCK_ERROR;
	r = strcmp(PQgetvalue(res, 0, 0), "t") == 0 ? LOCK_ACQUIRED : LOCK_BUSY;
	PQclear(res);
	return r;
}

lock_result
lock_acquire(PGconn *conn, const char *name, long wait_ms)
{
	char		keytext[32];
	long		start = timeutil_now_ms();
	long		pause = 50;
	long		left;
	lock_result r;

	snprintf(keytext, sizeof(keytext), "%" PRId64, lock_key(name));
	for (;;)
	{
		r = try_once(conn, keytext);
		if (r != LOCK_BUSY)
			return r;
		left = wait_ms - (timeutil_now_ms() - start);
		if (left <= 0)
			return LOCK_BUSY;
		timeutil_sleep_ms(pause < left ? pause : left);
		log_debug("waiting for lock \"%s\"", name);
		pause = pause * 2 > 1000 ? 1000 : pause * 2;
	}
}

void
lock_log_holder(PGconn *conn, const char *name)
{
	char		keytext[32];
	const char *params[1] = {keytext};
	PGresult   *res;

	snprintf(keytext, sizeof(keytext), "%" PRId64, lock_key(name));
	res = db_query(conn, sqlset_sql(SQLSET_LOCK_HOLDER), 1, params);
	if (res == NULL)
		return;
	if (PQntuples(res) == 0)
		log_detail("The holder has just let go of it.");
	else
	{
		/* the run it records, if the ledger exists yet (migrate runs before it does) */
		PGresult   *run = db_query(conn, sqlset_sql(SQLSET_LOCK_LEDGER_EXISTS), 0, NULL);
		const char *run_id = NULL;
		PGresult   *r2 = NULL;

		if (run && strcmp(PQgetvalue(run, 0, 0), "t") == 0)
		{
			r2 = db_query(conn, sqlset_sql(SQLSET_LOCK_RUNNING_RUN), 1, params);
			if (r2 && PQntuples(r2) == 1)
				run_id = PQgetvalue(r2, 0, 0);
		}
		log_detail("Held by PID %s (%s, from %s), whose session started %s s ago; %s%s%s.",
				   PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
				   PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 4),
				   run_id ? "; it is recording run " : "", run_id ? run_id : "");
		PQclear(r2);
		PQclear(run);
	}
	PQclear(res);
}

bool
lock_release(PGconn *conn, const char *name)
{
	char		keytext[32];
	const char *params[1] = {keytext};
	PGresult   *res;
	bool		ok;

	snprintf(keytext, sizeof(keytext), "%" PRId64, lock_key(name));
	res = db_query(conn, sqlset_sql(SQLSET_LOCK_RELEASE), 1, params);
	if (res == NULL)
		return false;
	ok = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!ok)
		log_warning("advisory lock \"%s\" was not held", name);
	return ok;
}
