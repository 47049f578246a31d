/*
 * lib/model/entity.c - the store's record types and where they land.
 *
 * Field names, required fields and value sets follow
 * aus-dash-reference.md section 1; table and column names section 4 and
 * sql/migrations.
 */
#include "base/common.h"

#include <xxhash.h>

#include <errno.h>

#include "model/entity.h"
#include "base/isotime.h"
#include "base/jsonparse.h"
#include "base/jsonw.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/sha256.h"
#include "base/banned.h"

#define REQ true
#define OPT false

static const char *const confidence_values[] = {"official", "derived", "qualitative", NULL};
static const char *const run_status_values[] = {"ok", "failed", "degraded", NULL};
static const char *const run_mode_values[] = {"scheduled", "manual", "backfill", "replay", NULL};
static const char *const item_status_values[] = {"open", "reconciled", "promoted", NULL};
static const char *const ai_level_values[] = {"low", "medium", "high", NULL};

static const entity_column source_columns[] = {
	{"sourceId", "source_id", ENTITY_TEXT, REQ, NULL},
	{"domain", "domain", ENTITY_TEXT, REQ, NULL},
	{"name", "name", ENTITY_TEXT, REQ, NULL},
	{"url", "url", ENTITY_TEXT, REQ, NULL},
	{"expectedCadence", "expected_cadence", ENTITY_TEXT, REQ, NULL},
};
static const char *const source_key[] = {"sourceId", NULL};

static const entity_column observation_columns[] = {
	{"seriesId", "series_id", ENTITY_TEXT, REQ, NULL},
	{"regionCode", "region_code", ENTITY_TEXT, REQ, NULL},
	{"countryCode", "country_code", ENTITY_TEXT, OPT, NULL},
	{"market", "market", ENTITY_TEXT, OPT, NULL},
	{"metricFamily", "metric_family", ENTITY_TEXT, OPT, NULL},
	{"date", "date", ENTITY_TEXT, REQ, NULL},
	{"intervalStartUtc", "interval_start_utc", ENTITY_TIMESTAMP, OPT, NULL},
	{"intervalEndUtc", "interval_end_utc", ENTITY_TIMESTAMP, OPT, NULL},
	{"value", "value", ENTITY_NUMERIC, REQ, NULL},
	{"unit", "unit", ENTITY_TEXT, REQ, NULL},
	{"currency", "currency", ENTITY_TEXT, OPT, NULL},
	{"taxStatus", "tax_status", ENTITY_TEXT, OPT, NULL},
	{"consumptionBand", "consumption_band", ENTITY_TEXT, OPT, NULL},
	{"sourceName", "source_name", ENTITY_TEXT, REQ, NULL},
	{"sourceUrl", "source_url", ENTITY_TEXT, REQ, NULL},
	{"publishedAt", "published_at", ENTITY_TIMESTAMP, REQ, NULL},
	{"ingestedAt", "ingested_at", ENTITY_TIMESTAMP, REQ, NULL},
	{"vintage", "vintage", ENTITY_TEXT, REQ, NULL},
	{"isModeled", "is_modeled", ENTITY_BOOL, REQ, NULL},
	{"confidence", "confidence", ENTITY_ENUM, REQ, confidence_values},
	{"methodologyVersion", "methodology_version", ENTITY_TEXT, OPT, NULL},
};
static const char *const observation_key[] = {"seriesId", "regionCode", "date", "vintage", NULL};

static const entity_column snapshot_columns[] = {
	{"snapshotId", "snapshot_id", ENTITY_TEXT, REQ, NULL},
	{"sourceId", "source_id", ENTITY_TEXT, REQ, NULL},
	{"checksumSha256", "checksum_sha256", ENTITY_SHA256, REQ, NULL},
	{"capturedAt", "captured_at", ENTITY_TIMESTAMP, REQ, NULL},
	{"contentType", "content_type", ENTITY_TEXT, REQ, NULL},
	{"payload", "payload", ENTITY_TEXT, REQ, NULL},
};
static const char *const snapshot_key[] = {"snapshotId", NULL};

static const entity_column cursor_columns[] = {
	{"sourceId", "source_id", ENTITY_TEXT, REQ, NULL},
	{"cursor", "cursor", ENTITY_TEXT, REQ, NULL},
	{"updatedAt", "updated_at", ENTITY_TIMESTAMP, REQ, NULL},
};

