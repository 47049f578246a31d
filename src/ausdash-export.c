/*
 * src/ausdash-export.c - PostgreSQL back out as live-store.json, every
 * entity, from one consistent snapshot of the database, streaming: the
 * rollback path to the dashboard's file store (lib/load/export.h).
 */
#include "base/common.h"

#include <getopt.h>

#include "cli/opt.h"
#include "load/export.h"
#include "base/log.h"
#include "pg/db.h"
#include "base/banned.h"

enum
{
	OPT_LOCK_WAIT = 0x2000
};

static void
help(const char *progname)
{
	printf("%s writes the database out as a live-store.json, every entity,\n"
		   "from one consistent snapshot: the way back to the dashboard's file store.\n\n",
		   progname);
	printf("Usage:\n"
		   "  %s [OPTION]...\n\n", progname);
	printf("Options:\n"
		   "  -o, --output=FILE         write FILE atomically (locked, temporary file,\n"
		   "                            rename); default: standard output\n"
		   "      --lock-wait=DURATION  wait this long for another writer of FILE\n"
		   "                            (default: 0, fail at once)\n"
		   "  -q, --quiet               print errors only\n"
		   "  -v, --verbose             print what was written\n"
		   "  -V, --version             output version information, then exit\n"
		   "  -?, --help                show this help, then exit\n");
	opt_print_connection_help();
	printf("\nExit status: 0 written; 1 failed, FILE unchanged; 64 usage; 69 database\n"
		   "unavailable; 74 write error; 75 another writer holds FILE's lock.\n");
}

int
main(int argc, char **argv)
{
	static struct option long_options[] = {
		{"output", required_argument, NULL, 'o'},
		{"lock-wait", required_argument, NULL, OPT_LOCK_WAIT},
		OPT_CONNECTION_LONG_OPTIONS,
		OPT_COMMON_LONG_OPTIONS,
		{NULL, 0, NULL, 0}
	};
	db_options	dbo;
	export_options o = {"-", 0};
	int			c;

	log_init(argv[0]);
	opt_init(argv);
	opt_handle_help_version(argc, argv, help);
	db_options_init(&dbo);
	while ((c = getopt_long(argc, argv, OPT_CONNECTION_SHORT "o:qvV?", long_options, NULL)) != -1)
	{
		if (opt_common(c, help) || opt_connection(&dbo, c, optarg))
			continue;
		switch (c)
		{
			case 'o':
				o.output = optarg;
				break;
			case OPT_LOCK_WAIT:
				if (!opt_parse_duration_ms(optarg, "--lock-wait", 0, 86400000L, &o.lock_wait_ms))
					opt_bad_option();
				break;
			default:
				opt_bad_option();
		}
	}
	opt_no_extra_args(argc, argv, optind);
	return export_run(&o, &dbo);
}
