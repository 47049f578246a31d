/*
 * lib/run/backfill.c - a whole live-store.json into PostgreSQL, every
 * entity, losslessly and idempotently, in one run (lib/run/lifecycle.h).
 */
#include "base/common.h"

#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/datetoken.h"
#include "pg/db.h"
#include "model/entity.h"
#include "base/jsonw.h"
#include "pg/lock.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/progress.h"
#include "model/reject.h"
#include "run/backfill.h"
#include "run/lifecycle.h"
#include "run/run.h"
#include "base/sbuf.h"
#include "base/sha256.h"
#include "pg/sqlset.h"
#include "load/stage.h"
#include "store/readerup.h"
#include "store/storeread.h"
#include "base/timeutil.h"
#include "base/banned.h"

#define BACKFILL_JOB "ausdash-backfill"
#define BACKFILL_LOCK "backfill"
#define MAX_ENTITIES 16

typedef struct backfill
{
	const backfill_options *o;
	lifecycle	lc;				/* the run: lc.conn, lc.run, lc.budget */

	/* state */
	int			fd;
	long long	size;			/* -1 when not a regular file */
	stage	   *st;
	storeread  *sr;
	sha256_ctx *sum;			/* the input's digest, as it is read; or */
	sha256_fd  *sum_beside;		/* a regular file's, in a thread of its own */
	char		input_sha256[SHA256_HEX_LEN + 1];
	uint64_t	bytes;
	datetoken_audit dates;		/* .strict: --strict-dates */
	long long	read[MAX_ENTITIES];
	long long	rejected[MAX_ENTITIES];
	sbuf		db_cursors;		/* the database's cursors: source\0cursor\0... */
	sbuf		kept;			/* cursors kept: source\0kept\0store's\0... */
	sbuf		aliases;		/* snapshotIds of another lineage: alias\0stored\0... */
	long long	aliased;
	char	   *version;
	char	   *updated_at;
	stage_counts meta;
	long		progress_ms;
	long		read_started_ms;
	long long	ignored_fields;	/* unknown fields skipped (--ignore-unknown) */
	char	   *first_ignored;	/* where the first one was */
	sbuf		why;

	/* the dashboard reader's upgrades (lib/store/readerup.h) */
	bool		has_source_mix;	/* the store has source-mix observations */
	long long	store_observations;	/* its observations array's length */
	const char *source_mix;		/* what was done: "added", "own", "off", "no_seed" */
	const char *seed;			/* the seed store read, or NULL */
	long long	seeded;			/* observations added from it */
} backfill;

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
	if (reject_take(&bf->lc.budget, where, ri))
	{
		bf->rejected[entity_index(d)]++;
		return true;
	}
	bf->lc.exit_code = bf->lc.budget.exit_code;
	if (bf->lc.exit_code == AUSDASH_EXIT_DATAERR)
	{
		log_error("%s: %s", where, ri->reason);
		if (bf->lc.budget.max_errors > 0)
			log_detail("More than %d records were bad (--max-errors).", bf->lc.budget.max_errors);
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
	if (bf->lc.budget.file)
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
		bf->lc.exit_code = AUSDASH_EXIT_FAILURE;
		return false;
	}
	return true;
}

/* Reads the database's cursors (in the loading transaction, locked). */
static bool
load_cursors(backfill *bf)
{
	PGresult   *res = db_query(bf->lc.conn, sqlset_sql(SQLSET_SOURCE_CURSORS_CURRENT), 0, NULL);

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
			!datetoken_cursor_stays(db_cursor, store_cursor, bf->o->allow_rewind))
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
	if (!bf->has_source_mix && readerup_is_source_mix(d, rec))
		bf->has_source_mix = true;
	if (!entity_check_record(d, rec, bf->o->ignore_unknown, bycol, &bf->why, &field))
		return reject(bf, d, rec, field, bf->why.data);
	if (strcmp(d->name, "observations") == 0 &&
		!datetoken_audit_record(&bf->dates, rec, date_where, bf, &bf->why))
		return reject(bf, d, rec, "date", bf->why.data);
	if (strcmp(d->name, "sourceCursors") == 0 && cursor_stays(bf, rec))
	{
		bf->read[entity_index(d)]++;	/* read, and left as the database has it */
		return true;
	}
	if (bf->o->ignore_unknown && !d->extra)
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
		bf->lc.exit_code = AUSDASH_EXIT_FAILURE;
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
		bf->lc.exit_code = AUSDASH_EXIT_FAILURE;
		return false;
	}
	log_debug("%s: %lld records read", d->name, n);
	if (strcmp(d->name, "observations") == 0 && bf->seed == NULL)
		bf->store_observations = n;
	return true;
}

