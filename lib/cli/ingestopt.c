/*
 * lib/cli/ingestopt.c - the options ausdash-ingest and ausdash-replay share.
 */
#include "base/common.h"

#include <ctype.h>
#include <limits.h>

#include "cli/ingestopt.h"
#include "cli/opt.h"
#include "feed/feed_registry.h"
#include "base/log.h"
#include "base/banned.h"

void
ingestopt_print_help(const char *exit_status)
{
	printf("  -n, --dry-run             do everything, report, then roll back\n"
		   "      --allow-cursor-rewind let the cursor move to an older date\n"
		   "      --json                print a JSON summary on stdout\n"
		   "      --lock-wait=DURATION  wait this long for a run of the same source\n"
		   "                            (default: 0, fail at once)\n"
		   "      --max-errors=N        reject up to N bad rows, load the rest and exit\n"
		   "                            with status 2 (default: 0)\n"
		   "      --rejects=FILE        write each rejected row to FILE (NDJSON)\n"
		   "      --strict-dates        reject observations whose date looks like a date\n"
		   "                            but is none (2025-02-30), instead of a warning\n"
		   "  -q, --quiet               print errors only\n"
		   "  -v, --verbose             print a summary, then more (repeat)\n"
		   "  -V, --version             output version information, then exit\n"
		   "  -?, --help                show this help, then exit\n");
	opt_print_connection_help();
	printf("\nExit status: %s\n", exit_status);
}

bool
ingestopt_option(ingestrun *r, int c, const char *arg)
{
	switch (c)
	{
		case 's':
			r->source_id = arg;
			return true;
		case 'f':
			r->format_name = arg;
			return true;
		case 'n':
			r->lc.dry_run = true;
			return true;
		case INGESTOPT_ALLOW_REWIND:
			r->allow_rewind = true;
			return true;
		case INGESTOPT_JSON:
			r->lc.json = true;
			return true;
		case INGESTOPT_LOCK_WAIT:
			if (!opt_parse_duration_ms(arg, "--lock-wait", 0, 86400000L, &r->lc.lock_wait_ms))
				opt_bad_option();
			return true;
		case INGESTOPT_MAX_ERRORS:
			if (!opt_parse_int(arg, "--max-errors", 0, INT_MAX, &r->lc.budget.max_errors))
				opt_bad_option();
			return true;
		case INGESTOPT_REJECTS:
			r->lc.rejects_path = arg;
			return true;
		case INGESTOPT_STRICT_DATES:
			r->strict_dates = true;
			return true;
	}
	return false;
}

void
ingestopt_check(ingestrun *r, const char *format_name)
{
	const feed_source *src;

	if (format_name == NULL)
		format_name = r->format_name;
	if (r->source_id == NULL)
		log_usage_fatal("option --source is required");
	for (const char *p = r->source_id; *p; p++)
		if (!islower((unsigned char) *p) && !isdigit((unsigned char) *p) && *p != '_')
			log_usage_fatal("invalid source id \"%s\" (lower-case letters, digits and _)",
							r->source_id);
	if (*r->source_id == '\0' || strlen(r->source_id) > 100)
		log_usage_fatal("invalid source id \"%s\"", r->source_id);
	if (r->lc.rejects_path && r->lc.budget.max_errors == 0)
		log_usage_fatal("option --rejects needs --max-errors");
	src = feed_registry_source(r->source_id);
	if (format_name)
	{
		r->format = feed_registry_format(format_name);
		if (r->format == NULL)
		{
			log_error("unknown format \"%s\"", format_name);
			log_hint("See %s --list-formats.", "ausdash-ingest");
			exit(AUSDASH_EXIT_USAGE);
		}
	}
	else if (src)
		r->format = feed_registry_format(src->format);
	else
	{
		log_error("source \"%s\" has no default format; give one with --format",
				  r->source_id);
		log_hint("See %s --list-formats.", "ausdash-ingest");
		exit(AUSDASH_EXIT_USAGE);
	}
	snprintf(r->job, sizeof(r->job), "%s",
			 r->format->job ? r->format->job :
			 src ? src->job : "ausdash-ingest");
	if (!src && !r->format->job)
		snprintf(r->job, sizeof(r->job), "ingest-%s", r->source_id);
	snprintf(r->lock_name, sizeof(r->lock_name), "ingest:%s", r->source_id);
}
