/*
 * lib/report/parity.c - does a live-store.json hold what the database
 * holds?  Counts per entity, then the observations: in one streaming pass
 * over the store, each record whose row a backfill copied from the same
 * record text at the same place is vouched for by its store_digest (read
 * beside, lib/load/known.h); the others are summed per (series, region)
 * segment with an order-free digest, which the server computes meanwhile
 * for its rows no record vouched for.  Only differing segments are drilled
 * into, key by key.  Then the latest point per (series, region) and the
 * key series' freshness on both sides.
 */
#include "base/common.h"

#include <inttypes.h>

#include "pg/db.h"
#include "load/known.h"
#include "model/digest.h"
#include "model/entity.h"
#include "report/fresh.h"
#include "base/log.h"
#include "base/mem.h"
#include "pg/sqlbuild.h"
#include "pg/sqlset.h"
#include "report/parity.h"
#include "report/report.h"
#include "base/sbuf.h"
#include "store/readerup.h"
#include "store/storeread.h"
#include "base/banned.h"

#define NENT 16

/*
 * The observations no row vouched for are kept (key, digest, segment) for
 * the drill up to this many; beyond, the drill reads the store again.
 */
#define PARITY_LOOSE_MAX 20000

/* Fields left out of the comparison (see the man page). */
static const char *const skip_observation[] = {"ingestedAt", NULL};
static const char *const skip_cursor[] = {"updatedAt", NULL};

/* A key and its record's digest. */
typedef struct keyd
{
	char	   *key;
	uint64_t	digest;
	long long	seg;			/* the loose ones: their segment's index */
} keyd;

typedef struct keyset
{
	keyd	   *k;
	long long	n;
	long long	cap;
} keyset;

/*
 * A (series, region) segment: the store's records in it that no row
 * vouched for and the sum of their digests, then the same of the
 * database's rows.
 */
typedef struct seg
{
	char	   *key;			/* series '\x1f' region */
	long long	n;
	uint64_t	sum;
	long long	db_n;
	uint64_t	db_sum;
	bool		differs;
} seg;

typedef struct segset
{
	seg		   *s;
	long long	n;
	long long	cap;
	long long  *table;			/* open addressing: index + 1, 0 empty */
	long long	size;
} segset;

typedef struct parity
{
	const char *store;
	int			max_diffs;
	long long	count[NENT];
	keyset		store_keys[NENT];
	segset		segs;
	bool		drill;			/* the second pass: keys of differing segments */
	keyset		drill_keys;
	known	   *known;			/* the rows' store_digest by place, or NULL (--deep) */
	long long	vouched;		/* observations a row vouched for */
	keyset		loose;			/* the others, up to PARITY_LOOSE_MAX */
	bool		loose_overflow;
	fresh_store *fresh;			/* the first pass: the latest points too */
	fresh_set	latest;
	long long	drift;
	long long	listed;
	bool		reader_upgrades;
	const char *reader_seed;
	bool		has_source_mix;	/* the store's own (this pass) */
	long long	seeded;			/* source-mix observations the reader adds */
	long long	store_observations;	/* the file's own (the seeded ones follow) */
} parity;

static const char *const *
skip_of(const entity_desc *d)
{
	if (strcmp(d->name, "observations") == 0)
		return skip_observation;
	if (strcmp(d->name, "sourceCursors") == 0)
		return skip_cursor;
	return NULL;
}

static void
keyset_add(keyset *ks, const char *key, uint64_t digest, long long segi)
{
	if (ks->n == ks->cap)
	{
		ks->cap = ks->cap ? ks->cap * 2 : 64;
		ks->k = mem_realloc(ks->k, ks->cap * sizeof(keyd));
	}
	ks->k[ks->n].key = mem_strdup(key);
	ks->k[ks->n].seg = segi;
	ks->k[ks->n++].digest = digest;
}

static void
keyset_free(keyset *ks)
{
	for (long long i = 0; i < ks->n; i++)
		free(ks->k[i].key);
	free(ks->k);
	memset(ks, 0, sizeof(*ks));
}

