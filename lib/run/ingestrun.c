/*
 * lib/run/ingestrun.c - the run around ausdash-ingest and ausdash-replay.
 */
#include "base/common.h"

#include <ctype.h>
#include <limits.h>

#include "run/ingestrun.h"
#include "base/isotime.h"
#include "base/jsonw.h"
#include "feed/feed_registry.h"
#include "pg/lock.h"
#include "base/mem.h"
#include "base/log.h"
#include "base/sbuf.h"
#include "pg/sqlset.h"
#include "base/timeutil.h"
#include "base/banned.h"

void
ingestrun_init(ingestrun *r, const char *tool)
{
	memset(r, 0, sizeof(*r));
	r->tool = tool;
	r->check_footer = true;
	r->backend = &backend_postgres;
	lifecycle_init(&r->lc);
	r->lc.run.run_mode = strcmp(tool, "ausdash-replay") == 0 ? "replay" : "scheduled";
}

/* The rows a run maps, handed to the store side as they come. */
static void
collect_row(void *arg, const entity_record *rec)
{
	storeingest_add(arg, rec);
}

static const lifecycle_ops ops;

void
ingestrun_start(ingestrun *r, const db_options *dbo)
{
	sbuf_init(&r->drift_json);
	if (r->backend->after_commit)
		r->si = storeingest_new();
	r->lc.ops = &ops;
	r->lc.arg = r;
	r->lc.no_database = !r->backend->postgres;
	snprintf(r->busy, sizeof(r->busy), "another run of source \"%s\" is in progress",
			 r->source_id);
	r->lc.busy = r->busy;
	r->lc.run.job = r->job;
	r->lc.run.lock_name = r->lock_name;
	r->lc.run.source_id = r->source_id;
	r->lc.run.input_name = r->input;
	/* a run that fails as it begins reports its (empty) counts */
	r->in = ingest_new(NULL, r->source_id);
	r->in->budget = &r->lc.budget;
	lifecycle_begin(&r->lc, dbo);
	if (r->lc.conn)
	{
		ingest_free(&r->in);
		r->in = ingest_new(r->lc.conn, r->source_id);
		r->in->budget = &r->lc.budget;
	}
	r->in->dates.strict = r->strict_dates;
	r->in->check_footer = r->check_footer;
	r->in->allow_rewind = r->allow_rewind;
	if (r->si)
	{
		r->in->on_row = collect_row;
		r->in->row_arg = r->si;
	}
	if (!ingest_prepare(r->in, r->format) && r->lc.conn)
		exit(ingestrun_end(r, false));
}

/* --- summary --------------------------------------------------------------- */

static void
counts(void *arg, run_counts *t)
{
	const ingestrun *r = arg;
	const stage_counts *c = ingest_counts(r->in);

	memset(t, 0, sizeof(*t));
	t->read = r->in->read;
	t->inserted = c->inserted;
	t->updated = c->updated;
	t->unchanged = c->unchanged;
	t->rejected = r->in->budget->taken;
}

/* ingest's and replay's part of the summary (lib/run/lifecycle.h) */
static void
summary_body(void *arg, yajl_gen g)
{
	const ingestrun *r = arg;
	const stage_counts *c = ingest_counts(r->in);
	bool		replay = strcmp(r->lc.run.run_mode, "replay") == 0;

	jsonw_str(g, "source", r->source_id);
	jsonw_str(g, "format", r->format->name);
	if (!replay)
		jsonw_str(g, "backend", r->backend->name);
	if (replay)
		jsonw_int(g, "snapshots", r->snapshots);
	else
	{
		jsonw_str(g, "input", r->input);
		jsonw_int(g, "input_bytes", r->input_bytes);
		jsonw_str(g, "input_sha256", r->input_sha256);
		jsonw_str(g, "snapshot_id", r->snapshot_id[0] ? r->snapshot_id : NULL);
		jsonw_str(g, "duplicate_of", r->duplicate_of[0] ? r->duplicate_of : NULL);
	}
	jsonw_key(g, "observations");
	yajl_gen_map_open(g);
	jsonw_int(g, "read", r->in->read);
	jsonw_int(g, "inserted", c->inserted);
	jsonw_int(g, "updated", c->updated);
	jsonw_int(g, "unchanged", c->unchanged);
	jsonw_int(g, "duplicates", c->duplicates);
	jsonw_int(g, "rejected", r->in->budget->taken);
	jsonw_int(g, "skipped", r->in->skipped);
	jsonw_int(g, "impossible_dates", r->in->dates.count);
	yajl_gen_map_close(g);
	jsonw_key(g, "cursor");
	yajl_gen_map_open(g);
	jsonw_str(g, "newest", r->in->cursor[0] ? r->in->cursor : NULL);
	jsonw_str(g, "previous", r->in->old_cursor[0] ? r->in->old_cursor : NULL);
	jsonw_bool(g, "moved", r->in->cursor_moved);
	jsonw_bool(g, "kept", r->in->cursor_kept);
	yajl_gen_map_close(g);
	if (r->store_applied)
	{
		jsonw_key(g, "store");
		yajl_gen_map_open(g);
		jsonw_str(g, "path", r->store_path);
		jsonw_int(g, "inserted", r->sres.inserted);
		jsonw_int(g, "updated", r->sres.updated);
		jsonw_str(g, "duplicate_of", r->sres.duplicate ? r->sres.duplicate_of : NULL);
		jsonw_bool(g, "cursor_moved", r->sres.cursor_moved);
		yajl_gen_map_close(g);
	}
	if (r->backend->kind == BACKEND_DUAL && r->store_applied)
	{
		jsonw_key(g, "drift");
		yajl_gen_map_open(g);
		jsonw_int(g, "count", r->drift);
		jsonw_key(g, "keys");
		jsonw_raw(g, r->drift_json.len ? r->drift_json.data : "[]",
				  r->drift_json.len ? r->drift_json.len : 2);
		yajl_gen_map_close(g);
	}
}

