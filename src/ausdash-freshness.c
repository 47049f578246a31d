/*
 * src/ausdash-freshness.c - how fresh the dashboard's series and sources
 * are, computed as its API computes it, for people and for monitoring.
 */
#include "base/common.h"

#include <getopt.h>

#include "pg/db.h"
#include "feed/feed.h"
#include "feed/feed_registry.h"
#include "report/fresh.h"
#include "base/isotime.h"
#include "base/log.h"
#include "base/mem.h"
#include "cli/opt.h"
#include "pg/sqlset.h"
#include "report/report.h"
#include "base/timeutil.h"
#include "base/banned.h"

#define MAX_SERIES 256
#define NCADENCES 4

enum
{
	OPT_ALL = 0x2000,
	OPT_ERROR_AFTER,
	OPT_SERIES,
	OPT_STORE,
	OPT_WARN_AFTER
};

/* Cadences with their own thresholds; any other cadence uses "other". */
static const char *const cadence_names[NCADENCES] = {"5m", "daily", "monthly", "other"};

typedef struct options
{
	report_options ro;
	const char *series[MAX_SERIES];
	int			nseries;
	bool		all;
	const char *store;
	long		warn_after[NCADENCES];	/* minutes */
	long		error_after[NCADENCES];
} options;

static void
help(const char *progname)
{
	printf("%s reports how fresh the dashboard's series and sources are: per series and\n"
		   "region the latest date, its lag and status, computed as the dashboard's API\n"
		   "computes them; per source the age of its last successful run and its failures.\n\n",
		   progname);
	printf("Usage:\n"
		   "  %s [OPTION]...\n\n", progname);
	printf("Options:\n"
		   "      --format=FORMAT       text (default), json, prometheus or nagios\n"
		   "      --textfile-dir=DIR    with prometheus: write DIR/ausdash_freshness.prom\n"
		   "                            atomically instead of standard output\n"
		   "      --at=TIMESTAMP        evaluate as of TIMESTAMP (default: now)\n"
		   "      --series=SERIES_ID    only this series, every region (repeatable; default:\n"
		   "                            the dashboard's key series, region AU, and the\n"
		   "                            sources)\n"
		   "      --all                 every series and region\n"
		   "      --store=FILE          read a live-store.json instead of the database\n"
		   "      --warn-after=CADENCE=DURATION\n"
		   "                            warning when a series of CADENCE (5m, daily,\n"
		   "                            monthly, other) lags more (default: the dashboard's\n"
		   "                            stale threshold: 20min, 48h, 72h, 7d)\n"
		   "      --error-after=CADENCE=DURATION\n"
		   "                            critical when it lags more (default: 3 times that)\n"
		   "  -q, --quiet               print errors only\n"
		   "  -v, --verbose             print more\n"
		   "  -V, --version             output version information, then exit\n"
		   "  -?, --help                show this help, then exit\n");
	opt_print_connection_help();
	printf("\nExit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (e.g. the database is\n"
		   "unreachable), 64 usage error.\n");
}

static void
parse_after(const char *arg, const char *opt, long *minutes)
{
	const char *eq = strchr(arg, '=');
	long		ms;

	for (int i = 0; eq && i < NCADENCES; i++)
		if ((size_t) (eq - arg) == strlen(cadence_names[i]) &&
			strncmp(arg, cadence_names[i], eq - arg) == 0)
		{
			if (!opt_parse_duration_ms(eq + 1, opt, 60000, 3650L * 86400000L, &ms))
				opt_bad_option();
			minutes[i] = ms / 60000;
			return;
		}
	log_usage_fatal("invalid value \"%s\" for option %s (CADENCE=DURATION, CADENCE one of "
					"5m, daily, monthly, other)", arg, opt);
}

static int
cadence_slot(const char *cadence)
{
	for (int i = 0; i < NCADENCES - 1; i++)
		if (cadence && strcmp(cadence, cadence_names[i]) == 0)
			return i;
	return NCADENCES - 1;
}

