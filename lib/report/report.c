/*
 * lib/report/report.c - the reports' four output formats.
 */
#include "base/common.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <signal.h>
#include <unistd.h>

#include "base/isotime.h"
#include "base/jsonw.h"
#include "base/log.h"
#include "base/mem.h"
#include "report/report.h"
#include "base/sbuf.h"
#include "base/timeutil.h"
#include "base/banned.h"

typedef enum field_type
{
	F_STR,
	F_NUM,
	F_BOOL,
	F_NULL
} field_type;

typedef struct field
{
	char	   *key;
	char	   *value;
	field_type	type;
	bool		label;
	bool		hidden;			/* a Prometheus sample only (report_sample()) */
	const char *metric;
	const char *help;
} field;

typedef struct row
{
	report_level level;
	field	   *fields;
	int			n;
	int			cap;
	double		warn;			/* the row's thresholds, in its metric's unit */
	double		crit;
	bool		thresholds;
	char	   *unique_id;		/* --format=dbt: its id, or NULL: not a result */
	int64_t		loaded_at_ms;
} row;

typedef struct section
{
	char	   *name;
	row		   *rows;
	int			n;
	int			cap;
} section;

struct report
{
	char	   *name;
	report_format fmt;
	int64_t		at_ms;
	report_level level;
	section    *sections;
	int			n;
	int			cap;
	sbuf		summary;
	sbuf		perf;
	int64_t		started_us;		/* monotonic, for dbt's elapsed_time */
};

bool
report_format_parse(const char *s, report_format *fmt)
{
	static const char *const names[] = {"text", "json", "prometheus", "nagios", "dbt"};

	for (int i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0)
		{
			*fmt = (report_format) i;
			return true;
		}
	return false;
}

void
report_options_init(report_options *o)
{
	memset(o, 0, sizeof(*o));
	o->at_ms = timeutil_epoch_ms();
	o->timeout_ms = -1;			/* the report's default */
}

static void upper(sbuf *out, const char *s);

static char timeout_line[256];

/* SIGALRM: the line prepared in advance, with write(2), and exit 3. */
static void
on_timeout(int signo)
{
	ssize_t		n = write(timeout_line[0] == '-' ? STDERR_FILENO : STDOUT_FILENO,
						  timeout_line + (timeout_line[0] == '-'),
						  strlen(timeout_line + (timeout_line[0] == '-')));

	(void) n;
	_exit(REPORT_UNKNOWN);
}

void
report_arm_timeout(const report_options *o, const char *name, long default_ms,
				   db_options *dbo)
{
	struct sigaction sa;
	long		ms = o->timeout_ms >= 0 ? o->timeout_ms : default_ms;
	long		s = (ms + 999) / 1000;

	if (ms <= 0)
		return;
	dbo->connect_timeout_s = s < 2 ? 2 : s;	/* libpq's least */
	if (dbo->statement_timeout_ms < 0)
		dbo->statement_timeout_ms = ms;
	/* Nagios reads stdout; the other formats say it on stderr ("-" marks it) */
	if (o->fmt == REPORT_NAGIOS)
	{
		sbuf		up;

		sbuf_init(&up);
		upper(&up, name);
		snprintf(timeout_line, sizeof(timeout_line), "%s UNKNOWN - timed out after %ld ms "
				 "(--timeout)\n", up.data, ms);
		sbuf_release(&up);
	}
	else
		snprintf(timeout_line, sizeof(timeout_line), "-%s: error: timed out after %ld ms "
				 "(--timeout)\n", log_progname(), ms);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_timeout;
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned int) s);
}

void
report_options_check(const report_options *o)
{
	if (o->textfile_dir && o->fmt != REPORT_PROMETHEUS)
		log_usage_fatal("option --textfile-dir needs --format=prometheus");
	if (o->fmt == REPORT_DBT && !o->dbt)
		log_usage_fatal("--format=dbt is for ausdash-freshness (dbt's sources.json)");
}

const char *
report_level_name(report_level level)
{
	static const char *const names[] = {"ok", "warning", "critical", "unknown"};

	return names[level];
}

