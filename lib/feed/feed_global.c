/*
 * lib/feed/feed_global.c - global wholesale prices (EIA, ENTSO-E, the NEA China proxy)
 * (aus-dash-reference.md section 7), mapped to observations exactly as the
 * dashboard's jobs map them.
 */
#include "base/common.h"

#include <math.h>

#include "feed/feed_formats.h"
#include "base/isotime.h"
#include "base/mem.h"
#include "base/banned.h"

#define EIA_URL "https://www.eia.gov/opendata/documentation.php"
#define ENTSOE_URL "https://transparency.entsoe.eu/api"
#define NEA_URL "https://fjb.nea.gov.cn/dtyw/gjnyjdt/202309/t20230915_83144.html"

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
	yajl_val	arr = feed_jrow_array(f, buf, len, sp->array, &root);
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
		feed_jrow		j;
		yajl_val	cc;
		const char *country = sp->country;
		const char *region;
		const char *start;
		const char *end;
		const char *price;

		feed_jrow_init(&j, f, arr->u.array.values[i], sp->array, i);
		region = feed_jrow_str(&j, sp->region_key[0], sp->region_key[1]);
		start = feed_jrow_time(&j, "intervalStartUtc", "interval_start_utc");
		end = feed_jrow_time(&j, "intervalEndUtc", "interval_end_utc");
		price = feed_jrow_num(&j, sp->price_key[0], sp->price_key[1]);
		cc = j.bad ? NULL : feed_util_json_get2(j.r, "countryCode", "country_code");
		if (cc || country == NULL)
			country = feed_jrow_str(&j, "countryCode", "country_code");
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

const feed_format feed_global_eia = {
	"eia-wholesale-json", "application/json", NULL, false, false,
	"the dashboard's EIA JSON ({wholesale:[...]}: US wholesale prices, USD/MWh)",
	parse_eia, NULL
};

const feed_format feed_global_entsoe = {
	"entsoe-json", "application/json", NULL, false, false,
	"the dashboard's ENTSO-E JSON ({data:[...]}: day-ahead prices, EUR/MWh)",
	parse_entsoe, NULL
};

/* The NEA proxy: a yearly CNY/kWh price, stored per MWh (x 1000), modeled. */
static bool
parse_nea(feed *f, const char *buf, size_t len)
{
	yajl_val	root;
	yajl_val	arr = feed_jrow_array(f, buf, len, "points", &root);
	bool		ok = true;

	if (arr == NULL)
		return false;
	for (size_t i = 0; ok && i < arr->u.array.len; i++)
	{
		feed_jrow		j;
		const char *country;
		const char *period;
		const char *price;
		double		v;
		char		published[32];
		int64_t		ms;

		feed_jrow_init(&j, f, arr->u.array.values[i], "points", i);
		country = feed_jrow_str(&j, "countryCode", "country_code");
		period = feed_jrow_str(&j, "period", NULL);
		price = feed_jrow_num(&j, "priceCnyKwh", "price_cny_kwh");
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

const feed_format feed_global_nea = {
	"nea-json", "application/json", NULL, false, false,
	"the dashboard's NEA China proxy JSON ({points:[{countryCode, period, priceCnyKwh}]})",
	parse_nea, NULL
};
