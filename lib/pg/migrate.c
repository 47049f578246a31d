/*
 * lib/pg/migrate.c - schema migrations: files, ledger, checks, apply/rollback.
 */
#include "base/common.h"

#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pg/db.h"
#include "base/log.h"
#include "base/mem.h"
#include "pg/migrate.h"
#include "pg/sqlset.h"
#include "pg/paths.h"
#include "base/sbuf.h"
#include "pg/sqlparse.h"
#include "base/timeutil.h"
#include "base/banned.h"

#define MARK_NO_TX "-- ausdash:no-transaction"
#define MARK_DESTRUCTIVE "-- ausdash:allow-destructive"

static bool
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *
migrate_default_dir(const char *dir)
{
	static char found[PATH_MAX];
	char		exe[PATH_MAX];
	ssize_t		n;

	if (dir)
	{
		log_info("migrations directory: %s (--dir)", dir);
		return dir;
	}

	/*
	 * Beside the executable: PREFIX/bin/ausdash-migrate reads
	 * PREFIX/share/ausdash/migrations, wherever the tree was installed or
	 * moved to; the build tree's bin/ reads its sql/migrations.
	 */
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0)
	{
		char	   *slash;

		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL && slash - exe >= 4 &&
			strncmp(slash - 4, "/bin", 4) == 0)
		{
			slash[-4] = '\0';
			if (snprintf(found, sizeof(found), "%s/share/ausdash/migrations", exe) <
				(int) sizeof(found) && is_dir(found))
			{
				log_info("migrations directory: %s (beside the executable)", found);
				return found;
			}
			if (snprintf(found, sizeof(found), "%s/sql/migrations", exe) < (int) sizeof(found) &&
				is_dir(found))
			{
				log_info("migrations directory: %s (the build tree's)", found);
				return found;
			}
		}
	}
	log_info("migrations directory: %s (the configured prefix's)", AUSDASH_SHAREDIR "/migrations");
	return AUSDASH_SHAREDIR "/migrations";
}

/* Reads a whole (small) file; the caller frees *data. */
static bool
read_file(const char *path, char **data, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	sbuf		sb;
	char		chunk[8192];
	size_t		n;

	if (f == NULL)
	{
		log_error("could not open file \"%s\": %s", path, strerror(errno));
		return false;
	}
	sbuf_init(&sb);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sbuf_append(&sb, chunk, n);
	if (ferror(f))
	{
		log_error("could not read file \"%s\": %s", path, strerror(errno));
		fclose(f);
		sbuf_release(&sb);
		return false;
	}
	fclose(f);
	*data = sbuf_detach(&sb, len);
	return true;
}

static bool
has_marker(const char *data, const char *marker)
{
	const char *p = data;
	size_t		mlen = strlen(marker);

	while ((p = strstr(p, marker)) != NULL)
	{
		if ((p == data || p[-1] == '\n') &&
			(p[mlen] == '\n' || p[mlen] == '\r' || p[mlen] == '\0' || p[mlen] == ' '))
			return true;
		p += mlen;
	}
	return false;
}

static bool
checksums(const char *data, size_t len, char *raw, char *norm)
{
	sbuf		n;
	size_t		i;
	bool		ok;

	sbuf_init(&n);
	for (i = 0; i < len; i++)
	{
		if (data[i] == '\r')
		{
			sbuf_appendc(&n, '\n');
			if (i + 1 < len && data[i + 1] == '\n')
				i++;
		}
		else
			sbuf_appendc(&n, data[i]);
	}
	ok = sha256_hex(data, len, raw) == 0 && sha256_hex(n.data, n.len, norm) == 0;
	sbuf_release(&n);
	return ok;
}

