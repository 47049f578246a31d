/*
 * lib/cli/opt.c - command-line helpers shared by every tool.
 */
#include "base/common.h"

#include <ctype.h>
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

static const char *plugin_name;	/* the report's, with --format=nagios */
static char bad_arg[160];		/* what getopt_long refused, for that line */

/* A usage error in --format=nagios: one UNKNOWN line and exit 3. */
static void
plugin_usage_exit(void)
{
	const char *why = *log_last_error() ? log_last_error() : bad_arg;

	for (const char *p = plugin_name; *p; p++)
		putchar(toupper((unsigned char) *p));
	fputs(" UNKNOWN - usage: ", stdout);
	/* nothing Nagios reads as perfdata (report.c's nagios_text() does the same) */
	for (const char *p = *why ? why : "bad command line"; *p && *p != '\n'; p++)
		putchar(*p == '|' ? '/' : *p == ';' ? ',' : *p);
	fputs(" (see --help)\n", stdout);
	fflush(stdout);
	exit(AUSDASH_MON_UNKNOWN);
}

void
opt_monitoring_plugin(int argc, char **argv, const char *report_name)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--format=nagios") == 0 ||
			(strcmp(argv[i], "--format") == 0 && i + 1 < argc && strcmp(argv[i + 1], "nagios") == 0))
		{
			plugin_name = report_name;
			log_set_usage_exit(plugin_usage_exit);
		}
}

void
opt_bad_option(void)
{
	log_set_level(log_get_level() > LOG_LEVEL_ERROR ? LOG_LEVEL_ERROR : log_get_level());
	log_usage_hint();
	log_usage_exit();
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
	/* PostgreSQL's time units (guc.c), as its settings read them */
	static const struct
	{
		const char *name;
		long		num;		/* a unit is num / den milliseconds */
		long		den;
	}			units[] = {
		{"us", 1, 1000}, {"ms", 1, 1}, {"s", 1000, 1}, {"min", 60000, 1},
		{"h", 3600000, 1}, {"d", 86400000, 1}
	};
	char	   *end;
	long		val;
	long		num = default_unit_ms;
	long		den = 1;
	size_t		i;

	errno = 0;
	val = strtol(arg, &end, 10);
	if (end == arg || errno == EINVAL || val < 0 || !isdigit((unsigned char) *arg))
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
			log_hint("Valid units for this option are \"us\", \"ms\", \"s\", \"min\", \"h\" "
					 "and \"d\".");
			return false;
		}
		num = units[i].num;
		den = units[i].den;
	}
	if (errno == ERANGE || val / den > max_ms / num)
	{
		log_error("%s must be at most %ld ms", optname, max_ms);
		return false;
	}
	*result = val / den * num;
	return true;
}

bool
opt_parse_instant(const char *arg, const char *optname, int64_t *result)
{
	char		buf[64];
	size_t		len = strlen(arg);
	const char *why = NULL;

	/* psql's form: a space for the T, z for Z, an offset of hours only */
	if (len + 4 >= sizeof(buf))
		len = sizeof(buf) - 5;
	memcpy(buf, arg, len);
	buf[len] = '\0';
	if (len > 10 && buf[10] == ' ')
		buf[10] = 'T';
	if (len > 10 && buf[len - 1] == 'z')
		buf[len - 1] = 'Z';
	if (len > 13 && (buf[len - 3] == '+' || buf[len - 3] == '-') &&
		isdigit((unsigned char) buf[len - 2]) && isdigit((unsigned char) buf[len - 1]) &&
		strchr(buf, 'T') && strchr(buf, 'T') < buf + len - 3)
	{
		memcpy(buf + len, ":00", 4);
		len += 3;
	}
	if (isotime_parse(buf, len, result, &why))
		return true;
	log_error("invalid value \"%s\" for option %s: %s", arg, optname, why ? why : "not a timestamp");
	log_hint("Give an ISO 8601 timestamp, e.g. 2026-02-28T02:05:00Z or "
			 "\"2026-02-28 02:05:00+10\".");
	return false;
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
		   "  -h, --host=HOSTNAME       database server host or socket directory\n"
		   "  -p, --port=PORT           database server port\n"
		   "  -U, --username=USERNAME   database user name\n"
		   "  -w, --no-password         never prompt for a password\n"
		   "  -W, --password            prompt for a password before connecting\n"
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
			if (opt_argv && optind > 0 && optopt != 0)
				snprintf(bad_arg, sizeof(bad_arg), "invalid option -- '%c'", optopt);
			else if (opt_argv && optind > 0)
				snprintf(bad_arg, sizeof(bad_arg), "unrecognized option '%.100s'",
						 opt_argv[optind - 1]);

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
		case 'h':
			o->host = arg;
			return true;
		case 'p':
			/* a port, or libpq's comma-separated list of them */
			if (*arg == '\0' || strspn(arg, "0123456789,") != strlen(arg))
				log_usage_fatal("invalid value \"%s\" for option -p/--port", arg);
			o->port = arg;
			return true;
		case 'U':
			o->user = arg;
			return true;
		case 'w':
			o->prompt = DB_PROMPT_NEVER;
			return true;
		case 'W':
			o->prompt = DB_PROMPT_ALWAYS;
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
opt_reader(int c, const char *arg, bool *upgrades, const char **seed)
{
	switch (c)
	{
		case OPT_NO_READER_UPGRADES:
			*upgrades = false;
			return true;
		case OPT_READER_SEED:
			*seed = arg;
			return true;
	}
	return false;
}

void
opt_print_reader_help(void)
{
	printf("      --reader-seed=FILE    the dashboard's seed store, whose source-mix rows\n"
		   "                            its reader adds to a store without any (default:\n"
		   "                            $AUS_DASH_SEED_STORE_PATH)\n"
		   "      --no-reader-upgrades  read the store exactly as written\n");
}

bool
opt_report(report_options *o, int c, const char *arg)
{
	switch (c)
	{
		case OPT_REPORT_AT:
			if (!opt_parse_instant(arg, "--at", &o->at_ms))
				opt_bad_option();
			return true;
		case OPT_REPORT_FORMAT:
			if (!report_format_parse(arg, &o->fmt))
				log_usage_fatal("invalid value \"%s\" for option --format (text, json, "
								"prometheus, nagios or, for ausdash-freshness, dbt)", arg);
			return true;
		case OPT_REPORT_TEXTFILE_DIR:
			o->textfile_dir = arg;
			return true;
		case OPT_REPORT_TIMEOUT:
			if (!opt_parse_duration_ms(arg, "--timeout", 1000, 86400000L, &o->timeout_ms))
				opt_bad_option();
			return true;
	}
	return false;
}
