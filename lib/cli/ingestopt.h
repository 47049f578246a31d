/*
 * lib/cli/ingestopt.h - the options ausdash-ingest and ausdash-replay share,
 * read into their struct ingestrun (lib/run/ingestrun.h).
 */
#ifndef AUSDASH_INGESTOPT_H
#define AUSDASH_INGESTOPT_H

#include <stdbool.h>

#include "run/ingestrun.h"

enum
{
	INGESTOPT_ALLOW_REWIND = 0x2100,
	INGESTOPT_JSON,
	INGESTOPT_LOCK_WAIT,
	INGESTOPT_MAX_ERRORS,
	INGESTOPT_REJECTS,
	INGESTOPT_STRICT_DATES
};

/* The options both tools take ("f:ns:qv" in their short options). */
#define INGESTOPT_LONG_OPTIONS \
	{"allow-cursor-rewind", no_argument, NULL, INGESTOPT_ALLOW_REWIND}, \
	{"dry-run", no_argument, NULL, 'n'}, \
	{"format", required_argument, NULL, 'f'}, \
	{"json", no_argument, NULL, INGESTOPT_JSON}, \
	{"lock-wait", required_argument, NULL, INGESTOPT_LOCK_WAIT}, \
	{"max-errors", required_argument, NULL, INGESTOPT_MAX_ERRORS}, \
	{"rejects", required_argument, NULL, INGESTOPT_REJECTS}, \
	{"source", required_argument, NULL, 's'}, \
	{"strict-dates", no_argument, NULL, INGESTOPT_STRICT_DATES}

/*
 * Prints the --help lines of the shared, common and connection options,
 * then "Exit status: " and exit_status.
 */
void		ingestopt_print_help(const char *exit_status);

/* Handles one of the shared options; false when c is not one of them. */
bool		ingestopt_option(ingestrun *r, int c, const char *arg);

/*
 * Checks the source id and resolves the format (format_name, else the
 * source's default); exits with a usage error.
 */
void		ingestopt_check(ingestrun *r, const char *format_name);

#endif
