/*
 * lib/feed/feed_wholesale.c - the aggregate every wholesale price format ends
 * in: the regional prices of each interval plus the demand-weighted AU
 * price (aus-dash-reference.md section 7, job 2: for each distinct
 * timestamp in ascending order, sum(RRP * demand) / sum(demand)); and the
 * dashboard's own wholesale CSV, which it is computed from.
 */
#include "base/common.h"

#include <math.h>
#include <stdarg.h>

#include "feed/feed_formats.h"
#include "base/isotime.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/banned.h"

#define SERIES_AU "energy.wholesale.rrp.au_weighted_aud_mwh"
#define AEMO_NAME "AEMO"
#define AEMO_URL "https://www.aemo.com.au/energy-systems/electricity/national-electricity-market-nem/data-nem/data-dashboard-nem"
#define METHODOLOGY "energy-wholesale-v1"

/* --- the aggregate --------------------------------------------------------- */

/* Texts are the payload's, whole (heap copies): nothing is cut to a length. */
typedef struct wrow
{
	char	   *date;
	char	   *start;
	char	   *published;
	char	   *region;
	size_t		rrp;			/* offset in text */
	double		rrp_v;
	double		demand;
	const char *series;
	bool		in_au;
	long long	line;
	long long	ord;
} wrow;

typedef struct wdemand
{
	char	   *date;
	char	   *region;
	bool		intervention;
	double		demand;
} wdemand;

struct feed_wholesale
{
	wrow	   *rows;
	long long	n;
	long long	cap;
	sbuf		text;
	char	  **tainted;		/* intervals with a rejected row: no AU value */
	long long	ntainted;
	wdemand    *demand;			/* demands given apart (MMS REGIONSUM) */
	long long	ndemand;
	long long	capdemand;
};

/* NSW1 -> NSW, as a heap copy */
static char *
region_code(const char *region, size_t len)
{
	if (len > 1 && region[len - 1] == '1')
		len--;
	return mem_strndup(region, len);
}

feed_wholesale *
feed_wholesale_new(void)
{
	feed_wholesale *w = mem_calloc(1, sizeof(feed_wholesale));

	sbuf_init(&w->text);
	return w;
}

void
feed_wholesale_free(feed_wholesale **wp)
{
	feed_wholesale *w = *wp;

	if (w == NULL)
		return;
	*wp = NULL;
	for (long long i = 0; i < w->n; i++)
	{
		free(w->rows[i].date);
		free(w->rows[i].start);
		free(w->rows[i].published);
		free(w->rows[i].region);
	}
	for (long long i = 0; i < w->ndemand; i++)
	{
		free(w->demand[i].date);
		free(w->demand[i].region);
	}
	for (long long i = 0; i < w->ntainted; i++)
		free(w->tainted[i]);
	free(w->rows);
	free(w->demand);
	free(w->tainted);
	sbuf_release(&w->text);
	free(w);
}

void
feed_wholesale_add(feed_wholesale *w, const char *date, const char *start,
				   const char *published, const char *region, size_t region_len,
				   const char *rrp, double demand, const char *series, bool in_au,
				   long long line)
{
	wrow	   *r;

	if (w->n == w->cap)
	{
		w->cap = w->cap ? w->cap * 2 : 64;
		w->rows = mem_realloc(w->rows, w->cap * sizeof(wrow));
	}
	r = &w->rows[w->n];
	memset(r, 0, sizeof(*r));
	r->date = mem_strdup(date);
	r->start = mem_strdup(start);
	r->published = mem_strdup(published);
	r->region = region_code(region, region_len);
	r->rrp = w->text.len;
	sbuf_appends(&w->text, rrp);
	sbuf_appendc(&w->text, '\0');
	feed_decimal_value(rrp, strlen(rrp), &r->rrp_v);
	r->demand = demand;
	r->series = series;
	r->in_au = in_au;
	r->line = line;
	r->ord = w->n++;
}

bool
feed_wholesale_bad_row(feed *f, feed_wholesale *w, const char *date, long long line,
					   const char *fmt,...)
{
	va_list		ap;
	sbuf		msg;
	bool		ok;

	w->tainted = mem_realloc(w->tainted, (w->ntainted + 1) * sizeof(*w->tainted));
	w->tainted[w->ntainted++] = mem_strdup(date);
	sbuf_init(&msg);
	va_start(ap, fmt);
	sbuf_vappendf(&msg, fmt, ap);
	va_end(ap);
	ok = feed_bad_row(f, line, NULL, "%s", msg.data);
	sbuf_release(&msg);
	return ok;
}