static const entity_column run_columns[] = {
	{"runId", "run_id", ENTITY_TEXT, REQ, NULL},
	{"job", "job", ENTITY_TEXT, REQ, NULL},
	{"status", "status", ENTITY_ENUM, REQ, run_status_values},
	{"startedAt", "started_at", ENTITY_TIMESTAMP, REQ, NULL},
	{"finishedAt", "finished_at", ENTITY_TIMESTAMP, REQ, NULL},
	{"rowsInserted", "rows_inserted", ENTITY_COUNT, REQ, NULL},
	{"rowsUpdated", "rows_updated", ENTITY_COUNT, REQ, NULL},
	{"errorSummary", "error_summary", ENTITY_TEXT, OPT, NULL},
	{"bullJobId", "bull_job_id", ENTITY_TEXT, OPT, NULL},
	{"queueName", "queue_name", ENTITY_TEXT, OPT, NULL},
	{"attempt", "attempt", ENTITY_INT, OPT, NULL},
	{"runMode", "run_mode", ENTITY_ENUM, OPT, run_mode_values},
};
static const char *const run_key[] = {"runId", NULL};

static const entity_column batch_columns[] = {
	{"batchId", "batch_id", ENTITY_TEXT, REQ, NULL},
	{"sourceId", "source_id", ENTITY_TEXT, REQ, NULL},
	{"capturedAt", "captured_at", ENTITY_TIMESTAMP, REQ, NULL},
	{"rawSnapshotId", "raw_snapshot_id", ENTITY_TEXT, REQ, NULL},
	{"itemCount", "item_count", ENTITY_COUNT, REQ, NULL},
	{"createdAt", "created_at", ENTITY_TIMESTAMP, REQ, NULL},
};
static const char *const batch_key[] = {"batchId", NULL};

static const entity_column item_columns[] = {
	{"unresolvedItemId", "unresolved_item_id", ENTITY_TEXT, REQ, NULL},
	{"batchId", "batch_id", ENTITY_TEXT, REQ, NULL},
	{"sourceId", "source_id", ENTITY_TEXT, REQ, NULL},
	{"rawSnapshotId", "raw_snapshot_id", ENTITY_TEXT, REQ, NULL},
	{"status", "status", ENTITY_ENUM, REQ, item_status_values},
	{"createdAt", "created_at", ENTITY_TIMESTAMP, REQ, NULL},
	{"observedAt", "observed_at", ENTITY_TIMESTAMP, REQ, NULL},
	{"merchantName", "merchant_name", ENTITY_TEXT, REQ, NULL},
	{"merchantSlug", "merchant_slug", ENTITY_TEXT, OPT, NULL},
	{"regionCode", "region_code", ENTITY_TEXT, REQ, NULL},
	{"title", "title", ENTITY_TEXT, REQ, NULL},
	{"externalProductId", "external_product_id", ENTITY_TEXT, OPT, NULL},
	{"externalOfferId", "external_offer_id", ENTITY_TEXT, REQ, NULL},
	{"priceAmount", "price_amount", ENTITY_NUMERIC, REQ, NULL},
	{"unitPriceAmount", "unit_price_amount", ENTITY_NUMERIC, OPT, NULL},
	{"normalizedQuantity", "normalized_quantity", ENTITY_NUMERIC, OPT, NULL},
	{"normalizedUnit", "normalized_unit", ENTITY_TEXT, OPT, NULL},
	{"listingUrl", "listing_url", ENTITY_TEXT, OPT, NULL},
	{"categoryHint", "category_hint", ENTITY_TEXT, OPT, NULL},
	{"productHint", "product_hint", ENTITY_TEXT, OPT, NULL},
	{"canonicalCategorySlug", "canonical_category_slug", ENTITY_TEXT, OPT, NULL},
	{"canonicalCategoryName", "canonical_category_name", ENTITY_TEXT, OPT, NULL},
	{"canonicalProductSlug", "canonical_product_slug", ENTITY_TEXT, OPT, NULL},
	{"canonicalProductName", "canonical_product_name", ENTITY_TEXT, OPT, NULL},
	{"productFamilySlug", "product_family_slug", ENTITY_TEXT, OPT, NULL},
	{"countryOfOrigin", "country_of_origin", ENTITY_TEXT, OPT, NULL},
	{"isAustralianMade", "is_australian_made", ENTITY_BOOL, OPT, NULL},
	{"manufacturerName", "manufacturer_name", ENTITY_TEXT, OPT, NULL},
	{"domesticValueShareBand", "domestic_value_share_band", ENTITY_TEXT, OPT, NULL},
	{"aiExposureLevel", "ai_exposure_level", ENTITY_ENUM, OPT, ai_level_values},
	{"aiExposureReason", "ai_exposure_reason", ENTITY_TEXT, OPT, NULL},
	{"comparableUnitBasis", "comparable_unit_basis", ENTITY_TEXT, OPT, NULL},
	{"isControlCandidate", "is_control_candidate", ENTITY_BOOL, OPT, NULL},
	{"cohortReady", "cohort_ready", ENTITY_BOOL, OPT, NULL},
	{"notes", "notes", ENTITY_TEXT, OPT, NULL},
	{"reconciledAt", "reconciled_at", ENTITY_TIMESTAMP, OPT, NULL},
	{"promotedAt", "promoted_at", ENTITY_TIMESTAMP, OPT, NULL},
};
static const char *const item_key[] = {"unresolvedItemId", NULL};

