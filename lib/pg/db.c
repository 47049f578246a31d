/*
 * lib/pg/db.c - connecting to PostgreSQL and running statements.
 */
#include "base/common.h"

#include <ctype.h>
#include <poll.h>
#include <signal.h>

#include "pg/db.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/progress.h"
#include "base/prompt.h"
#include "base/sbuf.h"
#include "pg/sqlset.h"
#include "base/timeutil.h"
#include "base/banned.h"

#define REDACTED "********"

void
db_options_init(db_options *o)
{
	o->dbname = NULL;
	o->host = NULL;
	o->port = NULL;
	o->user = NULL;
	o->prompt = DB_PROMPT_DEFAULT;
	o->statement_timeout_ms = -1;
	o->lock_timeout_ms = -1;
	o->timing = false;
	o->connect_timeout_s = 0;
	o->no_jit = false;
}

static bool timing;				/* db_options.timing at -v */
static int64_t sent_us;			/* when db_query_send() sent its statement */

/* "query NAME: 1.234 ms, N rows" at -v, for the reports */
static void
log_timing(const char *sql, int64_t start_us, const PGresult *res)
{
	char		name[96];

	if (!timing)
		return;
	log_info("query %s: %.3f ms, %d row(s)", sqlset_name_of(sql, name, sizeof(name)),
			 (timeutil_now_us() - start_us) / 1000.0, res ? PQntuples(res) : 0);
}

static void scrub_password(char *s);

void
db_options_set_dbname(db_options *o, char *arg)
{
	static char *copy;			/* the last -d, for the run */

	free(copy);
	o->dbname = copy = mem_strdup(arg);
	scrub_password(arg);
}

/* Replaces every occurrence of secret in *s (a malloc'd string). */
static void
replace_all(char **s, const char *secret)
{
	sbuf		out;
	const char *p;
	const char *hit;
	size_t		slen;

	if (secret == NULL || (slen = strlen(secret)) == 0 || strstr(*s, secret) == NULL)
		return;
	sbuf_init(&out);
	for (p = *s; (hit = strstr(p, secret)) != NULL; p = hit + slen)
	{
		sbuf_append(&out, p, (size_t) (hit - p));
		sbuf_appends(&out, REDACTED);
	}
	sbuf_appends(&out, p);
	free(*s);
	*s = sbuf_detach(&out, NULL);
}

/*
 * Whether a password stands at p: "scheme://user:secret@" or
 * "password = secret" (quoted or not); true with the secret (quotes
 * included) at p[*from..*to).
 */
static bool
password_at(const char *p, size_t *from, size_t *to)
{
	const char *q;

	if (strncmp(p, "://", 3) == 0)
	{
		const char *colon = NULL;

		/* userinfo ends at '@'; stop at anything that ends authority */
		for (q = p + 3; *q && *q != '@' && *q != '/' && *q != '?' && *q != ' ' &&
			 *q != '"' && *q != '\n'; q++)
			if (*q == ':' && colon == NULL)
				colon = q;
		if (*q == '@' && colon != NULL)
		{
			*from = (size_t) (colon + 1 - p);
			*to = (size_t) (q - p);
			return true;
		}
	}
	if (strncasecmp(p, "password", 8) == 0)
	{
		q = p + 8;
		while (*q == ' ')
			q++;
		if (*q != '=')
			return false;
		q++;
		while (*q == ' ')
			q++;
		*from = (size_t) (q - p);
		if (*q == '\'')
		{
			for (q++; *q && *q != '\''; q++)
				if (*q == '\\' && q[1])
					q++;
			if (*q)
				q++;
		}
		else
			while (*q && !isspace((unsigned char) *q) && *q != '&' && *q != '"')
				q++;
		*to = (size_t) (q - p);
		return true;
	}
	return false;
}

/* Masks every password_at() in *s (a malloc'd string). */
static void
mask_patterns(char **s)
{
	sbuf		out;
	const char *p = *s;
	size_t		from,
				to;

	sbuf_init(&out);
	while (*p)
	{
		if (password_at(p, &from, &to))
		{
			sbuf_append(&out, p, from);
			sbuf_appends(&out, REDACTED);
			p += to;
			continue;
		}
		sbuf_appendc(&out, *p++);
	}
	free(*s);
	*s = sbuf_detach(&out, NULL);
}