static const storeread_handler handler = {
	on_meta, on_array_begin, on_record, on_array_end
};

/* --- input --------------------------------------------------------------- */

static void
show_progress(backfill *bf, bool force)
{
	long		now = timeutil_now_ms();
	double		secs;
	double		rate;

	if ((!force && now - bf->progress_ms < 1000) || !progress_shown())
		return;
	bf->progress_ms = now;
	secs = (now - bf->read_started_ms) / 1000.0;
	rate = secs > 0 ? bf->bytes / secs : 0;
	/* an ETA only here, where the rest can be estimated: bytes still to read */
	if (bf->size > 0)
		progress_show("%.1f of %.1f MB (%.0f%%), %.1f MB/s, ETA %.0f s",
					  bf->bytes / 1e6, bf->size / 1e6, 100.0 * bf->bytes / bf->size,
					  rate / 1e6, rate > 0 ? (bf->size - (double) bf->bytes) / rate : 0);
	else
		progress_show("%.1f MB, %.1f MB/s", bf->bytes / 1e6, rate / 1e6);
}

/* Each chunk of the store: checksummed, counted, shown; a signal stops the read. */
static bool
on_chunk(void *arg, const void *buf, size_t len)
{
	backfill   *bf = arg;

	if (db_interrupted())
	{
		log_error("interrupted by signal %d", db_interrupted());
		bf->lc.exit_code = AUSDASH_EXIT_FAILURE;
		return false;
	}
	if (bf->sum_beside == NULL && sha256_update(bf->sum, buf, len) != 0)
		log_fatal(AUSDASH_EXIT_SOFTWARE, "SHA-256 failed: %s", sha256_error(bf->sum));
	bf->bytes += len;
	show_progress(bf, false);
	return true;
}

/*
 * The digest of a regular file, taken beside the reader (the ledger's
 * input_sha256): when the reader read all of it, it must be of the bytes
 * the reader read.  (Of a read that stopped early it is the whole file's.)
 */
static bool
input_digest_beside(backfill *bf, bool read_all)
{
	uint64_t	hashed = 0;

	if (sha256_fd_finish(&bf->sum_beside, bf->input_sha256, &hashed) != 0)
	{
		log_error("could not read store \"%s\" to checksum it: %s", bf->o->input,
				  strerror(errno));
		bf->lc.exit_code = AUSDASH_EXIT_IOERR;
		return false;
	}
	/* (a read that stopped early failed the run already, and said why) */
	if (read_all && hashed != bf->bytes)
	{
		log_error("store \"%s\" changed while it was read: %llu bytes read, %llu checksummed",
				  bf->o->input, (unsigned long long) bf->bytes, (unsigned long long) hashed);
		log_hint("Write the store elsewhere and rename it into place, as the dashboard does.");
		bf->lc.exit_code = AUSDASH_EXIT_IOERR;
		return false;
	}
	return true;
}

