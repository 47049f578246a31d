/*
 * lib/pg/db.h - connecting to PostgreSQL and running statements, the psql way.
 *
 * Connection: -d/--dbname (conninfo string or URI), else $DATABASE_URL,
 * else libpq's PG* environment and service file; -h, -p and -U, when
 * given, override what that string says.  A password is asked for on the
 * terminal as pg_dump does: with -W before connecting, by default when the
 * server asks for one and there is a terminal, never with -w.  A
 * malformed connection string is a usage error.  After connecting, the
 * search_path is pinned to '' (every object in our SQL is schema-
 * qualified), TimeZone to UTC, and the optional statement_timeout and
 * lock_timeout are set.
 * Passwords never reach the output: connection errors pass through
 * db_redact() first.
 */
#ifndef AUSDASH_DB_H
#define AUSDASH_DB_H

#include <libpq-fe.h>
#include <stdbool.h>

/* -w, -W or neither: when to ask for a password (libpq's trivalue) */
typedef enum db_prompt
{
	DB_PROMPT_DEFAULT,			/* when the server asks and a terminal exists */
	DB_PROMPT_NEVER,			/* -w/--no-password */
	DB_PROMPT_ALWAYS			/* -W/--password: before connecting */
} db_prompt;

typedef struct db_options
{
	const char *dbname;			/* a copy of -d, or NULL (not owned); the password
								 * in argv itself is overwritten with x's */
	const char *host;			/* -h, or NULL */
	const char *port;			/* -p, or NULL */
	const char *user;			/* -U, or NULL */
	db_prompt	prompt;			/* -w, -W */
	long		statement_timeout_ms;	/* < 0: leave the server's setting */
	long		lock_timeout_ms;	/* < 0: leave the server's setting */
	bool		timing;			/* with -v, one line per statement with its time */
	long		connect_timeout_s;	/* > 0: libpq's connect_timeout */
	bool		no_jit;			/* a report's short statements: jit off */
} db_options;

void		db_options_init(db_options *o);

/*
 * Sets o->dbname to a copy of arg (-d) and overwrites any password in arg
 * itself with x's, so that ps does not show it.
 */
void		db_options_set_dbname(db_options *o, char *arg);

/*
 * Connects; on failure logs the (redacted) reason with a hint and exits
 * with fail_code (AUSDASH_EXIT_UNAVAILABLE), or, when fail_code is
 * negative, returns NULL (the reports say UNKNOWN in their own format).
 * A connection string libpq cannot parse (from -d or DATABASE_URL) is a
 * usage error, whatever fail_code: log_usage_exit().
 * The caller closes the connection with db_disconnect().
 */
PGconn	   *db_connect(const db_options *o, int fail_code);
/* PQfinish(*conn) and *conn = NULL; *conn may be NULL. */
void		db_disconnect(PGconn **conn);

/*
 * A second connection as conn's (its parameters, its session settings),
 * in a read-only transaction that sees what conn's transaction sees (its
 * exported snapshot), for reading beside conn while conn is busy (as
 * pg_dump's workers do).  conn must be in a transaction.  Returns NULL,
 * saying why at -v, when the server refuses one; the caller then does
 * without.  Closed with db_disconnect().
 */
PGconn	   *db_connect_beside(PGconn *conn);

/*
 * Runs a statement expected to return rows (PGRES_TUPLES_OK).  Returns the
 * result, which the caller frees with PQclear(); on any other status logs
 * "query failed" with the server's detail and the query, and returns NULL.
 */
PGresult   *db_query(PGconn *conn, const char *sql, int nparams,
					 const char *const *params);
/*
 * db_query() in two halves, for work on the client while the server runs
 * the query: db_query_send() sends it (false, logged, if it cannot), and
 * db_query_result() waits for its rows, as db_query() returns them.  No
 * other query can run on conn in between.
 */
bool		db_query_send(PGconn *conn, const char *sql, int nparams,
						  const char *const *params);
PGresult   *db_query_result(PGconn *conn, const char *sql);
/*
 * PQexec (PQexecParams when nparams > 0), unlogged; while a progress line
 * is shown (base/progress.h), it waits in steps of a second and ticks it.
 */
PGresult   *db_exec(PGconn *conn, const char *sql, int nparams, const char *const *params);

/* Runs a statement expected to return no rows; true on PGRES_COMMAND_OK. */
bool		db_command(PGconn *conn, const char *sql, int nparams,
					   const char *const *params);

/* BEGIN, COMMIT and ROLLBACK through db_command(): false (logged) on failure. */
bool		db_begin(PGconn *conn);
bool		db_commit(PGconn *conn);
bool		db_rollback(PGconn *conn);

/*
 * ROLLBACK on a failure path: quietly, whatever state the transaction is
 * in, and not at all when the connection is gone.
 */
void		db_abort(PGconn *conn);

/*
 * The SQLSTATE of the last error db_log_result_error() reported (every
 * failed statement goes through it), or "".
 */
const char *db_last_sqlstate(void);

/* Logs a failed result's message, detail and hint (not the query). */
void		db_log_result_error(const PGresult *res, PGconn *conn);

/* True when the connection to the server is gone. */
bool		db_connection_lost(PGconn *conn);

/*
 * Returns a malloc'd copy of msg in which any password (the one in
 * conninfo, $PGPASSWORD, URI "user:password@" parts and "password=..."
 * pairs) is replaced by "********".  The caller frees it with free().
 */
char	   *db_redact(const char *msg, const char *conninfo);

/*
 * Until db_cancel_reset(): SIGINT and SIGTERM set a flag (db_interrupted()
 * returns the signal) and cancel conn's running statement.  Without
 * SA_RESTART, so a read blocked on a pipe returns to look at the flag.
 */
void		db_cancel_on_signals(PGconn *conn);
void		db_cancel_reset(void);
int			db_interrupted(void);

#endif