static int
keyd_cmp(const void *a, const void *b)
{
	return strcmp(((const keyd *) a)->key, ((const keyd *) b)->key);
}

static uint64_t
hash_str(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char) *s) * 1099511628211ULL;
	return h;
}

/* The segment of key, created when asked. */
static seg *
segset_get(segset *ss, const char *key, bool create)
{
	uint64_t	h;

	if (ss->size == 0 || (create && ss->n * 2 >= ss->size))
	{
		long long	size = ss->size ? ss->size * 2 : 1024;

		free(ss->table);
		ss->table = mem_calloc(size, sizeof(long long));
		ss->size = size;
		for (long long i = 0; i < ss->n; i++)
		{
			h = hash_str(ss->s[i].key) % size;
			while (ss->table[h])
				h = (h + 1) % size;
			ss->table[h] = i + 1;
		}
	}
	h = hash_str(key) % ss->size;
	while (ss->table[h])
	{
		if (strcmp(ss->s[ss->table[h] - 1].key, key) == 0)
			return &ss->s[ss->table[h] - 1];
		h = (h + 1) % ss->size;
	}
	if (!create)
		return NULL;
	if (ss->n == ss->cap)
	{
		ss->cap = ss->cap ? ss->cap * 2 : 256;
		ss->s = mem_realloc(ss->s, ss->cap * sizeof(seg));
	}
	memset(&ss->s[ss->n], 0, sizeof(seg));
	ss->s[ss->n].key = mem_strdup(key);
	ss->table[h] = ++ss->n;
	return &ss->s[ss->n - 1];
}

static void
seg_key(const entity_record *rec, sbuf *out)
{
	const entity_field *s = entity_record_field(rec, "seriesId");
	const entity_field *r = entity_record_field(rec, "regionCode");

	if (s)
		sbuf_append(out, s->val, s->len);
	sbuf_appendc(out, '\x1f');
	if (r)
		sbuf_append(out, r->val, r->len);
}

/* --- the store ------------------------------------------------------------------ */

static bool
on_record(void *arg, const entity_desc *d, const entity_record *rec)
{
	parity	   *p = arg;
	sbuf		key;

	sbuf_init(&key);
	if (!p->has_source_mix && readerup_is_source_mix(d, rec))
		p->has_source_mix = true;
	if (!p->drill && !fresh_store_record(p->fresh, d, rec))
		return false;
	if (strcmp(d->name, "observations") == 0)
	{
		seg		   *s;

		if (p->drill)
		{
			seg_key(rec, &key);
			if ((s = segset_get(&p->segs, key.data, false)) != NULL && s->differs)
			{
				sbuf_reset(&key);
				digest_key(d, rec, &key);
				keyset_add(&p->drill_keys, key.data, digest_record(d, rec, skip_observation), 0);
			}
			sbuf_release(&key);
			return true;
		}
		p->count[entity_index(d)]++;
		/* a row copied from this very record text at this place: equal */
		if (rec->has_digest && known_matches(p->known, rec->index,
														 entity_record_place_digest(rec)))
		{
			p->vouched++;
			sbuf_release(&key);
			return true;
		}
		seg_key(rec, &key);
		s = segset_get(&p->segs, key.data, true);
		s->n++;
		s->sum += digest_record(d, rec, skip_observation);
		if (!p->loose_overflow && p->loose.n == PARITY_LOOSE_MAX)
		{
			keyset_free(&p->loose);
			p->loose_overflow = true;
		}
		if (!p->loose_overflow)
		{
			long long	segi = s - p->segs.s;

			sbuf_reset(&key);
			digest_key(d, rec, &key);
			keyset_add(&p->loose, key.data, digest_record(d, rec, skip_observation), segi);
		}
	}
	else if (!p->drill)
	{
		digest_key(d, rec, &key);
		keyset_add(&p->store_keys[entity_index(d)], key.data,
				   strcmp(d->name, "ingestionRuns") == 0 ? 0 : digest_record(d, rec, skip_of(d)), 0);
		p->count[entity_index(d)]++;
	}
	sbuf_release(&key);
	return true;
}

