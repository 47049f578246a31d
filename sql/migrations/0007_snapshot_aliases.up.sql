-- 0007_snapshot_aliases: a payload is stored once per (source_id,
-- checksum_sha256).  When a store of another lineage (the dashboard
-- reseeded its store and stored the same payload again) holds it under
-- another snapshotId, ausdash-backfill keeps that id here, pointing at the
-- stored snapshot, so that what refers to it (price intake batches and
-- unresolved items, by raw_snapshot_id) still resolves:
--   COALESCE(a.snapshot_id, b.raw_snapshot_id) with a LEFT JOIN on alias_id.
-- No foreign key: raw_snapshots stays free to be truncated and reloaded (and
-- bulk-loaded without its indexes); an alias whose snapshot is gone resolves
-- to nothing, as the id it stands for would.
CREATE TABLE public.raw_snapshot_aliases (
  alias_id text PRIMARY KEY,
  snapshot_id text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX raw_snapshot_aliases_snapshot_idx ON public.raw_snapshot_aliases (snapshot_id);