static bool check_snapshot(const entity_desc *d, const entity_record *rec,
						   sbuf *why, const char **field);

static const entity_desc sources_desc = {
	"sources", "sources", "sources_pkey",
	source_columns, lengthof(source_columns), source_key, false, NULL, false
};
static const entity_desc snapshots_desc = {
	"rawSnapshots", "raw_snapshots", "raw_snapshots_pkey",
	snapshot_columns, lengthof(snapshot_columns), snapshot_key, false, check_snapshot, false
};
static const entity_desc observations_desc = {
	"observations", "observations", "observations_series_region_date_vintage_unique",
	observation_columns, lengthof(observation_columns), observation_key, false, NULL, true
};
static const entity_desc cursors_desc = {
	"sourceCursors", "source_cursors", "source_cursors_pkey",
	cursor_columns, lengthof(cursor_columns), source_key, false, NULL, false
};
static const entity_desc runs_desc = {
	"ingestionRuns", "ingestion_runs", "ingestion_runs_pkey",
	run_columns, lengthof(run_columns), run_key, false, NULL, false
};
static const entity_desc batches_desc = {
	"priceIntakeBatches", "price_intake_batches", "price_intake_batches_pkey",
	batch_columns, lengthof(batch_columns), batch_key, false, NULL, false
};
static const entity_desc items_desc = {
	"unresolvedPriceItems", "unresolved_price_items", "unresolved_price_items_pkey",
	item_columns, lengthof(item_columns), item_key, true, NULL, false
};

const entity_desc *const entity_all[] = {
	&sources_desc, &snapshots_desc, &observations_desc, &cursors_desc,
	&runs_desc, &batches_desc, &items_desc
};
const int	entity_count = lengthof(entity_all);

const char *
entity_sql_type(entity_kind kind)
{
	switch (kind)
	{
		case ENTITY_TEXT:
		case ENTITY_ENUM:
		case ENTITY_SHA256:
			return "text";
		case ENTITY_TIMESTAMP:
			return "timestamptz";
		case ENTITY_NUMERIC:
			return "numeric";
		case ENTITY_INT:
		case ENTITY_COUNT:
			return "integer";
		case ENTITY_BOOL:
			break;
	}
	return "boolean";
}

const entity_desc *
entity_find(const char *name)
{
	for (int i = 0; i < entity_count; i++)
		if (strcmp(entity_all[i]->name, name) == 0)
			return entity_all[i];
	return NULL;
}

int
entity_index(const entity_desc *d)
{
	for (int i = 0; i < entity_count; i++)
		if (entity_all[i] == d)
			return i;
	log_fatal(AUSDASH_EXIT_SOFTWARE, "entity \"%s\" is not in entity_all", d->name);
}

void
entity_path(sbuf *out, const char *entity, long long index, const char *field)
{
	sbuf_appendf(out, "%s[%lld]", entity, index);
	if (field)
		sbuf_appendf(out, ".%s", field);
}

const entity_column *
entity_column_find(const entity_desc *d, const char *field)
{
	for (int i = 0; i < d->ncolumns; i++)
		if (strcmp(d->columns[i].field, field) == 0)
			return &d->columns[i];
	return NULL;
}

