/*
 * src/ausdash-replay.c - re-run the current mapping over a source's stored
 * raw snapshots, in capture order, and merge the result, in one
 * transaction (what an operator runs after a parser fix).
 */
#include "base/common.h"

#include <getopt.h>
#include <limits.h>

#include "pg/db.h"
#include "feed/feed.h"
#include "feed/feed_registry.h"
#include "load/ingest.h"
#include "cli/ingestopt.h"
#include "run/ingestrun.h"
#include "run/lifecycle.h"
#include "base/isotime.h"
#include "base/log.h"
#include "cli/opt.h"
#include "pg/sqlset.h"
#include "base/banned.h"

enum
{
	OPT_SINCE = 0x2000,
	OPT_UNTIL,
	OPT_SNAPSHOT
};

static void
help(const char *progname)
{
	printf("%s re-runs the current mapping over a source's stored raw\n"
		   "snapshots, in capture order, and merges the observations, the cursor and the\n"
		   "run in one transaction (run mode \"replay\").\n\n", progname);
	printf("Usage:\n"
		   "  %s --source=SOURCE_ID [OPTION]...\n\n", progname);
	printf("Options:\n"
		   "  -s, --source=SOURCE_ID    the source whose snapshots to replay (required)\n"
		   "  -f, --format=FORMAT       map every snapshot with FORMAT (default: the format\n"
		   "                            each was ingested with, else the source's)\n"
		   "      --since=TIMESTAMP     only snapshots captured at or after TIMESTAMP\n"
		   "      --until=TIMESTAMP     only snapshots captured before TIMESTAMP\n"
		   "      --snapshot=ID         only the snapshot ID\n");
	ingestopt_print_help("0 replayed; 1 failed, nothing changed; 2 replayed with rejected\n"
						 "rows; 64 usage; 65 a snapshot is bad input, nothing changed; 66 no "
						 "snapshot\nmatches; 69 database unavailable; 75 another run of the "
						 "source holds the lock.");
}

/* --since/--until as opt_parse_instant() reads them, in the store's form */
static const char *
timestamp_option(const char *arg, const char *name, char out[25])
{
	int64_t		ms;

	if (!opt_parse_instant(arg, name, &ms))
		opt_bad_option();
	isotime_format(ms, false, out);
	return out;
}

/* Maps every selected snapshot into the stage. */
static bool
replay(ingestrun *r, const char *since, const char *until, const char *snapshot)
{
	const char *params[4] = {r->source_id, since, until, snapshot};
	PGresult   *res;
	bool		ok = true;

	res = db_query(r->lc.conn, sqlset_sql(SQLSET_INGEST_REPLAY_SNAPSHOTS), 4, params);
	if (res == NULL)
		return false;
	if (PQntuples(res) == 0)
	{
		if (snapshot)
			log_error("source \"%s\" has no snapshot \"%s\"", r->source_id, snapshot);
		else
			log_error("source \"%s\" has no stored snapshots%s", r->source_id,
					  since || until ? " in that time range" : "");
		r->in->exit_code = AUSDASH_EXIT_NOINPUT;
		r->nothing_to_do = true;
		PQclear(res);
		return false;
	}
	for (int i = 0; ok && i < PQntuples(res); i++)
	{
		const char *id = PQgetvalue(res, i, 0);
		const feed_format *fmt = r->format;
		char		name[256];

		if (r->format_name == NULL && !PQgetisnull(res, i, 2))
			fmt = feed_registry_format(PQgetvalue(res, i, 2));
		if (fmt == NULL)
		{
			log_error("snapshot %s was ingested as format \"%s\", which this version does "
					  "not know", id, PQgetvalue(res, i, 2));
			log_hint("Give the format to map it with in --format.");
			r->in->exit_code = AUSDASH_EXIT_DATAERR;
			ok = false;
			break;
		}
		snprintf(name, sizeof(name), "snapshot %s", id);
		log_debug("replaying %s (%s, captured %s)", id, fmt->name, PQgetvalue(res, i, 1));
		ok = !lifecycle_interrupted() && ingest_prepare(r->in, fmt) &&
			ingest_payload(r->in, fmt, name, PQgetvalue(res, i, 1), PQgetvalue(res, i, 3),
						   PQgetlength(res, i, 3));
		r->snapshots += ok;
	}
	PQclear(res);
	return ok;
}

int
main(int argc, char **argv)
{
	static struct option long_options[] = {
		{"since", required_argument, NULL, OPT_SINCE},
		{"snapshot", required_argument, NULL, OPT_SNAPSHOT},
		{"until", required_argument, NULL, OPT_UNTIL},
		INGESTOPT_LONG_OPTIONS,
		OPT_CONNECTION_LONG_OPTIONS,
		OPT_COMMON_LONG_OPTIONS,
		{NULL, 0, NULL, 0}
	};
	ingestrun	r;
	db_options	dbo;
	const char *since = NULL;
	const char *until = NULL;
	char		since_buf[25];
	char		until_buf[25];
	const char *snapshot = NULL;
	int			c;

	log_init(argv[0]);
	opt_init(argv);
	opt_handle_help_version(argc, argv, help);
	db_options_init(&dbo);
	ingestrun_init(&r, "ausdash-replay");

	while ((c = getopt_long(argc, argv, OPT_CONNECTION_SHORT "f:ns:qvV?", long_options, NULL)) != -1)
	{
		if (opt_common(c, help) || opt_connection(&dbo, c, optarg) || ingestopt_option(&r, c, optarg))
			continue;
		switch (c)
		{
			case OPT_SINCE:
				since = timestamp_option(optarg, "--since", since_buf);
				break;
			case OPT_UNTIL:
				until = timestamp_option(optarg, "--until", until_buf);
				break;
			case OPT_SNAPSHOT:
				snapshot = optarg;
				break;
			default:
				opt_bad_option();
		}
	}
	opt_no_extra_args(argc, argv, optind);
	ingestopt_check(&r, NULL);

	ingestrun_start(&r, &dbo);
	return ingestrun_end(&r, replay(&r, since, until, snapshot) && ingest_merge(r.in));
}