/*
 * Overwrites every password_at() in s with x's, in place: in argv, so that
 * ps and /proc/PID/cmdline no longer show it once the options are read (as
 * far as a program can hide it; a password file or service file keeps it
 * off the command line altogether).
 */
static void
scrub_password(char *s)
{
	size_t		from,
				to;

	while (*s)
	{
		if (password_at(s, &from, &to))
		{
			memset(s + from, 'x', to - from);
			s += to;
		}
		else
			s++;
	}
}

char *
db_redact(const char *msg, const char *conninfo)
{
	char	   *s = mem_strdup(msg ? msg : "");

	if (conninfo)
	{
		PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);

		if (opts)
		{
			PQconninfoOption *o;

			for (o = opts; o->keyword; o++)
				if (strcmp(o->keyword, "password") == 0 && o->val)
					replace_all(&s, o->val);
			PQconninfoFree(opts);
		}
	}
	replace_all(&s, getenv("PGPASSWORD"));
	mask_patterns(&s);
	return s;
}

static void
log_multiline(void (*fn) (const char *,...), const char *text)
{
	char	   *copy = mem_strdup(text);
	size_t		n = strlen(copy);

	while (n > 0 && (copy[n - 1] == '\n' || copy[n - 1] == ' '))
		copy[--n] = '\0';
	fn("%s", copy);
	free(copy);
}

/* Server notices go through the log module: NOTICE and below with -v. */
static void
notice_receiver(void *arg, const PGresult *res)
{
	const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

	if (primary == NULL)
		return;
	if (severity && strcmp(severity, "WARNING") == 0)
		log_warning("server: %s", primary);
	else
		log_info("server: %s", primary);
}

/* A connection that failed: closed; NULL for a negative fail_code, else exit. */
static PGconn *
give_up(PGconn *conn, int fail_code)
{
	PQfinish(conn);
	if (fail_code < 0)
		return NULL;
	exit(fail_code);
}

/* libpq's message for the log: redacted, without its trailing newline (free it). */
static char *
connect_message(const char *msg, const char *conninfo)
{
	char	   *out = db_redact(msg, conninfo);
	size_t		len = strlen(out);

	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' '))
		out[--len] = '\0';
	return out;
}

/*
 * A string libpq would read as a connection string rather than a database
 * name (libpq's recognized_connection_string()): a URI, or one with '='.
 */
static bool
is_connection_string(const char *s)
{
	return strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0 ||
		strchr(s, '=') != NULL;
}

/* A malformed connection string is the user's to fix: a usage error. */
static void
check_conninfo(const char *conninfo, const char *from)
{
	PQconninfoOption *opts;
	char	   *err = NULL;

	if (!is_connection_string(conninfo))
		return;
	if ((opts = PQconninfoParse(conninfo, &err)) != NULL)
	{
		PQconninfoFree(opts);
		return;
	}
	{
		char	   *msg = connect_message(err ? err : "out of memory", conninfo);

		log_error("invalid connection string in %s: %s", from, msg);
		free(msg);
	}
	PQfreemem(err);
	log_usage_exit();
}

/* The hint for a refused connection: a password's three homes, or the usual places. */
static void
connect_hint(PGconn *conn, const char *msg)
{
	if (PQconnectionNeedsPassword(conn) || PQconnectionUsedPassword(conn) ||
		strstr(msg, "authentication failed") != NULL)
		log_hint("Give the password with -W (a prompt), in ~/.pgpass (or the file "
				 "PGPASSFILE names), in PGPASSWORD, or through a service "
				 "(PGSERVICE); see \"The Password File\" in libpq's manual.");
	else
		log_hint("Check -d/--dbname (or -h, -p, -U), DATABASE_URL or the PGHOST, PGPORT, "
				 "PGUSER and PGDATABASE variables, and that the server is running.");
}

