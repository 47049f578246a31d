/*
 * lib/feed/feed_aemo.c - AEMO: the NEMweb MMS "C/I/D" CSV files, the
 * aemo.com.au dashboard 5MIN JSON, the NEM and WEM dashboards' operational
 * fuel mix (the dashboard's source-mix job), and the aggregate that
 * every wholesale format ends in (regional prices plus the
 * demand-weighted AU price, aus-dash-reference.md section 7, job 2).
 *
 * MMS files (feeds.md section 1): the first line is the C header, each
 * table's columns come from its I row (matched on report, sub-report and
 * version, never on position), D rows are data, and the last line
 * C,"END OF REPORT",n counts every line of the file, so a file cut short
 * is caught.  Times are NEM time, fixed at +10:00, and SETTLEMENTDATE is
 * the end of the interval.  Rows with INTERVENTION=1 are kept apart in
 * their own series, out of the AU value.
 */
#include "base/common.h"

#include "feed/feed_formats.h"
#include "base/isotime.h"
#include "base/mem.h"
#include "base/banned.h"

#define SERIES_REGION "energy.wholesale.rrp.region_aud_mwh"
#define SERIES_TRADING "energy.wholesale.trading_rrp.region_aud_mwh"

/* --- MMS C/I/D CSV ----------------------------------------------------------- */

#define MMS_MAX_TABLES 64

typedef enum mms_kind
{
	MMS_OTHER,
	MMS_DISPATCH_PRICE,
	MMS_REGIONSUM,
	MMS_DREGION,
	MMS_TRADING_PRICE
} mms_kind;

typedef struct mms_table
{
	char	   *id;				/* "report,sub,version" */
	mms_kind	kind;
	int			ncols;
	int			settlementdate;
	int			regionid;
	int			rrp;
	int			intervention;
	int			totaldemand;
	int			lastchanged;
} mms_table;

typedef struct mms_state
{
	feed_wholesale *w;
	mms_table	tables[MMS_MAX_TABLES];
	int			ntables;
	bool		header_seen;
	long long	footer_line;
	long long	footer_count;
	long long	data_rows;		/* D rows of the price tables */
} mms_state;

static void
table_id(char *buf, size_t size, char **fields)
{
	snprintf(buf, size, "%s,%s,%s", fields[1], fields[2], fields[3]);
}

static int
column(int n, char **fields, const char *name)
{
	for (int i = 4; i < n; i++)
		if (strcmp(fields[i], name) == 0)
			return i;
	return -1;
}

static bool
mms_i_row(feed *f, mms_state *ms, long long line, int n, char **fields)
{
	char		id[256];
	mms_table  *t = NULL;

	if (n < 5)
		return feed_fail(f, line, "an I row needs a report, a sub-report, a version and "
						 "columns (it has %d fields)", n);
	table_id(id, sizeof(id), fields);
	for (int i = 0; i < ms->ntables; i++)
		if (strcmp(ms->tables[i].id, id) == 0)
			t = &ms->tables[i];
	if (t == NULL)
	{
		if (ms->ntables == MMS_MAX_TABLES)
			return feed_fail(f, line, "more than %d tables", MMS_MAX_TABLES);
		t = &ms->tables[ms->ntables++];
		t->id = mem_strdup(id);
	}
	t->ncols = n;
	t->settlementdate = column(n, fields, "SETTLEMENTDATE");
	t->regionid = column(n, fields, "REGIONID");
	t->rrp = column(n, fields, "RRP");
	t->intervention = column(n, fields, "INTERVENTION");
	t->totaldemand = column(n, fields, "TOTALDEMAND");
	t->lastchanged = column(n, fields, "LASTCHANGED");
	if (strcmp(fields[1], "DISPATCH") == 0 && strcmp(fields[2], "PRICE") == 0)
		t->kind = MMS_DISPATCH_PRICE;
	else if (strcmp(fields[1], "DISPATCH") == 0 && strcmp(fields[2], "REGIONSUM") == 0)
		t->kind = MMS_REGIONSUM;
	else if (strcmp(fields[1], "DREGION") == 0)
		t->kind = MMS_DREGION;
	else if (strcmp(fields[1], "TRADING") == 0 && strcmp(fields[2], "PRICE") == 0)
		t->kind = MMS_TRADING_PRICE;
	else
		t->kind = MMS_OTHER;
	if (t->kind == MMS_OTHER)
		return true;
	if (t->settlementdate < 0 || t->regionid < 0)
		return feed_fail(f, line, "table %s has no SETTLEMENTDATE or REGIONID column", id);
	if (t->kind == MMS_REGIONSUM ? t->totaldemand < 0 : t->rrp < 0)
		return feed_fail(f, line, "table %s has no %s column", id,
						 t->kind == MMS_REGIONSUM ? "TOTALDEMAND" : "RRP");
	return true;
}