const entity_field *
entity_record_field(const entity_record *rec, const char *name)
{
	/* (the first byte first: these run for every field of every record) */
	for (int i = rec->nfields - 1; i >= 0; i--)
		if (rec->fields[i].name[0] == name[0] && strcmp(rec->fields[i].name, name) == 0)
			return &rec->fields[i];
	return NULL;
}

const entity_field *
entity_record_field_next(const entity_record *rec, const char *name, int *hint)
{
	int			n = rec->nfields;
	int			start = n > 0 ? *hint % n : 0;

	for (int k = 0; k < n; k++)
	{
		int			i = (start + k) % n;

		if (rec->fields[i].name[0] == name[0] && strcmp(rec->fields[i].name, name) == 0)
		{
			*hint = i + 1;
			return &rec->fields[i];
		}
	}
	return NULL;
}

const char *
entity_json_type_name(entity_json_type t)
{
	switch (t)
	{
		case ENTITY_JSON_NULL:
			return "null";
		case ENTITY_JSON_BOOL:
			return "a boolean";
		case ENTITY_JSON_NUMBER:
			return "a number";
		case ENTITY_JSON_STRING:
			return "a string";
		case ENTITY_JSON_CONTAINER:
			break;
	}
	return "an object or array";
}

static bool
wrong_type(sbuf *why, const char *expected, const entity_field *f)
{
	sbuf_appendf(why, "expected %s, found %s", expected, entity_json_type_name(f->type));
	return false;
}

/*
 * A number is kept as text; PostgreSQL's numeric takes it as is.  Refuse
 * what the dashboard could not read back (JavaScript reads 1e400 as
 * Infinity) and what is not JSON at all (a computed "inf" or "NaN"), so
 * the error names the field rather than a COPY line or a broken store.
 */
static bool
numeric_in_range(const char *s, size_t len)
{
	return len <= 1000 && jsonparse_number_ok(s, len);
}

static bool
int_in_range(const char *s, size_t len, long min, long max)
{
	char		buf[32];
	char	   *end;
	long long	v;

	if (len == 0 || len >= sizeof(buf) || memchr(s, '.', len) ||
		memchr(s, 'e', len) || memchr(s, 'E', len))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	return errno == 0 && *end == '\0' && v >= min && v <= max;
}

bool
entity_check_value(const entity_column *c, const entity_field *f, sbuf *why)
{
	const char *reason;

	if (f->type == ENTITY_JSON_NULL)
	{
		if (c->required)
		{
			sbuf_appends(why, "required field is null");
			return false;
		}
		return true;
	}
	switch (c->kind)
	{
		case ENTITY_TEXT:
		case ENTITY_ENUM:
		case ENTITY_TIMESTAMP:
		case ENTITY_SHA256:
			if (f->type != ENTITY_JSON_STRING)
				return wrong_type(why, "a string", f);
			if (memchr(f->val, '\0', f->len))
			{
				sbuf_appends(why, "string contains a NUL character (\\u0000), "
							 "which PostgreSQL text cannot hold");
				return false;
			}
			break;
		case ENTITY_NUMERIC:
		case ENTITY_INT:
		case ENTITY_COUNT:
			if (f->type != ENTITY_JSON_NUMBER)
				return wrong_type(why, "a number", f);
			break;
		case ENTITY_BOOL:
			if (f->type != ENTITY_JSON_BOOL)
				return wrong_type(why, "true or false", f);
			break;
	}
	switch (c->kind)
	{
		case ENTITY_TEXT:
		case ENTITY_BOOL:
			break;
		case ENTITY_ENUM:
			for (const char *const *a = c->allowed; *a; a++)
				if (strlen(*a) == f->len && memcmp(*a, f->val, f->len) == 0)
					return true;
			sbuf_appendf(why, "invalid value \"%.*s\" (expected one of",
						 (int) (f->len > 40 ? 40 : f->len), f->val);
			for (const char *const *a = c->allowed; *a; a++)
				sbuf_appendf(why, "%s \"%s\"", a == c->allowed ? "" : ",", *a);
			sbuf_appendc(why, ')');
			return false;
		case ENTITY_TIMESTAMP:
			if (!isotime_parse(f->val, f->len, NULL, &reason))
			{
				sbuf_appendf(why, "invalid timestamp \"%.*s\": %s",
							 (int) (f->len > 40 ? 40 : f->len), f->val, reason);
				return false;
			}
			break;
		case ENTITY_NUMERIC:
			if (!numeric_in_range(f->val, f->len))
			{
				sbuf_appendf(why, "number %.*s%s is out of range",
							 (int) (f->len > 40 ? 40 : f->len), f->val,
							 f->len > 40 ? "..." : "");
				return false;
			}
			break;
		case ENTITY_INT:
		case ENTITY_COUNT:
			if (!int_in_range(f->val, f->len, c->kind == ENTITY_COUNT ? 0 : INT32_MIN,
							  INT32_MAX))
			{
				sbuf_appendf(why, "expected %s integer, found %.*s",
							 c->kind == ENTITY_COUNT ? "a non-negative 32-bit" : "a 32-bit",
							 (int) (f->len > 40 ? 40 : f->len), f->val);
				return false;
			}
			break;
		case ENTITY_SHA256:
			if (f->len != SHA256_HEX_LEN ||
				strspn(f->val, "0123456789abcdef") != SHA256_HEX_LEN)
			{
				sbuf_appendf(why, "expected 64 lowercase hexadecimal digits, found \"%.*s\"",
							 (int) (f->len > 70 ? 70 : f->len), f->val);
				return false;
			}
			break;
	}
	return true;
}