/*
 * The store as the dashboard's reader gives it: the file, then (unless
 * --no-reader-upgrades) its seeded source mix when the file has none.
 */
static bool
read_store(parity *p)
{
	static const storeread_handler h = {NULL, NULL, on_record, NULL};
	const char *seed = readerup_seed_path(p->reader_seed);

	p->has_source_mix = false;
	if (!storeread_file(p->store, &h, p, false, NULL))
		return false;
	if (!p->drill)
		p->store_observations = p->count[entity_index(entity_find("observations"))];
	if (!p->reader_upgrades || p->has_source_mix || seed == NULL)
		return true;
	/* placed after the store's observations, as a backfill places them */
	return readerup_seed_source_mix(seed, &h, p, p->store_observations, &p->seeded, NULL);
}

/* --- the database --------------------------------------------------------------- */

/* The rows of d ausdash-export writes (its maintenance runs are not the store's). */
static const char *
db_filter(const entity_desc *d)
{
	return strcmp(d->name, "ingestionRuns") == 0 ? sqlset_sql(SQLSET_PARITY_STORE_RUNS_ONLY) : "";
}

/*
 * The key and digest of each row of d, filtered by where; of the
 * observations, of the rows a row source gives (rows) instead, when not NULL.
 */
static bool
db_keys(PGconn *conn, const entity_desc *d, const char *where, const char *rows, int nparams,
		const char *const *params, keyset *out)
{
	sbuf		sql;
	sbuf		key;
	sbuf		digest;
	PGresult   *res;

	sbuf_init(&sql);
	sbuf_init(&key);
	sbuf_init(&digest);
	sqlbuild_key(d, &key);
	if (strcmp(d->name, "ingestionRuns") == 0)
		sbuf_appendc(&digest, '0');
	else
		sqlbuild_digest(d, skip_of(d), &digest);
	if (rows)
		sqlset_render(SQLSET_PARITY_OBSERVATION_KEYS, &sql, (const char *const[]) {
			"key", key.data, "digest", digest.data, "rows", rows, NULL});
	else
		sqlset_render(SQLSET_PARITY_KEYS, &sql, (const char *const[]) {
			"key", key.data, "digest", digest.data, "table", d->table, "where", where, NULL});
	sbuf_release(&key);
	sbuf_release(&digest);
	res = db_query(conn, sql.data, nparams, params);
	sbuf_release(&sql);
	if (res == NULL)
		return false;
	for (int i = 0; i < PQntuples(res); i++)
		keyset_add(out, PQgetvalue(res, i, 0), (uint64_t) strtoll(PQgetvalue(res, i, 1), NULL, 10),
				   0);
	PQclear(res);
	return true;
}

/* Appends s to a PostgreSQL array literal. */
static void
array_item(sbuf *a, const char *s, size_t len)
{
	sbuf_appendc(a, a->len > 1 ? ',' : '{');
	sbuf_appendc(a, '"');
	for (size_t i = 0; i < len; i++)
	{
		if (s[i] == '"' || s[i] == '\\')
			sbuf_appendc(a, '\\');
		sbuf_appendc(a, s[i]);
	}
	sbuf_appendc(a, '"');
}

/* --- comparing -------------------------------------------------------------------- */

static void
diff_row(parity *p, report *r, const char *entity, const char *key, const char *kind)
{
	p->drift++;
	if (p->listed >= p->max_diffs)
		return;
	p->listed++;
	report_row(r, REPORT_WARNING);
	report_str(r, "entity", entity, false);
	report_str(r, "key", key, false);
	report_str(r, "diff", kind, false);
}

