/*
 * lib/cli/opt.c - command-line helpers shared by every tool.
 */
#include "base/common.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/isotime.h"
#include "base/log.h"
#include "cli/opt.h"
#include "base/banned.h"

static char **opt_argv;

void
opt_init(char **argv)
{
	argv[0] = (char *) log_progname();
	opt_argv = argv;
}

/* Is s a bundle of short options ("-q?") that holds '?'? */
static bool
is_short_bundle_with_help(const char *s)
{
	return s && s[0] == '-' && s[1] != '-' && strchr(s, '?') != NULL;
}

void
opt_show_help(void (*help_fn) (const char *progname))
{
	help_fn(log_progname());
	exit(log_close_stdout() ? AUSDASH_EXIT_OK : AUSDASH_EXIT_IOERR);
}

void
opt_show_version(void)
{
	printf("%s (ausdash) %s\n", log_progname(), AUSDASH_VERSION);
	exit(log_close_stdout() ? AUSDASH_EXIT_OK : AUSDASH_EXIT_IOERR);
}

void
opt_bad_option(void)
{
	log_set_level(log_get_level() > LOG_LEVEL_ERROR ? LOG_LEVEL_ERROR : log_get_level());
	log_usage_hint();
	exit(AUSDASH_EXIT_USAGE);
}

void
opt_handle_help_version(int argc, char **argv,
						void (*help_fn) (const char *progname))
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
	{
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-?") == 0)
			opt_show_help(help_fn);
		if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-V") == 0)
			opt_show_version();
	}
}

bool
opt_parse_int(const char *arg, const char *optname, int min, int max,
			  int *result)
{
	char	   *end;
	long		val;

	errno = 0;
	val = strtol(arg, &end, 10);
	/* allow trailing white space, as option_parse_int does */
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (*arg == '\0' || *end != '\0' || errno == EINVAL)
	{
		log_error("invalid value \"%s\" for option %s", arg, optname);
		return false;
	}
	if (errno == ERANGE || val < min || val > max)
	{
		log_error("%s must be in range %d..%d", optname, min, max);
		return false;
	}
	*result = (int) val;
	return true;
}

bool
opt_parse_duration_ms(const char *arg, const char *optname,
					  long default_unit_ms, long max_ms, long *result)
{
	static const struct
	{
		const char *name;
		long		ms;
	}			units[] = {
		{"ms", 1}, {"s", 1000}, {"min", 60000}, {"h", 3600000}
	};
	char	   *end;
	long		val;
	long		unit = default_unit_ms;
	size_t		i;

	errno = 0;
	val = strtol(arg, &end, 10);
	if (end == arg || errno == EINVAL || val < 0)
	{
		log_error("invalid value \"%s\" for option %s", arg, optname);
		return false;
	}
	if (*end != '\0')
	{
		for (i = 0; i < lengthof(units); i++)
			if (strcmp(end, units[i].name) == 0)
				break;
		if (i == lengthof(units))
		{
			log_error("invalid value \"%s\" for option %s", arg, optname);
			log_hint("Valid units are \"ms\", \"s\", \"min\" and \"h\".");
			return false;
		}
		unit = units[i].ms;
	}
	if (errno == ERANGE || val > max_ms / unit)
	{
		log_error("%s must be at most %ld ms", optname, max_ms);
		return false;
	}
	*result = val * unit;
	return true;
}

void
opt_no_extra_args(int argc, char **argv, int optind_)
{
	if (optind_ < argc)
		log_usage_fatal("too many command-line arguments (first is \"%s\")",
						argv[optind_]);
}

void
opt_print_connection_help(void)
{
	printf("\nConnection options:\n"
		   "  -d, --dbname=CONNSTR      database connection string or URI\n"
		   "                            (default: $DATABASE_URL, else libpq's PG* variables)\n"
		   "      --statement-timeout=DURATION\n"
		   "                            abort any statement that takes longer (e.g. 30s)\n"
		   "      --lock-timeout=DURATION\n"
		   "                            abort any wait for a table lock longer than this\n");
}

int
opt_open_input(const char *path, const char *what, const char *hint)
{
	int			fd;
	struct stat st;

	if (strcmp(path, "-") == 0)
		return STDIN_FILENO;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
	{
		int			err = errno;

		log_error("could not open %s \"%s\": %s", what, path, strerror(err));
		if (err == ENOENT && hint)
			log_hint("%s", hint);
		exit(exitcode_for_open_error(err));
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		log_fatal(AUSDASH_EXIT_NOINPUT, "could not read %s \"%s\": Is a directory", what, path);
	return fd;
}

bool
opt_common(int c, void (*help_fn) (const char *progname))
{
	switch (c)
	{
		case 'q':
			log_less_verbose();
			return true;
		case 'v':
			log_more_verbose();
			return true;
		case 'V':
			opt_show_version();
		case OPT_HELP:
			opt_show_help(help_fn);
		case '?':

			/*
			 * getopt_long says '?' both for -? and for an option it does
			 * not know; for -? it leaves optopt 0 (a bad short option sets
			 * it to the letter), and the element being read, or the one
			 * just finished, is a bundle holding the '?'.  (An unknown long
			 * option sets optopt 0 too, but is its own element.)
			 */
			if (optopt == 0 && opt_argv && optind > 0 &&
				(is_short_bundle_with_help(opt_argv[optind - 1]) ||
				 is_short_bundle_with_help(opt_argv[optind])))
				opt_show_help(help_fn);
			return false;
	}
	return false;
}

bool
opt_connection(db_options *o, int c, const char *arg)
{
	long		ms;

	switch (c)
	{
		case 'd':
			db_options_set_dbname(o, (char *) arg);
			return true;
		case OPT_STATEMENT_TIMEOUT:
			if (!opt_parse_duration_ms(arg, "--statement-timeout", 1, 2147483647L, &ms))
				opt_bad_option();
			o->statement_timeout_ms = ms;
			return true;
		case OPT_LOCK_TIMEOUT:
			if (!opt_parse_duration_ms(arg, "--lock-timeout", 1, 2147483647L, &ms))
				opt_bad_option();
			o->lock_timeout_ms = ms;
			return true;
	}
	return false;
}

bool
opt_report(report_options *o, int c, const char *arg)
{
	switch (c)
	{
		case OPT_REPORT_AT:
			if (!isotime_parse(arg, strlen(arg), &o->at_ms, NULL))
				log_usage_fatal("invalid value \"%s\" for option --at (an ISO 8601 timestamp)",
								arg);
			return true;
		case OPT_REPORT_FORMAT:
			if (!report_format_parse(arg, &o->fmt))
				log_usage_fatal("invalid value \"%s\" for option --format (text, json, "
								"prometheus or nagios)", arg);
			return true;
		case OPT_REPORT_TEXTFILE_DIR:
			o->textfile_dir = arg;
			return true;
	}
	return false;
}
