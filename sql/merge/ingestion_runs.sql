-- sql/merge/ingestion_runs.sql - stage and merge for public.ingestion_runs.
--
-- The store's ingestion runs (ingestionRuns[]); the ledger columns ausdash adds
-- for its own runs are left alone.
-- Statements are named by "-- name:" lines and embedded in the tools at
-- build time (lib/sqlset.c).  ord is the record's position in the input
-- (the last occurrence of a key wins); line and byte_offset say where it was.

-- name: create
CREATE TEMP TABLE ausdash_stage_ingestion_runs (
  ord bigint NOT NULL,
  line bigint NOT NULL,
  byte_offset bigint NOT NULL,
  run_id text,
  job text,
  status text,
  started_at timestamptz,
  finished_at timestamptz,
  rows_inserted integer,
  rows_updated integer,
  error_summary text,
  bull_job_id text,
  queue_name text,
  attempt integer,
  run_mode text
) ON COMMIT DROP;

-- name: dedupe
-- In-input duplicates of a key: keep the last occurrence.  Finding the
-- duplicated keys first (usually none) avoids joining the whole table
-- with itself.
WITH d AS (
  SELECT run_id, pg_catalog.max(ord) AS last
  FROM pg_temp.ausdash_stage_ingestion_runs
  GROUP BY run_id
  HAVING pg_catalog.count(*) > 1
)
DELETE FROM pg_temp.ausdash_stage_ingestion_runs s
USING d
WHERE d.run_id = s.run_id
  AND s.ord < d.last;

-- name: merge
-- Only new or changed rows reach the upsert, so unchanged rows are neither
-- locked nor rewritten; returns changed, inserted, updated.
WITH changed AS (
  SELECT s.*
  FROM pg_temp.ausdash_stage_ingestion_runs s
  LEFT JOIN public.ingestion_runs t ON t.run_id = s.run_id
  WHERE t.run_id IS NULL
     OR (t.job, t.status, t.started_at, t.finished_at, t.rows_inserted,
        t.rows_updated, t.error_summary, t.bull_job_id, t.queue_name, t.attempt,
        t.run_mode)
        IS DISTINCT FROM (s.job, s.status, s.started_at, s.finished_at, s.rows_inserted,
        s.rows_updated, s.error_summary, s.bull_job_id, s.queue_name, s.attempt,
        s.run_mode)
), m AS (
  INSERT INTO public.ingestion_runs AS t
    (run_id, job, status, started_at, finished_at, rows_inserted, rows_updated,
     error_summary, bull_job_id, queue_name, attempt, run_mode)
  SELECT run_id, job, status, started_at, finished_at, rows_inserted, rows_updated,
         error_summary, bull_job_id, queue_name, attempt, run_mode
  FROM changed
  ORDER BY run_id
  ON CONFLICT ON CONSTRAINT ingestion_runs_pkey DO UPDATE SET
    job = EXCLUDED.job,
    status = EXCLUDED.status,
    started_at = EXCLUDED.started_at,
    finished_at = EXCLUDED.finished_at,
    rows_inserted = EXCLUDED.rows_inserted,
    rows_updated = EXCLUDED.rows_updated,
    error_summary = EXCLUDED.error_summary,
    bull_job_id = EXCLUDED.bull_job_id,
    queue_name = EXCLUDED.queue_name,
    attempt = EXCLUDED.attempt,
    run_mode = EXCLUDED.run_mode
  WHERE (t.job, t.status, t.started_at, t.finished_at, t.rows_inserted,
        t.rows_updated, t.error_summary, t.bull_job_id, t.queue_name, t.attempt,
        t.run_mode)
        IS DISTINCT FROM (EXCLUDED.job, EXCLUDED.status, EXCLUDED.started_at, EXCLUDED.finished_at,
        EXCLUDED.rows_inserted, EXCLUDED.rows_updated, EXCLUDED.error_summary,
        EXCLUDED.bull_job_id, EXCLUDED.queue_name, EXCLUDED.attempt,
        EXCLUDED.run_mode)
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
FROM pg_temp.ausdash_stage_ingestion_runs s
LEFT JOIN public.ingestion_runs t ON t.run_id = s.run_id
WHERE t.run_id IS NULL
   OR (t.job, t.status, t.started_at, t.finished_at, t.rows_inserted,
      t.rows_updated, t.error_summary, t.bull_job_id, t.queue_name, t.attempt,
      t.run_mode)
      IS DISTINCT FROM (s.job, s.status, s.started_at, s.finished_at, s.rows_inserted,
      s.rows_updated, s.error_summary, s.bull_job_id, s.queue_name, s.attempt,
      s.run_mode);
