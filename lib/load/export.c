/*
 * lib/load/export.c - PostgreSQL back out as live-store.json: each table's
 * rows mapped to the store's records (the inverse of lib/load/stage.c) and
 * written by lib/store/storewrite.c.
 */
#include "base/common.h"

#include "pg/db.h"
#include "model/entity.h"
#include "base/isotime.h"
#include "base/jsonparse.h"
#include "base/jsonw.h"
#include "load/export.h"
#include "base/log.h"
#include "base/mem.h"
#include "pg/sqlbuild.h"
#include "pg/sqlset.h"
#include "base/sbuf.h"
#include "store/storewrite.h"
#include "base/banned.h"

#define FETCH_ROWS 2000

/* The store's top-level arrays, in its file order. */
static const char *const store_order[] = {
	"observations", "rawSnapshots", "sources", "sourceCursors", "ingestionRuns",
	"priceIntakeBatches", "unresolvedPriceItems", NULL
};

/*
 * The SELECT list of an entity: each column as text, timestamps as epoch
 * milliseconds; runs in the dashboard's vocabulary.
 */
static void
select_sql(const entity_desc *d, sbuf *sql)
{
	bool		runs = strcmp(d->table, "ingestion_runs") == 0;
	sbuf		columns;
	sbuf		key;

	sbuf_init(&columns);
	sbuf_init(&key);
	for (int i = 0; i < d->ncolumns; i++)
	{
		const entity_column *c = &d->columns[i];

		if (i > 0)
			sbuf_appends(&columns, ", ");
		if (runs && strcmp(c->column, "status") == 0)
			sbuf_appends(&columns, sqlset_sql(SQLSET_RULES_STORE_STATUS));
		else if (runs && strcmp(c->column, "run_mode") == 0)
			sbuf_appends(&columns, sqlset_sql(SQLSET_RULES_STORE_RUN_MODE));
		else
			sqlbuild_column(c, false, &columns);
	}
	if (d->extra)
	{
		sbuf_appends(&columns, ", ");
		sbuf_appends(&columns, sqlset_sql(SQLSET_EXPORT_EXTRA));
	}
	sbuf_appends(&columns, ", ");
	sbuf_appends(&columns, sqlset_sql(SQLSET_EXPORT_LAYOUT));
	for (int i = 0; d->key[i]; i++)
	{
		const char *vars[] = {"column", entity_column_find(d, d->key[i])->column, NULL};

		if (i > 0)
			sbuf_appends(&key, ", ");
		sqlset_render(SQLSET_COLUMN_NAME, &key, vars);
	}
	/* the dashboard's runs and ausdash's ingest runs; not its own maintenance */
	sqlset_render(SQLSET_EXPORT_RECORDS, sql, (const char *const[]) {
		"columns", columns.data, "table", d->table,
		"where", runs ? sqlset_sql(SQLSET_EXPORT_STORE_RUNS_ONLY) : "", "key", key.data, NULL});
	sbuf_release(&columns);
	sbuf_release(&key);
}

/* A field being built: name and value as offsets into the row's text. */
typedef struct pending
{
	const char *name;			/* a column's field name, or NULL: at name_off */
	size_t		name_off;
	size_t		val_off;
	size_t		len;
	entity_json_type type;
} pending;

static void
add_value(sbuf *text, pending *p, entity_json_type type, const char *v, size_t len)
{
	p->type = type;
	p->val_off = text->len;
	sbuf_append(text, v, len);
	p->len = len;
	sbuf_appendc(text, '\0');
}

/* The column of the record's layout: after the columns and extra. */
static int
layout_col(const entity_desc *d)
{
	return d->ncolumns + (d->extra ? 1 : 0);
}

/* A pending field's name (the text may move: no pointer is kept). */
static const char *
pending_name(const pending *p, const sbuf *text)
{
	return p->name ? p->name : text->data + p->name_off;
}

/*
 * Puts the n pending fields in the order of layout (a JSON array of names,
 * from entity_layout_json(), or NULL: as they are): each named field where
 * the layout has it, a name without a value as null (the store gave it as
 * null), fields the layout does not name (set since) after them.  Returns
 * the new count.
 */