static bool
bad_time(feed *f, long long line, const char *what, const char *s)
{
	return feed_bad_row(f, line, NULL, "%s \"%.40s\" is not a time (YYYY/MM/DD HH:MM:SS)",
						what, s);
}

static bool
mms_d_row(feed *f, mms_state *ms, long long line, int n, char **fields, size_t *lens)
{
	char		id[256];
	mms_table  *t = NULL;
	char		date[21];
	char		start[21];
	char		published[25];
	char		iso[25];
	bool		intervention = false;
	double		demand = FEED_NO_DEMAND;
	const char *why;
	int64_t		ms_end;

	if (n < 4)
		return feed_fail(f, line, "a D row needs a report, a sub-report and a version");
	table_id(id, sizeof(id), fields);
	for (int i = 0; i < ms->ntables; i++)
		if (strcmp(ms->tables[i].id, id) == 0)
			t = &ms->tables[i];
	if (t == NULL)
		return feed_fail(f, line, "D row of table %s before its I row", id);
	if (t->kind == MMS_OTHER)
		return true;
	ms->data_rows++;
	if (n != t->ncols)
		return feed_bad_row(f, line, NULL, "%d fields where the I row of %s has %d", n, id,
							t->ncols);
	if (!feed_nem_to_utc(fields[t->settlementdate], lens[t->settlementdate], date))
		return bad_time(f, line, "SETTLEMENTDATE", fields[t->settlementdate]);
	if (t->intervention >= 0)
	{
		const char *iv = fields[t->intervention];

		if (strcmp(iv, "0") != 0 && strcmp(iv, "1") != 0)
			return feed_wholesale_bad_row(f, ms->w, date, line, "INTERVENTION \"%.20s\" is neither 0 nor 1", iv);
		intervention = iv[0] == '1';
	}
	if (lens[t->regionid] == 0)
		return feed_wholesale_bad_row(f, ms->w, date, line, "REGIONID is empty");
	if (t->totaldemand >= 0)
	{
		const char *d = fields[t->totaldemand];

		if (!feed_decimal_value(d, strlen(d), &demand))
			return feed_wholesale_bad_row(f, ms->w, date, line, "TOTALDEMAND \"%.40s\" is not a number", d);
	}
	if (t->kind == MMS_REGIONSUM)
	{
		feed_wholesale_add_demand(ms->w, date, fields[t->regionid], lens[t->regionid],
								  intervention, demand);
		return true;
	}
	if ((why = feed_wholesale_rrp_problem(fields[t->rrp], lens[t->rrp])) != NULL)
		return feed_wholesale_bad_row(f, ms->w, date, line, "RRP \"%.40s\" %s", fields[t->rrp],
									  why);
	/* the interval: 5 minutes ending at SETTLEMENTDATE */
	datetoken_ms(date, &ms_end);
	isotime_format(ms_end - 5 * 60 * 1000, false, iso);
	snprintf(start, sizeof(start), "%.19sZ", iso);
	snprintf(published, sizeof(published), "%s", date);
	if (t->lastchanged >= 0 && lens[t->lastchanged] > 0)
	{
		char		lc[21];

		if (!feed_nem_to_utc(fields[t->lastchanged], lens[t->lastchanged], lc))
			return feed_wholesale_bad_row(f, ms->w, date, line, "LASTCHANGED \"%.40s\" is not a time",
										  fields[t->lastchanged]);
		snprintf(published, sizeof(published), "%s", lc);
	}
	feed_wholesale_add(ms->w, date, start, published, fields[t->regionid], lens[t->regionid],
					   fields[t->rrp], demand,
					   t->kind == MMS_TRADING_PRICE ? SERIES_TRADING :
					   intervention ? FEED_SERIES_INTERVENTION : SERIES_REGION,
					   t->kind != MMS_TRADING_PRICE && !intervention, line);
	return true;
}