/* Merges two key sets; counts per kind into c[3] (exclusive store, db, updated). */
static long long
compare_keys(parity *p, report *r, const char *entity, keyset *a, keyset *b, bool ignore_db_only,
			 long long c[3])
{
	long long	i = 0,
				k = 0,
				same = 0;

	if (a->n > 1)
		qsort(a->k, a->n, sizeof(keyd), keyd_cmp);
	if (b->n > 1)
		qsort(b->k, b->n, sizeof(keyd), keyd_cmp);
	while (i < a->n || k < b->n)
	{
		int			cmp = i >= a->n ? 1 : k >= b->n ? -1 : strcmp(a->k[i].key, b->k[k].key);

		if (cmp < 0)
		{
			c[0]++;
			diff_row(p, r, entity, a->k[i++].key, "exclusive_store");
		}
		else if (cmp > 0)
		{
			if (!ignore_db_only)
			{
				c[1]++;
				diff_row(p, r, entity, b->k[k].key, "exclusive_database");
			}
			k++;
		}
		else
		{
			if (a->k[i].digest != b->k[k].digest)
			{
				c[2]++;
				diff_row(p, r, entity, a->k[i].key, "updated");
			}
			else
				same++;
			i++, k++;
		}
	}
	return same;
}

/* The database's segments of some rows: key, count and digest per (series, region). */
static void
segments_sql(sqlset_id rows, sbuf *sql)
{
	sbuf		digest;

	sbuf_init(&digest);
	sqlbuild_digest(entity_find("observations"), skip_observation, &digest);
	sqlset_render(SQLSET_PARITY_SEGMENTS, sql, (const char *const[]) {
		"digest", digest.data, "rows", sqlset_sql(rows), NULL});
	sbuf_release(&digest);
}

/* Adds the database's segments of res (freed here) to p's. */
static void
add_db_segments(parity *p, PGresult *res, long long *rows)
{
	for (int i = 0; i < PQntuples(res); i++)
	{
		seg		   *s = segset_get(&p->segs, PQgetvalue(res, i, 0), true);
		long long	n = strtoll(PQgetvalue(res, i, 1), NULL, 10);

		s->db_n += n;
		s->db_sum += strtoull(PQgetvalue(res, i, 2), NULL, 10);
		*rows += n;
	}
	PQclear(res);
}

/*
 * The database's side of the observations, given the segments of the rows
 * without a place (or of all rows) in res: adds those at the places whose
 * row matched no record.  *rows: the rows of the table.
 */
static bool
db_segments(parity *p, PGconn *conn, PGresult *res, long long *rows)
{
	sbuf		sql;
	const char *gone[2];

	*rows = p->vouched;
	add_db_segments(p, res, rows);
	if (p->known == NULL)
		return true;
	known_gone(p->known, gone);
	if (strcmp(gone[0], "{}") == 0)
		return true;
	sbuf_init(&sql);
	segments_sql(SQLSET_PARITY_GONE_ROWS, &sql);
	res = db_query(conn, sql.data, 2, gone);
	sbuf_release(&sql);
	if (res == NULL)
		return false;
	add_db_segments(p, res, rows);
	return true;
}

/*
 * Compares the store (read) with the database, given the database's
 * segments (res, freed here).
 */
