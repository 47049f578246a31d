-- sql/rules.sql - the rules of the run ledger that several statements share,
-- each written once.  A statement under sql/ uses one as {{NAME}} (see
-- sql/embed.awk); C code as SQLSET_RULES_<NAME>.  They read the columns of
-- public.ingestion_runs unqualified, so a statement uses them where those
-- columns are the nearest in scope.

-- name: store_job
-- A run the store knows: the dashboard's own jobs and ausdash's ingest and
-- replay runs, not ausdash's maintenance (ausdash-backfill, -migrate, ...).
job NOT LIKE 'ausdash-%'

-- name: success
-- A run that succeeded, in either vocabulary (ausdash's and the store's).
status IN ('ok', 'partial', 'skipped_duplicate', 'degraded')

-- name: lock_held
-- The session that began the run still holds the run's advisory lock
-- (lock_key, as lib/pg/lock.c takes it).
EXISTS (SELECT 1 FROM pg_catalog.pg_locks l
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND ((l.classid::bigint << 32) | l.objid::bigint) = lock_key)

-- name: abandoned
-- A crashed run: marked abandoned by a later run, or still "running" with
-- its lock gone (its session died before anyone marked it).
(status = 'abandoned' OR (status = 'running' AND NOT {{lock_held}}))

-- name: failed
-- A run that failed, crashes included.
(status = 'failed' OR {{abandoned}})

-- name: store_run
-- A row of ingestion_runs that belongs in the store: a finished run of a
-- job the store knows.
status <> 'running' AND {{store_job}}

-- name: store_status
-- A run's status in the store's vocabulary (ok, failed, degraded): what
-- ausdash-export writes for ausdash's own statuses.
CASE status WHEN 'partial' THEN 'degraded' WHEN 'skipped_duplicate' THEN 'ok'
  WHEN 'abandoned' THEN 'failed' ELSE status END

-- name: store_run_mode
-- A run's mode in the store's vocabulary (a replay is a manual run).
CASE run_mode WHEN 'replay' THEN 'manual' ELSE run_mode END
