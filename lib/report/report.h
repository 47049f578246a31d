/*
 * lib/report/report.h - the output of the monitoring reports (ausdash-freshness,
 * ausdash-parity, ausdash-runs) in four formats, and the monitoring exit
 * codes.
 *
 * A report is sections of rows; a row is named fields (strings, numbers,
 * booleans, nulls) and a level.  Fields marked as labels identify the row
 * in Prometheus; fields marked as metrics become samples.  The report's
 * level is the worst of its rows'.
 *
 *   text        an aligned table per section, then one summary line
 *   json        {"report", "at", "status", "summary", "<section>": [rows]}
 *   prometheus  textfile-collector format, HELP and TYPE lines, base units,
 *               no sample timestamps (times are Unix-seconds gauges:
 *               *_timestamp_seconds), ausdash_build_info and
 *               ausdash_report_generated_timestamp_seconds, labels job and
 *               instance renamed ausdash_job and ausdash_instance; with a
 *               directory, written atomically as ausdash_<report>.prom
 *   nagios      "<REPORT> <STATE> - <summary>: <offenders> | <perfdata>",
 *               then one line per item that is not OK
 *   dbt         dbt's sources.json (schema v3): one result per row that has
 *               a loaded-at instant (report_loaded_at()), its age (the
 *               row's first sample, in seconds), its thresholds as
 *               criteria, its level as pass/warn/error, its other fields
 *               in adapter_response
 */
#ifndef AUSDASH_REPORT_H
#define AUSDASH_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "pg/db.h"

typedef enum report_level
{
	REPORT_OK = 0,
	REPORT_WARNING = 1,
	REPORT_CRITICAL = 2,
	REPORT_UNKNOWN = 3
} report_level;

typedef enum report_format
{
	REPORT_TEXT,
	REPORT_JSON,
	REPORT_PROMETHEUS,
	REPORT_NAGIOS,
	REPORT_DBT					/* ausdash-freshness only */
} report_format;

typedef struct report report;

/* The options every report takes. */
typedef struct report_options
{
	report_format fmt;
	const char *textfile_dir;
	int64_t		at_ms;			/* --at, else now */
	long		timeout_ms;		/* --timeout (0: none), or -1: the report's default */
	bool		dbt;			/* the report can be dbt's sources.json */
} report_options;

/* Set from the command line by opt_report() (lib/cli/opt.h). */
void		report_options_init(report_options *o);
/*
 * Bounds the report by o->timeout_ms (unset: default_ms; 0: no bound), as a
 * monitoring check must be: the
 * connection's connect_timeout and (unless --statement-timeout says
 * otherwise) statement_timeout, so that a locked table ends in UNKNOWN
 * like any other database error; and an alarm over the whole run that
 * ends it with UNKNOWN (exit 3) when that is not enough.
 */
void		report_arm_timeout(const report_options *o, const char *name, long default_ms,
							   db_options *dbo);

/* Usage errors between them (exits). */
void		report_options_check(const report_options *o);

/* The format of a --format value; false when unknown. */
bool		report_format_parse(const char *s, report_format *fmt);

/* "ok", "warning", "critical", "unknown" */
const char *report_level_name(report_level level);

report	   *report_new(const char *name, report_format fmt, int64_t at_ms);
void		report_free(report **r);

/* Starts a section (rows after this belong to it). */
void		report_section(report *r, const char *name);

void		report_row(report *r, report_level level);
/* A string field; label: it identifies the row in Prometheus. */
void		report_str(report *r, const char *key, const char *value, bool label);
/*
 * A number field (NULL value: null; "+Inf" allowed).  metric: the
 * Prometheus metric it is a sample of (NULL: none), with help.
 */
void		report_num(report *r, const char *key, const char *value, const char *metric,
					   const char *help);
void		report_int(report *r, const char *key, long long value, const char *metric,
					   const char *help);

/*
 * An age of minutes (< 0: infinite, e.g. never) as two fields:
 * "<name>_minutes" (null when infinite) and "<name>_seconds" ("+Inf"), the
 * second a sample of metric.
 */
void		report_age(report *r, const char *name, long long minutes, const char *metric,
					   const char *help);
void		report_bool(report *r, const char *key, bool value);

/* Adds to the summary line ("2 of 5 series stale"); printf-style. */
void		report_summary(report *r, const char *fmt,...) AUSDASH_PRINTF(2, 3);
/* A Nagios perfdata item: label=value. */
void		report_perf(report *r, const char *label, long long value);

/* Raises the report's level (the rows raise it too). */
void		report_level_at_least(report *r, report_level level);

/*
 * A sample of metric for Prometheus only (no field of the other formats):
 * value as text (NULL: none); report_timestamp_sample() takes epoch ms
 * (< 0: none) and writes Unix seconds, as batch-job timestamps are.
 */
void		report_sample(report *r, const char *metric, const char *help, const char *value);
void		report_timestamp_sample(report *r, const char *metric, const char *help, int64_t ms);

/*
 * The current row's loaded-at instant for --format=dbt (epoch ms; < 0:
 * none, a "runtime error" result), and the id it gets there.
 */
void		report_loaded_at(report *r, const char *unique_id, int64_t ms);

/*
 * The current row's warning and critical thresholds, in the unit of its
 * first metric (for Nagios perfdata: 'label'=value;warn;crit;0;).
 */
void		report_thresholds(report *r, double warn, double crit);

/*
 * Writes the report (to standard output, or for Prometheus with a
 * directory, to DIR/ausdash_<name>.prom atomically) and returns the exit
 * code: the report's level, or 3 when it could not be written.
 */
int			report_finish(report *r, const char *textfile_dir);

/* The report could not be made: says so in the format, returns 3. */
int			report_unknown(report *r, const char *textfile_dir, const char *why);

#endif
