/*
 * tests/unit/test_entity.c - record checks against the store's types, and
 * records back to JSON.
 */
#include "unit.h"

#include <xxhash.h>

#include "model/entity.h"
#include "base/sbuf.h"
#include "base/banned.h"

#define F(n, t, v) {n, t, v, sizeof(v) - 1, 1, 0}
#define S ENTITY_JSON_STRING
#define N ENTITY_JSON_NUMBER
#define B ENTITY_JSON_BOOL

static entity_field obs[] = {
	F("seriesId", S, "hvi.value.index"),
	F("regionCode", S, "AU"),
	F("date", S, "2025-11-30"),
	F("value", N, "168.9"),
	F("unit", S, "index"),
	F("sourceName", S, "ABS"),
	F("sourceUrl", S, "https://www.abs.gov.au/"),
	F("publishedAt", S, "2025-12-01T00:00:00Z"),
	F("ingestedAt", S, "2026-02-27T02:05:00Z"),
	F("vintage", S, "2026-02-27"),
	F("isModeled", B, "false"),
	F("confidence", S, "official"),
	F("market", S, "NEM"),
};

/* Checks obs with field i replaced by f (i < 0: as is, plus f if named). */
static char *
check_obs(int i, entity_field f, bool allow_unknown, const char **field)
{
	entity_field fields[lengthof(obs) + 1];
	entity_record rec = {"observations", 7, 1, 0, lengthof(obs), fields, false, 0};
	const entity_field *bycol[ENTITY_MAX_COLUMNS];
	sbuf		why;
	bool		ok;

	memcpy(fields, obs, sizeof(obs));
	if (i >= 0)
		fields[i] = f;
	else if (f.name)
		fields[rec.nfields++] = f;
	sbuf_init(&why);
	ok = entity_check_record(entity_find("observations"), &rec, allow_unknown, bycol, &why,
							 field);
	if (ok)
	{
		sbuf_release(&why);
		return NULL;
	}
	return why.data;
}

static void
expect(int i, entity_field f, const char *want_field, const char *want)
{
	const char *field = "unset";
	char	   *why = check_obs(i, f, false, &field);

	if (why == NULL)
		fail_msg("accepted %s", f.name);
	assert_string_equal(why, want);
	if (want_field)
		assert_string_equal(field, want_field);
	else
		assert_null(field);
	free(why);
}

static void
test_valid_and_optional(void **state)
{
	const char *field;
	entity_field none = {NULL, 0, NULL, 0, 0, 0};
	entity_field nul = {"countryCode", ENTITY_JSON_NULL, "null", 4, 1, 0};

	assert_null(check_obs(-1, none, false, &field));
	/* null for an optional field means absent */
	assert_null(check_obs(-1, nul, false, &field));
	/* exact number text of any size is fine */
	assert_null(check_obs(3, (entity_field) F("value", N, "1234567890123456789012345678.5"),
						  false, &field));
	assert_null(check_obs(3, (entity_field) F("value", N, "-4.96e-3"), false, &field));
	/* an unknown field passes when allowed */
	assert_null(check_obs(-1, (entity_field) F("colour", S, "red"), true, &field));
}

static void
test_bycol(void **state)
{
	/* fields in an order unlike the descriptor's, twice in a row */
	entity_field fields[lengthof(obs)];
	entity_record rec = {"observations", 0, 1, 0, lengthof(obs), fields, false, 0};
	const entity_desc *d = entity_find("observations");
	const entity_field *bycol[ENTITY_MAX_COLUMNS];
	const char *field;
	sbuf		why;

	for (size_t i = 0; i < lengthof(obs); i++)
		fields[i] = obs[lengthof(obs) - 1 - i];
	sbuf_init(&why);
	for (int round = 0; round < 2; round++)
	{
		assert_true(entity_check_record(d, &rec, false, bycol, &why, &field));
		for (int c = 0; c < d->ncolumns; c++)
		{
			const entity_field *f = entity_record_field(&rec, d->columns[c].field);

			assert_ptr_equal(bycol[c], f);
		}
	}
	sbuf_release(&why);
}