report *
report_new(const char *name, report_format fmt, int64_t at_ms)
{
	report	   *r = mem_calloc(1, sizeof(report));

	r->name = mem_strdup(name);
	r->fmt = fmt;
	r->at_ms = at_ms;
	r->started_us = timeutil_now_us();
	sbuf_init(&r->summary);
	sbuf_init(&r->perf);
	return r;
}

void
report_free(report **rp)
{
	report	   *r = *rp;

	if (r == NULL)
		return;
	for (int s = 0; s < r->n; s++)
	{
		for (int i = 0; i < r->sections[s].n; i++)
		{
			for (int k = 0; k < r->sections[s].rows[i].n; k++)
			{
				free(r->sections[s].rows[i].fields[k].key);
				free(r->sections[s].rows[i].fields[k].value);
			}
			free(r->sections[s].rows[i].fields);
			free(r->sections[s].rows[i].unique_id);
		}
		free(r->sections[s].rows);
		free(r->sections[s].name);
	}
	free(r->sections);
	free(r->name);
	sbuf_release(&r->summary);
	sbuf_release(&r->perf);
	free(r);
	*rp = NULL;
}

void
report_section(report *r, const char *name)
{
	if (r->n == r->cap)
	{
		r->cap = r->cap ? r->cap * 2 : 4;
		r->sections = mem_realloc(r->sections, r->cap * sizeof(section));
	}
	memset(&r->sections[r->n], 0, sizeof(section));
	r->sections[r->n++].name = mem_strdup(name);
}

void
report_row(report *r, report_level level)
{
	section    *s = &r->sections[r->n - 1];

	if (s->n == s->cap)
	{
		s->cap = s->cap ? s->cap * 2 : 16;
		s->rows = mem_realloc(s->rows, s->cap * sizeof(row));
	}
	memset(&s->rows[s->n], 0, sizeof(row));
	s->rows[s->n++].level = level;
	report_level_at_least(r, level);
}

static void
add(report *r, const char *key, const char *value, field_type type, bool label,
	const char *metric, const char *help)
{
	section    *s = &r->sections[r->n - 1];
	row		   *w = &s->rows[s->n - 1];
	field	   *f;

	if (w->n == w->cap)
	{
		w->cap = w->cap ? w->cap * 2 : 8;
		w->fields = mem_realloc(w->fields, w->cap * sizeof(field));
	}
	f = &w->fields[w->n++];
	f->key = mem_strdup(key);
	f->value = value ? mem_strdup(value) : NULL;
	f->type = value ? type : F_NULL;
	f->label = label;
	f->hidden = false;
	f->metric = metric;
	f->help = help;
}

void
report_str(report *r, const char *key, const char *value, bool label)
{
	add(r, key, value, F_STR, label, NULL, NULL);
}

void
report_num(report *r, const char *key, const char *value, const char *metric, const char *help)
{
	add(r, key, value, F_NUM, false, metric, help);
}

void
report_age(report *r, const char *name, long long minutes, const char *metric, const char *help)
{
	char		key[64];
	char		seconds[32];

	snprintf(key, sizeof(key), "%s_minutes", name);
	if (minutes < 0)
		report_num(r, key, NULL, NULL, NULL);
	else
		report_int(r, key, minutes, NULL, NULL);
	snprintf(key, sizeof(key), "%s_seconds", name);
	snprintf(seconds, sizeof(seconds), minutes < 0 ? "+Inf" : "%lld", minutes * 60);
	report_num(r, key, seconds, metric, help);
}

void
report_int(report *r, const char *key, long long value, const char *metric, const char *help)
{
	char		buf[32];

	snprintf(buf, sizeof(buf), "%lld", value);
	add(r, key, buf, F_NUM, false, metric, help);
}

void
report_bool(report *r, const char *key, bool value)
{
	add(r, key, value ? "true" : "false", F_BOOL, false, NULL, NULL);
}

void
report_summary(report *r, const char *fmt,...)
{
	va_list		ap;

	if (r->summary.len)
		sbuf_appends(&r->summary, "; ");
	va_start(ap, fmt);
	sbuf_vappendf(&r->summary, fmt, ap);
	va_end(ap);
}

void
report_perf(report *r, const char *label, long long value)
{
	sbuf_appendf(&r->perf, "%s%s=%lld", r->perf.len ? " " : "", label, value);
}

