/*
 * src/ausdash-backfill.c - load a whole live-store.json into PostgreSQL,
 * every entity, losslessly and idempotently, in one transaction.
 */
#include "base/common.h"

#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/datetoken.h"
#include "pg/db.h"
#include "model/entity.h"
#include "base/jsonw.h"
#include "pg/lock.h"
#include "base/log.h"
#include "base/mem.h"
#include "cli/opt.h"
#include "model/reject.h"
#include "run/run.h"
#include "base/sbuf.h"
#include "base/sha256.h"
#include "pg/sqlset.h"
#include "load/stage.h"
#include "store/storeread.h"
#include "base/timeutil.h"
#include "base/banned.h"

#define BACKFILL_JOB "ausdash-backfill"
#define BACKFILL_LOCK "backfill"
#define MAX_ENTITIES 16

enum
{
	OPT_DRY_RUN = 0x2000,
	OPT_IGNORE_UNKNOWN,
	OPT_INDEX_BUILD,
	OPT_JSON,
	OPT_LOCK_WAIT,
	OPT_MAX_ERRORS,
	OPT_REJECTS,
	OPT_STRICT_DATES,
	OPT_ALLOW_REWIND
};

typedef struct backfill
{
	/* options */
	const char *input;
	bool		dry_run;
	bool		json;
	bool		ignore_unknown;
	const char *rejects_path;
	datetoken_audit dates;		/* .strict: --strict-dates */
	bool		allow_rewind;	/* --allow-cursor-rewind */
	long		lock_wait_ms;
	stage_index_build index_build;

	/* state */
	int			fd;
	long long	size;			/* -1 when not a regular file */
	PGconn	   *conn;
	stage	   *st;
	storeread  *sr;
	reject_budget budget;		/* --max-errors, --rejects */
	sha256_ctx *sum;
	char		input_sha256[SHA256_HEX_LEN + 1];
	uint64_t	bytes;
	run			run;
	long long	read[MAX_ENTITIES];
	long long	rejected[MAX_ENTITIES];
	sbuf		db_cursors;		/* the database's cursors: source\0cursor\0... */
	sbuf		kept;			/* cursors kept: source\0kept\0store's\0... */
	sbuf		aliases;		/* snapshotIds of another lineage: alias\0stored\0... */
	long long	aliased;
	int			exit_code;		/* set by whatever stopped the run */
	char	   *version;
	char	   *updated_at;
	stage_counts meta;
	long		started_ms;
	long		progress_ms;
	long long	ignored_fields;	/* unknown fields skipped (--ignore-unknown) */
	char	   *first_ignored;	/* where the first one was */
	sbuf		why;
} backfill;

static void
help(const char *progname)
{
	printf("%s loads a whole live-store.json into PostgreSQL: every entity, in one\n"
		   "transaction, logged in ingestion_runs.\n\n", progname);
	printf("Usage:\n"
		   "  %s [OPTION]... [FILE|-]\n\n", progname);
	printf("FILE defaults to $AUS_DASH_STORE_PATH, else ./data/live-store.json; \"-\" reads\n"
		   "standard input.\n");
	printf("\nOptions:\n"
		   "  -n, --dry-run             read, check, stage and merge, report, then roll back\n"
		   "      --ignore-unknown      skip unknown top-level keys and record fields (with a\n"
		   "                            warning) instead of failing\n"
		   "      --index-build=WHEN    into an empty table, build its indexes \"during\" the\n"
		   "                            insert or \"after\" it (faster; readers of the table\n"
		   "                            wait until the run commits); \"auto\" (default):\n"
		   "                            after from %d rows on\n"
		   "      --json                print a JSON summary on stdout\n"
		   "      --lock-wait=DURATION  wait this long for a running backfill (default: 0,\n"
		   "                            fail at once)\n"
		   "      --max-errors=N        reject up to N bad records, load the rest and exit\n"
		   "                            with status 2 (default: 0)\n"
		   "      --rejects=FILE        write each rejected record to FILE (NDJSON)\n"
		   "      --allow-cursor-rewind let the store move a source's cursor back\n"
		   "      --strict-dates        reject observations whose date looks like a date\n"
		   "                            but is none (2025-02-30), instead of a warning\n"
		   "  -q, --quiet               print errors only\n"
		   "  -v, --verbose             print a summary, then more (repeat)\n"
		   "  -V, --version             output version information, then exit\n"
		   "  -?, --help                show this help, then exit\n",
		   STAGE_INDEX_AFTER_MIN_ROWS);
	opt_print_connection_help();
	printf("\nExit status: 0 loaded; 1 failed, nothing loaded; 2 loaded with rejected records;\n"
		   "64 usage; 65 bad input, nothing loaded; 66 input not found; 69 database\n"
		   "unavailable; 74 read error; 75 another backfill holds the lock.\n");
}