/* One attempt, with the password when there is one. */
static PGconn *
connect_once(const db_options *o, const char *conninfo, const char *password)
{
	const char *keywords[9];
	const char *values[9];
	char		ct[32];
	int			n = 0;

	/*
	 * The connection string first: with expand_dbname, later entries
	 * override what it says, so -h, -p and -U win over -d and DATABASE_URL.
	 */
	if (conninfo)
	{
		keywords[n] = "dbname";
		values[n++] = conninfo;
	}
	if (o->host)
	{
		keywords[n] = "host";
		values[n++] = o->host;
	}
	if (o->port)
	{
		keywords[n] = "port";
		values[n++] = o->port;
	}
	if (o->user)
	{
		keywords[n] = "user";
		values[n++] = o->user;
	}
	if (password)
	{
		keywords[n] = "password";
		values[n++] = password;
	}
	keywords[n] = "fallback_application_name";
	values[n++] = log_progname();
	if (o->connect_timeout_s > 0)
	{
		snprintf(ct, sizeof(ct), "%ld", o->connect_timeout_s);
		keywords[n] = "connect_timeout";
		values[n++] = ct;
	}
	keywords[n] = NULL;
	values[n] = NULL;
	return PQconnectdbParams(keywords, values, 1);
}

PGconn *
db_connect(const db_options *o, int fail_code)
{
	const char *conninfo = o->dbname;
	const char *from = "-d/--dbname";
	char	   *password = NULL;
	PGconn	   *conn;

	if (conninfo == NULL || *conninfo == '\0')
	{
		conninfo = getenv("DATABASE_URL");
		from = "DATABASE_URL";
		if (conninfo && *conninfo == '\0')
			conninfo = NULL;
	}
	if (conninfo)
		check_conninfo(conninfo, from);

	/* pg_dump's flow: -W asks first; otherwise ask when the server wants one */
	if (o->prompt == DB_PROMPT_ALWAYS)
		password = prompt_password("Password: ");
	for (;;)
	{
		conn = connect_once(o, conninfo, password);
		if (conn == NULL)
			log_fatal(fail_code < 0 ? AUSDASH_EXIT_UNAVAILABLE : fail_code,
					  "could not connect to database: out of memory");
		if (PQstatus(conn) == CONNECTION_BAD && PQconnectionNeedsPassword(conn) &&
			password == NULL && o->prompt != DB_PROMPT_NEVER)
		{
			char		prompt[160];

			snprintf(prompt, sizeof(prompt), "Password for user %.100s: ", PQuser(conn));
			if ((password = prompt_password(prompt)) != NULL)
			{
				PQfinish(conn);
				continue;
			}
		}
		break;
	}
	prompt_free(password);

	if (PQstatus(conn) != CONNECTION_OK)
	{
		char	   *msg = connect_message(PQerrorMessage(conn), conninfo);

		log_error("could not connect to database: %s", msg);
		connect_hint(conn, msg);
		free(msg);
		return give_up(conn, fail_code);
	}

	PQsetNoticeReceiver(conn, notice_receiver, NULL);
	timing = o->timing && log_get_level() <= LOG_LEVEL_INFO;

	/*
	 * A secure search_path (our SQL names every object with its schema), and
	 * UTC, so that a timestamp without an offset means the same everywhere.
	 */
	{
		PGresult   *res = db_query(conn, sqlset_sql(SQLSET_SESSION_SETTINGS), 0, NULL);

		if (res == NULL)
			return give_up(conn, fail_code);
		PQclear(res);
		if (o->no_jit)
		{
			if ((res = db_query(conn, sqlset_sql(SQLSET_SESSION_NO_JIT), 0, NULL)) == NULL)
				return give_up(conn, fail_code);
			PQclear(res);
		}
	}
	if (o->statement_timeout_ms >= 0 || o->lock_timeout_ms >= 0)
	{
		char		st[32];
		char		lt[32];
		const char *params[2];
		PGresult   *res;

		snprintf(st, sizeof(st), "%ld", o->statement_timeout_ms);
		snprintf(lt, sizeof(lt), "%ld", o->lock_timeout_ms);
		params[0] = o->statement_timeout_ms >= 0 ? st : NULL;
		params[1] = o->lock_timeout_ms >= 0 ? lt : NULL;
		res = db_query(conn, sqlset_sql(SQLSET_SESSION_TIMEOUTS), 2, params);
		if (res == NULL)
			return give_up(conn, fail_code);
		PQclear(res);
	}
	return conn;
}