bool
entity_check_record(const entity_desc *d, const entity_record *rec,
					bool allow_unknown, const entity_field **bycol,
					sbuf *why, const char **field)
{
	int			hint = 0;

	for (int i = 0; i < d->ncolumns; i++)
		bycol[i] = NULL;
	for (int i = 0; i < rec->nfields; i++)
	{
		const entity_field *f = &rec->fields[i];
		int			col = -1;

		*field = f->name;
		/* records mostly list fields in one order: try the next column first */
		if (hint < d->ncolumns && strcmp(d->columns[hint].field, f->name) == 0)
			col = hint;
		else
			for (int j = 0; j < d->ncolumns; j++)
				if (d->columns[j].field[0] == f->name[0] &&
					strcmp(d->columns[j].field, f->name) == 0)
				{
					col = j;
					break;
				}
		if (col < 0)
		{
			if (d->extra || allow_unknown)
				continue;
			sbuf_appendf(why, "unknown field \"%s\"", f->name);
			return false;
		}
		hint = col + 1;
		if (bycol[col])
		{
			sbuf_appendf(why, "duplicate field \"%s\"", f->name);
			return false;
		}
		bycol[col] = f;
		if (!entity_check_value(&d->columns[col], f, why))
			return false;
	}
	*field = NULL;
	for (int i = 0; i < d->ncolumns; i++)
	{
		if (d->columns[i].required && bycol[i] == NULL)
		{
			sbuf_appendf(why, "missing required field \"%s\"", d->columns[i].field);
			return false;
		}
	}
	if (d->check && !d->check(d, rec, why, field))
		return false;
	return true;
}

static bool
check_snapshot(const entity_desc *d, const entity_record *rec, sbuf *why,
			   const char **field)
{
	const entity_field *payload = entity_record_field(rec, "payload");
	const entity_field *sum = entity_record_field(rec, "checksumSha256");
	char		hex[SHA256_HEX_LEN + 1];

	if (sha256_hex(payload->val, payload->len, hex) != 0)
	{
		sbuf_appends(why, "could not compute the payload's SHA-256");
		*field = "payload";
		return false;
	}
	if (strcmp(hex, sum->val) != 0)
	{
		sbuf_appendf(why, "checksum mismatch: the payload's SHA-256 is %s", hex);
		*field = "checksumSha256";
		return false;
	}
	return true;
}

static void
gen_field(yajl_gen g, const entity_field *f)
{
	jsonw_key(g, f->name);
	switch (f->type)
	{
		case ENTITY_JSON_NULL:
			yajl_gen_null(g);
			break;
		case ENTITY_JSON_BOOL:
			yajl_gen_bool(g, f->val[0] == 't');
			break;
		case ENTITY_JSON_STRING:
			yajl_gen_string(g, (const unsigned char *) f->val, f->len);
			break;
		case ENTITY_JSON_NUMBER:
		case ENTITY_JSON_CONTAINER:
			jsonw_raw(g, f->val, f->len);
			break;
	}
}