/* --- rejects ------------------------------------------------------------- */

/*
 * One bad record: within --max-errors it is left out (reported, and
 * written to the rejects file); past it, the run fails with the record's
 * place (where, as printed) and reason.
 */
static bool
take_reject(backfill *bf, const entity_desc *d, const char *where,
			const reject_info *ri, const char *hint)
{
	if (reject_take(&bf->budget, where, ri))
	{
		bf->rejected[entity_index(d)]++;
		return true;
	}
	bf->exit_code = bf->budget.exit_code;
	if (bf->exit_code == AUSDASH_EXIT_DATAERR)
	{
		log_error("%s: %s", where, ri->reason);
		if (bf->budget.max_errors > 0)
			log_detail("More than %d records were bad (--max-errors).", bf->budget.max_errors);
		if (hint)
			log_hint("%s", hint);
	}
	return false;
}

/* A record that failed its checks. */
static bool
reject(backfill *bf, const entity_desc *d, const entity_record *rec,
	   const char *field, const char *reason)
{
	reject_info ri = {0};
	sbuf		where;
	sbuf		path;
	sbuf		json;
	bool		ok;

	sbuf_init(&where);
	sbuf_init(&path);
	sbuf_init(&json);
	storeread_where(bf->sr, &where, rec, field);
	entity_path(&path, rec->entity, rec->index, field);
	if (bf->budget.file)
		entity_record_to_json(rec, &json);
	ri.entity = rec->entity;
	ri.index = rec->index;
	ri.line = (long long) rec->line;
	ri.offset = (long long) rec->offset;
	ri.path = path.data;
	ri.reason = reason;
	ri.record = json.data;
	ok = take_reject(bf, d, where.data, &ri, NULL);
	sbuf_release(&where);
	sbuf_release(&path);
	sbuf_release(&json);
	return ok;
}

/*
 * A staged row the server found to duplicate another under another key:
 * a payload stored already under another snapshotId (a store of another
 * lineage) is that payload, stored once, its id kept as an alias; the
 * same payload twice in one store is a bad record.
 */
static bool
reject_conflict(void *arg, const entity_desc *d, long long ord, long long line,
				long long offset, const char *key, const char *other, bool stored)
{
	backfill   *bf = arg;
	reject_info ri = {0};
	sbuf		where;
	sbuf		path;
	sbuf		reason;
	bool		ok;

	if (stored)
	{
		log_info("%s[%lld] \"%s\": its payload is stored as \"%s\"; kept as an alias of it",
				 d->name, ord, key, other);
		sbuf_append(&bf->aliases, key, strlen(key) + 1);
		sbuf_append(&bf->aliases, other, strlen(other) + 1);
		bf->aliased++;
		return true;
	}

	sbuf_init(&where);
	sbuf_init(&path);
	sbuf_init(&reason);
	entity_path(&path, d->name, ord, NULL);
	storeread_where_at(bf->sr, &where, line, offset);
	sbuf_appendf(&where, ": %s", path.data);
	sbuf_appendf(&reason, "same source and checksum as the stored snapshot \"%s\"", other);
	ri.entity = d->name;
	ri.index = ord;
	ri.line = line;
	ri.offset = offset;
	ri.path = path.data;
	ri.reason = reason.data;
	ri.key = key;
	ok = take_reject(bf, d, where.data, &ri,
					 "A payload is stored once per source; the store holds it twice "
					 "under different snapshotIds.");
	if (ok)
		bf->read[entity_index(d)]--;	/* counted as rejected instead */
	sbuf_release(&where);
	sbuf_release(&path);
	sbuf_release(&reason);
	return ok;
}

