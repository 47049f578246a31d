/*
 * lib/feed/feed_dash.c - the payload shapes the dashboard's own jobs fetch and
 * store in their raw snapshots (aus-dash-reference.md section 7), mapped
 * to observations exactly as those jobs map them: series ids, units,
 * vintages, publishedAt, market and methodology fields.
 *
 * JSON field names are read in both spellings the dashboard has used
 * (the live clients' snake_case and the fixtures' camelCase).  Where a job
 * takes the ingest date, the snapshot's capture date (feed.as_of) stands
 * in for it, so a replay maps a snapshot as its first run did.
 */
#include "base/common.h"

#include <math.h>

#include "feed/feed_formats.h"
#include "base/isotime.h"
#include "base/mem.h"
#include "base/banned.h"

#define AER_URL "https://www.aer.gov.au/energy-product-reference-data"
#define ABS_URL "https://www.abs.gov.au/about/data-services/application-programming-interfaces-apis/data-api-user-guide"
#define ABS_CPI_URL "https://www.abs.gov.au/statistics/economy/price-indexes-and-inflation/consumer-price-index-australia/latest-release"
#define RBA_URL "https://www.rba.gov.au/statistics/interest-rates/"
#define NEM_URL "https://www.aemo.com.au/energy-systems/electricity/national-electricity-market-nem/data-nem/data-dashboard-nem"
#define WEM_URL "https://www.aemo.com.au/energy-systems/electricity/wholesale-electricity-market-wem/data-wem/data-dashboard-wem"
#define EIA_URL "https://www.eia.gov/opendata/documentation.php"
#define ENTSOE_URL "https://transparency.entsoe.eu/api"
#define NEA_URL "https://fjb.nea.gov.cn/dtyw/gjnyjdt/202309/t20230915_83144.html"

/* --- one JSON record's fields, with the first error kept ------------------ */

typedef struct jrow
{
	feed	   *f;
	yajl_val	r;
	char		path[80];
	bool		bad;
	bool		go_on;
} jrow;

static void
jrow_init(jrow *j, feed *f, yajl_val r, const char *array, size_t i)
{
	j->f = f;
	j->r = r;
	snprintf(j->path, sizeof(j->path), "%s[%zu]", array, i);
	j->bad = false;
	j->go_on = true;
	if (!YAJL_IS_OBJECT(r))
	{
		j->bad = true;
		j->go_on = feed_bad_row(f, 0, j->path, "expected an object, found %s",
								feed_util_json_type(r));
	}
}

static void
jrow_bad(jrow *j, const char *key, const char *expected, yajl_val v)
{
	char		p[128];

	if (j->bad)
		return;
	j->bad = true;
	snprintf(p, sizeof(p), "%s.%s", j->path, key);
	j->go_on = feed_bad_row(j->f, 0, p, "expected %s, found %s", expected,
							feed_util_json_type(v));
}

/* A non-empty string under k1 (or k2), or NULL (the row is then bad). */
static const char *
jrow_str(jrow *j, const char *k1, const char *k2)
{
	yajl_val	v;

	if (j->bad)
		return NULL;
	v = k2 ? feed_util_json_get2(j->r, k1, k2) : feed_util_json_get(j->r, k1);
	if (!YAJL_IS_STRING(v) || v->u.string[0] == '\0')
	{
		jrow_bad(j, k1, "a non-empty string", v);
		return NULL;
	}
	return v->u.string;
}

/* A number's text under k1 (or k2), or NULL (the row is then bad). */
static const char *
jrow_num(jrow *j, const char *k1, const char *k2)
{
	yajl_val	v;

	if (j->bad)
		return NULL;
	v = k2 ? feed_util_json_get2(j->r, k1, k2) : feed_util_json_get(j->r, k1);
	if (!YAJL_IS_NUMBER(v) || !feed_is_decimal(v->u.number.r, strlen(v->u.number.r)))
	{
		jrow_bad(j, k1, "a number", v);
		return NULL;
	}
	return v->u.number.r;
}