void
report_sample(report *r, const char *metric, const char *help, const char *value)
{
	section    *s = &r->sections[r->n - 1];
	row		   *w = &s->rows[s->n - 1];

	add(r, metric, value, F_NUM, false, metric, help);
	w->fields[w->n - 1].hidden = true;
}

void
report_timestamp_sample(report *r, const char *metric, const char *help, int64_t ms)
{
	char		v[32];

	if (ms < 0)
	{
		report_sample(r, metric, help, NULL);
		return;
	}
	snprintf(v, sizeof(v), "%lld.%03lld", (long long) (ms / 1000), (long long) (ms % 1000));
	report_sample(r, metric, help, v);
}

void
report_loaded_at(report *r, const char *unique_id, int64_t ms)
{
	section    *s = &r->sections[r->n - 1];
	row		   *w = &s->rows[s->n - 1];

	free(w->unique_id);
	w->unique_id = mem_strdup(unique_id);
	w->loaded_at_ms = ms;
}

void
report_thresholds(report *r, double warn, double crit)
{
	section    *s = &r->sections[r->n - 1];
	row		   *w = &s->rows[s->n - 1];

	w->warn = warn;
	w->crit = crit;
	w->thresholds = true;
}

void
report_level_at_least(report *r, report_level level)
{
	if (level > r->level)
		r->level = level;
}

/* --- formats --------------------------------------------------------------- */

static void
upper(sbuf *out, const char *s)
{
	for (; *s; s++)
		sbuf_appendc(out, (char) toupper((unsigned char) *s));
}

static void
text_out(report *r, sbuf *out)
{
	for (int s = 0; s < r->n; s++)
	{
		section    *sec = &r->sections[s];
		int			ncol;
		size_t	   *w;

		if (sec->n == 0)
			continue;
		ncol = sec->rows[0].n;
		w = mem_calloc(ncol + 1, sizeof(size_t));
		w[ncol] = strlen("status");
		for (int k = 0; k < ncol; k++)
			w[k] = strlen(sec->rows[0].fields[k].key);
		for (int i = 0; i < sec->n; i++)
			for (int k = 0; k < ncol && k < sec->rows[i].n; k++)
			{
				const char *v = sec->rows[i].fields[k].value;
				size_t		len = v ? strlen(v) : 1;

				if (len > w[k])
					w[k] = len;
			}
		if (s > 0)
			sbuf_appendc(out, '\n');
		sbuf_appendf(out, "%s\n", sec->name);
		for (int k = 0; k < ncol; k++)
			if (!sec->rows[0].fields[k].hidden)
				sbuf_appendf(out, "%-*s  ", (int) w[k], sec->rows[0].fields[k].key);
		sbuf_appends(out, "status\n");
		for (int i = 0; i < sec->n; i++)
		{
			for (int k = 0; k < ncol && k < sec->rows[i].n; k++)
			{
				const field *f = &sec->rows[i].fields[k];

				if (f->hidden)
					continue;
				sbuf_appendf(out, f->type == F_NUM || f->type == F_NULL ? "%*s  " : "%-*s  ",
							 (int) w[k], f->value ? f->value : "-");
			}
			sbuf_appendf(out, "%s\n", report_level_name(sec->rows[i].level));
		}
		free(w);
	}
	if (r->n > 0)
		sbuf_appendc(out, '\n');
	upper(out, r->name);
	sbuf_appendf(out, " %s", report_level_name(r->level));
	if (r->summary.len)
		sbuf_appendf(out, ": %s", r->summary.data);
	sbuf_appendc(out, '\n');
}

