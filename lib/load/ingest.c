/*
 * lib/load/ingest.c - feed payloads into the staging tables, then merge them
 * and move the cursor.
 */
#include "base/common.h"

#include "pg/db.h"
#include "feed/feed_registry.h"
#include "load/ingest.h"
#include "pg/sqlset.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "base/banned.h"

static const entity_desc *
observations(void)
{
	return entity_find("observations");
}

ingest *
ingest_new(PGconn *conn, const char *source_id)
{
	ingest	   *in = mem_calloc(1, sizeof(ingest));

	in->conn = conn;
	in->source_id = mem_strdup(source_id);
	if (conn)
	{
		in->st = stage_new(conn);
		/* a value seen again keeps the time it was first ingested */
		stage_set_uncompared(in->st, "ingestedAt");
	}
	in->check_footer = true;
	sbuf_init(&in->why);
	datetoken_audit_init(&in->dates, false);
	return in;
}

void
ingest_free(ingest **inp)
{
	ingest	   *in = *inp;

	if (in == NULL)
		return;
	stage_free(&in->st);
	for (int i = 0; in->map != feed_registry_builtin_map && i < in->nmap; i++)
	{
		free((char *) in->map[i].code);
		free((char *) in->map[i].series_id);
		free((char *) in->map[i].unit);
	}
	if (in->map != feed_registry_builtin_map)
		free(in->map);
	free(in->source_url);
	free(in->source_id);
	sbuf_release(&in->why);
	datetoken_audit_release(&in->dates);
	free(in);
	*inp = NULL;
}

bool
ingest_prepare(ingest *in, const feed_format *fmt)
{
	const char *params[1] = {in->source_id};
	PGresult   *res;

	if (in->conn == NULL)
	{
		in->map = (feed_series_map *) feed_registry_builtin_map;
		for (in->nmap = 0; feed_registry_builtin_map[in->nmap].code; in->nmap++)
			;
		return true;
	}
	res = db_query(in->conn, sqlset_sql(SQLSET_INGEST_SOURCE_URL), 1, params);
	if (res == NULL)
		return false;
	free(in->source_url);
	in->source_url = PQntuples(res) == 1 ? mem_strdup(PQgetvalue(res, 0, 0)) : NULL;
	PQclear(res);
	if (!fmt->needs_map || in->map)
		return true;
	res = db_query(in->conn, sqlset_sql(SQLSET_INGEST_SERIES_CODES), 1, params);
	if (res == NULL)
		return false;
	in->nmap = PQntuples(res);
	in->map = mem_calloc(in->nmap + 1, sizeof(feed_series_map));
	for (int i = 0; i < in->nmap; i++)
	{
		in->map[i].code = mem_strdup(PQgetvalue(res, i, 0));
		in->map[i].series_id = mem_strdup(PQgetvalue(res, i, 1));
		in->map[i].unit = mem_strdup(PQgetvalue(res, i, 2));
	}
	PQclear(res);
	log_debug("%d series codes of %s mapped", in->nmap, in->source_id);
	return true;
}

/* --- rejects -------------------------------------------------------------- */

/*
 * One bad row or record: within max_errors it is left out (reported, and
 * written to the rejects file); past it, the parse stops.
 */
static bool
take_reject(ingest *in, const char *where, long long index, long long line,
			const char *path, const char *reason, const entity_record *rec)
{
	reject_info ri = {0};
	sbuf		json;
	bool		ok;

	sbuf_init(&json);
	if (rec && in->budget->file)
		entity_record_to_json(rec, &json);
	ri.entity = "observations";
	ri.index = index;
	ri.line = line;
	ri.path = path;
	ri.reason = reason;
	ri.record = rec && in->budget->file ? json.data : NULL;
	ok = reject_take(in->budget, where, &ri);
	if (ok)
		in->read++;
	else
		in->exit_code = in->budget->exit_code;
	sbuf_release(&json);
	return ok;
}

static bool
on_reject(void *arg, const char *where, long long line, const char *path, const char *reason)
{
	ingest	   *in = arg;

	return take_reject(in, where, -1, line, path, reason, NULL);
}