/* Parses "NNNN_name.up.sql"; returns false for other names. */
static bool
parse_name(const char *fname, int *version, char **name, bool *up)
{
	const char *p = fname;
	const char *us;
	size_t		len = strlen(fname);
	long		v = 0;
	size_t		suffix;

	if (len > 7 && strcmp(fname + len - 7, ".up.sql") == 0)
	{
		*up = true;
		suffix = 7;
	}
	else if (len > 9 && strcmp(fname + len - 9, ".down.sql") == 0)
	{
		*up = false;
		suffix = 9;
	}
	else
		return false;
	while (*p >= '0' && *p <= '9')
	{
		v = v * 10 + (*p - '0');
		if (v > 99999999)
			return false;
		p++;
	}
	if (p == fname || *p != '_')
		return false;
	us = p + 1;
	if ((size_t) (us - fname) >= len - suffix)
		return false;
	*version = (int) v;
	*name = mem_strndup(us, len - suffix - (size_t) (us - fname));
	return true;
}

static int
cmp_file(const void *a, const void *b)
{
	const migrate_file *x = a;
	const migrate_file *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

static migrate_file *
find_version(const migrate_set *set, int version)
{
	int			i;

	for (i = 0; i < set->nfiles; i++)
		if (set->files[i].version == version)
			return &set->files[i];
	return NULL;
}

int
migrate_set_load(migrate_set *set, const char *dir)
{
	DIR		   *d;
	struct dirent *de;
	int			cap = 16;
	int			rc = 0;
	char	  **downs = NULL;
	int			ndowns = 0;
	int			i;

	memset(set, 0, sizeof(*set));
	set->dir = mem_strdup(dir);
	set->files = mem_malloc(sizeof(migrate_file) * (size_t) cap);
	d = opendir(dir);
	if (d == NULL)
	{
		log_error("could not open migrations directory \"%s\": %s", dir, strerror(errno));
		log_hint("Give the directory with --dir.");
		return AUSDASH_EXIT_CONFIG;
	}
	while ((de = readdir(d)) != NULL)
	{
		int			version;
		char	   *name;
		bool		up;
		char	   *path;
		size_t		nlen = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		if (!parse_name(de->d_name, &version, &name, &up))
		{
			if (nlen > 4 && strcmp(de->d_name + nlen - 4, ".sql") == 0)
				log_warning("ignoring file \"%s/%s\": not named NNNN_name.up.sql or NNNN_name.down.sql",
							dir, de->d_name);
			continue;
		}
		path = mem_asprintf("%s/%s", dir, de->d_name);
		if (!up)
		{
			downs = mem_realloc(downs, sizeof(char *) * (size_t) (ndowns + 1));
			downs[ndowns++] = path;
			free(name);
			continue;
		}
		if (set->nfiles == cap)
		{
			cap *= 2;
			set->files = mem_realloc(set->files, sizeof(migrate_file) * (size_t) cap);
		}
		memset(&set->files[set->nfiles], 0, sizeof(migrate_file));
		set->files[set->nfiles].version = version;
		set->files[set->nfiles].name = name;
		set->files[set->nfiles].up_path = path;
		set->nfiles++;
	}
	closedir(d);
	qsort(set->files, (size_t) set->nfiles, sizeof(migrate_file), cmp_file);

	for (i = 0; i + 1 < set->nfiles; i++)
		if (set->files[i].version == set->files[i + 1].version)
		{
			log_error("duplicate migration version %04d: \"%s\" and \"%s\"",
					  set->files[i].version, set->files[i].up_path,
					  set->files[i + 1].up_path);
			log_hint("Give each migration its own version number.");
			rc = AUSDASH_EXIT_MIGRATION_DUPLICATE;
		}

	for (i = 0; i < ndowns; i++)
	{
		const char *base = strrchr(downs[i], '/') + 1;
		int			version;
		char	   *name;
		bool		up;
		migrate_file *f;

		parse_name(base, &version, &name, &up);
		f = find_version(set, version);
		if (f == NULL || strcmp(f->name, name) != 0)
		{
			log_warning("down migration \"%s\" has no matching up migration", downs[i]);
			free(downs[i]);
		}
		else if (f->down_path != NULL)
		{
			log_error("duplicate down migration for version %04d: \"%s\" and \"%s\"",
					  version, f->down_path, downs[i]);
			rc = AUSDASH_EXIT_MIGRATION_DUPLICATE;
			free(downs[i]);
		}
		else
			f->down_path = downs[i];
		free(name);
	}
	free(downs);

	for (i = 0; i < set->nfiles && rc == 0; i++)
	{
		migrate_file *f = &set->files[i];
		char	   *data;
		size_t		len;

		if (!read_file(f->up_path, &data, &len))
			return AUSDASH_EXIT_CONFIG;
		if (!checksums(data, len, f->checksum, f->checksum_norm))
			log_fatal(AUSDASH_EXIT_SOFTWARE, "could not compute checksum of \"%s\"", f->up_path);
		f->no_transaction = has_marker(data, MARK_NO_TX);
		f->allow_destructive = has_marker(data, MARK_DESTRUCTIVE);
		f->up_sql = data;
		f->up_len = len;
	}
	return rc;
}

void
migrate_set_release(migrate_set *set)
{
	int			i;

	for (i = 0; i < set->nfiles; i++)
	{
		free(set->files[i].name);
		free(set->files[i].up_path);
		free(set->files[i].down_path);
		free(set->files[i].up_sql);
	}
	mem_free(&set->files);
	mem_free(&set->dir);
	set->nfiles = 0;
}

bool
migrate_ledger_ensure(PGconn *conn)
{
	return db_command(conn, sqlset_sql(SQLSET_MIGRATE_LEDGER_ENSURE), 0, NULL);
}

bool
migrate_ledger_load(PGconn *conn, migrate_ledger *ledger)
{
	PGresult   *res;
	int			i;

	memset(ledger, 0, sizeof(*ledger));
	/* a version is applied when its last successful action applied it */
	res = db_query(conn, sqlset_sql(SQLSET_MIGRATE_LEDGER_APPLIED), 0, NULL);
	if (res == NULL)
		return false;
	ledger->nrows = PQntuples(res);
	ledger->rows = mem_calloc((size_t) ledger->nrows + 1, sizeof(migrate_applied));
	for (i = 0; i < ledger->nrows; i++)
	{
		migrate_applied *a = &ledger->rows[i];

		a->version = (int) strtol(PQgetvalue(res, i, 0), NULL, 10);
		a->name = mem_strdup(PQgetvalue(res, i, 1));
		a->checksum = mem_strdup(PQgetvalue(res, i, 2));
		a->checksum_norm = mem_strdup(PQgetvalue(res, i, 3));
		a->applied_at = mem_strdup(PQgetvalue(res, i, 4));
		a->action = mem_strdup(PQgetvalue(res, i, 5));
	}
	PQclear(res);
	/* failed: the last row of the version is a failed apply */
	res = db_query(conn, sqlset_sql(SQLSET_MIGRATE_LEDGER_FAILED), 0, NULL);
	if (res == NULL)
		return false;
	ledger->nfailed = PQntuples(res);
	ledger->failed = mem_calloc((size_t) ledger->nfailed + 1, sizeof(migrate_failed));
	for (i = 0; i < ledger->nfailed; i++)
	{
		ledger->failed[i].version = (int) strtol(PQgetvalue(res, i, 0), NULL, 10);
		ledger->failed[i].failed_at = mem_strdup(PQgetvalue(res, i, 1));
		ledger->failed[i].error = mem_strdup(PQgetvalue(res, i, 2));
	}
	PQclear(res);
	return true;
}

void
migrate_ledger_release(migrate_ledger *ledger)
{
	int			i;

	for (i = 0; i < ledger->nrows; i++)
	{
		free(ledger->rows[i].name);
		free(ledger->rows[i].checksum);
		free(ledger->rows[i].checksum_norm);
		free(ledger->rows[i].applied_at);
		free(ledger->rows[i].action);
	}
	mem_free(&ledger->rows);
	ledger->nrows = 0;
	for (i = 0; i < ledger->nfailed; i++)
	{
		free(ledger->failed[i].failed_at);
		free(ledger->failed[i].error);
	}
	mem_free(&ledger->failed);
	ledger->nfailed = 0;
}

static const migrate_applied *
find_applied(const migrate_ledger *ledger, int version)
{
	int			i;

	for (i = 0; i < ledger->nrows; i++)
		if (ledger->rows[i].version == version)
			return &ledger->rows[i];
	return NULL;
}

/* The failure of f, if it is a no-transaction file whose last attempt failed. */
static const migrate_failed *
find_failed(const migrate_ledger *ledger, const migrate_file *f)
{
	if (!f->no_transaction || find_applied(ledger, f->version) != NULL)
		return NULL;
	for (int i = 0; i < ledger->nfailed; i++)
		if (ledger->failed[i].version == f->version)
			return &ledger->failed[i];
	return NULL;
}

static int
max_applied(const migrate_ledger *ledger)
{
	return ledger->nrows > 0 ? ledger->rows[ledger->nrows - 1].version : -1;
}

static void
first_code(int *rc, int code)
{
	if (*rc == 0)
		*rc = code;
}

int
migrate_check(const migrate_set *set, const migrate_ledger *ledger,
			  const migrate_flags *flags, int to_version)
{
	int			rc = 0;
	int			top = max_applied(ledger);
	int			i;

	for (i = 0; i < ledger->nrows; i++)
	{
		const migrate_applied *a = &ledger->rows[i];
		const migrate_file *f = find_version(set, a->version);

		if (f == NULL)
		{
			log_error("applied migration %04d_%s is missing from \"%s\"",
					  a->version, a->name, set->dir);
			log_hint("Restore the file, or point --dir at the directory that has it.");
			first_code(&rc, AUSDASH_EXIT_MIGRATION_MISSING);
		}
		else if (strcmp(f->checksum, a->checksum) != 0)
		{
			if (strcmp(f->checksum_norm, a->checksum_norm) == 0)
			{
				log_error("applied migration file \"%s\" has changed: only its line endings differ",
						  f->up_path);
				log_hint("Restore the file's original line endings (e.g. check it out again without "
						 "CRLF conversion).");
			}
			else
			{
				log_error("applied migration file \"%s\" has changed since it was applied on %s",
						  f->up_path, a->applied_at);
				log_detail("Checksum was %s, is now %s.", a->checksum, f->checksum);
				log_hint("Never edit an applied migration: restore it and add a new migration.");
			}
			first_code(&rc, AUSDASH_EXIT_MIGRATION_CHANGED);
		}
	}
	for (i = 0; i < set->nfiles; i++)
	{
		const migrate_file *f = &set->files[i];
		int			line;
		const char *what;
		int			found;
		sqlparse_error perr;

		if (find_applied(ledger, f->version) != NULL)
			continue;
		if (f->version < top && !flags->allow_out_of_order)
		{
			log_error("pending migration \"%s\" is older than the newest applied version %04d",
					  f->up_path, top);
			log_hint("Renumber it above %04d, or run with --allow-out-of-order.", top);
			first_code(&rc, AUSDASH_EXIT_MIGRATION_ORDER);
		}
		if (to_version >= 0 && f->version > to_version)
			continue;
		if (f->allow_destructive || flags->allow_destructive)
			continue;
		found = sqlparse_find_destructive(f->up_sql, f->up_len, &line, &what, &perr);
		if (found < 0)
		{
			log_error("\"%s\":%d: %s", f->up_path, perr.line, perr.msg);
			log_detail("The file does not parse as PostgreSQL %s SQL.", "15");
			first_code(&rc, AUSDASH_EXIT_DATAERR);
		}
		else if (found > 0)
		{
			log_error("\"%s\":%d: destructive statement (%s) in an up migration",
					  f->up_path, line, what);
			log_hint("If it is intended, add the line \"" MARK_DESTRUCTIVE "\" to the file "
					 "or run with --allow-destructive.");
			first_code(&rc, AUSDASH_EXIT_MIGRATION_DESTRUCTIVE);
		}
	}
	return rc;
}

static bool
record(PGconn *conn, const migrate_file *f, const char *action, const char *outcome,
	   const char *checksum, const char *checksum_norm, long ms, const char *error)
{
	char		version[16];
	char		dur[32];
	const char *params[9];

	snprintf(version, sizeof(version), "%d", f->version);
	snprintf(dur, sizeof(dur), "%ld", ms);
	params[0] = version;
	params[1] = f->name;
	params[2] = action;
	params[3] = outcome;
	params[4] = checksum;
	params[5] = checksum_norm;
	params[6] = dur;
	params[7] = error;
	params[8] = AUSDASH_VERSION;
	return db_command(conn, sqlset_sql(SQLSET_MIGRATE_RECORD), 9, params);
}

/* Converts a 1-based character position in sql to a 1-based line. */
static int
position_line(const char *sql, const char *pos)
{
	long		chars = pos ? strtol(pos, NULL, 10) : 0;
	int			line = 1;
	const char *p;

	for (p = sql; *p && chars > 1; p++)
	{
		if (((unsigned char) *p & 0xC0) != 0x80)
			chars--;
		if (*p == '\n')
			line++;
	}
	return line;
}

/* Runs a script; on failure logs with file:line and sets *err. */
static bool
run_script(PGconn *conn, const char *path, const char *sql, size_t len,
		   bool one_by_one, char **err)
{
	sqlparse_stmt *stmts = NULL;
	sqlparse_error perr;
	int			n = 1;
	int			i;
	bool		ok = true;

	if (one_by_one)
	{
		n = sqlparse_split(sql, len, &stmts, &perr);
		if (n < 0)
		{
			log_error("\"%s\":%d: %s", path, perr.line, perr.msg);
			*err = mem_strdup(perr.msg);
			return false;
		}
	}
	for (i = 0; i < n && ok; i++)
	{
		char	   *stmt = one_by_one ?
			mem_strndup(sql + stmts[i].start, stmts[i].end - stmts[i].start) :
			mem_strdup(sql);
		PGresult   *res = PQexec(conn, stmt);
		ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
		{
			const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
			const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
			const char *pos = res ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : NULL;
			int			line = position_line(stmt, pos) + (one_by_one ? stmts[i].line - 1 : 0);
			char	   *msg = mem_strdup(primary ? primary : PQerrorMessage(conn));
			size_t		mlen = strlen(msg);

			while (mlen > 0 && msg[mlen - 1] == '\n')
				msg[--mlen] = '\0';
			log_error("\"%s\":%d: %s", path, line, msg);
			if (detail)
				log_detail("%s", detail);
			*err = msg;
			ok = false;
		}
		PQclear(res);
		free(stmt);
	}
	free(stmts);
	return ok;
}

/* Runs one migration file (up or down) and records it; returns exit code. */
static int
run_one(PGconn *conn, const migrate_file *f, bool up)
{
	const char *path = up ? f->up_path : f->down_path;
	const char *action = up ? "apply" : "rollback";
	const char *data;
	char	   *down_sql = NULL;	/* owned: read here; up bytes are the set's */
	size_t		len;
	char		down_sum[SHA256_HEX_LEN + 1];
	char		down_norm[SHA256_HEX_LEN + 1];
	const char *sum;
	const char *norm;
	char	   *err = NULL;
	long		start;
	bool		no_tx;
	bool		ok;

	if (up)
	{
		data = f->up_sql;
		len = f->up_len;
		sum = f->checksum;
		norm = f->checksum_norm;
		no_tx = f->no_transaction;
	}
	else
	{
		if (!read_file(path, &down_sql, &len))
			return AUSDASH_EXIT_CONFIG;
		if (!checksums(down_sql, len, down_sum, down_norm))
			log_fatal(AUSDASH_EXIT_SOFTWARE, "could not compute checksum of \"%s\"", path);
		data = down_sql;
		sum = down_sum;
		norm = down_norm;
		no_tx = has_marker(down_sql, MARK_NO_TX);
	}
	if (memchr(data, '\0', len) != NULL)
	{
		log_error("\"%s\": migration file contains a NUL byte", path);
		free(down_sql);
		return AUSDASH_EXIT_DATAERR;
	}
	log_info("%s %04d_%s%s", up ? "applying" : "rolling back", f->version, f->name,
			 no_tx ? " (no transaction)" : "");
	start = timeutil_now_ms();
	if (no_tx)
	{
		ok = run_script(conn, path, data, len, true, &err) &&
			record(conn, f, action, "ok", sum, norm, timeutil_now_ms() - start, NULL);
	}
	else
	{
		ok = db_begin(conn) &&
			run_script(conn, path, data, len, false, &err) &&
			record(conn, f, action, "ok", sum, norm, timeutil_now_ms() - start, NULL) &&
			db_commit(conn);
		if (!ok)
		{
			db_abort(conn);
		}
	}
	free(down_sql);
	if (ok)
		return 0;
	if (!db_connection_lost(conn))
		record(conn, f, action, "failed", sum, norm, timeutil_now_ms() - start,
			   err ? err : "unknown error");
	if (no_tx)
		log_hint("The file ran outside a transaction, so statements before the failing one "
				 "stay applied; the migration is recorded as failed and is retried by the "
				 "next \"up\" (its statements should use IF NOT EXISTS).");
	free(err);
	return db_connection_lost(conn) ? AUSDASH_EXIT_UNAVAILABLE : AUSDASH_EXIT_FAILURE;
}

int
migrate_up(PGconn *conn, const migrate_set *set, const migrate_ledger *ledger,
		   int to_version, const migrate_flags *flags)
{
	int			i;
	int			applied = 0;
	int			rc;

	for (i = 0; i < set->nfiles; i++)
	{
		const migrate_file *f = &set->files[i];

		if (find_applied(ledger, f->version) != NULL)
			continue;
		if (to_version >= 0 && f->version > to_version)
			break;
		if (flags->dry_run)
		{
			printf("would apply %04d_%s\n", f->version, f->name);
			continue;
		}
		rc = run_one(conn, f, true);
		if (rc != 0)
			return rc;
		applied++;
	}
	if (!flags->dry_run)
		log_info("%d migration%s applied", applied, applied == 1 ? "" : "s");
	return 0;
}

int
migrate_down(PGconn *conn, const migrate_set *set, const migrate_ledger *ledger,
			 int to_version, const migrate_flags *flags)
{
	int			i;
	int			rc;

	/* every down file must exist before we start */
	for (i = ledger->nrows - 1; i >= 0; i--)
	{
		const migrate_applied *a = &ledger->rows[i];
		const migrate_file *f = find_version(set, a->version);

		if (a->version <= to_version)
			break;
		if (f == NULL)
		{
			log_error("applied migration %04d_%s is missing from \"%s\"",
					  a->version, a->name, set->dir);
			return AUSDASH_EXIT_MIGRATION_MISSING;
		}
		if (f->down_path == NULL)
		{
			log_error("migration %04d_%s has no down file", f->version, f->name);
			log_hint("Write \"%04d_%s.down.sql\", or roll back to a later version.",
					 f->version, f->name);
			return AUSDASH_EXIT_CONFIG;
		}
	}
	for (i = ledger->nrows - 1; i >= 0; i--)
	{
		const migrate_applied *a = &ledger->rows[i];

		if (a->version <= to_version)
			break;
		if (flags->dry_run)
		{
			printf("would roll back %04d_%s\n", a->version, a->name);
			continue;
		}
		rc = run_one(conn, find_version(set, a->version), false);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
migrate_baseline(PGconn *conn, const migrate_set *set, const migrate_ledger *ledger,
				 int to_version)
{
	int			i;

	if (!db_begin(conn))
		return AUSDASH_EXIT_FAILURE;
	for (i = 0; i < set->nfiles; i++)
	{
		const migrate_file *f = &set->files[i];

		if (f->version > to_version)
			break;
		if (find_applied(ledger, f->version) != NULL)
			continue;
		if (!record(conn, f, "baseline", "ok", f->checksum, f->checksum_norm, 0, NULL))
		{
			db_abort(conn);
			return AUSDASH_EXIT_FAILURE;
		}
		log_info("baselined %04d_%s", f->version, f->name);
	}
	return db_commit(conn) ? 0 : AUSDASH_EXIT_FAILURE;
}

int
migrate_check_failed(const migrate_set *set, const migrate_ledger *ledger)
{
	int			rc = 0;

	for (int i = 0; i < set->nfiles; i++)
	{
		const migrate_file *f = &set->files[i];
		const migrate_failed *x = find_failed(ledger, f);

		if (x == NULL)
			continue;
		log_error("migration %04d_%s failed partway on %s: %s", f->version, f->name,
				  x->failed_at, x->error);
		log_detail("It ran without a transaction, so the statements before the failing "
				   "one stayed applied.");
		log_hint("Fix the file and run \"up\" again, or finish or undo its statements by "
				 "hand and record that with \"ausdash-migrate repair --to=%d\".", f->version);
		first_code(&rc, AUSDASH_EXIT_MIGRATION_FAILED);
	}
	return rc;
}

int
migrate_repair(PGconn *conn, const migrate_set *set, const migrate_ledger *ledger,
			   int to_version)
{
	const migrate_file *f = find_version(set, to_version);

	if (f == NULL || find_failed(ledger, f) == NULL)
	{
		log_error("migration %04d is not a failed no-transaction migration; nothing to repair",
				  to_version);
		log_hint("\"ausdash-migrate status\" shows which are failed.");
		return AUSDASH_EXIT_USAGE;
	}
	if (!record(conn, f, "repair", "ok", f->checksum, f->checksum_norm, 0,
				"marked applied by hand after a failure"))
		return AUSDASH_EXIT_FAILURE;
	log_info("repaired %04d_%s: recorded as applied", f->version, f->name);
	return 0;
}

void
migrate_print_status(const migrate_set *set, const migrate_ledger *ledger)
{
	int			i = 0;
	int			j = 0;

	printf("%-8s  %-32s  %-9s  %s\n", "version", "name", "state", "applied at");
	while (i < set->nfiles || j < ledger->nrows)
	{
		const migrate_file *f = i < set->nfiles ? &set->files[i] : NULL;
		const migrate_applied *a = j < ledger->nrows ? &ledger->rows[j] : NULL;

		if (f && a && f->version == a->version)
		{
			const char *state = strcmp(f->checksum, a->checksum) != 0 ? "changed" :
				strcmp(a->action, "baseline") == 0 ? "baseline" :
				strcmp(a->action, "repair") == 0 ? "repaired" : "applied";

			printf("%04d      %-32s  %-9s  %s\n", f->version, f->name, state, a->applied_at);
			i++;
			j++;
		}
		else if (f && (a == NULL || f->version < a->version))
		{
			const migrate_failed *x = find_failed(ledger, f);

			if (x)
				printf("%04d      %-32s  %-9s  %s\n", f->version, f->name, "failed", x->failed_at);
			else
				printf("%04d      %-32s  %s\n", f->version, f->name, "pending");
			i++;
		}
		else
		{
			printf("%04d      %-32s  %-9s  %s\n", a->version, a->name, "missing", a->applied_at);
			j++;
		}
	}
}