static bool
mms_row(feed *f, void *arg, long long line, int n, char **fields, size_t *lens)
{
	mms_state  *ms = arg;

	if (ms->footer_line > 0)
		return feed_fail(f, line, "data after the END OF REPORT line %lld", ms->footer_line);
	if (!ms->header_seen)
	{
		if (strcmp(fields[0], "C") != 0 || n < 3)
			return feed_fail(f, line, "not an AEMO MMS file: the first line must be its "
							 "C header (C,<system>,<report>,...)");
		ms->header_seen = true;
		return true;
	}
	if (strcmp(fields[0], "C") == 0)
	{
		if (n >= 2 && strcmp(fields[1], "END OF REPORT") == 0)
		{
			char	   *end;

			ms->footer_line = line;
			ms->footer_count = n >= 3 ? strtoll(fields[2], &end, 10) : -1;
			if (n < 3 || lens[2] == 0 || *end != '\0' || ms->footer_count < 0)
				return feed_fail(f, line, "END OF REPORT without a line count");
		}
		return true;
	}
	if (strcmp(fields[0], "I") == 0)
		return mms_i_row(f, ms, line, n, fields);
	if (strcmp(fields[0], "D") == 0)
		return mms_d_row(f, ms, line, n, fields, lens);
	return feed_fail(f, line, "unknown record type \"%.20s\" (expected C, I or D)", fields[0]);
}

static bool
parse_mms(feed *f, const char *buf, size_t len)
{
	mms_state	ms = {0};
	bool		ok;

	ms.w = feed_wholesale_new();
	ok = feed_util_csv_rows(f, buf, len, mms_row, &ms);
	if (ok && f->check_footer)
	{
		long long	lines = feed_util_count_lines(buf, len);

		if (ms.footer_line == 0)
			ok = feed_fail(f, lines, "no END OF REPORT line: the file is truncated");
		else if (ms.footer_count != lines)
			ok = feed_fail(f, ms.footer_line, "END OF REPORT counts %lld lines but the file "
						   "has %lld: it is truncated or altered", ms.footer_count, lines);
	}
	if (ok && ms.data_rows == 0)
		ok = feed_fail(f, 0, "no DISPATCH PRICE, DISPATCH REGIONSUM, DREGION or TRADING "
					   "PRICE rows");
	if (ok)
		ok = feed_wholesale_emit(f, ms.w);
	for (int i = 0; i < ms.ntables; i++)
		free(ms.tables[i].id);
	feed_wholesale_free(&ms.w);
	return ok;
}

/* Every MMS file starts with its C record: "C,NEMP.WORLD,<report>,AEMO,..." */
static bool
sniff_mms(const char *buf, size_t len)
{
	static const char sig[] = "C,NEMP.WORLD,";

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
	{
		buf += 3;
		len -= 3;
	}
	return len >= sizeof(sig) - 1 && memcmp(buf, sig, sizeof(sig) - 1) == 0;
}

const feed_format feed_aemo_mms = {
	"aemo-mms", "text/csv", NULL, false, false,
	"AEMO NEMweb MMS C/I/D CSV (DISPATCH PRICE and REGIONSUM, DREGION, TRADING PRICE)",
	parse_mms, sniff_mms
};

/* --- the aemo.com.au dashboard 5MIN JSON ---------------------------------- */

