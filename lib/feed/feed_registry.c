/*
 * lib/feed/feed_registry.c - every feed format and known source, in one
 * table each.  Adding a format is one file in lib/feed/ and one row here
 * (docs/architecture.md).
 */
#include "base/common.h"

#include "feed/feed_formats.h"
#include "feed/feed_registry.h"
#include "base/banned.h"

const feed_format *const feed_registry_formats[] = {
	&feed_wholesale_csv,
	&feed_aer_prd,
	&feed_aer_dmo,
	&feed_abs_housing,
	&feed_abs_cpi,
	&feed_rba_rates,
	&feed_aemo_mms,
	&feed_aemo_5min_json,
	&feed_rba_table,
	&feed_aemo_source_mix,
	&feed_global_eia,
	&feed_global_entsoe,
	&feed_global_nea,
	&feed_generic_ndjson,
	&feed_generic_csv,
	NULL
};

/* The dashboard's sources (aus-dash-reference.md section 7) and their jobs. */
const feed_source feed_registry_sources[] = {
	{"abs_cpi", "abs-cpi-json", "sync-macro-abs-cpi-daily"},
	{"abs_housing", "abs-housing-json", "sync-housing-abs-daily"},
	{"aemo_nem_source_mix", "source-mix-json", "sync-energy-source-mix-operational-5m"},
	{"aemo_wem_source_mix", "source-mix-json", "sync-energy-source-mix-operational-5m"},
	{"aemo_wholesale", "wholesale-csv", "sync-energy-wholesale-5m"},
	{"aer_prd", "aer-prd-json", "sync-energy-retail-prd-hourly"},
	{"eia_electricity", "eia-wholesale-json", "sync-energy-wholesale-global-hourly"},
	{"entsoe_wholesale", "entsoe-json", "sync-energy-wholesale-global-hourly"},
	{"nea_china_wholesale_proxy", "nea-json", "sync-energy-wholesale-global-hourly"},
	{"rba_rates", "rba-rates-csv", "sync-housing-rba-daily"},
	{NULL, NULL, NULL}
};

/*
 * The series codes of sql/migrations/0005_feed_formats.up.sql, for runs
 * without a database (the store backend); a test checks that they agree.
 */
const feed_series_map feed_registry_builtin_map[] = {
	{"FLRHOFFA", "rates.oo.fixed_pct", "%"},
	{"FLRHOFVA", "rates.oo.variable_pct", "%"},
	{NULL, NULL, NULL}
};

const feed_format *
feed_registry_format(const char *name)
{
	for (int i = 0; feed_registry_formats[i]; i++)
		if (strcmp(feed_registry_formats[i]->name, name) == 0)
			return feed_registry_formats[i];
	return NULL;
}

const feed_format *
feed_registry_sniff(const char *buf, size_t len)
{
	for (int i = 0; feed_registry_formats[i]; i++)
		if (feed_registry_formats[i]->sniff && feed_registry_formats[i]->sniff(buf, len))
			return feed_registry_formats[i];
	return NULL;
}

const feed_source *
feed_registry_source(const char *source_id)
{
	for (int i = 0; feed_registry_sources[i].source_id; i++)
		if (strcmp(feed_registry_sources[i].source_id, source_id) == 0)
			return &feed_registry_sources[i];
	return NULL;
}
