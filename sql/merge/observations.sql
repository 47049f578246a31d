-- sql/merge/observations.sql - stage and merge for public.observations.
--
-- Observations (observations[]): whole-record replace by (series, region, date,
-- vintage); absent optional fields become NULL.
-- Statements are named by "-- name:" lines and embedded in the tools at
-- build time (lib/sqlset.c).  ord is the record's position in the input
-- (the last occurrence of a key wins); line and byte_offset say where it was.

-- name: create
CREATE TEMP TABLE ausdash_stage_observations (
  ord bigint NOT NULL,
  line bigint NOT NULL,
  byte_offset bigint NOT NULL,
  series_id text,
  region_code text,
  country_code text,
  market text,
  metric_family text,
  date text,
  interval_start_utc timestamptz,
  interval_end_utc timestamptz,
  value numeric,
  unit text,
  currency text,
  tax_status text,
  consumption_band text,
  source_name text,
  source_url text,
  published_at timestamptz,
  ingested_at timestamptz,
  vintage text,
  is_modeled boolean,
  confidence text,
  methodology_version text
) ON COMMIT DROP;

-- name: dedupe
-- In-input duplicates of a key: keep the last occurrence.  Finding the
-- duplicated keys first (usually none) avoids joining the whole table
-- with itself.
WITH d AS (
  SELECT series_id, region_code, date, vintage, pg_catalog.max(ord) AS last
  FROM pg_temp.ausdash_stage_observations
  GROUP BY series_id, region_code, date, vintage
  HAVING pg_catalog.count(*) > 1
)
DELETE FROM pg_temp.ausdash_stage_observations s
USING d
WHERE d.series_id = s.series_id AND d.region_code = s.region_code
  AND d.date = s.date AND d.vintage = s.vintage
  AND s.ord < d.last;

-- name: merge
-- Only new or changed rows reach the upsert, so unchanged rows are neither
-- locked nor rewritten; returns changed, inserted, updated.
WITH changed AS (
  SELECT s.*
  FROM pg_temp.ausdash_stage_observations s
  LEFT JOIN public.observations t ON t.series_id = s.series_id
    AND t.region_code = s.region_code AND t.date = s.date
    AND t.vintage = s.vintage
  WHERE t.series_id IS NULL
     OR (t.country_code, t.market, t.metric_family, t.interval_start_utc,
        t.interval_end_utc, t.value, t.unit, t.currency, t.tax_status,
        t.consumption_band, t.source_name, t.source_url, t.published_at,
        t.ingested_at, t.is_modeled, t.confidence, t.methodology_version)
        IS DISTINCT FROM (s.country_code, s.market, s.metric_family, s.interval_start_utc,
        s.interval_end_utc, s.value, s.unit, s.currency, s.tax_status,
        s.consumption_band, s.source_name, s.source_url, s.published_at,
        s.ingested_at, s.is_modeled, s.confidence, s.methodology_version)
), m AS (
  INSERT INTO public.observations AS t
    (series_id, region_code, country_code, market, metric_family, date,
     interval_start_utc, interval_end_utc, value, unit, currency, tax_status,
     consumption_band, source_name, source_url, published_at, ingested_at, vintage,
     is_modeled, confidence, methodology_version)
  SELECT series_id, region_code, country_code, market, metric_family, date,
         interval_start_utc, interval_end_utc, value, unit, currency, tax_status,
         consumption_band, source_name, source_url, published_at, ingested_at,
         vintage, is_modeled, confidence, methodology_version
  FROM changed
  ORDER BY series_id, region_code, date, vintage
  ON CONFLICT ON CONSTRAINT observations_series_region_date_vintage_unique DO UPDATE SET
    country_code = EXCLUDED.country_code,
    market = EXCLUDED.market,
    metric_family = EXCLUDED.metric_family,
    interval_start_utc = EXCLUDED.interval_start_utc,
    interval_end_utc = EXCLUDED.interval_end_utc,
    value = EXCLUDED.value,
    unit = EXCLUDED.unit,
    currency = EXCLUDED.currency,
    tax_status = EXCLUDED.tax_status,
    consumption_band = EXCLUDED.consumption_band,
    source_name = EXCLUDED.source_name,
    source_url = EXCLUDED.source_url,
    published_at = EXCLUDED.published_at,
    ingested_at = EXCLUDED.ingested_at,
    is_modeled = EXCLUDED.is_modeled,
    confidence = EXCLUDED.confidence,
    methodology_version = EXCLUDED.methodology_version
  WHERE (t.country_code, t.market, t.metric_family, t.interval_start_utc,
        t.interval_end_utc, t.value, t.unit, t.currency, t.tax_status,
        t.consumption_band, t.source_name, t.source_url, t.published_at,
        t.ingested_at, t.is_modeled, t.confidence, t.methodology_version)
        IS DISTINCT FROM (EXCLUDED.country_code, EXCLUDED.market, EXCLUDED.metric_family,
        EXCLUDED.interval_start_utc, EXCLUDED.interval_end_utc, EXCLUDED.value,
        EXCLUDED.unit, EXCLUDED.currency, EXCLUDED.tax_status,
        EXCLUDED.consumption_band, EXCLUDED.source_name, EXCLUDED.source_url,
        EXCLUDED.published_at, EXCLUDED.ingested_at, EXCLUDED.is_modeled,
        EXCLUDED.confidence, EXCLUDED.methodology_version)
  RETURNING (t.xmax = 0) AS inserted
)
SELECT (SELECT pg_catalog.count(*) FROM changed) AS changed,
       pg_catalog.count(*) FILTER (WHERE inserted) AS inserted,
       pg_catalog.count(*) FILTER (WHERE NOT inserted) AS updated
FROM m;

-- name: verify
-- Staged rows missing from the target or different there (must be none),
-- and the first such row's position.
SELECT pg_catalog.count(*) AS mismatched, pg_catalog.min(s.ord) AS first_ord
FROM pg_temp.ausdash_stage_observations s
LEFT JOIN public.observations t ON t.series_id = s.series_id
  AND t.region_code = s.region_code AND t.date = s.date
  AND t.vintage = s.vintage
WHERE t.series_id IS NULL
   OR (t.country_code, t.market, t.metric_family, t.interval_start_utc,
      t.interval_end_utc, t.value, t.unit, t.currency, t.tax_status,
      t.consumption_band, t.source_name, t.source_url, t.published_at,
      t.ingested_at, t.is_modeled, t.confidence, t.methodology_version)
      IS DISTINCT FROM (s.country_code, s.market, s.metric_family, s.interval_start_utc,
      s.interval_end_utc, s.value, s.unit, s.currency, s.tax_status,
      s.consumption_band, s.source_name, s.source_url, s.published_at,
      s.ingested_at, s.is_modeled, s.confidence, s.methodology_version);