static bool
compare(parity *p, PGconn *conn, report *r, PGresult *res)
{
	const entity_desc *obs = entity_find("observations");
	long long	db_count[NENT] = {0};
	long long	c[NENT][3];
	long long	unchanged[NENT] = {0};
	sbuf		sql;
	sbuf		series_arr;
	sbuf		region_arr;
	long long	differing = 0;
	keyset		db_drill = {0};
	bool		ok = true;

	memset(c, 0, sizeof(c));
	report_section(r, "diffs");

	/* counts per entity (the observations' from their segments) */
	for (int e = 0; e < entity_count; e++)
	{
		const entity_desc *d = entity_all[e];
		PGresult   *cres;

		if (d == obs)
			continue;
		sbuf_init(&sql);
		sqlset_render(SQLSET_PARITY_COUNT, &sql, (const char *const[]) {
			"table", d->table, "where", db_filter(d), NULL});
		cres = db_query(conn, sql.data, 0, NULL);
		sbuf_release(&sql);
		if (cres == NULL)
		{
			PQclear(res);
			return false;
		}
		db_count[e] = strtoll(PQgetvalue(cres, 0, 0), NULL, 10);
		PQclear(cres);
	}

	/* observations: segments, then the keys of those that differ */
	if (!db_segments(p, conn, res, &db_count[entity_index(obs)]))
		return false;
	sbuf_init(&series_arr);
	sbuf_init(&region_arr);
	for (long long i = 0; i < p->segs.n; i++)
	{
		seg		   *s = &p->segs.s[i];
		size_t		cut = strcspn(s->key, "\x1f");

		s->differs = s->n != s->db_n || s->sum != s->db_sum;
		if (!s->differs)
			continue;
		differing++;
		array_item(&series_arr, s->key, cut);
		array_item(&region_arr, s->key + cut + 1, strlen(s->key + cut + 1));
	}
	if (differing > 0)
	{
		const char *params[4];
		keyset		loose = {0};

		sbuf_appendc(&series_arr, '}');
		sbuf_appendc(&region_arr, '}');
		if (p->known && !p->loose_overflow)
		{
			/* the records and rows no row vouched for, of the differing segments */
			sbuf		rows;

			sbuf_init(&rows);
			sqlset_render(SQLSET_PARITY_IN_SEGMENTS_UNVOUCHED, &rows, (const char *const[]) {
				"unplaced", sqlset_sql(SQLSET_PARITY_UNPLACED_ROWS),
				"gone", sqlset_sql(SQLSET_PARITY_GONE_ROWS), NULL});
			known_gone(p->known, &params[0]);
			params[2] = series_arr.data;
			params[3] = region_arr.data;
			for (long long i = 0; i < p->loose.n; i++)
				if (p->segs.s[p->loose.k[i].seg].differs)
					keyset_add(&loose, p->loose.k[i].key, p->loose.k[i].digest, 0);
			ok = db_keys(conn, obs, NULL, rows.data, 4, params, &db_drill);
			if (ok)
				compare_keys(p, r, "observations", &loose, &db_drill, false,
							 c[entity_index(obs)]);
			keyset_free(&loose);
			sbuf_release(&rows);
		}
		else
		{
			/* every record and row of the differing segments */
			params[0] = series_arr.data;
			params[1] = region_arr.data;
			p->drill = true;
			ok = read_store(p) &&
				db_keys(conn, obs, NULL, sqlset_sql(SQLSET_PARITY_IN_SEGMENTS), 2, params, &db_drill);
			if (ok)
				compare_keys(p, r, "observations", &p->drill_keys, &db_drill, false,
							 c[entity_index(obs)]);
		}
	}
	unchanged[entity_index(obs)] = p->count[entity_index(obs)] - c[entity_index(obs)][0] -
		c[entity_index(obs)][2];
	sbuf_release(&series_arr);
	sbuf_release(&region_arr);
	keyset_free(&db_drill);

	/* the other entities, key by key */
	for (int e = 0; ok && e < entity_count; e++)
	{
		const entity_desc *d = entity_all[e];
		keyset		db = {0};

		if (d == obs)
			continue;
		ok = db_keys(conn, d, db_filter(d), NULL, 0, NULL, &db);
		/* the database's catalog may list more sources than a store */
		if (ok)
			unchanged[e] = compare_keys(p, r, d->name, &p->store_keys[e], &db,
										strcmp(d->name, "sources") == 0, c[e]);
		keyset_free(&db);
	}
	if (!ok)
		return false;

	report_section(r, "entities");
	for (int e = 0; e < entity_count; e++)
	{
		long long	n = c[e][0] + c[e][1] + c[e][2];

		report_row(r, n > 0 ? REPORT_WARNING : REPORT_OK);
		report_str(r, "entity", entity_all[e]->name, true);
		report_int(r, "store", p->count[e], "ausdash_parity_store_records",
				   "Records in the store.");
		report_int(r, "database", db_count[e], "ausdash_parity_database_records",
				   "Rows in the database (ausdash's own maintenance runs left out).");
		report_int(r, "exclusive_store", c[e][0], "ausdash_parity_exclusive_store",
				   "Keys only in the store.");
		report_int(r, "exclusive_database", c[e][1], "ausdash_parity_exclusive_database",
				   "Keys only in the database.");
		report_int(r, "updated", c[e][2], "ausdash_parity_updated",
				   "Keys on both sides with different values.");
		report_int(r, "unchanged", unchanged[e], NULL, NULL);
	}
	report_summary(r, "%lld of %lld (series, region) segments differ", differing, p->segs.n);
	if (p->known)
		report_summary(r, "%lld observations vouched for by their rows' store_digest", p->vouched);
	return true;
}

