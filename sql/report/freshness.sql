-- sql/report/freshness.sql - freshness as the dashboard's API computes it
-- (lib/report/fresh.c), on the database.

-- name: series_latest
-- The latest observation of every region of series $1 (or of region $2
-- only, when not NULL), walking the index region by region.
WITH RECURSIVE regions(r) AS (
  SELECT pg_catalog.min(region_code) FROM public.observations
  WHERE series_id = $1 AND ($2::text IS NULL OR region_code = $2)
  UNION ALL
  SELECT (SELECT pg_catalog.min(region_code) FROM public.observations
          WHERE series_id = $1 AND region_code > regions.r
            AND ($2::text IS NULL OR region_code = $2))
  FROM regions WHERE r IS NOT NULL)
SELECT r, l.date, l.vintage, l.value::text FROM regions, LATERAL (
  SELECT o.date, o.vintage, o.value FROM public.observations o
  WHERE o.series_id = $1 AND o.region_code = regions.r
  ORDER BY o.date COLLATE "C" DESC, o.vintage COLLATE "C" DESC,
    o.published_at DESC, o.ingested_at DESC LIMIT 1) l
WHERE r IS NOT NULL ORDER BY r;

-- name: all_series
-- Every series id (an index walk over series_id).
WITH RECURSIVE s(id) AS (
  SELECT pg_catalog.min(series_id) FROM public.observations
  UNION ALL SELECT (SELECT pg_catalog.min(series_id) FROM
    public.observations WHERE series_id > s.id)
  FROM s WHERE id IS NOT NULL)
SELECT id FROM s WHERE id IS NOT NULL ORDER BY id;

-- name: jobs
-- The store's jobs as of $1 (epoch ms): source, last success (finished,
-- epoch ms, or -1), last run, failures since the last success (crashes
-- count), abandoned runs since it.
WITH r AS (
  SELECT * FROM public.ingestion_runs
  WHERE started_at <= pg_catalog.to_timestamp($1::bigint / 1000.0)
    AND {{store_job}}),
j AS (
  SELECT job, pg_catalog.max(started_at) FILTER (WHERE {{success}}) AS ok_at,
    pg_catalog.max(finished_at) FILTER (WHERE {{success}}) AS ok_fin,
    pg_catalog.max(started_at) AS last_at,
    pg_catalog.max(source_id) AS source_id
  FROM r GROUP BY job)
SELECT j.job, j.source_id,
  COALESCE(pg_catalog.floor(EXTRACT(epoch FROM j.ok_fin) * 1000)::bigint, -1),
  pg_catalog.floor(EXTRACT(epoch FROM j.last_at) * 1000)::bigint,
  (SELECT pg_catalog.count(*) FROM r WHERE r.job = j.job AND {{failed}}
     AND (j.ok_at IS NULL OR r.started_at > j.ok_at)),
  (SELECT pg_catalog.count(*) FROM r WHERE r.job = j.job AND {{abandoned}}
     AND (j.ok_at IS NULL OR r.started_at > j.ok_at))
FROM j ORDER BY j.job;

-- name: source_cadences
-- The catalog's cadences, "source_id=cadence".
SELECT source_id || '=' || expected_cadence FROM public.sources ORDER BY source_id;

-- name: series_frequencies
-- The series catalog's frequencies, "id=frequency".
SELECT id || '=' || frequency FROM public.series;