static void
json_out(report *r, const char *error, sbuf *out)
{
	yajl_gen	g = jsonw_new(out, true);
	char		at[25];

	isotime_format(r->at_ms, false, at);
	yajl_gen_map_open(g);
	jsonw_str(g, "report", r->name);
	jsonw_str(g, "at", at);
	jsonw_str(g, "status", report_level_name(r->level));
	jsonw_str(g, "summary", r->summary.data);
	if (error)
		jsonw_str(g, "error", error);
	for (int s = 0; s < r->n && error == NULL; s++)
	{
		section    *sec = &r->sections[s];

		jsonw_key(g, sec->name);
		yajl_gen_array_open(g);
		for (int i = 0; i < sec->n; i++)
		{
			yajl_gen_map_open(g);
			for (int k = 0; k < sec->rows[i].n; k++)
			{
				const field *f = &sec->rows[i].fields[k];

				if (f->hidden)
					continue;
				jsonw_key(g, f->key);
				if (f->type == F_NULL || (f->type == F_NUM && strcmp(f->value, "+Inf") == 0))
					yajl_gen_null(g);
				else if (f->type == F_STR)
					yajl_gen_string(g, (const unsigned char *) f->value, strlen(f->value));
				else
					jsonw_raw(g, f->value, strlen(f->value));
			}
			jsonw_str(g, "status", report_level_name(sec->rows[i].level));
			yajl_gen_map_close(g);
		}
		yajl_gen_array_close(g);
	}
	yajl_gen_map_close(g);
	yajl_gen_free(g);
}

static void
label_value(sbuf *out, const char *v)
{
	for (; *v; v++)
	{
		if (*v == '\\' || *v == '"')
			sbuf_appendc(out, '\\');
		if (*v == '\n')
		{
			sbuf_appends(out, "\\n");
			continue;
		}
		sbuf_appendc(out, *v);
	}
}

/*
 * A field's label name in Prometheus: job and instance belong to the
 * scrape (a target's would become exported_job), so ours are prefixed.
 */
static const char *
prom_label(const char *key)
{
	if (strcmp(key, "job") == 0)
		return "ausdash_job";
	if (strcmp(key, "instance") == 0)
		return "ausdash_instance";
	return key;
}

static void
prometheus_out(report *r, const char *error, sbuf *out)
{
	const char *done[64];
	int			ndone = 0;

	int64_t		now = timeutil_epoch_ms();

	sbuf_appendf(out, "# HELP ausdash_%s_status The report's status: 0 ok, 1 warning, "
				 "2 critical, 3 unknown.\n# TYPE ausdash_%s_status gauge\nausdash_%s_status %d\n",
				 r->name, r->name, r->name, (int) r->level);
	/* the same HELP in every report's file: the textfile collector merges them */
	sbuf_appendf(out, "# HELP ausdash_build_info The ausdash version that wrote the report.\n"
				 "# TYPE ausdash_build_info gauge\n"
				 "ausdash_build_info{report=\"%s\",version=\"%s\"} 1\n", r->name, AUSDASH_VERSION);
	sbuf_appendf(out, "# HELP ausdash_report_generated_timestamp_seconds When the report was "
				 "written (Unix time).\n"
				 "# TYPE ausdash_report_generated_timestamp_seconds gauge\n"
				 "ausdash_report_generated_timestamp_seconds{report=\"%s\"} %lld.%03lld\n",
				 r->name, (long long) (now / 1000), (long long) (now % 1000));
	for (int s = 0; s < r->n && error == NULL; s++)
		for (int i = 0; i < r->sections[s].n; i++)
			for (int k = 0; k < r->sections[s].rows[i].n; k++)
			{
				const field *m = &r->sections[s].rows[i].fields[k];
				bool		seen = false;

				if (m->metric == NULL)
					continue;
				for (int d = 0; d < ndone && !seen; d++)
					seen = strcmp(done[d], m->metric) == 0;
				if (seen || ndone == 64)
					continue;
				done[ndone++] = m->metric;
				sbuf_appendf(out, "# HELP %s %s\n# TYPE %s gauge\n", m->metric, m->help, m->metric);
				/* every sample of this metric, in every section */
				for (int s2 = 0; s2 < r->n; s2++)
					for (int i2 = 0; i2 < r->sections[s2].n; i2++)
					{
						const row  *w = &r->sections[s2].rows[i2];

						for (int k2 = 0; k2 < w->n; k2++)
						{
							const field *f = &w->fields[k2];
							bool		first = true;

							if (f->metric == NULL || strcmp(f->metric, m->metric) != 0 ||
								f->type == F_NULL)
								continue;
							sbuf_appends(out, f->metric);
							for (int l = 0; l < w->n; l++)
								if (w->fields[l].label && w->fields[l].value)
								{
									sbuf_appendf(out, "%s%s=\"", first ? "{" : ",",
												 prom_label(w->fields[l].key));
									label_value(out, w->fields[l].value);
									sbuf_appendc(out, '"');
									first = false;
								}
							sbuf_appendf(out, "%s %s\n", first ? "" : "}", f->value);
						}
					}
			}
}