/* --- reader callbacks ---------------------------------------------------- */

static bool
on_meta(void *arg, const entity_field *f)
{
	backfill   *bf = arg;

	if (strcmp(f->name, "version") == 0)
	{
		free(bf->version);
		bf->version = mem_strndup(f->val, f->len);
	}
	else
	{
		free(bf->updated_at);
		bf->updated_at = mem_strndup(f->val, f->len);
	}
	return true;
}

static bool
on_array_begin(void *arg, const entity_desc *d)
{
	backfill   *bf = arg;

	if (!stage_copy_begin(bf->st, d))
	{
		bf->exit_code = AUSDASH_EXIT_FAILURE;
		return false;
	}
	return true;
}

/* Reads the database's cursors (in the loading transaction, locked). */
static bool
load_cursors(backfill *bf)
{
	PGresult   *res = db_query(bf->conn, sqlset_sql(SQLSET_SOURCE_CURSORS_CURRENT), 0, NULL);

	if (res == NULL)
		return false;
	for (int i = 0; i < PQntuples(res); i++)
	{
		sbuf_append(&bf->db_cursors, PQgetvalue(res, i, 0), PQgetlength(res, i, 0) + 1);
		sbuf_append(&bf->db_cursors, PQgetvalue(res, i, 1), PQgetlength(res, i, 1) + 1);
	}
	PQclear(res);
	return true;
}

/*
 * The cursor rule of ingest: a store's cursor older than the database's
 * does not move it back (unless --allow-cursor-rewind); the record is left
 * out and named in the run's details.
 */
static bool
cursor_stays(backfill *bf, const entity_record *rec)
{
	const entity_field *src = entity_record_field(rec, "sourceId");
	const entity_field *cur = entity_record_field(rec, "cursor");
	char	   *store_cursor;
	bool		stays = false;

	if (src == NULL || cur == NULL)
		return false;
	store_cursor = mem_strndup(cur->val, cur->len);
	for (size_t off = 0; off < bf->db_cursors.len;)
	{
		const char *id = bf->db_cursors.data + off;
		const char *db_cursor = id + strlen(id) + 1;

		off = (size_t) (db_cursor + strlen(db_cursor) + 1 - bf->db_cursors.data);
		if (strlen(id) != src->len || memcmp(id, src->val, src->len) != 0 ||
			!datetoken_cursor_stays(db_cursor, store_cursor, bf->allow_rewind))
			continue;
		stays = true;
		log_info("cursor of %s stays at %s (the store's is older: %s)", id, db_cursor,
				 store_cursor);
		sbuf_append(&bf->kept, id, strlen(id) + 1);
		sbuf_append(&bf->kept, db_cursor, strlen(db_cursor) + 1);
		sbuf_append(&bf->kept, store_cursor, strlen(store_cursor) + 1);
		break;
	}
	free(store_cursor);
	return stays;
}

/* Where an observation's date is, for datetoken_audit_record(). */
static void
date_where(sbuf *out, void *arg, const entity_record *rec)
{
	backfill   *bf = arg;

	storeread_where(bf->sr, out, rec, "date");
}