/* Streams the input through the reader into the staging tables. */
static bool
read_input(backfill *bf)
{
	bool		ok;

	progress_phase("reading and staging");
	bf->read_started_ms = bf->progress_ms = timeutil_now_ms();
	ok = storeread_stream(bf->sr, bf->fd, bf->o->input, on_chunk, bf, &bf->lc.exit_code);
	if (ok)
		show_progress(bf, true);	/* all of it read, at what rate */

	if (ok && bf->ignored_fields > 0)
		log_warning("ignored %lld unknown record field(s), the first at %s",
					bf->ignored_fields, bf->first_ignored);
	if (!ok && bf->lc.exit_code == AUSDASH_EXIT_OK)
		bf->lc.exit_code = AUSDASH_EXIT_DATAERR;
	if (bf->sum_beside)
		ok = input_digest_beside(bf, ok) && ok;
	else if (sha256_final(bf->sum, bf->input_sha256) != 0)
		log_fatal(AUSDASH_EXIT_SOFTWARE, "SHA-256 failed: %s", sha256_error(bf->sum));
	return ok;
}

/*
 * What the dashboard's reader adds on every read (from its f8ac5e8 era on):
 * its seeded source-mix observations, to a store that has none, after the
 * store's own.  They come from its seed store, which ausdash does not
 * carry; without one the store loads as written, with a warning.
 */
static bool
reader_upgrades(backfill *bf)
{
	if (!bf->o->reader_upgrades)
	{
		bf->source_mix = "off";
		return true;
	}
	if (bf->has_source_mix)
	{
		bf->source_mix = "own";
		return true;
	}
	if ((bf->seed = readerup_seed_path(bf->o->reader_seed)) == NULL)
	{
		bf->source_mix = "no_seed";
		log_warning("the store has no source-mix observations, which the dashboard's reader "
					"adds from its seed store; none was given: loaded as written");
		log_hint("Give the dashboard's data/live-store.json with --reader-seed (or "
				 "AUS_DASH_SEED_STORE_PATH), or say --no-reader-upgrades.");
		return true;
	}
	bf->source_mix = "added";
	if (!readerup_seed_source_mix(bf->seed, &handler, bf, bf->store_observations, &bf->seeded,
								  &bf->lc.exit_code))
	{
		log_detail("While adding the seeded source mix from \"%s\".", bf->seed);
		return false;
	}
	log_info("the store has no source-mix observations: %lld added from \"%s\", as the "
			 "dashboard's reader adds them", bf->seeded, bf->seed);
	return true;
}

/* --- summary ------------------------------------------------------------- */