/*
 * Text Nagios keeps as text: one line, no "|" (perfdata follows it) and no
 * ";" (perfdata's separator, which some front ends split on too).
 */
static void
nagios_text(sbuf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len && s[i] && s[i] != '\n'; i++)
		sbuf_appendc(out, s[i] == '|' ? '/' : s[i] == ';' ? ',' : s[i]);
}

/* A row's name: its label fields' values, space-separated. */
static void
row_name(const row *w, sbuf *out)
{
	bool		first = true;

	for (int l = 0; l < w->n; l++)
		if (w->fields[l].label && w->fields[l].value)
		{
			if (!first)
				sbuf_appendc(out, ' ');
			nagios_text(out, w->fields[l].value, strlen(w->fields[l].value));
			first = false;
		}
}

/* The first sample of a row (a metric field with a value), or NULL. */
static const field *
row_sample(const row *w)
{
	for (int k = 0; k < w->n; k++)
		if (w->fields[k].metric && w->fields[k].type == F_NUM && !w->fields[k].hidden)
			return &w->fields[k];
	return NULL;
}

/*
 * Monitoring Plugins output: "<REPORT> <STATE> - <summary>: <worst
 * offenders>, and N more | <perfdata>", then (long output) one line per
 * item that is not OK; perfdata per item with its unit and thresholds.
 */
static void
nagios_out(report *r, const char *error, sbuf *out)
{
	sbuf		names;
	sbuf		longout;
	sbuf		perf;
	int			listed = 0;
	int			more = 0;
	report_level worst = REPORT_OK;
	size_t		start;

	upper(out, r->name);
	sbuf_appendc(out, ' ');
	upper(out, report_level_name(r->level));
	sbuf_appends(out, " - ");
	if (error)
	{
		nagios_text(out, error, strlen(error));
		sbuf_appendc(out, '\n');
		return;
	}
	sbuf_init(&names);
	sbuf_init(&longout);
	sbuf_init(&perf);
	nagios_text(out, r->summary.len ? r->summary.data : "no data", r->summary.len ? r->summary.len : 7);
	/* the worst items are those at the worst level any row has */
	for (int s = 0; s < r->n; s++)
		for (int i = 0; i < r->sections[s].n; i++)
			if (r->sections[s].rows[i].level > worst)
				worst = r->sections[s].rows[i].level;
	for (int s = 0; s < r->n; s++)
		for (int i = 0; i < r->sections[s].n; i++)
		{
			const row  *w = &r->sections[s].rows[i];
			const field *f = row_sample(w);

			bool		named = false;

			for (int l = 0; l < w->n && !named; l++)
				named = w->fields[l].label && w->fields[l].value;
			if (w->level != REPORT_OK)
			{
				/* the worst first: a row at the report's level is named on line one */
				if (!named)
					;
				else if (w->level == worst && listed < 3)
				{
					sbuf_appends(&names, listed++ ? ", " : "");
					row_name(w, &names);
				}
				else if (w->level == worst)
					more++;
				upper(&longout, report_level_name(w->level));
				sbuf_appendf(&longout, ": %s%s", r->sections[s].name, named ? " " : "");
				row_name(w, &longout);
				for (int k = 0; k < w->n; k++)
					if (!w->fields[k].label && !w->fields[k].hidden && w->fields[k].value)
					{
						sbuf_appendf(&longout, " %s=", w->fields[k].key);
						nagios_text(&longout, w->fields[k].value, strlen(w->fields[k].value));
					}
				sbuf_appendc(&longout, '\n');
			}
			/* per item: rows without a name are totals, already in the report's perfdata */
			if (f == NULL || !named || strcmp(f->value, "+Inf") == 0)
				continue;
			/* 'label'=value[unit];warn;crit;min; (no ' or = in a label) */
			sbuf_appends(&perf, perf.len ? " '" : "'");
			start = perf.len;
			sbuf_appendf(&perf, "%s ", r->sections[s].name);
			row_name(w, &perf);
			for (size_t c = start; c < perf.len; c++)
				if (perf.data[c] == '\'' || perf.data[c] == '=')
					perf.data[c] = '_';
			sbuf_appendf(&perf, "'=%s%s;", f->value,
						 strlen(f->metric) > 8 &&
						 strcmp(f->metric + strlen(f->metric) - 8, "_seconds") == 0 ? "s" : "");
			if (w->thresholds)
				sbuf_appendf(&perf, "%.0f;%.0f", w->warn, w->crit);
			else
				sbuf_appendc(&perf, ';');
			sbuf_appends(&perf, ";0;");
		}
	if (listed)
	{
		sbuf_appendf(out, ": %s", names.data);
		if (more)
			sbuf_appendf(out, ", and %d more", more);
	}
	if (r->perf.len || perf.len)
		sbuf_appendf(out, " | %s%s%s", r->perf.data ? r->perf.data : "",
					 r->perf.len && perf.len ? " " : "", perf.data ? perf.data : "");
	sbuf_appendc(out, '\n');
	sbuf_append(out, longout.data ? longout.data : "", longout.len);
	sbuf_release(&names);
	sbuf_release(&longout);
	sbuf_release(&perf);
}