/* A timestamp string under k1 (or k2). */
static const char *
jrow_time(jrow *j, const char *k1, const char *k2)
{
	const char *s = jrow_str(j, k1, k2);

	if (s && !isotime_parse(s, strlen(s), NULL, NULL))
	{
		char		p[128];

		j->bad = true;
		snprintf(p, sizeof(p), "%s.%s", j->path, k1);
		j->go_on = feed_bad_row(j->f, 0, p, "\"%.40s\" is not an ISO 8601 timestamp", s);
		return NULL;
	}
	return s;
}

/* Parses buf and returns the array under key (NULL: f->error set). */
static yajl_val
json_array(feed *f, const char *buf, size_t len, const char *key, yajl_val *root)
{
	yajl_val	arr;

	*root = feed_util_json_parse(f, buf, len);
	if (*root == NULL)
		return NULL;
	arr = feed_util_json_array(f, *root, "", key);
	if (arr == NULL)
	{
		yajl_tree_free(*root);
		*root = NULL;
	}
	return arr;
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
	feed_wholesale_free(wc.w);
	return ok;
}

const feed_format feed_dash_wholesale_csv = {
	"wholesale-csv", "text/csv", NULL, false, false,
	"the dashboard's wholesale CSV (SETTLEMENTDATE,REGIONID,RRP,TOTALDEMAND)",
	parse_wholesale_csv
};

/* --- AER product reference data (jobs 3 and 4) ------------------------------ */

typedef struct plans
{
	char	  **region;			/* per plan */
	double	   *bill;
	long long	n;
	long long	cap;
} plans;

static int
dbl_cmp(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return x < y ? -1 : x > y;
}

/* Mean and median of the bills of region (NULL: all), in payload order. */
static bool
plan_stats(const plans *p, const char *region, double *mean, double *median)
{
	double	   *v = mem_malloc((p->n + 1) * sizeof(double));
	long long	k = 0;
	long double sum = 0;		/* two bills near DBL_MAX still have a mean */

	for (long long i = 0; i < p->n; i++)
		if (region == NULL || strcmp(p->region[i], region) == 0)
		{
			v[k++] = p->bill[i];
			sum += p->bill[i];
		}
	if (k > 0)
	{
		*mean = (double) (sum / k);
		qsort(v, k, sizeof(double), dbl_cmp);
		*median = k % 2 ? v[k / 2] : (double) (((long double) v[k / 2 - 1] + v[k / 2]) / 2);
	}
	free(v);
	return k > 0;
}

static bool
read_plans(feed *f, const char *buf, size_t len, plans *p)
{
	yajl_val	root;
	yajl_val	arr = json_array(f, buf, len, "data", &root);

	if (arr == NULL)
		return false;
	for (size_t i = 0; i < arr->u.array.len; i++)
	{
		jrow		j;
		yajl_val	attrs = feed_util_json_get(arr->u.array.values[i], "attributes");
		const char *region;
		const char *type;
		const char *bill;

		jrow_init(&j, f, arr->u.array.values[i], "data", i);
		if (attrs)
		{
			j.r = attrs;
			snprintf(j.path + strlen(j.path), sizeof(j.path) - strlen(j.path), ".attributes");
		}
		region = jrow_str(&j, "region_code", "regionCode");
		type = jrow_str(&j, "customer_type", "customerType");
		bill = jrow_num(&j, "annual_bill_aud", "annualBillAud");
		if (j.bad)
		{
			if (!j.go_on)
			{
				yajl_tree_free(root);
				return false;
			}
			continue;
		}
		if (strcmp(type, "residential") != 0)
		{
			f->skipped++;
			continue;
		}
		if (p->n == p->cap)
		{
			p->cap = p->cap ? p->cap * 2 : 32;
			p->region = mem_realloc(p->region, p->cap * sizeof(char *));
			p->bill = mem_realloc(p->bill, p->cap * sizeof(double));
		}
		if (!feed_decimal_value(bill, strlen(bill), &p->bill[p->n]))
		{
			/* a mean needs a finite number */
			if (!feed_bad_row(f, 0, j.path, "annual_bill_aud %.40s is out of range", bill))
			{
				yajl_tree_free(root);
				return false;
			}
			continue;
		}
		p->region[p->n] = mem_strdup(region);
		p->n++;
	}
	yajl_tree_free(root);
	if (p->n == 0)
		return feed_fail_path(f, "data", "no residential plans");
	return true;
}

