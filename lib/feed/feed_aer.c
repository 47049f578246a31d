/*
 * lib/feed/feed_aer.c - AER product reference data: the dashboard's retail bill jobs
 * (aus-dash-reference.md section 7), mapped to observations exactly as the
 * dashboard's jobs map them.
 */
#include "base/common.h"

#include <math.h>

#include "feed/feed_formats.h"
#include "base/isotime.h"
#include "base/mem.h"
#include "base/banned.h"

#define AER_URL "https://www.aer.gov.au/energy-product-reference-data"

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
	yajl_val	arr = feed_jrow_array(f, buf, len, "data", &root);

	if (arr == NULL)
		return false;
	for (size_t i = 0; i < arr->u.array.len; i++)
	{
		feed_jrow		j;
		yajl_val	attrs = feed_util_json_get(arr->u.array.values[i], "attributes");
		const char *region;
		const char *type;
		const char *bill;

		feed_jrow_init(&j, f, arr->u.array.values[i], "data", i);
		if (attrs)
		{
			j.r = attrs;
			snprintf(j.path + strlen(j.path), sizeof(j.path) - strlen(j.path), ".attributes");
		}
		region = feed_jrow_str(&j, "region_code", "regionCode");
		type = feed_jrow_str(&j, "customer_type", "customerType");
		bill = feed_jrow_num(&j, "annual_bill_aud", "annualBillAud");
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

const feed_format feed_aer_prd = {
	"aer-prd-json", "application/json", NULL, false, false,
	"AER product reference JSON: residential annual bill mean and median, AU and regions",
	parse_aer_prd, NULL
};

const feed_format feed_aer_dmo = {
	"aer-dmo-json", "application/json", "sync-energy-benchmark-dmo-daily", false, false,
	"AER product reference JSON as the DMO benchmark (regional means, AU their mean)",
	parse_aer_dmo, NULL
};
