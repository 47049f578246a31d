/*
 * lib/feed/feed_abs.c - ABS housing and CPI electricity, as the dashboard fetches them
 * (aus-dash-reference.md section 7), mapped to observations exactly as the
 * dashboard's jobs map them.
 */
#include "base/common.h"

#include <math.h>

#include "feed/feed_formats.h"
#include "base/isotime.h"
#include "base/mem.h"
#include "base/banned.h"

#define ABS_URL "https://www.abs.gov.au/about/data-services/application-programming-interfaces-apis/data-api-user-guide"
#define ABS_CPI_URL "https://www.abs.gov.au/statistics/economy/price-indexes-and-inflation/consumer-price-index-australia/latest-release"

/* --- ABS housing and CPI (jobs 1 and 6) -------------------------------------- */

static bool
parse_abs(feed *f, const char *buf, size_t len, bool cpi)
{
	yajl_val	root;
	yajl_val	arr = feed_jrow_array(f, buf, len, "observations", &root);
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
		feed_jrow		j;
		const char *series = "energy.cpi.electricity.index";
		const char *region;
		const char *date;
		const char *value;
		yajl_val	unit;
		char		published[40];
		int64_t		ms;

		feed_jrow_init(&j, f, arr->u.array.values[i], "observations", i);
		if (!cpi)
			series = feed_jrow_str(&j, "series_id", "seriesId");
		region = feed_jrow_str(&j, "region_code", "regionCode");
		date = feed_jrow_str(&j, "date", NULL);
		value = feed_jrow_num(&j, "value", NULL);
		unit = feed_util_json_get(j.r, "unit");
		if (!j.bad && unit && !YAJL_IS_STRING(unit))
			feed_jrow_bad(&j, "unit", "a string", unit);
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

const feed_format feed_abs_housing = {
	"abs-housing-json", "application/json", NULL, false, false,
	"ABS housing JSON ({observations:[{series_id, region_code, date, value, unit}]})",
	parse_abs_housing, NULL
};

const feed_format feed_abs_cpi = {
	"abs-cpi-json", "application/json", NULL, false, false,
	"ABS CPI electricity JSON ({observations:[{region_code, date, value, unit}]}, quarters)",
	parse_abs_cpi, NULL
};
