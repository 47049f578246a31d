-- 0009_store_layout: what ausdash-export needs to write a backfilled store
-- back as the dashboard wrote it.  Set by ausdash-backfill; NULL for rows a
-- backfill did not place (an ingest's new rows, the dashboard's own
-- writers), which ausdash-export writes after the placed ones, in key
-- order, with their fields in its own order.
--   store_ord     the record's place in its array of the store
--   store_fields  the names of its fields in the store's order, as a JSON
--                 array, when that is not the order ausdash-export writes
-- Nullable columns without defaults: adding them rewrites no table.
ALTER TABLE public.sources ADD COLUMN store_ord bigint, ADD COLUMN store_fields jsonb;
ALTER TABLE public.raw_snapshots ADD COLUMN store_ord bigint, ADD COLUMN store_fields jsonb;
ALTER TABLE public.observations ADD COLUMN store_ord bigint, ADD COLUMN store_fields jsonb;
ALTER TABLE public.source_cursors ADD COLUMN store_ord bigint, ADD COLUMN store_fields jsonb;
ALTER TABLE public.ingestion_runs ADD COLUMN store_ord bigint, ADD COLUMN store_fields jsonb;
ALTER TABLE public.price_intake_batches ADD COLUMN store_ord bigint, ADD COLUMN store_fields jsonb;
ALTER TABLE public.unresolved_price_items ADD COLUMN store_ord bigint, ADD COLUMN store_fields jsonb;
