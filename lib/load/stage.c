/*
 * lib/load/stage.c - COPY into temporary tables, then merge into the targets.
 */
#include "base/common.h"

#include <inttypes.h>

#include "pg/copy.h"
#include "pg/db.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/progress.h"
#include "base/sbuf.h"
#include "pg/sqlset.h"
#include "load/known.h"
#include "load/stage.h"
#include "base/timeutil.h"
#include "base/banned.h"

#define MAX_ENTITIES 16

/* The statements of sql/merge/entity.sql, rendered for one entity. */
enum
{
	SQL_CREATE,
	SQL_DEDUPE,
	SQL_MERGE,
	SQL_VERIFY,
	SQL_EMPTY,
	SQL_DRIFT,
	SQL_INSERT,
	SQL_COPY,
	SQL_INDEXES,
	SQL_INSERT_UNINDEXED,
	SQL_UNPLACE,
	SQL_DIRECT_OK,
	SQL_LOCK,
	SQL_TRUNCATE,
	SQL_COPY_DIRECT,
	SQL_DEDUPE_DIRECT,
	SQL_SUPERSEDED,
	SQL_UNPLACE_SKIPPING,
	SQL_COUNT
};
/* the templates of sql/merge/entity.sql, by the slots above */
static const sqlset_id entity_templates[SQL_COUNT] = {
	SQLSET_ENTITY_CREATE, SQLSET_ENTITY_DEDUPE, SQLSET_ENTITY_MERGE, SQLSET_ENTITY_VERIFY,
	SQLSET_ENTITY_EMPTY, SQLSET_ENTITY_DRIFT, SQLSET_ENTITY_INSERT, SQLSET_ENTITY_COPY,
	SQLSET_ENTITY_INDEXES, SQLSET_ENTITY_INSERT_UNINDEXED, SQLSET_ENTITY_UNPLACE,
	SQLSET_ENTITY_DIRECT_OK, SQLSET_ENTITY_LOCK, SQLSET_ENTITY_TRUNCATE,
	SQLSET_ENTITY_COPY_DIRECT, SQLSET_ENTITY_DEDUPE_DIRECT,
	SQLSET_ENTITY_SUPERSEDED, SQLSET_ENTITY_UNPLACE_SKIPPING
};

/*
 * Entities whose rows may duplicate another's content under another key,
 * and the statements that find (before the merge) and drop such rows.
 */
static const struct
{
	const char *table;
	sqlset_id	conflicts;
	sqlset_id	drop;
}			conflict_sql[] = {
	{"raw_snapshots", SQLSET_RAW_SNAPSHOTS_CONFLICTS, SQLSET_RAW_SNAPSHOTS_DROP},
};

struct stage
{
	PGconn	   *conn;
	copy_writer *copy;
	const entity_desc *current;
	bool		created[MAX_ENTITIES];
	stage_counts counts[MAX_ENTITIES];
	char	   *sql[MAX_ENTITIES][SQL_COUNT];
	const char *uncompared;		/* a column left out of {values(a)}, or NULL */
	bool		positions;		/* store_ord: each record's place in its array */
	stage_index_build index_build;
	bool		direct;			/* an empty target may take the COPY itself */
	bool		decided[MAX_ENTITIES];	/* where d's rows go was decided */
	PGresult   *rebuild[MAX_ENTITIES];	/* copied straight in: its "indexes" */
	sbuf		tmp;

	/*
	 * stage_set_skip_unchanged(): the digests of a digested entity's rows,
	 * by place, read along with its records (known.h); records the target
	 * holds as they are are not staged.
	 */
	bool		skip_unchanged;
	known	   *known[MAX_ENTITIES];
	bool		known_used[MAX_ENTITIES];
	int			known_slot;		/* the entity whose digests are being read, or -1 */
};

/* --- rendering sql/merge/entity.sql ---------------------------------------- */

/* True when column is one of d's key columns. */
static bool
is_key(const entity_desc *d, const char *column)
{
	for (const char *const *k = d->key; *k; k++)
		if (strcmp(entity_column_find(d, *k)->column, column) == 0)
			return true;
	return false;
}

/* Which columns append_columns() lists, and how. */
enum
{
	COLS_ALL,
	COLS_KEY,
	COLS_OTHER					/* all but the key */
};
enum
{
	FMT_NAME,					/* a.col, or col without a */
	FMT_TYPE,					/* "  col type" */
	FMT_EQ,						/* a.col = b.col */
	FMT_SET						/* col = EXCLUDED.col */
};