/* Where an observation of the current payload is: "name", line N: observation K. */
static void
observation_where(sbuf *out, void *arg, const entity_record *rec)
{
	ingest	   *in = arg;

	sbuf_appendf(out, "\"%s\"", in->current->name);
	if (rec->line > 0)
		sbuf_appendf(out, ", line %llu", (unsigned long long) rec->line);
	sbuf_appendf(out, ": observation %lld", in->current->emitted);
}

/* An observation that failed a check (field: which, or NULL), for in->why. */
static bool
reject_observation(ingest *in, const entity_record *rec, const char *field)
{
	feed	   *f = in->current;
	sbuf		where;
	bool		ok;

	sbuf_init(&where);
	observation_where(&where, in, rec);
	if (field)
		sbuf_appendf(&where, ".%s", field);
	ok = take_reject(in, where.data, rec->index, (long long) rec->line, field, in->why.data,
					 rec);
	if (!ok)
	{
		sbuf_reset(&f->error);
		sbuf_appendf(&f->error, "%s: %s", where.data, in->why.data);
		f->rejected_stop = true;
	}
	sbuf_release(&where);
	return ok;
}

static bool
on_emit(void *arg, const entity_record *rec)
{
	ingest	   *in = arg;
	const entity_field *bycol[ENTITY_MAX_COLUMNS];
	const char *field = NULL;

	sbuf_reset(&in->why);
	if (!entity_check_record(observations(), rec, false, bycol, &in->why, &field))
		return reject_observation(in, rec, field);
	if (!datetoken_audit_record(&in->dates, rec, observation_where, in, &in->why))
		return reject_observation(in, rec, "date");
	in->read++;
	if (in->on_row)
		in->on_row(in->row_arg, rec);
	if (in->st && !stage_add(in->st, rec, bycol))
	{
		in->exit_code = AUSDASH_EXIT_FAILURE;
		return false;
	}
	return true;
}

/* --- payloads ------------------------------------------------------------- */

bool
ingest_payload(ingest *in, const feed_format *fmt, const char *name, const char *as_of,
			   const char *buf, size_t len)
{
	feed		f;
	bool		ok;

	if (in->st && !stage_copy_begin(in->st, observations()))
	{
		in->exit_code = AUSDASH_EXIT_FAILURE;
		return false;
	}
	feed_init(&f, in->source_id, name, as_of);
	f.source_url = in->source_url;
	f.check_footer = in->check_footer;
	f.map = in->map;
	f.nmap = in->nmap;
	f.emit = on_emit;
	f.reject = on_reject;
	f.arg = in;
	f.next_index = in->next_index;
	in->current = &f;
	in->exit_code = AUSDASH_EXIT_OK;
	ok = feed_parse(&f, fmt, buf, len);
	in->current = NULL;
	in->next_index = f.next_index;
	in->skipped += f.skipped;
	in->payloads++;
	if (!ok)
	{
		if (in->exit_code == AUSDASH_EXIT_OK)
			in->exit_code = AUSDASH_EXIT_DATAERR;
		if (in->exit_code == AUSDASH_EXIT_DATAERR)
		{
			log_error("%s", f.error.data);
			if (f.rejected_stop && in->budget->max_errors > 0)
				log_detail("More than %d rows were bad (--max-errors).", in->budget->max_errors);
		}
		if (in->st)
			stage_copy_abort(in->st, "ausdash: the payload was rejected");
		feed_release(&f);
		return false;
	}
	if (f.cursor[0] && (in->cursor[0] == '\0' || datetoken_cmp(f.cursor, in->cursor) > 0))
		snprintf(in->cursor, sizeof(in->cursor), "%s", f.cursor);
	log_debug("%s: %lld observations, %lld left out by the mapping", name, f.emitted,
			  f.skipped);
	feed_release(&f);
	if (in->st && !stage_copy_end(in->st))
	{
		in->exit_code = AUSDASH_EXIT_FAILURE;
		return false;
	}
	return true;
}

/* --- merge and cursor ----------------------------------------------------- */