static bool
on_record(void *arg, const entity_desc *d, const entity_record *rec)
{
	backfill   *bf = arg;
	const char *field = NULL;
	const entity_field *bycol[ENTITY_MAX_COLUMNS];

	sbuf_reset(&bf->why);
	if (!entity_check_record(d, rec, bf->ignore_unknown, bycol, &bf->why, &field))
		return reject(bf, d, rec, field, bf->why.data);
	if (strcmp(d->name, "observations") == 0 &&
		!datetoken_audit_record(&bf->dates, rec, date_where, bf, &bf->why))
		return reject(bf, d, rec, "date", bf->why.data);
	if (strcmp(d->name, "sourceCursors") == 0 && cursor_stays(bf, rec))
	{
		bf->read[entity_index(d)]++;	/* read, and left as the database has it */
		return true;
	}
	if (bf->ignore_unknown && !d->extra)
	{
		/* fields without a column: a field is never twice, so count them */
		int			known = 0;

		for (int i = 0; i < d->ncolumns; i++)
			known += bycol[i] != NULL;
		if (known < rec->nfields && bf->ignored_fields == 0)
			for (int i = 0; i < rec->nfields && bf->first_ignored == NULL; i++)
				if (entity_column_find(d, rec->fields[i].name) == NULL)
				{
					sbuf		path;

					sbuf_init(&path);
					entity_path(&path, rec->entity, rec->index, rec->fields[i].name);
					bf->first_ignored = sbuf_detach(&path, NULL);
				}
		bf->ignored_fields += rec->nfields - known;
	}
	bf->read[entity_index(d)]++;
	if (!stage_add(bf->st, rec, bycol))
	{
		bf->exit_code = AUSDASH_EXIT_FAILURE;
		return false;
	}
	return true;
}

static bool
on_array_end(void *arg, const entity_desc *d, long long n)
{
	backfill   *bf = arg;

	if (!stage_copy_end(bf->st))
	{
		bf->exit_code = AUSDASH_EXIT_FAILURE;
		return false;
	}
	log_debug("%s: %lld records read", d->name, n);
	return true;
}

static const storeread_handler handler = {
	on_meta, on_array_begin, on_record, on_array_end
};

/* --- input --------------------------------------------------------------- */

static void
open_input(backfill *bf)
{
	struct stat st;

	bf->fd = opt_open_input(bf->input, "store",
							"Give the store's path as an argument or in AUS_DASH_STORE_PATH.");
	bf->size = -1;
	if (fstat(bf->fd, &st) == 0 && S_ISREG(st.st_mode))
		bf->size = st.st_size;
}

static void
show_progress(backfill *bf, bool force)
{
	long		now = timeutil_now_ms();
	double		secs;
	double		rate;

	if (!force && now - bf->progress_ms < 1000)
		return;
	if (!log_stderr_is_tty() && log_get_level() > LOG_LEVEL_INFO)
		return;
	bf->progress_ms = now;
	secs = (now - bf->started_ms) / 1000.0;
	rate = secs > 0 ? bf->bytes / secs : 0;
	if (bf->size > 0)
		log_progress("read %.1f of %.1f MB (%.0f%%), %.1f MB/s, ETA %.0f s",
					 bf->bytes / 1e6, bf->size / 1e6, 100.0 * bf->bytes / bf->size,
					 rate / 1e6, rate > 0 ? (bf->size - (double) bf->bytes) / rate : 0);
	else
		log_progress("read %.1f MB, %.1f MB/s", bf->bytes / 1e6, rate / 1e6);
}

/* Streams the input through the reader into the staging tables. */
static bool
read_input(backfill *bf)
{
	size_t		bufsize = STOREREAD_CHUNK;
	unsigned char *buf = mem_malloc(bufsize);
	bool		ok = true;

	for (;;)
	{
		size_t		want = storeread_next_chunk(bf->sr);
		ssize_t		n;

		if (want > bufsize)
			buf = mem_realloc(buf, bufsize = want);
		n = storeread_read(bf->fd, buf, want);

		if (db_interrupted())
		{
			log_error("interrupted by signal %d", db_interrupted());
			bf->exit_code = AUSDASH_EXIT_FAILURE;
			ok = false;
			break;
		}
		if (n < 0)
		{
			if (errno == EINTR)
				continue;
			log_error("could not read store \"%s\": %m", bf->input);
			bf->exit_code = AUSDASH_EXIT_IOERR;
			ok = false;
			break;
		}
		if (n == 0)
		{
			ok = storeread_finish(bf->sr);
			break;
		}
		if (sha256_update(bf->sum, buf, n) != 0)
			log_fatal(AUSDASH_EXIT_SOFTWARE, "SHA-256 failed: %s", sha256_error(bf->sum));
		bf->bytes += n;
		if (!storeread_feed(bf->sr, buf, n))
		{
			ok = false;
			break;
		}
		show_progress(bf, false);
	}
	free(buf);
	if (ok && bf->ignored_fields > 0)
		log_warning("ignored %lld unknown record field(s), the first at %s",
					bf->ignored_fields, bf->first_ignored);
	if (!ok && *storeread_error(bf->sr))
	{
		log_error("%s", storeread_error(bf->sr));
		bf->exit_code = AUSDASH_EXIT_DATAERR;
	}
	if (!ok && bf->exit_code == AUSDASH_EXIT_OK)
		bf->exit_code = AUSDASH_EXIT_DATAERR;
	if (sha256_final(bf->sum, bf->input_sha256) != 0)
		log_fatal(AUSDASH_EXIT_SOFTWARE, "SHA-256 failed: %s", sha256_error(bf->sum));
	return ok;
}

