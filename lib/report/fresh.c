/*
 * lib/report/fresh.c - freshness as the dashboard computes it, on the database
 * or on a store file.
 */
#include "base/common.h"


#include "model/datetoken.h"
#include "pg/db.h"
#include "feed/feed.h"
#include "feed/feed_registry.h"
#include "report/fresh.h"
#include "base/isotime.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/sbuf.h"
#include "pg/sqlset.h"
#include "store/storeread.h"
#include "base/banned.h"


/* aus-dash-reference.md section 5, "Key series in /api/metadata/freshness" */
const fresh_key fresh_key_series[] = {
	{"energy.wholesale.rrp.au_weighted_aud_mwh", "5m"},
	{"energy.retail.offer.annual_bill_aud.mean", "daily"},
	{"energy.cpi.electricity.index", "quarterly"},
	{"prices.major_goods.overall.index", "daily"},
	{"prices.au_made.all.index", "daily"},
	{NULL, NULL}
};

long
fresh_threshold(const char *cadence)
{
	if (cadence && strcmp(cadence, "5m") == 0)
		return 20;
	if (cadence && strcmp(cadence, "daily") == 0)
		return 2880;
	if (cadence && strcmp(cadence, "monthly") == 0)
		return 4320;
	return 10080;
}

long long
fresh_lag_minutes(const char *token, int64_t at_ms)
{
	int64_t		ms;

	if (token == NULL || !datetoken_ms(token, &ms))
		return -1;
	if (at_ms <= ms)
		return 0;
	return (at_ms - ms) / 60000;
}

long
fresh_cadence_minutes(const char *c)
{
	static const struct
	{
		const char *name;
		long		minutes;
	}			cad[] = {
		{"5m", 5}, {"hourly", 60}, {"daily", 1440}, {"weekly", 10080},
		{"monthly", 44640}, {"quarterly", 132480}, {"semiannual", 263520},
		{"annual", 527040}, {NULL, 0}
	};
	size_t		len = c ? strcspn(c, "|") : 0;

	for (int i = 0; cad[i].name; i++)
		if (len == strlen(cad[i].name) && strncmp(c, cad[i].name, len) == 0)
			return cad[i].minutes;
	return 0;
}

static void
point_free(fresh_point *p)
{
	free(p->series_id);
	free(p->region);
	free(p->date);
	free(p->vintage);
	free(p->published_at);
	free(p->ingested_at);
	free(p->source_name);
	free(p->source_url);
	free(p->value);
}

void
fresh_set_release(fresh_set *s)
{
	for (int i = 0; i < s->n; i++)
		point_free(&s->points[i]);
	free(s->points);
	memset(s, 0, sizeof(*s));
}

void
fresh_jobs_release(fresh_jobs *j)
{
	for (int i = 0; i < j->n; i++)
	{
		free(j->jobs[i].job);
		free(j->jobs[i].source_id);
	}
	free(j->jobs);
	memset(j, 0, sizeof(*j));
}

static fresh_point *
add_point(fresh_set *s, const char *series, const char *region)
{
	fresh_point *p;

	if (s->n == s->cap)
	{
		s->cap = s->cap ? s->cap * 2 : 32;
		s->points = mem_realloc(s->points, s->cap * sizeof(fresh_point));
	}
	p = &s->points[s->n++];
	memset(p, 0, sizeof(*p));
	p->series_id = mem_strdup(series);
	p->region = mem_strdup(region);
	return p;
}

static char *
dup_or_null(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : mem_strdup(PQgetvalue(res, row, col));
}

/* --- the database ---------------------------------------------------------- */

