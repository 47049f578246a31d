/*
 * lib/opt.c - command-line helpers shared by every tool.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "opt.h"
#include "banned.h"

void
opt_init(char **argv)
{
	argv[0] = (char *) log_progname();
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
	if (argc < 2)
		return;
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-?") == 0)
		opt_show_help(help_fn);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		opt_show_version();
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
opt_verbosity(int c)
{
	if (c == 'q')
		log_less_verbose();
	else if (c == 'v')
		log_more_verbose();
	else
		return false;
	return true;
}