/*
 * Appends the staged columns (the descriptor's, then "extra" when it has
 * one, then with positions ENTITY_POSITION_COLUMN and ENTITY_LAYOUT_COLUMN,
 * and ENTITY_DIGEST_COLUMN when d is digested) that which selects,
 * each formatted as fmt says with the table aliases a and b, separated by
 * sep.
 */
static void
append_columns(sbuf *out, const entity_desc *d, bool positions, int which, int fmt,
			   const char *a, const char *b, const char *sep, const char *skip)
{
	bool		first = true;

	for (int i = 0; i <= d->ncolumns + 3; i++)
	{
		const char *col;
		const char *type;

		if (i == d->ncolumns)
		{
			if (!d->extra)
				continue;
			col = "extra";
			type = "jsonb";
		}
		else if (i > d->ncolumns)
		{
			if (!positions || (i == d->ncolumns + 3 && !d->digested))
				break;
			col = i == d->ncolumns + 1 ? ENTITY_POSITION_COLUMN :
				i == d->ncolumns + 2 ? ENTITY_LAYOUT_COLUMN : ENTITY_DIGEST_COLUMN;
			type = i == d->ncolumns + 2 ? "jsonb" : "bigint";
		}
		else
		{
			col = d->columns[i].column;
			type = entity_sql_type(d->columns[i].kind);
		}
		if ((which == COLS_KEY && !is_key(d, col)) || (which == COLS_OTHER && is_key(d, col)) ||
			(skip && strcmp(col, skip) == 0))
			continue;
		if (!first)
			sbuf_appends(out, sep);
		first = false;
		if (fmt == FMT_TYPE)
			sbuf_appendf(out, "  %s %s", col, type);
		else if (fmt == FMT_EQ)
			sqlset_render(SQLSET_ENTITY_COLUMN_EQ, out, (const char *const[]) {
				"a", a, "b", b, "column", col, NULL});
		else if (fmt == FMT_SET)
			sqlset_render(SQLSET_ENTITY_COLUMN_SET, out, (const char *const[]) {"column", col, NULL});
		else if (a)
			sbuf_appendf(out, "%s.%s", a, col);
		else
			sbuf_appends(out, col);
	}
}

/*
 * Fills the placeholders of a statement of sql/merge/entity.sql (the list
 * is in its header) for d.  Returns a malloc'd string; the caller frees it.
 */
static char *
render(const char *tmpl, const entity_desc *d, const char *uncompared, bool positions)
{
	sbuf		out;
	const char *p = tmpl;

	sbuf_init(&out);
	while (*p)
	{
		const char *open = strchr(p, '{');
		const char *close;
		char		name[64];
		char		args[2][16] = {"", ""};
		size_t		len;

		if (open == NULL)
		{
			sbuf_appends(&out, p);
			break;
		}
		sbuf_append(&out, p, open - p);
		close = strchr(open, '}');
		len = close ? (size_t) (close - open - 1) : 0;
		if (close == NULL || len >= sizeof(name))
			log_fatal(AUSDASH_EXIT_SOFTWARE, "sql/merge/entity.sql: bad placeholder");
		memcpy(name, open + 1, len);
		name[len] = '\0';
		if (strchr(name, '('))
		{
			char	   *a = strchr(name, '(');

			*a++ = '\0';
			if (sscanf(a, "%15[^,)],%15[^)])", args[0], args[1]) < 1)
				log_fatal(AUSDASH_EXIT_SOFTWARE, "sql/merge/entity.sql: bad {%s(...)}", name);
		}
		if (strcmp(name, "table") == 0)
			sbuf_appends(&out, d->table);
		else if (strcmp(name, "constraint") == 0)
			sbuf_appends(&out, d->constraint_name);
		else if (strcmp(name, "key1") == 0)
			sbuf_appends(&out, entity_column_find(d, d->key[0])->column);
		else if (strcmp(name, "stage_columns") == 0)
			append_columns(&out, d, positions, COLS_ALL, FMT_TYPE, NULL, NULL, ",\n", NULL);
		else if (strcmp(name, "columns") == 0)
			append_columns(&out, d, positions, COLS_ALL, FMT_NAME, NULL, NULL, ", ", NULL);
		else if (strcmp(name, "key") == 0)
			append_columns(&out, d, positions, COLS_KEY, FMT_NAME, NULL, NULL, ", ", NULL);
		else if (strcmp(name, "key_eq") == 0)
			append_columns(&out, d, positions, COLS_KEY, FMT_EQ, args[0], args[1],
						   sqlset_sql(SQLSET_ENTITY_KEY_EQ_AND), NULL);
		else if (strcmp(name, "values") == 0 || strcmp(name, "data") == 0)
		{
			const entity_column *u = uncompared ? entity_column_find(d, uncompared) : NULL;

			sbuf_appendc(&out, '(');
			append_columns(&out, d, positions && strcmp(name, "values") == 0, COLS_OTHER,
						   FMT_NAME, args[0], NULL, ", ", u ? u->column : NULL);
			sbuf_appendc(&out, ')');
		}
		else if (strcmp(name, "set") == 0)
			append_columns(&out, d, positions, COLS_OTHER, FMT_SET, NULL, NULL, ",\n    ", NULL);
		else
			log_fatal(AUSDASH_EXIT_SOFTWARE, "sql/merge/entity.sql: unknown placeholder {%s}",
					  name);
		p = close + 1;
	}
	return sbuf_detach(&out, NULL);
}