static bool
move_cursor(ingest *in)
{
	const char *params[2] = {in->source_id, in->cursor};
	PGresult   *res;

	if (in->cursor[0] == '\0')
		return true;
	res = db_query(in->conn, sqlset_sql(SQLSET_INGEST_CURSOR_FOR_UPDATE), 1, params);
	if (res == NULL)
		return false;
	if (PQntuples(res) == 1)
		snprintf(in->old_cursor, sizeof(in->old_cursor), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (in->old_cursor[0] && strcmp(in->old_cursor, in->cursor) == 0)
		return true;
	if (datetoken_cursor_stays(in->old_cursor, in->cursor, in->allow_rewind))
	{
		in->cursor_kept = true;
		log_info("cursor of %s stays at %s (this payload's newest date is %s)",
				 in->source_id, in->old_cursor, in->cursor);
		return true;
	}
	if (!db_command(in->conn, sqlset_sql(SQLSET_INGEST_MOVE_CURSOR), 2, params))
		return false;
	in->cursor_moved = true;
	return true;
}

bool
ingest_merge(ingest *in)
{
	if (in->st == NULL)
		return true;
	if (!stage_merge(in->st, observations(), NULL, NULL) || !move_cursor(in))
	{
		in->exit_code = AUSDASH_EXIT_FAILURE;
		return false;
	}
	return true;
}

const stage_counts *
ingest_counts(const ingest *in)
{
	static const stage_counts none;

	return in->st ? stage_get_counts(in->st, observations()) : &none;
}

int
ingest_snapshot(ingest *in, const char *snapshot_id, const char *checksum,
				const char *captured_at, const feed_format *fmt, const char *payload,
				size_t len, char *existing, size_t existing_size)
{
	const char *params[7] = {snapshot_id, in->source_id, checksum, captured_at,
	fmt->content_type, payload, fmt->name};
	PGresult   *res;
	int			stored;

	(void) len;
	res = db_query(in->conn, sqlset_sql(SQLSET_INGEST_STORE_SNAPSHOT), 7, params);
	if (res == NULL)
		return -1;
	stored = PQntuples(res);
	PQclear(res);
	if (stored == 1)
		return 1;
	res = db_query(in->conn, sqlset_sql(SQLSET_INGEST_SNAPSHOT_OF_CHECKSUM), 2,
				   (const char *[]) {in->source_id, checksum});
	if (res == NULL)
		return -1;
	snprintf(existing, existing_size, "%s", PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "?");
	PQclear(res);
	return 0;
}

bool
ingest_text(const feed_format *fmt, const char *name, const char *buf, size_t len,
			const char **text, size_t *text_len, sbuf *out, sbuf *why)
{
	const char *nul = memchr(buf, '\0', len);
	long long	bad;
	long long	line = 1;
	size_t		bom_len;
	const char *bom = feed_bom(buf, len, &bom_len);

	if (bom && strcmp(bom, "UTF-8") != 0)
	{
		sbuf_appendf(why, "\"%s\", line 1: the payload starts with a %s byte-order mark; "
					 "ausdash reads UTF-8 (convert it first, e.g. with iconv -f %s -t UTF-8)",
					 name, bom, bom);
		return false;
	}
	if (nul)
	{
		for (const char *p = buf; p < nul; p++)
			line += *p == '\n';
		sbuf_appendf(why, "\"%s\", line %lld, byte %lld: a NUL byte (a text payload has none)",
					 name, line, (long long) (nul - buf));
		return false;
	}
	bad = utf8_invalid(buf, len);
	if (bad >= 0 && fmt->cp1252)
	{
		feed_cp1252_to_utf8(buf, len, out);
		*text = out->data;
		*text_len = out->len;
		return true;
	}
	if (bad >= 0)
	{
		for (long long i = 0; i < bad; i++)
			line += buf[i] == '\n';
		sbuf_appendf(why, "\"%s\", line %lld, byte %lld: invalid UTF-8 (byte 0x%02X)", name,
					 line, bad, (unsigned char) buf[bad]);
		return false;
	}
	*text = buf;
	*text_len = len;
	return true;
}

int
ingest_mapped_before(ingest *in, const char *job, const char *checksum)
{
	const char *params[3] = {job, checksum, in->source_id};
	PGresult   *res;
	int			n;

	res = db_query(in->conn, sqlset_sql(SQLSET_INGEST_MAPPED_BEFORE), 3, params);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	PQclear(res);
	return n;
}