/* The latest observation of every region of one series (index walk). */
static bool
series_from_db(PGconn *conn, const char *series, const char *only_region, fresh_set *out)
{
	const char *params[2] = {series, only_region};
	PGresult   *res;

	res = db_query(conn, sqlset_sql(SQLSET_FRESHNESS_SERIES_LATEST), 2, params);
	if (res == NULL)
		return false;
	for (int i = 0; i < PQntuples(res); i++)
	{
		fresh_point *p = add_point(out, series, PQgetvalue(res, i, 0));

		p->date = dup_or_null(res, i, 1);
		p->vintage = dup_or_null(res, i, 2);
		p->value = dup_or_null(res, i, 3);
	}
	if (PQntuples(res) == 0 && only_region)
		add_point(out, series, only_region);	/* none: the dashboard's 1970 */
	PQclear(res);
	return true;
}

bool
fresh_from_db(PGconn *conn, const char *const *series, int nseries, bool all, fresh_set *out)
{
	if (all)
	{
		/* every series (index walk over series_id) */
		PGresult   *res = db_query(conn, sqlset_sql(SQLSET_FRESHNESS_ALL_SERIES), 0, NULL);
		bool		ok = res != NULL;

		for (int i = 0; ok && i < PQntuples(res); i++)
			ok = series_from_db(conn, PQgetvalue(res, i, 0), NULL, out);
		PQclear(res);
		return ok;
	}
	if (nseries > 0)
	{
		for (int i = 0; i < nseries; i++)
			if (!series_from_db(conn, series[i], NULL, out))
				return false;
		return true;
	}
	for (int i = 0; fresh_key_series[i].series_id; i++)
		if (!series_from_db(conn, fresh_key_series[i].series_id, "AU", out))
			return false;
	return true;
}

bool
fresh_jobs_from_db(PGconn *conn, int64_t at_ms, fresh_jobs *out)
{
	char		at[32];
	const char *params[1] = {at};
	PGresult   *res;

	snprintf(at, sizeof(at), "%lld", (long long) at_ms);
	res = db_query(conn, sqlset_sql(SQLSET_FRESHNESS_JOBS), 1, params);
	if (res == NULL)
		return false;
	for (int i = 0; i < PQntuples(res); i++)
	{
		fresh_job  *j;

		if (out->n == out->cap)
		{
			out->cap = out->cap ? out->cap * 2 : 16;
			out->jobs = mem_realloc(out->jobs, out->cap * sizeof(fresh_job));
		}
		j = &out->jobs[out->n++];
		j->job = mem_strdup(PQgetvalue(res, i, 0));
		j->source_id = dup_or_null(res, i, 1);
		j->last_success_ms = strtoll(PQgetvalue(res, i, 2), NULL, 10);
		j->last_run_ms = strtoll(PQgetvalue(res, i, 3), NULL, 10);
		j->consecutive_failures = strtoll(PQgetvalue(res, i, 4), NULL, 10);
		j->abandoned = strtoll(PQgetvalue(res, i, 5), NULL, 10);
	}
	PQclear(res);
	return true;
}

/* --- a store file ------------------------------------------------------------ */

typedef struct store_run
{
	char	   *job;
	int64_t		started;
	int64_t		finished;
	bool		ok;
} store_run;

struct fresh_store
{
	const char *const *series;
	int			nseries;
	bool		all;
	int64_t		at_ms;
	fresh_set  *out;
	store_run  *runs;
	int			nruns;
	int			capruns;
	sbuf		cadences;		/* "id=cadence\n" ... */
};

/* A field's value as a C string (the record's own), or NULL for null or none. */
static const char *
field_str(const entity_record *rec, const char *name)
{
	const entity_field *f = entity_record_field(rec, name);

	return f && f->type != ENTITY_JSON_NULL ? f->val : NULL;
}

/*
 * Sets *dst to a copy of v (NULL: none), allocating only when the value
 * changes: a series' records mostly share their vintage and source, and
 * a store in date order makes every record its series' latest so far.
 */
static void
set_str(char **dst, const char *v)
{
	if (v != NULL && *dst != NULL && strcmp(*dst, v) == 0)
		return;
	free(*dst);
	*dst = v ? mem_strdup(v) : NULL;
}

