-- sql/export/export.sql - ausdash-export: the database back to a store.

-- name: updated_at
-- The store's updatedAt, epoch ms: the store's own (store_meta, from the
-- last backfill), or a later change ausdash made since (an ingest's run or
-- snapshot); with no store_meta, the latest change of all.
SELECT pg_catalog.floor(EXTRACT(epoch FROM COALESCE(GREATEST(
  (SELECT updated_at FROM public.store_meta),
  (SELECT pg_catalog.max(finished_at) FROM public.ingestion_runs
    WHERE tool_version IS NOT NULL AND {{store_run}}),
  (SELECT pg_catalog.max(captured_at) FROM public.raw_snapshots
    WHERE format IS NOT NULL)),
  GREATEST((SELECT pg_catalog.max(updated_at) FROM public.source_cursors),
    (SELECT pg_catalog.max(finished_at) FROM public.ingestion_runs WHERE {{store_run}}),
    (SELECT pg_catalog.max(captured_at) FROM public.raw_snapshots)),
  'epoch'::timestamptz)) * 1000)::bigint;

-- name: records
-- One entity's rows ({columns} from lib/pg/sqlbuild.c), {where} a filter or
-- nothing: in the store's order (store_ord, migration 0009), then the rows
-- no backfill placed in key order ({key}: the key's columns).
SELECT {columns} FROM public.{table} t {where} ORDER BY t.store_ord NULLS LAST, {key}

-- name: store_runs_only
-- The runs a store holds.
WHERE {{store_run}}

-- name: extra
-- The free-form fields of a record, kept as JSON.
t.extra::text

-- name: layout
-- The record's field order in the store, when not the export's (migration 0009).
t.store_fields::text

-- name: declare
DECLARE ausdash_export NO SCROLL CURSOR FOR {query}

-- name: fetch
FETCH {rows} FROM ausdash_export

-- name: close
CLOSE ausdash_export
