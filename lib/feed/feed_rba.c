/*
 * lib/feed/feed_rba.c - the RBA statistical tables (F1, D5, F6, ...) as CSV
 * (feeds.md section 2), and the dashboard's own RBA rates CSV (its job 5).
 *
 * A metadata preamble with its labels in column A (Title, Description,
 * Frequency, Type, Units, Source, Publication date) ends at the Series ID
 * row; data rows follow, dated dd/mm/yyyy (monthly and quarterly tables)
 * or dd-Mon-yyyy (daily ones), then any number of all-empty rows.  Each
 * non-empty cell is an observation of its column's series: the series id
 * is mapped through the series table (series.source_series_code, see
 * sql/migrations), else it is "rba.<Series ID>"; the region is AU; the
 * vintage and publishedAt are the series' Publication date.  Bytes that
 * are not UTF-8 (0x96 in D5) are Windows-1252; the caller has already
 * decoded them.
 */
#include "base/common.h"

#include "feed/feed_formats.h"
#include "base/isotime.h"
#include "base/mem.h"
#include "base/banned.h"

#define RBA_URL "https://www.rba.gov.au/statistics/interest-rates/"

typedef struct rba_state
{
	int			ncols;			/* of the Series ID row */
	char	  **units;
	int			nunits;
	char	  **published;		/* YYYY-MM-DD, or NULL */
	int			npublished;
	char	  **ids;
	bool		data;
	long long	rows;
} rba_state;

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
"Sep", "Oct", "Nov", "Dec"};

/*
 * dd/mm/yyyy or dd-Mon-yyyy to YYYY-MM-DD; false if neither.  Every digit
 * must be a digit: sscanf's %d would read "31/01/ 202" as the year 202.
 */
static bool
rba_date(const char *s, char out[11])
{
	size_t		len = strlen(s);
	int			d,
				m = 0,
				y;
	char		iso[11];

	if (len == 10 && s[2] == '/' && s[5] == '/' && isotime_digits(s, len, 0, 2, &d) &&
		isotime_digits(s, len, 3, 2, &m) && isotime_digits(s, len, 6, 4, &y))
		;
	else if (len == 11 && s[2] == '-' && s[6] == '-' && isotime_digits(s, len, 0, 2, &d) &&
			 isotime_digits(s, len, 7, 4, &y))
	{
		for (int i = 0; i < 12; i++)
			if (memcmp(months[i], s + 3, 3) == 0)
				m = i + 1;
	}
	else
		return false;
	if (m < 1 || m > 12)
		return false;
	snprintf(iso, sizeof(iso), "%04d-%02d-%02d", y, m, d);
	if (!isotime_parse(iso, 10, NULL, NULL))
		return false;
	memcpy(out, iso, 11);
	return true;
}

static char **
copy_row(int n, char **fields)
{
	char	  **out = mem_calloc(n, sizeof(char *));

	for (int i = 1; i < n; i++)
		out[i] = mem_strdup(fields[i]);
	return out;
}

static void
free_row(char **row, int n)
{
	if (row == NULL)
		return;
	for (int i = 0; i < n; i++)
		free(row[i]);
	free(row);
}

static const feed_series_map *
mapped(const feed *f, const char *code)
{
	for (int i = 0; i < f->nmap; i++)
		if (strcmp(f->map[i].code, code) == 0)
			return &f->map[i];
	return NULL;
}

