/*
 * src/ausdash-migrate.c - apply, roll back, verify and show schema
 * migrations, with a checksum ledger and a lock.
 */
#include "base/common.h"

#include <getopt.h>

#include "pg/db.h"
#include "run/lifecycle.h"
#include "base/log.h"
#include "pg/migrate.h"
#include "cli/opt.h"
#include "pg/sqlset.h"
#include "base/banned.h"

#define MIGRATE_LOCK "migrate"

enum
{
	OPT_DIR = 0x2000,
	OPT_TO,
	OPT_CONFIRM,
	OPT_ALLOW_ORDER,
	OPT_ALLOW_DESTRUCTIVE,
	OPT_LOCK_WAIT,
	OPT_DRY_RUN
};

static void
help(const char *progname)
{
	printf("%s applies, rolls back, verifies and shows ausdash's schema\n"
		   "migrations.\n\n", progname);
	printf("Usage:\n"
		   "  %s [OPTION]... up [--to=VERSION]\n"
		   "  %s [OPTION]... down --to=VERSION --confirm\n"
		   "  %s [OPTION]... status | verify\n"
		   "  %s [OPTION]... baseline --to=VERSION\n"
		   "  %s [OPTION]... repair --to=VERSION\n", progname, progname, progname, progname,
		   progname);
	printf("\nCommands:\n"
		   "  up                        apply pending migrations, one transaction each\n"
		   "  down                      roll back applied migrations above VERSION,\n"
		   "                            newest first\n"
		   "  status                    list every version: applied, pending, failed,\n"
		   "                            changed or missing (exit status as for verify)\n"
		   "  verify                    check the ledger against the files; change nothing\n"
		   "  baseline                  record versions up to VERSION as applied, without\n"
		   "                            running them (for a schema created by other means)\n"
		   "  repair                    record the failed no-transaction migration VERSION\n"
		   "                            as applied, once its statements were finished or\n"
		   "                            undone by hand\n");
	printf("\nOptions:\n"
		   "      --allow-destructive   apply destructive statements without the file marker\n"
		   "      --allow-out-of-order  apply pending versions older than the newest applied\n"
		   "      --confirm             required by \"down\"\n"
		   "      --dir=DIR             migrations directory (default: the one beside\n"
		   "                            the executable, PREFIX/share/ausdash/migrations)\n"
		   "  -n, --dry-run             say what up or down would do; change nothing\n"
		   "      --lock-wait=DURATION  how long to wait for another migrate run\n"
		   "                            (default: 30s)\n"
		   "  -q, --quiet               print errors only\n"
		   "      --to=VERSION          stop at VERSION (up, down, baseline, repair)\n"
		   "  -v, --verbose             say what is done (repeat for more)\n"
		   "  -V, --version             output version information, then exit\n"
		   "  -?, --help                show this help, then exit\n");
	opt_print_connection_help();
	printf("\nExit status: 0 done; 1 a migration failed (rolled back); 10 an applied\n"
		   "file changed; 11 duplicate versions; 12 an applied version is missing;\n"
		   "13 out-of-order version; 14 destructive statement; 15 a no-transaction\n"
		   "migration failed partway; 64 usage; 65 a file does not parse; 69 database\n"
		   "unavailable; 75 lock held.\n");
}