static int
apply_layout(const char *layout, pending *p, int n, sbuf *text)
{
	pending		out[ENTITY_MAX_COLUMNS * 2];
	bool		used[ENTITY_MAX_COLUMNS * 2] = {false};
	jsonparse_error err;
	yajl_val	names;
	int			m = 0;

	if (layout == NULL || (names = jsonparse_tree(layout, strlen(layout), 0, &err)) == NULL)
		return n;
	for (size_t k = 0; YAJL_IS_ARRAY(names) && k < names->u.array.len && m < ENTITY_MAX_COLUMNS * 2; k++)
	{
		const char *name = YAJL_GET_STRING(names->u.array.values[k]);
		int			i;

		if (name == NULL)
			continue;
		for (i = 0; i < n && (used[i] || strcmp(pending_name(&p[i], text), name) != 0); i++)
			;
		if (i < n)
		{
			used[i] = true;
			out[m++] = p[i];
			continue;
		}
		out[m].name = NULL;
		out[m].name_off = text->len;
		sbuf_appends(text, name);
		sbuf_appendc(text, '\0');
		add_value(text, &out[m++], ENTITY_JSON_NULL, "null", 4);
	}
	for (int i = 0; i < n && m < ENTITY_MAX_COLUMNS * 2; i++)
		if (!used[i])
			out[m++] = p[i];
	memcpy(p, out, m * sizeof(pending));
	yajl_tree_free(names);
	return m;
}

/*
 * Fields of one row into fields (extra's keys last, or as the record's
 * layout says); returns how many, or -1 (logged) when the extra fields
 * cannot be read.
 */
static int
row_fields(const entity_desc *d, PGresult *res, int row, entity_field *fields, sbuf *text)
{
	pending		p[ENTITY_MAX_COLUMNS * 2];
	int			n = 0;

	sbuf_reset(text);
	for (int i = 0; i < d->ncolumns; i++)
	{
		const entity_column *c = &d->columns[i];
		const char *v = PQgetvalue(res, row, i);
		char		iso[25];

		if (PQgetisnull(res, row, i))
			continue;
		p[n].name = c->field;
		if (c->kind == ENTITY_TIMESTAMP)
		{
			isotime_format(strtoll(v, NULL, 10), true, iso);
			add_value(text, &p[n], ENTITY_JSON_STRING, iso, strlen(iso));
		}
		else if (c->kind == ENTITY_NUMERIC || c->kind == ENTITY_INT || c->kind == ENTITY_COUNT)
			add_value(text, &p[n], ENTITY_JSON_NUMBER, v, PQgetlength(res, row, i));
		else if (c->kind == ENTITY_BOOL)
			add_value(text, &p[n], ENTITY_JSON_BOOL, v, PQgetlength(res, row, i));
		else
			add_value(text, &p[n], ENTITY_JSON_STRING, v, PQgetlength(res, row, i));
		n++;
	}
	if (d->extra && !PQgetisnull(res, row, d->ncolumns))
	{
		/* each key of the extra object is a field of its own */
		jsonparse_error err;
		yajl_val	x = jsonparse_tree(PQgetvalue(res, row, d->ncolumns),
									   PQgetlength(res, row, d->ncolumns), 0, &err);
		yajl_gen	g;

		if (x == NULL || !YAJL_IS_OBJECT(x))
		{
			/* the record's free-form fields would be lost: stop instead */
			log_error("%s, row %d: the extra fields cannot be written: %s", d->name, row,
					  x ? "not a JSON object" : err.msg);
			if (x)
				yajl_tree_free(x);
			return -1;
		}
		g = yajl_gen_alloc(NULL);

		for (size_t k = 0; x && YAJL_IS_OBJECT(x) && k < x->u.object.len &&
			 n < ENTITY_MAX_COLUMNS * 2; k++, n++)
		{
			yajl_val	v = x->u.object.values[k];
			const unsigned char *buf;
			size_t		len;

			p[n].name = NULL;
			p[n].name_off = text->len;
			sbuf_appends(text, x->u.object.keys[k]);
			sbuf_appendc(text, '\0');
			if (YAJL_IS_STRING(v))
				add_value(text, &p[n], ENTITY_JSON_STRING, v->u.string, strlen(v->u.string));
			else if (YAJL_IS_NUMBER(v))
				add_value(text, &p[n], ENTITY_JSON_NUMBER, v->u.number.r, strlen(v->u.number.r));
			else if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v))
				add_value(text, &p[n], ENTITY_JSON_BOOL, YAJL_IS_TRUE(v) ? "true" : "false",
						  YAJL_IS_TRUE(v) ? 4 : 5);
			else if (YAJL_IS_NULL(v))
				add_value(text, &p[n], ENTITY_JSON_NULL, "null", 4);
			else
			{
				yajl_gen_reset(g, NULL);
				jsonw_tree(g, v);
				yajl_gen_get_buf(g, &buf, &len);
				add_value(text, &p[n], ENTITY_JSON_CONTAINER, (const char *) buf, len);
				yajl_gen_clear(g);
			}
		}
		yajl_gen_free(g);
		if (x)
			yajl_tree_free(x);
	}
	if (!PQgetisnull(res, row, layout_col(d)))
		n = apply_layout(PQgetvalue(res, row, layout_col(d)), p, n, text);
	/* pointers into text, now that it is complete */
	for (int i = 0; i < n; i++)
	{
		memset(&fields[i], 0, sizeof(entity_field));
		fields[i].name = p[i].name ? p[i].name : text->data + p[i].name_off;
		fields[i].type = p[i].type;
		fields[i].val = text->data + p[i].val_off;
		fields[i].len = p[i].len;
	}
	return n;
}

