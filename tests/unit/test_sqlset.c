/*
 * tests/unit/test_sqlset.c - the embedded statements and their templates
 * (lib/pg/sqlset.h), the rules they share (sql/rules.sql), and the SQL
 * built from an entity's descriptor (lib/pg/sqlbuild.h).
 */
#include "unit.h"

#include "model/entity.h"
#include "pg/sqlbuild.h"
#include "pg/sqlset.h"
#include "base/sbuf.h"
#include "base/banned.h"

static void
test_every_statement(void **state)
{
	for (int i = 0; i < SQLSET_COUNT; i++)
	{
		assert_non_null(sqlset_data_entries[i].sql);
		assert_true(strlen(sqlset_data_entries[i].sql) > 0);
		/* no rule left unexpanded */
		assert_null(strstr(sqlset_data_entries[i].sql, "{{"));
	}
}

static void
test_rules_expanded(void **state)
{
	const char *jobs = sqlset_sql(SQLSET_FRESHNESS_JOBS);
	const char *runs = sqlset_sql(SQLSET_RUNS_JOBS);

	/* the rules' text is inside the statements that use them */
	assert_non_null(strstr(jobs, "job NOT LIKE 'ausdash-%'"));
	assert_null(strstr(runs, "job NOT LIKE"));	/* ausdash-runs sees every job */
	assert_non_null(strstr(jobs, "'abandoned'"));
	assert_non_null(strstr(runs, "'abandoned'"));
	assert_non_null(strstr(sqlset_sql(SQLSET_RULES_FAILED), "'abandoned'"));
	assert_non_null(strstr(jobs, "status IN ('ok', 'partial', 'skipped_duplicate', 'degraded')"));
	assert_non_null(strstr(runs, "status IN ('ok', 'partial', 'skipped_duplicate', 'degraded')"));
}

static void
test_render(void **state)
{
	sbuf		out;

	sbuf_init(&out);
	sqlset_render(SQLSET_COLUMN_EPOCH_MS, &out, (const char *const[]) {"column", "started_at", NULL});
	assert_string_equal(out.data,
						"pg_catalog.floor(EXTRACT(epoch FROM t.started_at) * 1000)::bigint\n");
	sbuf_reset(&out);
	/* other braces ('{}'::jsonb) are copied as they are */
	sqlset_render(SQLSET_DUAL_RECORD_DRIFT, &out, (const char *const[]) {NULL});
	assert_string_equal(out.data, sqlset_sql(SQLSET_DUAL_RECORD_DRIFT));
	assert_non_null(strstr(out.data, "'{}'::jsonb"));
	sbuf_release(&out);
}

static void
test_sqlbuild(void **state)
{
	const entity_desc *obs = entity_find("observations");
	sbuf		out;

	sbuf_init(&out);
	sqlbuild_key(obs, &out);
	assert_string_equal(out.data, "t.series_id::text\n || '|' ||\nt.region_code::text\n"
						" || '|' ||\nt.date::text\n || '|' ||\nt.vintage::text\n");
	sbuf_reset(&out);
	sqlbuild_digest(obs, (const char *const[]) {"ingestedAt", NULL}, &out);
	assert_non_null(strstr(out.data, "pg_catalog.sha256("));
	assert_non_null(strstr(out.data, "'value=' || (pg_catalog.trim_scale(t.value)::text"));
	assert_null(strstr(out.data, "ingested_at"));
	assert_non_null(strstr(out.data, "'published_at=' || (pg_catalog.floor(EXTRACT(epoch FROM "
						   "t.published_at) * 1000)::bigint"));
	sbuf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_statement),
		cmocka_unit_test(test_rules_expanded),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_sqlbuild),
	};

	return UNIT_RUN(tests);
}