static void
test_errors(void **state)
{
	entity_field none = {NULL, 0, NULL, 0, 0, 0};

	expect(0, (entity_field) F("seriesId", N, "1"), "seriesId", "expected a string, found a number");
	expect(3, (entity_field) F("value", S, "1.5"), "value", "expected a number, found a string");
	expect(3, (entity_field) F("value", N, "1e99999"), "value", "number 1e99999 is out of range");
	expect(10, (entity_field) F("isModeled", S, "no"), "isModeled",
		   "expected true or false, found a string");
	expect(11, (entity_field) F("confidence", S, "sure"), "confidence",
		   "invalid value \"sure\" (expected one of \"official\", \"derived\", \"qualitative\")");
	expect(7, (entity_field) F("publishedAt", S, "2026-02-30T00:00:00Z"), "publishedAt",
		   "invalid timestamp \"2026-02-30T00:00:00Z\": day out of range");
	expect(7, (entity_field) {"publishedAt", ENTITY_JSON_NULL, "null", 4, 1, 0}, "publishedAt",
		   "required field is null");
	expect(0, (entity_field) F("seriesId", S, "a\0b"), "seriesId",
		   "string contains a NUL character (\\u0000), which PostgreSQL text cannot hold");
	expect(-1, (entity_field) F("colour", S, "red"), "colour", "unknown field \"colour\"");
	expect(-1, (entity_field) F("unit", S, "pct"), "unit", "duplicate field \"unit\"");
	expect(4, (entity_field) F("colour", S, "red"), "colour", "unknown field \"colour\"");
	(void) none;
}

static void
test_missing_required(void **state)
{
	entity_record rec = {"observations", 0, 1, 0, 3, obs, false, 0};
	const entity_field *bycol[ENTITY_MAX_COLUMNS];
	sbuf		why;
	const char *field = "unset";

	sbuf_init(&why);
	assert_false(entity_check_record(entity_find("observations"), &rec, false, bycol, &why,
									 &field));
	assert_string_equal(why.data, "missing required field \"value\"");
	assert_null(field);
	sbuf_release(&why);
}

static void
test_counts_and_ints(void **state)
{
	const entity_desc *runs = entity_find("ingestionRuns");
	const entity_column *rows = entity_column_find(runs, "rowsInserted");
	const entity_column *attempt = entity_column_find(runs, "attempt");
	entity_field f = F("rowsInserted", N, "-1");
	sbuf		why;

	sbuf_init(&why);
	assert_false(entity_check_value(rows, &f, &why));
	assert_string_equal(why.data, "expected a non-negative 32-bit integer, found -1");
	sbuf_reset(&why);
	f = (entity_field) F("rowsInserted", N, "2147483648");
	assert_false(entity_check_value(rows, &f, &why));
	sbuf_reset(&why);
	f = (entity_field) F("rowsInserted", N, "1.0");
	assert_false(entity_check_value(rows, &f, &why));
	f = (entity_field) F("rowsInserted", N, "2147483647");
	assert_true(entity_check_value(rows, &f, &why));
	f = (entity_field) F("attempt", N, "-3");
	assert_true(entity_check_value(attempt, &f, &why));
	sbuf_release(&why);
}

