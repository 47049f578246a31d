/*
 * lib/report/freshness.c - the report of ausdash-freshness(1): how fresh the
 * dashboard's series and sources are, as its API computes it.
 */
#include "base/common.h"

#include "pg/db.h"
#include "feed/feed.h"
#include "feed/feed_registry.h"
#include "model/datetoken.h"
#include "report/fresh.h"
#include "report/freshness.h"
#include "report/health.h"
#include "base/isotime.h"
#include "base/log.h"
#include "base/mem.h"
#include "pg/sqlset.h"
#include "report/report.h"
#include "base/timeutil.h"
#include "base/banned.h"

#define NCADENCES FRESHNESS_NCADENCES

/* Cadences with their own thresholds; any other cadence uses "other". */
const char *const freshness_cadences[NCADENCES] = {"5m", "daily", "monthly", "other"};


static int
cadence_slot(const char *cadence)
{
	for (int i = 0; i < NCADENCES - 1; i++)
		if (cadence && strcmp(cadence, freshness_cadences[i]) == 0)
			return i;
	return NCADENCES - 1;
}

/* A series' cadence: the key-series table's, else the catalog's (map), else other. */
static const char *
cadence_of(const char *series, char **catalog)
{
	for (int i = 0; fresh_key_series[i].series_id; i++)
		if (strcmp(fresh_key_series[i].series_id, series) == 0)
			return fresh_key_series[i].cadence;
	for (int i = 0; catalog && catalog[i]; i++)
	{
		size_t		n = strcspn(catalog[i], "=");

		if (strlen(series) == n && strncmp(catalog[i], series, n) == 0)
			return catalog[i] + n + 1;
	}
	return "other";
}

/*
 * A row's id in dbt's sources.json: source.ausdash.<kind>.<name>[__<region>],
 * the name's dots as underscores (dbt tooling splits ids on dots).
 */
static const char *
dbt_id(char *buf, size_t size, const char *kind, const char *name, const char *region)
{
	size_t		start;

	snprintf(buf, size, "source.ausdash.%s.", kind);
	start = strlen(buf);
	snprintf(buf + start, size - start, "%s%s%s", name, region ? "__" : "", region ? region : "");
	for (char *c = buf + start; *c; c++)
		if (*c == '.')
			*c = '_';
	return buf;
}

static void
series_rows(report *r, const freshness_options *o, fresh_set *set, char **catalog)
{
	long long	stale = 0;
	long long	levels[3] = {0, 0, 0};

	report_section(r, "series");
	if (set->n > 1)
		qsort(set->points, set->n, sizeof(fresh_point), fresh_point_cmp);
	for (int i = 0; i < set->n; i++)
	{
		const fresh_point *p = &set->points[i];
		const char *cadence = cadence_of(p->series_id, catalog);
		int			slot = cadence_slot(cadence);
		const char *token = p->date ? p->date : "1970-01-01";
		long long	lag = fresh_lag_minutes(token, o->at_ms);
		bool		dash_stale = lag < 0 || lag > fresh_threshold(cadence);
		report_level level = lag < 0 || lag > o->error_after[slot] ? REPORT_CRITICAL :
			lag > o->warn_after[slot] ? REPORT_WARNING : REPORT_OK;

		report_row(r, level);
		report_str(r, "series", p->series_id, true);
		report_str(r, "region", p->region, true);
		report_str(r, "cadence", cadence, true);
		report_str(r, "updated_at", token, false);
		report_age(r, "lag", lag, "ausdash_freshness_lag_seconds",
				   "Age of the latest observation's date token, as the dashboard computes it.");
		report_thresholds(r, o->warn_after[slot] * 60.0, o->error_after[slot] * 60.0);
		{
			int64_t		ms = -1;
			char		id[512];

			if (!datetoken_ms(token, &ms))
				ms = -1;
			report_timestamp_sample(r, "ausdash_freshness_latest_timestamp_seconds",
									"The instant the latest observation's date token stands for.",
									p->date ? ms : -1);
			report_loaded_at(r, dbt_id(id, sizeof(id), "series", p->series_id, p->region), ms);
		}
		report_str(r, "dashboard_status", dash_stale ? "stale" : "fresh", false);
		report_int(r, "stale", dash_stale, "ausdash_freshness_stale",
				   "1 when the dashboard shows the series as stale.");
		stale += dash_stale;
		levels[level]++;
	}
	report_summary(r, "%lld of %d series stale", stale, set->n);
	report_perf(r, "series", set->n);
	report_perf(r, "stale", stale);
	report_perf(r, "series_warning", levels[REPORT_WARNING]);
	report_perf(r, "series_critical", levels[REPORT_CRITICAL]);
}

/* The catalog cadence of a source ("id=cadence" list), or NULL. */
static const char *
source_cadence(char **cadences, const char *source)
{
	for (int i = 0; source && cadences && cadences[i]; i++)
	{
		size_t		n = strcspn(cadences[i], "=");

		if (strlen(source) == n && strncmp(cadences[i], source, n) == 0)
			return cadences[i] + n + 1;
	}
	return NULL;
}

