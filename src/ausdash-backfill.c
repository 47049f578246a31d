/*
 * src/ausdash-backfill.c - load a whole live-store.json into PostgreSQL,
 * every entity, losslessly and idempotently, in one transaction
 * (lib/run/backfill.h).
 */
#include "base/common.h"

#include <getopt.h>
#include <limits.h>
#include <unistd.h>

#include "cli/opt.h"
#include "base/log.h"
#include "pg/db.h"
#include "run/backfill.h"
#include "load/stage.h"
#include "store/storeread.h"
#include "base/banned.h"

enum
{
	OPT_DRY_RUN = 0x2000,
	OPT_IGNORE_UNKNOWN,
	OPT_INDEX_BUILD,
	OPT_JSON,
	OPT_LOCK_WAIT,
	OPT_MAX_ERRORS,
	OPT_REJECTS,
	OPT_STRICT_DATES,
	OPT_ALLOW_REWIND,
	OPT_COMPARE_ALL
};

static void
help(const char *progname)
{
	printf("%s loads a whole live-store.json into PostgreSQL: every entity,\n"
		   "in one transaction, logged in ingestion_runs.\n\n", progname);
	printf("Usage:\n"
		   "  %s [OPTION]... [FILE|-]\n\n", progname);
	printf("FILE defaults to $AUS_DASH_STORE_PATH, else ./" STOREREAD_DEFAULT_PATH "; \"-\" reads\n"
		   "standard input.\n");
	printf("\nOptions:\n"
		   "      --compare-all         stage and compare every observation, also those\n"
		   "                            the database holds as an earlier backfill copied\n"
		   "                            them (their digests; by default those are skipped)\n"
		   "  -n, --dry-run             read, check, stage and merge, report, then roll back\n"
		   "      --ignore-unknown      skip unknown top-level keys and record fields\n"
		   "                            (with a warning) instead of failing\n"
		   "      --index-build=WHEN    into an empty table, build its indexes \"during\" the\n"
		   "                            insert or \"after\" it (faster; readers of the table\n"
		   "                            wait until the run commits); \"auto\" (default):\n"
		   "                            after for a file of %d MB or more (copied straight\n"
		   "                            into the table) or from %d staged rows on\n"
		   "      --json                print a JSON summary on stdout\n"
		   "      --lock-wait=DURATION  wait this long for a running backfill (default: 0,\n"
		   "                            fail at once)\n"
		   "      --max-errors=N        reject up to N bad records, load the rest and exit\n"
		   "                            with status 2 (default: 0)\n"
		   "      --rejects=FILE        write each rejected record to FILE (NDJSON)\n"
		   "      --allow-cursor-rewind let the store move a source's cursor back\n"
		   "      --strict-dates        reject observations whose date looks like a date\n"
		   "                            but is none (2025-02-30), instead of a warning\n",
		   STAGE_DIRECT_MIN_BYTES / 1000000, STAGE_INDEX_AFTER_MIN_ROWS);
	opt_print_reader_help();
	printf(
		   "  -q, --quiet               print errors only\n"
		   "  -v, --verbose             print a summary, then more (repeat)\n"
		   "  -V, --version             output version information, then exit\n"
		   "  -?, --help                show this help, then exit\n");
	opt_print_connection_help();
	printf("\nExit status: 0 loaded; 1 failed, nothing loaded; 2 loaded with rejected records;\n"
		   "64 usage; 65 bad input, nothing loaded; 66 input not found; 69 database\n"
		   "unavailable; 74 read error; 75 another backfill holds the lock.\n");
}

int
main(int argc, char **argv)
{
	static struct option long_options[] = {
		{"dry-run", no_argument, NULL, 'n'},
		{"ignore-unknown", no_argument, NULL, OPT_IGNORE_UNKNOWN},
		{"index-build", required_argument, NULL, OPT_INDEX_BUILD},
		{"json", no_argument, NULL, OPT_JSON},
		{"lock-wait", required_argument, NULL, OPT_LOCK_WAIT},
		{"max-errors", required_argument, NULL, OPT_MAX_ERRORS},
		{"rejects", required_argument, NULL, OPT_REJECTS},
		{"strict-dates", no_argument, NULL, OPT_STRICT_DATES},
		{"allow-cursor-rewind", no_argument, NULL, OPT_ALLOW_REWIND},
		{"compare-all", no_argument, NULL, OPT_COMPARE_ALL},
		OPT_READER_LONG_OPTIONS,
		OPT_CONNECTION_LONG_OPTIONS,
		OPT_COMMON_LONG_OPTIONS,
		{NULL, 0, NULL, 0}
	};
	backfill_options o;
	db_options	dbo;
	int			c;
	int			code;

	log_init(argv[0]);
	opt_init(argv);
	opt_handle_help_version(argc, argv, help);
	db_options_init(&dbo);
	backfill_options_init(&o);

	while ((c = getopt_long(argc, argv, OPT_CONNECTION_SHORT "nqvV?", long_options, NULL)) != -1)
	{
		if (opt_common(c, help) || opt_connection(&dbo, c, optarg) ||
			opt_reader(c, optarg, &o.reader_upgrades, &o.reader_seed))
			continue;
		switch (c)
		{
			case 'n':
				o.dry_run = true;
				break;
			case OPT_IGNORE_UNKNOWN:
				o.ignore_unknown = true;
				break;
			case OPT_INDEX_BUILD:
				if (!stage_parse_index_build(optarg, &o.index_build))
					log_usage_fatal("invalid value \"%s\" for option --index-build: "
									"expected auto, after or during", optarg);
				break;
			case OPT_JSON:
				o.json = true;
				break;
			case OPT_LOCK_WAIT:
				if (!opt_parse_duration_ms(optarg, "--lock-wait", 0, 86400000L,
										   &o.lock_wait_ms))
					opt_bad_option();
				break;
			case OPT_MAX_ERRORS:
				if (!opt_parse_int(optarg, "--max-errors", 0, INT_MAX, &o.max_errors))
					opt_bad_option();
				break;
			case OPT_REJECTS:
				o.rejects_path = optarg;
				break;
			case OPT_STRICT_DATES:
				o.strict_dates = true;
				break;
			case OPT_ALLOW_REWIND:
				o.allow_rewind = true;
				break;
			case OPT_COMPARE_ALL:
				o.compare_all = true;
				break;
			default:
				opt_bad_option();
		}
	}
	o.input = optind < argc ? argv[optind++] : storeread_default_path();
	opt_no_extra_args(argc, argv, optind);
	if (o.rejects_path && o.max_errors == 0)
		log_usage_fatal("option --rejects needs --max-errors");

	o.fd = opt_open_input(o.input, "store",
						  "Give the store's path as an argument or in AUS_DASH_STORE_PATH.");
	code = backfill_run(&o, &dbo);
	if (o.fd > STDIN_FILENO)
		close(o.fd);
	return code;
}
