-- sql/report/runs.sql - ausdash-runs: the health of the run ledger per job.

-- name: jobs
-- Per job, as of $1 (epoch ms): the last run, its status, the last
-- success, failures since it (crashes count), rows in the window ($2 ms),
-- runs running now (their session holds the lock) and the longest of them
-- in seconds, abandoned runs since the last success.
WITH r AS (
  SELECT *, pg_catalog.to_timestamp($1::bigint / 1000.0) AS at
  FROM public.ingestion_runs
  WHERE started_at <= pg_catalog.to_timestamp($1::bigint / 1000.0)),
j AS (
  SELECT job,
    pg_catalog.max(started_at) AS last_at,
    pg_catalog.max(started_at) FILTER (WHERE {{success}}) AS ok_at,
    pg_catalog.max(finished_at) FILTER (WHERE {{success}}) AS ok_fin
  FROM r GROUP BY job)
SELECT j.job,
  pg_catalog.floor(EXTRACT(epoch FROM j.last_at) * 1000)::bigint,
  (SELECT r.status FROM r WHERE r.job = j.job ORDER BY r.started_at DESC LIMIT 1),
  COALESCE(pg_catalog.floor(EXTRACT(epoch FROM j.ok_fin) * 1000)::bigint, -1),
  (SELECT pg_catalog.count(*) FROM r WHERE r.job = j.job AND {{failed}}
     AND (j.ok_at IS NULL OR r.started_at > j.ok_at)),
  (SELECT COALESCE(pg_catalog.sum(r.rows_inserted), 0) FROM r WHERE r.job = j.job
     AND r.started_at > r.at - $2::bigint * interval '1 millisecond'),
  (SELECT COALESCE(pg_catalog.sum(r.rows_updated), 0) FROM r WHERE r.job = j.job
     AND r.started_at > r.at - $2::bigint * interval '1 millisecond'),
  (SELECT pg_catalog.count(*) FROM r WHERE r.job = j.job AND r.status = 'running'
     AND {{lock_held}}),
  (SELECT COALESCE(pg_catalog.max(EXTRACT(epoch FROM r.at - r.started_at)), 0)::bigint
     FROM r WHERE r.job = j.job AND r.status = 'running'),
  (SELECT pg_catalog.count(*) FROM r WHERE r.job = j.job AND {{abandoned}}
     AND (j.ok_at IS NULL OR r.started_at > j.ok_at))
FROM j ORDER BY j.job;