static int
cmp_str(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) : a != b;
}

static bool
same_value(const char *a, const char *b)
{
	sbuf		x,
				y;
	bool		same;

	if (!a || !b)
		return a == b;
	sbuf_init(&x);
	sbuf_init(&y);
	same = digest_decimal(a, strlen(a), &x) && digest_decimal(b, strlen(b), &y) ?
		strcmp(x.data, y.data) == 0 : strcmp(a, b) == 0;
	sbuf_release(&x);
	sbuf_release(&y);
	return same;
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp((*(const fresh_key *const *) a)->series_id,
				  (*(const fresh_key *const *) b)->series_id);
}

/* The latest date token of (series, region) in a sorted set, or NULL. */
static const char *
latest_date(const fresh_set *s, const char *series, const char *region)
{
	fresh_point probe = {0};
	const fresh_point *p;

	probe.series_id = (char *) series;
	probe.region = (char *) region;
	p = s->n ? bsearch(&probe, s->points, s->n, sizeof(fresh_point), fresh_point_cmp) : NULL;
	return p ? p->date : NULL;
}

/* The latest point per (series, region), and the key series' freshness. */
static bool
compare_latest(parity *p, PGconn *conn, report *r, const report_options *ro)
{
	fresh_set	db = {0};
	fresh_set  *st = &p->latest;
	const fresh_key *keys[16];
	int			nkeys = 0;
	long long	latest_diffs = 0;
	long long	fresh_diffs = 0;
	bool		ok;

	/* every (series, region): the key series' freshness comes from the same sets */
	ok = fresh_from_db(conn, NULL, 0, true, &db);
	if (ok)
	{
		report_section(r, "latest");
		if (db.n > 1)
			qsort(db.points, db.n, sizeof(fresh_point), fresh_point_cmp);
		if (st->n > 1)
			qsort(st->points, st->n, sizeof(fresh_point), fresh_point_cmp);
		for (int i = 0, k = 0; i < st->n || k < db.n;)
		{
			int			cmp = i >= st->n ? 1 : k >= db.n ? -1 : fresh_point_cmp(&st->points[i], &db.points[k]);
			const fresh_point *a = cmp <= 0 ? &st->points[i] : NULL;
			const fresh_point *b = cmp >= 0 ? &db.points[k] : NULL;

			i += cmp <= 0;
			k += cmp >= 0;
			if (a && b && !cmp_str(a->date, b->date) && same_value(a->value, b->value))
				continue;
			latest_diffs++;
			p->drift++;
			report_row(r, REPORT_WARNING);
			report_str(r, "series", (a ? a : b)->series_id, false);
			report_str(r, "region", (a ? a : b)->region, false);
			report_str(r, "store_date", a ? a->date : NULL, false);
			report_str(r, "database_date", b ? b->date : NULL, false);
			report_num(r, "store_value", a ? a->value : NULL, NULL, NULL);
			report_num(r, "database_value", b ? b->value : NULL, NULL, NULL);
		}
		report_section(r, "freshness");
		for (int k = 0; fresh_key_series[k].series_id && nkeys < 16; k++)
			keys[nkeys++] = &fresh_key_series[k];
		qsort(keys, nkeys, sizeof(keys[0]), key_cmp);
		for (int i = 0; i < nkeys; i++)
		{
			const char *ds = latest_date(st, keys[i]->series_id, "AU");
			const char *dd = latest_date(&db, keys[i]->series_id, "AU");
			long long	la = fresh_lag_minutes(ds ? ds : "1970-01-01", ro->at_ms);
			long long	lb = fresh_lag_minutes(dd ? dd : "1970-01-01", ro->at_ms);
			bool		sa = la < 0 || la > fresh_threshold(keys[i]->cadence);
			bool		sb = lb < 0 || lb > fresh_threshold(keys[i]->cadence);

			if (sa != sb)
			{
				fresh_diffs++;
				p->drift++;
			}
			report_row(r, sa != sb ? REPORT_WARNING : REPORT_OK);
			report_str(r, "series", keys[i]->series_id, true);
			report_str(r, "region", "AU", true);
			report_str(r, "store_status", sa ? "stale" : "fresh", false);
			report_str(r, "database_status", sb ? "stale" : "fresh", false);
		}
		report_summary(r, "%lld latest points and %lld freshness statuses differ", latest_diffs,
					   fresh_diffs);
	}
	fresh_set_release(&db);
	return ok;
}