/* --- summary ------------------------------------------------------------- */

static void
totals(const backfill *bf, run_counts *t)
{
	memset(t, 0, sizeof(*t));
	for (int i = 0; i < entity_count; i++)
	{
		const stage_counts *c = stage_get_counts(bf->st, entity_all[i]);

		t->read += bf->read[i] + bf->rejected[i];
		t->inserted += c->inserted;
		t->updated += c->updated;
		t->unchanged += c->unchanged;
		t->rejected += bf->rejected[i];
	}
}

static void
gen_counts(yajl_gen g, long long read, const stage_counts *c, long long rejected)
{
	jsonw_int(g, "read", read);
	jsonw_int(g, "inserted", c->inserted);
	jsonw_int(g, "updated", c->updated);
	jsonw_int(g, "unchanged", c->unchanged);
	jsonw_int(g, "duplicates", c->duplicates);
	jsonw_int(g, "rejected", rejected);
}

/* An entity's merge counts; a snapshot kept as an alias counts as a duplicate. */
static stage_counts
entity_counts(const backfill *bf, int i)
{
	stage_counts c = *stage_get_counts(bf->st, entity_all[i]);

	if (strcmp(entity_all[i]->name, "rawSnapshots") == 0)
		c.duplicates += bf->aliased;
	return c;
}

/*
 * The summary as JSON (also the run's details); pretty for --json; error
 * (or NULL) for a failed run.
 */
static void
summary_json(const backfill *bf, const char *status, bool pretty, const char *error,
			 sbuf *out)
{
	yajl_gen	g = jsonw_new(out, pretty);
	run_counts	t;
	stage_counts c;

	totals(bf, &t);
	yajl_gen_map_open(g);
	jsonw_str(g, "status", status);
	if (error)
		jsonw_str(g, "error", error);
	jsonw_str(g, "run_id", bf->run.begun ? bf->run.run_id : NULL);
	jsonw_bool(g, "dry_run", bf->dry_run);
	jsonw_str(g, "input", bf->input);
	jsonw_int(g, "input_bytes", (long long) bf->bytes);
	jsonw_str(g, "input_sha256", bf->input_sha256);
	jsonw_int(g, "duration_ms", timeutil_now_ms() - bf->started_ms);
	jsonw_key(g, "store");
	yajl_gen_map_open(g);
	jsonw_int(g, "version", 1);
	jsonw_str(g, "updated_at", bf->updated_at);
	gen_counts(g, 1, &bf->meta, 0);
	yajl_gen_map_close(g);
	jsonw_key(g, "entities");
	yajl_gen_map_open(g);
	for (int i = 0; i < entity_count; i++)
	{
		jsonw_key(g, entity_all[i]->name);
		yajl_gen_map_open(g);
		jsonw_str(g, "table", entity_all[i]->table);
		c = entity_counts(bf, i);
		gen_counts(g, bf->read[i] + bf->rejected[i], &c, bf->rejected[i]);
		yajl_gen_map_close(g);
	}
	yajl_gen_map_close(g);
	jsonw_key(g, "totals");
	yajl_gen_map_open(g);
	jsonw_int(g, "read", t.read);
	jsonw_int(g, "inserted", t.inserted);
	jsonw_int(g, "updated", t.updated);
	jsonw_int(g, "unchanged", t.unchanged);
	jsonw_int(g, "rejected", t.rejected);
	yajl_gen_map_close(g);
	jsonw_int(g, "ignored_keys", storeread_ignored_keys(bf->sr));
	jsonw_int(g, "ignored_fields", bf->ignored_fields);
	jsonw_int(g, "impossible_dates", bf->dates.count);
	jsonw_key(g, "cursors_kept");
	yajl_gen_array_open(g);
	for (size_t off = 0; off < bf->kept.len;)
	{
		const char *src = bf->kept.data + off;
		const char *kept = src + strlen(src) + 1;
		const char *store = kept + strlen(kept) + 1;

		yajl_gen_map_open(g);
		jsonw_str(g, "source", src);
		jsonw_str(g, "kept", kept);
		jsonw_str(g, "store", store);
		yajl_gen_map_close(g);
		off = (size_t) (store + strlen(store) + 1 - bf->kept.data);
	}
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
	yajl_gen_free(g);
}

