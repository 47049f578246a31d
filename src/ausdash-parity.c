/*
 * src/ausdash-parity.c - does a live-store.json hold what the database
 * holds?  (lib/report/parity.h)
 */
#include "base/common.h"

#include <getopt.h>
#include <limits.h>

#include "cli/opt.h"
#include "base/log.h"
#include "pg/db.h"
#include "report/parity.h"
#include "report/report.h"
#include "store/storeread.h"
#include "base/banned.h"

enum
{
	OPT_DEEP = 0x2000,
	OPT_MAX_DIFFS,
	OPT_STORE,
	OPT_WARN_MAX
};

static void
help(const char *progname)
{
	printf("%s compares a live-store.json with the database: counts per entity,\n"
		   "observations a row's store_digest vouches for, the others' (series, region)\n"
		   "segments by count and digest, the keys of the segments that differ, the latest\n"
		   "point per series and region, and the key series' freshness.\n\n",
		   progname);
	printf("Usage:\n"
		   "  %s [--store=FILE] [OPTION]...\n\n", progname);
	printf("Options:\n"
		   "      --store=FILE          the store to compare (default: $AUS_DASH_STORE_PATH,\n"
		   "                            else ./" STOREREAD_DEFAULT_PATH ")\n"
		   "      --deep                digest every observation on both sides, trusting no\n"
		   "                            row's store_digest\n"
		   "      --max-diffs=N         list at most N differing keys (default: 20; all are\n"
		   "                            counted)\n"
		   "      --warn-max=N          up to N differences is a warning, more critical\n"
		   "                            (default: 0, any difference is critical)\n");
	opt_print_reader_help();
	printf(
		   "      --format=FORMAT       text (default), json, prometheus or nagios\n"
		   "      --textfile-dir=DIR    with prometheus: write DIR/ausdash_parity.prom\n"
		   "                            atomically instead of standard output\n"
		   "      --at=TIMESTAMP        judge freshness as of TIMESTAMP (default: now)\n"
		   "      --timeout=DURATION    give up with UNKNOWN (exit 3) after DURATION\n"
		   "                            (default: 10s with --format=nagios, else never;\n"
		   "                            0: never)\n"
		   "  -q, --quiet               print errors only\n"
		   "  -v, --verbose             print more\n"
		   "  -V, --version             output version information, then exit\n"
		   "  -?, --help                show this help, then exit\n");
	opt_print_connection_help();
	printf("\nExit status: 0 in parity, 1 differences up to --warn-max, 2 more, 3 UNKNOWN\n"
		   "(the database or the store could not be read, or --timeout passed), 64 usage\n"
		   "error (3 with --format=nagios).\n");
}

int
main(int argc, char **argv)
{
	static struct option long_options[] = {
		{"deep", no_argument, NULL, OPT_DEEP},
		{"max-diffs", required_argument, NULL, OPT_MAX_DIFFS},
		{"store", required_argument, NULL, OPT_STORE},
		{"warn-max", required_argument, NULL, OPT_WARN_MAX},
		OPT_READER_LONG_OPTIONS,
		OPT_REPORT_LONG_OPTIONS,
		OPT_CONNECTION_LONG_OPTIONS,
		OPT_COMMON_LONG_OPTIONS,
		{NULL, 0, NULL, 0}
	};
	parity_options o = {NULL, 20, 0, true, NULL, false};
	report_options ro;
	db_options	dbo;
	int			c;

	log_init(argv[0]);
	opt_init(argv);
	opt_monitoring_plugin(argc, argv, "parity");
	opt_handle_help_version(argc, argv, help);
	db_options_init(&dbo);
	dbo.timing = true;			/* -v: each query with its time */
	report_options_init(&ro);
	while ((c = getopt_long(argc, argv, OPT_CONNECTION_SHORT "qvV?", long_options, NULL)) != -1)
	{
		if (opt_common(c, help) || opt_connection(&dbo, c, optarg) || opt_report(&ro, c, optarg) ||
			opt_reader(c, optarg, &o.reader_upgrades, &o.reader_seed))
			continue;
		switch (c)
		{
			case OPT_DEEP:
				o.deep = true;
				break;
			case OPT_MAX_DIFFS:
				if (!opt_parse_int(optarg, "--max-diffs", 0, INT_MAX, &o.max_diffs))
					opt_bad_option();
				break;
			case OPT_STORE:
				o.store = optarg;
				break;
			case OPT_WARN_MAX:
				if (!opt_parse_int(optarg, "--warn-max", 0, INT_MAX, &o.warn_max))
					opt_bad_option();
				break;
			default:
				opt_bad_option();
		}
	}
	opt_no_extra_args(argc, argv, optind);
	report_options_check(&ro);
	report_arm_timeout(&ro, "parity", ro.fmt == REPORT_NAGIOS ? 10000 : 0, &dbo);
	if (o.store == NULL)
		o.store = storeread_default_path();
	return parity_report(&o, &ro, &dbo);
}
