/*
 * lib/pg/lock.h - named session-level advisory locks with a bounded wait.
 *
 * A name ("backfill", "ingest:aemo_wholesale", "migrate") maps to one
 * bigint key (the first 8 bytes of SHA-256 of "ausdash:" + name), so
 * every tool and every report computes the same key.  Session-level locks
 * are released when the session ends, so a killed run frees its lock.
 */
#ifndef AUSDASH_LOCK_H
#define AUSDASH_LOCK_H

#include <libpq-fe.h>
#include <stdint.h>

typedef enum lock_result
{
	LOCK_ACQUIRED,
	LOCK_BUSY,					/* still held by another session after the wait */
	LOCK_ERROR					/* the query failed (already logged) */
} lock_result;

/* The advisory-lock key of a name. */
int64_t		lock_key(const char *name);

/*
 * Tries pg_try_advisory_lock(key) until it succeeds or wait_ms have passed
 * (polling with backoff from 50 ms to 1 s; wait_ms 0 tries once).
 */
lock_result lock_acquire(PGconn *conn, const char *name, long wait_ms);

/*
 * After a LOCK_BUSY and the caller's error message: a detail line naming
 * the session that holds the lock (pid, application_name, client address,
 * how long its session and its transaction have run, the run it is
 * recording, if any), from pg_locks and pg_stat_activity.
 */
void		lock_log_holder(PGconn *conn, const char *name);

/* Releases the lock; false (logged) if it was not held or the query failed. */
bool		lock_release(PGconn *conn, const char *name);

#endif
