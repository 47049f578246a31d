/*
 * src/ausdash-runs.c - the health of the run ledger (ingestion_runs), per
 * job, for people and for monitoring.
 */
#include "base/common.h"

#include <getopt.h>

#include "pg/db.h"
#include "base/isotime.h"
#include "base/log.h"
#include "cli/opt.h"
#include "pg/sqlset.h"
#include "report/health.h"
#include "report/report.h"
#include "base/timeutil.h"
#include "base/banned.h"

enum
{
	OPT_MAX_RUNNING = 0x2000,
	OPT_WINDOW
};

static void
help(const char *progname)
{
	printf("%s reports the health of the run ledger per job: the last run\n"
		   "and the last success with their ages, consecutive failures, rows over a\n"
		   "window, and runs that are running, too long, or abandoned.\n\n", progname);
	printf("Usage:\n"
		   "  %s [OPTION]...\n\n", progname);
	printf("Options:\n"
		   "      --format=FORMAT       text (default), json, prometheus or nagios\n"
		   "      --textfile-dir=DIR    with prometheus: write DIR/ausdash_runs.prom\n"
		   "                            atomically instead of standard output\n"
		   "      --at=TIMESTAMP        evaluate as of TIMESTAMP (default: now)\n"
		   "      --timeout=DURATION    give up with UNKNOWN (exit 3) after DURATION\n"
		   "                            (default: 10s; 0: never)\n"
		   "      --window=DURATION     the window of the row totals (default: 24h)\n"
		   "      --max-running=DURATION\n"
		   "                            warning when a run has been running longer\n"
		   "                            (default: 1h)\n"
		   "  -q, --quiet               print errors only\n"
		   "  -v, --verbose             print more\n"
		   "  -V, --version             output version information, then exit\n"
		   "  -?, --help                show this help, then exit\n");
	opt_print_connection_help();
	printf("\nExit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (e.g. the database is\n"
		   "unreachable, or --timeout passed), 64 usage error (3 with --format=nagios).\n");
}