/* The statement, rendered for d on first use. */
static const char *
entity_sql(stage *s, const entity_desc *d, int which)
{
	int			slot = entity_index(d);

	if (s->sql[slot][which] == NULL)
		s->sql[slot][which] = render(sqlset_sql(entity_templates[which]), d,
										   s->uncompared, s->positions);
	return s->sql[slot][which];
}

/* --- staging ---------------------------------------------------------------- */

static bool go_direct(stage *s, const entity_desc *d);

/* A setting that shapes the statements: only before the first is rendered. */
static void
before_first_use(const stage *s, const char *setter)
{
	for (int i = 0; i < MAX_ENTITIES; i++)
		for (int k = 0; k < SQL_COUNT; k++)
			if (s->sql[i][k])
				log_fatal(AUSDASH_EXIT_SOFTWARE, "%s after first use", setter);
}

void
stage_set_uncompared(stage *s, const char *field)
{
	before_first_use(s, "stage_set_uncompared");
	s->uncompared = field;
}

void
stage_set_positions(stage *s, bool on)
{
	before_first_use(s, "stage_set_positions");
	s->positions = on;
}

void
stage_set_index_build(stage *s, stage_index_build how)
{
	s->index_build = how;
}

void
stage_set_direct(stage *s, bool on)
{
	s->direct = on;
}

void
stage_set_skip_unchanged(stage *s, bool on)
{
	s->skip_unchanged = on;
}

bool
stage_parse_index_build(const char *name, stage_index_build *how)
{
	static const char *const names[] = {"during", "auto", "after"};

	for (int i = 0; i < (int) lengthof(names); i++)
		if (strcmp(name, names[i]) == 0)
		{
			*how = (stage_index_build) i;
			return true;
		}
	return false;
}

/* --- what the target holds already (stage_set_skip_unchanged) ------------- */

/*
 * Before the first COPY of a digested entity d a backfill stages into its
 * staging table: starts reading the target's digests beside the COPY (the
 * reading of the entity before stops: one second connection at a time).
 */
static void
known_begin(stage *s, const entity_desc *d)
{
	int			slot = entity_index(d);

	if (!s->skip_unchanged || !s->positions || !d->digested || s->known_used[slot])
		return;
	if (s->known_slot >= 0)
		known_stop(s->known[s->known_slot]);
	s->known_used[slot] = true;
	s->known[slot] = known_open(s->conn, d);
	s->known_slot = s->known[slot] ? slot : -1;
}

/*
 * At slot's merge: whether records were left unstaged (false, and the
 * merge is as without skipping, when none were); their places in held and
 * those of the rows read without a match in gone (known.h).  Ends the
 * reading.
 */
static bool
known_end(stage *s, int slot, const char *held[2], const char *gone[2])
{
	known	   *k = s->known[slot];

	if (k == NULL)
		return false;
	if (s->known_slot == slot)
		s->known_slot = -1;
	known_gone(k, gone);
	known_held(k, held);
	return s->counts[slot].skipped > 0;
}

stage *
stage_new(PGconn *conn)
{
	stage	   *s = mem_calloc(1, sizeof(*s));

	if (entity_count > MAX_ENTITIES)
		log_fatal(AUSDASH_EXIT_SOFTWARE, "more entities than MAX_ENTITIES in lib/load/stage.c");
	s->conn = conn;
	sbuf_init(&s->tmp);
	s->known_slot = -1;
	return s;
}

void
stage_free(stage **sp)
{
	stage	   *s = *sp;

	if (s == NULL)
		return;
	copy_abort(&s->copy, "ausdash: stage freed during COPY");
	for (int i = 0; i < MAX_ENTITIES; i++)
	{
		for (int j = 0; j < SQL_COUNT; j++)
			free(s->sql[i][j]);
		PQclear(s->rebuild[i]);
		known_free(&s->known[i]);
	}
	sbuf_release(&s->tmp);
	free(s);
	*sp = NULL;
}