const char *
feed_wholesale_rrp_problem(const char *text, size_t len)
{
	double		v;

	if (!feed_is_decimal(text, len))
		return "is not a number";
	if (!feed_decimal_value(text, len, &v))
		return "is out of range";
	return NULL;
}

static bool
tainted(const feed_wholesale *w, const char *date)
{
	for (long long i = 0; i < w->ntainted; i++)
		if (strcmp(w->tainted[i], date) == 0)
			return true;
	return false;
}

long long
feed_wholesale_count(const feed_wholesale *w)
{
	return w->n;
}

void
feed_wholesale_add_demand(feed_wholesale *w, const char *date, const char *region,
						  size_t region_len, bool intervention, double demand)
{
	wdemand    *d;

	if (w->ndemand == w->capdemand)
	{
		w->capdemand = w->capdemand ? w->capdemand * 2 : 64;
		w->demand = mem_realloc(w->demand, w->capdemand * sizeof(wdemand));
	}
	d = &w->demand[w->ndemand++];
	d->date = mem_strdup(date);
	d->region = region_code(region, region_len);
	d->intervention = intervention;
	d->demand = demand;
}

/* Rows without a demand of their own take the one given apart, if any. */
static void
join_demand(feed_wholesale *w)
{
	for (long long i = 0; i < w->n && w->ndemand > 0; i++)
	{
		wrow	   *r = &w->rows[i];
		bool		intervention = strcmp(r->series, FEED_SERIES_INTERVENTION) == 0;

		if (!isnan(r->demand))
			continue;
		for (long long k = 0; k < w->ndemand; k++)
		{
			const wdemand *d = &w->demand[k];

			if (d->intervention == intervention && strcmp(d->date, r->date) == 0 &&
				strcmp(d->region, r->region) == 0)
			{
				r->demand = d->demand;
				break;
			}
		}
	}
}

