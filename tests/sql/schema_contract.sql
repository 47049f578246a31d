-- tests/sql/schema_contract.sql - pgTAP: the schema is what the
-- dashboard's API and the PRD expect (aus-dash-reference.md section 4,
-- seeds/001 section 5.1).  Run by tests/t/020_schema.t.
SELECT no_plan();

-- the PRD's seven tables, and the dashboard's other two
SELECT has_table('public', t, 'table public.' || t || ' exists')
FROM unnest(ARRAY['regions', 'series', 'observations', 'sources', 'source_cursors',
                  'ingestion_runs', 'raw_snapshots', 'scenarios', 'watchlist_items',
                  'store_meta', 'price_intake_batches', 'unresolved_price_items']) AS t;

-- observations: required columns, types and nullability
SELECT col_type_is('public', 'observations', c, ty, 'observations.' || c || ' is ' || ty)
FROM (VALUES ('series_id', 'text'), ('region_code', 'text'), ('date', 'text'),
             ('value', 'numeric'), ('unit', 'text'), ('source_name', 'text'),
             ('source_url', 'text'), ('published_at', 'timestamp with time zone'),
             ('ingested_at', 'timestamp with time zone'), ('vintage', 'text'),
             ('is_modeled', 'boolean'), ('confidence', 'text'), ('id', 'uuid'),
             ('interval_start_utc', 'timestamp with time zone'),
             ('interval_end_utc', 'timestamp with time zone')) AS v(c, ty);
SELECT col_not_null('public', 'observations', c, 'observations.' || c || ' is NOT NULL')
FROM unnest(ARRAY['series_id', 'region_code', 'date', 'value', 'unit', 'source_name',
                  'source_url', 'published_at', 'ingested_at', 'vintage', 'is_modeled',
                  'confidence']) AS c;
SELECT col_is_null('public', 'observations', c, 'optional observations.' || c || ' is nullable')
FROM unnest(ARRAY['country_code', 'market', 'metric_family', 'interval_start_utc',
                  'interval_end_utc', 'currency', 'tax_status', 'consumption_band',
                  'methodology_version']) AS c;
SELECT col_default_is('public', 'observations', 'is_modeled', 'false',
                      'observations.is_modeled defaults to false');
SELECT is((SELECT atttypmod FROM pg_attribute
           WHERE attrelid = 'public.observations'::regclass AND attname = 'value'),
          -1, 'observations.value is numeric without a scale (exact)');

-- the names the API and its contract tests use
SELECT has_index('public', 'observations', 'observations_series_region_date_vintage_unique',
                 ARRAY['series_id', 'region_code', 'date', 'vintage'],
                 'unique key observations_series_region_date_vintage_unique');
SELECT index_is_unique('public', 'observations', 'observations_series_region_date_vintage_unique');
SELECT has_index('public', 'observations', 'observations_series_region_date_idx',
                 ARRAY['series_id', 'region_code', 'date']);
SELECT has_index('public', 'observations', 'observations_country_metric_date_idx',
                 ARRAY['country_code', 'metric_family', 'date']);
SELECT has_index('public', 'raw_snapshots', 'raw_snapshots_source_checksum_unique',
                 ARRAY['source_id', 'checksum_sha256'],
                 'unique key raw_snapshots_source_checksum_unique');
SELECT index_is_unique('public', 'raw_snapshots', 'raw_snapshots_source_checksum_unique');
SELECT has_index('public', 'ingestion_runs', 'ingestion_runs_job_idx', ARRAY['job', 'finished_at']);
SELECT has_index('public', 'ingestion_runs', 'ingestion_runs_queue_job_idx',
                 ARRAY['queue_name', 'job', 'finished_at']);
SELECT col_is_pk('public', 'raw_snapshots', 'snapshot_id', 'raw_snapshots.snapshot_id is the primary key');
SELECT col_is_pk('public', 'source_cursors', 'source_id', 'source_cursors.source_id is the primary key');
SELECT col_is_pk('public', 'ingestion_runs', 'run_id', 'ingestion_runs.run_id is the primary key');
SELECT col_is_pk('public', 'sources', 'source_id', 'sources.source_id is the primary key');
SELECT col_is_pk('public', 'series', 'id', 'series.id is the primary key');