static bool
parse_5min(feed *f, const char *buf, size_t len)
{
	yajl_val	root = feed_util_json_parse(f, buf, len);
	yajl_val	arr;
	feed_wholesale *w;
	bool		ok = true;

	if (root == NULL)
		return false;
	arr = feed_util_json_array(f, root, "", "5MIN");
	if (arr == NULL)
	{
		yajl_tree_free(root);
		return false;
	}
	w = feed_wholesale_new();
	for (size_t i = 0; ok && i < arr->u.array.len; i++)
	{
		yajl_val	r = arr->u.array.values[i];
		yajl_val	sd = feed_util_json_get(r, "SETTLEMENTDATE");
		yajl_val	region = feed_util_json_get(r, "REGIONID");
		yajl_val	rrp = feed_util_json_get(r, "RRP");
		yajl_val	demand = feed_util_json_get(r, "TOTALDEMAND");
		yajl_val	type = feed_util_json_get(r, "PERIODTYPE");
		char		path[64];
		char		date[21];
		char		start[25];
		double		d = FEED_NO_DEMAND;
		int64_t		end_ms;

		snprintf(path, sizeof(path), "5MIN[%zu]", i);
		if (!YAJL_IS_OBJECT(r))
		{
			ok = feed_bad_row(f, 0, path, "expected an object, found %s", feed_util_json_type(r));
			continue;
		}
		if (type && YAJL_IS_STRING(type) && strcmp(type->u.string, "ACTUAL") != 0)
		{
			f->skipped++;		/* forecasts are not prices */
			continue;
		}
		if (!YAJL_IS_STRING(sd) || !feed_nem_to_utc(sd->u.string, strlen(sd->u.string), date))
		{
			ok = feed_bad_row(f, 0, path, "SETTLEMENTDATE: expected a NEM time "
							  "(YYYY-MM-DDTHH:MM:SS), found %s", feed_util_json_type(sd));
			continue;
		}
		if (!YAJL_IS_STRING(region) || region->u.string[0] == '\0')
		{
			ok = feed_bad_row(f, 0, path, "REGIONID: expected a region, found %s",
							  feed_util_json_type(region));
			continue;
		}
		if (!YAJL_IS_NUMBER(rrp) ||
			!feed_is_decimal(rrp->u.number.r, strlen(rrp->u.number.r)))
		{
			ok = feed_bad_row(f, 0, path, "RRP: expected a number, found %s",
							  feed_util_json_type(rrp));
			continue;
		}
		if (feed_wholesale_rrp_problem(rrp->u.number.r, strlen(rrp->u.number.r)))
		{
			ok = feed_bad_row(f, 0, path, "RRP %.40s is out of range", rrp->u.number.r);
			continue;
		}
		if (demand && !(YAJL_IS_NUMBER(demand) &&
						feed_decimal_value(demand->u.number.r,
										   strlen(demand->u.number.r), &d)))
		{
			ok = feed_bad_row(f, 0, path, "TOTALDEMAND: expected a number, found %s",
							  feed_util_json_type(demand));
			continue;
		}
		datetoken_ms(date, &end_ms);
		isotime_format(end_ms - 5 * 60 * 1000, false, start);
		start[19] = 'Z';
		start[20] = '\0';
		feed_wholesale_add(w, date, start, date, region->u.string, strlen(region->u.string),
						   rrp->u.number.r, d, SERIES_REGION, true, 0);
	}
	if (ok && feed_wholesale_count(w) == 0)
		ok = feed_fail_path(f, "5MIN", "no ACTUAL price records");
	if (ok)
		ok = feed_wholesale_emit(f, w);
	feed_wholesale_free(&w);
	yajl_tree_free(root);
	return ok;
}

const feed_format feed_aemo_5min_json = {
	"aemo-5min-json", "application/json", NULL, false, false,
	"the aemo.com.au dashboard 5MIN JSON ({\"5MIN\":[...]}, NEM time)",
	parse_5min, NULL
};

#define NEM_URL "https://www.aemo.com.au/energy-systems/electricity/national-electricity-market-nem/data-nem/data-dashboard-nem"
#define WEM_URL "https://www.aemo.com.au/energy-systems/electricity/wholesale-electricity-market-wem/data-wem/data-dashboard-wem"

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
	yajl_val	arr = feed_jrow_array(f, buf, len, "data", &root);
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
		feed_jrow		j;
		const char *region;
		const char *key;
		const char *share;
		char		series[96];
		bool		known = false;

		feed_jrow_init(&j, f, arr->u.array.values[i], "data", i);
		region = feed_jrow_str(&j, "region_code", "regionCode");
		key = feed_jrow_str(&j, "source_key", "sourceKey");
		share = feed_jrow_num(&j, "share_pct", "sharePct");
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

const feed_format feed_aemo_source_mix = {
	"source-mix-json", "application/json", NULL, false, false,
	"AEMO NEM/WEM operational fuel mix JSON ({interval_start_utc, data:[...]})",
	parse_source_mix, NULL
};