static void
test_snapshot_checksum(void **state)
{
	entity_field fields[] = {
		F("snapshotId", S, "s-1"),
		F("sourceId", S, "aemo_wholesale"),
		F("checksumSha256", S, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
		F("capturedAt", S, "2026-03-12T00:45:00.029Z"),
		F("contentType", S, "text/csv"),
		F("payload", S, "abc"),
	};
	entity_record rec = {"rawSnapshots", 0, 1, 0, lengthof(fields), fields, false, 0};
	const entity_desc *d = entity_find("rawSnapshots");
	const entity_field *bycol[ENTITY_MAX_COLUMNS];
	sbuf		why;
	const char *field;

	sbuf_init(&why);
	assert_true(entity_check_record(d, &rec, false, bycol, &why, &field));
	fields[5] = (entity_field) F("payload", S, "abd");
	assert_false(entity_check_record(d, &rec, false, bycol, &why, &field));
	assert_string_equal(field, "checksumSha256");
	assert_non_null(strstr(why.data, "checksum mismatch: the payload's SHA-256 is a52d159f"));
	sbuf_reset(&why);
	fields[2] = (entity_field) F("checksumSha256", S, "BA7816BF");
	assert_false(entity_check_record(d, &rec, false, bycol, &why, &field));
	assert_non_null(strstr(why.data, "expected 64 lowercase hexadecimal digits"));
	sbuf_release(&why);
}

/* entity_layout_json() of fields as checked against entity e: NULL, or the JSON */
static char *
layout(const char *e, entity_field *fields, int n)
{
	entity_record rec = {e, 0, 1, 0, n, fields, false, 0};
	const entity_field *bycol[ENTITY_MAX_COLUMNS];
	const char *field;
	sbuf		why;
	sbuf		out;

	sbuf_init(&why);
	sbuf_init(&out);
	assert_true(entity_check_record(entity_find(e), &rec, false, bycol, &why, &field));
	sbuf_release(&why);
	if (!entity_layout_json(entity_find(e), &rec, bycol, &out))
	{
		assert_int_equal(out.len, 0);
		sbuf_release(&out);
		return NULL;
	}
	return out.data;
}

static void
test_layout(void **state)
{
	entity_field fields[lengthof(obs)];
	entity_field item[] = {
		F("unresolvedItemId", S, "i-1"), F("batchId", S, "b-1"), F("sourceId", S, "x"),
		F("rawSnapshotId", S, "s-1"), F("status", S, "open"),
		F("createdAt", S, "2026-03-12T01:03:27Z"), F("observedAt", S, "2026-03-12T01:03:27Z"),
		F("merchantName", S, "M"), F("regionCode", S, "AU"), F("title", S, "T"),
		F("externalOfferId", S, "o"), F("priceAmount", N, "3.5"), F("z", N, "1"), F("ab", N, "2"),
	};
	char	   *got;

	/* the export's own order: nothing to keep */
	memcpy(fields, obs, sizeof(obs));
	assert_null(layout("observations", fields, lengthof(obs) - 1));
	/* market after confidence, where the export writes it after regionCode */
	got = layout("observations", fields, lengthof(obs));
	assert_non_null(got);
	assert_string_equal(got, "[\"seriesId\",\"regionCode\",\"date\",\"value\",\"unit\","
						"\"sourceName\",\"sourceUrl\",\"publishedAt\",\"ingestedAt\","
						"\"vintage\",\"isModeled\",\"confidence\",\"market\"]");
	free(got);
	/* a field given as null: the export would leave it out */
	fields[11] = obs[11];
	fields[12] = (entity_field) {"market", ENTITY_JSON_NULL, "null", 4, 1, 0};
	got = layout("observations", fields, lengthof(obs));
	assert_non_null(got);
	free(got);
	/* free fields: jsonb's order is the shorter first */
	assert_null(layout("unresolvedPriceItems", item, lengthof(item)));
	item[12] = (entity_field) F("ab", N, "2");
	item[13] = (entity_field) F("z", N, "1");
	got = layout("unresolvedPriceItems", item, lengthof(item));
	assert_non_null(got);
	assert_non_null(strstr(got, "\"priceAmount\",\"ab\",\"z\"]"));
	free(got);
}

static void
test_to_json(void **state)
{
	entity_field fields[] = {
		F("unresolvedItemId", S, "i-1"),
		F("priceAmount", N, "20.50"),
		F("isAustralianMade", B, "false"),
		F("title", S, "Tile \"A\"\n\xc3\xa9"),
		{"reconciledAt", ENTITY_JSON_NULL, "null", 4, 1, 0},
		F("canonicalWidget", ENTITY_JSON_CONTAINER, "{\"a\":[1,2]}"),
		F("futureFlag", B, "true"),
	};
	entity_record rec = {"unresolvedPriceItems", 0, 1, 0, lengthof(fields), fields, false, 0};
	sbuf		out;

	sbuf_init(&out);
	entity_record_to_json(&rec, &out);
	assert_string_equal(out.data,
						"{\"unresolvedItemId\":\"i-1\",\"priceAmount\":20.50,"
						"\"isAustralianMade\":false,\"title\":\"Tile \\\"A\\\"\\n\xc3\xa9\","
						"\"reconciledAt\":null,\"canonicalWidget\":{\"a\":[1,2]},"
						"\"futureFlag\":true}");
	sbuf_reset(&out);
	assert_int_equal(entity_extra_to_json(entity_find("unresolvedPriceItems"), &rec, &out), 2);
	assert_string_equal(out.data, "{\"canonicalWidget\":{\"a\":[1,2]},\"futureFlag\":true}");
	sbuf_reset(&out);
	rec.nfields = 3;
	assert_int_equal(entity_extra_to_json(entity_find("unresolvedPriceItems"), &rec, &out), 0);
	assert_int_equal(out.len, 0);
	sbuf_release(&out);
}

static void
test_catalog(void **state)
{
	/* every entity has a key, a table, and its key fields are columns */
	assert_int_equal(entity_count, 7);
	for (int i = 0; i < entity_count; i++)
	{
		const entity_desc *d = entity_all[i];

		assert_ptr_equal(entity_find(d->name), d);
		assert_true(d->ncolumns <= ENTITY_MAX_COLUMNS);
		for (const char *const *k = d->key; *k; k++)
			assert_non_null(entity_column_find(d, *k));
	}
	assert_null(entity_find("version"));
}

/* entity_record_field_next() finds what entity_record_field() finds, from any hint. */
static void
test_field_next(void **state)
{
	entity_record rec = {"observations", 7, 1, 0, lengthof(obs), obs, false, 0};
	const char *const names[] = {"value", "seriesId", "market", "date", "market", "nope"};
	int			hint = 0;

	(void) state;
	for (int start = 0; start < 2 * (int) lengthof(obs); start++)
		for (int i = 0; i < (int) lengthof(names); i++)
		{
			hint = start;
			assert_ptr_equal(entity_record_field_next(&rec, names[i], &hint),
							 entity_record_field(&rec, names[i]));
		}
	/* in record order, each is found at the first look, and hint moves past it */
	hint = 0;
	assert_ptr_equal(entity_record_field_next(&rec, "seriesId", &hint), &obs[0]);
	assert_int_equal(hint, 1);
	assert_ptr_equal(entity_record_field_next(&rec, "regionCode", &hint), &obs[1]);
	assert_int_equal(hint, 2);
	/* not found: hint unchanged */
	assert_null(entity_record_field_next(&rec, "nope", &hint));
	assert_int_equal(hint, 2);
	/* past the end wraps */
	hint = (int) lengthof(obs);
	assert_ptr_equal(entity_record_field_next(&rec, "market", &hint), &obs[lengthof(obs) - 1]);
	assert_int_equal(hint, (int) lengthof(obs));
}

/*
 * The tripwire of ENTITY_RECORD_DIGEST_SEED: what a digested entity's
 * records are checked against and copied as (their descriptors, and the
 * layout of a record whose fields are out of the export's order).  A
 * backfill trusts a row whose record text is the same to be what it would
 * copy now; when this changes, so may the rows.
 */
static void
test_record_digest_seed(void **state)
{
	/* the pair this code was written with: change both together */
	const uint64_t fingerprint = UINT64_C(0x9125a3b6cf03d602);
	const int	seed = 1;
	XXH3_state_t *h = XXH3_createState();
	entity_field fields[lengthof(obs)];
	char	   *got;
	uint64_t	fp;

	XXH3_64bits_reset(h);
	for (int e = 0; e < entity_count; e++)
	{
		const entity_desc *d = entity_all[e];

		if (!d->digested)
			continue;
		XXH3_64bits_update(h, d->name, strlen(d->name) + 1);
		XXH3_64bits_update(h, d->table, strlen(d->table) + 1);
		XXH3_64bits_update(h, &d->extra, sizeof(d->extra));
		for (int i = 0; i < d->ncolumns; i++)
		{
			const entity_column *c = &d->columns[i];
			int			kind = (int) c->kind;

			XXH3_64bits_update(h, c->field, strlen(c->field) + 1);
			XXH3_64bits_update(h, c->column, strlen(c->column) + 1);
			XXH3_64bits_update(h, &kind, sizeof(kind));
			XXH3_64bits_update(h, &c->required, sizeof(c->required));
			for (int k = 0; c->allowed && c->allowed[k]; k++)
				XXH3_64bits_update(h, c->allowed[k], strlen(c->allowed[k]) + 1);
		}
	}
	memcpy(fields, obs, sizeof(obs));
	got = layout("observations", fields, lengthof(obs));
	assert_non_null(got);
	XXH3_64bits_update(h, got, strlen(got));
	free(got);
	fp = XXH3_64bits_digest(h);
	XXH3_freeState(h);
	if (fp != fingerprint || seed != ENTITY_RECORD_DIGEST_SEED)
		fail_msg("what a record's row holds changed (fingerprint 0x%016llx): raise "
				 "ENTITY_RECORD_DIGEST_SEED in lib/model/entity.h, then set this test's pair "
				 "to the new fingerprint and seed", (unsigned long long) fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_next),
		cmocka_unit_test(test_valid_and_optional),
		cmocka_unit_test(test_bycol),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_counts_and_ints),
		cmocka_unit_test(test_snapshot_checksum),
		cmocka_unit_test(test_to_json),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_record_digest_seed),
		cmocka_unit_test(test_catalog),
	};

	return UNIT_RUN(tests);
}