static int
point_cmp(const void *a, const void *b)
{
	const fresh_point *x = a;
	const fresh_point *y = b;
	int			c = strcmp(x->series_id, y->series_id);

	return c ? c : strcmp(x->region, y->region);
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

static void
series_rows(report *r, const options *o, fresh_set *set, char **catalog)
{
	long long	stale = 0;
	long long	levels[3] = {0, 0, 0};

	report_section(r, "series");
	if (set->n > 1)
		qsort(set->points, set->n, sizeof(fresh_point), point_cmp);
	for (int i = 0; i < set->n; i++)
	{
		const fresh_point *p = &set->points[i];
		const char *cadence = cadence_of(p->series_id, catalog);
		int			slot = cadence_slot(cadence);
		const char *token = p->date ? p->date : "1970-01-01";
		long long	lag = fresh_lag_minutes(token, o->ro.at_ms);
		bool		dash_stale = lag < 0 || lag > fresh_threshold(cadence);
		report_level level = lag < 0 || lag > o->error_after[slot] ? REPORT_CRITICAL :
			lag > o->warn_after[slot] ? REPORT_WARNING : REPORT_OK;
		char		seconds[32];

		snprintf(seconds, sizeof(seconds), lag < 0 ? "+Inf" : "%lld", lag * 60);
		report_row(r, level);
		report_str(r, "series", p->series_id, true);
		report_str(r, "region", p->region, true);
		report_str(r, "cadence", cadence, true);
		report_str(r, "updated_at", token, false);
		if (lag < 0)
			report_num(r, "lag_minutes", NULL, NULL, NULL);
		else
			report_int(r, "lag_minutes", lag, NULL, NULL);
		report_num(r, "lag_seconds", seconds, "ausdash_freshness_lag_seconds",
				   "Age of the latest observation's date token, as the dashboard computes it.");
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
source_rows(report *r, const options *o, fresh_jobs *jobs, char **cadences)
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
		report_level level = REPORT_OK;
		char		when[25] = "";
		char		seconds[32];

		for (const feed_source *fs = feed_registry_sources; source == NULL && fs->source_id; fs++)
			if (strcmp(fs->job, j->job) == 0)
				source = fs->source_id;
		cadence = source_cadence(cadences, source);
		every = fresh_cadence_minutes(cadence);
		if (j->last_success_ms >= 0)
		{
			age = o->ro.at_ms > j->last_success_ms ? (o->ro.at_ms - j->last_success_ms) / 60000 : 0;
			isotime_format(j->last_success_ms, false, when);
		}
		if (every > 0 && (age < 0 || age > 4 * every))
			level = REPORT_CRITICAL;
		else if (every > 0 && age > 2 * every)
			level = REPORT_WARNING;
		/* a job failing twice in a row is critical, once a warning */
		if (j->consecutive_failures >= 2)
			level = REPORT_CRITICAL;
		else if ((j->consecutive_failures == 1 || j->abandoned > 0) && level < REPORT_WARNING)
			level = REPORT_WARNING;
		failing += level != REPORT_OK;
		snprintf(seconds, sizeof(seconds), age < 0 ? "+Inf" : "%lld", age * 60);
		report_row(r, level);
		report_str(r, "source", source ? source : "-", true);
		report_str(r, "job", j->job, true);
		report_str(r, "cadence", cadence ? cadence : "-", false);
		report_str(r, "last_success", when[0] ? when : NULL, false);
		if (age < 0)
			report_num(r, "age_minutes", NULL, NULL, NULL);
		else
			report_int(r, "age_minutes", age, NULL, NULL);
		report_num(r, "age_seconds", seconds, "ausdash_freshness_source_success_age_seconds",
				   "Time since the last successful run of the job.");
		report_int(r, "consecutive_failures", j->consecutive_failures,
				   "ausdash_freshness_source_consecutive_failures",
				   "Failed runs of the job since its last success.");
		report_int(r, "abandoned", j->abandoned, "ausdash_freshness_source_abandoned_runs",
				   "Abandoned runs of the job since its last success.");
	}
	report_summary(r, "%lld of %d jobs late or failing", failing, jobs->n);
	report_perf(r, "jobs_failing", failing);
}

int
main(int argc, char **argv)
{
	static struct option long_options[] = {
		{"all", no_argument, NULL, OPT_ALL},
		{"error-after", required_argument, NULL, OPT_ERROR_AFTER},
		{"series", required_argument, NULL, OPT_SERIES},
		{"store", required_argument, NULL, OPT_STORE},
		{"warn-after", required_argument, NULL, OPT_WARN_AFTER},
		OPT_REPORT_LONG_OPTIONS,
		OPT_CONNECTION_LONG_OPTIONS,
		OPT_COMMON_LONG_OPTIONS,
		{NULL, 0, NULL, 0}
	};
	options		o = {0};
	db_options	dbo;
	report	   *r;
	fresh_set	set = {0};
	fresh_jobs	jobs = {0};
	char	  **cadences = NULL;
	char	  **catalog = NULL;
	bool		ok;
	int			code;
	int			c;

	log_init(argv[0]);
	opt_init(argv);
	opt_handle_help_version(argc, argv, help);
	db_options_init(&dbo);
	report_options_init(&o.ro);
	for (int i = 0; i < NCADENCES; i++)
	{
		o.warn_after[i] = fresh_threshold(cadence_names[i]);
		o.error_after[i] = -1;
	}
	while ((c = getopt_long(argc, argv, "d:qvV?", long_options, NULL)) != -1)
	{
		if (opt_common(c, help) || opt_connection(&dbo, c, optarg) || opt_report(&o.ro, c, optarg))
			continue;
		switch (c)
		{
			case OPT_ALL:
				o.all = true;
				break;
			case OPT_ERROR_AFTER:
				parse_after(optarg, "--error-after", o.error_after);
				break;
			case OPT_SERIES:
				if (o.nseries == MAX_SERIES)
					log_usage_fatal("more than %d --series options", MAX_SERIES);
				o.series[o.nseries++] = optarg;
				break;
			case OPT_STORE:
				o.store = optarg;
				break;
			case OPT_WARN_AFTER:
				parse_after(optarg, "--warn-after", o.warn_after);
				break;
			default:
				opt_bad_option();
		}
	}
	opt_no_extra_args(argc, argv, optind);
	report_options_check(&o.ro);
	if (o.all && o.nseries > 0)
		log_usage_fatal("options --all and --series cannot be used together");
	for (int i = 0; i < NCADENCES; i++)
		if (o.error_after[i] < 0)
			o.error_after[i] = 3 * o.warn_after[i];

	r = report_new("freshness", o.ro.fmt, o.ro.at_ms);
	if (o.store)
		ok = fresh_from_store(o.store, o.series, o.nseries, o.all, o.ro.at_ms, &set, &jobs,
							  &cadences);
	else
	{
		PGconn	   *conn = db_connect(&dbo, -1);
		PGresult   *res;

		ok = conn && fresh_from_db(conn, o.series, o.nseries, o.all, &set) &&
			fresh_jobs_from_db(conn, o.ro.at_ms, &jobs);
		res = ok ? db_query(conn, sqlset_sql(SQLSET_FRESHNESS_SOURCE_CADENCES), 0, NULL) : NULL;
		if (res)
		{
			cadences = mem_calloc(PQntuples(res) + 1, sizeof(char *));
			for (int i = 0; i < PQntuples(res); i++)
				cadences[i] = mem_strdup(PQgetvalue(res, i, 0));
			PQclear(res);
		}
		res = ok ? db_query(conn, sqlset_sql(SQLSET_FRESHNESS_SERIES_FREQUENCIES), 0, NULL) : NULL;
		if (res)
		{
			catalog = mem_calloc(PQntuples(res) + 1, sizeof(char *));
			for (int i = 0; i < PQntuples(res); i++)
				catalog[i] = mem_strdup(PQgetvalue(res, i, 0));
			PQclear(res);
		}
		ok = ok && cadences && catalog;
		db_disconnect(&conn);
	}
	if (!ok)
		code = report_unknown(r, o.ro.textfile_dir, log_last_error());
	else
	{
		series_rows(r, &o, &set, catalog);
		/* the sources with the default or --all report, not for chosen series */
		if (o.nseries == 0)
			source_rows(r, &o, &jobs, cadences);
		code = report_finish(r, o.ro.textfile_dir);
	}
	for (int i = 0; cadences && cadences[i]; i++)
		free(cadences[i]);
	free(cadences);
	for (int i = 0; catalog && catalog[i]; i++)
		free(catalog[i]);
	free(catalog);
	fresh_set_free(&set);
	fresh_jobs_free(&jobs);
	report_free(&r);
	return code;
}