static void
free_plans(plans *p)
{
	for (long long i = 0; i < p->n; i++)
		free(p->region[i]);
	free(p->region);
	free(p->bill);
}

static bool
emit_bill(feed *f, const char *series, const char *region, double v, bool dmo)
{
	char		start[32];
	char		end[32];

	snprintf(start, sizeof(start), "%sT00:00:00Z", f->as_of_date);
	snprintf(end, sizeof(end), "%sT23:59:59Z", f->as_of_date);
	feed_obs_begin(f, 0);
	feed_obs_str(f, "seriesId", series);
	feed_obs_str(f, "regionCode", region);
	feed_obs_str(f, "countryCode", "AU");
	feed_obs_str(f, "market", dmo || strcmp(region, "AU") == 0 ? "NEM" : region);
	feed_obs_str(f, "metricFamily", "retail");
	feed_obs_str(f, "date", f->as_of_date);
	if (!dmo)
	{
		feed_obs_str(f, "intervalStartUtc", start);
		feed_obs_str(f, "intervalEndUtc", end);
	}
	feed_obs_double(f, "value", v);
	feed_obs_str(f, "unit", "aud");
	feed_obs_str(f, "currency", "AUD");
	if (!dmo)
	{
		feed_obs_str(f, "taxStatus", "incl_tax");
		feed_obs_str(f, "consumptionBand", "household_mid");
	}
	feed_obs_str(f, "publishedAt", start);
	feed_obs_common(f, dmo ? "AER DMO benchmark (modeled)" : "AER", AER_URL, NULL, dmo);
	feed_obs_str(f, "methodologyVersion", dmo ? "energy-benchmark-dmo-v1" :
				 "energy-retail-prd-v1");
	return feed_obs_emit(f);
}

/* The distinct regions of p, in order of first appearance. */
static long long
plan_regions(const plans *p, const char **out)
{
	long long	n = 0;

	for (long long i = 0; i < p->n; i++)
	{
		bool		seen = false;

		for (long long k = 0; k < n && !seen; k++)
			seen = strcmp(out[k], p->region[i]) == 0;
		if (!seen)
			out[n++] = p->region[i];
	}
	return n;
}

static bool
parse_aer(feed *f, const char *buf, size_t len, bool dmo)
{
	plans		p = {0};
	const char **regions;
	long long	nr;
	double		mean,
				median,
				sum = 0;
	bool		ok;

	if (!read_plans(f, buf, len, &p))
	{
		free_plans(&p);
		return false;
	}
	regions = mem_malloc(p.n * sizeof(char *));
	nr = plan_regions(&p, regions);
	if (dmo)
	{
		/* per region the mean; AU the mean of the regional means */
		ok = true;
		for (long long k = 0; k < nr && ok; k++)
		{
			plan_stats(&p, regions[k], &mean, &median);
			sum += mean;
			ok = emit_bill(f, "energy.benchmark.dmo.annual_bill_aud", regions[k], mean, true);
		}
		ok = ok && emit_bill(f, "energy.benchmark.dmo.annual_bill_aud", "AU", sum / nr, true);
	}
	else
	{
		plan_stats(&p, NULL, &mean, &median);
		ok = emit_bill(f, "energy.retail.offer.annual_bill_aud.mean", "AU", mean, false) &&
			emit_bill(f, "energy.retail.offer.annual_bill_aud.median", "AU", median, false);
		for (long long k = 0; k < nr && ok; k++)
		{
			plan_stats(&p, regions[k], &mean, &median);
			ok = emit_bill(f, "energy.retail.offer.annual_bill_aud.mean", regions[k], mean,
						   false) &&
				emit_bill(f, "energy.retail.offer.annual_bill_aud.median", regions[k], median,
						  false);
		}
	}
	free(regions);
	free_plans(&p);
	return ok;
}