static void
summary_text(void *arg, const char *status)
{
	const ingestrun *r = arg;
	const stage_counts *c = ingest_counts(r->in);

	if (r->skipped)
		log_info("%s: payload already stored as snapshot %s; nothing loaded into PostgreSQL",
				 r->lc.dry_run ? "dry run (rolled back)" : status, r->duplicate_of);
	else if (!r->backend->postgres)
		log_info("%s: %s %s: %lld observations read, %lld rejected",
				 r->lc.dry_run ? "dry run (nothing written)" : status, r->source_id,
				 r->format->name, r->in->read, r->in->budget->taken);
	else
		log_info("%s: %s %s: %lld observations read, %lld inserted, %lld updated, "
				 "%lld unchanged, %lld rejected", r->lc.dry_run ? "dry run (rolled back)" : status,
				 r->source_id, r->format->name,
				 r->in->read, c->inserted, c->updated, c->unchanged, r->in->budget->taken);
	if (r->in->cursor_moved && r->in->old_cursor[0])
		log_info("cursor of %s moved to %s (was %s)", r->source_id, r->in->cursor,
				 r->in->old_cursor);
	else if (r->in->cursor_moved)
		log_info("cursor of %s set to %s", r->source_id, r->in->cursor);
	if (r->store_applied && r->sres.duplicate)
		log_info("store %s: payload already there as snapshot %s; run appended",
				 r->store_path, r->sres.duplicate_of);
	else if (r->store_applied)
		log_info("store %s: %lld inserted, %lld updated%s", r->store_path, r->sres.inserted,
				 r->sres.updated, r->sres.cursor_moved ? ", cursor set" : "");
}

/* --- the end --------------------------------------------------------------- */

/* After PostgreSQL committed, or alone: the backend's own step. */
static int
after_commit(void *arg, int code)
{
	ingestrun  *r = arg;

	return r->backend->after_commit ? r->backend->after_commit(r, code) : code;
}

static const lifecycle_ops ops = {
	.counts = counts,
	.summary_body = summary_body,
	.summary_text = summary_text,
	.after_commit = after_commit,
};

int
ingestrun_end(ingestrun *r, bool ok)
{
	int			code;

	if (r->in == NULL)
	{
		r->in = ingest_new(r->lc.conn, r->source_id);
		r->in->budget = &r->lc.budget;
	}
	if (!ok)
		r->lc.exit_code = r->in->exit_code;
	r->lc.skipped = r->skipped;
	r->lc.forget = r->nothing_to_do;
	r->lc.input_sha256 = r->input_sha256[0] ? r->input_sha256 : NULL;
	r->lc.input_bytes = r->input_bytes;
	code = lifecycle_end(&r->lc, ok);
	ingest_free(&r->in);
	storeingest_free(&r->si);
	sbuf_release(&r->drift_json);
	return code;
}

/* --- one payload (ausdash-ingest) ------------------------------------------ */

