/*
 * lib/base/log.c - diagnostics on stderr, modelled on PostgreSQL's
 * src/common/logging.c.
 */
#include "base/common.h"

#include <errno.h>
#include <stdarg.h>
#include <unistd.h>

#include "base/log.h"
#include "base/sbuf.h"
#include "base/banned.h"

static const char *progname = "ausdash";
static log_level threshold = LOG_LEVEL_WARNING;
static log_locus_fn locus_fn;
static void *locus_arg;
static bool last_printed;
static int	use_colour = -1;
static bool progress_pending;
static char last_error[1024];

void
log_init(const char *argv0)
{
	const char *slash;

	if (argv0 && *argv0)
	{
		slash = strrchr(argv0, '/');
		progname = slash ? slash + 1 : argv0;
	}
	/* diagnostics must not be reordered against each other */
	setvbuf(stderr, NULL, _IONBF, 0);
}

const char *
log_progname(void)
{
	return progname;
}

void
log_set_level(log_level level)
{
	threshold = level;
}

log_level
log_get_level(void)
{
	return threshold;
}

void
log_more_verbose(void)
{
	if (threshold > LOG_LEVEL_DEBUG)
		threshold--;
}

void
log_less_verbose(void)
{
	if (threshold < LOG_LEVEL_OFF)
		threshold++;
}

void
log_set_locus(log_locus_fn fn, void *arg)
{
	locus_fn = fn;
	locus_arg = arg;
}

bool
log_stderr_is_tty(void)
{
	return isatty(fileno(stderr)) == 1;
}

static bool
colour(void)
{
	if (use_colour < 0)
	{
		const char *pg_color = getenv("PG_COLOR");
		const char *term = getenv("TERM");

		/* as PostgreSQL's tools: PG_COLOR=always|auto|never; else NO_COLOR */
		if (pg_color && strcmp(pg_color, "always") == 0)
			use_colour = 1;
		else if (pg_color && strcmp(pg_color, "never") == 0)
			use_colour = 0;
		else
			use_colour = log_stderr_is_tty() &&
				((pg_color && strcmp(pg_color, "auto") == 0) || getenv("NO_COLOR") == NULL) &&
				term != NULL && strcmp(term, "dumb") != 0;
	}
	return use_colour == 1;
}

static void
end_progress(void)
{
	if (progress_pending)
	{
		fputs("\n", stderr);
		progress_pending = false;
	}
}

static void
emit(log_level level, const char *kind, const char *fmt, va_list ap)
{
	sbuf		line;
	int			save_errno = errno;

	if (level == LOG_LEVEL_ERROR)
	{
		va_list		aq;

		va_copy(aq, ap);
		vsnprintf(last_error, sizeof(last_error), fmt, aq);
		va_end(aq);
		errno = save_errno;
	}
	last_printed = level >= threshold;
	if (!last_printed)
		return;
	end_progress();
	sbuf_init(&line);
	sbuf_appendf(&line, "%s: ", progname);
	if (colour() && level >= LOG_LEVEL_WARNING)
		sbuf_appendf(&line, "\033[01;%sm%s:\033[0m ",
					 level == LOG_LEVEL_ERROR ? "31" : "35", kind);
	else
		sbuf_appendf(&line, "%s: ", kind);
	if (locus_fn && level >= LOG_LEVEL_WARNING)
	{
		size_t		before = line.len;

		locus_fn(&line, locus_arg);
		if (line.len > before)
			sbuf_appends(&line, ": ");
	}
	errno = save_errno;
	sbuf_vappendf(&line, fmt, ap);
	if (line.len == 0 || line.data[line.len - 1] != '\n')
		sbuf_appendc(&line, '\n');
	fwrite(line.data, 1, line.len, stderr);
	sbuf_release(&line);
}

static void
emit_extra(const char *kind, const char *fmt, va_list ap)
{
	sbuf		line;

	if (!last_printed)
		return;
	sbuf_init(&line);
	sbuf_appendf(&line, "%s: %s: ", progname, kind);
	sbuf_vappendf(&line, fmt, ap);
	if (line.data[line.len - 1] != '\n')
		sbuf_appendc(&line, '\n');
	fwrite(line.data, 1, line.len, stderr);
	sbuf_release(&line);
}

#define LOG_BODY(level, kind) \
	va_list ap; \
	va_start(ap, fmt); \
	emit(level, kind, fmt, ap); \
	va_end(ap)

void
log_error(const char *fmt,...)
{
	LOG_BODY(LOG_LEVEL_ERROR, "error");
}

void
log_warning(const char *fmt,...)
{
	LOG_BODY(LOG_LEVEL_WARNING, "warning");
}

void
log_info(const char *fmt,...)
{
	LOG_BODY(LOG_LEVEL_INFO, "info");
}

void
log_debug(const char *fmt,...)
{
	LOG_BODY(LOG_LEVEL_DEBUG, "debug");
}

void
log_detail(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	emit_extra("detail", fmt, ap);
	va_end(ap);
}

void
log_hint(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	emit_extra("hint", fmt, ap);
	va_end(ap);
}

void
log_fatal(int code, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	emit(LOG_LEVEL_ERROR, "error", fmt, ap);
	va_end(ap);
	exit(code);
}

static void (*usage_exit) (void);

void
log_set_usage_exit(void (*fn) (void))
{
	usage_exit = fn;
}

void
log_usage_exit(void)
{
	if (usage_exit)
		usage_exit();
	exit(AUSDASH_EXIT_USAGE);
}

void
log_usage_fatal(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	/* usage errors are always shown, even with -q */
	if (threshold > LOG_LEVEL_ERROR)
		threshold = LOG_LEVEL_ERROR;
	emit(LOG_LEVEL_ERROR, "error", fmt, ap);
	va_end(ap);
	log_usage_hint();
	log_usage_exit();
}

void
log_usage_hint(void)
{
	last_printed = true;
	log_hint("Try \"%s --help\" for more information.", progname);
}

const char *
log_last_error(void)
{
	return last_error;
}

void
log_progress(const char *fmt,...)
{
	va_list		ap;
	sbuf		line;

	/* a terminal's line, unless -q; elsewhere a line of its own at -v */
	if (log_stderr_is_tty() ? threshold > LOG_LEVEL_WARNING : threshold > LOG_LEVEL_INFO)
		return;
	sbuf_init(&line);
	sbuf_appendf(&line, "%s: ", progname);
	va_start(ap, fmt);
	sbuf_vappendf(&line, fmt, ap);
	va_end(ap);
	if (log_stderr_is_tty())
	{
		fprintf(stderr, "\r%s\033[K", line.data);
		progress_pending = true;
	}
	else
		fprintf(stderr, "%s\n", line.data);
	sbuf_release(&line);
}

void
log_progress_clear(void)
{
	if (progress_pending)
	{
		fputs("\r\033[K", stderr);
		progress_pending = false;
	}
}

bool
log_close_stdout(void)
{
	bool		bad = false;

	end_progress();
	if (fflush(stdout) != 0 || ferror(stdout))
		bad = true;
	if (fclose(stdout) != 0)
		bad = true;
	if (bad)
	{
		last_printed = true;
		fprintf(stderr, "%s: error: could not write to standard output: %s\n",
				progname, strerror(errno));
	}
	return !bad;
}
