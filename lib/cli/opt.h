/*
 * lib/cli/opt.h - command-line helpers shared by every tool.
 *
 * Modelled on PostgreSQL's src/fe_utils/option_utils.c: --help and
 * --version are handled before getopt_long, integers are validated with
 * one helper, and usage errors end with the "Try --help" hint (see
 * log_usage_fatal()).
 */
#ifndef AUSDASH_OPT_H
#define AUSDASH_OPT_H

#include <stdbool.h>
#include <stdint.h>

#include "pg/db.h"
#include "report/report.h"

/*
 * If any argument before a "--" is --help/-? or --version/-V, prints help
 * (through help_fn) or "<tool> (ausdash) <version>" to stdout and exits 0,
 * whatever else is on the command line (the first of them wins).  Call it
 * before getopt_long, so that a bad option elsewhere does not hide it.
 */
void		opt_handle_help_version(int argc, char **argv,
									void (*help_fn) (const char *progname));

/*
 * Parses a whole decimal integer in [min, max].  On failure logs
 * 'invalid value "..." for option ...' or '... must be in range ...' and
 * returns false; *result is untouched then.
 */
bool		opt_parse_int(const char *arg, const char *optname, int min, int max,
						  int *result);

/*
 * Parses a duration as PostgreSQL reads its settings: an integer with an
 * optional unit us, ms, s, min, h or d (default unit: default_unit_ms
 * milliseconds; microseconds round down), into milliseconds in
 * [0, max_ms].  Logs (with the valid units as a hint) and returns false on
 * failure.
 */
bool		opt_parse_duration_ms(const char *arg, const char *optname,
								  long default_unit_ms, long max_ms, long *result);

/*
 * Parses an instant: ISO 8601 with "T" or a space between date and time,
 * "Z" or "z" or an offset (+10, +10:00, +1000), as psql prints them; no
 * offset is UTC.  Logs and returns false on failure.
 */
bool		opt_parse_instant(const char *arg, const char *optname, int64_t *result);

/* getopt_long value for --help (so that '?' means only an error) */
#define OPT_HELP 0x3000

/* Every tool's -q, -v, -V and --help entries in a getopt_long table. */
#define OPT_COMMON_LONG_OPTIONS \
	{"quiet", no_argument, NULL, 'q'}, \
	{"verbose", no_argument, NULL, 'v'}, \
	{"version", no_argument, NULL, 'V'}, \
	{"help", no_argument, NULL, OPT_HELP}

/*
 * Call at the start of main(), after log_init(): getopt_long then names
 * the tool, not its path, in its own messages.
 */
void		opt_init(char **argv);

/*
 * Every tool's own options, in one place: -q and -v (quieter, more
 * verbose), -V and --help (exit 0, also when bundled as in -qV), and "-?"
 * (help).  Returns false for any other option.  Call it first in the
 * getopt_long loop.
 */
bool		opt_common(int c, void (*help_fn) (const char *progname));

/* getopt_long values for the shared connection and report options */
enum
{
	OPT_STATEMENT_TIMEOUT = 0x1000,
	OPT_LOCK_TIMEOUT,
	OPT_REPORT_AT = 0x2200,
	OPT_REPORT_FORMAT,
	OPT_REPORT_TEXTFILE_DIR,
	OPT_REPORT_TIMEOUT,
	OPT_NO_READER_UPGRADES = 0x2400,
	OPT_READER_SEED
};

/*
 * The options of the dashboard reader's upgrades (lib/store/readerup.h),
 * for the tools that read a store as the dashboard does: backfill, parity.
 */
#define OPT_READER_LONG_OPTIONS \
	{"no-reader-upgrades", no_argument, NULL, OPT_NO_READER_UPGRADES}, \
	{"reader-seed", required_argument, NULL, OPT_READER_SEED}

/* Handles one of them; false for any other option. */
bool		opt_reader(int c, const char *arg, bool *upgrades, const char **seed);

/* Prints their lines of --help. */
void		opt_print_reader_help(void);

/* The shared connection options' letters, for getopt_long's optstring. */
#define OPT_CONNECTION_SHORT "d:h:p:U:wW"

/* The shared connection options' entries in a getopt_long table. */
#define OPT_CONNECTION_LONG_OPTIONS \
	{"dbname", required_argument, NULL, 'd'}, \
	{"host", required_argument, NULL, 'h'}, \
	{"port", required_argument, NULL, 'p'}, \
	{"username", required_argument, NULL, 'U'}, \
	{"no-password", no_argument, NULL, 'w'}, \
	{"password", no_argument, NULL, 'W'}, \
	{"lock-timeout", required_argument, NULL, OPT_LOCK_TIMEOUT}, \
	{"statement-timeout", required_argument, NULL, OPT_STATEMENT_TIMEOUT}

/*
 * Handles one shared connection option (-d, -h, -p, -U, -w, -W,
 * OPT_STATEMENT_TIMEOUT, OPT_LOCK_TIMEOUT) into o.  Returns true when c was one of them; exits
 * with a usage error on a bad value.
 */
bool		opt_connection(db_options *o, int c, const char *arg);

/* The options every report takes, in a getopt_long table. */
#define OPT_REPORT_LONG_OPTIONS \
	{"at", required_argument, NULL, OPT_REPORT_AT}, \
	{"format", required_argument, NULL, OPT_REPORT_FORMAT}, \
	{"textfile-dir", required_argument, NULL, OPT_REPORT_TEXTFILE_DIR}, \
	{"timeout", required_argument, NULL, OPT_REPORT_TIMEOUT}

/* Handles one report option into o; false for any other option. */
bool		opt_report(report_options *o, int c, const char *arg);

/*
 * For a report: when --format=nagios is on the command line, a usage error
 * is a monitoring plugin's: one line "<REPORT> UNKNOWN - usage: ..." on
 * stdout and exit 3 (the Monitoring Plugins guidelines), not exit 64.
 * Call it after opt_init(), before getopt_long.
 */
void		opt_monitoring_plugin(int argc, char **argv, const char *report_name);

/*
 * For getopt_long's '?' (it has printed what was wrong): prints the
 * "Try --help" hint and exits with AUSDASH_EXIT_USAGE (or, for a
 * monitoring plugin, UNKNOWN).
 */
void		opt_bad_option(void) AUSDASH_NORETURN;

/* Prints the tool's --help (through help_fn) to stdout and exits 0. */
void		opt_show_help(void (*help_fn) (const char *progname)) AUSDASH_NORETURN;

/* Prints "<tool> (ausdash) <version>" to stdout and exits 0. */
void		opt_show_version(void) AUSDASH_NORETURN;

/* Exits with a usage error when a (non-NULL) argument is left over. */
void		opt_no_extra_args(int argc, char **argv, int optind_);

/* Prints the connection-options block of --help. */
void		opt_print_connection_help(void);

/*
 * Opens an input file for reading ("-" is standard input), or exits: 66
 * when it is missing (with hint, if not NULL) or a directory, 74 otherwise.
 * what names it in messages ("store", "payload").
 */
int			opt_open_input(const char *path, const char *what, const char *hint);

#endif