bool
stage_copy_begin(stage *s, const entity_desc *d)
{
	int			slot = entity_index(d);

	if (s->copy)
		log_fatal(AUSDASH_EXIT_SOFTWARE, "COPY of \"%s\" started while \"%s\" is open",
				  d->name, s->current->name);
	if (!s->decided[slot] && !go_direct(s, d))
		return false;
	if (!s->rebuild[slot])
		known_begin(s, d);
	if (!s->rebuild[slot] && !s->created[slot])
	{
		if (!db_command(s->conn, entity_sql(s, d, SQL_CREATE), 0, NULL))
			return false;
		s->created[slot] = true;
	}
	s->copy = copy_begin(s->conn, entity_sql(s, d, s->rebuild[slot] ? SQL_COPY_DIRECT : SQL_COPY));
	if (s->copy == NULL)
		return false;
	s->current = d;
	return true;
}

/* An integer field (written without snprintf: it is several per record). */
static void
field_ll(copy_writer *w, long long v)
{
	char		buf[24];
	char	   *p = buf + sizeof(buf);
	unsigned long long u = v < 0 ? 0 - (unsigned long long) v : (unsigned long long) v;

	do
	{
		*--p = (char) ('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		*--p = '-';
	copy_field(w, p, (size_t) (buf + sizeof(buf) - p));
}

bool
stage_add(stage *s, const entity_record *rec, const entity_field *const *bycol)
{
	const entity_desc *d = s->current;
	int			slot = entity_index(d);
	bool		digested = s->positions && d->digested && rec->has_digest;
	uint64_t	digest = digested ? entity_record_place_digest(rec) : 0;

	/* the target holds this record's row at its place already: not staged */
	if (digested && slot == s->known_slot && known_matches(s->known[slot], rec->index, digest))
	{
		s->counts[slot].skipped++;
		return true;
	}
	/* a direct COPY has no ord, line and byte_offset: store_ord says where */
	if (s->rebuild[slot] == NULL)
	{
		field_ll(s->copy, rec->index);
		field_ll(s->copy, (long long) rec->line);
		field_ll(s->copy, (long long) rec->offset);
	}
	for (int i = 0; i < d->ncolumns; i++)
	{
		const entity_field *f = bycol[i];

		if (f == NULL || f->type == ENTITY_JSON_NULL)
			copy_field_null(s->copy);
		else if (!copy_field(s->copy, f->val, f->len))
			log_fatal(AUSDASH_EXIT_SOFTWARE, "unchecked NUL in %s[%lld].%s",
					  rec->entity, rec->index, f->name);
	}
	if (d->extra)
	{
		sbuf_reset(&s->tmp);
		if (entity_extra_to_json(d, rec, &s->tmp) > 0)
			copy_field(s->copy, s->tmp.data, s->tmp.len);
		else
			copy_field_null(s->copy);
	}
	if (s->positions)
	{
		field_ll(s->copy, rec->index);
		sbuf_reset(&s->tmp);
		if (entity_layout_json(d, rec, bycol, &s->tmp))
			copy_field(s->copy, s->tmp.data, s->tmp.len);
		else
			copy_field_null(s->copy);
	}
	if (s->positions && d->digested)
	{
		if (digested)
			field_ll(s->copy, (long long) digest);
		else
			copy_field_null(s->copy);
	}
	return copy_row_end(s->copy);
}

bool
stage_copy_end(stage *s)
{
	long long	rows = 0;
	int			slot;

	if (s->copy == NULL)
		return true;
	slot = entity_index(s->current);
	if (!copy_end(&s->copy, &rows))
	{
		log_detail("While staging \"%s\" into pg_temp.ausdash_stage_%s.",
				   s->current->name, s->current->table);
		return false;
	}
	s->counts[slot].staged += rows;
	s->current = NULL;
	return true;
}

void
stage_copy_abort(stage *s, const char *reason)
{
	copy_abort(&s->copy, reason);
	s->current = NULL;
}

static long long
value_ll(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? -1 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

/* d's entry in conflict_sql[], or lengthof(conflict_sql) when it has none */
static size_t
conflict_rule(const entity_desc *d)
{
	size_t		c;

	for (c = 0; c < lengthof(conflict_sql); c++)
		if (strcmp(conflict_sql[c].table, d->table) == 0)
			break;
	return c;
}

static bool
drop_conflicts(stage *s, const entity_desc *d, stage_conflict_fn fn, void *arg)
{
	int			slot = entity_index(d);
	PGresult   *res;
	bool		ok = true;
	size_t		c = conflict_rule(d);

	if (c == lengthof(conflict_sql))
		return true;
	res = db_query(s->conn, sqlset_sql(conflict_sql[c].conflicts), 0, NULL);
	if (res == NULL)
		return false;
	for (int i = 0; i < PQntuples(res) && ok; i++)
	{
		const char *ord = PQgetvalue(res, i, 0);

		if (fn)
			ok = fn(arg, d, value_ll(res, i, 0), value_ll(res, i, 1), value_ll(res, i, 2),
					PQgetvalue(res, i, 3), PQgetvalue(res, i, 4),
					strcmp(PQgetvalue(res, i, 5), "t") == 0);
		else
		{
			log_error("%s[%s] has the same content as \"%s\"", d->name,
					  PQgetvalue(res, i, 0), PQgetvalue(res, i, 4));
			ok = false;
		}
		if (ok)
		{
			ok = db_command(s->conn, sqlset_sql(conflict_sql[c].drop), 1, &ord);
			s->counts[slot].conflicts++;
		}
	}
	PQclear(res);
	return ok;
}

/* Fails (logged) when a verification found bad staged rows, the first at first. */
static bool
verified(const char *set, long long bad, long long first)
{
	if (bad == 0)
		return true;
	log_error("verification failed: %lld staged row(s) of %s are not in "
			  "public.%s as staged", bad, set, set);
	if (first >= 0)
		log_detail("The first is record %lld of the input.", first);
	return false;
}

/*
 * Runs a merge statement (changed, inserted, updated, and when it verifies
 * itself, mismatched and first_ord) into c.
 */
static bool
run_merge(stage *s, const char *set, const char *sql, int nparams,
		  const char *const *params, stage_counts *c)
{
	PGresult   *res = db_query(s->conn, sql, nparams, params);
	long long	changed;
	long long	bad = 0;
	long long	first = -1;

	if (res == NULL)
		return false;
	changed = value_ll(res, 0, 0);
	c->inserted = value_ll(res, 0, 1);
	c->updated = value_ll(res, 0, 2);
	if (PQnfields(res) >= 5)
	{
		bad = value_ll(res, 0, 3);
		first = value_ll(res, 0, 4);
	}
	PQclear(res);
	if (c->inserted + c->updated != changed && strcmp(set, "store_meta") != 0)
	{
		log_error("merge of %s does not add up: %lld rows differed from the target "
				  "but %lld were written", set, changed, c->inserted + c->updated);
		log_detail("Another session changed the same rows during the merge.");
		log_hint("Run it again.");
		return false;
	}
	return verified(set, bad, first);
}

static bool
run_verify(stage *s, const char *set, const char *sql, int nparams,
		   const char *const *params)
{
	PGresult   *res = db_query(s->conn, sql, nparams, params);
	long long	bad;
	long long	first;

	if (res == NULL)
		return false;
	bad = value_ll(res, 0, 0);
	first = value_ll(res, 0, 1);
	PQclear(res);
	return verified(set, bad, first);
}

/*
 * Runs each statement of column col of res (the "indexes" pairs), false
 * at the first failure: logged, or with failed not NULL, not logged and
 * its result left in *failed for the caller to look at and PQclear().
 */
static bool
run_column(stage *s, const PGresult *res, int col, PGresult **failed)
{
	for (int i = 0; i < PQntuples(res); i++)
	{
		long		t0 = timeutil_now_ms();
		const char *sql = PQgetvalue(res, i, col);

		if (col == 0)
			progress_step("dropping index %d/%d", i + 1, PQntuples(res));
		else
			progress_step("building index %d/%d", i + 1, PQntuples(res));

		if (failed)
		{
			PGresult   *r = db_exec(s->conn, sql, 0, NULL);

			if (PQresultStatus(r) != PGRES_COMMAND_OK)
			{
				*failed = r;
				return false;
			}
			PQclear(r);
		}
		else if (!db_command(s->conn, sql, 0, NULL))
			return false;
		log_debug("%s (%ld ms)", sql, timeutil_now_ms() - t0);
	}
	return true;
}

/* A statement's one boolean into *value; false (logged) on an error. */
static bool
query_bool(stage *s, const char *sql, bool *value)
{
	PGresult   *res = db_query(s->conn, sql, 0, NULL);

	if (res == NULL)
		return false;
	*value = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return true;
}

/*
 * The "indexes" pairs of d's target, or NULL in *indexes when they cannot
 * all be dropped and built again (said at -vv, with what is done instead).
 * False (logged) on an error.
 */
static bool
droppable_indexes(stage *s, const entity_desc *d, const char *instead, PGresult **indexes)
{
	*indexes = db_query(s->conn, entity_sql(s, d, SQL_INDEXES), 0, NULL);
	if (*indexes == NULL)
		return false;
	if (PQntuples(*indexes) == 0)
	{
		log_debug("the indexes of public.%s cannot all be dropped and built again; %s",
				  d->table, instead);
		PQclear(*indexes);
		*indexes = NULL;
	}
	return true;
}

/* The -vv line of d's counts and where the time went. */
static void
log_counts(const entity_desc *d, const stage_counts *c, long dedupe_ms, const char *how,
		   long how_ms, long verify_ms)
{
	char		skipped[96] = "";

	if (c->skipped > 0)
		snprintf(skipped, sizeof(skipped), ", %lld of them not staged (held as they are)",
				 c->skipped);
	log_debug("%s: %lld staged, %lld duplicates, %lld inserted, %lld updated, "
			  "%lld unchanged%s (dedupe %ld ms, %s %ld ms, verify %ld ms)", d->name,
			  c->staged, c->duplicates, c->inserted, c->updated, c->unchanged, skipped,
			  dedupe_ms, how, how_ms, verify_ms);
}

/*
 * Whether d's target can take the COPY itself: "direct_ok", and "indexes"
 * can drop and build every index again.  *indexes gets those pairs, or
 * NULL when it cannot (why at -vv).  False (logged) on an error.
 */
static bool
direct_check(stage *s, const entity_desc *d, PGresult **indexes)
{
	bool		ok;

	*indexes = NULL;
	if (!query_bool(s, entity_sql(s, d, SQL_DIRECT_OK), &ok))
		return false;
	return !ok || droppable_indexes(s, d, "staging its rows", indexes);
}

/*
 * Decides, before d's first COPY, where its rows go.  Into the staging
 * table, unless stage_set_direct() allows the target itself and it
 * qualifies: a backfill keeping positions (store_ord orders duplicates),
 * "after" or "auto", no conflict rule, and direct_check() both before and
 * after "lock" (only a table that qualifies is locked).  Then its indexes
 * are dropped, the table truncated, and the indexes kept in s->rebuild
 * for stage_merge().  False (logged) on an error.
 */
static bool
go_direct(stage *s, const entity_desc *d)
{
	int			slot = entity_index(d);
	PGresult   *indexes;

	s->decided[slot] = true;
	if (!s->direct || !s->positions || s->index_build == STAGE_INDEX_DURING ||
		conflict_rule(d) < lengthof(conflict_sql))
		return true;
	if (!direct_check(s, d, &indexes))
		return false;
	if (indexes == NULL)
		return true;
	PQclear(indexes);
	/* still so once nobody else can write? */
	if (!db_command(s->conn, entity_sql(s, d, SQL_LOCK), 0, NULL) ||
		!direct_check(s, d, &indexes))
		return false;
	if (indexes == NULL)
		return true;
	if (!run_column(s, indexes, 0, NULL) ||
		!db_command(s->conn, entity_sql(s, d, SQL_TRUNCATE), 0, NULL))
	{
		PQclear(indexes);
		return false;
	}
	log_debug("public.%s is empty: copying into it, its %d indexes built again after",
			  d->table, PQntuples(indexes));
	s->rebuild[slot] = indexes;
	return true;
}

/*
 * After a unique index of d's target failed to build: back to the
 * savepoint before the builds, then "dedupe_direct".  Returns the rows
 * deleted, or -1 (logged) on an error.
 */
static long long
dedupe_direct(stage *s, const entity_desc *d)
{
	PGresult   *res;
	long long	n = -1;

	progress_step("deduplicating");
	if (!db_command(s->conn, sqlset_sql(SQLSET_TXN_ROLLBACK_TO_SAVEPOINT), 0, NULL))
		return -1;
	res = db_exec(s->conn, entity_sql(s, d, SQL_DEDUPE_DIRECT), 0, NULL);
	if (PQresultStatus(res) == PGRES_COMMAND_OK)
		n = strtoll(PQcmdTuples(res), NULL, 10);
	else
	{
		log_error("could not dedupe the rows of %s copied into public.%s", d->name, d->table);
		db_log_result_error(res, s->conn);
	}
	PQclear(res);
	return n;
}

/*
 * After a direct COPY of d (go_direct()): builds the target's indexes
 * again.  When a unique index cannot be built because a key was copied
 * twice, the builds are rolled back to a savepoint and done again after
 * dedupe_direct() (the last occurrence wins); any other failure fails.
 * The server's count of the rows the COPY stored was checked against the
 * rows sent (copy_end()); with no user trigger on the table ("direct_ok")
 * they are stored as sent.
 */
static bool
merge_direct(stage *s, const entity_desc *d)
{
	stage_counts *c = &s->counts[entity_index(d)];
	const PGresult *indexes = s->rebuild[entity_index(d)];
	PGresult   *failed = NULL;
	long		t0 = timeutil_now_ms();
	long		dedupe_ms = 0;
	bool		ok;

	progress_phase("merging %s (%d/%d)", d->name, entity_index(d) + 1, entity_count);
	if (!db_command(s->conn, sqlset_sql(SQLSET_TXN_SAVEPOINT), 0, NULL))
		return false;
	ok = run_column(s, indexes, 1, &failed);
	if (!ok && PQresultErrorField(failed, PG_DIAG_SQLSTATE) &&
		strcmp(PQresultErrorField(failed, PG_DIAG_SQLSTATE), "23505") == 0)
	{
		long		t1 = timeutil_now_ms();
		long long	n = dedupe_direct(s, d);

		dedupe_ms = timeutil_now_ms() - t1;
		if (n < 0)
		{
			PQclear(failed);
			failed = NULL;
		}
		else if (n > 0)
		{
			/* else no key was copied twice: the index failed for a reason of its own */
			c->duplicates = n;
			PQclear(failed);
			failed = NULL;
			ok = run_column(s, indexes, 1, &failed);
		}
	}
	if (!ok)
	{
		if (failed)
		{
			log_error("could not build an index of public.%s", d->table);
			db_log_result_error(failed, s->conn);
		}
		log_detail("While building the indexes of public.%s again after copying into it.",
				   d->table);
		PQclear(failed);
		return false;
	}
	if (!db_command(s->conn, sqlset_sql(SQLSET_TXN_RELEASE_SAVEPOINT), 0, NULL))
		return false;
	c->inserted = c->staged - c->duplicates;
	c->updated = 0;
	c->unchanged = 0;
	log_counts(d, c, dedupe_ms, "copy into empty table, then build its indexes",
			   timeutil_now_ms() - t0 - dedupe_ms, 0);
	return true;
}

/*
 * Inserts the staged rows of d into its empty target, counting them in
 * d's counts, and says how in *how.  With many rows ("auto") or when told
 * ("after"), the target's indexes are dropped first and built again after
 * the insert, all in the caller's transaction, when the "indexes"
 * statement finds that they all can be.
 */
static bool
insert_into_empty(stage *s, const entity_desc *d, long long rows, const char **how)
{
	stage_counts *c = &s->counts[entity_index(d)];
	PGresult   *indexes = NULL;
	PGresult   *res;
	bool		ok;

	if (s->index_build == STAGE_INDEX_AFTER ||
		(s->index_build == STAGE_INDEX_AUTO && rows >= STAGE_INDEX_AFTER_MIN_ROWS))
	{
		if (!droppable_indexes(s, d, "inserting with them in place", &indexes))
			return false;
		if (indexes && !run_column(s, indexes, 0, NULL))
		{
			PQclear(indexes);
			return false;
		}
	}
	*how = indexes ? "insert into empty table, then build its indexes" :
		"insert into empty table";
	progress_step("inserting");
	res = db_exec(s->conn, entity_sql(s, d, indexes ? SQL_INSERT_UNINDEXED : SQL_INSERT), 0, NULL);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
	{
		log_error("could not insert the staged %s into public.%s", d->name, d->table);
		db_log_result_error(res, s->conn);
	}
	else
	{
		c->inserted = strtoll(PQcmdTuples(res), NULL, 10);
		c->updated = 0;
	}
	PQclear(res);
	if (ok && indexes && !run_column(s, indexes, 1, NULL))
	{
		log_detail("While building the indexes of public.%s again after inserting "
				   "into it.", d->table);
		ok = false;
	}
	PQclear(indexes);
	return ok;
}

bool
stage_merge(stage *s, const entity_desc *d, stage_conflict_fn fn, void *arg)
{
	int			slot = entity_index(d);
	stage_counts *c = &s->counts[slot];
	PGresult   *res;
	long long	distinct;
	long		t0 = timeutil_now_ms();
	long		t1, t2;
	bool		empty;
	const char *how = "merge";
	bool		skipped;
	const char *held[2] = {NULL, NULL};
	const char *gone[2] = {NULL, NULL};
	long long	dup_staged;

	if (s->rebuild[slot])
		return merge_direct(s, d);	/* even when nothing was copied */
	skipped = known_end(s, slot, held, gone);
	if (!s->created[slot] || (c->staged == 0 && !skipped))
		return true;
	/* the merge writes each row's digest itself (migration 0011) */
	if (s->positions && d->digested &&
		!db_command(s->conn, sqlset_sql(SQLSET_KNOWN_DIGEST_WRITER), 0, NULL))
		return false;
	progress_phase("merging %s (%d/%d)", d->name, slot + 1, entity_count);
	progress_step("deduplicating");
	res = db_exec(s->conn, entity_sql(s, d, SQL_DEDUPE), 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
	{
		log_error("could not dedupe the staged %s", d->name);
		db_log_result_error(res, s->conn);
		PQclear(res);
		return false;
	}
	c->duplicates = strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	dup_staged = c->duplicates;
	if (skipped && c->staged > 0)
	{
		/* a key both staged and left unstaged: its last occurrence wins */
		if ((res = db_query(s->conn, entity_sql(s, d, SQL_SUPERSEDED), 2, held)) == NULL)
			return false;
		dup_staged += value_ll(res, 0, 0);
		c->duplicates += value_ll(res, 0, 0) + value_ll(res, 0, 1);
		c->skipped -= value_ll(res, 0, 1);
		PQclear(res);
	}
	if (!drop_conflicts(s, d, fn, arg))
		return false;
	t1 = timeutil_now_ms();
	res = db_query(s->conn, entity_sql(s, d, SQL_EMPTY), 0, NULL);
	if (res == NULL)
		return false;
	empty = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	distinct = c->staged - dup_staged - c->conflicts;
	if (!empty)
		progress_step("merging");
	if (empty ? !insert_into_empty(s, d, distinct, &how) :
		!run_merge(s, d->table, entity_sql(s, d, SQL_MERGE), 0, NULL, c))
		return false;
	/* rows the store no longer holds give up their places in its arrays */
	if (!empty && s->positions)
	{
		char		n[32];
		const char *params[1] = {n};

		snprintf(n, sizeof(n), "%lld", distinct);
		if (skipped ? !db_command(s->conn, entity_sql(s, d, SQL_UNPLACE_SKIPPING), 2, gone) :
			!db_command(s->conn, entity_sql(s, d, SQL_UNPLACE), 1, params))
			return false;
	}
	t2 = timeutil_now_ms();
	c->unchanged = distinct - c->inserted - c->updated + c->skipped;
	if (c->unchanged < 0 || (empty && c->unchanged != 0))
	{
		log_error("counts of %s do not add up: %lld staged, %lld duplicates, %lld "
				  "conflicts, but %lld inserted and %lld updated", d->name, c->staged,
				  c->duplicates, c->conflicts, c->inserted, c->updated);
		return false;
	}
	/* the merge verified itself; an insert is verified by a second pass */
	if (empty)
		progress_step("verifying");
	if (empty && !run_verify(s, d->table, entity_sql(s, d, SQL_VERIFY), 0, NULL))
		return false;
	log_counts(d, c, t1 - t0, how, t2 - t1, timeutil_now_ms() - t2);
	return true;
}

bool
stage_merge_meta(stage *s, const char *version, const char *updated_at,
				 stage_counts *c)
{
	const char *params[2] = {version, updated_at};

	memset(c, 0, sizeof(*c));
	c->staged = 1;
	if (!run_merge(s, "store_meta", sqlset_sql(SQLSET_STORE_META_MERGE), 2, params, c))
		return false;
	c->unchanged = 1 - c->inserted - c->updated;
	return run_verify(s, "store_meta", sqlset_sql(SQLSET_STORE_META_VERIFY), 2, params);
}

const stage_counts *
stage_get_counts(const stage *s, const entity_desc *d)
{
	return &s->counts[entity_index(d)];
}

long long
stage_drift(stage *s, const entity_desc *d, void (*fn) (void *arg, long long ord, bool missing),
			void *arg)
{
	PGresult   *res;
	long long	n;

	if (!s->created[entity_index(d)])
		return 0;
	res = db_query(s->conn, entity_sql(s, d, SQL_DRIFT), 0, NULL);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	for (long long i = 0; i < n; i++)
		fn(arg, value_ll(res, (int) i, 0), strcmp(PQgetvalue(res, (int) i, 1), "t") == 0);
	PQclear(res);
	return n;
}