/* One statement of db_connect_beside(), on either connection. */
static bool
beside_step(PGconn *conn, const char *sql, ExecStatusType want, PGresult **out)
{
	PGresult   *res = PQexec(conn, sql);

	if (PQresultStatus(res) == want)
	{
		if (out)
			*out = res;
		else
			PQclear(res);
		return true;
	}
	log_info("no second connection: %s", res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
	PQclear(res);
	return false;
}

PGconn *
db_connect_beside(PGconn *conn)
{
	PQconninfoOption *opts = PQconninfo(conn);
	const char *keywords[64];
	const char *values[64];
	int			n = 0;
	PGconn	   *other;
	PGresult   *res = NULL;
	char	   *snapshot;
	sbuf		sql;
	bool		ok;

	if (opts == NULL)
		return NULL;
	for (PQconninfoOption *o = opts; o->keyword && n < 63; o++)
		if (o->val && *o->val)
		{
			keywords[n] = o->keyword;
			values[n++] = o->val;
		}
	keywords[n] = NULL;
	values[n] = NULL;
	other = PQconnectdbParams(keywords, values, 0);
	PQconninfoFree(opts);
	if (PQstatus(other) != CONNECTION_OK)
	{
		log_info("no second connection: %s", PQerrorMessage(other));
		PQfinish(other);
		return NULL;
	}
	PQsetNoticeReceiver(other, notice_receiver, NULL);
	if (!beside_step(conn, sqlset_sql(SQLSET_TXN_EXPORT_SNAPSHOT), PGRES_TUPLES_OK, &res))
	{
		PQfinish(other);
		return NULL;
	}
	snapshot = PQescapeLiteral(other, PQgetvalue(res, 0, 0), (size_t) PQgetlength(res, 0, 0));
	PQclear(res);
	sbuf_init(&sql);
	if (snapshot)
		sqlset_render(SQLSET_TXN_SET_SNAPSHOT, &sql, (const char *const[]) {
			"snapshot", snapshot, NULL});
	ok = snapshot != NULL &&
		beside_step(other, sqlset_sql(SQLSET_SESSION_SETTINGS), PGRES_TUPLES_OK, NULL) &&
		beside_step(other, sqlset_sql(SQLSET_TXN_BEGIN_SNAPSHOT), PGRES_COMMAND_OK, NULL) &&
		beside_step(other, sql.data, PGRES_COMMAND_OK, NULL);
	PQfreemem(snapshot);
	sbuf_release(&sql);
	if (!ok)
	{
		PQfinish(other);
		return NULL;
	}
	return other;
}

void
db_disconnect(PGconn **conn)
{
	if (*conn)
		PQfinish(*conn);
	*conn = NULL;
}

static char last_sqlstate[6];

const char *
db_last_sqlstate(void)
{
	return last_sqlstate;
}

void
db_log_result_error(const PGresult *res, PGconn *conn)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;

	snprintf(last_sqlstate, sizeof(last_sqlstate), "%s", state ? state : "");
	if (primary)
		log_error("query failed: %s", primary);
	else
	{
		const char *msg = res ? PQresultErrorMessage(res) : "";

		if (msg == NULL || *msg == '\0')
			msg = PQerrorMessage(conn);
		log_multiline(log_error, *msg ? msg : "query failed: no result from server");
	}
	if (detail)
		log_detail("%s", detail);
	if (hint)
		log_hint("%s", hint);
}

/*
 * PQexec's result from the asynchronous calls: the last result, or the
 * first error (later results are dropped, as PQexec drops them).
 */
static PGresult *
wait_result(PGconn *conn)
{
	PGresult   *last = NULL;
	PGresult   *res;

	for (;;)
	{
		while (PQisBusy(conn))
		{
			struct pollfd pfd = {PQsocket(conn), POLLIN, 0};
			int			n = poll(&pfd, 1, 1000);

			if (n == 0)
				progress_tick();
			else if ((n > 0 || errno == EINTR) && (n < 0 || PQconsumeInput(conn)))
				continue;
			else
				break;			/* the connection is gone: PQgetResult says so */
		}
		if ((res = PQgetResult(conn)) == NULL)
			break;
		if (last && PQresultStatus(last) == PGRES_FATAL_ERROR)
			PQclear(res);
		else
		{
			PQclear(last);
			last = res;
		}
		if (PQresultStatus(last) == PGRES_COPY_IN || PQresultStatus(last) == PGRES_COPY_OUT)
			break;
	}
	return last ? last : PQmakeEmptyPGresult(conn, PGRES_FATAL_ERROR);
}

