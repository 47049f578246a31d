-- 0001_core_tables: the tables the dashboard's API reads, with its names.
--
-- A superset of the dashboard's Drizzle schema (migrations 0000-0002):
-- same table, column, constraint and index names, so its API runs on this
-- database unchanged.  Differences, all deliberate:
--   * observations.value is numeric without a scale (exact, not (20,6));
--   * observations' primary key is (series_id, id), so that every unique
--     constraint includes series_id (ready for Citus, distributed by it);
--   * ingestion_runs.finished_at is NULL while a run is running (a CHECK
--     keeps it NOT NULL for every finished run).
-- Everything is schema-qualified; ausdash runs with search_path = ''.

CREATE TABLE public.regions (
  id uuid NOT NULL DEFAULT pg_catalog.gen_random_uuid(),
  region_type text NOT NULL,
  region_code text NOT NULL,
  name text NOT NULL,
  parent_region_code text,
  CONSTRAINT regions_pkey PRIMARY KEY (id),
  CONSTRAINT regions_region_code_unique UNIQUE (region_code),
  CONSTRAINT regions_region_type_check
    CHECK (region_type IN ('country', 'state', 'capital_city'))
);

CREATE TABLE public.sources (
  source_id text NOT NULL,
  domain text NOT NULL,
  name text NOT NULL,
  url text NOT NULL,
  expected_cadence text NOT NULL,
  CONSTRAINT sources_pkey PRIMARY KEY (source_id)
);

CREATE TABLE public.series (
  id text NOT NULL,
  category text NOT NULL,
  name text NOT NULL,
  unit text NOT NULL,
  frequency text NOT NULL,
  source text NOT NULL,
  source_series_code text,
  CONSTRAINT series_pkey PRIMARY KEY (id)
);

CREATE TABLE public.observations (
  id uuid NOT NULL DEFAULT pg_catalog.gen_random_uuid(),
  series_id text NOT NULL,
  region_code text NOT NULL,
  country_code text,
  market text,
  metric_family text,
  date text NOT NULL,
  interval_start_utc timestamptz,
  interval_end_utc timestamptz,
  value numeric NOT NULL,
  unit text NOT NULL,
  currency text,
  tax_status text,
  consumption_band text,
  source_name text NOT NULL,
  source_url text NOT NULL,
  published_at timestamptz NOT NULL,
  ingested_at timestamptz NOT NULL,
  vintage text NOT NULL,
  is_modeled boolean NOT NULL DEFAULT false,
  confidence text NOT NULL,
  methodology_version text,
  CONSTRAINT observations_pkey PRIMARY KEY (series_id, id),
  CONSTRAINT observations_series_region_date_vintage_unique
    UNIQUE (series_id, region_code, date, vintage),
  CONSTRAINT observations_confidence_check
    CHECK (confidence IN ('official', 'derived', 'qualitative'))
);

CREATE INDEX observations_series_region_date_idx
  ON public.observations (series_id, region_code, date);
CREATE INDEX observations_country_metric_date_idx
  ON public.observations (country_code, metric_family, date);

CREATE TABLE public.source_cursors (
  source_id text NOT NULL,
  cursor text NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT source_cursors_pkey PRIMARY KEY (source_id)
);

CREATE TABLE public.ingestion_runs (
  run_id text NOT NULL,
  job text NOT NULL,
  status text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  rows_inserted integer NOT NULL DEFAULT 0,
  rows_updated integer NOT NULL DEFAULT 0,
  error_summary text,
  bull_job_id text,
  queue_name text,
  attempt integer,
  run_mode text,
  CONSTRAINT ingestion_runs_pkey PRIMARY KEY (run_id),
  CONSTRAINT ingestion_runs_finished_check
    CHECK (status = 'running' OR finished_at IS NOT NULL)
);

CREATE INDEX ingestion_runs_job_idx
  ON public.ingestion_runs (job, finished_at);
CREATE INDEX ingestion_runs_queue_job_idx
  ON public.ingestion_runs (queue_name, job, finished_at);

CREATE TABLE public.raw_snapshots (
  snapshot_id text NOT NULL,
  source_id text NOT NULL,
  checksum_sha256 text NOT NULL,
  captured_at timestamptz NOT NULL,
  content_type text NOT NULL,
  payload text NOT NULL,
  CONSTRAINT raw_snapshots_pkey PRIMARY KEY (snapshot_id),
  CONSTRAINT raw_snapshots_source_checksum_unique UNIQUE (source_id, checksum_sha256),
  CONSTRAINT raw_snapshots_checksum_format_check
    CHECK (checksum_sha256 ~ '^[0-9a-f]{64}$')
);

-- Defined by the dashboard's schema, read by no code yet; kept so that
-- its API and tooling find every table they expect.
CREATE TABLE public.scenarios (
  id uuid NOT NULL DEFAULT pg_catalog.gen_random_uuid(),
  name text NOT NULL,
  kind text NOT NULL,
  params_json text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT scenarios_pkey PRIMARY KEY (id)
);

CREATE TABLE public.watchlist_items (
  id uuid NOT NULL DEFAULT pg_catalog.gen_random_uuid(),
  region_code text NOT NULL,
  label text NOT NULL,
  source text NOT NULL,
  url text,
  confidence text NOT NULL,
  published_at timestamptz,
  observed_at timestamptz NOT NULL,
  CONSTRAINT watchlist_items_pkey PRIMARY KEY (id)
);