-- PRD required columns of the other tables
SELECT col_not_null('public', t, c, t || '.' || c || ' is NOT NULL')
FROM (VALUES ('raw_snapshots', 'source_id'), ('raw_snapshots', 'checksum_sha256'),
             ('raw_snapshots', 'captured_at'), ('raw_snapshots', 'content_type'),
             ('raw_snapshots', 'payload'), ('source_cursors', 'cursor'),
             ('source_cursors', 'updated_at'), ('ingestion_runs', 'job'),
             ('ingestion_runs', 'status'), ('ingestion_runs', 'started_at'),
             ('ingestion_runs', 'rows_inserted'), ('ingestion_runs', 'rows_updated'),
             ('sources', 'domain'), ('sources', 'name'), ('sources', 'url'),
             ('sources', 'expected_cadence')) AS v(t, c);
SELECT has_column('public', 'ingestion_runs', c, 'ingestion_runs.' || c || ' exists')
FROM unnest(ARRAY['error_summary', 'bull_job_id', 'queue_name', 'attempt', 'run_mode',
                  'rows_unchanged', 'rows_rejected', 'rows_read', 'source_id',
                  'input_checksum_sha256', 'input_bytes', 'tool_version', 'host', 'pid',
                  'lock_key']) AS c;
-- finished_at may be NULL only while running
SELECT throws_ok($$INSERT INTO public.ingestion_runs (run_id, job, status, started_at)
                   VALUES ('r1', 'j', 'ok', now())$$, '23514', NULL,
                 'a finished run must have finished_at');
SELECT lives_ok($$INSERT INTO public.ingestion_runs (run_id, job, status, started_at)
                  VALUES ('r2', 'j', 'running', now())$$, 'a running run may lack finished_at');
SELECT throws_ok($$INSERT INTO public.ingestion_runs (run_id, job, status, started_at, finished_at)
                   VALUES ('r3', 'j', 'exploded', now(), now())$$, '23514', NULL,
                 'status vocabulary is enforced');
SELECT throws_ok($$INSERT INTO public.observations (series_id, region_code, date, value, unit,
                   source_name, source_url, published_at, ingested_at, vintage, confidence)
                   VALUES ('s', 'AU', '2025', 1, 'u', 'n', 'u', now(), now(), 'v', 'guess')$$,
                 '23514', NULL, 'confidence vocabulary is enforced');
SELECT lives_ok($$INSERT INTO public.observations (series_id, region_code, date, value, unit,
                  source_name, source_url, published_at, ingested_at, vintage, confidence)
                  VALUES ('s', 'AU', '2025', 1234567890123456789012345.678, 'u', 'n', 'u',
                          now(), now(), 'v', 'official')$$, 'a 28-digit value is accepted');
SELECT is((SELECT value::text FROM public.observations WHERE series_id = 's'),
          '1234567890123456789012345.678', 'a 28-digit value is kept exactly');

-- Citus-ready: every unique index on observations includes series_id
SELECT is((SELECT count(*)::int FROM pg_index x
           WHERE x.indrelid = 'public.observations'::regclass AND x.indisunique
             AND NOT (SELECT attnum FROM pg_attribute
                      WHERE attrelid = x.indrelid AND attname = 'series_id') = ANY (x.indkey)),
          0, 'every unique constraint on observations includes series_id');

-- catalog data
SELECT is((SELECT count(*)::int FROM public.regions), 17, '17 regions');
SELECT set_eq('SELECT region_code FROM public.regions',
              ARRAY['AU', 'NSW', 'VIC', 'QLD', 'SA', 'WA', 'TAS', 'NT', 'ACT',
                    'SYD', 'MEL', 'BNE', 'ADL', 'PER', 'HBA', 'DRW', 'CBR'],
              'the core region codes');
SELECT is((SELECT count(*)::int FROM public.sources), 16, '16 sources');
SELECT results_eq($$SELECT frequency FROM public.series WHERE id IN
                    ('energy.wholesale.rrp.au_weighted_aud_mwh',
                     'energy.retail.offer.annual_bill_aud.mean',
                     'energy.cpi.electricity.index', 'prices.major_goods.overall.index',
                     'prices.au_made.all.index') ORDER BY id$$,
                  ARRAY['quarterly', 'daily', '5m', 'daily', 'daily'],
                  'key series carry the cadences the freshness rules use');
SELECT is((SELECT count(*)::int FROM public.series s
           LEFT JOIN public.sources so ON so.source_id = s.source WHERE so.source_id IS NULL),
          0, 'every series names a catalog source');

SELECT * FROM finish();