/* A threshold in seconds as dbt's criteria: whole minutes, hours or days. */
static void
dbt_time(yajl_gen g, const char *key, double seconds)
{
	long long	m = (long long) (seconds / 60);

	jsonw_key(g, key);
	yajl_gen_map_open(g);
	if (m > 0 && m % 1440 == 0)
	{
		jsonw_int(g, "count", m / 1440);
		jsonw_str(g, "period", "day");
	}
	else if (m > 0 && m % 60 == 0)
	{
		jsonw_int(g, "count", m / 60);
		jsonw_str(g, "period", "hour");
	}
	else
	{
		jsonw_int(g, "count", m);
		jsonw_str(g, "period", "minute");
	}
	yajl_gen_map_close(g);
}

/*
 * dbt's sources.json, schema v3: what tooling made for "dbt source
 * freshness" reads (status words, max_loaded_at as an instant, criteria
 * per result).  A row's other fields, the date token among them, go in
 * adapter_response, the one free-form object of a result.
 */
static void
dbt_out(report *r, const char *error, sbuf *out)
{
	yajl_gen	g = jsonw_new(out, true);
	char		at[25];
	char		now[25];

	isotime_format(r->at_ms, false, at);
	isotime_format(timeutil_epoch_ms(), false, now);
	yajl_gen_map_open(g);
	jsonw_key(g, "metadata");
	yajl_gen_map_open(g);
	jsonw_str(g, "dbt_schema_version", "https://schemas.getdbt.com/dbt/sources/v3.json");
	jsonw_str(g, "dbt_version", "ausdash-" AUSDASH_VERSION);
	jsonw_str(g, "generated_at", now);
	jsonw_str(g, "invocation_id", NULL);
	jsonw_key(g, "env");
	yajl_gen_map_open(g);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	jsonw_key(g, "results");
	yajl_gen_array_open(g);
	if (error)
	{
		yajl_gen_map_open(g);
		jsonw_str(g, "unique_id", "source.ausdash.database.all");
		jsonw_str(g, "error", error);
		jsonw_str(g, "status", "runtime error");
		yajl_gen_map_close(g);
	}
	for (int s = 0; s < r->n && error == NULL; s++)
		for (int i = 0; i < r->sections[s].n; i++)
		{
			const row  *w = &r->sections[s].rows[i];
			const field *f = row_sample(w);
			char		loaded[25];
			static const char *const status[] = {"pass", "warn", "error", "runtime error"};

			if (w->unique_id == NULL)
				continue;
			yajl_gen_map_open(g);
			jsonw_str(g, "unique_id", w->unique_id);
			if (w->loaded_at_ms < 0 || f == NULL || strcmp(f->value, "+Inf") == 0)
			{
				jsonw_str(g, "error", "no loaded-at instant: never loaded, or a date that is none");
				jsonw_str(g, "status", "runtime error");
				yajl_gen_map_close(g);
				continue;
			}
			isotime_format(w->loaded_at_ms, false, loaded);
			jsonw_str(g, "max_loaded_at", loaded);
			jsonw_str(g, "snapshotted_at", at);
			jsonw_key(g, "max_loaded_at_time_ago_in_s");
			jsonw_raw(g, f->value, strlen(f->value));
			jsonw_str(g, "status", status[w->level]);
			jsonw_key(g, "criteria");
			yajl_gen_map_open(g);
			if (w->thresholds)
			{
				dbt_time(g, "warn_after", w->warn);
				dbt_time(g, "error_after", w->crit);
			}
			jsonw_str(g, "filter", NULL);
			yajl_gen_map_close(g);
			jsonw_key(g, "adapter_response");
			yajl_gen_map_open(g);
			for (int k = 0; k < w->n; k++)
				if (!w->fields[k].hidden && w->fields[k].value)
					jsonw_str(g, w->fields[k].key, w->fields[k].value);
			yajl_gen_map_close(g);
			jsonw_key(g, "timing");
			yajl_gen_array_open(g);
			yajl_gen_array_close(g);
			jsonw_str(g, "thread_id", "ausdash");
			jsonw_key(g, "execution_time");
			jsonw_raw(g, "0", 1);
			yajl_gen_map_close(g);
		}
	yajl_gen_array_close(g);
	{
		char		elapsed[32];

		snprintf(elapsed, sizeof(elapsed), "%.3f", (timeutil_now_us() - r->started_us) / 1e6);
		jsonw_key(g, "elapsed_time");
		jsonw_raw(g, elapsed, strlen(elapsed));
	}
	yajl_gen_map_close(g);
	yajl_gen_free(g);
	sbuf_appendc(out, '\n');
}

