/*
 * lib/lock.c - named advisory locks with a bounded wait.
 */
#include "common.h"

#include <inttypes.h>

#include "db.h"
#include "lock.h"
#include "log.h"
#include "mem.h"
#include "sha256.h"
#include "timeutil.h"
#include "banned.h"

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

	res = db_query(conn, "SELECT pg_catalog.pg_try_advisory_lock($1::pg_catalog.int8)",
				   1, params);
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

bool
lock_release(PGconn *conn, const char *name)
{
	char		keytext[32];
	const char *params[1] = {keytext};
	PGresult   *res;
	bool		ok;

	snprintf(keytext, sizeof(keytext), "%" PRId64, lock_key(name));
	res = db_query(conn, "SELECT pg_catalog.pg_advisory_unlock($1::pg_catalog.int8)",
				   1, params);
	if (res == NULL)
		return false;
	ok = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!ok)
		log_warning("advisory lock \"%s\" was not held", name);
	return ok;
}