static int
cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* The dashboard's compareObservationRecency: true when rec is more recent than p. */
static bool
more_recent(const entity_record *rec, const fresh_point *p)
{
	static const char *const names[] = {"date", "vintage", "publishedAt", "ingestedAt",
	"sourceName", "sourceUrl"};
	const char *const have[] = {p->date, p->vintage, p->published_at, p->ingested_at,
	p->source_name, p->source_url};

	for (int i = 0; i < 6; i++)
	{
		const entity_field *f = entity_record_field(rec, names[i]);
		int			c = cmp_str(f ? f->val : NULL, have[i]);

		if (c != 0)
			return c > 0;
	}
	return false;					/* equal: the first one stays */
}

static bool
wanted(const fresh_store *st, const char *series, const char *region)
{
	if (st->all)
		return true;
	if (st->nseries > 0)
	{
		for (int i = 0; i < st->nseries; i++)
			if (strcmp(st->series[i], series) == 0)
				return true;
		return false;
	}
	if (strcmp(region, "AU") != 0)
		return false;
	for (int i = 0; fresh_key_series[i].series_id; i++)
		if (strcmp(fresh_key_series[i].series_id, series) == 0)
			return true;
	return false;
}

static bool
on_store_record(void *arg, const entity_desc *d, const entity_record *rec)
{
	fresh_store *st = arg;

	if (strcmp(d->name, "observations") == 0)
	{
		const char *series = field_str(rec, "seriesId");
		const char *region = field_str(rec, "regionCode");
		fresh_point *p = NULL;

		if (series && region && wanted(st, series, region))
		{
			for (int i = st->out->n - 1; i >= 0 && p == NULL; i--)
				if (strcmp(st->out->points[i].series_id, series) == 0 &&
					strcmp(st->out->points[i].region, region) == 0)
					p = &st->out->points[i];
			if (p == NULL)
				p = add_point(st->out, series, region);
			if (p->date == NULL || more_recent(rec, p))
			{
				set_str(&p->date, field_str(rec, "date"));
				set_str(&p->vintage, field_str(rec, "vintage"));
				set_str(&p->published_at, field_str(rec, "publishedAt"));
				set_str(&p->ingested_at, field_str(rec, "ingestedAt"));
				set_str(&p->source_name, field_str(rec, "sourceName"));
				set_str(&p->source_url, field_str(rec, "sourceUrl"));
				set_str(&p->value, field_str(rec, "value"));
			}
		}
	}
	else if (strcmp(d->name, "ingestionRuns") == 0)
	{
		const entity_field *job = entity_record_field(rec, "job");
		const entity_field *status = entity_record_field(rec, "status");
		const entity_field *started = entity_record_field(rec, "startedAt");
		const entity_field *finished = entity_record_field(rec, "finishedAt");
		store_run  *r;
		int64_t		s;

		if (!job || !status || !started || !isotime_parse(started->val, started->len, &s, NULL) ||
			s > st->at_ms)
			return true;
		if (st->nruns == st->capruns)
		{
			st->capruns = st->capruns ? st->capruns * 2 : 64;
			st->runs = mem_realloc(st->runs, st->capruns * sizeof(store_run));
		}
		r = &st->runs[st->nruns++];
		r->job = mem_strndup(job->val, job->len);
		r->started = s;
		r->finished = s;
		if (finished)
			isotime_parse(finished->val, finished->len, &r->finished, NULL);
		r->ok = status->len != 6 || memcmp(status->val, "failed", 6) != 0;
	}
	else if (strcmp(d->name, "sources") == 0)
	{
		const entity_field *id = entity_record_field(rec, "sourceId");
		const entity_field *cad = entity_record_field(rec, "expectedCadence");

		if (id && cad)
			sbuf_appendf(&st->cadences, "%.*s=%.*s\n", (int) id->len, id->val, (int) cad->len,
						 cad->val);
	}
	return true;
}

static int
run_cmp(const void *a, const void *b)
{
	const store_run *x = a;
	const store_run *y = b;
	int			c = strcmp(x->job, y->job);

	return c ? c : (x->started < y->started ? -1 : x->started > y->started);
}