int
parity_report(const parity_options *o, const report_options *ro, const db_options *dbo)
{
	parity		p = {0};
	report	   *r;
	PGconn	   *conn;
	sbuf		segsql;
	PGresult   *segs;
	bool		ok;
	int			code;

	p.store = o->store;
	p.reader_upgrades = o->reader_upgrades;
	p.reader_seed = o->reader_seed;
	p.max_diffs = o->max_diffs;
	r = report_new("parity", ro->fmt, ro->at_ms);
	conn = db_connect(dbo, -1);

	/*
	 * The rows' store_digest is read beside while the store is read, and
	 * the server groups and digests meanwhile the rows no record can match
	 * (or, --deep, all); the latest points of the store come from the same
	 * pass.
	 */
	sbuf_init(&segsql);
	p.fresh = fresh_store_begin(NULL, 0, true, ro->at_ms, &p.latest);
	ok = conn != NULL && db_command(conn, sqlset_sql(SQLSET_TXN_BEGIN_SNAPSHOT), 0, NULL);
	if (ok && !o->deep)
		p.known = known_open(conn, entity_find("observations"));
	p.loose_overflow = p.known == NULL;	/* then the drill reads the store again */
	segments_sql(p.known ? SQLSET_PARITY_UNPLACED_ROWS : SQLSET_PARITY_ALL_ROWS, &segsql);
	ok = ok && db_query_send(conn, segsql.data, 0, NULL) && read_store(&p);
	known_stop(p.known);
	fresh_store_end(&p.fresh, ok, NULL, NULL);
	if (!ok || (segs = db_query_result(conn, segsql.data)) == NULL ||
		!compare(&p, conn, r, segs) || !compare_latest(&p, conn, r, ro))
		code = report_unknown(r, ro->textfile_dir, log_last_error());
	else
	{
		if (p.drift > 0)
			report_level_at_least(r, p.drift <= o->warn_max ? REPORT_WARNING : REPORT_CRITICAL);
		if (p.listed < p.drift && p.listed == p.max_diffs)
			report_summary(r, "%lld difference(s), %lld keys listed (--max-diffs)", p.drift,
						   p.listed);
		else
			report_summary(r, "%lld difference(s)", p.drift);
		report_perf(r, "differences", p.drift);
		report_section(r, "total");
		report_row(r, REPORT_OK);
		report_int(r, "differences", p.drift, "ausdash_parity_differences",
				   "Keys, latest points and freshness statuses that differ.");
		code = report_finish(r, ro->textfile_dir);
	}
	db_disconnect(&conn);
	sbuf_release(&segsql);
	fresh_set_release(&p.latest);
	for (int e = 0; e < NENT; e++)
		keyset_free(&p.store_keys[e]);
	keyset_free(&p.drill_keys);
	keyset_free(&p.loose);
	known_free(&p.known);
	for (long long i = 0; i < p.segs.n; i++)
		free(p.segs.s[i].key);
	free(p.segs.s);
	free(p.segs.table);
	report_free(&r);
	return code;
}