static void
source_rows(report *r, const freshness_options *o, fresh_jobs *jobs, char **cadences)
{
	long long	failing = 0;

	report_section(r, "sources");
	for (int i = 0; i < jobs->n; i++)
	{
		fresh_job  *j = &jobs->jobs[i];
		const char *source = j->source_id;
		const char *cadence;
		long		every;
		long long	age = -1;
		report_level level;
		char		when[25] = "";

		for (const feed_source *fs = feed_registry_sources; source == NULL && fs->source_id; fs++)
			if (strcmp(fs->job, j->job) == 0)
				source = fs->source_id;
		cadence = source_cadence(cadences, source);
		every = fresh_cadence_minutes(cadence);
		if (j->last_success_ms >= 0)
		{
			age = o->at_ms > j->last_success_ms ? (o->at_ms - j->last_success_ms) / 60000 : 0;
			isotime_format(j->last_success_ms, false, when);
		}
		level = health_worse(health_success_age(age, every),
							 health_job(j->consecutive_failures, j->abandoned));
		failing += level != REPORT_OK;
		report_row(r, level);
		report_str(r, "source", source ? source : "-", true);
		report_str(r, "job", j->job, true);
		report_str(r, "cadence", cadence ? cadence : "-", false);
		report_str(r, "last_success", when[0] ? when : NULL, false);
		report_age(r, "age", age, "ausdash_freshness_source_success_age_seconds",
				   "Time since the last successful run of the job.");
		if (every > 0)
			report_thresholds(r, 2 * every * 60.0, 4 * every * 60.0);
		report_int(r, "consecutive_failures", j->consecutive_failures,
				   "ausdash_freshness_source_consecutive_failures",
				   "Failed runs of the job since its last success.");
		report_int(r, "abandoned", j->abandoned, "ausdash_freshness_source_abandoned_runs",
				   "Abandoned runs of the job since its last success.");
		report_timestamp_sample(r, "ausdash_freshness_source_last_success_timestamp_seconds",
								"When the job's last successful run finished.", j->last_success_ms);
		{
			char		id[512];

			report_loaded_at(r, dbt_id(id, sizeof(id), "jobs", j->job, NULL), j->last_success_ms);
		}
	}
	report_summary(r, "%lld of %d jobs late or failing", failing, jobs->n);
	report_perf(r, "jobs_failing", failing);
}

/* The first column of a statement's rows, NULL-terminated (NULL: failed). */
static char **
first_column(PGconn *conn, sqlset_id id)
{
	PGresult   *res = db_query(conn, sqlset_sql(id), 0, NULL);
	char	  **list;

	if (res == NULL)
		return NULL;
	list = mem_calloc(PQntuples(res) + 1, sizeof(char *));
	for (int i = 0; i < PQntuples(res); i++)
		list[i] = mem_strdup(PQgetvalue(res, i, 0));
	PQclear(res);
	return list;
}

void
freshness_options_init(freshness_options *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < NCADENCES; i++)
	{
		o->warn_after[i] = fresh_threshold(freshness_cadences[i]);
		o->error_after[i] = -1;
	}
}

int
freshness_cadence(const char *name, size_t len)
{
	for (int i = 0; i < NCADENCES; i++)
		if (len == strlen(freshness_cadences[i]) && strncmp(name, freshness_cadences[i], len) == 0)
			return i;
	return -1;
}

int
freshness_report(freshness_options *o, const report_options *ro, const db_options *dbo)
{
	report	   *r;
	fresh_set	set = {0};
	fresh_jobs	jobs = {0};
	char	  **cadences = NULL;
	char	  **catalog = NULL;
	bool		ok;
	int			code;

	o->at_ms = ro->at_ms;
	for (int i = 0; i < NCADENCES; i++)
		if (o->error_after[i] < 0)
			o->error_after[i] = 3 * o->warn_after[i];
	r = report_new("freshness", ro->fmt, ro->at_ms);
	if (o->store)
		ok = fresh_from_store(o->store, o->series, o->nseries, o->all, ro->at_ms, &set, &jobs,
							  &cadences);
	else
	{
		PGconn	   *conn = db_connect(dbo, -1);

		ok = conn && fresh_from_db(conn, o->series, o->nseries, o->all, &set) &&
			fresh_jobs_from_db(conn, ro->at_ms, &jobs);
		cadences = ok ? first_column(conn, SQLSET_FRESHNESS_SOURCE_CADENCES) : NULL;
		catalog = ok ? first_column(conn, SQLSET_FRESHNESS_SERIES_FREQUENCIES) : NULL;
		ok = ok && cadences && catalog;
		db_disconnect(&conn);
	}
	if (!ok)
		code = report_unknown(r, ro->textfile_dir, log_last_error());
	else
	{
		series_rows(r, o, &set, catalog);
		/* the sources with the default or --all report, not for chosen series */
		if (o->nseries == 0)
			source_rows(r, o, &jobs, cadences);
		code = report_finish(r, ro->textfile_dir);
	}
	for (int i = 0; cadences && cadences[i]; i++)
		free(cadences[i]);
	free(cadences);
	for (int i = 0; catalog && catalog[i]; i++)
		free(catalog[i]);
	free(catalog);
	fresh_set_release(&set);
	fresh_jobs_release(&jobs);
	report_free(&r);
	return code;
}
