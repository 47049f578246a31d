-- tests/sql/store_vs_db.sql - compare a live-store.json with the database.
--
--   psql -X -At -v path=STORE -f tests/sql/store_vs_db.sql
--
-- One line per entity: entity|store records (last of each key)|rows
-- missing from the database or different there.  Numbers compare as
-- exact decimals (json keeps their text), timestamps as instants, every
-- optional field as present-with-value or absent (NULL).
\set store `cat :path`
SET search_path = '';
CREATE TEMP TABLE s AS SELECT (:'store')::json AS j;

WITH e AS (
  SELECT DISTINCT ON (x->>'seriesId', x->>'regionCode', x->>'date', x->>'vintage') x
  FROM s, pg_catalog.json_array_elements(s.j->'observations') WITH ORDINALITY AS a(x, n)
  ORDER BY x->>'seriesId', x->>'regionCode', x->>'date', x->>'vintage', n DESC
)
SELECT 'observations', pg_catalog.count(*),
       pg_catalog.count(*) FILTER (WHERE o.id IS NULL
         OR o.value <> (x->>'value')::numeric
         OR o.value::text <> (x->>'value')
         OR o.unit <> x->>'unit' OR o.source_name <> x->>'sourceName'
         OR o.source_url <> x->>'sourceUrl'
         OR o.published_at <> (x->>'publishedAt')::timestamptz
         OR o.ingested_at <> (x->>'ingestedAt')::timestamptz
         OR o.is_modeled <> (x->>'isModeled')::boolean
         OR o.confidence <> x->>'confidence'
         OR o.country_code IS DISTINCT FROM x->>'countryCode'
         OR o.market IS DISTINCT FROM x->>'market'
         OR o.metric_family IS DISTINCT FROM x->>'metricFamily'
         OR o.interval_start_utc IS DISTINCT FROM (x->>'intervalStartUtc')::timestamptz
         OR o.interval_end_utc IS DISTINCT FROM (x->>'intervalEndUtc')::timestamptz
         OR o.currency IS DISTINCT FROM x->>'currency'
         OR o.tax_status IS DISTINCT FROM x->>'taxStatus'
         OR o.consumption_band IS DISTINCT FROM x->>'consumptionBand'
         OR o.methodology_version IS DISTINCT FROM x->>'methodologyVersion')
FROM e LEFT JOIN public.observations o
  ON o.series_id = x->>'seriesId' AND o.region_code = x->>'regionCode'
 AND o.date = x->>'date' AND o.vintage = x->>'vintage';

WITH e AS (
  SELECT DISTINCT ON (x->>'snapshotId') x
  FROM s, pg_catalog.json_array_elements(COALESCE(s.j->'rawSnapshots', '[]')) WITH ORDINALITY AS a(x, n)
  ORDER BY x->>'snapshotId', n DESC
)
SELECT 'rawSnapshots', pg_catalog.count(*),
       pg_catalog.count(*) FILTER (WHERE r.snapshot_id IS NULL
         OR r.source_id <> x->>'sourceId' OR r.checksum_sha256 <> x->>'checksumSha256'
         OR r.captured_at <> (x->>'capturedAt')::timestamptz
         OR r.content_type <> x->>'contentType' OR r.payload <> x->>'payload'
         OR pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(r.payload, 'UTF8')), 'hex')
            <> r.checksum_sha256)
FROM e LEFT JOIN public.raw_snapshots r ON r.snapshot_id = x->>'snapshotId';

WITH e AS (
  SELECT DISTINCT ON (x->>'sourceId') x
  FROM s, pg_catalog.json_array_elements(s.j->'sources') WITH ORDINALITY AS a(x, n)
  ORDER BY x->>'sourceId', n DESC
)
SELECT 'sources', pg_catalog.count(*),
       pg_catalog.count(*) FILTER (WHERE r.source_id IS NULL
         OR r.domain <> x->>'domain' OR r.name <> x->>'name' OR r.url <> x->>'url'
         OR r.expected_cadence <> x->>'expectedCadence')
FROM e LEFT JOIN public.sources r ON r.source_id = x->>'sourceId';

WITH e AS (
  SELECT DISTINCT ON (x->>'sourceId') x
  FROM s, pg_catalog.json_array_elements(s.j->'sourceCursors') WITH ORDINALITY AS a(x, n)
  ORDER BY x->>'sourceId', n DESC
)
SELECT 'sourceCursors', pg_catalog.count(*),
       pg_catalog.count(*) FILTER (WHERE r.source_id IS NULL
         OR r.cursor <> x->>'cursor' OR r.updated_at <> (x->>'updatedAt')::timestamptz)