static bool
parse_aer_prd(feed *f, const char *buf, size_t len)
{
	return parse_aer(f, buf, len, false);
}

static bool
parse_aer_dmo(feed *f, const char *buf, size_t len)
{
	return parse_aer(f, buf, len, true);
}

const feed_format feed_dash_aer_prd = {
	"aer-prd-json", "application/json", NULL, false, false,
	"AER product reference JSON: residential annual bill mean and median, AU and regions",
	parse_aer_prd
};

const feed_format feed_dash_aer_dmo = {
	"aer-dmo-json", "application/json", "sync-energy-benchmark-dmo-daily", false, false,
	"AER product reference JSON as the DMO benchmark (regional means, AU their mean)",
	parse_aer_dmo
};

/* --- ABS housing and CPI (jobs 1 and 6) -------------------------------------- */

static bool
parse_abs(feed *f, const char *buf, size_t len, bool cpi)
{
	yajl_val	root;
	yajl_val	arr = json_array(f, buf, len, "observations", &root);
	char		vintage[FEED_TOKEN_MAX] = "";
	bool		ok = true;

	if (arr == NULL)
		return false;
	/* housing: the vintage is the newest date of the payload */
	for (size_t i = 0; !cpi && i < arr->u.array.len; i++)
	{
		yajl_val	d = feed_util_json_get(arr->u.array.values[i], "date");

		if (YAJL_IS_STRING(d) && strlen(d->u.string) < sizeof(vintage) &&
			isotime_parse(d->u.string, strlen(d->u.string), NULL, NULL) &&
			(vintage[0] == '\0' || datetoken_cmp(d->u.string, vintage) > 0))
			snprintf(vintage, sizeof(vintage), "%s", d->u.string);
	}
	for (size_t i = 0; ok && i < arr->u.array.len; i++)
	{
		jrow		j;
		const char *series = "energy.cpi.electricity.index";
		const char *region;
		const char *date;
		const char *value;
		yajl_val	unit;
		char		published[40];
		int64_t		ms;

		jrow_init(&j, f, arr->u.array.values[i], "observations", i);
		if (!cpi)
			series = jrow_str(&j, "series_id", "seriesId");
		region = jrow_str(&j, "region_code", "regionCode");
		date = jrow_str(&j, "date", NULL);
		value = jrow_num(&j, "value", NULL);
		unit = feed_util_json_get(j.r, "unit");
		if (!j.bad && unit && !YAJL_IS_STRING(unit))
			jrow_bad(&j, "unit", "a string", unit);
		if (!j.bad && !cpi && !isotime_parse(date, strlen(date), NULL, NULL))
		{
			j.bad = true;
			j.go_on = feed_bad_row(f, 0, j.path, "date \"%.40s\" is not a date (YYYY-MM-DD)",
								   date);
		}
		if (!j.bad && cpi && (strlen(date) != 7 || date[4] != '-' || date[5] != 'Q' ||
							  !datetoken_ms(date, &ms)))
		{
			j.bad = true;
			j.go_on = feed_bad_row(f, 0, j.path, "date \"%.40s\" is not a quarter (YYYY-Qn)",
								   date);
		}
		if (j.bad)
		{
			ok = j.go_on;
			continue;
		}
		feed_obs_begin(f, 0);
		feed_obs_str(f, "seriesId", series);
		feed_obs_str(f, "regionCode", region);
		if (cpi)
		{
			feed_obs_str(f, "countryCode", "AU");
			feed_obs_str(f, "market", "AU");
			feed_obs_str(f, "metricFamily", "macro");
		}
		feed_obs_str(f, "date", date);
		feed_obs_num(f, "value", value);
		feed_obs_str(f, "unit", unit ? unit->u.string : "index");
		if (cpi)
			snprintf(published, sizeof(published), "%s", f->as_of);
		else
			snprintf(published, sizeof(published), "%.10sT00:00:00Z", date);
		feed_obs_str(f, "publishedAt", published);
		/* housing: the payload's vintage; CPI: the capture date */
		feed_obs_common(f, cpi ? "ABS CPI" : "ABS", cpi ? ABS_CPI_URL : ABS_URL,
						cpi ? NULL : vintage, false);
		if (cpi)
			feed_obs_str(f, "methodologyVersion", "macro-abs-cpi-v1");
		ok = feed_obs_emit(f);
	}
	yajl_tree_free(root);
	return ok;
}

