-- 0002_run_ledger: what operators need from ingestion_runs beyond the PRD.
--
-- Status vocabulary: running, ok, partial, failed, skipped_duplicate,
-- abandoned (a running row whose process died; set by the next run of the
-- job or derived by ausdash-runs), and the dashboard's degraded.
-- lock_key is the advisory lock the run holds while it runs, so that a
-- report can tell a live run from an abandoned one through pg_locks.

ALTER TABLE public.ingestion_runs
  ADD COLUMN source_id text,
  ADD COLUMN rows_read bigint NOT NULL DEFAULT 0,
  ADD COLUMN rows_unchanged integer NOT NULL DEFAULT 0,
  ADD COLUMN rows_rejected integer NOT NULL DEFAULT 0,
  ADD COLUMN input_name text,
  ADD COLUMN input_checksum_sha256 text,
  ADD COLUMN input_bytes bigint,
  ADD COLUMN tool_version text,
  ADD COLUMN host text,
  ADD COLUMN pid integer,
  ADD COLUMN lock_key bigint,
  ADD COLUMN details jsonb,
  ADD CONSTRAINT ingestion_runs_status_check
    CHECK (status IN ('running', 'ok', 'partial', 'failed', 'skipped_duplicate',
                      'abandoned', 'degraded')),
  ADD CONSTRAINT ingestion_runs_run_mode_check
    CHECK (run_mode IS NULL OR run_mode IN ('scheduled', 'manual', 'backfill', 'replay')),
  ADD CONSTRAINT ingestion_runs_rows_check
    CHECK (rows_inserted >= 0 AND rows_updated >= 0 AND rows_unchanged >= 0
           AND rows_rejected >= 0 AND rows_read >= 0);

CREATE INDEX ingestion_runs_status_idx
  ON public.ingestion_runs (status, started_at)
  WHERE status IN ('running', 'failed', 'partial');
CREATE INDEX ingestion_runs_source_idx
  ON public.ingestion_runs (source_id, started_at);