static int
wrow_cmp(const void *a, const void *b)
{
	const wrow *x = a;
	const wrow *y = b;
	int			c = strcmp(x->date, y->date);

	if (c != 0)
		return c;
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static bool
emit_price(feed *f, const wrow *r, const char *series, const char *region,
		   const char *market, const char *value, double v, long long line)
{
	feed_obs_begin(f, line);
	feed_obs_str(f, "seriesId", series);
	feed_obs_str(f, "regionCode", region);
	feed_obs_str(f, "countryCode", "AU");
	feed_obs_str(f, "market", market);
	feed_obs_str(f, "metricFamily", "wholesale");
	feed_obs_str(f, "date", r->date);
	feed_obs_str(f, "intervalStartUtc", r->start);
	feed_obs_str(f, "intervalEndUtc", r->date);
	if (value)
		feed_obs_num(f, "value", value);
	else
		feed_obs_double(f, "value", v);
	feed_obs_str(f, "unit", "aud_mwh");
	feed_obs_str(f, "currency", "AUD");
	feed_obs_str(f, "publishedAt", r->published);
	feed_obs_common(f, AEMO_NAME, AEMO_URL, NULL, false);
	feed_obs_str(f, "methodologyVersion", METHODOLOGY);
	return feed_obs_emit(f);
}

bool
feed_wholesale_emit(feed *f, feed_wholesale *w)
{
	join_demand(w);
	if (w->n > 1)
		qsort(w->rows, w->n, sizeof(wrow), wrow_cmp);
	for (long long i = 0; i < w->n;)
	{
		long long	j = i;
		long long	in_au = 0;
		bool		all_demand = true;
		/* long double: RRP * demand cannot overflow where the mean is a double */
		long double weighted = 0;
		long double total = 0;

		while (j < w->n && strcmp(w->rows[j].date, w->rows[i].date) == 0)
		{
			const wrow *r = &w->rows[j];

			if (r->in_au)
			{
				in_au++;
				if (isnan(r->demand))
					all_demand = false;
				else
				{
					weighted += (long double) r->rrp_v * r->demand;
					total += r->demand;
				}
			}
			j++;
		}
		if (in_au > 0 && all_demand && tainted(w, w->rows[i].date))
		{
			log_warning("\"%s\": no AU value at %s: a row of that interval was rejected",
						f->name, w->rows[i].date);
			f->skipped++;
		}
		else if (in_au > 0 && all_demand)
		{
			if (total <= 0)
			{
				if (!feed_bad_row(f, w->rows[i].line, NULL,
								  "total demand at %s is %Lg: no demand-weighted price",
								  w->rows[i].date, total))
					return false;
			}
			else if (!emit_price(f, &w->rows[i], SERIES_AU, "AU", "NEM", NULL,
								 (double) (weighted / total), w->rows[i].line))
				return false;
		}
		for (long long k = i; k < j; k++)
		{
			const wrow *r = &w->rows[k];

			if (!emit_price(f, r, r->series, r->region, r->region, w->text.data + r->rrp,
							0, r->line))
				return false;
		}
		i = j;
	}
	return true;
}

/* --- the wholesale CSV (job 2) ---------------------------------------------- */

typedef struct wcsv
{
	feed_wholesale *w;
	int			col[4];			/* SETTLEMENTDATE, REGIONID, RRP, TOTALDEMAND */
	int			ncols;
	bool		header;
} wcsv;

static const char *const wcsv_names[] = {"SETTLEMENTDATE", "REGIONID", "RRP", "TOTALDEMAND"};

static bool
wcsv_row(feed *f, void *arg, long long line, int n, char **fields, size_t *lens)
{
	wcsv	   *wc = arg;
	const char *date;
	const char *why;
	double		demand;

	if (!wc->header)
	{
		wc->header = true;
		wc->ncols = n;
		for (int k = 0; k < 4; k++)
		{
			wc->col[k] = -1;
			for (int i = 0; i < n; i++)
				if (strcmp(fields[i], wcsv_names[k]) == 0)
				{
					/* which of two would be meant is anyone's guess */
					if (wc->col[k] >= 0)
						return feed_fail(f, line, "the header has %s twice (columns %d and %d)",
										 wcsv_names[k], wc->col[k] + 1, i + 1);
					wc->col[k] = i;
				}
			if (wc->col[k] < 0)
				return feed_fail(f, line, "the header has no %s column (expected "
								 "SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND)", wcsv_names[k]);
		}
		return true;
	}
	if (n != wc->ncols)
		return feed_bad_row(f, line, NULL, "%d fields where the header has %d", n, wc->ncols);
	date = fields[wc->col[0]];
	if (!isotime_parse(date, lens[wc->col[0]], NULL, NULL))
		return feed_bad_row(f, line, NULL, "SETTLEMENTDATE \"%.40s\" is not an ISO 8601 "
							"timestamp", date);
	if (lens[wc->col[1]] == 0)
		return feed_wholesale_bad_row(f, wc->w, date, line, "REGIONID is empty");
	if ((why = feed_wholesale_rrp_problem(fields[wc->col[2]], lens[wc->col[2]])) != NULL)
		return feed_wholesale_bad_row(f, wc->w, date, line, "RRP \"%.40s\" %s",
									  fields[wc->col[2]], why);
	if (!feed_decimal_value(fields[wc->col[3]], lens[wc->col[3]], &demand))
		return feed_wholesale_bad_row(f, wc->w, date, line,
									  "TOTALDEMAND \"%.40s\" is not a number",
									  fields[wc->col[3]]);
	feed_wholesale_add(wc->w, date, date, date, fields[wc->col[1]], lens[wc->col[1]],
					   fields[wc->col[2]], demand, "energy.wholesale.rrp.region_aud_mwh",
					   true, line);
	return true;
}

static bool
parse_wholesale_csv(feed *f, const char *buf, size_t len)
{
	wcsv		wc = {0};
	bool		ok;

	wc.w = feed_wholesale_new();
	ok = feed_util_csv_rows(f, buf, len, wcsv_row, &wc);
	if (ok && !wc.header)
		ok = feed_fail(f, 0, "no header line");
	if (ok)
		ok = feed_wholesale_emit(f, wc.w);
	feed_wholesale_free(&wc.w);
	return ok;
}

const feed_format feed_wholesale_csv = {
	"wholesale-csv", "text/csv", NULL, false, false,
	"the dashboard's wholesale CSV (SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND)",
	parse_wholesale_csv, NULL
};