int
ingestrun_payload(ingestrun *r, const db_options *dbo, const char *input, const sbuf *raw,
				  bool too_large)
{
	sbuf		decoded;
	sbuf		why;
	const char *text;
	size_t		text_len;
	sha256_ctx *sum;
	char		as_of[25];
	char		snapshot_id[200];
	char		existing[200] = "";
	int64_t		now;
	int			stored;
	int			mapped;
	int			code;
	bool		ok;
	const feed_format *seen;

	sbuf_init(&decoded);
	sbuf_init(&why);
	r->input = input;

	/*
	 * A payload that says what it is (an AEMO MMS file) is read as that,
	 * unless --format said otherwise; a format of its own job stays a
	 * hint, as the job follows the format.
	 */
	seen = too_large ? NULL : feed_registry_sniff(raw->data, raw->len);
	if (seen == r->format)
		seen = NULL;
	else if (seen && r->format_name == NULL && seen->job == r->format->job)
	{
		log_info("\"%s\": its first bytes say --format=%s (not the source's %s); read as that",
				 input, seen->name, r->format->name);
		r->format = seen;
		seen = NULL;
	}
	if (too_large)
		sbuf_appendf(&why, "payload \"%s\" is larger than %ld MB", input,
					 INGESTRUN_MAX_PAYLOAD / (1024 * 1024));
	else if (raw->len == 0)
		sbuf_appendf(&why, "payload \"%s\" is empty", input);
	else
		ingest_text(r->format, input, raw->data, raw->len, &text, &text_len, &decoded, &why);
	r->input_bytes = (long long) raw->len;
	if (why.len > 0)
	{
		/* bad input is a failed run in the ledger, as a bad store is for backfill */
		log_error("%s", why.data);
		ingestrun_start(r, dbo);
		r->in->exit_code = AUSDASH_EXIT_DATAERR;
		code = ingestrun_end(r, false);
		sbuf_release(&decoded);
		sbuf_release(&why);
		return code;
	}
	if (text != raw->data)
		log_info("\"%s\" is not UTF-8: read as Windows-1252 and stored as UTF-8", input);
	/* the checksum of what is stored: the payload's bytes when they are UTF-8 */
	if ((sum = sha256_create()) == NULL || sha256_update(sum, text, text_len) != 0 ||
		sha256_final(sum, r->input_sha256) != 0)
		log_fatal(AUSDASH_EXIT_SOFTWARE, "SHA-256 failed");
	sha256_free(&sum);
	now = timeutil_epoch_ms();
	isotime_format(now, false, as_of);
	snprintf(snapshot_id, sizeof(snapshot_id), "%s-%lld-%.8s", r->source_id, (long long) now,
			 r->input_sha256);

	r->payload = text;
	snprintf(r->as_of, sizeof(r->as_of), "%s", as_of);
	snprintf(r->new_snapshot_id, sizeof(r->new_snapshot_id), "%s", snapshot_id);

	/*
	 * The raw snapshot first: a payload PostgreSQL already has is not
	 * mapped into it again by the same job (another job of the source,
	 * such as the DMO benchmark of aer_prd, still maps it).  The store
	 * backends map it anyway (the store decides about its own copy).
	 */
	ingestrun_start(r, dbo);
	stored = !r->backend->postgres ? 1 :
		ingest_snapshot(r->in, snapshot_id, r->input_sha256, as_of, r->format, text, text_len,
						existing, sizeof(existing));
	if (stored == 0)
	{
		/* stored already: skipped, unless this job has not mapped it yet */
		snprintf(r->duplicate_of, sizeof(r->duplicate_of), "%s", existing);
		mapped = ingest_mapped_before(r->in, r->job, r->input_sha256);
		if (mapped < 0)
			stored = -1;
		r->skipped = mapped == 1;
	}
	else if (stored == 1 && r->backend->postgres)
		snprintf(r->snapshot_id, sizeof(r->snapshot_id), "%s", snapshot_id);
	if (r->skipped && r->backend->kind == BACKEND_DUAL)
		ok = ingest_payload(r->in, r->format, input, as_of, text, text_len);
	else if (r->skipped)
		ok = true;
	else if (stored < 0)
		ok = false;
	else if (!ingest_payload(r->in, r->format, input, as_of, text, text_len))
	{
		ok = false;
		if (seen)
			log_hint("The payload looks like --format=%s: %s.", seen->name, seen->summary);
	}
	else
		ok = ingest_merge(r->in);
	code = ingestrun_end(r, ok);
	sbuf_release(&decoded);
	sbuf_release(&why);
	return code;
}