/* Streams one entity's rows into its array through a cursor. */
static bool
export_entity(PGconn *conn, storewrite *sw, const entity_desc *d, long long *count)
{
	sbuf		sql;
	sbuf		text;
	sbuf		query;
	sbuf		fetch;
	entity_field fields[ENTITY_MAX_COLUMNS * 2];
	char		rows_text[16];
	bool		ok;

	sbuf_init(&sql);
	sbuf_init(&text);
	sbuf_init(&query);
	sbuf_init(&fetch);
	select_sql(d, &query);
	sqlset_render(SQLSET_EXPORT_DECLARE, &sql, (const char *const[]) {"query", query.data, NULL});
	ok = db_command(conn, sql.data, 0, NULL);
	snprintf(rows_text, sizeof(rows_text), "%d", FETCH_ROWS);
	sqlset_render(SQLSET_EXPORT_FETCH, &fetch, (const char *const[]) {"rows", rows_text, NULL});
	storewrite_array_begin(sw, d->name);
	*count = 0;
	while (ok)
	{
		PGresult   *res = db_query(conn, fetch.data, 0, NULL);
		int			rows;

		if (res == NULL)
		{
			ok = false;
			break;
		}
		rows = PQntuples(res);
		for (int r = 0; r < rows; r++)
		{
			entity_record rec = {0};

			rec.entity = d->name;
			rec.index = (*count)++;
			rec.fields = fields;
			rec.nfields = row_fields(d, res, r, fields, &text);
			if (rec.nfields < 0)
			{
				ok = false;
				break;
			}
			storewrite_record(sw, &rec);
		}
		PQclear(res);
		if (rows < FETCH_ROWS)
			break;
	}
	storewrite_array_end(sw);
	ok = ok && db_command(conn, sqlset_sql(SQLSET_EXPORT_CLOSE), 0, NULL);
	sbuf_release(&sql);
	sbuf_release(&query);
	sbuf_release(&fetch);
	sbuf_release(&text);
	return ok;
}

int
export_run(const export_options *o, const db_options *dbo)
{
	PGconn	   *conn;
	PGresult   *res;
	storewrite *sw;
	bool		locked;
	bool		ok = true;
	char		updated[25];

	conn = db_connect(dbo, AUSDASH_EXIT_UNAVAILABLE);
	if (!db_command(conn, sqlset_sql(SQLSET_TXN_BEGIN_SNAPSHOT), 0, NULL))
		return AUSDASH_EXIT_FAILURE;
	res = db_query(conn, sqlset_sql(SQLSET_EXPORT_UPDATED_AT), 0, NULL);
	if (res == NULL)
		return AUSDASH_EXIT_FAILURE;
	isotime_format(strtoll(PQgetvalue(res, 0, 0), NULL, 10), true, updated);
	PQclear(res);

	sw = storewrite_open(o->output, o->lock_wait_ms, &locked);
	if (sw == NULL)
		return locked ? AUSDASH_EXIT_LOCKED : AUSDASH_EXIT_IOERR;
	storewrite_meta(sw, "1", updated);
	for (int i = 0; ok && store_order[i]; i++)
	{
		long long	n;

		ok = export_entity(conn, sw, entity_find(store_order[i]), &n);
		log_info("%s: %lld records", store_order[i], n);
	}
	if (!ok)
	{
		storewrite_abort(&sw);
		db_disconnect(&conn);
		log_detail("%s is unchanged.", strcmp(o->output, "-") == 0 ? "Nothing more was written"
				   : o->output);
		return AUSDASH_EXIT_FAILURE;
	}
	db_commit(conn);
	db_disconnect(&conn);
	if (!storewrite_commit(&sw))
		return AUSDASH_EXIT_IOERR;
	return AUSDASH_EXIT_OK;
}
