-- sql/run/run.sql - the run ledger, public.ingestion_runs (lib/run/run.c).

-- name: mark_abandoned
-- Runs of this lock ($1, its key) left "running" by a process that is gone
-- (the caller holds the lock now, so none of them is live).
UPDATE public.ingestion_runs
SET status = 'abandoned', finished_at = pg_catalog.clock_timestamp(),
    error_summary = COALESCE(error_summary,
      'the run ended without recording a result (killed, or its connection was lost)')
WHERE status = 'running' AND lock_key = $1::bigint
RETURNING run_id;

-- name: begin
-- A new run: job $1, source $2, mode $3, input $4, tool version $5, host
-- $6, pid $7, lock key $8.  Its id is the job and its start in epoch ms.
INSERT INTO public.ingestion_runs
  (run_id, job, status, started_at, source_id, run_mode, input_name,
   tool_version, host, pid, lock_key)
SELECT $1 || '-' || pg_catalog.floor(pg_catalog.date_part('epoch', t) * 1000)::bigint,
       $1, 'running', t, $2, $3, $4, $5, $6, $7::integer, $8::bigint
FROM (SELECT pg_catalog.clock_timestamp() AS t) AS now
RETURNING run_id;

-- name: finish
-- The result of run $1: status $2, rows read, inserted, updated, unchanged
-- and rejected ($3-$7), the input's SHA-256 and size ($8, $9), details
-- ($10, JSON) and error summary ($11).  Only a run still running.
UPDATE public.ingestion_runs
SET status = $2, finished_at = pg_catalog.clock_timestamp(),
    rows_read = $3::bigint, rows_inserted = $4::integer,
    rows_updated = $5::integer, rows_unchanged = $6::integer,
    rows_rejected = $7::integer, input_checksum_sha256 = $8,
    input_bytes = $9::bigint, details = $10::jsonb,
    error_summary = $11
WHERE run_id = $1 AND status = 'running';

-- name: forget
-- An operator's no-op (a replay that matched nothing) is no alarm: the run
-- row it began goes again.
DELETE FROM public.ingestion_runs WHERE run_id = $1 AND status = 'running';

