/*
 * lib/run/backend.c - where ausdash-ingest writes: the postgres, store and
 * dual backends, one method table each (after pg_dump's archive formats).
 */
#include "base/common.h"

#include "base/jsonw.h"
#include "base/log.h"
#include "base/mem.h"
#include "pg/sqlbuild.h"
#include "pg/sqlset.h"
#include "run/backend.h"
#include "run/ingestrun.h"
#include "base/banned.h"

/* Applies the run to the store; returns the exit code. */
static int
apply_store(ingestrun *r, int code)
{
	storeingest_run sr = {0};

	sr.path = r->store_path;
	sr.lock_wait_ms = r->lc.lock_wait_ms > 60000 ? r->lc.lock_wait_ms : 60000;
	sr.source_id = r->source_id;
	sr.job = r->job;
	/* dual: the store's run is PostgreSQL's, under the same id */
	sr.run_id = r->lc.run.begun ? r->lc.run.run_id : NULL;
	sr.run_mode = r->lc.run.run_mode;
	sr.snapshot_id = r->new_snapshot_id;
	sr.checksum = r->input_sha256;
	sr.captured_at = r->as_of;
	sr.content_type = r->format->content_type;
	sr.payload = r->payload;
	sr.cursor = r->in->cursor;
	sr.allow_rewind = r->allow_rewind;
	if (!storeingest_apply(r->si, &sr, &r->sres))
	{
		if (r->lc.conn)
		{
			const stage_counts *c = ingest_counts(r->in);

			log_detail("PostgreSQL has this run committed (run %s: %lld inserted, %lld "
					   "updated); the store \"%s\" was not changed.", r->lc.run.run_id,
					   c->inserted, c->updated, r->store_path);
			log_hint("Bring the store level with \"ausdash-ingest --backend store\" on the "
					 "same payload, or with ausdash-export.");
		}
		else
			log_detail("The store \"%s\" was not changed.", r->store_path);
		return r->sres.exit_code;
	}
	r->store_applied = true;
	return code;
}

typedef struct drift_ctx
{
	ingestrun  *r;
	char	  **keys;
	const entity_record **now;
	long long	n;
	long long	cap;
} drift_ctx;

static void
collect(void *arg, const char *key, const entity_record *now)
{
	drift_ctx  *d = arg;

	if (d->n == d->cap)
	{
		d->cap = d->cap ? d->cap * 2 : 256;
		d->keys = mem_realloc(d->keys, d->cap * sizeof(char *));
		d->now = mem_realloc(d->now, d->cap * sizeof(entity_record *));
	}
	d->keys[d->n] = mem_strdup(key);
	d->now[d->n++] = now;
}

static void
add_drift(ingestrun *r, const char *key, const char *side)
{
	yajl_gen	g;

	if (r->drift++ < 10)
		log_warning("drift: %s: %s", key, side);
	if (r->drift > 1000)
		return;
	sbuf_appendc(&r->drift_json, r->drift_json.len ? ',' : '[');
	g = jsonw_new(&r->drift_json, false);
	yajl_gen_map_open(g);
	jsonw_str(g, "key", key);
	jsonw_str(g, "side", side);
	yajl_gen_map_close(g);
	yajl_gen_free(g);
}

static void
on_drift(void *arg, long long ord, bool missing)
{
	drift_ctx  *d = arg;

	add_drift(d->r, d->keys[ord], missing ? "only in the store" : "values differ");
}

/*
 * Compares the keys the run touched: the store's records (staged) against
 * PostgreSQL's rows, as the merge compares them.  Returns the exit code.
 */
static int
check_drift(ingestrun *r, int code)
{
	const entity_desc *d = entity_find("observations");
	drift_ctx	ctx = {0};
	stage	   *st = stage_new(r->lc.conn);
	sbuf		why;
	sbuf		exists;
	bool		ok;

	ctx.r = r;
	sbuf_init(&why);
	sbuf_init(&exists);
	storeingest_each(r->si, collect, &ctx);
	stage_set_uncompared(st, "ingestedAt");
	ok = db_begin(r->lc.conn) && stage_copy_begin(st, d);
	for (long long i = 0; ok && i < ctx.n; i++)
	{
		const entity_field *bycol[ENTITY_MAX_COLUMNS];
		const char *field;
		entity_record rec;

		if (ctx.now[i] == NULL)
			continue;
		rec = *ctx.now[i];
		rec.index = i;
		sbuf_reset(&why);
		if (entity_check_record(d, &rec, false, bycol, &why, &field))
			ok = stage_add(st, &rec, bycol);
		else
			add_drift(r, ctx.keys[i], "invalid in the store");
	}
	ok = ok && stage_copy_end(st) && stage_drift(st, d, on_drift, &ctx) >= 0;
	/* keys the store does not have: are they in PostgreSQL? */
	sbuf_reset(&why);
	sqlbuild_key(d, &why);
	sqlset_render(SQLSET_DUAL_OBSERVATION_EXISTS, &exists,
				  (const char *const[]) {"key", why.data, NULL});
	for (long long i = 0; ok && i < ctx.n; i++)
	{
		const char *params[1] = {ctx.keys[i]};
		PGresult   *res;

		if (ctx.now[i])
			continue;
		res = db_query(r->lc.conn, exists.data, 1, params);
		ok = res != NULL;
		if (res && PQntuples(res) > 0)
			add_drift(r, ctx.keys[i], "only in PostgreSQL");
		PQclear(res);
	}
	if (ok)
		db_abort(r->lc.conn);
	stage_free(&st);
	if (ok && r->drift > 0)
	{
		const char *params[2];

		sbuf_appendc(&r->drift_json, ']');
		params[0] = r->lc.run.run_id;
		params[1] = r->drift_json.data;
		log_error("the store and PostgreSQL differ on %lld key(s) this run touched", r->drift);
		if (r->lc.run.begun)
			db_command(r->lc.conn, sqlset_sql(SQLSET_DUAL_RECORD_DRIFT), 2, params);
		code = AUSDASH_EXIT_DRIFT;
	}
	else if (!ok)
	{
		log_error("could not compare the store with PostgreSQL");
		code = AUSDASH_EXIT_FAILURE;
	}
	for (long long i = 0; i < ctx.n; i++)
		free(ctx.keys[i]);
	free(ctx.keys);
	free(ctx.now);
	sbuf_release(&why);
	sbuf_release(&exists);
	return code;
}

/* store: the rows go to the store after the run (no database) */
static int
store_after(ingestrun *r, int code)
{
	return apply_store(r, code);
}

/* dual: the store after PostgreSQL committed, then the keys compared */
static int
dual_after(ingestrun *r, int code)
{
	code = apply_store(r, code);
	if (r->store_applied && r->lc.conn)
		code = check_drift(r, code);
	return code;
}

const backend backend_postgres = {BACKEND_POSTGRES, "postgres", true, NULL};
const backend backend_store = {BACKEND_STORE, "store", false, store_after};
const backend backend_dual = {BACKEND_DUAL, "dual", true, dual_after};

const backend *
backend_find(const char *name)
{
	static const backend *const all[] = {&backend_postgres, &backend_store, &backend_dual};

	for (size_t i = 0; i < lengthof(all); i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}