static void
summary_text(const backfill *bf, const char *status)
{
	run_counts	t;

	totals(bf, &t);
	log_info("%s%s: %lld records read, %lld inserted, %lld updated, %lld unchanged, "
			 "%lld rejected", status, bf->dry_run ? " (dry run, rolled back)" : "",
			 t.read, t.inserted, t.updated, t.unchanged, t.rejected);
	log_info("%-22s %10s %10s %10s %10s %10s %10s", "entity", "read", "inserted",
			 "updated", "unchanged", "duplicates", "rejected");
	for (int i = 0; i < entity_count; i++)
	{
		stage_counts c = entity_counts(bf, i);

		log_info("%-22s %10lld %10lld %10lld %10lld %10lld %10lld", entity_all[i]->name,
				 bf->read[i] + bf->rejected[i], c.inserted, c.updated, c.unchanged,
				 c.duplicates, bf->rejected[i]);
	}
	log_info("%-22s %10d %10lld %10lld %10lld %10d %10d", "(version, updatedAt)", 1,
			 bf->meta.inserted, bf->meta.updated, bf->meta.unchanged, 0, 0);
}

/* --- the run ------------------------------------------------------------- */

static bool
merge_all(backfill *bf)
{
	for (int i = 0; i < entity_count; i++)
	{
		if (db_interrupted())
		{
			log_error("interrupted by signal %d", db_interrupted());
			return false;
		}
		if (!stage_merge(bf->st, entity_all[i], reject_conflict, bf))
			return false;
	}
	for (size_t off = 0; off < bf->aliases.len;)
	{
		const char *params[2] = {bf->aliases.data + off, NULL};

		params[1] = params[0] + strlen(params[0]) + 1;
		off = (size_t) (params[1] + strlen(params[1]) + 1 - bf->aliases.data);
		if (!db_command(bf->conn, sqlset_sql(SQLSET_RAW_SNAPSHOTS_ALIAS), 2, params))
			return false;
	}
	return stage_merge_meta(bf->st, bf->version, bf->updated_at, &bf->meta);
}

/* Ends a failed run: roll back, record it as failed, return the exit code. */
static int
fail_run(backfill *bf)
{
	run_counts	t;
	char		summary[1024];
	int			code = bf->exit_code != AUSDASH_EXIT_OK ? bf->exit_code : AUSDASH_EXIT_FAILURE;

	snprintf(summary, sizeof(summary), "%s", log_last_error());
	stage_copy_abort(bf->st, "ausdash-backfill: run failed");
	if (!db_connection_lost(bf->conn))
		db_abort(bf->conn);
	totals(bf, &t);
	t.inserted = t.updated = t.unchanged = 0;
	if (bf->run.begun && run_fail(bf->conn, &bf->run, summary, &t))
		log_detail("Nothing was loaded; run %s is recorded as failed.", bf->run.run_id);
	else if (!bf->run.begun)
		log_detail("Nothing was loaded.");
	if (bf->json)
	{
		sbuf		out;

		sbuf_init(&out);
		summary_json(bf, "failed", true, summary, &out);
		fwrite(out.data, 1, out.len, stdout);
		sbuf_release(&out);
	}
	return code;
}