FROM e LEFT JOIN public.source_cursors r ON r.source_id = x->>'sourceId';

WITH e AS (
  SELECT DISTINCT ON (x->>'runId') x
  FROM s, pg_catalog.json_array_elements(s.j->'ingestionRuns') WITH ORDINALITY AS a(x, n)
  ORDER BY x->>'runId', n DESC
)
SELECT 'ingestionRuns', pg_catalog.count(*),
       pg_catalog.count(*) FILTER (WHERE r.run_id IS NULL
         OR r.job <> x->>'job' OR r.status <> x->>'status'
         OR r.started_at <> (x->>'startedAt')::timestamptz
         OR r.finished_at <> (x->>'finishedAt')::timestamptz
         OR r.rows_inserted <> (x->>'rowsInserted')::integer
         OR r.rows_updated <> (x->>'rowsUpdated')::integer
         OR r.error_summary IS DISTINCT FROM x->>'errorSummary'
         OR r.bull_job_id IS DISTINCT FROM x->>'bullJobId'
         OR r.queue_name IS DISTINCT FROM x->>'queueName'
         OR r.attempt IS DISTINCT FROM (x->>'attempt')::integer
         OR r.run_mode IS DISTINCT FROM x->>'runMode')
FROM e LEFT JOIN public.ingestion_runs r ON r.run_id = x->>'runId';

WITH e AS (
  SELECT DISTINCT ON (x->>'batchId') x
  FROM s, pg_catalog.json_array_elements(COALESCE(s.j->'priceIntakeBatches', '[]')) WITH ORDINALITY AS a(x, n)
  ORDER BY x->>'batchId', n DESC
)
SELECT 'priceIntakeBatches', pg_catalog.count(*),
       pg_catalog.count(*) FILTER (WHERE r.batch_id IS NULL
         OR r.source_id <> x->>'sourceId' OR r.raw_snapshot_id <> x->>'rawSnapshotId'
         OR r.captured_at <> (x->>'capturedAt')::timestamptz
         OR r.created_at <> (x->>'createdAt')::timestamptz
         OR r.item_count <> (x->>'itemCount')::integer)
FROM e LEFT JOIN public.price_intake_batches r ON r.batch_id = x->>'batchId';

-- every field of an item, known or not: rebuilt from columns and "extra"
WITH e AS (
  SELECT DISTINCT ON (x->>'unresolvedItemId') x
  FROM s, pg_catalog.json_array_elements(COALESCE(s.j->'unresolvedPriceItems', '[]')) WITH ORDINALITY AS a(x, n)
  ORDER BY x->>'unresolvedItemId', n DESC
)
SELECT 'unresolvedPriceItems', pg_catalog.count(*),
       pg_catalog.count(*) FILTER (WHERE r.unresolved_item_id IS NULL
         OR r.status <> x->>'status' OR r.title <> x->>'title'
         OR r.price_amount::text <> x->>'priceAmount'
         OR r.unit_price_amount::text IS DISTINCT FROM x->>'unitPriceAmount'
         OR r.observed_at <> (x->>'observedAt')::timestamptz
         OR r.reconciled_at IS DISTINCT FROM (x->>'reconciledAt')::timestamptz
         OR r.promoted_at IS DISTINCT FROM (x->>'promotedAt')::timestamptz
         OR r.is_australian_made IS DISTINCT FROM (x->>'isAustralianMade')::boolean
         OR r.cohort_ready IS DISTINCT FROM (x->>'cohortReady')::boolean
         OR r.canonical_product_name IS DISTINCT FROM x->>'canonicalProductName'
         OR r.notes IS DISTINCT FROM x->>'notes'
         OR r.ai_exposure_level IS DISTINCT FROM x->>'aiExposureLevel'
         OR (SELECT pg_catalog.count(*) FROM pg_catalog.json_object_keys(x))
            <> (SELECT pg_catalog.count(*) FROM pg_catalog.jsonb_each(
                  pg_catalog.jsonb_strip_nulls(pg_catalog.to_jsonb(r) - 'extra' - 'store_ord' - 'store_fields')))
               + COALESCE((SELECT pg_catalog.count(*) FROM pg_catalog.jsonb_object_keys(r.extra)), 0))
FROM e LEFT JOIN public.unresolved_price_items r ON r.unresolved_item_id = x->>'unresolvedItemId';

SELECT 'store', 1,
       pg_catalog.count(*) FILTER (WHERE m.store_version IS DISTINCT FROM (s.j->>'version')::integer
         OR m.updated_at IS DISTINCT FROM (s.j->>'updatedAt')::timestamptz)
FROM s LEFT JOIN public.store_meta m ON true;
