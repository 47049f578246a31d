/*
 * src/ausdash-ingest.c - one source feed payload into PostgreSQL: its raw
 * snapshot, its observations, the source's cursor and the run, in one
 * transaction.
 */
#include "base/common.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <unistd.h>

#include "pg/db.h"
#include "feed/feed.h"
#include "feed/feed_registry.h"
#include "base/isotime.h"
#include "load/ingest.h"
#include "cli/ingestopt.h"
#include "run/backend.h"
#include "run/ingestrun.h"
#include "base/log.h"
#include "base/mem.h"
#include "cli/opt.h"
#include "model/reject.h"
#include "base/sbuf.h"
#include "base/sha256.h"
#include "store/storeread.h"
#include "base/timeutil.h"
#include "base/banned.h"


enum
{
	OPT_BACKEND = 0x2000,
	OPT_LIST_FORMATS,
	OPT_MODE,
	OPT_NO_FOOTER_CHECK,
	OPT_STORE
};

static void
help(const char *progname)
{
	printf("%s takes one source feed payload (a file or standard input),\n"
		   "stores it as a raw snapshot, maps it to observations and merges them, with\n"
		   "the source's cursor and the run, in one transaction.\n\n", progname);
	printf("Usage:\n"
		   "  %s --source=SOURCE_ID [OPTION]... [FILE|-]\n\n", progname);
	printf("FILE defaults to standard input.\n");
	printf("\nOptions:\n"
		   "  -s, --source=SOURCE_ID    the source the payload comes from (required)\n"
		   "  -f, --format=FORMAT       the payload's format (default: the source's; see\n"
		   "                            --list-formats)\n"
		   "      --backend=BACKEND     where to write: postgres, store or dual (default:\n"
		   "                            $AUS_DASH_INGEST_BACKEND, else postgres)\n"
		   "      --store=FILE          the store of the store and dual backends (default:\n"
		   "                            $AUS_DASH_STORE_PATH, else ./" STOREREAD_DEFAULT_PATH ")\n"
		   "      --list-formats        list the formats and the sources' defaults, then\n"
		   "                            exit\n"
		   "      --mode=MODE           the run's mode: scheduled (default) or manual\n"
		   "      --no-footer-check     accept AEMO files whose END OF REPORT line count\n"
		   "                            disagrees (trimmed extracts)\n");
	ingestopt_print_help("0 loaded, or a duplicate payload skipped; 1 failed, nothing\n"
						 "loaded; 2 loaded with rejected rows; 3 dual: the backends differ on "
						 "keys the run\ntouched; 64 usage; 65 bad input, nothing loaded; 66 "
						 "input (or store) not found;\n69 database unavailable; 74 read or "
						 "write error (dual: the store was not updated\nafter PostgreSQL "
						 "committed); 75 another run of the source, or another writer\nof the "
						 "store, holds the lock.");
}

static void
list_formats(void)
{
	printf("Formats:\n");
	for (int i = 0; feed_registry_formats[i]; i++)
		printf("  %-20s %s\n", feed_registry_formats[i]->name, feed_registry_formats[i]->summary);
	printf("\nSources and their default formats:\n");
	for (int i = 0; feed_registry_sources[i].source_id; i++)
		printf("  %-26s %-20s %s\n", feed_registry_sources[i].source_id, feed_registry_sources[i].format,
			   feed_registry_sources[i].job);
	exit(log_close_stdout() ? AUSDASH_EXIT_OK : AUSDASH_EXIT_IOERR);
}

/*
 * Reads the whole payload, or INGESTRUN_MAX_PAYLOAD + 1 bytes of it: false when it
 * is larger.  Exits on read errors.
 */
static bool
read_payload(const char *input, sbuf *out)
{
	int			fd = opt_open_input(input, "payload", NULL);

	for (;;)
	{
		ssize_t		n;

		sbuf_grow(out, 256 * 1024);
		n = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			log_fatal(AUSDASH_EXIT_IOERR, "could not read payload \"%s\": %m", input);
		if (n == 0)
			break;
		out->len += n;
		out->data[out->len] = '\0';
		if ((long) out->len > INGESTRUN_MAX_PAYLOAD)
			break;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return (long) out->len <= INGESTRUN_MAX_PAYLOAD;
}

int
main(int argc, char **argv)
{
	static struct option long_options[] = {
		{"backend", required_argument, NULL, OPT_BACKEND},
		{"list-formats", no_argument, NULL, OPT_LIST_FORMATS},
		{"mode", required_argument, NULL, OPT_MODE},
		{"no-footer-check", no_argument, NULL, OPT_NO_FOOTER_CHECK},
		{"store", required_argument, NULL, OPT_STORE},
		INGESTOPT_LONG_OPTIONS,
		OPT_CONNECTION_LONG_OPTIONS,
		OPT_COMMON_LONG_OPTIONS,
		{NULL, 0, NULL, 0}
	};
	ingestrun	r;
	db_options	dbo;
	const char *backend_name = NULL;
	const char *input = "-";
	sbuf		raw;
	bool		too_large;
	int			code;
	int			c;

	log_init(argv[0]);
	opt_init(argv);
	opt_handle_help_version(argc, argv, help);
	db_options_init(&dbo);
	ingestrun_init(&r, "ausdash-ingest");

	while ((c = getopt_long(argc, argv, OPT_CONNECTION_SHORT "f:ns:qvV?", long_options, NULL)) != -1)
	{
		if (opt_common(c, help) || opt_connection(&dbo, c, optarg) ||
			ingestopt_option(&r, c, optarg))
			continue;
		switch (c)
		{
			case OPT_BACKEND:
				backend_name = optarg;
				break;
			case OPT_LIST_FORMATS:
				list_formats();
				break;
			case OPT_MODE:
				if (strcmp(optarg, "scheduled") != 0 && strcmp(optarg, "manual") != 0)
					log_usage_fatal("invalid value \"%s\" for option --mode (scheduled or "
									"manual)", optarg);
				r.lc.run.run_mode = strcmp(optarg, "manual") == 0 ? "manual" : "scheduled";
				break;
			case OPT_NO_FOOTER_CHECK:
				r.check_footer = false;
				break;
			case OPT_STORE:
				r.store_path = optarg;
				break;
			default:
				opt_bad_option();
		}
	}
	if (optind < argc)
		input = argv[optind++];
	opt_no_extra_args(argc, argv, optind);

	/* everything about the options is settled before anything is read */
	if (backend_name == NULL && getenv("AUS_DASH_INGEST_BACKEND") &&
		*getenv("AUS_DASH_INGEST_BACKEND"))
		backend_name = getenv("AUS_DASH_INGEST_BACKEND");
	if (backend_name && (r.backend = backend_find(backend_name)) == NULL)
		log_usage_fatal("unknown backend \"%s\" (expected postgres, store or dual)",
						backend_name);
	if (r.store_path == NULL)
		r.store_path = storeread_default_path();
	ingestopt_check(&r, NULL);

	sbuf_init(&raw);
	too_large = !read_payload(input, &raw);
	code = ingestrun_payload(&r, &dbo, input, &raw, too_large);
	sbuf_release(&raw);
	return code;
}