static bool
parse_abs_housing(feed *f, const char *buf, size_t len)
{
	return parse_abs(f, buf, len, false);
}

static bool
parse_abs_cpi(feed *f, const char *buf, size_t len)
{
	return parse_abs(f, buf, len, true);
}

const feed_format feed_dash_abs_housing = {
	"abs-housing-json", "application/json", NULL, false, false,
	"ABS housing JSON ({observations:[{series_id, region_code, date, value, unit}]})",
	parse_abs_housing
};

const feed_format feed_dash_abs_cpi = {
	"abs-cpi-json", "application/json", NULL, false, false,
	"ABS CPI electricity JSON ({observations:[{region_code, date, value, unit}]}, quarters)",
	parse_abs_cpi
};

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

const feed_format feed_dash_rba_rates = {
	"rba-rates-csv", "text/csv", NULL, false, false,
	"the dashboard's RBA rates CSV (date,oo_variable_pct,oo_fixed_pct)",
	parse_rba_rates
};

/* --- operational source mix (AEMO NEM and WEM dashboards) ---------------------- */

static const char *const mix_keys[] = {"coal", "gas", "hydro", "oil", "other_renewables", NULL};

/*
 * One region's shares.  The AU row of the dashboard's job is computed
 * across the NEM and WEM payloads together, so it is not produced from one
 * snapshot.
 */
static bool
parse_source_mix(feed *f, const char *buf, size_t len)
{
	yajl_val	root;
	yajl_val	arr = json_array(f, buf, len, "data", &root);
	yajl_val	start;
	bool		wem = f->source_id && strcmp(f->source_id, "aemo_wem_source_mix") == 0;
	bool		ok = true;

	if (arr == NULL)
		return false;
	start = feed_util_json_get2(root, "interval_start_utc", "intervalStartUtc");
	if (!YAJL_IS_STRING(start) ||
		!isotime_parse(start->u.string, strlen(start->u.string), NULL, NULL))
	{
		/* the message first: start belongs to the tree */
		feed_fail_path(f, "interval_start_utc", "expected an ISO 8601 timestamp, found %s",
					   YAJL_IS_STRING(start) ? "another string" : feed_util_json_type(start));
		yajl_tree_free(root);
		return false;
	}
	for (size_t i = 0; ok && i < arr->u.array.len; i++)
	{
		jrow		j;
		const char *region;
		const char *key;
		const char *share;
		char		series[96];
		bool		known = false;

		jrow_init(&j, f, arr->u.array.values[i], "data", i);
		region = jrow_str(&j, "region_code", "regionCode");
		key = jrow_str(&j, "source_key", "sourceKey");
		share = jrow_num(&j, "share_pct", "sharePct");
		for (int k = 0; !j.bad && mix_keys[k] && !known; k++)
			known = strcmp(mix_keys[k], key) == 0;
		if (!j.bad && !known)
		{
			j.bad = true;
			j.go_on = feed_bad_row(f, 0, j.path, "unknown source_key \"%.40s\" (expected "
								   "coal, gas, hydro, oil or other_renewables)", key);
		}
		if (j.bad)
		{
			ok = j.go_on;
			continue;
		}
		snprintf(series, sizeof(series), "energy.source_mix.operational.share_pct.%s", key);
		feed_obs_begin(f, 0);
		feed_obs_str(f, "seriesId", series);
		feed_obs_str(f, "regionCode", region);
		feed_obs_str(f, "countryCode", "AU");
		feed_obs_str(f, "market", wem ? "WEM" : "NEM");
		feed_obs_str(f, "metricFamily", "source_mix");
		feed_obs_str(f, "date", start->u.string);
		feed_obs_str(f, "intervalStartUtc", start->u.string);
		feed_obs_str(f, "intervalEndUtc", start->u.string);
		feed_obs_num(f, "value", share);
		feed_obs_str(f, "unit", "pct");
		feed_obs_str(f, "publishedAt", start->u.string);
		feed_obs_common(f, "AEMO", wem ? WEM_URL : NEM_URL, NULL, false);
		feed_obs_str(f, "methodologyVersion", "energy-source-mix-v1");
		ok = feed_obs_emit(f);
	}
	yajl_tree_free(root);
	return ok;
}