void
entity_record_to_json(const entity_record *rec, sbuf *out)
{
	yajl_gen	g = jsonw_new(out, false);

	yajl_gen_map_open(g);
	for (int i = 0; i < rec->nfields; i++)
		gen_field(g, &rec->fields[i]);
	yajl_gen_map_close(g);
	yajl_gen_free(g);
}

int
entity_extra_to_json(const entity_desc *d, const entity_record *rec, sbuf *out)
{
	yajl_gen	g = NULL;
	int			n = 0;

	for (int i = 0; i < rec->nfields; i++)
	{
		if (entity_column_find(d, rec->fields[i].name))
			continue;
		if (g == NULL)
		{
			g = jsonw_new(out, false);
			yajl_gen_map_open(g);
		}
		gen_field(g, &rec->fields[i]);
		n++;
	}
	if (g)
	{
		yajl_gen_map_close(g);
		yajl_gen_free(g);
	}
	return n;
}

/* jsonb's order of an object's keys: the shorter first, then byte-wise */
static int
jsonb_key_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *) a;
	const char *y = *(const char *const *) b;
	size_t		lx = strlen(x);
	size_t		ly = strlen(y);

	if (lx != ly)
		return lx < ly ? -1 : 1;
	return memcmp(x, y, lx);
}

bool
entity_layout_json(const entity_desc *d, const entity_record *rec,
				   const entity_field *const *bycol, sbuf *out)
{
	int			col_of[ENTITY_MAX_COLUMNS * 2];
	int			last_col = -1;
	const char *last_extra = NULL;
	bool		same = true;
	yajl_gen	g;

	if (rec->nfields > ENTITY_MAX_COLUMNS * 2)
		return false;			/* (far more than any store's records) */
	for (int k = 0; k < rec->nfields; k++)
		col_of[k] = -1;
	for (int i = 0; i < d->ncolumns; i++)
		if (bycol[i])
			col_of[bycol[i] - rec->fields] = i;

	/*
	 * The export's order, checked in one pass: the columns given a value,
	 * in the descriptor's order, then the free fields in jsonb's order.
	 */
	for (int k = 0; same && k < rec->nfields; k++)
	{
		const char *name = rec->fields[k].name;

		if (col_of[k] >= 0)
		{
			same = last_extra == NULL && rec->fields[k].type != ENTITY_JSON_NULL &&
				col_of[k] > last_col;
			last_col = col_of[k];
		}
		else if (d->extra)
		{
			same = last_extra == NULL || jsonb_key_cmp(&last_extra, &name) < 0;
			last_extra = name;
		}
	}
	if (same)
		return false;
	g = jsonw_new(out, false);
	yajl_gen_array_open(g);
	for (int k = 0; k < rec->nfields; k++)
		if (col_of[k] >= 0 || d->extra)
			yajl_gen_string(g, (const unsigned char *) rec->fields[k].name,
							strlen(rec->fields[k].name));
	yajl_gen_array_close(g);
	yajl_gen_free(g);
	return true;
}

uint64_t
entity_record_place_digest(const entity_record *rec)
{
	int64_t		index = rec->index;

	return XXH3_64bits_withSeed(&index, sizeof(index), rec->digest);
}

entity_record *
entity_record_dup(const entity_record *rec)
{
	size_t		size = sizeof(entity_record) + rec->nfields * sizeof(entity_field);
	entity_record *copy;
	entity_field *fields;
	char	   *p;

	for (int i = 0; i < rec->nfields; i++)
		size += strlen(rec->fields[i].name) + 1 + rec->fields[i].len + 1;
	copy = mem_malloc(size);
	*copy = *rec;
	fields = (entity_field *) (copy + 1);
	p = (char *) (fields + rec->nfields);
	for (int i = 0; i < rec->nfields; i++)
	{
		size_t		n = strlen(rec->fields[i].name) + 1;

		fields[i] = rec->fields[i];
		memcpy(p, rec->fields[i].name, n);
		fields[i].name = p;
		p += n;
		memcpy(p, rec->fields[i].val, rec->fields[i].len);
		p[rec->fields[i].len] = '\0';
		fields[i].val = p;
		p += rec->fields[i].len + 1;
	}
	copy->fields = fields;
	copy->entity = rec->entity;
	return copy;
}