int
main(int argc, char **argv)
{
	static struct option long_options[] = {
		{"allow-destructive", no_argument, NULL, OPT_ALLOW_DESTRUCTIVE},
		{"allow-out-of-order", no_argument, NULL, OPT_ALLOW_ORDER},
		{"confirm", no_argument, NULL, OPT_CONFIRM},
		{"dir", required_argument, NULL, OPT_DIR},
		{"dry-run", no_argument, NULL, 'n'},
		{"lock-wait", required_argument, NULL, OPT_LOCK_WAIT},
		{"to", required_argument, NULL, OPT_TO},
		OPT_CONNECTION_LONG_OPTIONS,
		OPT_COMMON_LONG_OPTIONS,
		{NULL, 0, NULL, 0}
	};
	db_options dbo;
	migrate_flags flags = {false, false, false};
	const char *dir = NULL;
	const char *cmd;
	int			to_version = -1;
	long		lock_wait_ms = 30000;
	bool		confirm = false;
	bool		writes;
	bool		have_ledger = true;
	migrate_set set;
	migrate_ledger ledger;
	PGconn	   *conn;
	int			c;
	int			rc;

	log_init(argv[0]);
	opt_init(argv);
	opt_handle_help_version(argc, argv, help);
	db_options_init(&dbo);

	while ((c = getopt_long(argc, argv, OPT_CONNECTION_SHORT "nqvV?", long_options, NULL)) != -1)
	{
		if (opt_common(c, help) || opt_connection(&dbo, c, optarg))
			continue;
		switch (c)
		{
			case OPT_DIR:
				dir = optarg;
				break;
			case OPT_TO:
				if (!opt_parse_int(optarg, "--to", 0, 99999999, &to_version))
					opt_bad_option();
				break;
			case OPT_CONFIRM:
				confirm = true;
				break;
			case OPT_ALLOW_ORDER:
				flags.allow_out_of_order = true;
				break;
			case OPT_ALLOW_DESTRUCTIVE:
				flags.allow_destructive = true;
				break;
			case OPT_LOCK_WAIT:
				if (!opt_parse_duration_ms(optarg, "--lock-wait", 1000, 86400000L, &lock_wait_ms))
					opt_bad_option();
				break;
			case 'n':
				flags.dry_run = true;
				break;
			default:
				opt_bad_option();
		}
	}
	if (optind >= argc)
		log_usage_fatal("no command given");
	cmd = argv[optind++];
	opt_no_extra_args(argc, argv, optind);

	if (strcmp(cmd, "up") != 0 && strcmp(cmd, "down") != 0 &&
		strcmp(cmd, "status") != 0 && strcmp(cmd, "verify") != 0 &&
		strcmp(cmd, "baseline") != 0 && strcmp(cmd, "repair") != 0)
		log_usage_fatal("unrecognized command \"%s\"", cmd);
	if (strcmp(cmd, "down") == 0 && to_version < 0)
		log_usage_fatal("command \"down\" requires --to=VERSION (0 rolls back everything)");
	if (strcmp(cmd, "down") == 0 && !confirm && !flags.dry_run)
		log_usage_fatal("command \"down\" drops schema objects and their data; add --confirm to proceed");
	if ((strcmp(cmd, "baseline") == 0 || strcmp(cmd, "repair") == 0) && to_version < 0)
		log_usage_fatal("command \"%s\" requires --to=VERSION", cmd);
	if (to_version >= 0 && (strcmp(cmd, "status") == 0 || strcmp(cmd, "verify") == 0))
		log_usage_fatal("option --to cannot be used with command \"%s\"", cmd);

	rc = migrate_set_load(&set, migrate_default_dir(dir));
	if (rc != 0)
	{
		migrate_set_release(&set);
		return rc;
	}

	conn = db_connect(&dbo, AUSDASH_EXIT_UNAVAILABLE);
	writes = strcmp(cmd, "status") != 0 && strcmp(cmd, "verify") != 0 && !flags.dry_run;
	if (writes)
	{
		rc = lifecycle_lock(conn, MIGRATE_LOCK, lock_wait_ms,
							"another ausdash-migrate run holds the migration lock");
		if (rc == 0 && !migrate_ledger_ensure(conn))
			rc = AUSDASH_EXIT_FAILURE;
		if (rc != 0)
		{
			db_disconnect(&conn);
			migrate_set_release(&set);
			return rc;
		}
	}
	else
	{
		PGresult   *res = db_query(conn, sqlset_sql(SQLSET_MIGRATE_LEDGER_EXISTS), 0, NULL);

		if (res == NULL)
		{
			db_disconnect(&conn);
			migrate_set_release(&set);
			return AUSDASH_EXIT_FAILURE;
		}
		have_ledger = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
	}

	memset(&ledger, 0, sizeof(ledger));
	if (have_ledger && !migrate_ledger_load(conn, &ledger))
	{
		db_disconnect(&conn);
		migrate_set_release(&set);
		return AUSDASH_EXIT_FAILURE;
	}

	if (strcmp(cmd, "status") == 0)
	{
		migrate_print_status(&set, &ledger);
		rc = migrate_check(&set, &ledger, &flags, -1);
		if (rc == 0)
			rc = migrate_check_failed(&set, &ledger);
	}
	else if (strcmp(cmd, "verify") == 0)
	{
		rc = migrate_check(&set, &ledger, &flags, -1);
		if (rc == 0)
			rc = migrate_check_failed(&set, &ledger);
		if (rc == 0)
			log_info("schema migrations verified: %d applied, %d files", ledger.nrows, set.nfiles);
	}
	else if (strcmp(cmd, "up") == 0)
	{
		rc = migrate_check(&set, &ledger, &flags, to_version);
		if (rc == 0)
			rc = migrate_up(conn, &set, &ledger, to_version, &flags);
	}
	else if (strcmp(cmd, "down") == 0)
	{
		/*
		 * Changed or missing files make a rollback unsafe; pending files'
		 * order and contents do not matter to it.
		 */
		migrate_flags down_flags = {true, true, flags.dry_run};

		rc = migrate_check(&set, &ledger, &down_flags, -1);
		if (rc == 0)
			rc = migrate_down(conn, &set, &ledger, to_version, &flags);
	}
	else if (strcmp(cmd, "repair") == 0)
		rc = migrate_repair(conn, &set, &ledger, to_version);
	else
		rc = migrate_baseline(conn, &set, &ledger, to_version);

	migrate_ledger_release(&ledger);
	migrate_set_release(&set);
	db_disconnect(&conn);
	if (!log_close_stdout() && rc == 0)
		rc = AUSDASH_EXIT_IOERR;
	return rc;
}