const feed_format feed_dash_source_mix = {
	"source-mix-json", "application/json", NULL, false, false,
	"AEMO NEM/WEM operational fuel mix JSON ({interval_start_utc, data:[...]})",
	parse_source_mix
};

/* --- global wholesale prices (EIA, ENTSO-E, NEA proxy) ------------------------ */

typedef struct spot
{
	const char *array;			/* the records' array */
	const char *series;
	const char *region_key[2];
	const char *price_key[2];
	const char *country;		/* default country code */
	const char *market;			/* NULL: the country code */
	const char *unit;
	const char *currency;
	const char *name;
	const char *url;
	const char *methodology;
} spot;

static const spot eia_spot = {
	"wholesale", "energy.wholesale.spot.country.usd_mwh", {"regionCode", "region_code"},
	{"priceUsdMwh", "lmp_usd_mwh"}, "US", NULL, "usd_mwh", "USD", "EIA", EIA_URL,
	"energy-global-eia-v1"
};

static const spot entsoe_spot = {
	"data", "energy.wholesale.spot.country.local_mwh", {"biddingZone", "bidding_zone"},
	{"priceEurMwh", "day_ahead_price_eur_mwh"}, NULL, "ENTSOE", "eur_mwh", "EUR", "ENTSO-E",
	ENTSOE_URL, "energy-global-entsoe-v1"
};

static bool
parse_spot(feed *f, const char *buf, size_t len, const spot *sp)
{
	yajl_val	root;
	yajl_val	arr = json_array(f, buf, len, sp->array, &root);
	yajl_val	other;
	bool		ok = true;

	if (arr == NULL)
		return false;
	/* EIA's retail prices belong to the retail job */
	other = feed_util_json_get(root, "retail");
	if (sp == &eia_spot && YAJL_IS_ARRAY(other))
		f->skipped += other->u.array.len;
	for (size_t i = 0; ok && i < arr->u.array.len; i++)
	{
		jrow		j;
		yajl_val	cc;
		const char *country = sp->country;
		const char *region;
		const char *start;
		const char *end;
		const char *price;

		jrow_init(&j, f, arr->u.array.values[i], sp->array, i);
		region = jrow_str(&j, sp->region_key[0], sp->region_key[1]);
		start = jrow_time(&j, "intervalStartUtc", "interval_start_utc");
		end = jrow_time(&j, "intervalEndUtc", "interval_end_utc");
		price = jrow_num(&j, sp->price_key[0], sp->price_key[1]);
		cc = j.bad ? NULL : feed_util_json_get2(j.r, "countryCode", "country_code");
		if (cc || country == NULL)
			country = jrow_str(&j, "countryCode", "country_code");
		if (j.bad)
		{
			ok = j.go_on;
			continue;
		}
		feed_obs_begin(f, 0);
		feed_obs_str(f, "seriesId", sp->series);
		feed_obs_str(f, "regionCode", region);
		feed_obs_str(f, "countryCode", country);
		feed_obs_str(f, "market", sp->market ? sp->market : country);
		feed_obs_str(f, "metricFamily", "wholesale");
		feed_obs_str(f, "date", start);
		feed_obs_str(f, "intervalStartUtc", start);
		feed_obs_str(f, "intervalEndUtc", end);
		feed_obs_num(f, "value", price);
		feed_obs_str(f, "unit", sp->unit);
		feed_obs_str(f, "currency", sp->currency);
		feed_obs_str(f, "publishedAt", end);
		feed_obs_common(f, sp->name, sp->url, NULL, false);
		feed_obs_str(f, "methodologyVersion", sp->methodology);
		ok = feed_obs_emit(f);
	}
	yajl_tree_free(root);
	return ok;
}