/* Writes out to DIR/ausdash_<name>.prom through a temporary file. */
static bool
write_textfile(report *r, const char *dir, const sbuf *out)
{
	char	   *path = mem_asprintf("%s/ausdash_%s.prom", dir, r->name);
	char	   *tmp = mem_asprintf("%s/.ausdash_%s.prom.XXXXXX", dir, r->name);
	int			fd = mkostemp(tmp, O_CLOEXEC);
	bool		ok = fd >= 0;

	if (!ok)
		log_error("could not create a temporary file in \"%s\": %m", dir);
	else
	{
		ok = fchmod(fd, 0644) == 0 && write(fd, out->data, out->len) == (ssize_t) out->len &&
			fsync(fd) == 0;
		if (close(fd) != 0)
			ok = false;
		if (ok && rename(tmp, path) != 0)
			ok = false;
		if (!ok)
		{
			log_error("could not write \"%s\": %m", path);
			unlink(tmp);
		}
	}
	free(path);
	free(tmp);
	return ok;
}

static int
emit(report *r, const char *textfile_dir, const char *error)
{
	sbuf		out;
	bool		ok = true;

	sbuf_init(&out);
	switch (r->fmt)
	{
		case REPORT_TEXT:
			if (error)
			{
				upper(&out, r->name);
				sbuf_appendf(&out, " unknown: %s\n", error);
			}
			else
				text_out(r, &out);
			break;
		case REPORT_JSON:
			json_out(r, error, &out);
			break;
		case REPORT_PROMETHEUS:
			prometheus_out(r, error, &out);
			break;
		case REPORT_NAGIOS:
			nagios_out(r, error, &out);
			break;
		case REPORT_DBT:
			dbt_out(r, error, &out);
			break;
	}
	if (r->fmt == REPORT_PROMETHEUS && textfile_dir)
		ok = write_textfile(r, textfile_dir, &out);
	else
		ok = fwrite(out.data, 1, out.len, stdout) == out.len && log_close_stdout();
	sbuf_release(&out);
	return ok ? (int) r->level : REPORT_UNKNOWN;
}

int
report_finish(report *r, const char *textfile_dir)
{
	return emit(r, textfile_dir, NULL);
}

int
report_unknown(report *r, const char *textfile_dir, const char *why)
{
	r->level = REPORT_UNKNOWN;	/* and no half-made rows are shown */
	emit(r, textfile_dir, why);
	return REPORT_UNKNOWN;
}
