/*
 * lib/base/log.h - the one module that writes diagnostics (to stderr).
 *
 * Messages look like PostgreSQL's client programs:
 *     <tool>: error: could not open file "x": No such file or directory
 *     <tool>: detail: A full sentence.
 *     <tool>: hint: A full sentence.
 * stdout carries data only; nothing here writes to it.  A locus callback,
 * when set, prefixes error and warning messages with where the problem is
 * (e.g. "store.json":12:5: observations[3].value).
 */
#ifndef AUSDASH_LOG_H
#define AUSDASH_LOG_H

#include "base/sbuf.h"

typedef enum log_level
{
	LOG_LEVEL_DEBUG = 1,
	LOG_LEVEL_INFO,
	LOG_LEVEL_WARNING,
	LOG_LEVEL_ERROR,
	LOG_LEVEL_OFF
} log_level;

/* Appends the current location (without a trailing ": ") to out. */
typedef void (*log_locus_fn) (sbuf *out, void *arg);

/* Sets the program name from argv[0]; call first thing in main(). */
void		log_init(const char *argv0);
/* The program name set by log_init() (static storage; do not free). */
const char *log_progname(void);
void		log_set_level(log_level level);
log_level	log_get_level(void);
/* -v lowers the threshold one level, -q raises it one level. */
void		log_more_verbose(void);
void		log_less_verbose(void);
/* Sets (or clears, with fn NULL) the locus callback. */
void		log_set_locus(log_locus_fn fn, void *arg);

void		log_error(const char *fmt,...) AUSDASH_PRINTF(1, 2);
void		log_warning(const char *fmt,...) AUSDASH_PRINTF(1, 2);
void		log_info(const char *fmt,...) AUSDASH_PRINTF(1, 2);
void		log_debug(const char *fmt,...) AUSDASH_PRINTF(1, 2);
/* Detail and hint lines belong to the last message and print only if it did. */
void		log_detail(const char *fmt,...) AUSDASH_PRINTF(1, 2);
void		log_hint(const char *fmt,...) AUSDASH_PRINTF(1, 2);
/* log_error() then exit(code). */
void		log_fatal(int code, const char *fmt,...) AUSDASH_PRINTF(2, 3) AUSDASH_NORETURN;
/*
 * How a usage error ends: fn (which should exit; a monitoring plugin says
 * UNKNOWN with exit 3), else exit AUSDASH_EXIT_USAGE.
 */
void		log_set_usage_exit(void (*fn) (void));
void		log_usage_exit(void) AUSDASH_NORETURN;

/* Prints the usage-error hint and exits (log_usage_exit()). */
void		log_usage_fatal(const char *fmt,...) AUSDASH_PRINTF(1, 2) AUSDASH_NORETURN;
/* Prints the "Try \"<tool> --help\"" hint (always, whatever the level). */
void		log_usage_hint(void);
/*
 * The text of the last error message (without program name or locus,
 * at most 1023 bytes; "" if none), e.g. for a run's error summary.
 * Static storage, overwritten by the next error.
 */
const char *log_last_error(void);
/*
 * Writes a progress line to stderr: on a terminal overwriting the last one
 * (not with -q), elsewhere as a line of its own (only with -v).
 */
void		log_progress(const char *fmt,...) AUSDASH_PRINTF(1, 2);
/* Erases a progress line left on the terminal. */
void		log_progress_clear(void);
/* True when stderr is a terminal. */
bool		log_stderr_is_tty(void);

/*
 * Flushes and closes stdout; on a write error reports it and returns
 * false, so that main() can exit with AUSDASH_EXIT_IOERR.
 */
bool		log_close_stdout(void);

#endif
