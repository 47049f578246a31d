/*
 * src/ausdash-freshness.c - how fresh the dashboard's series and sources
 * are, computed as its API computes it, for people and for monitoring
 * (lib/report/freshness.h).
 */
#include "base/common.h"

#include <getopt.h>

#include "cli/opt.h"
#include "base/log.h"
#include "pg/db.h"
#include "report/freshness.h"
#include "report/report.h"
#include "base/banned.h"

enum
{
	OPT_ALL = 0x2000,
	OPT_ERROR_AFTER,
	OPT_SERIES,
	OPT_STORE,
	OPT_WARN_AFTER
};

static void
help(const char *progname)
{
	printf("%s reports how fresh the dashboard's series and sources are:\n"
		   "per series and region the latest date, its lag and status, computed as the\n"
		   "dashboard's API computes them; per source the age of its last successful run\n"
		   "and its failures.\n\n",
		   progname);
	printf("Usage:\n"
		   "  %s [OPTION]...\n\n", progname);
	printf("Options:\n"
		   "      --format=FORMAT       text (default), json, prometheus, nagios or dbt\n"
		   "                            (dbt's sources.json, schema v3)\n"
		   "      --textfile-dir=DIR    with prometheus: write DIR/ausdash_freshness.prom\n"
		   "                            atomically instead of standard output\n"
		   "      --at=TIMESTAMP        evaluate as of TIMESTAMP (default: now)\n"
		   "      --timeout=DURATION    give up with UNKNOWN (exit 3) after DURATION\n"
		   "                            (default: 10s; 0: never)\n"
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
		   "unreachable, or --timeout passed), 64 usage error (3 with --format=nagios).\n");
}

/* --warn-after/--error-after CADENCE=DURATION into minutes[cadence] */
static void
parse_after(const char *arg, const char *opt, long *minutes)
{
	const char *eq = strchr(arg, '=');
	int			i = eq ? freshness_cadence(arg, (size_t) (eq - arg)) : -1;
	long		ms;

	if (i < 0)
		log_usage_fatal("invalid value \"%s\" for option %s (CADENCE=DURATION, CADENCE one of "
						"5m, daily, monthly, other)", arg, opt);
	if (!opt_parse_duration_ms(eq + 1, opt, 60000, 3650L * 86400000L, &ms))
		opt_bad_option();
	minutes[i] = ms / 60000;
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
	freshness_options o;
	report_options ro;
	db_options	dbo;
	int			c;

	log_init(argv[0]);
	opt_init(argv);
	opt_monitoring_plugin(argc, argv, "freshness");
	opt_handle_help_version(argc, argv, help);
	db_options_init(&dbo);
	dbo.timing = true;			/* -v: each query with its time */
	dbo.no_jit = true;			/* short statements (sql/pg/session.sql) */
	report_options_init(&ro);
	ro.dbt = true;
	freshness_options_init(&o);
	while ((c = getopt_long(argc, argv, OPT_CONNECTION_SHORT "qvV?", long_options, NULL)) != -1)
	{
		if (opt_common(c, help) || opt_connection(&dbo, c, optarg) || opt_report(&ro, c, optarg))
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
				if (o.nseries == FRESHNESS_MAX_SERIES)
					log_usage_fatal("more than %d --series options", FRESHNESS_MAX_SERIES);
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
	report_options_check(&ro);
	report_arm_timeout(&ro, "freshness", 10000, &dbo);
	if (o.all && o.nseries > 0)
		log_usage_fatal("options --all and --series cannot be used together");
	return freshness_report(&o, &ro, &dbo);
}