static bool
rba_cell(feed *f, rba_state *rs, long long line, int col, const char *date, const char *v,
		 size_t len)
{
	const feed_series_map *m = mapped(f, rs->ids[col]);
	char		series[128];
	char		published[40];
	const char *vintage = col < rs->npublished ? rs->published[col] : NULL;
	const char *unit = m ? m->unit : col < rs->nunits && *rs->units[col] ? rs->units[col] :
		"unknown";

	if (!feed_is_decimal(v, len))
		return feed_bad_row(f, line, NULL, "%s on %s: \"%.40s\" is not a number", rs->ids[col],
							date, v);
	snprintf(series, sizeof(series), m ? "%s" : "rba.%s", m ? m->series_id : rs->ids[col]);
	if (vintage)
		snprintf(published, sizeof(published), "%sT00:00:00Z", vintage);
	else
		snprintf(published, sizeof(published), "%s", f->as_of);
	feed_obs_begin(f, line);
	feed_obs_str(f, "seriesId", series);
	feed_obs_str(f, "regionCode", "AU");
	feed_obs_str(f, "countryCode", "AU");
	feed_obs_str(f, "date", date);
	feed_obs_num(f, "value", v);
	feed_obs_str(f, "unit", unit);
	feed_obs_str(f, "publishedAt", published);
	feed_obs_common(f, "RBA", RBA_URL, vintage, false);
	return feed_obs_emit(f);
}

static bool
rba_row(feed *f, void *arg, long long line, int n, char **fields, size_t *lens)
{
	rba_state  *rs = arg;
	char		date[11];
	bool		empty = true;

	for (int i = 0; i < n && empty; i++)
		empty = lens[i] == 0;
	if (empty)
		return true;			/* the padding rows (and the preamble's blank ones) */
	if (!rs->data)
	{
		const char *label = fields[0];

		if (rba_date(label, date))
			return feed_fail(f, line, "a data row before the Series ID row");
		if (strcmp(label, "Units") == 0 && rs->units == NULL)
			rs->units = copy_row(rs->nunits = n, fields);
		else if (strcmp(label, "Publication date") == 0 && rs->published == NULL)
		{
			rs->published = mem_calloc(rs->npublished = n, sizeof(char *));
			for (int i = 1; i < n; i++)
				if (lens[i] > 0)
				{
					if (!rba_date(fields[i], date))
						return feed_fail(f, line, "Publication date \"%.40s\" is not a date "
										 "(dd-Mon-yyyy)", fields[i]);
					rs->published[i] = mem_strdup(date);
				}
		}
		else if (strcmp(label, "Series ID") == 0)
		{
			rs->ncols = n;
			rs->ids = copy_row(n, fields);
			rs->data = true;
		}
		return true;
	}
	if (n != rs->ncols)
		return feed_bad_row(f, line, NULL, "%d fields where the Series ID row has %d", n,
							rs->ncols);
	if (!rba_date(fields[0], date))
		return feed_bad_row(f, line, NULL, "\"%.40s\" is not a date (dd/mm/yyyy or "
							"dd-Mon-yyyy)", fields[0]);
	rs->rows++;
	for (int i = 1; i < n; i++)
		if (lens[i] > 0 && rs->ids[i][0] != '\0' &&
			!rba_cell(f, rs, line, i, date, fields[i], lens[i]))
			return false;
	return true;
}

static bool
parse_rba_table(feed *f, const char *buf, size_t len)
{
	rba_state	rs = {0};
	bool		ok;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		buf += 3, len -= 3;
	ok = feed_util_csv_rows(f, buf, len, rba_row, &rs);
	if (ok && !rs.data)
		ok = feed_fail(f, 0, "no Series ID row: not an RBA statistical table");
	else if (ok && rs.rows == 0)
		ok = feed_fail(f, 0, "no data rows after the Series ID row");
	free_row(rs.units, rs.nunits);
	free_row(rs.published, rs.npublished);
	free_row(rs.ids, rs.ncols);
	return ok;
}

const feed_format feed_rba_table = {
	"rba-table", "text/csv", NULL, true, true,
	"an RBA statistical table CSV (F1, D5, F6, ...; Series ID mapped through the series table)",
	parse_rba_table, NULL
};

#define RBA_URL "https://www.rba.gov.au/statistics/interest-rates/"

/* --- the dashboard's RBA rates CSV (job 5) ----------------------------------- */