PGresult *
db_exec(PGconn *conn, const char *sql, int nparams, const char *const *params)
{
	bool		sent;

	if (!progress_shown())
		return nparams > 0 ? PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0) :
			PQexec(conn, sql);
	sent = nparams > 0 ? PQsendQueryParams(conn, sql, nparams, NULL, params, NULL, NULL, 0) :
		PQsendQuery(conn, sql);
	return sent ? wait_result(conn) : PQmakeEmptyPGresult(conn, PGRES_FATAL_ERROR);
}

static PGresult *
run(PGconn *conn, const char *sql, int nparams, const char *const *params,
	ExecStatusType want)
{
	PGresult   *res;
	int64_t		start = timing ? timeutil_now_us() : 0;

	res = db_exec(conn, sql, nparams, params);
	log_timing(sql, start, res);
	if (res != NULL && PQresultStatus(res) == want)
		return res;
	/* a query that returns rows where none were expected is fine too */
	if (res != NULL && want == PGRES_COMMAND_OK &&
		PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	db_log_result_error(res, conn);
	log_detail("Query was: %s", sql);
	PQclear(res);
	return NULL;
}

PGresult *
db_query(PGconn *conn, const char *sql, int nparams, const char *const *params)
{
	return run(conn, sql, nparams, params, PGRES_TUPLES_OK);
}

bool
db_query_send(PGconn *conn, const char *sql, int nparams, const char *const *params)
{
	sent_us = timing ? timeutil_now_us() : 0;
	if (PQsendQueryParams(conn, sql, nparams, NULL, params, NULL, NULL, 0))
		return true;
	log_error("could not send a query: %s", PQerrorMessage(conn));
	log_detail("Query was: %s", sql);
	return false;
}

PGresult *
db_query_result(PGconn *conn, const char *sql)
{
	PGresult   *res = PQgetResult(conn);
	PGresult   *more;

	while ((more = PQgetResult(conn)) != NULL)
		PQclear(more);
	log_timing(sql, sent_us, res);
	if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	db_log_result_error(res, conn);
	log_detail("Query was: %s", sql);
	PQclear(res);
	return NULL;
}

bool
db_command(PGconn *conn, const char *sql, int nparams, const char *const *params)
{
	PGresult   *res = run(conn, sql, nparams, params, PGRES_COMMAND_OK);

	PQclear(res);
	return res != NULL;
}

bool
db_begin(PGconn *conn)
{
	return db_command(conn, sqlset_sql(SQLSET_TXN_BEGIN), 0, NULL);
}

bool
db_commit(PGconn *conn)
{
	return db_command(conn, sqlset_sql(SQLSET_TXN_COMMIT), 0, NULL);
}

bool
db_rollback(PGconn *conn)
{
	return db_command(conn, sqlset_sql(SQLSET_TXN_ROLLBACK), 0, NULL);
}

void
db_abort(PGconn *conn)
{
	if (!db_connection_lost(conn))
		PQclear(PQexec(conn, sqlset_sql(SQLSET_TXN_ROLLBACK)));
}

bool
db_connection_lost(PGconn *conn)
{
	return conn == NULL || PQstatus(conn) == CONNECTION_BAD;
}

/* --- cancel on SIGINT and SIGTERM ---------------------------------------- */

static volatile sig_atomic_t interrupted;
static PGcancel *volatile cancel_handle;

static void
on_signal(int signo)
{
	PGcancel   *c = cancel_handle;
	char		err[64];

	interrupted = signo;
	if (c)
		PQcancel(c, err, sizeof(err));
}

void
db_cancel_on_signals(PGconn *conn)
{
	struct sigaction sa;

	cancel_handle = PQgetCancel(conn);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void
db_cancel_reset(void)
{
	PGcancel   *c = cancel_handle;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	cancel_handle = NULL;
	if (c)
		PQfreeCancel(c);
}

int
db_interrupted(void)
{
	return (int) interrupted;
}