int
main(int argc, char **argv)
{
	static struct option long_options[] = {
		{"dry-run", no_argument, NULL, 'n'},
		{"ignore-unknown", no_argument, NULL, OPT_IGNORE_UNKNOWN},
		{"index-build", required_argument, NULL, OPT_INDEX_BUILD},
		{"json", no_argument, NULL, OPT_JSON},
		{"lock-wait", required_argument, NULL, OPT_LOCK_WAIT},
		{"max-errors", required_argument, NULL, OPT_MAX_ERRORS},
		{"rejects", required_argument, NULL, OPT_REJECTS},
		{"strict-dates", no_argument, NULL, OPT_STRICT_DATES},
		{"allow-cursor-rewind", no_argument, NULL, OPT_ALLOW_REWIND},
		OPT_CONNECTION_LONG_OPTIONS,
		OPT_COMMON_LONG_OPTIONS,
		{NULL, 0, NULL, 0}
	};
	backfill	bf;
	db_options	dbo;
	const char *status;
	run_counts	t;
	sbuf		details;
	int			c;
	int			code;

	log_init(argv[0]);
	opt_init(argv);
	opt_handle_help_version(argc, argv, help);
	db_options_init(&dbo);
	memset(&bf, 0, sizeof(bf));
	sbuf_init(&bf.why);
	datetoken_audit_init(&bf.dates, false);
	sbuf_init(&bf.db_cursors);
	sbuf_init(&bf.kept);
	sbuf_init(&bf.aliases);
	bf.started_ms = timeutil_now_ms();
	bf.progress_ms = bf.started_ms;	/* the first report after one interval */
	bf.index_build = STAGE_INDEX_AUTO;

	while ((c = getopt_long(argc, argv, "d:nqvV?", long_options, NULL)) != -1)
	{
		if (opt_common(c, help) || opt_connection(&dbo, c, optarg))
			continue;
		switch (c)
		{
			case 'n':
				bf.dry_run = true;
				break;
			case OPT_IGNORE_UNKNOWN:
				bf.ignore_unknown = true;
				break;
			case OPT_INDEX_BUILD:
				if (!stage_parse_index_build(optarg, &bf.index_build))
					log_usage_fatal("invalid value \"%s\" for option --index-build: "
									"expected auto, after or during", optarg);
				break;
			case OPT_JSON:
				bf.json = true;
				break;
			case OPT_LOCK_WAIT:
				if (!opt_parse_duration_ms(optarg, "--lock-wait", 0, 86400000L,
										   &bf.lock_wait_ms))
					opt_bad_option();
				break;
			case OPT_MAX_ERRORS:
				if (!opt_parse_int(optarg, "--max-errors", 0, INT_MAX, &bf.budget.max_errors))
					opt_bad_option();
				break;
			case OPT_REJECTS:
				bf.rejects_path = optarg;
				break;
			case OPT_STRICT_DATES:
				bf.dates.strict = true;
				break;
			case OPT_ALLOW_REWIND:
				bf.allow_rewind = true;
				break;
			default:
				opt_bad_option();
		}
	}
	if (optind < argc)
		bf.input = argv[optind++];
	else if (getenv("AUS_DASH_STORE_PATH") && *getenv("AUS_DASH_STORE_PATH"))
		bf.input = getenv("AUS_DASH_STORE_PATH");
	else
		bf.input = "data/live-store.json";
	opt_no_extra_args(argc, argv, optind);
	if (bf.rejects_path && bf.budget.max_errors == 0)
		log_usage_fatal("option --rejects needs --max-errors");

	open_input(&bf);
	if (bf.rejects_path && (bf.budget.file = reject_open(bf.rejects_path)) == NULL)
		exit(AUSDASH_EXIT_IOERR);

	bf.conn = db_connect(&dbo, AUSDASH_EXIT_UNAVAILABLE);
	switch (lock_acquire(bf.conn, BACKFILL_LOCK, bf.lock_wait_ms))
	{
		case LOCK_ACQUIRED:
			break;
		case LOCK_BUSY:
			log_error("another backfill is running (advisory lock \"%s\" is held)",
					  BACKFILL_LOCK);
			lock_log_holder(bf.conn, BACKFILL_LOCK);
			log_hint("Wait for it to finish, or use --lock-wait to wait for it.");
			db_disconnect(&bf.conn);
			exit(AUSDASH_EXIT_LOCKED);
		case LOCK_ERROR:
			db_disconnect(&bf.conn);
			exit(AUSDASH_EXIT_FAILURE);
	}

	db_cancel_on_signals(bf.conn);

	bf.run.job = BACKFILL_JOB;
	bf.run.lock_name = BACKFILL_LOCK;
	bf.run.run_mode = "backfill";
	bf.run.input_name = bf.input;
	if (!bf.dry_run && !run_begin(bf.conn, &bf.run))
	{
		db_disconnect(&bf.conn);
		exit(AUSDASH_EXIT_FAILURE);
	}

	bf.st = stage_new(bf.conn);
	stage_set_index_build(bf.st, bf.index_build);
	bf.sr = storeread_new(bf.input, &handler, &bf, bf.ignore_unknown);
	bf.sum = sha256_create();
	if (bf.sum == NULL)
		log_fatal(AUSDASH_EXIT_SOFTWARE, "could not start SHA-256");

	/* the batch settings of sql/pg/txn.sql, for the transaction */
	if (!db_begin(bf.conn) ||
		!db_command(bf.conn, sqlset_sql(SQLSET_TXN_BATCH_SETTINGS), 0, NULL) ||
		!load_cursors(&bf) ||
		!read_input(&bf) ||
		!merge_all(&bf))
		code = fail_run(&bf);
	else
	{
		totals(&bf, &t);
		status = t.rejected > 0 ? "partial" : "ok";
		sbuf_init(&details);
		summary_json(&bf, status, false, NULL, &details);
		if (bf.dry_run)
		{
			code = !db_rollback(bf.conn) ? AUSDASH_EXIT_FAILURE :
				t.rejected > 0 ? AUSDASH_EXIT_PARTIAL : AUSDASH_EXIT_OK;
			status = "dry_run";
		}
		else if (!run_finish(bf.conn, &bf.run, status, &t, bf.input_sha256,
							 (long long) bf.bytes, details.data, NULL) ||
				 !db_commit(bf.conn))
			code = fail_run(&bf);
		else
			code = t.rejected > 0 ? AUSDASH_EXIT_PARTIAL : AUSDASH_EXIT_OK;
		sbuf_release(&details);
		if (code == AUSDASH_EXIT_OK || code == AUSDASH_EXIT_PARTIAL)
		{
			if (log_stderr_is_tty())
				show_progress(&bf, true);
			summary_text(&bf, status);
			if (bf.json)
			{
				sbuf		out;

				sbuf_init(&out);
				summary_json(&bf, status, true, NULL, &out);
				fwrite(out.data, 1, out.len, stdout);
				sbuf_release(&out);
			}
		}
	}

	/* a rejects file or a summary that was not written fails the run's report */
	if (bf.budget.file && !reject_close(&bf.budget.file) &&
		(code == AUSDASH_EXIT_OK || code == AUSDASH_EXIT_PARTIAL))
		code = AUSDASH_EXIT_IOERR;
	db_cancel_reset();
	if (code == AUSDASH_EXIT_OK || code == AUSDASH_EXIT_PARTIAL)
		lock_release(bf.conn, BACKFILL_LOCK);
	db_disconnect(&bf.conn);
	storeread_free(&bf.sr);
	stage_free(&bf.st);
	sha256_free(&bf.sum);
	if (bf.fd > STDIN_FILENO)
		close(bf.fd);
	free(bf.version);
	free(bf.updated_at);
	sbuf_release(&bf.why);
	datetoken_audit_release(&bf.dates);
	sbuf_release(&bf.db_cursors);
	sbuf_release(&bf.kept);
	sbuf_release(&bf.aliases);
	free(bf.first_ignored);
	if (!log_close_stdout() && (code == AUSDASH_EXIT_OK || code == AUSDASH_EXIT_PARTIAL))
		code = AUSDASH_EXIT_IOERR;
	return code;
}