typedef struct rcsv
{
	bool		header;
	int			col[3];			/* date, oo_variable_pct, oo_fixed_pct */
	int			ncols;
	char		vintage[11];
	bool		emit;
} rcsv;

static const char *const rcsv_names[] = {"date", "oo_variable_pct", "oo_fixed_pct"};
static const char *const rcsv_series[] = {NULL, "rates.oo.variable_pct", "rates.oo.fixed_pct"};

static bool
rcsv_row(feed *f, void *arg, long long line, int n, char **fields, size_t *lens)
{
	rcsv	   *rc = arg;
	const char *date;
	char		published[32];

	if (!rc->header)
	{
		rc->header = true;
		rc->ncols = n;
		for (int k = 0; k < 3; k++)
		{
			rc->col[k] = -1;
			for (int i = 0; i < n; i++)
				if (strcmp(fields[i], rcsv_names[k]) == 0)
					rc->col[k] = i;
			if (rc->col[k] < 0)
				return feed_fail(f, line, "the header has no %s column (expected "
								 "date,oo_variable_pct,oo_fixed_pct)", rcsv_names[k]);
		}
		return true;
	}
	if (!rc->emit)
	{
		/* the first pass: the newest valid date; the second reports bad rows */
		date = n == rc->ncols ? fields[rc->col[0]] : "";
		if (strlen(date) == 10 && isotime_parse(date, 10, NULL, NULL) &&
			strcmp(date, rc->vintage) > 0)
			snprintf(rc->vintage, sizeof(rc->vintage), "%s", date);
		return true;
	}
	if (n != rc->ncols)
		return feed_bad_row(f, line, NULL, "%d fields where the header has %d", n, rc->ncols);
	date = fields[rc->col[0]];
	if (lens[rc->col[0]] != 10 || !isotime_parse(date, 10, NULL, NULL))
		return feed_bad_row(f, line, NULL, "date \"%.40s\" is not a date (YYYY-MM-DD)", date);
	for (int k = 1; k < 3; k++)
		if (lens[rc->col[k]] > 0 && !feed_is_decimal(fields[rc->col[k]], lens[rc->col[k]]))
			return feed_bad_row(f, line, NULL, "%s \"%.40s\" is not a number", rcsv_names[k],
								fields[rc->col[k]]);
	snprintf(published, sizeof(published), "%sT00:00:00Z", date);
	for (int k = 1; k < 3; k++)
	{
		if (lens[rc->col[k]] == 0)
			continue;
		feed_obs_begin(f, line);
		feed_obs_str(f, "seriesId", rcsv_series[k]);
		feed_obs_str(f, "regionCode", "AU");
		feed_obs_str(f, "date", date);
		feed_obs_num(f, "value", fields[rc->col[k]]);
		feed_obs_str(f, "unit", "%");
		feed_obs_str(f, "publishedAt", published);
		feed_obs_common(f, "RBA", RBA_URL, rc->vintage, false);
		if (!feed_obs_emit(f))
			return false;
	}
	return true;
}

static bool
parse_rba_rates(feed *f, const char *buf, size_t len)
{
	rcsv		rc = {0};

	/* the first pass finds the vintage (the newest date), the second emits */
	if (!feed_util_csv_rows(f, buf, len, rcsv_row, &rc))
		return false;
	if (!rc.header)
		return feed_fail(f, 0, "no header line");
	rc.header = false;
	rc.emit = true;
	if (!feed_util_csv_rows(f, buf, len, rcsv_row, &rc))
		return false;
	if (rc.vintage[0] == '\0')
		return feed_fail(f, 0, "no rows with a date (YYYY-MM-DD)");
	return true;
}

const feed_format feed_rba_rates = {
	"rba-rates-csv", "text/csv", NULL, false, false,
	"the dashboard's RBA rates CSV (date,oo_variable_pct,oo_fixed_pct)",
	parse_rba_rates, NULL
};