int
main(int argc, char **argv)
{
	static struct option long_options[] = {
		{"max-running", required_argument, NULL, OPT_MAX_RUNNING},
		{"window", required_argument, NULL, OPT_WINDOW},
		OPT_REPORT_LONG_OPTIONS,
		OPT_CONNECTION_LONG_OPTIONS,
		OPT_COMMON_LONG_OPTIONS,
		{NULL, 0, NULL, 0}
	};
	db_options	dbo;
	report_options ro;
	long		window_ms = 86400000L;
	long		max_running_ms = 3600000L;
	report	   *r;
	PGconn	   *conn;
	PGresult   *res = NULL;
	char		at[32];
	char		window[32];
	long long	failing = 0;
	long long	abandoned_total = 0;
	int			code;
	int			c;

	log_init(argv[0]);
	opt_init(argv);
	opt_monitoring_plugin(argc, argv, "runs");
	opt_handle_help_version(argc, argv, help);
	db_options_init(&dbo);
	dbo.timing = true;			/* -v: each query with its time */
	dbo.no_jit = true;			/* short statements (sql/pg/session.sql) */
	report_options_init(&ro);
	while ((c = getopt_long(argc, argv, OPT_CONNECTION_SHORT "qvV?", long_options, NULL)) != -1)
	{
		if (opt_common(c, help) || opt_connection(&dbo, c, optarg) || opt_report(&ro, c, optarg))
			continue;
		switch (c)
		{
			case OPT_MAX_RUNNING:
				if (!opt_parse_duration_ms(optarg, "--max-running", 60000, 3650L * 86400000L,
										   &max_running_ms))
					opt_bad_option();
				break;
			case OPT_WINDOW:
				if (!opt_parse_duration_ms(optarg, "--window", 3600000L, 3650L * 86400000L,
										   &window_ms))
					opt_bad_option();
				break;
			default:
				opt_bad_option();
		}
	}
	opt_no_extra_args(argc, argv, optind);
	report_options_check(&ro);
	report_arm_timeout(&ro, "runs", 10000, &dbo);

	r = report_new("runs", ro.fmt, ro.at_ms);
	snprintf(at, sizeof(at), "%lld", (long long) ro.at_ms);
	snprintf(window, sizeof(window), "%ld", window_ms);
	conn = db_connect(&dbo, -1);
	if (conn)
		res = db_query(conn, sqlset_sql(SQLSET_RUNS_JOBS), 2, (const char *[]) {at, window});
	if (res == NULL)
	{
		code = report_unknown(r, ro.textfile_dir, log_last_error());
		db_disconnect(&conn);
		report_free(&r);
		return code;
	}
	report_section(r, "jobs");
	for (int i = 0; i < PQntuples(res); i++)
	{
		long long	last = strtoll(PQgetvalue(res, i, 1), NULL, 10);
		long long	ok = strtoll(PQgetvalue(res, i, 3), NULL, 10);
		long long	failures = strtoll(PQgetvalue(res, i, 4), NULL, 10);
		long long	running = strtoll(PQgetvalue(res, i, 7), NULL, 10);
		long long	longest = strtoll(PQgetvalue(res, i, 8), NULL, 10);
		long long	abandoned = strtoll(PQgetvalue(res, i, 9), NULL, 10);
		report_level level;
		char		last_iso[25];
		char		ok_iso[25];
		char		age[32];

		level = health_worse(health_job(failures, abandoned),
							 running > 0 && longest * 1000 > max_running_ms ?
							 REPORT_WARNING : REPORT_OK);
		failing += level != REPORT_OK;
		abandoned_total += abandoned;
		isotime_format(last, false, last_iso);
		if (ok >= 0)
			isotime_format(ok, false, ok_iso);
		snprintf(age, sizeof(age), ok < 0 ? "+Inf" : "%lld", (ro.at_ms - ok) / 1000);
		report_row(r, level);
		report_str(r, "job", PQgetvalue(res, i, 0), true);
		report_str(r, "last_run", last_iso, false);
		report_str(r, "last_status", PQgetvalue(res, i, 2), false);
		report_str(r, "last_success", ok >= 0 ? ok_iso : NULL, false);
		report_num(r, "success_age_seconds", age, "ausdash_runs_success_age_seconds",
				   "Time since the job's last successful run.");
		report_int(r, "consecutive_failures", failures, "ausdash_runs_consecutive_failures",
				   "Failed or crashed (abandoned) runs of the job since its last success.");
		report_num(r, "rows_inserted", PQgetvalue(res, i, 5), "ausdash_runs_rows_inserted",
				   "Rows inserted by the job's runs in the window.");
		report_num(r, "rows_updated", PQgetvalue(res, i, 6), "ausdash_runs_rows_updated",
				   "Rows updated by the job's runs in the window.");
		report_int(r, "running", running, "ausdash_runs_running",
				   "Runs of the job running now (their session holds the lock).");
		report_int(r, "running_seconds", longest, NULL, NULL);
		report_int(r, "abandoned", abandoned, "ausdash_runs_abandoned",
				   "Abandoned runs of the job since its last success (also running rows "
				   "whose lock is gone).");
		report_timestamp_sample(r, "ausdash_runs_last_run_timestamp_seconds",
								"When the job's last run started.", last);
		report_timestamp_sample(r, "ausdash_runs_last_success_timestamp_seconds",
								"When the job's last successful run finished.", ok);
	}
	report_summary(r, "%lld of %d jobs failing or with abandoned or long runs", failing,
				   PQntuples(res));
	report_perf(r, "jobs", PQntuples(res));
	report_perf(r, "jobs_failing", failing);
	report_perf(r, "abandoned", abandoned_total);
	PQclear(res);
	db_disconnect(&conn);
	code = report_finish(r, ro.textfile_dir);
	report_free(&r);
	return code;
}