static void
totals(void *arg, run_counts *t)
{
	const backfill *bf = arg;
	static const stage_counts none;

	memset(t, 0, sizeof(*t));
	for (int i = 0; i < entity_count; i++)
	{
		const stage_counts *c = bf->st ? stage_get_counts(bf->st, entity_all[i]) : &none;

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
	static const stage_counts none;
	stage_counts c = bf->st ? *stage_get_counts(bf->st, entity_all[i]) : none;

	if (strcmp(entity_all[i]->name, "rawSnapshots") == 0)
		c.duplicates += bf->aliased;
	return c;
}

/* backfill's part of the summary (lib/run/lifecycle.h) */
static void
summary_body(void *arg, yajl_gen g)
{
	const backfill *bf = arg;
	run_counts	t;
	stage_counts c;

	totals(arg, &t);
	jsonw_str(g, "input", bf->o->input);
	jsonw_int(g, "input_bytes", (long long) bf->bytes);
	jsonw_str(g, "input_sha256", bf->input_sha256);
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
	jsonw_int(g, "ignored_keys", bf->sr ? storeread_ignored_keys(bf->sr) : 0);
	jsonw_int(g, "ignored_fields", bf->ignored_fields);
	jsonw_int(g, "impossible_dates", bf->dates.count);
	jsonw_key(g, "reader_upgrades");
	yajl_gen_map_open(g);
	jsonw_str(g, "source_mix", bf->source_mix);
	jsonw_str(g, "seed", bf->seed);
	jsonw_int(g, "added", bf->seeded);
	yajl_gen_map_close(g);
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
}

static void
summary_text(void *arg, const char *status)
{
	backfill   *bf = arg;
	run_counts	t;

	totals(arg, &t);
	log_info("%s%s: %lld records read, %lld inserted, %lld updated, %lld unchanged, "
			 "%lld rejected", status, bf->o->dry_run ? " (dry run, rolled back)" : "",
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
		if (!db_command(bf->lc.conn, sqlset_sql(SQLSET_RAW_SNAPSHOTS_ALIAS), 2, params))
			return false;
	}
	return stage_merge_meta(bf->st, bf->version, bf->updated_at, &bf->meta);
}

/* Before a failed run rolls back: a COPY in progress ends first. */
static void
on_failure(void *arg)
{
	backfill   *bf = arg;

	if (bf->st)
		stage_copy_abort(bf->st, "ausdash-backfill: run failed");
}

static const lifecycle_ops ops = {
	.counts = totals,
	.summary_body = summary_body,
	.summary_text = summary_text,
	.on_failure = on_failure,
};

void
backfill_options_init(backfill_options *o)
{
	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->index_build = STAGE_INDEX_AUTO;
	o->reader_upgrades = true;
}

int
backfill_run(const backfill_options *o, const db_options *dbo)
{
	backfill	bf;
	struct stat st;
	bool		ok;
	int			code;

	memset(&bf, 0, sizeof(bf));
	bf.o = o;
	bf.fd = o->fd;
	bf.size = fstat(bf.fd, &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : -1;
	sbuf_init(&bf.why);
	datetoken_audit_init(&bf.dates, false);
	bf.dates.strict = o->strict_dates;
	sbuf_init(&bf.db_cursors);
	sbuf_init(&bf.kept);
	sbuf_init(&bf.aliases);

	lifecycle_init(&bf.lc);
	bf.lc.ops = &ops;
	bf.lc.arg = &bf;
	bf.lc.run.job = BACKFILL_JOB;
	bf.lc.run.lock_name = BACKFILL_LOCK;
	bf.lc.run.run_mode = "backfill";
	bf.lc.run.input_name = o->input;
	bf.lc.busy = "another backfill is running";
	bf.lc.lock_wait_ms = o->lock_wait_ms;
	bf.lc.dry_run = o->dry_run;
	bf.lc.json = o->json;
	bf.lc.batch = true;
	bf.lc.rejects_path = o->rejects_path;
	bf.lc.budget.max_errors = o->max_errors;

	lifecycle_begin(&bf.lc, dbo);
	bf.st = stage_new(bf.lc.conn);
	stage_set_index_build(bf.st, o->index_build);
	stage_set_direct(bf.st, o->index_build == STAGE_INDEX_AFTER ||
					 (o->index_build == STAGE_INDEX_AUTO && bf.size >= STAGE_DIRECT_MIN_BYTES));
	stage_set_positions(bf.st, true);
	stage_set_skip_unchanged(bf.st, !o->compare_all);
	bf.sr = storeread_new(o->input, &handler, &bf, o->ignore_unknown);
	bf.sum = sha256_create();
	if (bf.sum == NULL)
		log_fatal(AUSDASH_EXIT_SOFTWARE, "could not start SHA-256");
	if (bf.size >= 0)
		bf.sum_beside = sha256_fd_start(bf.fd);

	ok = load_cursors(&bf) && read_input(&bf) && reader_upgrades(&bf) && merge_all(&bf);
	bf.lc.input_sha256 = bf.input_sha256;
	bf.lc.input_bytes = (long long) bf.bytes;
	code = lifecycle_end(&bf.lc, ok);

	storeread_free(&bf.sr);
	stage_free(&bf.st);
	sha256_free(&bf.sum);
	if (bf.sum_beside)
	{
		uint64_t	ignored;

		(void) sha256_fd_finish(&bf.sum_beside, bf.input_sha256, &ignored);
	}
	free(bf.version);
	free(bf.updated_at);
	sbuf_release(&bf.why);
	datetoken_audit_release(&bf.dates);
	sbuf_release(&bf.db_cursors);
	sbuf_release(&bf.kept);
	sbuf_release(&bf.aliases);
	free(bf.first_ignored);
	return code;
}