static bool
parse_eia(feed *f, const char *buf, size_t len)
{
	return parse_spot(f, buf, len, &eia_spot);
}

static bool
parse_entsoe(feed *f, const char *buf, size_t len)
{
	return parse_spot(f, buf, len, &entsoe_spot);
}

const feed_format feed_dash_eia = {
	"eia-wholesale-json", "application/json", NULL, false, false,
	"the dashboard's EIA JSON ({wholesale:[...]}: US wholesale prices, USD/MWh)",
	parse_eia
};

const feed_format feed_dash_entsoe = {
	"entsoe-json", "application/json", NULL, false, false,
	"the dashboard's ENTSO-E JSON ({data:[...]}: day-ahead prices, EUR/MWh)",
	parse_entsoe
};

/* The NEA proxy: a yearly CNY/kWh price, stored per MWh (x 1000), modeled. */
static bool
parse_nea(feed *f, const char *buf, size_t len)
{
	yajl_val	root;
	yajl_val	arr = json_array(f, buf, len, "points", &root);
	bool		ok = true;

	if (arr == NULL)
		return false;
	for (size_t i = 0; ok && i < arr->u.array.len; i++)
	{
		jrow		j;
		const char *country;
		const char *period;
		const char *price;
		double		v;
		char		published[32];
		int64_t		ms;

		jrow_init(&j, f, arr->u.array.values[i], "points", i);
		country = jrow_str(&j, "countryCode", "country_code");
		period = jrow_str(&j, "period", NULL);
		price = jrow_num(&j, "priceCnyKwh", "price_cny_kwh");
		if (!j.bad && (strlen(period) != 4 || !datetoken_ms(period, &ms)))
		{
			j.bad = true;
			j.go_on = feed_bad_row(f, 0, j.path, "period \"%.40s\" is not a year", period);
		}
		if (j.bad)
		{
			ok = j.go_on;
			continue;
		}
		if (!feed_decimal_value(price, strlen(price), &v) || !isfinite(v * 1000))
		{
			ok = feed_bad_row(f, 0, j.path, "priceCnyKwh %.40s is out of range", price);
			continue;
		}
		snprintf(published, sizeof(published), "%s-01-01T00:00:00Z", period);
		feed_obs_begin(f, 0);
		feed_obs_str(f, "seriesId", "energy.wholesale.spot.country.local_mwh");
		feed_obs_str(f, "regionCode", country);
		feed_obs_str(f, "countryCode", country);
		feed_obs_str(f, "market", "CN_NEA_PROXY");
		feed_obs_str(f, "metricFamily", "wholesale");
		feed_obs_str(f, "date", period);
		feed_obs_double(f, "value", v * 1000);
		feed_obs_str(f, "unit", "cny_mwh");
		feed_obs_str(f, "currency", "CNY");
		feed_obs_str(f, "publishedAt", published);
		feed_obs_common(f, "NEA wholesale proxy", NEA_URL, NULL, true);
		feed_obs_str(f, "methodologyVersion", "energy-global-cn-wholesale-proxy-v1");
		ok = feed_obs_emit(f);
	}
	yajl_tree_free(root);
	return ok;
}

const feed_format feed_dash_nea = {
	"nea-json", "application/json", NULL, false, false,
	"the dashboard's NEA China proxy JSON ({points:[{countryCode, period, priceCnyKwh}]})",
	parse_nea
};