/* The store's runs, per job. */
static void
store_jobs(fresh_store *st, fresh_jobs *out)
{
	if (st->nruns > 1)
		qsort(st->runs, st->nruns, sizeof(store_run), run_cmp);
	for (int i = 0; i < st->nruns;)
	{
		int			k = i;
		fresh_job  *j;

		if (out->n == out->cap)
		{
			out->cap = out->cap ? out->cap * 2 : 16;
			out->jobs = mem_realloc(out->jobs, out->cap * sizeof(fresh_job));
		}
		j = &out->jobs[out->n++];
		memset(j, 0, sizeof(*j));
		j->job = mem_strdup(st->runs[i].job);
		j->last_success_ms = -1;
		for (; k < st->nruns && strcmp(st->runs[k].job, st->runs[i].job) == 0; k++)
		{
			j->last_run_ms = st->runs[k].started;
			if (st->runs[k].ok)
			{
				j->last_success_ms = st->runs[k].finished;
				j->consecutive_failures = 0;
			}
			else
				j->consecutive_failures++;
		}
		for (const feed_source *fs = feed_registry_sources; fs->source_id; fs++)
			if (strcmp(fs->job, j->job) == 0 && j->source_id == NULL)
				j->source_id = mem_strdup(fs->source_id);
		i = k;
	}
}

fresh_store *
fresh_store_begin(const char *const *series, int nseries, bool all, int64_t at_ms,
				  fresh_set *out)
{
	fresh_store *st = mem_calloc(1, sizeof(*st));

	st->series = series;
	st->nseries = nseries;
	st->all = all;
	st->at_ms = at_ms;
	st->out = out;
	sbuf_init(&st->cadences);
	return st;
}

bool
fresh_store_record(fresh_store *st, const entity_desc *d, const entity_record *rec)
{
	return on_store_record(st, d, rec);
}

void
fresh_store_end(fresh_store **stp, bool ok, fresh_jobs *jobs, char ***cadences)
{
	fresh_store *st = *stp;
	fresh_set  *out = st->out;
	int			n = 0;

	/* key series the store lacks: none, like the dashboard's 1970 */
	for (int i = 0; ok && !st->all && st->nseries == 0 && fresh_key_series[i].series_id; i++)
	{
		bool		found = false;

		for (int k = 0; k < out->n && !found; k++)
			found = strcmp(out->points[k].series_id, fresh_key_series[i].series_id) == 0;
		if (!found)
			add_point(out, fresh_key_series[i].series_id, "AU");
	}
	if (jobs)
		store_jobs(st, jobs);
	for (int i = 0; i < st->nruns; i++)
		free(st->runs[i].job);
	free(st->runs);
	if (cadences)
		*cadences = mem_calloc(1, sizeof(char *));
	for (char *line = st->cadences.data; ok && cadences && line && *line;)
	{
		char	   *nl = strchr(line, '\n');

		*cadences = mem_realloc(*cadences, (n + 2) * sizeof(char *));
		(*cadences)[n++] = mem_strndup(line, nl - line);
		(*cadences)[n] = NULL;
		line = nl + 1;
	}
	sbuf_release(&st->cadences);
	free(st);
	*stp = NULL;
}

bool
fresh_from_store(const char *path, const char *const *series, int nseries, bool all,
				 int64_t at_ms, fresh_set *out, fresh_jobs *jobs, char ***cadences)
{
	static const storeread_handler h = {NULL, NULL, on_store_record, NULL};
	fresh_store *st = fresh_store_begin(series, nseries, all, at_ms, out);
	bool		ok = storeread_file(path, &h, st, true, NULL);

	fresh_store_end(&st, ok, jobs, cadences);
	return ok;
}

int
fresh_point_cmp(const void *a, const void *b)
{
	const fresh_point *x = a;
	const fresh_point *y = b;
	int			c = strcmp(x->series_id, y->series_id);

	return c ? c : strcmp(x->region, y->region);
}
